package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/bluesky/bskyfake"
)

// thread is a brand post, Ana's reply to it, and Ana's follow-up to her
// own reply: root ≠ parent for an answer to the follow-up.
type thread struct{ root, first, followUp bskyfake.Post }

func (w *world) thread(t *testing.T) thread {
	t.Helper()
	root := w.publish(t, brandDID, bskyfake.PostInput{Text: "Our winter sale starts today!"})
	first := w.publish(t, anaDID, bskyfake.PostInput{Text: "My order 881 never arrived", ReplyTo: root.URI})
	follow := w.publish(t, anaDID, bskyfake.PostInput{Text: "Still nothing 😞", ReplyTo: first.URI})
	return thread{root, first, follow}
}

func publicReply(in care.Inbox, text, replyTo string, id int64) channel.Outbound {
	return channel.Outbound{Inbox: in, IdempotencyKey: fmt.Sprint("parley-message-", id),
		Message: care.Message{ID: care.ID(id), Visibility: care.Public, Text: text, ReplyToPlatformID: replyTo,
			CreatedAt: testNow.Add(time.Duration(id) * time.Second)}}
}

func dm(in care.Inbox, text, to string) channel.Outbound {
	return channel.Outbound{Inbox: in, IdempotencyKey: "parley-message-9",
		Message: care.Message{ID: 9, Visibility: care.Private, Text: text, CreatedAt: testNow},
		Contact: care.Contact{Identities: []care.Identity{{Platform: care.ChannelBluesky, PlatformUserID: to}}}}
}

func TestSendPublicReply(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	th := w.thread(t)
	text := "Sorry @ana.bsky.social 🙏 it ships today: https://acme.example.com/track/881"
	out := publicReply(w.in, text, th.followUp.URI, 1)
	res, err := w.a.Send(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	post, ok := w.fake.Post(res.PlatformID)
	if !ok || res.Status != care.DeliverySent || res.RateLimit == "" {
		t.Fatalf("Send = %+v; post on the fake: %v", res, ok)
	}
	if want := "at://" + brandDID + "/app.bsky.feed.post/" + recordKey(out.IdempotencyKey, out.Message.CreatedAt); res.PlatformID != want {
		t.Errorf("PlatformID = %q, want the key derived from the idempotency key, %q", res.PlatformID, want)
	}
	if post.Root.URI != th.root.URI || post.Root.CID != th.root.CID || post.Parent.URI != th.followUp.URI || post.Parent.CID != th.followUp.CID {
		t.Errorf("reply refs root %+v parent %+v; want the brand's post and Ana's follow-up", post.Root, post.Parent)
	}
	var rec struct {
		Type      string  `json:"$type"`
		Text      string  `json:"text"`
		CreatedAt string  `json:"createdAt"`
		Facets    []facet `json:"facets"`
	}
	if err := json.Unmarshal(post.Record, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Type != postCollection || rec.Text != text || !strings.HasSuffix(rec.CreatedAt, "Z") {
		t.Errorf("record = %+v", rec)
	}
	wantFacets := []facet{
		{Index: byteSlice{6, 22}, Features: []facetValue{{Type: "app.bsky.richtext.facet#mention", DID: anaDID}}},
		{Index: byteSlice{44, 78}, Features: []facetValue{{Type: "app.bsky.richtext.facet#link", URI: "https://acme.example.com/track/881"}}},
	}
	if diff := cmp.Diff(wantFacets, rec.Facets); diff != "" {
		t.Errorf("facets (-want +got):\n%s", diff)
	}
	// The same reply again: the key is taken, the post is found, nothing
	// is posted twice.
	again, err := w.a.Send(context.Background(), out)
	if err != nil || again.PlatformID != res.PlatformID {
		t.Errorf("second Send = %+v, %v; want the same post", again, err)
	}
	if n := len(w.fake.Posts()); n != 4 {
		t.Errorf("%d posts on the fake, want 4", n)
	}
}

// A reply whose answer is lost is not posted twice: the retry finds the
// post at its key.
func TestSendLostAnswer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	th := w.thread(t)
	w.fake.LoseNext(bskyfake.CreateRecord, 1)
	out := publicReply(w.in, "We're on it", th.first.URI, 2)
	_, err := w.a.Send(context.Background(), out)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Fatalf("Send with a lost answer = %v, want a temporary error", err)
	}
	res, err := w.a.Send(context.Background(), out)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	posts := w.fake.Posts()
	if last := posts[len(posts)-1]; len(posts) != 4 || last.URI != res.PlatformID || last.Text != "We're on it" {
		t.Errorf("after the retry: %d posts, last %+v; result %+v", len(posts), last, res)
	}
	if n := w.fake.Calls(bskyfake.GetRecord); n != 1 {
		t.Errorf("getRecord calls = %d, want 1", n)
	}
}

func TestSendErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		setup     func(w *world, th thread) channel.Outbound
		permanent bool
		reason    string
		retry     time.Duration // at least
		refused   bool          // this reply's refusal, not the account's
	}{
		{"attachment", func(w *world, th thread) channel.Outbound {
			o := publicReply(w.in, "see", th.first.URI, 1)
			o.Message.Attachments = []care.Attachment{{Kind: "image", URL: "https://x.example/a.png"}}
			return o
		}, true, "attachments", 0, false},
		{"empty", func(w *world, th thread) channel.Outbound { return publicReply(w.in, "  ", th.first.URI, 1) }, true, "empty", 0, false},
		{"nothing to reply to", func(w *world, th thread) channel.Outbound { return publicReply(w.in, "hi", "", 1) }, true, "nothing to reply to", 0, false},
		{"a DM id as parent", func(w *world, th thread) channel.Outbound {
			return publicReply(w.in, "hi", "3ku7w6h4vog2d:3lbq7g3333322", 1)
		}, true, "not a Bluesky post", 0, false},
		{"too long", func(w *world, th thread) channel.Outbound {
			return publicReply(w.in, strings.Repeat("é", 301), th.first.URI, 1)
		}, true, "301 characters", 0, false},
		{"parent gone", func(w *world, th thread) channel.Outbound {
			return publicReply(w.in, "hi", "at://"+anaDID+"/app.bsky.feed.post/3zzzzzzzzzz2y", 1)
		}, true, "no longer on Bluesky", 0, true},
		{"refused", func(w *world, th thread) channel.Outbound {
			w.fake.FailNext(bskyfake.CreateRecord, 1, http.StatusBadRequest)
			return publicReply(w.in, "hi", th.first.URI, 1)
		}, true, "Bluesky refused posting the reply", 0, false},
		{"rate limited", func(w *world, th thread) channel.Outbound {
			w.fake.FailNext(bskyfake.CreateRecord, 1, http.StatusTooManyRequests)
			return publicReply(w.in, "hi", th.first.URI, 1)
		}, false, "rate limit", 50 * time.Second, false},
		{"server error, nothing posted", func(w *world, th thread) channel.Outbound {
			w.fake.FailNext(bskyfake.CreateRecord, 1, http.StatusBadGateway)
			return publicReply(w.in, "hi", th.first.URI, 1)
		}, false, "having trouble", 0, false},
		{"DM to someone who only accepts followed accounts", func(w *world, th thread) channel.Outbound { return dm(w.in, "hi", benDID) }, true, "accept messages only from accounts they follow", 0, true},
		{"DM without a Bluesky identity", func(w *world, th thread) channel.Outbound {
			o := dm(w.in, "hi", anaDID)
			o.Contact.Identities[0].Platform = care.ChannelX
			return o
		}, true, "no Bluesky account", 0, false},
		{"DM to a non-DID", func(w *world, th thread) channel.Outbound { return dm(w.in, "hi", "ana.bsky.social") }, true, "not a DID", 0, false},
		{"DM too long", func(w *world, th thread) channel.Outbound { return dm(w.in, strings.Repeat("a", 1001), anaDID) }, true, "1001 characters", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			th := w.thread(t)
			_, err := w.a.Send(context.Background(), tt.setup(w, th))
			var se *channel.SendError
			if !errors.As(err, &se) {
				t.Fatalf("Send = %v, want a *channel.SendError", err)
			}
			if se.Permanent != tt.permanent || !strings.Contains(se.Reason, tt.reason) || se.RetryAfter < tt.retry || se.Refused != tt.refused {
				t.Errorf("Send = permanent %v, reason %q, retry %v, refused %v; want permanent %v, a reason with %q, retry ≥ %v, refused %v",
					se.Permanent, se.Reason, se.RetryAfter, se.Refused, tt.permanent, tt.reason, tt.retry, tt.refused)
			}
			if strings.ContainsAny(se.Reason, "\n\r") || strings.Contains(se.Reason, brandPass) {
				t.Errorf("Reason %q is not one safe line", se.Reason)
			}
		})
	}
}

func TestSendDM(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.fake.ExpireAccessTokens() // nothing issued yet: a no-op
	res, err := w.a.Send(context.Background(), dm(w.in, "Hi Ana, could you send the order number? https://acme.example.com/help", anaDID))
	if err != nil {
		t.Fatal(err)
	}
	msgs := w.fake.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages on the fake, want 1", len(msgs))
	}
	m := msgs[0]
	if res.PlatformID != m.ConvoID+":"+m.ID || m.Sender != brandDID || !strings.HasPrefix(m.Text, "Hi Ana") || res.Status != care.DeliverySent {
		t.Errorf("Send = %+v, fake has %+v", res, m)
	}
	if !strings.Contains(string(m.Facets), "app.bsky.richtext.facet#link") {
		t.Errorf("DM facets = %s, want the link", m.Facets)
	}
	// The token expires between two DMs: renewed, sent.
	w.fake.ExpireAccessTokens()
	if _, err := w.a.Send(context.Background(), dm(w.in, "Thanks!", anaDID)); err != nil {
		t.Fatalf("DM after the token expired: %v", err)
	}
	if n := w.fake.Calls(bskyfake.CreateSession); n != 1 {
		t.Errorf("createSession calls = %d, want 1", n)
	}
}

func TestSendDMWithoutDMAccess(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.fake.AddAccount(bskyfake.Account{DID: brandDID, Handle: brandHandle, AppPassword: brandPass, NoDMAccess: true})
	_, err := w.a.Send(context.Background(), dm(w.in, "hi", anaDID))
	var se *channel.SendError
	if !errors.As(err, &se) || !se.Permanent || se.Refused || !strings.Contains(se.Reason, "no access to direct messages") {
		t.Fatalf("Send = %v, want a permanent error about DM access, the account's", err)
	}
	if n := w.fake.Calls(bskyfake.RefreshSession); n != 0 {
		t.Errorf("refreshSession calls = %d: a missing privilege is not an expired token", n)
	}
}
