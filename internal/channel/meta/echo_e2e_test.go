package meta_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/outbox"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/webhook"
)

// stack is the fake Meta in front of the real webhook handler, ingest
// pipeline, desk and outbox on a SQLite store.
type stack struct {
	s      care.Store
	fake   *metafake.Fake
	url    string
	fb, ig *care.Inbox
	agent  care.Principal
	desk   *desk.Service
	worker *outbox.Worker
	pipe   *ingest.Pipeline
}

func newStack(t *testing.T, appID string) *stack {
	t.Helper()
	ctx := context.Background()
	st := &stack{s: testdb.SQLite(t)}
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := st.s.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	u := &care.User{Email: "sam@acme.test", Name: "Sam"}
	if err := st.s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := st.s.SetMember(ctx, care.Member{WorkspaceID: ws.ID, UserID: u.ID, Role: care.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	st.agent = care.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: care.RoleAgent, Name: "Sam"}

	st.fake = metafake.New(appSecret)
	st.fake.AppID = "42"
	st.fake.AddPage(pageID, "page-token")
	st.fake.AddInstagram(igID, "ig-token")
	graph := httptest.NewServer(st.fake.Handler())
	t.Cleanup(graph.Close)

	reg := &channel.Registry{}
	reg.Register(care.ChannelFacebook, &meta.Messenger{})
	reg.Register(care.ChannelInstagram, &meta.Instagram{})
	st.fb = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelFacebook, Name: "Acme Page", ExternalID: pageID,
		Credentials: map[string]string{meta.CredAppSecret: appSecret, meta.CredPageAccessToken: "page-token", meta.CredAPIBase: graph.URL}}
	st.ig = &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelInstagram, Name: "Acme IG", ExternalID: igID,
		Credentials: map[string]string{meta.CredAppSecret: appSecret, meta.CredAccessToken: "ig-token", meta.CredAPIBase: graph.URL}}
	for _, in := range []*care.Inbox{st.fb, st.ig} {
		if appID != "" {
			in.Credentials[meta.CredAppID] = appID
		}
		setup, _ := reg.Setup(in.Channel)
		if err := setup.Prepare(in); err != nil {
			t.Fatal(err)
		}
		if err := st.s.CreateInbox(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	c := ingest.NewCommitter(st.s, 64)
	go c.Run(ctx)
	t.Cleanup(func() { c.Close(ctx) })
	mux := http.NewServeMux()
	(&webhook.Handler{Store: st.s, Adapters: reg, Ingest: c}).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	st.url = fmt.Sprintf("%s/webhooks/%d", srv.URL, st.fb.ID)
	st.pipe = &ingest.Pipeline{Store: st.s}
	st.desk = &desk.Service{Store: st.s, Adapters: reg}
	st.worker = &outbox.Worker{Store: st.s, Senders: reg}
	return st
}

// deliver posts d to the webhook and threads what it stored. It may run on
// the fake's goroutine (OnSend), so it reports rather than stops.
func (st *stack) deliver(d *metafake.Delivery) error {
	ctx := context.Background()
	if code, err := st.fake.Deliver(ctx, st.url, d); err != nil || code != http.StatusOK {
		return fmt.Errorf("delivery answered %d, %v; want 200", code, err)
	}
	for {
		n, err := st.pipe.RunOnce(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
}

func (st *stack) messages(t *testing.T, conv care.ID) []care.Message {
	t.Helper()
	ms, err := st.s.Messages(context.Background(), conv, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestEchoBeforeTheOutboxRecords reproduces the race of an echo of
// Parley's own send with the outbox: Meta delivers the echo, and Parley
// threads it, before the Send API's answer reaches the outbox, which only
// then records the reply's platform id. On Instagram the echo names no
// app, with or without the inbox's app_id; the same goes for a public
// reply's comment echo on either platform. Each is one message, the
// agent's reply, which keeps its platform id; a message the brand typed in
// Meta's own tools is still stored as the brand's.
func TestEchoBeforeTheOutboxRecords(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name    string
		appID   string
		account string
		public  bool
	}{
		{"instagram message, no app_id", "", igID, false},
		{"instagram message, app_id", "42", igID, false},
		{"instagram comment reply", "", igID, true},
		{"facebook comment reply", "42", pageID, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := newStack(t, tt.appID)
			in := st.ig
			if tt.account == pageID {
				in = st.fb
			}
			var first string
			var d *metafake.Delivery
			if tt.public {
				first, d = st.fake.Comment(metafake.Comment{Account: tt.account, From: igsid, Name: "ana", Post: "17887498072083520", Text: "Ship to Portugal?"})
			} else {
				first, d = st.fake.Message(metafake.Message{Account: tt.account, From: igsid, Text: "Ship to Portugal?"})
			}
			if err := st.deliver(d); err != nil {
				t.Fatal(err)
			}
			customer, err := st.s.MessageByPlatformID(ctx, in.ID, first)
			if err != nil {
				t.Fatal(err)
			}
			vis := care.Private
			if tt.public {
				vis = care.Public
			}
			reply, err := st.desk.Reply(ctx, st.agent, customer.ConversationID, desk.Reply{Text: "Yes we do", Visibility: vis, ReplyToMessageID: customer.ID})
			if err != nil {
				t.Fatal(err)
			}
			echoed := false
			st.fake.OnSend = func(s metafake.Sent) {
				echo, ok := st.fake.Echo(s.ID)
				if tt.public {
					echo, ok = st.fake.ReplyEcho(s.ID)
				}
				if !ok {
					t.Errorf("no echo for %+v", s)
					return
				}
				if err := st.deliver(echo); err != nil {
					t.Error(err)
				}
				echoed = true
			}
			if _, err := st.worker.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			st.fake.OnSend = nil
			sent := st.fake.Sent()
			if !echoed || len(sent) != 1 {
				t.Fatalf("Meta sent %+v (echoed before answering: %v), want one send echoed", sent, echoed)
			}
			if reply, err = st.s.Message(ctx, reply.ID); err != nil || reply.PlatformID != sent[0].ID || reply.Status != care.DeliverySent {
				t.Errorf("reply recorded as %+v, %v; want sent with platform id %s", reply, err, sent[0].ID)
			}
			ms := st.messages(t, customer.ConversationID)
			for _, m := range ms {
				if strings.Contains(m.AuthorName, "outside Parley") {
					t.Errorf("the echo of Parley's reply is stored as %q: %q (platform id %s)", m.AuthorName, m.Text, m.PlatformID)
				}
			}
			if len(ms) != 2 {
				t.Errorf("%d messages, want the customer's and the reply", len(ms))
			}

			// The brand answers again in Meta's own tools: stored as theirs.
			var typed string
			if tt.public {
				typed, d = st.fake.ToolReply(tt.account, first, "Typed in Business Suite")
			} else {
				typed, d = st.fake.ToolEcho(tt.account, igsid, "Typed in Business Suite", "263902037430900")
			}
			if err := st.deliver(d); err != nil {
				t.Fatal(err)
			}
			m, err := st.s.MessageByPlatformID(ctx, in.ID, typed)
			if err != nil || m.Direction != care.DirectionOut || m.ConversationID != customer.ConversationID || m.AuthorName != in.Name+" (outside Parley)" {
				t.Errorf("message typed in Business Suite stored as %+v, %v", m, err)
			}
		})
	}
}

// TestBrandCommentReplyEndsTheWait: a reply the brand typed in Meta
// Business Suite (Facebook) or the Instagram app to a customer's comment
// joins the customer's conversation as the brand's public answer, so it is
// no longer waiting for an agent to answer a second time.
func TestBrandCommentReplyEndsTheWait(t *testing.T) {
	ctx := context.Background()
	st := newStack(t, "42")
	for _, in := range []*care.Inbox{st.fb, st.ig} {
		t.Run(string(in.Channel), func(t *testing.T) {
			post := pageID + "_55"
			if in == st.ig {
				post = "17887498072083520"
			}
			id, d := st.fake.Comment(metafake.Comment{Account: in.ExternalID, From: "7001", Name: "Ana", Post: post, Text: "Broken on arrival"})
			if err := st.deliver(d); err != nil {
				t.Fatal(err)
			}
			comment, err := st.s.MessageByPlatformID(ctx, in.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			if conv, _ := st.s.Conversation(ctx, comment.ConversationID); conv == nil || conv.WaitingSince == nil {
				t.Fatalf("conversation %+v does not wait for an answer to the comment", conv)
			}
			answer, d := st.fake.ToolReply(in.ExternalID, id, "Sorry! Check your messages")
			if err := st.deliver(d); err != nil {
				t.Fatal(err)
			}
			m, err := st.s.MessageByPlatformID(ctx, in.ID, answer)
			if err != nil {
				t.Fatalf("the brand's reply typed in Meta's tools was not stored: %v", err)
			}
			if m.ConversationID != comment.ConversationID || m.Direction != care.DirectionOut || m.Visibility != care.Public ||
				m.ReplyToPlatformID != id || m.Status != care.DeliverySent || m.AuthorName != in.Name+" (outside Parley)" {
				t.Errorf("the brand's reply is stored as %+v", m)
			}
			if conv, err := st.s.Conversation(ctx, comment.ConversationID); err != nil || conv.WaitingSince != nil {
				t.Errorf("conversation after the brand's reply: %+v, %v; want no longer waiting", conv, err)
			}
		})
	}
}
