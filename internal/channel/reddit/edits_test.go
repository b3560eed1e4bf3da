package reddit

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/reddit/redditfake"
)

// TestPollEdits: a customer's comment edited after Parley read it comes
// as a message of its own, "[Edited] …", answering it, once per edit; an
// edit made before Parley first read the comment, an edit after the
// window, and the edits of messages are not looked for.
func TestPollEdits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := e.fake.Post(redditfake.Username, "Firmware 2.1 is out", "")
	_, cursor := e.poll("")

	e.clock.Add(time.Minute)
	c1 := e.fake.Comment(redditfake.Comment{From: "some_customer", Parent: post, Body: "My router **reboots**"})
	pm := e.fake.Message(redditfake.Message{From: "some_customer", Subject: "Order", Body: "my order"})
	evs, cursor := e.poll(cursor)
	if got := ids(evs); !cmp.Equal(got, []string{c1, pm}) {
		t.Fatalf("poll = %v, want %v", got, []string{c1, pm})
	}

	// Edited within the check interval: not looked for yet.
	e.clock.Add(time.Minute)
	e.fake.Edit(c1, "My router reboots every hour")
	edited := e.clock.Now()
	evs, cursor = e.poll(cursor)
	if len(evs) != 0 {
		t.Fatalf("poll before the check interval = %v, want nothing", ids(evs))
	}

	e.clock.Add(editCheckInterval)
	evs, cursor = e.poll(cursor)
	want := []care.Inbound{{PlatformID: EditID(c1, edited), ReplyToPlatformID: c1, Visibility: care.Public,
		Author: care.Author{PlatformUserID: "some_customer", DisplayName: "u/some_customer", Handle: "some_customer"},
		Text:   "[Edited] My router reboots every hour", SentAt: edited.UTC()}}
	if diff := cmp.Diff(want, inbounds(evs)); diff != "" {
		t.Fatalf("edit (-want +got):\n%s", diff)
	}

	// Reported once; a second edit is another message.
	e.clock.Add(editCheckInterval)
	if evs, cursor = e.poll(cursor); len(evs) != 0 {
		t.Fatalf("the same edit again: %v", ids(evs))
	}
	e.fake.Edit(c1, "Fixed by a reset, thanks")
	second := e.clock.Now()
	e.clock.Add(editCheckInterval)
	if evs, cursor = e.poll(cursor); !cmp.Equal(ids(evs), []string{EditID(c1, second)}) || evs[0].Inbound.Text != "[Edited] Fixed by a reset, thanks" {
		t.Fatalf("second edit = %+v", inbounds(evs))
	}

	// Already edited when first read: one message with its current text.
	c2 := e.fake.Comment(redditfake.Comment{From: "other_customer", Parent: post, Body: "first words"})
	e.fake.Edit(c2, "second words")
	e.clock.Add(time.Second)
	if evs, cursor = e.poll(cursor); !cmp.Equal(ids(evs), []string{c2}) || evs[0].Inbound.Text != "second words" {
		t.Fatalf("a comment edited before it was read = %+v", inbounds(evs))
	}
	e.clock.Add(editCheckInterval)
	if evs, cursor = e.poll(cursor); len(evs) != 0 {
		t.Fatalf("an edit from before the comment was read: %v", ids(evs))
	}

	// Past the window the comments are no longer read again.
	e.clock.Add(editWindow)
	e.fake.Edit(c1, "late")
	before := len(e.fake.InfoQueries())
	if evs, cursor = e.poll(cursor); len(evs) != 0 {
		t.Fatalf("an edit after the window: %v", ids(evs))
	}
	if n := len(e.fake.InfoQueries()); n != before {
		t.Errorf("%d /api/info requests after the window, want none", n-before)
	}
	var c pollCursor
	if err := json.Unmarshal([]byte(cursor), &c); err != nil || len(c.Watch) != 0 {
		t.Errorf("cursor after the window = %s, want no comments watched", cursor)
	}

	// One request a check, for comments only.
	for _, q := range e.fake.InfoQueries() {
		v, _ := url.ParseQuery(q)
		if id := v.Get("id"); id != c1 && id != c1+","+c2 || v.Get("raw_json") != "1" {
			t.Errorf("/api/info query %q, want the watched comments", q)
		}
	}
}

// TestPollEditCheckFails: an edit check that gets no answer fails
// nothing: the new items come, and the check is made again after the
// interval.
func TestPollEditCheckFails(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lossy := &lostAnswers{next: e.srv.Client().Transport}
	e.a.Client = &http.Client{Transport: lossy}
	post := e.fake.Post(redditfake.Username, "Firmware 2.1 is out", "")
	_, cursor := e.poll("")
	c1 := e.fake.Comment(redditfake.Comment{From: "some_customer", Parent: post, Body: "broken"})
	e.clock.Add(time.Second)
	_, cursor = e.poll(cursor)
	e.clock.Add(time.Minute)
	e.fake.Edit(c1, "still broken")
	edited := e.clock.Now()
	e.clock.Add(editCheckInterval)
	c2 := e.fake.Comment(redditfake.Comment{From: "some_customer", Parent: post, Body: "hello?"})
	lossy.lose("/api/info", 1)
	evs, cursor := e.poll(cursor)
	if !cmp.Equal(ids(evs), []string{c2}) {
		t.Fatalf("poll with a lost edit check = %v, want %v", ids(evs), c2)
	}
	if evs, cursor = e.poll(cursor); len(evs) != 0 {
		t.Fatalf("poll within the interval = %v, want nothing", ids(evs))
	}
	e.clock.Add(editCheckInterval)
	if evs, _ = e.poll(cursor); !cmp.Equal(ids(evs), []string{EditID(c1, edited)}) {
		t.Fatalf("after a failed check = %v, want the edit", ids(evs))
	}
}

func inbounds(evs []channel.Event) []care.Inbound {
	out := make([]care.Inbound, 0, len(evs))
	for _, ev := range evs {
		out = append(out, ev.Inbound)
	}
	return out
}
