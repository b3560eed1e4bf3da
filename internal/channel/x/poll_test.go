package x_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

func pollInbox(w *world) care.Inbox {
	in := w.inbox
	in.Credentials = map[string]string{x.CredAccessToken: brandToken, x.CredAPIBase: w.srv.URL, x.CredMode: x.ModePoll}
	return in
}

type polled struct {
	ID   string
	Kind care.InboundKind
	Vis  care.Visibility
	From string
	Text string
}

func summarise(evs []channel.Event) []polled {
	var out []polled
	for _, ev := range evs {
		out = append(out, polled{ev.Inbound.PlatformID, ev.Inbound.Kind, ev.Inbound.Visibility, ev.Inbound.Author.PlatformUserID, ev.Inbound.Text})
	}
	return out
}

func TestPollInterval(t *testing.T) {
	w := newWorld(t)
	if got := w.a.PollInterval(pollInbox(w)); got != 90*time.Second {
		t.Errorf("PollInterval(poll) = %v", got)
	}
	if got := w.a.PollInterval(w.inbox); got != 0 {
		t.Errorf("PollInterval(webhook) = %v", got)
	}
}

func TestPoll(t *testing.T) {
	w := newWorld(t)
	in := pollInbox(w)
	ctx := context.Background()
	m1 := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme first"})
	d1 := w.fake.AddDM(xfake.DM{SenderID: anaID, RecipientID: brandID, Text: "a DM"})
	m2 := w.fake.AddPost(xfake.Post{AuthorID: benID, Text: "@acme second & last"})
	w.fake.AddPost(xfake.Post{AuthorID: brandID, Text: "our own post, not a mention"})

	evs, cursor, err := w.a.Poll(ctx, in, "")
	if err != nil {
		t.Fatalf("first Poll: %v", err)
	}
	want := []polled{
		{m1.ID, care.KindMessage, care.Public, anaID, "@acme first"},
		{d1.ID, care.KindMessage, care.Private, anaID, "a DM"},
		{m2.ID, care.KindMessage, care.Public, benID, "@acme second & last"},
	}
	if diff := cmp.Diff(want, summarise(evs)); diff != "" {
		t.Errorf("first poll (-want +got):\n%s", diff)
	}
	for _, ev := range evs {
		if ev.Account != brandID {
			t.Errorf("Account = %q", ev.Account)
		}
		if ev.Inbound.PlatformID == m1.ID && (ev.Inbound.Author.Followers != 1234 || !ev.Inbound.Author.Verified || ev.Inbound.Author.Handle != "ana") {
			t.Errorf("author = %+v", ev.Inbound.Author)
		}
	}

	// Nothing new: nothing returned, and the mentions request asks only
	// for what is newer.
	evs, cursor, err = w.a.Poll(ctx, in, cursor)
	if err != nil || len(evs) != 0 {
		t.Fatalf("idle Poll = %v, %v", summarise(evs), err)
	}

	reply := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme still waiting", InReplyTo: m1.ID})
	echo := w.fake.AddDM(xfake.DM{SenderID: brandID, RecipientID: anaID, Text: "typed in X's app"})
	evs, cursor, err = w.a.Poll(ctx, in, cursor)
	if err != nil {
		t.Fatal(err)
	}
	want = []polled{
		{reply.ID, care.KindMessage, care.Public, anaID, "@acme still waiting"},
		{echo.ID, care.KindEcho, care.Private, anaID, "typed in X's app"},
	}
	if diff := cmp.Diff(want, summarise(evs)); diff != "" {
		t.Errorf("third poll (-want +got):\n%s", diff)
	}
	if evs[0].Inbound.ReplyToPlatformID != m1.ID {
		t.Errorf("reply's ReplyToPlatformID = %q, want %q", evs[0].Inbound.ReplyToPlatformID, m1.ID)
	}
	if evs, _, err := w.a.Poll(ctx, in, cursor); err != nil || len(evs) != 0 {
		t.Errorf("fourth Poll = %v, %v", summarise(evs), err)
	}
}

// A burst bigger than one poll reads is drained over several polls, in full
// and once.
func TestPollBurst(t *testing.T) {
	w := newWorld(t)
	in := pollInbox(w)
	ctx := context.Background()
	w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme before"})
	_, cursor, err := w.a.Poll(ctx, in, "")
	if err != nil {
		t.Fatal(err)
	}
	var wantIDs []string
	for i := range 320 {
		wantIDs = append(wantIDs, w.fake.AddPost(xfake.Post{AuthorID: benID, Text: fmt.Sprintf("@acme mention %d", i)}).ID)
	}
	for i := range 45 {
		wantIDs = append(wantIDs, w.fake.AddDM(xfake.DM{SenderID: benID, RecipientID: brandID, Text: fmt.Sprintf("dm %d", i)}).ID)
	}
	seen := map[string]int{}
	for range 10 {
		evs, next, err := w.a.Poll(ctx, in, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			seen[ev.Inbound.PlatformID]++
		}
		cursor = next
		w.clock.Advance(90 * time.Second)
	}
	for _, id := range wantIDs {
		if seen[id] != 1 {
			t.Errorf("event %s seen %d times, want 1", id, seen[id])
		}
	}
	if len(seen) != len(wantIDs) {
		t.Errorf("saw %d events, want %d", len(seen), len(wantIDs))
	}
	// 320 mentions at 100 a page: 4 pages over two polls; 45 DMs at 20 a
	// page: 3 polls, then one idle page a poll.
	if n := w.fake.Calls(xfake.DMEvents); n != 11 {
		t.Errorf("%d DM requests, want 11 (one a poll)", n)
	}
}

func TestPollRateLimited(t *testing.T) {
	w := newWorld(t)
	in := pollInbox(w)
	ctx := context.Background()
	m := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme hi"})
	w.fake.AddDM(xfake.DM{SenderID: anaID, RecipientID: brandID, Text: "dm"})
	w.fake.SetLimit(xfake.DMEvents, 0)
	w.clock.Advance(5 * time.Minute)

	evs, cursor, err := w.a.Poll(ctx, in, "")
	var se *channel.SendError
	if !errorAs(err, &se) || se.Permanent || se.Status != 429 || se.RetryAfter != 15*time.Minute+time.Second {
		t.Fatalf("Poll error = %v, want a temporary 429 waiting for the reset", err)
	}
	// The mentions read before the DMs failed are returned with a cursor
	// advanced for them alone.
	if got := summarise(evs); len(got) != 1 || got[0].ID != m.ID {
		t.Errorf("events = %v", got)
	}
	w.fake.SetLimit(xfake.DMEvents, 15)
	evs, _, err = w.a.Poll(ctx, in, cursor)
	if err != nil {
		t.Fatal(err)
	}
	if got := summarise(evs); len(got) != 1 || got[0].Vis != care.Private {
		t.Errorf("after the reset: %v, want the DM alone", got)
	}
}

// X's usage-capped 429 is the App's monthly cap, not the 15-minute window:
// the poll waits a day, as X names no reset for it, instead of asking
// again at every interval, and says why; the DMs
// are not asked for once the mentions were refused.
func TestPollUsageCapped(t *testing.T) {
	w := newWorld(t)
	in := pollInbox(w)
	w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme hi"})
	w.fake.CapUsage(1)
	_, _, err := w.a.Poll(context.Background(), in, "")
	var se *channel.SendError
	if !errorAs(err, &se) || se.Permanent || se.Status != 429 {
		t.Fatalf("Poll error = %v, want a temporary 429", err)
	}
	if se.RetryAfter != 24*time.Hour {
		t.Errorf("RetryAfter = %v, want a day", se.RetryAfter)
	}
	for _, want := range []string{"monthly usage cap", "reading the account's mentions", "once a day, next at " + t0.Add(24*time.Hour).UTC().Format("2 January 15:04 UTC"), "Developer Console"} {
		if !strings.Contains(se.Reason, want) {
			t.Errorf("Reason = %q, want it to say %q", se.Reason, want)
		}
	}
	if n := w.fake.Calls(xfake.DMEvents); n != 0 {
		t.Errorf("%d DM requests after the cap refused the mentions, want none", n)
	}
}

func TestPollErrors(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	in := pollInbox(w)
	in.Credentials[x.CredAccessToken] = "revoked"
	_, cursor, err := w.a.Poll(ctx, in, "")
	var se *channel.SendError
	if !errorAs(err, &se) || !se.Permanent || se.Status != 401 {
		t.Errorf("Poll with a bad token: %v", err)
	}
	if cursor != `{"m":{},"d":{}}` {
		t.Errorf("cursor after a failed first poll = %q", cursor)
	}

	w.fake.FailNext(1, 503)
	if _, _, err := w.a.Poll(ctx, pollInbox(w), ""); !errorAs(err, &se) || se.Permanent || se.Status != 503 {
		t.Errorf("Poll during an outage: %v", err)
	}

	// A cursor that is not ours starts afresh rather than failing forever.
	w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: "@acme hi"})
	evs, _, err := w.a.Poll(ctx, pollInbox(w), `{"m":{"n":"not a number"}}`)
	if err != nil || len(evs) != 1 {
		t.Errorf("Poll with a foreign cursor = %v, %v", summarise(evs), err)
	}
}

func errorAs(err error, se **channel.SendError) bool { return errors.As(err, se) }

// A post over 280 characters (X Premium) is read in full: X's v2 objects
// cut its text and carry the whole of it in note_tweet.
func TestPollLongPost(t *testing.T) {
	w := newWorld(t)
	long := "@acme " + strings.Repeat("the tent pole snapped on the first night & the spare was missing. ", 8)
	m := w.fake.AddPost(xfake.Post{AuthorID: anaID, Text: long})
	evs, _, err := w.a.Poll(context.Background(), pollInbox(w), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Inbound.PlatformID != m.ID || evs[0].Inbound.Text != long {
		t.Errorf("Poll = %+v, want the whole post %s", summarise(evs), m.ID)
	}
}
