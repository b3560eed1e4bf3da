package reddit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/reddit/redditfake"
)

func TestPollStartsNow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := e.fake.Post("some_customer", "Router issues after firmware 2.1", "")
	old := e.fake.Comment(redditfake.Comment{From: "some_customer", Parent: post, Body: "u/AcmeSupport old news"})

	evs, cursor := e.poll("")
	if len(evs) != 0 {
		t.Fatalf("the first poll returned %v: history, not news", ids(evs))
	}
	var c pollCursor
	if err := json.Unmarshal([]byte(cursor), &c); err != nil || c.Before != old {
		t.Fatalf("first cursor %s, want one anchored on %s", cursor, old)
	}

	mention := e.fake.Comment(redditfake.Comment{From: "some_customer", Parent: post, Body: "u/AcmeSupport **still** broken"})
	pm := e.fake.Message(redditfake.Message{From: "some_customer", Subject: "Order", Body: "my order"})
	evs, cursor = e.poll(cursor)
	if got := ids(evs); !cmp.Equal(got, []string{mention, pm}) {
		t.Fatalf("second poll = %v, want %v oldest first", got, []string{mention, pm})
	}
	if in := evs[0].Inbound; in.Visibility != care.Public || in.ReplyToPlatformID != post || in.Text != "u/AcmeSupport still broken" {
		t.Errorf("mention = %+v", in)
	}
	if in := evs[1].Inbound; in.Visibility != care.Private || in.Subject != "Order" {
		t.Errorf("message = %+v", in)
	}
	evs, again := e.poll(cursor)
	if len(evs) != 0 || again != cursor {
		t.Errorf("an idle poll returned %v and moved the cursor from %s to %s", ids(evs), cursor, again)
	}
	for _, q := range e.fake.InboxQueries() {
		v, _ := url.ParseQuery(q)
		if v.Get("mark") != "false" || v.Get("raw_json") != "1" {
			t.Errorf("inbox query %q: want mark=false and raw_json=1", q)
		}
	}
	if !e.fake.Unread(mention) {
		t.Error("polling marked the mention read")
	}
	for _, ua := range e.fake.UserAgents() {
		if ua != DefaultUserAgent+" (by /u/AcmeSupport)" {
			t.Errorf("User-Agent %q", ua)
		}
	}
}

func TestPollEmptyInbox(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, cursor := e.poll("")
	var c pollCursor
	if err := json.Unmarshal([]byte(cursor), &c); err != nil || c.Before != "" || c.Time != testNow.Unix() {
		t.Fatalf("cursor of an empty inbox = %s", cursor)
	}
	e.clock.Add(time.Minute)
	pm := e.fake.Message(redditfake.Message{From: "anna", Subject: "Hi", Body: "first"})
	// A comment from before the start, listed late, stands above it.
	post := e.fake.Post(redditfake.Username, "AMA", "")
	e.fake.Comment(redditfake.Comment{From: "ben", Parent: post, Body: "old", Age: 2 * time.Hour})
	evs, cursor := e.poll(cursor)
	if got := ids(evs); !cmp.Equal(got, []string{pm}) {
		t.Fatalf("poll after an empty start = %v, want %v", got, pm)
	}
	next := e.fake.Message(redditfake.Message{From: "anna", Subject: "Hi", Body: "second"})
	if evs, _ := e.poll(cursor); !cmp.Equal(ids(evs), []string{next}) {
		t.Errorf("then = %v, want %v", ids(evs), next)
	}
}

// TestPollBurst reads a burst larger than a page oldest first, across
// pages and, when the rate budget runs low, across polls, without a gap or
// a repeat.
func TestPollBurst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.Message(redditfake.Message{From: "anna", Subject: "s", Body: "before"})
	_, cursor := e.poll("")
	var want []string
	for i := range 990 {
		want = append(want, e.fake.Message(redditfake.Message{From: fmt.Sprintf("user%d", i%7), Subject: "s", Body: fmt.Sprint(i)}))
	}
	evs, cursor := e.poll(cursor)
	if got := ids(evs); !cmp.Equal(got, want) {
		t.Fatalf("burst read %d items, want %d in order; first difference at %d", len(got), len(want), firstDiff(got, want))
	}

	// With little of the budget left, a poll stops after a page; the
	// next goes on where it stopped.
	want = nil
	for i := range 250 {
		want = append(want, e.fake.Message(redditfake.Message{From: "ben", Subject: "s", Body: fmt.Sprint(i)}))
	}
	e.fake.Spend(redditfake.RateLimit - 30)
	var got []string
	for poll := 0; len(got) < len(want) && poll < 5; poll++ {
		evs, next := e.poll(cursor)
		if len(evs) > pageLimit {
			t.Errorf("poll %d read %d items with the budget nearly spent", poll, len(evs))
		}
		got, cursor = append(got, ids(evs)...), next
	}
	if !cmp.Equal(got, want) {
		t.Fatalf("a slowed burst read %d items, want %d in order; first difference at %d", len(got), len(want), firstDiff(got, want))
	}
}

// TestPollCatchUpReadsTheWholeListing: after an empty start, a burst as
// large as Reddit lists is read in one poll.
func TestPollCatchUpReadsTheWholeListing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, cursor := e.poll("")
	var want []string
	for i := range redditfake.ListingCap {
		want = append(want, e.fake.Message(redditfake.Message{From: "anna", Subject: "s", Body: fmt.Sprint(i)}))
	}
	evs, cursor := e.poll(cursor)
	if got := ids(evs); !cmp.Equal(got, want) {
		t.Fatalf("catch-up read %d items, want %d in order; first difference at %d", len(got), len(want), firstDiff(got, want))
	}
	next := e.fake.Message(redditfake.Message{From: "anna", Subject: "s", Body: "next"})
	if evs, _ := e.poll(cursor); !cmp.Equal(ids(evs), []string{next}) {
		t.Errorf("then = %v, want %v", ids(evs), next)
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestPollLostAnchor: when the item the cursor is anchored on leaves the
// inbox, before= answers nothing; the poll catches up from the newest
// page.
func TestPollLostAnchor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a1 := e.fake.Message(redditfake.Message{From: "anna", Subject: "s", Body: "one"})
	_, cursor := e.poll("")
	a2 := e.fake.Message(redditfake.Message{From: "anna", Subject: "s", Body: "two"})
	evs, cursor := e.poll(cursor)
	if !cmp.Equal(ids(evs), []string{a2}) {
		t.Fatalf("poll = %v", ids(evs))
	}
	e.fake.DropFromInbox(a2) // the anchor
	e.fake.DropFromInbox(a1)
	a3 := e.fake.Message(redditfake.Message{From: "anna", Subject: "s", Body: "three"})
	a4 := e.fake.Message(redditfake.Message{From: "ben", Subject: "s", Body: "four"})
	evs, cursor = e.poll(cursor)
	if !cmp.Equal(ids(evs), []string{a3, a4}) {
		t.Fatalf("after the anchor left, poll = %v, want %v", ids(evs), []string{a3, a4})
	}
	a5 := e.fake.Message(redditfake.Message{From: "ben", Subject: "s", Body: "five"})
	if evs, _ := e.poll(cursor); !cmp.Equal(ids(evs), []string{a5}) {
		t.Errorf("then = %v, want %v", ids(evs), a5)
	}
}

// TestPollLateItem: a comment listed late (approved by a moderator after
// it was written) is read, whatever its created_utc.
func TestPollLateItem(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := e.fake.Post(redditfake.Username, "AMA", "")
	e.fake.Comment(redditfake.Comment{From: "anna", Parent: post, Body: "first"})
	_, cursor := e.poll("")
	late := e.fake.Comment(redditfake.Comment{From: "ben", Parent: post, Body: "held by the spam filter", Age: 3 * time.Hour})
	if evs, _ := e.poll(cursor); !cmp.Equal(ids(evs), []string{late}) {
		t.Errorf("poll = %v, want the late comment %s", ids(evs), late)
	}
}

func TestPollBadCursor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.Message(redditfake.Message{From: "anna", Subject: "s", Body: "old"})
	for _, cursor := range []string{"garbage", `{"b":"not a fullname"}`, `{"s":["t4_x","../"]}`, strings.Repeat("x", 5000)} {
		evs, next, err := e.a.Poll(e.ctx, e.in, cursor)
		var c pollCursor
		if err != nil || len(evs) != 0 || json.Unmarshal([]byte(next), &c) != nil || c.Before == "" {
			t.Errorf("Poll(%.20q) = %v, %s, %v; want a fresh start", cursor, ids(evs), next, err)
		}
	}
}

func TestPollErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, cursor := e.poll("")

	e.fake.Throttle(1)
	_, next, err := e.a.Poll(e.ctx, e.in, cursor)
	se := sendError(t, err)
	if se.Permanent || se.RetryAfter != 10*time.Minute || next != cursor || !strings.Contains(se.RateLimit, "0/1000 left") {
		t.Errorf("429: %+v, cursor %s", se, next)
	}
	e.clock.Add(10 * time.Minute)

	e.fake.FailNext(1)
	_, _, err = e.a.Poll(e.ctx, e.in, cursor)
	if se := sendError(t, err); se.Permanent || se.Status != 500 {
		t.Errorf("500: %+v", se)
	}

	// A revoked token is replaced without a failure.
	before := e.fake.TokenRequests()
	e.fake.RevokeTokens()
	pm := e.fake.Message(redditfake.Message{From: "anna", Subject: "s", Body: "x"})
	if evs, _ := e.poll(cursor); !cmp.Equal(ids(evs), []string{pm}) || e.fake.TokenRequests() != before+1 {
		t.Errorf("after a revoked token: %v, %d token requests (was %d)", ids(evs), e.fake.TokenRequests(), before)
	}

	// A refused password fails for good, and is not tried again at once.
	in := e.in
	in.Credentials = map[string]string{}
	for k, v := range e.in.Credentials {
		in.Credentials[k] = v
	}
	in.Credentials[CredPassword] = "wrong"
	for range 2 {
		_, _, err = e.a.Poll(e.ctx, in, cursor)
		if se := sendError(t, err); !se.Permanent || !strings.Contains(se.Reason, "username and password") {
			t.Errorf("wrong password: %+v", se)
		}
	}
	if n := e.fake.TokenRequests(); n != before+1 {
		t.Errorf("the refused password was tried %d times", n-before-1)
	}
}

// TestPollFailsMidway: when a later page fails, the poll returns what the
// earlier pages read, the cursor after them, and the error; the next poll
// goes on from there.
func TestPollFailsMidway(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lossy := &lostAnswers{next: e.srv.Client().Transport}
	e.a.Client = &http.Client{Transport: lossy}
	e.fake.Message(redditfake.Message{From: "anna", Subject: "s", Body: "before"})
	_, cursor := e.poll("")
	var want []string
	for i := range 150 {
		want = append(want, e.fake.Message(redditfake.Message{From: "anna", Subject: "s", Body: fmt.Sprint(i)}))
	}
	lossy.loseAfter("/message/inbox", 1, 1)
	evs, next, err := e.a.Poll(e.ctx, e.in, cursor)
	if se := sendError(t, err); se.Permanent || !cmp.Equal(ids(evs), want[:pageLimit]) || next == cursor {
		t.Fatalf("Poll = %d events, %v; want the first page and a temporary error", len(evs), se)
	}
	if evs, _ := e.poll(next); !cmp.Equal(ids(evs), want[pageLimit:]) {
		t.Errorf("the next poll read %d events, want the %d left", len(evs), len(want)-pageLimit)
	}
}

func TestPollIntervalSlowsDown(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if d := e.a.PollInterval(e.in); d != pollInterval {
		t.Fatalf("PollInterval = %v before any answer", d)
	}
	_, cursor := e.poll("")
	if d := e.a.PollInterval(e.in); d != pollInterval {
		t.Errorf("PollInterval = %v with the budget intact", d)
	}
	e.fake.Spend(redditfake.RateLimit - 50)
	e.clock.Add(4 * time.Minute)
	e.poll(cursor)
	if d := e.a.PollInterval(e.in); d != 6*time.Minute {
		t.Errorf("PollInterval = %v with 49 of 1000 left, want the 6 minutes to the reset", d)
	}
	e.clock.Add(6 * time.Minute)
	if d := e.a.PollInterval(e.in); d != pollInterval {
		t.Errorf("PollInterval = %v after the reset", d)
	}
}
