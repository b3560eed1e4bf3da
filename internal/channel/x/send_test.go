package x_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

func sendErr(t *testing.T, err error) *channel.SendError {
	t.Helper()
	var se *channel.SendError
	if !errors.As(err, &se) {
		t.Fatalf("Send error = %v, want a *channel.SendError", err)
	}
	return se
}

func TestSendPublicReply(t *testing.T) {
	w := newWorld(t)
	mention := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme my parcel is late & nobody answers"})

	res, err := w.a.Send(context.Background(), w.reply("k1", "Sorry Ana, we're on it & will DM you.", mention.ID, anaID))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	posts := w.fake.Posts()
	if len(posts) != 2 {
		t.Fatalf("fake has %d posts, want 2", len(posts))
	}
	got := posts[1]
	want := xfake.Post{ID: res.PlatformID, AuthorID: brandID, Text: "Sorry Ana, we're on it & will DM you.", InReplyTo: mention.ID,
		Mentions: []string{}, CreatedAt: t0}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("posted reply mismatch (-want +got):\n%s", diff)
	}
	if res.Status != care.DeliverySent {
		t.Errorf("Status = %q", res.Status)
	}
	if want := "99/100 left, resets 10:15:00Z"; res.RateLimit != want {
		t.Errorf("RateLimit = %q, want %q", res.RateLimit, want)
	}
}

func TestSendDM(t *testing.T) {
	w := newWorld(t)
	w.fake.AddDM(xfake.DM{SenderID: anaID, RecipientID: brandID, Text: "Hi, order 881 is missing"})

	res, err := w.a.Send(context.Background(), w.reply("k1", "Hi Ana, which address?", "", anaID))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	dms := w.fake.DMs()
	if len(dms) != 2 || dms[1].ID != res.PlatformID || dms[1].SenderID != brandID || dms[1].RecipientID != anaID || dms[1].Text != "Hi Ana, which address?" {
		t.Errorf("DMs = %+v, result id %q", dms, res.PlatformID)
	}
	if res.RateLimit != "14/15 left, resets 10:15:00Z" {
		t.Errorf("RateLimit = %q", res.RateLimit)
	}
}

func TestSendRefusals(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(w *world) (post, recipient string)
		text      string
		inbox     func(in *care.Inbox)
		attach    bool
		wantCalls int // requests the fake should have seen
		wantIn    string
		wantCode  int
		// refused: this reply's refusal, which leaves the inbox's health
		// alone; the account's troubles are not.
		refused bool
	}{
		{"reply to a post that does not summon the brand", func(w *world) (string, string) {
			p := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "my parcel is late, again"})
			return p.ID, anaID
		}, "Sorry!", nil, false, 1, "only lets apps reply in public to posts that @mention or quote the brand", 403, true},
		{"DM to a customer who does not accept it", func(*world) (string, string) { return "", benID }, "Hi Ben", nil, false, 1,
			"refused the DM", 403, true},
		{"revoked token", func(w *world) (string, string) {
			return w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme help"}).ID, anaID
		}, "On it", func(in *care.Inbox) { in.Credentials["access_token"] = "revoked" }, false, 1, "reconnect the X account", 401, false},
		{"reply to a deleted post", func(w *world) (string, string) {
			p := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme help"})
			w.fake.DeletePost(p.ID)
			return p.ID, anaID
		}, "On it", nil, false, 1, "X cannot find the post replied to: it was deleted, or is not visible", 403, true},
		{"reply to a post X never had", func(*world) (string, string) { return "1880000000000099999", anaID },
			"On it", nil, false, 1, "deleted or not visible to you", 403, true},
		{"reply answered 404", func(w *world) (string, string) {
			w.fake.FailNext(1, 404)
			return w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme help"}).ID, anaID
		}, "On it", nil, false, 1, "may have been deleted", 404, true},
		{"DM to an account X answers 404 for", func(w *world) (string, string) {
			w.fake.FailNext(1, 404)
			return "", anaID
		}, "Hi", nil, false, 1, "cannot find the customer's account", 404, true},
		{"too long for X", func(w *world) (string, string) {
			return w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme help"}).ID, anaID
		}, strings.Repeat("長", 141), nil, false, 0, "282 characters as X counts them", 0, false},
		{"attachments", func(w *world) (string, string) { return "", anaID }, "see", nil, true, 0, "cannot send attachments", 0, false},
		{"no access token", func(*world) (string, string) { return "", anaID }, "hi",
			func(in *care.Inbox) { delete(in.Credentials, "access_token") }, false, 0, "no access token", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			post, recipient := tt.setup(w)
			out := w.reply("k", tt.text, post, recipient)
			if tt.inbox != nil {
				tt.inbox(&out.Inbox)
			}
			if tt.attach {
				out.Message.Attachments = []care.Attachment{{Kind: "image", URL: "https://example.com/a.png"}}
			}
			before := len(w.fake.Posts()) + len(w.fake.DMs())
			_, err := w.a.Send(context.Background(), out)
			se := sendErr(t, err)
			if !se.Permanent || se.Status != tt.wantCode || !strings.Contains(se.Reason, tt.wantIn) || se.Refused != tt.refused {
				t.Errorf("SendError = %+v, want permanent, status %d, refused %v, reason containing %q", se, tt.wantCode, tt.refused, tt.wantIn)
			}
			if calls := w.fake.Calls(xfake.CreatePost) + w.fake.Calls(xfake.SendDM); calls != tt.wantCalls {
				t.Errorf("fake saw %d sends, want %d", calls, tt.wantCalls)
			}
			if after := len(w.fake.Posts()) + len(w.fake.DMs()); after != before {
				t.Errorf("a refused reply changed the fake: %d items, then %d", before, after)
			}
		})
	}
}

func TestSendNothingToReplyTo(t *testing.T) {
	w := newWorld(t)
	out := w.reply("k", "Hello", "", anaID)
	out.Message.Visibility = care.Public
	_, err := w.a.Send(context.Background(), out)
	if se := sendErr(t, err); !se.Permanent || !strings.Contains(se.Reason, "nothing to reply to") {
		t.Errorf("SendError = %+v", se)
	}
	if n := w.fake.Calls(xfake.CreatePost); n != 0 {
		t.Errorf("%d posts attempted", n)
	}
}

// A spent rate window is waited out until the reset X names: the
// 15-minute window's, and a daily cap's even when that is most of a day
// away, since an hour's wait would only spend the outbox's attempts on
// refusals.
func TestSendRateLimited(t *testing.T) {
	for _, tc := range []struct {
		name  string
		limit func(*xfake.Fake)
		// want is the wait and budget asked for 4 minutes after the
		// window opened; early, a time before the reset to try again at.
		want  *channel.SendError
		early time.Duration
	}{
		{"15-minute window", func(f *xfake.Fake) { f.SetLimit(xfake.CreatePost, 1) },
			// Resets at t0+15m, plus the second X's whole-second reset asks for.
			&channel.SendError{Status: 429, RetryAfter: 11*time.Minute + time.Second, RateLimit: "0/1 left, resets 10:15:00Z"}, 0},
		{"daily cap", func(f *xfake.Fake) { f.SetDailyLimit(xfake.CreatePost, 1) },
			&channel.SendError{Status: 429, RetryAfter: 24*time.Hour - 4*time.Minute + time.Second, RateLimit: "0/1 left, resets 10:00:00Z (daily)"}, time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			tc.limit(w.fake)
			m1 := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme one"})
			m2 := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme two"})
			if _, err := w.a.Send(context.Background(), w.reply("k1", "First answer", m1.ID, anaID)); err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(4 * time.Minute)
			_, err := w.a.Send(context.Background(), w.reply("k2", "Second answer", m2.ID, anaID))
			se := sendErr(t, err)
			if se.Permanent || se.Refused || se.Status != tc.want.Status || se.RetryAfter != tc.want.RetryAfter || se.RateLimit != tc.want.RateLimit {
				t.Fatalf("SendError = %+v, want temporary %+v", se, tc.want)
			}
			if !strings.Contains(se.Reason, "rate limit") {
				t.Errorf("Reason = %q", se.Reason)
			}
			if tc.early > 0 {
				w.clock.Advance(tc.early)
				if _, err := w.a.Send(context.Background(), w.reply("k2", "Second answer", m2.ID, anaID)); err == nil {
					t.Fatalf("Send %v later succeeded; the cap should still hold", tc.early)
				}
			}
			w.clock.Advance(se.RetryAfter - tc.early)
			if _, err := w.a.Send(context.Background(), w.reply("k2", "Second answer", m2.ID, anaID)); err != nil {
				t.Errorf("Send after the reset: %v", err)
			}
		})
	}
}

func TestSendServiceUnavailable(t *testing.T) {
	w := newWorld(t)
	m := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme hello"})
	w.fake.FailNext(1, 503)
	_, err := w.a.Send(context.Background(), w.reply("k1", "Hello Ana", m.ID, anaID))
	if se := sendErr(t, err); se.Permanent || se.Status != 503 {
		t.Fatalf("SendError = %+v, want temporary 503", se)
	}
	// The retry first checks whether the failed attempt posted (it did
	// not), then posts once.
	res, err := w.a.Send(context.Background(), w.reply("k1", "Hello Ana", m.ID, anaID))
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if n := w.fake.Calls(xfake.UserPosts); n != 1 {
		t.Errorf("%d lookups before the retry, want 1", n)
	}
	if posts := w.fake.Posts(); len(posts) != 2 || posts[1].ID != res.PlatformID {
		t.Errorf("posts = %+v", posts)
	}
}

// A reply whose answer is lost is not posted twice: the next attempt finds
// it on X.
func TestSendLostResponseIsNotRepeated(t *testing.T) {
	for _, public := range []bool{true, false} {
		name := map[bool]string{true: "public reply", false: "DM"}[public]
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			m := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme is the store open?"})
			w.fake.AddDM(xfake.DM{SenderID: anaID, RecipientID: brandID, Text: "and my refund?"})
			target := ""
			if public {
				target = m.ID
			}
			out := w.reply("parley-message-42", "Yes, until 8pm. https://acme.example/hours", target, anaID)
			w.fake.LoseResponses(1)
			_, err := w.a.Send(context.Background(), out)
			if se := sendErr(t, err); se.Permanent {
				t.Fatalf("lost response: %+v, want temporary", se)
			}
			w.clock.Advance(time.Minute)
			res, err := w.a.Send(context.Background(), out)
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			var ids []string
			if public {
				for _, p := range w.fake.Posts() {
					if p.AuthorID == brandID {
						ids = append(ids, p.ID)
					}
				}
			} else {
				for _, d := range w.fake.DMs() {
					if d.SenderID == brandID {
						ids = append(ids, d.ID)
					}
				}
			}
			if len(ids) != 1 || res.PlatformID != ids[0] {
				t.Errorf("brand's items on X %v, result %q: want exactly one, reported", ids, res.PlatformID)
			}
			if n := w.fake.Calls(xfake.CreatePost) + w.fake.Calls(xfake.SendDM); n != 1 {
				t.Errorf("%d send requests, want 1", n)
			}
			// Settled: a later send with the key posts normally.
			if _, err := w.a.Send(context.Background(), w.reply("parley-message-42", "Anything else?", target, anaID)); err != nil {
				t.Errorf("later send: %v", err)
			}
		})
	}
}

func TestSendDuplicateText(t *testing.T) {
	w := newWorld(t)
	m1 := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme hi"})
	m2 := w.fake.AddPost(xfake.Post{AuthorID: benID, Text: "@acme hello"})
	if _, err := w.a.Send(context.Background(), w.reply("k1", "Thanks, we're looking into it.", m1.ID, anaID)); err != nil {
		t.Fatal(err)
	}
	_, err := w.a.Send(context.Background(), w.reply("k2", "Thanks, we're looking into it.", m2.ID, benID))
	if se := sendErr(t, err); !se.Permanent || !se.Refused || !strings.Contains(se.Reason, "duplicate") || !strings.Contains(se.Reason, "reword") {
		t.Errorf("SendError = %+v", se)
	}
}

// An inbox with an OAuth 1.0a token signs its requests; the fake checks the
// signature.
func TestSendOAuth1(t *testing.T) {
	w := newWorld(t)
	w.fake.AuthorizeOAuth1("ckey", secret, "1111-oauth1token", "tsecret", brandID)
	w.inbox.Credentials["access_token"] = "1111-oauth1token"
	w.inbox.Credentials["access_token_secret"] = "tsecret"
	w.inbox.Credentials["consumer_key"] = "ckey"
	m := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme signed?"})
	res, err := w.a.Send(context.Background(), w.reply("k1", "Signed reply", m.ID, anaID))
	if err != nil || res.PlatformID == "" {
		t.Fatalf("Send = %+v, %v", res, err)
	}
	if _, _, err := w.a.Poll(context.Background(), w.inbox, ""); err != nil {
		t.Errorf("Poll with query parameters signed: %v", err)
	}
	w.inbox.Credentials["access_token_secret"] = "wrong"
	_, err = w.a.Send(context.Background(), w.reply("k2", "Badly signed", m.ID, anaID))
	if se := sendErr(t, err); !se.Permanent || se.Status != 401 {
		t.Errorf("wrong token secret: %+v, want 401", se)
	}
}

// X's usage-capped 429 is told apart from a spent 15-minute window: the
// App's cap resets with its billing cycle, weeks away at worst, so the reply
// fails at once, and (the account's trouble) is not Refused.
func TestSendUsageCapped(t *testing.T) {
	w := newWorld(t)
	m := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme hello"})
	w.fake.CapUsage(1)
	_, err := w.a.Send(context.Background(), w.reply("k1", "Hello Ana", m.ID, anaID))
	se := sendErr(t, err)
	if !se.Permanent || se.Refused || se.RetryAfter != 0 || se.Status != 429 {
		t.Errorf("SendError = %+v, want a permanent 429, not refused, without a wait", se)
	}
	for _, want := range []string{"usage cap", "monthly", "billing cycle", "Monthly product cap"} {
		if !strings.Contains(se.Reason, want) {
			t.Errorf("Reason = %q, want it to mention %q", se.Reason, want)
		}
	}
	if n := w.fake.Calls(xfake.CreatePost); n != 1 {
		t.Errorf("%d posts attempted, want 1", n)
	}
}
