package profile_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/profile"
	"github.com/parleyhq/parley/internal/sqlstore"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/webhook"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	appSecret = "s3cret"
	pageID    = "1001"
	igID      = "17841400000000001"
)

// The SQL stores list unnamed identities; the worker relies on it.
var _ profile.Store = (*sqlstore.DB)(nil)

type recorder struct {
	mu     sync.Mutex
	events []care.Event
}

func (r *recorder) Publish(evs ...care.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, evs...)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// env is a Parley on SQLite receiving Meta's signed webhooks from the fake
// Graph API, which also serves the profiles.
type env struct {
	t      *testing.T
	s      care.Store
	fake   *metafake.Fake
	pipe   *ingest.Pipeline
	hook   string
	fb, ig *care.Inbox
	w      *profile.Worker
	pub    *recorder
	now    time.Time
}

func newEnv(t *testing.T) *env {
	ctx := t.Context()
	e := &env{t: t, s: testdb.SQLite(t), now: time.Now(), pub: &recorder{}}
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := e.s.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	e.fake = metafake.New(appSecret)
	e.fake.AddPage(pageID, "page-token")
	e.fake.AddInstagram(igID, "ig-token")
	graph := httptest.NewServer(e.fake.Handler())
	t.Cleanup(graph.Close)

	reg := &channel.Registry{}
	reg.Register(care.ChannelFacebook, &meta.Messenger{})
	reg.Register(care.ChannelInstagram, &meta.Instagram{})
	e.fb = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelFacebook, Name: "Acme Page", ExternalID: pageID,
		Credentials: map[string]string{meta.CredAppSecret: appSecret, meta.CredPageAccessToken: "page-token", meta.CredAPIBase: graph.URL}}
	e.ig = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelInstagram, Name: "Acme IG", ExternalID: igID,
		Credentials: map[string]string{meta.CredAppSecret: appSecret, meta.CredAccessToken: "ig-token", meta.CredAPIBase: graph.URL}}
	for _, in := range []*care.Inbox{e.fb, e.ig} {
		setup, _ := reg.Setup(in.Channel)
		if err := setup.Prepare(in); err != nil {
			t.Fatal(err)
		}
		if err := e.s.CreateInbox(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	c := ingest.NewCommitter(e.s, 64)
	cctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.Run(cctx) }()
	mux := http.NewServeMux()
	(&webhook.Handler{Store: e.s, Adapters: reg, Ingest: c}).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.Close()
		c.Close(context.Background())
		stop()
		<-done
	})
	e.hook = fmt.Sprintf("%s/webhooks/%d", srv.URL, e.fb.ID)
	e.pipe = &ingest.Pipeline{Store: e.s}
	ps, ok := e.s.(profile.Store)
	if !ok {
		t.Fatalf("%T cannot list identities without a name", e.s)
	}
	e.w = &profile.Worker{Store: ps, Adapters: reg, Publisher: e.pub, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return e.now },
		Interval: time.Second, Rescan: time.Minute}
	return e
}

// deliver posts a signed delivery to the webhook and threads it.
func (e *env) deliver(d *metafake.Delivery) {
	e.t.Helper()
	ctx := e.t.Context()
	if code, err := e.fake.Deliver(ctx, e.hook, d); err != nil || code != http.StatusOK {
		e.t.Fatalf("delivery answered %d, %v; want 200", code, err)
	}
	for {
		n, err := e.pipe.RunOnce(ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// dm delivers a direct message and returns its conversation's contact.
func (e *env) dm(in *care.Inbox, account, from string) *care.Contact {
	e.t.Helper()
	mid, d := e.fake.Message(metafake.Message{Account: account, From: from, Text: "Olá, preciso de ajuda"})
	e.deliver(d)
	m, err := e.s.MessageByPlatformID(e.t.Context(), in.ID, mid)
	if err != nil {
		e.t.Fatalf("message %s: %v", mid, err)
	}
	return e.contact(m.ContactID)
}

func (e *env) contact(id care.ID) *care.Contact {
	e.t.Helper()
	c, err := e.s.Contact(e.t.Context(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// rounds runs the worker's rounds, a second apart.
func (e *env) rounds(n int) {
	for range n {
		e.w.Round(e.t.Context())
		e.now = e.now.Add(time.Second)
	}
}

func TestMessengerCustomerGetsName(t *testing.T) {
	e := newEnv(t)
	e.fake.SetProfile(pageID, "1000000501", metafake.Profile{Name: "Ana\u202e Souza", FirstName: "Ana", LastName: "Souza"})
	c := e.dm(e.fb, pageID, "1000000501")
	if c.Name != "1000000501" {
		t.Fatalf("contact of an unknown PSID is %q before the look-up, want the bare id", c.Name)
	}
	e.rounds(2)
	c = e.contact(c.ID)
	if c.Name != "Ana Souza" || c.Identities[0].DisplayName != "Ana Souza" {
		t.Errorf("contact after the look-up = %q, identity %q; want Ana Souza (cleaned)", c.Name, c.Identities[0].DisplayName)
	}
	if n := e.pub.count(); n != 1 {
		t.Errorf("%d events published, want 1 conversation.updated", n)
	}
	evs, err := e.s.EventsAfter(t.Context(), e.fb.WorkspaceID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Type != care.EventConversationUpdated || last.InboxID != e.fb.ID {
		t.Errorf("last stored event = %s of inbox %d, want conversation.updated of the Page's inbox", last.Type, last.InboxID)
	}
	// Named, the person is not asked for again.
	before := e.fake.ProfileLookups()
	e.now = e.now.Add(time.Hour)
	e.rounds(3)
	if n := e.fake.ProfileLookups() - before; n != 0 {
		t.Errorf("%d more look-ups of a named customer, want none", n)
	}
}

func TestInstagramCustomerGetsName(t *testing.T) {
	e := newEnv(t)
	e.fake.SetProfile(igID, "17840000000000065", metafake.Profile{Name: "Bea Lima", Username: "bea.lima", Followers: 812})
	e.fake.SetProfile(igID, "17840000000000066", metafake.Profile{Username: "carla_m"})
	bea := e.dm(e.ig, igID, "17840000000000065")
	carla := e.dm(e.ig, igID, "17840000000000066")
	e.rounds(3)
	if c := e.contact(bea.ID); c.Name != "Bea Lima" || c.Identities[0].Handle != "bea.lima" || c.Identities[0].Followers != 812 {
		t.Errorf("contact = %q %+v, want Bea Lima @bea.lima with 812 followers", c.Name, c.Identities[0])
	}
	if c := e.contact(carla.ID); c.Name != "carla_m" {
		t.Errorf("contact without a name = %q, want the username", c.Name)
	}
}

func TestUnavailableProfileIsNotAskedAgain(t *testing.T) {
	tests := []struct {
		name    string
		profile *metafake.Profile
	}{
		{"PhoneOnly", &metafake.Profile{Name: "Ana", PhoneOnly: true}},
		{"Blocked", &metafake.Profile{Name: "Ana", Blocked: true}},
		{"Unknown", nil},
		// A profile with nothing to name the person by: nothing to store,
		// and no reason to ask again at every rescan.
		{"Nameless", &metafake.Profile{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.profile != nil {
				e.fake.SetProfile(pageID, "1000000501", *tt.profile)
			}
			c := e.dm(e.fb, pageID, "1000000501")
			e.rounds(5)
			if n := e.fake.ProfileLookups(); n != 1 {
				t.Fatalf("%d look-ups of an unavailable profile within seconds, want 1", n)
			}
			e.now = e.now.Add(profile.DefaultRescan + time.Hour)
			e.rounds(5)
			if n := e.fake.ProfileLookups(); n != 1 {
				t.Errorf("%d look-ups within the day, want 1", n)
			}
			// A day later the person may have changed their mind.
			e.fake.SetProfile(pageID, "1000000501", metafake.Profile{Name: "Ana Souza"})
			e.now = e.now.Add(profile.DefaultRetryUnavailable)
			e.rounds(2)
			if n := e.fake.ProfileLookups(); n != 2 {
				t.Errorf("%d look-ups after a day, want 2", n)
			}
			if got := e.contact(c.ID).Name; got != "Ana Souza" {
				t.Errorf("contact = %q after the retry, want Ana Souza", got)
			}
		})
	}
}

func TestThrottledInboxWaits(t *testing.T) {
	e := newEnv(t)
	e.fake.SetProfile(pageID, "1000000501", metafake.Profile{Name: "Ana Souza"})
	c := e.dm(e.fb, pageID, "1000000501")
	e.fake.FailNext(metafake.Throttled(32, 10*time.Minute))
	e.rounds(30)
	if n := e.fake.ProfileLookups(); n != 1 {
		t.Fatalf("%d look-ups while Meta throttles, want 1", n)
	}
	if got := e.contact(c.ID).Name; got != "1000000501" {
		t.Fatalf("contact = %q while throttled", got)
	}
	e.now = e.now.Add(10 * time.Minute)
	e.rounds(1)
	if got := e.contact(c.ID).Name; got != "Ana Souza" {
		t.Errorf("contact = %q once Meta allows calls again, want Ana Souza", got)
	}
}

func TestBrokenInboxRests(t *testing.T) {
	e := newEnv(t)
	e.fake.SetProfile(pageID, "1000000501", metafake.Profile{Name: "Ana Souza"})
	e.fake.SetProfile(pageID, "1000000502", metafake.Profile{Name: "Bruno Reis"})
	a := e.dm(e.fb, pageID, "1000000501")
	b := e.dm(e.fb, pageID, "1000000502")
	e.fake.FailNext(metafake.PermissionDenied())
	e.rounds(10)
	if n := e.fake.ProfileLookups(); n != 1 {
		t.Fatalf("%d look-ups from an inbox without the permission, want 1", n)
	}
	// The admin who can grant it sees why on the inbox's health line.
	if in, err := e.s.Inbox(t.Context(), e.fb.ID); err != nil || !strings.Contains(in.Health.LastError, "names cannot be looked up") || in.Health.LastErrorAt == nil {
		t.Errorf("inbox health = %+v, %v; want the failed look-up named", in.Health, err)
	}
	e.now = e.now.Add(profile.DefaultPauseBroken)
	e.rounds(3)
	// The person asked for when the permission lacked is not held to blame.
	if an, bn := e.contact(a.ID).Name, e.contact(b.ID).Name; an != "Ana Souza" || bn != "Bruno Reis" {
		t.Errorf("contacts = %q, %q once the inbox works, want Ana Souza, Bruno Reis", an, bn)
	}
}

func TestRunTakesLease(t *testing.T) {
	e := newEnv(t)
	e.fake.SetProfile(pageID, "1000000501", metafake.Profile{Name: "Ana Souza"})
	c := e.dm(e.fb, pageID, "1000000501")
	e.w.Now = nil
	e.w.Interval = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); e.w.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for e.contact(c.ID).Name != "Ana Souza" {
		if time.Now().After(deadline) {
			t.Fatal("the running worker did not name the customer within 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	// The lease was given up on the way out: another node takes it at once.
	ok, err := e.s.AcquireLease(t.Context(), profile.LeaseName, "other-node", time.Minute, time.Now())
	if err != nil || !ok {
		t.Errorf("AcquireLease after Run ended = %v, %v; want the lease free", ok, err)
	}
}
