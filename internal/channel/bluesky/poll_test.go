package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
	// Ana deletes her DM.
	if err := w.fake.DeleteDM(msgs[0].ConvoID, msgs[0].ID); err != nil {
		t.Fatal(err)
	}
	w.publish(t, anaDID, bskyfake.PostInput{Text: "@acme.example.com thanks!"})
	evs, _ = w.pollFrom(t, cursor)
	if len(evs) != 2 || evs[1].Inbound.Kind != care.KindDelete || evs[1].Inbound.PlatformID != msgs[0].ConvoID+":"+msgs[0].ID {
		t.Errorf("after a deletion: %+v", summarise(evs))
	}
	if n := w.fake.Calls(bskyfake.GetProfiles); n != profiles {
		t.Errorf("getProfiles called %d more times for cached authors", n-profiles)
	}
}

func TestPollPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		posts, want, calls int
	}{
		{0, 0, 1},
		{49, 49, 1},
		{120, 120, 3},
		{250, 200, 4}, // four pages at most; the oldest 50 are skipped
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.posts), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
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
