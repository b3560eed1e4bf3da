package screen_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	deskpkg "github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/screen"
	"github.com/parleyhq/parley/internal/testdb"
)

// page is a channel whose comments can be moderated.
type page struct{}

func (page) Send(context.Context, channel.Outbound) (channel.Result, error) {
	return channel.Result{}, nil
}
func (page) Moderate(context.Context, care.Inbox, string, channel.ModerationAction) error {
	return nil
}

// desk records what the screener asked to do on the platform.
type desk struct {
	mu   sync.Mutex
	done []string
	wg   sync.WaitGroup
}

func (d *desk) Moderate(_ context.Context, p care.Principal, id care.ID, a channel.ModerationAction) (*care.Message, error) {
	defer d.wg.Done()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.done = append(d.done, fmt.Sprintf("%s %s %d", p.Actor(), a, id))
	return &care.Message{ID: id}, nil
}

func TestScreen(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		ws := &care.Workspace{Slug: "acme", Name: "Acme"}
		if err := s.CreateWorkspace(ctx, ws); err != nil {
			t.Fatal(err)
		}
		inbox := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelFacebook, Name: "Acme page"}
		if err := s.CreateInbox(ctx, inbox); err != nil {
			t.Fatal(err)
		}
		rules := `{"rules":[{"kind":"spam","action":"hide"},{"kind":"profanity","action":"hide"},{"kind":"low_effort","action":"flag"}]}`
		if _, err := screen.Parse([]byte(rules)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSetting(ctx, ws.ID, screen.SettingName, []byte(rules), time.Now()); err != nil {
			t.Fatal(err)
		}
		reg := &channel.Registry{}
		reg.Register(care.ChannelFacebook, page{})
		d := &desk{}
		sc := &screen.Screener{Store: s, Adapters: reg, Desk: d}
		p := &ingest.Pipeline{Store: s, Screen: sc}
		n := 0
		post := func(vis care.Visibility, text string) *care.Conversation {
			t.Helper()
			n++
			in := care.Inbound{InboxID: inbox.ID, Channel: care.ChannelFacebook, PlatformID: fmt.Sprintf("c%d", n), Visibility: vis,
				Author: care.Author{PlatformUserID: fmt.Sprintf("u%d", n)}, Text: text, SentAt: time.Now()}
			if _, err := s.AppendRaw(ctx, []care.RawEvent{{InboxID: inbox.ID, WorkspaceID: ws.ID, DedupeKey: in.DedupeKey(),
				Payload: []byte(text), Inbound: in, ReceivedAt: time.Now()}}); err != nil {
				t.Fatal(err)
			}
			if _, err := p.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			m, err := s.MessageByPlatformID(ctx, inbox.ID, in.PlatformID)
			if err != nil {
				t.Fatal(err)
			}
			c, err := s.Conversation(ctx, m.ConversationID)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}

		d.wg.Add(1)
		spam := post(care.Public, "Earn $500 a day from home!!! DM me for details, check my profile bit.ly/xx9 💰💰💰")
		d.wg.Wait()
		if !slices.Contains(spam.Tags, "moderated") || len(d.done) != 1 || !strings.HasPrefix(d.done[0], "moderation hide ") {
			t.Errorf("spam: tags %v, platform actions %v; want moderated and one hide by moderation", spam.Tags, d.done)
		}

		// A profane complaint is a complaint: flagged for care, never hidden.
		angry := post(care.Public, "This fucking phone broke again after two days. I want a refund, nobody answers!")
		if !slices.Contains(angry.Tags, "complaint") || !slices.Contains(angry.Tags, "flagged") || len(d.done) != 1 {
			t.Errorf("complaint: tags %v, platform actions %v; want complaint and flagged, nothing hidden", angry.Tags, d.done)
		}
		msgs, err := s.Messages(ctx, angry.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 2 || msgs[1].Visibility != care.Note || !strings.Contains(msgs[1].Text, "complaint") ||
			strings.Contains(msgs[1].Text, "fucking") {
			t.Errorf("complaint note = %+v, want a note naming it a complaint without repeating the word", msgs)
		}

		low := post(care.Public, "nice")
		if !slices.Contains(low.Tags, "flagged") {
			t.Errorf("one-word comment: tags %v, want flagged", low.Tags)
		}
		// Private messages are not comments.
		dm := post(care.Private, "DM me for crypto earnings bit.ly/abc")
		if len(dm.Tags) != 0 {
			t.Errorf("private message screened: tags %v", dm.Tags)
		}
		audit, err := s.Audit(ctx, ws.ID, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		decided := 0
		for _, a := range audit {
			if a.Actor == screen.Actor && a.Action == "moderation.decide" {
				decided++
			}
		}
		if decided != 3 {
			t.Errorf("%d moderation decisions audited, want 3", decided)
		}
	})
}

func TestParse(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"rules":[{"kind":"links","action":"hide","max_links":1,"allow_domains":["acme.com"]}]}`, ""},
		{`{"rules":[{"kind":"spam","action":"reply"}]}`, "saved_reply_id"},
		{`{"rules":[{"kind":"low_effort","action":"reply","saved_reply_id":2}]}`, ""},
		{`{"rules":[{"kind":"repeated","action":"hide","threshold":3,"window":"soon"}]}`, "window"},
		{`{"rules":[{"kind":"colour","action":"hide"}]}`, "olour"},
		{`{"rule":[]}`, `Unknown field "rule" in the moderation settings; the only field is rules.`},
		{`"x"`, "The moderation settings must be a JSON object ({...}), not a string."},
		{`{"rules":[{"kind":"links","action":"hide","maxlinks":2}]}`, `Unknown field "maxlinks" in rules[0] of the moderation settings; ` +
			"the fields are kind, action, max_links, allow_domains, block_domains, words, threshold, window and saved_reply_id."},
		{`{"rules":[{"kind":"links","action":"hide","max_links":"2"}]}`, `In the moderation settings, "rules[0].max_links" must be a whole number, not a string.`},
		{`{"rules":{"kind":"links"}}`, `In the moderation settings, "rules" must be an array, not an object.`},
	} {
		_, err := screen.Parse([]byte(tc.doc))
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("Parse(%s) = %v, want %q", tc.doc, err, tc.want)
		}
	}
}

type replier struct{ sent []string }

func (r *replier) ReplyIn(_ context.Context, _ care.Queries, p care.Principal, _ *care.Conversation, rep deskpkg.Reply, _ time.Time) (*care.Message, error) {
	r.sent = append(r.sent, p.Actor()+": "+rep.Text)
	return &care.Message{ID: 1}, nil
}

func TestReplyAction(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := t.Context()
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	inbox := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelFacebook, Name: "Acme page"}
	if err := s.CreateInbox(ctx, inbox); err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string]string{
		screen.SettingName: `{"rules":[{"kind":"low_effort","action":"reply","saved_reply_id":2}]}`,
		"saved_replies":    `{"replies":[{"id":2,"name":"Thanks","text":"Thanks {{contact.first_name}}! {{workspace.name}}"}]}`,
	} {
		if err := s.SetSetting(ctx, ws.ID, name, []byte(doc), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	reg := &channel.Registry{}
	reg.Register(care.ChannelFacebook, page{})
	rep := &replier{}
	p := &ingest.Pipeline{Store: s, Screen: &screen.Screener{Store: s, Adapters: reg, Replies: rep}}
	in := care.Inbound{InboxID: inbox.ID, Channel: care.ChannelFacebook, PlatformID: "c1", Visibility: care.Public,
		Author: care.Author{PlatformUserID: "u1", DisplayName: "Ana Lima"}, Text: "nice!", SentAt: time.Now()}
	if _, err := s.AppendRaw(ctx, []care.RawEvent{{InboxID: inbox.ID, WorkspaceID: ws.ID, DedupeKey: in.DedupeKey(),
		Payload: []byte("x"), Inbound: in, ReceivedAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(rep.sent) != 1 || rep.sent[0] != "moderation: Thanks Ana! Acme" {
		t.Errorf("replies sent = %q", rep.sent)
	}
}
