package x_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/outbox"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/webhook"
)

// deskWorld is Parley wired around the fake X: a store on SQLite, the webhook
// handler with the real committer, the pipeline, the desk and the outbox,
// all with the X adapter registered.
type deskWorld struct {
	*world
	store   care.Store
	ws      *care.Workspace
	inbox   *care.Inbox
	hook    string // the inbox's webhook URL
	pipe    *ingest.Pipeline
	desk    *desk.Service
	outbox  *outbox.Worker
	agent   care.Principal
	adapter *x.Adapter
}

func newDeskWorld(t *testing.T) *deskWorld {
	t.Helper()
	ctx := context.Background()
	w := &deskWorld{world: newWorld(t), store: testdb.SQLite(t)}
	quiet := slog.New(slog.DiscardHandler)
	w.ws = &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := w.store.CreateWorkspace(ctx, w.ws); err != nil {
		t.Fatal(err)
	}
	u := &care.User{Email: "sam@acme.test", Name: "Sam"}
	if err := w.store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetMember(ctx, care.Member{WorkspaceID: w.ws.ID, UserID: u.ID, Role: care.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	w.agent = care.Principal{UserID: u.ID, WorkspaceID: w.ws.ID, Role: care.RoleAgent, Name: "Sam"}

	w.inbox = &care.Inbox{WorkspaceID: w.ws.ID, Channel: care.ChannelX, Name: "Acme on X", ExternalID: brandID,
		Credentials: map[string]string{x.CredConsumerSecret: secret, x.CredAccessToken: brandToken, x.CredAPIBase: w.srv.URL}}
	w.adapter = w.a
	reg := &channel.Registry{}
	reg.Register(care.ChannelX, w.adapter)
	if setup, ok := reg.Setup(care.ChannelX); !ok || setup.Prepare(w.inbox) != nil {
		t.Fatalf("the adapter's Setup does not accept the inbox")
	}
	if err := w.store.CreateInbox(ctx, w.inbox); err != nil {
		t.Fatal(err)
	}

	c := ingest.NewCommitter(w.store, 64)
	go c.Run(context.Background())
	t.Cleanup(func() { c.Close(context.Background()) })
	h := &webhook.Handler{Store: w.store, Adapters: reg, Ingest: c, Logger: quiet, Now: w.clock.Now}
	mux := http.NewServeMux()
	h.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	w.hook = fmt.Sprintf("%s/webhooks/%d", srv.URL, w.inbox.ID)

	w.pipe = &ingest.Pipeline{Store: w.store, Logger: quiet, Now: w.clock.Now}
	w.desk = &desk.Service{Store: w.store, Now: w.clock.Now, Adapters: reg}
	w.outbox = &outbox.Worker{Store: w.store, Senders: reg, Now: w.clock.Now, Logger: quiet, Rand: func() float64 { return 0 }}
	return w
}

// event fails the test when building an event failed.
func event(t *testing.T) func([]byte, error) []byte {
	return func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

func (w *deskWorld) deliver(t *testing.T, event []byte) int {
	t.Helper()
	code, err := w.fake.Deliver(w.hook, event)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func (w *deskWorld) pending(t *testing.T) int {
	t.Helper()
	p, err := w.store.PendingRaw(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(p)
}

func (w *deskWorld) drain(t *testing.T) {
	t.Helper()
	for {
		n, err := w.pipe.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// conversation returns the conversation of the contact with the X user id,
// its messages and the contact.
func (w *deskWorld) conversation(t *testing.T, userID string) (*care.Conversation, []care.Message, *care.Contact) {
	t.Helper()
	ctx := context.Background()
	page, err := w.store.Conversations(ctx, care.ConversationFilter{WorkspaceID: w.ws.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var found []care.Conversation
	var contact *care.Contact
	for _, c := range page.Conversations {
		ct, err := w.store.Contact(ctx, c.ContactID)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ct.Identities {
			if id.PlatformUserID == userID {
				found, contact = append(found, c), ct
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("user %s has %d conversations, want 1", userID, len(found))
	}
	msgs, err := w.store.Messages(ctx, found[0].ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return &found[0], msgs, contact
}

type msgSummary struct {
	Dir    care.Direction
	Vis    care.Visibility
	ID     string
	Status care.DeliveryStatus
	Text   string
}

func summarise2(msgs []care.Message) []msgSummary {
	var out []msgSummary
	for _, m := range msgs {
		out = append(out, msgSummary{m.Direction, m.Visibility, m.PlatformID, m.Status, m.Text})
	}
	return out
}

func TestEndToEnd(t *testing.T) {
	ctx := context.Background()
	w := newDeskWorld(t)

	if err := w.fake.CRC(w.hook); err != nil {
		t.Fatalf("CRC: %v", err)
	}

	// Ana mentions the brand; X delivers it by the X Activity API.
	m1 := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme my order 881 never arrived"})
	mention := event(t)(w.fake.PostEvent(xfake.XAA, brandID, m1.ID))
	if code := w.deliver(t, mention); code != http.StatusOK {
		t.Fatalf("mention delivery: %d", code)
	}
	// A forged delivery is refused and stores nothing.
	forged := []byte(`{"for_user_id":"` + brandID + `","tweet_create_events":[{"id_str":"1999","text":"@acme fake","user":{"id_str":"` + anaID + `"}}]}`)
	if code, err := w.fake.DeliverSigned(w.hook, forged, xfake.Sign("wrong secret", forged)); err != nil || code != http.StatusUnauthorized {
		t.Errorf("forged delivery: %d, %v; want 401", code, err)
	}
	if code, err := w.fake.DeliverSigned(w.hook, forged, ""); err != nil || code != http.StatusUnauthorized {
		t.Errorf("unsigned delivery: %d, %v; want 401", code, err)
	}
	if n := w.pending(t); n != 1 {
		t.Fatalf("%d events stored, want the mention alone", n)
	}
	// X redelivers: acknowledged, nothing new.
	if code := w.deliver(t, mention); code != http.StatusOK {
		t.Fatalf("repeated delivery: %d", code)
	}
	if n := w.pending(t); n != 1 {
		t.Fatalf("%d events stored after a repeat, want 1", n)
	}
	w.drain(t)

	// Ana follows up in the thread, delivered by the Account Activity API;
	// Ben writes a DM.
	w.clock.Advance(time.Minute)
	m2 := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme it's been two weeks, & no answer", InReplyTo: m1.ID})
	if code := w.deliver(t, event(t)(w.fake.PostEvent(xfake.AAA, brandID, m2.ID))); code != http.StatusOK {
		t.Fatalf("reply delivery: %d", code)
	}
	d1 := w.fake.AddDM(xfake.DM{SenderID: benID, RecipientID: brandID, Text: "Hi, can I change my delivery address?"})
	if code := w.deliver(t, event(t)(w.fake.DMEvent(xfake.AAA, brandID, d1.ID))); code != http.StatusOK {
		t.Fatalf("DM delivery: %d", code)
	}
	// Redelivered in the other format: the same ids, so the same messages.
	if code := w.deliver(t, event(t)(w.fake.DMEvent(xfake.XAA, brandID, d1.ID))); code != http.StatusOK {
		t.Fatalf("DM redelivery: %d", code)
	}
	w.drain(t)

	conv, msgs, contact := w.conversation(t, anaID)
	want := []msgSummary{
		{care.DirectionIn, care.Public, m1.ID, care.DeliveryReceived, "@acme my order 881 never arrived"},
		{care.DirectionIn, care.Public, m2.ID, care.DeliveryReceived, "@acme it's been two weeks, & no answer"},
	}
	if diff := cmp.Diff(want, summarise2(msgs)); diff != "" {
		t.Errorf("Ana's thread (-want +got):\n%s", diff)
	}
	if msgs[1].ReplyToPlatformID != m1.ID {
		t.Errorf("reply's ReplyToPlatformID = %q", msgs[1].ReplyToPlatformID)
	}
	id := contact.Identities[0]
	if id.Platform != care.ChannelX || id.Handle != "ana" || id.DisplayName != "Ana Lima" || id.Followers != 1234 || !id.Verified {
		t.Errorf("Ana's identity = %+v", id)
	}
	_, benMsgs, ben := w.conversation(t, benID)
	if diff := cmp.Diff([]msgSummary{{care.DirectionIn, care.Private, d1.ID, care.DeliveryReceived, "Hi, can I change my delivery address?"}},
		summarise2(benMsgs)); diff != "" {
		t.Errorf("Ben's conversation (-want +got):\n%s", diff)
	}
	if bid := ben.Identities[0]; bid.Handle != "ben" || bid.Followers != 12 || bid.Verified {
		t.Errorf("Ben's identity = %+v", bid)
	}

	// The agent answers Ana in public: the desk checks X's rules, the
	// outbox posts the reply to her latest post.
	reply, err := w.desk.Reply(ctx, w.agent, conv.ID, desk.Reply{Text: "Sorry Ana! Your parcel ships today; details by DM."})
	if err != nil {
		t.Fatalf("desk reply: %v", err)
	}
	if n, err := w.outbox.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("outbox pass: %d, %v", n, err)
	}
	sent, err := w.store.Message(ctx, reply.ID)
	if err != nil {
		t.Fatal(err)
	}
	post, ok := w.fake.Post(sent.PlatformID)
	if sent.Status != care.DeliverySent || !ok || post.AuthorID != brandID || post.InReplyTo != m2.ID || post.Text != reply.Text {
		t.Errorf("sent reply = %+v on X %+v", sent, post)
	}

	// X echoes the brand's post back; it is ours already, so nothing new.
	if code := w.deliver(t, event(t)(w.fake.PostEvent(xfake.AAA, brandID, post.ID))); code != http.StatusOK {
		t.Fatalf("echo delivery: %d", code)
	}
	w.drain(t)
	if _, msgs, _ := w.conversation(t, anaID); len(msgs) != 3 {
		t.Errorf("Ana's thread has %d messages after the echo, want 3", len(msgs))
	}

	// A public answer to Ben, who only wrote a DM, is refused before it is
	// queued; the DM answer goes out.
	benConv, _, _ := w.conversation(t, benID)
	if _, err := w.desk.Reply(ctx, w.agent, benConv.ID, desk.Reply{Text: "Hi Ben", Visibility: care.Public}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("public reply to a DM: %v, want EINVALID", err)
	}
	dmReply, err := w.desk.Reply(ctx, w.agent, benConv.ID, desk.Reply{Text: "Yes: reply with the new address."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.outbox.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	sentDM, err := w.store.Message(ctx, dmReply.ID)
	if err != nil {
		t.Fatal(err)
	}
	dms := w.fake.DMs()
	if last := dms[len(dms)-1]; sentDM.Status != care.DeliverySent || sentDM.PlatformID != last.ID || last.RecipientID != benID {
		t.Errorf("sent DM = %+v, last DM on X %+v", sentDM, last)
	}
	if code := w.deliver(t, event(t)(w.fake.DMEvent(xfake.XAA, brandID, sentDM.PlatformID))); code != http.StatusOK {
		t.Fatalf("DM echo delivery: %d", code)
	}
	w.drain(t)
	if _, msgs, _ := w.conversation(t, benID); len(msgs) != 2 {
		t.Errorf("Ben's conversation has %d messages after the echo, want 2", len(msgs))
	}

	// A reply typed in X's own app arrives as an echo in Ana's thread.
	native := w.fake.AddPost(xfake.Post{AuthorID: brandID, Text: "@ana Tracking: ZX81", InReplyTo: m2.ID})
	if code := w.deliver(t, event(t)(w.fake.PostEvent(xfake.XAA, brandID, native.ID))); code != http.StatusOK {
		t.Fatalf("native reply delivery: %d", code)
	}
	w.drain(t)
	_, msgs, _ = w.conversation(t, anaID)
	if last := msgs[len(msgs)-1]; len(msgs) != 4 || last.Direction != care.DirectionOut || last.PlatformID != native.ID || last.Status != care.DeliverySent {
		t.Errorf("after the native reply: %v", summarise2(msgs))
	}

	// What X bills is counted once per message: the two X Activity API
	// post events stored (the mention, the native reply), the reply and
	// the DM sent. Account Activity API deliveries have no documented
	// price, and the DM stored from one is not counted again when the X
	// Activity API repeats it.
	charges, err := w.store.InboxCharges(ctx, w.inbox.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	wantCharges := map[string]int{x.ChargePostDelivered: 2, x.ChargePostCreated: 1, x.ChargeDMSent: 1}
	if diff := cmp.Diff(wantCharges, charges); diff != "" {
		t.Errorf("charges (-want +got):\n%s", diff)
	}
}

// A reply X refuses under its 2026 rule fails with a reason the agent can
// act on.
func TestEndToEndReplyRefused(t *testing.T) {
	ctx := context.Background()
	w := newDeskWorld(t)
	// Ana's post reached the inbox (a reply in a thread the brand is in)
	// but does not @mention the brand, so X will not take a reply to it.
	p := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "still broken", Mentions: []string{}})
	body := fmt.Appendf(nil, `{"for_user_id":%q,"tweet_create_events":[{"id_str":%q,"text":"still broken","user":{"id_str":%q,"screen_name":"ana","name":"Ana Lima","followers_count":1234}}]}`,
		brandID, p.ID, anaID)
	if code := w.deliver(t, body); code != http.StatusOK {
		t.Fatalf("delivery: %d", code)
	}
	w.drain(t)
	conv, _, _ := w.conversation(t, anaID)
	reply, err := w.desk.Reply(ctx, w.agent, conv.ID, desk.Reply{Text: "We're on it"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.outbox.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	m, err := w.store.Message(ctx, reply.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != care.DeliveryFailed || !strings.Contains(m.StatusReason, "answer this customer by DM") {
		t.Fatalf("reply = %q, %q; want failed, with the reason X refused it", m.Status, m.StatusReason)
	}
	if n := w.fake.Calls(xfake.CreatePost); n != 1 {
		t.Errorf("%d attempts, want 1: a refusal is not retried", n)
	}
}
