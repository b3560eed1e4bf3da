package reviews

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/reviews/gbpfake"
)

var (
	jane = gbpfake.Reviewer{Name: "Jane Doe"}
	sam  = gbpfake.Reviewer{Name: "Sam Lee"}
	anon = gbpfake.Reviewer{Anonymous: true}
)

// poll polls g's inbox from cursor and checks every event.
func (g *google) poll(t *testing.T, cursor string) ([]channel.Event, string) {
	t.Helper()
	events, next, err := g.adapter.Poll(context.Background(), g.inbox, cursor)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	for _, ev := range events {
		checkEvent(t, ev)
	}
	return events, next
}

// summary is an event as the poll tests compare it: kind, id, text.
func summary(events []channel.Event) []string {
	var out []string
	for _, ev := range events {
		in := ev.Inbound
		out = append(out, string(in.Kind)+" "+in.PlatformID+" "+in.Text)
	}
	return out
}

func TestPollInterval(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	for v, want := range map[string]time.Duration{"": DefaultPollInterval, "30": 30 * time.Second, "5": DefaultPollInterval, "x": DefaultPollInterval, "3600": time.Hour} {
		in := testInbox()
		in.Credentials[CredPollSeconds] = v
		if got := a.PollInterval(in); got != want {
			t.Errorf("PollInterval(poll_seconds %q) = %v, want %v", v, got, want)
		}
	}
}

// TestPollFirst: the first poll imports the unanswered reviews of the last
// import_days days and only remembers the others; an edit of one it did
// not import is news, a change to its reply is not.
func TestPollFirst(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	old := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 2, Comment: "old", At: testNow.Add(-20 * 24 * time.Hour)})
	recent := g.fake.Review(gbpfake.ReviewInput{Reviewer: sam, Stars: 1, Comment: "waiting for an answer", At: testNow.Add(-3 * 24 * time.Hour)})
	tooOld := g.fake.Review(gbpfake.ReviewInput{Reviewer: anon, Stars: 3, Comment: "ten days ago", At: testNow.Add(-10 * 24 * time.Hour)})
	answered := g.fake.Review(gbpfake.ReviewInput{Reviewer: anon, Stars: 4, Comment: "answered", At: testNow.Add(-24 * time.Hour)})
	must(t, g.fake.OwnerReply(answered, "Thanks!"))

	events, cursor := g.poll(t, "")
	if got, want := summary(events), []string{"message " + recent + " ★☆☆☆☆ waiting for an answer"}; !cmp.Equal(got, want) {
		t.Fatalf("first poll = %q, want %q", got, want)
	}
	if events[0].Inbound.Rating != 1 || !events[0].Inbound.SentAt.Equal(testNow.Add(-3*24*time.Hour)) {
		t.Errorf("imported review = %+v", events[0].Inbound)
	}
	if events, cursor = g.poll(t, cursor); len(events) != 0 {
		t.Fatalf("second poll = %q, want nothing", summary(events))
	}

	g.clock.Add(time.Minute)
	must(t, g.fake.OwnerReply(answered, "Thanks again!"))
	must(t, g.fake.Edit(answered, 5, "answered, and better now"))
	events, _ = g.poll(t, cursor)
	want := []string{"message " + editID(answered, g.clock.Now()) + " [Edited] ★★★★★ answered, and better now",
		"echo " + ReplyID(answered, "Thanks again!") + " Thanks again!"}
	if got := summary(events); !cmp.Equal(got, want) {
		t.Errorf("poll after an edit = %q, want %q", got, want)
	}
	_, _ = old, tooOld
}

func TestPollFirstImportDaysZero(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	g.inbox.Credentials[CredImportDays] = "0"
	g.fake.Review(gbpfake.ReviewInput{Reviewer: sam, Stars: 1, Comment: "an hour ago", At: testNow.Add(-time.Hour)})
	events, cursor := g.poll(t, "")
	if len(events) != 0 {
		t.Fatalf("first poll with import_days 0 = %q, want nothing", summary(events))
	}
	g.clock.Add(time.Minute)
	if events, _ = g.poll(t, cursor); len(events) != 0 {
		t.Fatalf("second poll = %q: the first poll's review came back as new", summary(events))
	}
}

// TestPollLifecycle follows reviews through what can happen to them.
func TestPollLifecycle(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	ctx := context.Background()
	_, cursor := g.poll(t, "")

	g.clock.Add(time.Minute)
	a := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 2, Comment: "Waited 40 minutes for a table."})
	g.clock.Add(time.Second)
	b := g.fake.Review(gbpfake.ReviewInput{Reviewer: anon, Stars: 2})
	events, cursor := g.poll(t, cursor)
	if got, want := summary(events), []string{
		"message " + a + " ★★☆☆☆ Waited 40 minutes for a table.",
		"message " + b + " ★★☆☆☆ (no written review)",
	}; !cmp.Equal(got, want) {
		t.Fatalf("new reviews = %q, want %q", got, want)
	}
	if ja, an := events[0].Inbound.Author, events[1].Inbound.Author; ja.DisplayName != "Jane Doe" || !strings.HasPrefix(ja.PlatformUserID, "reviewer:") ||
		an.DisplayName != "A Google User" || !strings.HasPrefix(an.PlatformUserID, "anonymous:") {
		t.Errorf("authors = %+v, %+v", ja, an)
	}
	if events, cursor = g.poll(t, cursor); len(events) != 0 {
		t.Fatalf("poll with nothing new = %q", summary(events))
	}

	// The customer edits; the staff reply in Google's own tools.
	g.clock.Add(time.Minute)
	must(t, g.fake.Edit(a, 4, "Went back: much better."))
	edited := g.clock.Now()
	must(t, g.fake.OwnerReply(b, "Thank you!"))
	events, cursor = g.poll(t, cursor)
	if got, want := summary(events), []string{
		"echo " + ReplyID(b, "Thank you!") + " Thank you!",
		"message " + editID(a, edited) + " [Edited] ★★★★☆ Went back: much better.",
	}; !cmp.Equal(got, want) {
		t.Fatalf("edit and outside reply = %q, want %q", got, want)
	}
	for _, ev := range events {
		if ev.Inbound.ReplyToPlatformID == "" {
			t.Errorf("%s answers nothing", ev.Inbound.PlatformID)
		}
	}

	// Parley replies; the next poll's echo has the id Send returned. A
	// second reply replaces the first, which is then gone.
	g.clock.Add(time.Minute)
	first, err := g.adapter.Send(ctx, outbound(g.inbox, "Glad to hear it, Jane!", editID(a, edited)))
	must(t, err)
	events, cursor = g.poll(t, cursor)
	if got, want := summary(events), []string{"echo " + first.PlatformID + " Glad to hear it, Jane!"}; !cmp.Equal(got, want) {
		t.Fatalf("after Parley's reply = %q, want %q", got, want)
	}
	second, err := g.adapter.Send(ctx, outbound(g.inbox, "Glad to hear it, Jane! See you soon.", a))
	must(t, err)
	events, cursor = g.poll(t, cursor)
	if got, want := summary(events), []string{"delete " + first.PlatformID + " ", "echo " + second.PlatformID + " Glad to hear it, Jane! See you soon."}; !cmp.Equal(got, want) {
		t.Fatalf("after a second reply = %q, want %q", got, want)
	}
	g.fake.DeleteOwnerReply(b)
	events, _ = g.poll(t, cursor)
	if got, want := summary(events), []string{"delete " + ReplyID(b, "Thank you!") + " "}; !cmp.Equal(got, want) {
		t.Fatalf("after the outside reply was deleted = %q, want %q", got, want)
	}
}

// TestPollDeep: a review Google publishes late, with its first time, is
// found by the next deep walk, and so is an outside reply to a review that
// the quick walks no longer read.
func TestPollDeep(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	_, cursor := g.poll(t, "")
	g.clock.Add(time.Minute)
	seenEarly := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 5, Comment: "great"})
	g.clock.Add(30 * time.Minute)
	g.fake.Review(gbpfake.ReviewInput{Reviewer: anon, Stars: 5, Comment: "newer"})
	events, cursor := g.poll(t, cursor)
	if len(events) != 2 {
		t.Fatalf("poll = %q", summary(events))
	}

	g.clock.Add(5 * time.Minute)
	late := g.fake.Review(gbpfake.ReviewInput{Reviewer: sam, Stars: 1, Comment: "written 5 hours ago", At: g.clock.Now().Add(-5 * time.Hour)})
	must(t, g.fake.OwnerReply(seenEarly, "Thanks, Jane"))
	if events, cursor = g.poll(t, cursor); len(events) != 0 {
		t.Fatalf("quick poll = %q, want nothing yet", summary(events))
	}
	g.clock.Add(30 * time.Minute)
	events, _ = g.poll(t, cursor)
	if got, want := summary(events), []string{
		"message " + late + " ★☆☆☆☆ written 5 hours ago",
		"echo " + ReplyID(seenEarly, "Thanks, Jane") + " Thanks, Jane",
	}; !cmp.Equal(got, want) {
		t.Fatalf("deep poll = %q, want %q", got, want)
	}
}

// TestPollOldReviewChanged: a review older than the cursor's window that
// changes is an edit, or an echo when its newest change is the reply.
func TestPollOldReviewChanged(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	edited := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 1, Comment: "bad", At: testNow.Add(-100 * 24 * time.Hour)})
	replied := g.fake.Review(gbpfake.ReviewInput{Reviewer: sam, Stars: 5, Comment: "good", At: testNow.Add(-100 * 24 * time.Hour)})
	_, cursor := g.poll(t, "")
	g.clock.Add(3 * 24 * time.Hour)
	_, cursor = g.poll(t, cursor) // forgets the first poll's window
	g.clock.Add(time.Minute)
	must(t, g.fake.Edit(edited, 3, "better"))
	at := g.clock.Now()
	// Google's own tools: a reply moves its review's updateTime in this
	// test (the fake leaves it alone otherwise).
	must(t, g.fake.OwnerReply(replied, "Thanks"))
	must(t, g.fake.Edit(replied, 5, "good"))
	events, _ := g.poll(t, cursor)
	if got, want := summary(events), []string{
		"message " + editID(edited, at) + " [Edited] ★★★☆☆ better",
		"echo " + ReplyID(replied, "Thanks") + " Thanks",
	}; !cmp.Equal(got, want) {
		t.Fatalf("poll = %q, want %q", got, want)
	}
}

// TestPollPagesAcrossPolls: a burst larger than a poll's page bound is
// finished by the next polls, without a gap or a repeat, while new
// reviews arrive.
func TestPollPagesAcrossPolls(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	_, cursor := g.poll(t, "")
	var names []string
	for range 700 {
		g.clock.Add(time.Second)
		names = append(names, g.fake.Review(gbpfake.ReviewInput{Reviewer: anon, Stars: 3, Comment: "x"}))
	}
	got := map[string]int{}
	events, cursor := g.poll(t, cursor)
	if len(events) != maxPages*pageSize {
		t.Fatalf("first poll of the burst = %d events, want %d", len(events), maxPages*pageSize)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Inbound.SentAt.Before(events[i-1].Inbound.SentAt) {
			t.Fatal("events are not oldest first")
		}
	}
	for _, ev := range events {
		got[ev.Inbound.PlatformID]++
	}
	for range 5 {
		g.clock.Add(time.Second)
		names = append(names, g.fake.Review(gbpfake.ReviewInput{Reviewer: anon, Stars: 3, Comment: "y"}))
	}
	for range 3 {
		events, cursor = g.poll(t, cursor)
		for _, ev := range events {
			got[ev.Inbound.PlatformID]++
		}
	}
	if len(got) != len(names) {
		t.Errorf("read %d reviews of %d", len(got), len(names))
	}
	for _, n := range names {
		if got[n] != 1 {
			t.Errorf("review %s read %d times", n, got[n])
		}
	}
}

// TestPollPageTokenRefused: a walk whose page token Google no longer takes
// starts again from the top.
func TestPollPageTokenRefused(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	_, cursor := g.poll(t, "")
	g.clock.Add(time.Minute)
	r := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 4, Comment: "nice"})
	c, err := decodeCursor(cursor)
	must(t, err)
	c.Walk = &walk{Token: "expired", Floor: c.High.Add(-quickOverlap), High: c.High}
	events, _ := g.poll(t, c.encode())
	if got, want := summary(events), []string{"message " + r + " ★★★★☆ nice"}; !cmp.Equal(got, want) {
		t.Fatalf("poll = %q, want %q", got, want)
	}
}

func TestPollCursorNotUnderstood(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 4, Comment: "yesterday", At: testNow.Add(-24 * time.Hour)})
	events, cursor := g.poll(t, "{not json")
	if len(events) != 1 || cursor == "{not json" {
		t.Fatalf("poll from a broken cursor = %q, %q; want a first poll", summary(events), cursor)
	}
}

// TestPollErrors: Google's refusals are *channel.SendError, and a page that
// fails after others keeps what they read.
func TestPollErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("unverified", func(t *testing.T) {
		t.Parallel()
		g := newGoogle(t)
		g.fake.SetVerified(false)
		_, _, err := g.adapter.Poll(ctx, g.inbox, "")
		var se *channel.SendError
		if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, "not verified") {
			t.Errorf("Poll of an unverified location = %v", err)
		}
	})
	t.Run("quota", func(t *testing.T) {
		t.Parallel()
		g := newGoogle(t)
		g.fake.Throttle(1)
		_, _, err := g.adapter.Poll(ctx, g.inbox, "")
		var se *channel.SendError
		if !errors.As(err, &se) || se.Permanent || se.RetryAfter != time.Minute || se.RateLimit != "0/300 left this minute (project quota)" {
			t.Errorf("Poll over quota = %#v", err)
		}
	})
	t.Run("bad location", func(t *testing.T) {
		t.Parallel()
		g := newGoogle(t)
		g.inbox.ExternalID = "locations/1"
		_, _, err := g.adapter.Poll(ctx, g.inbox, "")
		var se *channel.SendError
		if !errors.As(err, &se) || !se.Permanent {
			t.Errorf("Poll of a bad external_id = %v", err)
		}
	})
	t.Run("second page fails", func(t *testing.T) {
		t.Parallel()
		g := newGoogle(t)
		_, cursor := g.poll(t, "")
		for range 60 {
			g.clock.Add(time.Second)
			g.fake.Review(gbpfake.ReviewInput{Reviewer: anon, Stars: 1, Comment: "z"})
		}
		var lists atomic.Int32
		g.adapter.Client = &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
			if strings.HasSuffix(r.URL.Path, "/reviews") && lists.Add(1) == 2 {
				return nil, errors.New("connection reset")
			}
			return http.DefaultTransport.RoundTrip(r)
		})}
		events, next, err := g.adapter.Poll(ctx, g.inbox, cursor)
		var se *channel.SendError
		if !errors.As(err, &se) || se.Permanent || len(events) != pageSize || next == cursor {
			t.Fatalf("Poll = %d events, %v; want the first page's and a temporary error", len(events), err)
		}
		events, _, err = g.adapter.Poll(ctx, g.inbox, next)
		if err != nil || len(events) != 10 {
			t.Fatalf("the next Poll = %d events, %v; want the 10 left", len(events), err)
		}
	})
}

// TestPollTokenRevoked: a 401 gets one more try with a new token.
func TestPollTokenRevoked(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	_, cursor := g.poll(t, "")
	g.fake.ExpireTokens()
	g.poll(t, cursor)
	if n := g.fake.TokensIssued(); n != 2 {
		t.Errorf("tokens issued = %d, want 2", n)
	}
	g.fake.Revoke()
	g.fake.ExpireTokens()
	_, _, err := g.adapter.Poll(context.Background(), g.inbox, cursor)
	var se *channel.SendError
	if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, "again") {
		t.Errorf("Poll with a revoked grant = %v", err)
	}
}

func TestPollQuery(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	g.poll(t, "")
	if got := g.fake.ListQueries(); len(got) != 1 || got[0] != "orderBy=updateTime%20desc&pageSize=50" {
		t.Errorf("list queries = %q", got)
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// outbound is a public reply answering the message with platform id to.
func outbound(in care.Inbox, text, to string) channel.Outbound {
	return channel.Outbound{Inbox: in, IdempotencyKey: "parley-message-" + strconv.Itoa(len(text)),
		Message: care.Message{Direction: care.DirectionOut, Visibility: care.Public, Text: text, ReplyToPlatformID: to}}
}

// TestPollMedia: a review's photos and video come with it, as links, and
// with its edit.
func TestPollMedia(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	_, cursor := g.poll(t, "")
	g.clock.Add(time.Minute)
	const photo, frame, video = "https://lh3.googleusercontent.com/geougc-cs/photo1=w600-h450-p",
		"https://lh3.googleusercontent.com/geougc-cs/frame2=w600-h450-p", "https://lh3.googleusercontent.com/ggs/video2=m18"
	name := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 1, Comment: "Cold food, see for yourself.",
		Media: []gbpfake.Media{{ThumbnailURL: photo}, {ThumbnailURL: frame, VideoURL: video}, {ThumbnailURL: "javascript:alert(1)"}}})
	plain := g.fake.Review(gbpfake.ReviewInput{Reviewer: sam, Stars: 5, Comment: "Lovely"})
	events, cursor := g.poll(t, cursor)
	want := []care.Attachment{{Kind: "image", URL: photo}, {Kind: "video", URL: video}}
	if len(events) != 2 || events[0].Inbound.PlatformID != name || events[1].Inbound.PlatformID != plain {
		t.Fatalf("poll = %q", summary(events))
	}
	if got := events[0].Inbound.Attachments; !cmp.Equal(got, want) {
		t.Errorf("attachments = %+v, want %+v", got, want)
	}
	if got := events[1].Inbound.Attachments; len(got) != 0 {
		t.Errorf("attachments of a review without media = %+v", got)
	}

	g.clock.Add(time.Minute)
	must(t, g.fake.Edit(name, 2, "Cold food, though the manager called."))
	events, _ = g.poll(t, cursor)
	if len(events) != 1 || events[0].Inbound.PlatformID != editID(name, g.clock.Now()) || !cmp.Equal(events[0].Inbound.Attachments, want) {
		t.Errorf("edit = %q with %+v, want its photos too", summary(events), events)
	}
}
