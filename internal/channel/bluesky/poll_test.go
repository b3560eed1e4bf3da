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

type polled struct {
	Kind       care.InboundKind
	Visibility care.Visibility
	Author     string
	Handle     string
	Followers  int64
	Verified   bool
	Text       string
	ReplyTo    string
}

func summarise(evs []channel.Event) []polled {
	var out []polled
	for _, ev := range evs {
		in := ev.Inbound
		out = append(out, polled{in.Kind, in.Visibility, in.Author.PlatformUserID, in.Author.Handle, in.Author.Followers,
			in.Author.Verified, in.Text, in.ReplyToPlatformID})
	}
	return out
}

func (w *world) pollFrom(t *testing.T, cursor string) ([]channel.Event, string) {
	t.Helper()
	evs, next, err := w.a.Poll(context.Background(), w.in, cursor)
	if err != nil {
		t.Fatalf("Poll(%q): %v", cursor, err)
	}
	for _, ev := range evs {
		if err := ev.Inbound.Validate(); err != nil || ev.Inbound.Channel != care.ChannelBluesky {
			t.Fatalf("event %+v: %v", ev.Inbound, err)
		}
	}
	return evs, next
}

func TestPoll(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	root := w.publish(t, brandDID, bskyfake.PostInput{Text: "Winter sale!"})
	early := w.publish(t, anaDID, bskyfake.PostInput{Text: "@acme.example.com hello from before", ReplyTo: root.URI})

	// The first poll reads the newest page and starts the chat log now.
	evs, cursor := w.pollFrom(t, "")
	if diff := cmp.Diff([]polled{{care.KindMessage, care.Public, anaDID, "@ana.bsky.social", 1234, true, "@acme.example.com hello from before", root.URI}},
		summarise(evs)); diff != "" {
		t.Errorf("first poll (-want +got):\n%s", diff)
	}
	if evs[0].Inbound.PlatformID != early.URI || len(evs[0].Raw) == 0 {
		t.Errorf("first event = %+v", evs[0])
	}
	var c pollCursor
	if err := json.Unmarshal([]byte(cursor), &c); err != nil || c.Newest == "" || c.Chat == "" {
		t.Fatalf("cursor = %q, %v", cursor, err)
	}

	// A mention, a reply, a quote with an image, a DM, the brand's own DM.
	m := w.publish(t, benDID, bskyfake.PostInput{Text: "Is @acme.example.com open on Sunday?"})
	r := w.publish(t, anaDID, bskyfake.PostInput{Text: "Still waiting", ReplyTo: early.URI})
	q := w.publish(t, benDID, bskyfake.PostInput{Text: "", Quote: root.URI, Images: []string{"receipt"}})
	if _, err := w.fake.SendDM(anaDID, brandDID, "Hi, it's about order 881"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.a.Send(context.Background(), dm(w.in, "Hello Ana!", anaDID)); err != nil {
		t.Fatal(err)
	}
	evs, cursor = w.pollFrom(t, cursor)
	want := []polled{
		{care.KindMessage, care.Public, benDID, "@ben.example.net", 12, false, "Is @acme.example.com open on Sunday?", ""},
		{care.KindMessage, care.Public, anaDID, "@ana.bsky.social", 1234, true, "Still waiting", early.URI},
		{care.KindMessage, care.Public, benDID, "@ben.example.net", 12, false, "Quoted https://bsky.app/profile/" + brandDID + "/post/" + root.RKey, ""},
		{care.KindMessage, care.Private, anaDID, "@ana.bsky.social", 1234, true, "Hi, it's about order 881", ""},
	}
	if diff := cmp.Diff(want, summarise(evs)); diff != "" {
		t.Fatalf("second poll (-want +got):\n%s", diff)
	}
	for i, uri := range []string{m.URI, r.URI, q.URI} {
		if evs[i].Inbound.PlatformID != uri {
			t.Errorf("event %d PlatformID = %q, want %q", i, evs[i].Inbound.PlatformID, uri)
		}
	}
	if len(evs[2].Inbound.Attachments) != 1 || evs[2].Inbound.Attachments[0].Name != "receipt" {
		t.Errorf("quote's attachments = %+v", evs[2].Inbound.Attachments)
	}
	msgs := w.fake.Messages()
	if id := evs[3].Inbound.PlatformID; id != msgs[0].ConvoID+":"+msgs[0].ID {
		t.Errorf("DM PlatformID = %q", id)
	}
	profiles := w.fake.Calls(bskyfake.GetProfiles)

	// Nothing new: nothing, one request per source, no profiles.
	evs, again := w.pollFrom(t, cursor)
	if len(evs) != 0 || again != cursor {
		t.Errorf("quiet poll = %d events, cursor %q → %q", len(evs), cursor, again)
	}
	// Someone on the brand's account deletes Ana's DM in Bluesky's app,
	// which hides it from the brand's account alone; Ana deletes it for
	// herself, which the brand's log does not show. Neither is Ana
	// deleting her message: it stays as it is in Parley.
	for _, who := range []string{brandDID, anaDID} {
		if err := w.fake.DeleteDMForSelf(who, msgs[0].ConvoID, msgs[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	w.publish(t, anaDID, bskyfake.PostInput{Text: "@acme.example.com thanks!"})
	evs, _ = w.pollFrom(t, cursor)
	if diff := cmp.Diff([]polled{{care.KindMessage, care.Public, anaDID, "@ana.bsky.social", 1234, true, "@acme.example.com thanks!", ""}},
		summarise(evs)); diff != "" {
		t.Errorf("after DMs deleted for self (-want +got):\n%s", diff)
	}
	if n := w.fake.Calls(bskyfake.GetProfiles); n != profiles {
		t.Errorf("getProfiles called %d more times for cached authors", n-profiles)
	}
}

func TestPollPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		// history: the account has notifications from before the window
		// a poll reads again, as every account soon has.
		history            bool
		posts, want, calls int
	}{
		{true, 0, 0, 1},
		{false, 0, 0, 2}, // the listing ends within the window: one more page says so
		{true, 48, 48, 1},
		{true, 120, 120, 3},
		{true, 250, 200, 4}, // four pages at most; the oldest 50 are skipped
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.posts, tt.history), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			if tt.history {
				w.publish(t, anaDID, bskyfake.PostInput{Text: "@acme.example.com an hour ago"})
				w.clock.Add(time.Hour)
			}
			w.publish(t, anaDID, bskyfake.PostInput{Text: "@acme.example.com first"})
			_, cursor := w.pollFrom(t, "")
			before := w.fake.Calls(bskyfake.ListNotifications)
			for i := range tt.posts {
				w.publish(t, anaDID, bskyfake.PostInput{Text: fmt.Sprintf("@acme.example.com number %d", i)})
			}
			evs, next := w.pollFrom(t, cursor)
			if len(evs) != tt.want {
				t.Fatalf("%d events, want %d", len(evs), tt.want)
			}
			if n := w.fake.Calls(bskyfake.ListNotifications) - before; n != tt.calls {
				t.Errorf("%d listNotifications calls, want %d", n, tt.calls)
			}
			for i := 1; i < len(evs); i++ {
				if !evs[i-1].Inbound.SentAt.Before(evs[i].Inbound.SentAt) {
					t.Fatalf("events not oldest first at %d", i)
				}
			}
			if tt.posts > 0 && evs[len(evs)-1].Inbound.Text != fmt.Sprintf("@acme.example.com number %d", tt.posts-1) {
				t.Errorf("newest event = %q", evs[len(evs)-1].Inbound.Text)
			}
			if evs, _ := w.pollFrom(t, next); len(evs) != 0 {
				t.Errorf("the poll after read %d events again", len(evs))
			}
		})
	}
}

// A failing chat log does not hold up notifications: they come with a
// cursor advanced for them, and the error; the DMs follow next time.
func TestPollChatFails(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	_, cursor := w.pollFrom(t, "")
	w.publish(t, anaDID, bskyfake.PostInput{Text: "@acme.example.com hello"})
	if _, err := w.fake.SendDM(anaDID, brandDID, "psst"); err != nil {
		t.Fatal(err)
	}
	w.fake.FailNext(bskyfake.GetLog, 1, http.StatusBadGateway)
	evs, next, err := w.a.Poll(context.Background(), w.in, cursor)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || len(evs) != 1 || next == cursor {
		t.Fatalf("Poll = %d events, cursor moved %v, err %v; want the mention, a new cursor and a temporary error", len(evs), next != cursor, err)
	}
	evs, _ = w.pollFrom(t, next)
	if len(evs) != 1 || evs[0].Inbound.Text != "psst" {
		t.Errorf("next poll = %+v, want the DM alone", summarise(evs))
	}
}

func TestPollErrors(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	_, cursor := w.pollFrom(t, "")
	w.fake.FailNext(bskyfake.ListNotifications, 1, http.StatusTooManyRequests)
	evs, next, err := w.a.Poll(context.Background(), w.in, cursor)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || se.RetryAfter < 50*time.Second || next != cursor || len(evs) != 0 || se.RateLimit == "" {
		t.Fatalf("Poll = %v, %q; want a 429 with the reset, and the cursor kept", err, next)
	}
	// A cursor Parley did not write starts over.
	for _, bad := range []string{"not json", `{"n":"yesterday"}`, `{"c":"a\nb"}`} {
		if _, _, err := w.a.Poll(context.Background(), w.in, bad); err != nil {
			t.Errorf("Poll(%q) = %v", bad, err)
		}
	}
	// Profiles that cannot be read leave the events as they are.
	w.fake.FailNext(bskyfake.GetProfiles, 1, http.StatusInternalServerError)
	w.publish(t, anaDID, bskyfake.PostInput{Text: "@acme.example.com hi"})
	if evs, _ := w.pollFrom(t, cursor); len(evs) != 1 || evs[0].Inbound.Author.Followers != 0 || evs[0].Inbound.Author.Handle != "@ana.bsky.social" {
		t.Errorf("poll without profiles = %+v", summarise(evs))
	}
}

func TestPollInterval(t *testing.T) {
	t.Parallel()
	if d := (&Adapter{}).PollInterval(care.Inbox{}); d < 20*time.Second || d > 30*time.Second {
		t.Errorf("PollInterval = %v, want 20 to 30 seconds", d)
	}
}

// The first poll brings the last day's notifications, not older ones.
func TestPollFirstDay(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.publish(t, anaDID, bskyfake.PostInput{Text: "@acme.example.com last week"})
	w.clock.Add(7 * 24 * time.Hour)
	w.publish(t, benDID, bskyfake.PostInput{Text: "@acme.example.com this morning"})
	w.clock.Add(time.Hour)
	evs, cursor := w.pollFrom(t, "")
	if len(evs) != 1 || evs[0].Inbound.Text != "@acme.example.com this morning" {
		t.Errorf("first poll = %+v, want this morning's mention alone", summarise(evs))
	}
	if evs, _ := w.pollFrom(t, cursor); len(evs) != 0 {
		t.Errorf("second poll = %+v, want nothing", summarise(evs))
	}
}

// The AppView lists notifications by the earlier of createdAt and the time
// it indexed the post, so a post from a phone whose clock is behind, or
// one indexed late, is listed below notifications already read, and one
// may share the newest time read. Both are read, once.
func TestPollLateNotifications(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.publish(t, anaDID, bskyfake.PostInput{Text: "@acme.example.com an hour ago"})
	w.clock.Add(time.Hour)
	_, cursor := w.pollFrom(t, "")

	b := w.publish(t, benDID, bskyfake.PostInput{Text: "@acme.example.com B"})
	evs, cursor := w.pollFrom(t, cursor)
	if len(evs) != 1 || evs[0].Inbound.PlatformID != b.URI {
		t.Fatalf("poll = %+v, want B", summarise(evs))
	}
	bAt := w.clock.Now().Add(-time.Second) // B's createdAt and indexedAt

	// Written ten seconds before B, indexed after the poll that read B;
	// and one written at B's very millisecond.
	late := w.publish(t, anaDID, bskyfake.PostInput{Text: "@acme.example.com A, written before B", CreatedAt: bAt.Add(-10 * time.Second)})
	tie := w.publish(t, anaDID, bskyfake.PostInput{Text: "@acme.example.com C, written with B", CreatedAt: bAt})
	evs, cursor = w.pollFrom(t, cursor)
	var got []string
	for _, ev := range evs {
		got = append(got, ev.Inbound.PlatformID)
	}
	if diff := cmp.Diff([]string{late.URI, tie.URI}, got); diff != "" {
		t.Errorf("late notifications (-want +got):\n%s", diff)
	}
	if evs, next := w.pollFrom(t, cursor); len(evs) != 0 || next != cursor {
		t.Errorf("the poll after = %+v, cursor moved %v; want nothing", summarise(evs), next != cursor)
	}
	var c pollCursor
	if err := json.Unmarshal([]byte(cursor), &c); err != nil || c.V != cursorVersion || len(c.Seen) != 3 {
		t.Errorf("cursor = %s, %v; want B, A and C remembered, the hour-old mention not", cursor, err)
	}
}

// A cursor written before the window was remembered ({"n", "c"}) is read
// as it was meant: what is not newer than n was read.
func TestPollLegacyCursor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.publish(t, anaDID, bskyfake.PostInput{Text: "@acme.example.com read before"})
	_, cursor := w.pollFrom(t, "")
	var c pollCursor
	if err := json.Unmarshal([]byte(cursor), &c); err != nil {
		t.Fatal(err)
	}
	legacy, _ := json.Marshal(map[string]string{"n": c.Newest, "c": c.Chat})

	w.publish(t, benDID, bskyfake.PostInput{Text: "@acme.example.com new"})
	evs, next := w.pollFrom(t, string(legacy))
	if len(evs) != 1 || evs[0].Inbound.Text != "@acme.example.com new" {
		t.Fatalf("poll from an old cursor = %+v, want the new mention alone", summarise(evs))
	}
	if evs, _ := w.pollFrom(t, next); len(evs) != 0 {
		t.Errorf("the poll after = %+v, want nothing", summarise(evs))
	}
}

// What the cursor remembers is bounded, in number and in bytes, and a
// poll that did not read its whole window forgets nothing it knew.
func TestRemember(t *testing.T) {
	t.Parallel()
	floor := testNow.Add(-lateWindow)
	uri := func(i int) string { return fmt.Sprintf("at://%s/app.bsky.feed.post/3l%011d", anaDID, i) }
	many := func(n int, at time.Time) []readNote {
		var out []readNote
		for i := range n {
			out = append(out, readNote{uri(i), at})
		}
		return out
	}
	longDID := "did:web:" + strings.Repeat("a", 200) + ".example"
	var long []readNote
	for i := range maxSeen {
		long = append(long, readNote{fmt.Sprintf("at://%s/app.bsky.feed.post/3l%011d", longDID, i), testNow})
	}
	tests := []struct {
		name   string
		read   []readNote
		before []string
		whole  bool
		want   int
	}{
		{"below the window", many(3, floor.Add(-time.Millisecond)), nil, true, 0},
		{"at the window's floor", many(3, floor), nil, true, 3},
		{"no time", many(3, time.Time{}), nil, true, 3},
		{"whole window: the old ones go", many(2, testNow), []string{uri(7), uri(8)}, true, 2},
		{"part of it: the old ones stay", many(2, testNow), []string{uri(1), uri(8)}, false, 3},
		{"at most maxSeen", many(maxSeen+40, testNow), nil, true, maxSeen},
		{"at most maxSeenBytes", long, nil, true, maxSeenBytes / (len(long[0].uri) + 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := remember(tt.read, tt.before, tt.whole, floor)
			if len(got) != tt.want {
				t.Fatalf("%d remembered, want %d", len(got), tt.want)
			}
			b, _ := json.Marshal(pollCursor{V: cursorVersion, Newest: testNow.Format(time.RFC3339Nano), Chat: strings.Repeat("c", 512), Seen: got})
			var c pollCursor
			if len(b) > maxCursorBytes || json.Unmarshal(b, &c) != nil || !c.valid() {
				t.Errorf("the cursor (%d bytes) would not be read back", len(b))
			}
		})
	}
	if (pollCursor{Seen: make([]string, maxSeen+1)}).valid() {
		t.Error("a cursor remembering too much is valid")
	}
	if (pollCursor{Seen: []string{"https://bsky.app/x"}}).valid() {
		t.Error("a cursor remembering something other than a post is valid")
	}
}
