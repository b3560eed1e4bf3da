package youtube

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/youtube/ytfake"
)

// outbound is a public reply answering replyTo, with the contact Ana.
func (r *rig) outbound(text, replyTo string) channel.Outbound {
	return channel.Outbound{
		Inbox:          r.inbox,
		Message:        care.Message{ID: 41, Visibility: care.Public, Text: text, ReplyToPlatformID: replyTo},
		Contact:        care.Contact{ID: 5, Identities: []care.Identity{{ID: 1, Platform: care.ChannelYouTube, PlatformUserID: "UCana", Handle: "anasilva"}}},
		IdempotencyKey: "parley-message-41",
	}
}

func (r *rig) send(t *testing.T, out channel.Outbound) (channel.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return r.adapter.Send(ctx, out)
}

func TestSend(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	top := r.fake.Comment(ana, ytfake.DefaultVideoID, "My order never came")
	res, err := r.send(t, r.outbound("Sorry Ana! DM us your order number.", top))
	if err != nil {
		t.Fatal(err)
	}
	posted := r.fake.Replies()
	if len(posted) != 1 || res.PlatformID != posted[0].ID || res.Status != care.DeliverySent {
		t.Fatalf("Send = %+v; fake has %+v", res, posted)
	}
	if p := posted[0]; p.ParentID != top || p.Text != "Sorry Ana! DM us your order number." {
		t.Errorf("posted %+v", p)
	}
	var body map[string]map[string]string
	if err := json.Unmarshal(posted[0].Body, &body); err != nil || len(body["snippet"]) != 2 {
		t.Errorf("request body %s, want a snippet with parentId and textOriginal", posted[0].Body)
	}
	if res.RateLimit != "50/10000 units today (polling 0/6000), resets 08:00Z" {
		t.Errorf("RateLimit = %q", res.RateLimit)
	}
	if q := r.fake.QuotaUsed(); q != 50 {
		t.Errorf("the fake charged %d units, want 50", q)
	}
}

// TestSendToReply sends a reply to a reply to its thread, naming the
// person answered when it is the customer's last message.
func TestSendToReply(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	top := r.fake.Comment(ben, ytfake.DefaultVideoID, "Battery drains fast")
	reply, _ := r.fake.Reply(ana, top, "Same for me")
	edit := EditID(reply, testNow)
	for _, tt := range []struct {
		name    string
		replyTo string
		last    *care.Message
		text    string
		want    string
	}{
		{"the last message, by the contact", reply, &care.Message{PlatformID: reply, ContactID: 5}, "A fix ships Friday.", "@anasilva A fix ships Friday."},
		{"its edit", edit, &care.Message{PlatformID: reply, ContactID: 5}, "A fix ships Friday.", "@anasilva A fix ships Friday."},
		{"by someone else, named as handles are", reply, &care.Message{PlatformID: reply, ContactID: 9, AuthorName: "@carla.b"}, "Thanks!", "@carla.b Thanks!"},
		{"already named", reply, &care.Message{PlatformID: reply, ContactID: 5}, "Thanks @AnaSilva, fixed.", "Thanks @AnaSilva, fixed."},
		{"not the last message", reply, &care.Message{PlatformID: top, ContactID: 5}, "Hello", "Hello"},
		{"no handle known", reply, &care.Message{PlatformID: reply, ContactID: 9, AuthorName: "Carla B"}, "Hello", "Hello"},
		{"the last message answered, by default", "", &care.Message{PlatformID: reply, ContactID: 5}, "Hi", "@anasilva Hi"},
		{"a top-level comment needs no name", top, &care.Message{PlatformID: top, ContactID: 5}, "Hi", "Hi"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := r.outbound(tt.text, tt.replyTo)
			out.LastInbound = tt.last
			if _, err := r.send(t, out); err != nil {
				t.Fatal(err)
			}
			posted := r.fake.Replies()
			if p := posted[len(posted)-1]; p.ParentID != top || p.Text != tt.want {
				t.Errorf("posted to %s: %q; want to %s: %q", p.ParentID, p.Text, top, tt.want)
			}
		})
	}
	// A name that would make the reply too long is left out.
	out := r.outbound(strings.Repeat("a", MaxTextChars), reply)
	out.LastInbound = &care.Message{PlatformID: reply, ContactID: 5}
	if _, err := r.send(t, out); err != nil {
		t.Fatalf("a reply of %d characters: %v", MaxTextChars, err)
	}
	if p := r.fake.Replies(); len([]rune(p[len(p)-1].Text)) != MaxTextChars {
		t.Errorf("the name was added past the limit")
	}
}

func TestSendRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	top := r.fake.Comment(ana, ytfake.DefaultVideoID, "A question")
	off := r.fake.Comment(ana, "offvideo123", "On a video whose comments go off")
	r.fake.DisableComments("offvideo123")
	private := r.outbound("psst", top)
	private.Message.Visibility = care.Private
	files := r.outbound("see attached", top)
	files.Message.Attachments = []care.Attachment{{Kind: "image", URL: "https://example.com/a.png"}}
	for _, tt := range []struct {
		name    string
		out     channel.Outbound
		reason  string
		refused bool // the video's or comment's refusal, not the channel's
	}{
		{"private", private, "no private messages", false},
		{"attachments", files, "text only", false},
		{"empty", r.outbound(" \n ", top), "empty", false},
		{"too long", r.outbound(strings.Repeat("ü", MaxTextChars+1), top), "10000 characters", false},
		{"no comment answered", r.outbound("hello", ""), "answers no YouTube comment", false},
		{"not a comment id", r.outbound("hello", "1111111:1365"), "answers no YouTube comment", false},
		{"comments off", r.outbound("hello", off), "comments are turned off on this video (commentsDisabled)", true},
		{"the comment is gone", r.outbound("hello", "UgzGoneGoneGone000000AaABAg"), "parentCommentNotFound", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.send(t, tt.out)
			var se *channel.SendError
			if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, tt.reason) || se.Refused != tt.refused {
				t.Errorf("Send = %+v, want a permanent failure saying %q, refused %v", se, tt.reason, tt.refused)
			}
		})
	}
	if n := len(r.fake.Replies()); n != 0 {
		t.Errorf("%d replies posted", n)
	}
}

// YouTube's refusals of a reply's text (comments.insert's 400s
// commentTextTooLong, commentTextRequired, invalidCustomEmoji) concern that
// reply alone: Refused, so the inbox's health stays clear, with a reason
// the agent can act on. processingFailure, which the reference ties to the
// request's structure rather than to one reply, stays on the health line.
func TestSendTextRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	top := r.fake.Comment(ana, ytfake.DefaultVideoID, "A question")
	for _, tt := range []struct {
		reason  string
		want    string
		refused bool
	}{
		{"commentTextTooLong", "YouTube refused the reply: it is longer than YouTube's 10,000 characters (commentTextTooLong): shorten it", true},
		{"commentTextRequired", "YouTube refused the reply: it is empty (commentTextRequired)", true},
		{"invalidCustomEmoji", "YouTube refused the reply: it holds a custom emoji YouTube does not take (invalidCustomEmoji): remove it", true},
		{"processingFailure", "processingFailure", false},
	} {
		t.Run(tt.reason, func(t *testing.T) {
			r.fake.FailNextOn("/youtube/v3/comments", 1, 400, tt.reason)
			_, err := r.send(t, r.outbound("Thanks, Ana! :custom-emoji:", top))
			var se *channel.SendError
			if !errors.As(err, &se) || !se.Permanent || se.Status != 400 || !strings.Contains(se.Reason, tt.want) || se.Refused != tt.refused {
				t.Errorf("Send = %+v, want a permanent 400 saying %q, refused %v", se, tt.want, tt.refused)
			}
		})
	}
	if n := len(r.fake.Replies()); n != 0 {
		t.Errorf("%d replies posted", n)
	}
}

func TestSendTemporary(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	top := r.fake.Comment(ana, ytfake.DefaultVideoID, "A question")
	var se *channel.SendError
	r.fake.FailNext(1, 403, "rateLimitExceeded")
	if _, err := r.send(t, r.outbound("hello", top)); !errors.As(err, &se) || se.Permanent || se.RetryAfter != time.Minute {
		t.Errorf("Send when rate limited = %v", err)
	}
	// The day's quota spent: queued until the Pacific midnight reset.
	r.inbox.Credentials[CredDailyQuota] = "60" // 50 spent on the rate-limited attempt
	if _, err := r.send(t, r.outbound("hello", top)); !errors.As(err, &se) || se.Permanent || se.RetryAfter != 22*time.Hour ||
		!strings.Contains(se.Reason, "the reply will be sent after midnight Pacific Time (08:00 UTC)") || se.RateLimit == "" {
		t.Errorf("Send past the quota = %v", err)
	}
	if n := len(r.fake.Replies()); n != 0 {
		t.Errorf("%d replies posted", n)
	}
	// YouTube's own quotaExceeded, the project shared with others.
	r2 := newRig(t)
	top2 := r2.fake.Comment(ana, ytfake.DefaultVideoID, "A question")
	r2.fake.SpendQuota(9_990)
	if _, err := r2.send(t, r2.outbound("hello", top2)); !errors.As(err, &se) || se.Permanent || !strings.Contains(se.Reason, "quotaExceeded") {
		t.Errorf("Send when YouTube's quota is spent = %v", err)
	}
}

// TestSendOnce retries a reply whose answer was lost: the retry finds the
// reply posted and does not post it again.
func TestSendOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	top := r.fake.Comment(ana, ytfake.DefaultVideoID, "A question")
	out := r.outbound("Here is the answer.", top)
	r.fake.DropInsertResponses(1)
	_, err := r.send(t, out)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Fatalf("Send with its answer lost = %v, want a temporary failure", err)
	}
	r.clock.Add(time.Minute)
	res, err := r.send(t, out)
	if err != nil {
		t.Fatal(err)
	}
	posted := r.fake.Replies()
	if len(posted) != 1 || res.PlatformID != posted[0].ID {
		t.Errorf("retry = %+v; fake has %d replies, want the first one", res, len(posted))
	}
	// Another message with the same text is another reply.
	other := r.outbound("Here is the answer.", top)
	other.IdempotencyKey = "parley-message-42"
	if _, err := r.send(t, other); err != nil || len(r.fake.Replies()) != 2 {
		t.Errorf("a second message: %v, %d replies", err, len(r.fake.Replies()))
	}
	// A reply that failed for certain is posted on its retry.
	r.fake.FailNext(1, 503, "backendError")
	third := r.outbound("Third.", top)
	third.IdempotencyKey = "parley-message-43"
	if _, err := r.send(t, third); err == nil {
		t.Fatal("Send when YouTube fails succeeded")
	}
	if _, err := r.send(t, third); err != nil || len(r.fake.Replies()) != 3 {
		t.Errorf("retry after a failure: %v, %d replies", err, len(r.fake.Replies()))
	}
}
