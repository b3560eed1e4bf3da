package reddit

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/reddit/redditfake"
)

func TestSend(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := e.fake.Post("some_customer", "Router issues after firmware 2.1", "")
	comment := e.fake.Comment(redditfake.Comment{From: "some_customer", Parent: post, Body: "u/AcmeSupport help"})
	pm := e.fake.Message(redditfake.Message{From: "some_customer", Subject: "Order", Body: "where is it"})

	t.Run("public reply to a comment", func(t *testing.T) {
		res, err := e.a.Send(e.ctx, outbound(e.in, care.Public, "We are **on it**.", comment))
		if err != nil {
			t.Fatal(err)
		}
		p := e.fake.Posted()
		last := p[len(p)-1]
		if last.Kind != "comment" || last.ThingID != comment || last.Text != "We are **on it**." || res.PlatformID != last.Name ||
			res.Status != care.DeliverySent || !strings.HasSuffix(res.RateLimit, "left, resets 10:10:00Z") {
			t.Errorf("result %+v, posted %+v", res, last)
		}
	})
	t.Run("public reply to the last comment of a post", func(t *testing.T) {
		out := outbound(e.in, care.Public, "Thanks for the post.", "")
		out.LastInbound = &care.Message{PlatformID: post, Visibility: care.Public}
		res, err := e.a.Send(e.ctx, out)
		if err != nil {
			t.Fatal(err)
		}
		if p := e.fake.Posted(); p[len(p)-1].ThingID != post || !strings.HasPrefix(res.PlatformID, "t1_") {
			t.Errorf("result %+v, posted %+v", res, p[len(p)-1])
		}
	})
	t.Run("private reply in a thread of messages", func(t *testing.T) {
		out := outbound(e.in, care.Private, "Let me check your order.", "")
		out.LastInbound = &care.Message{PlatformID: pm, Visibility: care.Private}
		res, err := e.a.Send(e.ctx, out)
		if err != nil {
			t.Fatal(err)
		}
		p := e.fake.Posted()
		if last := p[len(p)-1]; last.Kind != "reply" || last.ThingID != pm || res.PlatformID != last.Name || !strings.HasPrefix(res.PlatformID, "t4_") {
			t.Errorf("result %+v, posted %+v", res, last)
		}
	})
	t.Run("private reply to a public comment is a new message", func(t *testing.T) {
		res, err := e.a.Send(e.ctx, outbound(e.in, care.Private, "Could you send us your order number?", comment))
		if err != nil {
			t.Fatal(err)
		}
		p := e.fake.Posted()
		last := p[len(p)-1]
		if last.Kind != "compose" || last.To != "some_customer" || last.Subject != "Re: Router issues after firmware 2.1" || res.PlatformID != last.Name {
			t.Errorf("result %+v, posted %+v", res, last)
		}
	})
}

func TestSendRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := e.fake.Post("some_customer", "Router issues", "")
	comment := e.fake.Comment(redditfake.Comment{From: "some_customer", Parent: post, Body: "u/AcmeSupport help"})
	pm := e.fake.Message(redditfake.Message{From: "some_customer", Subject: "Order", Body: "where is it"})
	tests := []struct {
		name      string
		before    func()
		out       func() channel.Outbound
		permanent bool
		retry     time.Duration
		reason    string
		refused   bool // this reply's refusal, not the account's
	}{
		{"ratelimit", func() { e.fake.SlowDown("you are doing that too much. try again in 5 minutes.") },
			func() channel.Outbound { return outbound(e.in, care.Public, "hi", comment) }, false, 5*time.Minute + time.Second, "slow down", false},
		{"ratelimit in seconds", func() {
			e.fake.SlowDown("Looks like you've been doing that a lot. Take a break for 9 seconds before trying again.")
		},
			func() channel.Outbound { return outbound(e.in, care.Private, "hi", pm) }, false, 10 * time.Second, "slow down", false},
		// Reddit's refusals of the text concern this reply alone: the
		// inbox stays green, and the reason says what to change.
		{"too long for Reddit", func() { e.fake.Refuse("TOO_LONG", "this is too long (max: 10000)", "text") },
			func() channel.Outbound { return outbound(e.in, care.Public, "hi", comment) }, true, 0,
			"Reddit refused the reply: it is longer than 10,000 characters; shorten it, or split it into two replies (TOO_LONG)", true},
		{"message too long for Reddit", func() { e.fake.Refuse("TOO_LONG", "this is too long (max: 10000)", "text") },
			func() channel.Outbound { return outbound(e.in, care.Private, "hi", comment) }, true, 0, "longer than 10,000 characters", true},
		{"subject too long for Reddit", func() { e.fake.Refuse("TOO_LONG", "this is too long (max: 100)", "subject") },
			func() channel.Outbound { return outbound(e.in, care.Private, "hi", comment) }, true, 0,
			"Reddit refused the message: its subject is longer than 100 characters (TOO_LONG)", true},
		{"empty for Reddit", func() { e.fake.Refuse("NO_TEXT", "we need something here", "text") },
			func() channel.Outbound { return outbound(e.in, care.Private, "hi", pm) }, true, 0, "Reddit refused the reply: it is empty (NO_TEXT)", true},
		{"empty", nil, func() channel.Outbound { return outbound(e.in, care.Public, "  ", comment) }, true, 0, "empty", false},
		{"too long", nil, func() channel.Outbound {
			return outbound(e.in, care.Public, strings.Repeat("é", MaxTextChars+1), comment)
		}, true, 0, "10,000", false},
		{"attachment", nil, func() channel.Outbound {
			o := outbound(e.in, care.Public, "see", comment)
			o.Message.Attachments = []care.Attachment{{Kind: "image", URL: "https://x/a.png"}}
			return o
		}, true, 0, "attach", false},
		{"public reply to a message", nil, func() channel.Outbound { return outbound(e.in, care.Public, "hi", pm) }, true, 0, "reply privately", false},
		{"public reply to nothing", nil, func() channel.Outbound { return outbound(e.in, care.Public, "hi", "") }, true, 0, "none to answer", false},
		{"note", nil, func() channel.Outbound { return outbound(e.in, care.Note, "hi", comment) }, true, 0, "only public and private", false},
		{"deleted account", nil, func() channel.Outbound {
			o := outbound(e.in, care.Private, "hi", comment)
			o.Contact.Identities[0].PlatformUserID, o.Contact.Identities[0].Handle = "[deleted]/"+comment, ""
			return o
		}, true, 0, "account was deleted", true},
		{"no identity", nil, func() channel.Outbound {
			o := outbound(e.in, care.Private, "hi", comment)
			o.Contact.Identities = nil
			return o
		}, true, 0, "no Reddit identity", false},
		{"unknown user", nil, func() channel.Outbound {
			o := outbound(e.in, care.Private, "hi", comment)
			o.Contact.Identities[0].PlatformUserID, o.Contact.Identities[0].Handle = "never_seen", "never_seen"
			return o
		}, true, 0, "no longer exists (USER_DOESNT_EXIST)", true},
		{"blocked", func() { e.fake.Block("some_customer") },
			func() channel.Outbound { return outbound(e.in, care.Private, "hi", pm) }, true, 0, "blocked them (USER_BLOCKED)", true},
		{"locked", func() { e.fake.Lock(post) },
			func() channel.Outbound { return outbound(e.in, care.Public, "hi", comment) }, true, 0, "is locked: Reddit takes no new comments in it (THREAD_LOCKED)", true},
		{"deleted comment", func() { e.fake.Delete(comment) },
			func() channel.Outbound { return outbound(e.in, care.Public, "hi", comment) }, true, 0, "DELETED_COMMENT", true},
		{"gone", nil, func() channel.Outbound { return outbound(e.in, care.Public, "hi", "t1_zzzzzz") }, true, 0, "NO_THING_ID", true},
		{"reddit fails", func() { e.fake.FailNext(1) },
			func() channel.Outbound { return outbound(e.in, care.Public, "hi", post) }, false, 0, "Reddit failed (500)", false},
		{"throttled", func() { e.fake.Throttle(1) },
			func() channel.Outbound { return outbound(e.in, care.Public, "hi", post) }, false, 10 * time.Minute, "rate limit", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			n := len(e.fake.Posted())
			out := tt.out()
			out.IdempotencyKey = "" // no reconciliation between cases
			_, err := e.a.Send(e.ctx, out)
			se := sendError(t, err)
			if se.Permanent != tt.permanent || se.RetryAfter != tt.retry || !strings.Contains(se.Reason, tt.reason) || se.Refused != tt.refused {
				t.Errorf("error %+v; want permanent %v, retry after %v, refused %v, reason with %q", se, tt.permanent, tt.retry, tt.refused, tt.reason)
			}
			if len(e.fake.Posted()) != n {
				t.Errorf("a refused reply was posted: %+v", e.fake.Posted()[n:])
			}
		})
	}
}

// TestSendNeverTwice: when an attempt's answer is lost, the next attempt
// finds the reply on Reddit instead of posting it again.
func TestSendNeverTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lossy := &lostAnswers{next: e.srv.Client().Transport}
	e.a.Client = &http.Client{Transport: lossy}
	post := e.fake.Post("some_customer", "Router issues", "")
	comment := e.fake.Comment(redditfake.Comment{From: "some_customer", Parent: post, Body: "u/AcmeSupport help"})
	pm := e.fake.Message(redditfake.Message{From: "some_customer", Subject: "Order", Body: "where is it"})

	for _, tt := range []struct {
		name string
		path string
		out  channel.Outbound
	}{
		{"comment", "/api/comment", outbound(e.in, care.Public, "We are on it.\n", comment)},
		{"reply", "/api/comment", outbound(e.in, care.Private, "Checking.", pm)},
		{"compose", "/api/compose", outbound(e.in, care.Private, "Your order number, please?", comment)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.out.IdempotencyKey = "parley-message-" + tt.name
			n := len(e.fake.Posted())
			lossy.lose(tt.path, 1)
			_, err := e.a.Send(e.ctx, tt.out)
			if se := sendError(t, err); se.Permanent || !errors.Is(err, errNoAnswer) {
				t.Fatalf("lost answer: %+v", se)
			}
			if len(e.fake.Posted()) != n+1 {
				t.Fatalf("the first attempt did not reach the fake")
			}
			e.clock.Add(time.Minute)
			res, err := e.a.Send(e.ctx, tt.out)
			if err != nil {
				t.Fatal(err)
			}
			posted := e.fake.Posted()
			if len(posted) != n+1 || res.PlatformID != posted[n].Name {
				t.Errorf("retry posted %d more, result %+v; want the first post %s found", len(posted)-n-1, res, posted[n].Name)
			}
			// Once found, the key is forgotten: a new reply is sent.
			if _, err := e.a.Send(e.ctx, tt.out); err != nil || len(e.fake.Posted()) != n+2 {
				t.Errorf("a later send with the same key: %v, %d posted", err, len(e.fake.Posted())-n)
			}
		})
	}

	// A 500 may have been carried out too: the retry looks first, finds
	// nothing, and sends.
	e.fake.FailNext(1)
	out := outbound(e.in, care.Public, "After a 500", post)
	out.IdempotencyKey = "parley-message-500"
	if _, err := e.a.Send(e.ctx, out); !errors.Is(err, errNoAnswer) {
		t.Fatalf("500: %v", err)
	}
	n := len(e.fake.Posted())
	if _, err := e.a.Send(e.ctx, out); err != nil || len(e.fake.Posted()) != n+1 {
		t.Errorf("the retry after a 500: %v, %d posted", err, len(e.fake.Posted())-n)
	}
}

func TestSubjectFor(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ü", 150)
	for _, tt := range []struct{ in, want string }{
		{"Router issues", "Re: Router issues"},
		{"re: Order", "re: Order"},
		{"", "Re: your comment on Reddit"},
		{"Line\nbreak\u202e", "Re: Line break"},
		{long, "Re: " + strings.Repeat("ü", 95) + "…"},
	} {
		got := subjectFor(tt.in)
		if got != tt.want || utf8.RuneCountInString(got) > MaxSubjectChars {
			t.Errorf("subjectFor(%.20q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlanOf(t *testing.T) {
	t.Parallel()
	in := testInbox()
	sub := outbound(in, care.Private, "hi", "t1_abc")
	sub.Contact.Identities[0].PlatformUserID, sub.Contact.Identities[0].Handle = "r/acme", ""
	for _, tt := range []struct {
		name string
		out  channel.Outbound
		want plan
	}{
		{"comment", outbound(in, care.Public, "hi", "t1_abc"), plan{kind: planComment, thingID: "t1_abc", text: "hi"}},
		{"post", outbound(in, care.Public, "hi", "t3_abc"), plan{kind: planComment, thingID: "t3_abc", text: "hi"}},
		{"message", outbound(in, care.Private, "hi", "t4_abc"), plan{kind: planReply, thingID: "t4_abc", text: "hi"}},
		{"compose", outbound(in, care.Private, "hi", "t1_abc"), plan{kind: planCompose, to: "some_customer", subject: "Re: Router issues after firmware 2.1", text: "hi"}},
		{"compose to a subreddit", sub, plan{kind: planCompose, to: "r/acme", subject: "Re: Router issues after firmware 2.1", text: "hi"}},
	} {
		got, err := planOf(tt.out)
		if err != nil || !cmp.Equal(got, tt.want, cmp.AllowUnexported(plan{})) {
			t.Errorf("%s: planOf = %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
}
