package youtube

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/youtube/ytfake"
)

// Viewers of the tests.
var (
	ana = ytfake.Viewer{Handle: "anasilva"}
	ben = ytfake.Viewer{Handle: "benjohnson"}
)

// poll polls once, checks every event as the core would, and returns the
// events' platform ids and the cursor.
func (r *rig) poll(t *testing.T, cur string) ([]string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	events, next, err := r.adapter.Poll(ctx, r.inbox, cur)
	var ids []string
	for i, ev := range events {
		checkEvent(t, ev, nil)
		if i > 0 && ev.Inbound.SentAt.Before(events[i-1].Inbound.SentAt) {
			t.Errorf("event %s is older than the one before it", ev.Inbound.PlatformID)
		}
		ids = append(ids, ev.Inbound.PlatformID)
	}
	return ids, next, err
}

// mustPoll polls once and fails the test on an error.
func (r *rig) mustPoll(t *testing.T, cur string) ([]string, string) {
	t.Helper()
	ids, next, err := r.poll(t, cur)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	return ids, next
}

// requests counts the fake's requests to path.
func (r *rig) requests(path string) int {
	n := 0
	for _, q := range r.fake.Requests() {
		if q.Path == path {
			n++
		}
	}
	return n
}

func TestPollStartsNow(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	old := r.fake.Comment(ana, ytfake.DefaultVideoID, "Posted before the inbox was connected")
	for range 7 {
		r.fake.Reply(ben, old, "an old reply")
	}
	ids, cur := r.mustPoll(t, "")
	if len(ids) != 0 {
		t.Fatalf("first poll = %v, want nothing: the inbox starts now", ids)
	}
	if n := len(r.fake.Requests()); n != 1 {
		t.Errorf("first poll made %d requests, want one page", n)
	}
	r.clock.Add(time.Minute)
	if ids, _ := r.mustPoll(t, cur); len(ids) != 0 {
		t.Errorf("second poll = %v, want nothing", ids)
	}
	if n := r.requests("/youtube/v3/comments"); n != 0 {
		t.Errorf("%d requests for the old thread's replies, want none", n)
	}
	// A cursor that cannot be read starts again from now.
	if ids, next := r.mustPoll(t, "garbage"); len(ids) != 0 || !strings.HasPrefix(next, `{"v":1`) {
		t.Errorf("poll with a broken cursor = %v, %q", ids, next)
	}
}

func TestPollNew(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	old := r.fake.Comment(ana, ytfake.DefaultVideoID, "An old question")
	ownOld := r.fake.Comment(ytfake.Viewer{ChannelID: ytfake.DefaultChannelID, Handle: ytfake.DefaultHandle}, ytfake.DefaultVideoID, "Our pinned FAQ")
	_, cur := r.mustPoll(t, "")

	step := func() { r.clock.Add(time.Second) }
	step()
	top := r.fake.Comment(ben, "", "A question about the channel")
	step()
	reply, _ := r.fake.Reply(ana, top, "Same question")
	step()
	oldReply, _ := r.fake.Reply(ben, old, "A new reply on an old thread")
	step()
	r.fake.Edit(old, "An old question, edited")
	step()
	echo, _ := r.fake.OwnerReply(old, "Answered in YouTube Studio")
	step()
	r.fake.Comment(ytfake.Viewer{ChannelID: ytfake.DefaultChannelID, Handle: ytfake.DefaultHandle}, ytfake.DefaultVideoID, "Our own new comment")
	step()
	faq, _ := r.fake.Reply(ben, ownOld, "A question under our FAQ")
	step()
	r.fake.OwnerReply(ownOld, "Our answer under our FAQ")

	ctx := context.Background()
	events, cur, err := r.adapter.Poll(ctx, r.inbox, cur)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]care.Inbound{}
	var ids []string
	for _, ev := range events {
		checkEvent(t, ev, nil)
		got[ev.Inbound.PlatformID] = ev.Inbound
		ids = append(ids, ev.Inbound.PlatformID)
	}
	edit := EditID(old, testNow.Add(4*time.Second))
	want := []string{top, reply, oldReply, edit, echo, faq}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
	if in := got[reply]; in.ReplyToPlatformID != top || in.Kind != care.KindMessage || in.Author.Handle != "anasilva" {
		t.Errorf("reply = %+v", in)
	}
	if in := got[edit]; in.Text != "[Edited] An old question, edited" || in.ReplyToPlatformID != old {
		t.Errorf("edit = %+v", in)
	}
	if in := got[echo]; in.Kind != care.KindEcho || in.Author.Handle != "anasilva" || in.ReplyToPlatformID != old {
		t.Errorf("echo = %+v, want an echo filed under Ana", in)
	}
	if in := got[top]; in.Subject != "Comment "+top+" on the channel" || in.Engagement != 1 {
		t.Errorf("top-level comment = %+v", in)
	}

	// Nothing twice, even within the overlap.
	r.clock.Add(time.Minute)
	if ids, _ := r.mustPoll(t, cur); len(ids) != 0 {
		t.Errorf("poll after = %v, want nothing", ids)
	}
}

func TestPollRepliesBeyondEmbedded(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	_, cur := r.mustPoll(t, "")
	r.clock.Add(time.Second)
	top := r.fake.Comment(ana, ytfake.DefaultVideoID, "Battery drains fast")
	var replies []string
	for i := range 8 {
		r.clock.Add(time.Second)
		id, _ := r.fake.Reply(ben, top, fmt.Sprintf("reply %d", i))
		replies = append(replies, id)
	}
	ids, cur := r.mustPoll(t, cur)
	if diff := cmp.Diff(append([]string{top}, replies...), ids); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
	if n := r.requests("/youtube/v3/comments"); n != 1 {
		t.Errorf("%d reads of the thread's replies, want 1", n)
	}
	// The count did not change: the replies are not read again.
	r.clock.Add(time.Minute)
	if ids, cur = r.mustPoll(t, cur); len(ids) != 0 || r.requests("/youtube/v3/comments") != 1 {
		t.Errorf("poll after = %v with %d reads of replies", ids, r.requests("/youtube/v3/comments"))
	}
	// A ninth reply, not embedded: read, and handed over alone.
	last, _ := r.fake.Reply(ana, top, "any news?")
	if ids, _ = r.mustPoll(t, cur); !slices.Equal(ids, []string{last}) {
		t.Errorf("events = %v, want only %s", ids, last)
	}
}

// TestPollRepliesLater reads a thread's replies in a later poll when
// reading them failed, even once the cursor has moved past them.
func TestPollRepliesLater(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	_, cur := r.mustPoll(t, "")
	r.clock.Add(time.Second)
	top := r.fake.Comment(ana, ytfake.DefaultVideoID, "A busy thread")
	var replies []string
	for i := range 7 {
		r.clock.Add(time.Second)
		id, _ := r.fake.Reply(ben, top, fmt.Sprintf("reply %d", i))
		replies = append(replies, id)
	}
	r.fake.FailNextOn("/youtube/v3/comments", 1, 503, "backendError")
	ids, next, err := r.poll(t, cur)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Fatalf("poll = %v, want a temporary error", err)
	}
	if diff := cmp.Diff(append([]string{top}, replies[:5]...), ids); diff != "" {
		t.Errorf("events with the replies unread (-want +got):\n%s", diff)
	}
	// Twenty minutes later, past the overlap, with newer comments.
	r.clock.Add(20 * time.Minute)
	newer := r.fake.Comment(ben, ytfake.DefaultVideoID, "Another question")
	ids, _ = r.mustPoll(t, next)
	if diff := cmp.Diff([]string{replies[5], replies[6], newer}, ids); diff != "" {
		t.Errorf("events after (-want +got):\n%s", diff)
	}
}

// TestPollThreadGone: a thread whose top-level comment is deleted between
// the page listing it and the read of its replies answers comments.list
// with 404 commentNotFound. That thread is done with; the poll goes on with
// the others, and no error reaches the inbox.
func TestPollThreadGone(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	_, cur := r.mustPoll(t, "")
	threads := map[string][]string{}
	var tops []string
	for _, text := range []string{"First thread", "Second thread"} {
		r.clock.Add(time.Second)
		top := r.fake.Comment(ana, ytfake.DefaultVideoID, text)
		tops = append(tops, top)
		for i := range 7 {
			r.clock.Add(time.Second)
			id, _ := r.fake.Reply(ben, top, fmt.Sprintf("%s, reply %d", text, i))
			threads[top] = append(threads[top], id)
		}
	}
	// Threads come newest first: the second thread's replies are read
	// first, and are gone.
	r.fake.FailNextOn("/youtube/v3/comments", 1, 404, "commentNotFound")
	ids, next, err := r.poll(t, cur)
	if err != nil {
		t.Fatalf("poll = %v, want no error", err)
	}
	for _, id := range threads[tops[0]] {
		if !slices.Contains(ids, id) {
			t.Errorf("reply %s of the first thread was not read", id)
		}
	}
	if n := r.requests("/youtube/v3/comments"); n != 2 {
		t.Errorf("%d reads of replies, want 2", n)
	}
	// It was deleted on YouTube; the next poll reads no replies.
	if err := r.fake.Delete(tops[1]); err != nil {
		t.Fatal(err)
	}
	r.clock.Add(time.Minute)
	if _, _, err := r.poll(t, next); err != nil || r.requests("/youtube/v3/comments") != 2 {
		t.Errorf("next poll = %v, with %d reads of replies, want none more", err, r.requests("/youtube/v3/comments"))
	}
}

// TestPollLate hands over a comment YouTube lists after later ones, when
// it is within the overlap.
func TestPollLate(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	_, cur := r.mustPoll(t, "")
	r.clock.Add(10 * time.Minute)
	first := r.fake.Comment(ana, ytfake.DefaultVideoID, "listed at once")
	ids, cur := r.mustPoll(t, cur)
	if !slices.Equal(ids, []string{first}) {
		t.Fatalf("events = %v", ids)
	}
	r.clock.Add(-5 * time.Minute)
	late := r.fake.Comment(ben, ytfake.DefaultVideoID, "posted five minutes ago, listed only now")
	r.clock.Add(-20 * time.Minute)
	r.fake.Comment(ben, ytfake.DefaultVideoID, "listed twenty minutes late: too late")
	r.clock.Add(25 * time.Minute)
	if ids, _ := r.mustPoll(t, cur); !slices.Equal(ids, []string{late}) {
		t.Errorf("events = %v, want only %s", ids, late)
	}
}

// TestPollBurst reads a burst larger than a poll may spend over several
// polls, each comment once.
func TestPollBurst(t *testing.T) {
	t.Parallel()
	for _, interleaved := range []bool{false, true} {
		t.Run(fmt.Sprintf("new comments meanwhile %v", interleaved), func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			r.inbox.Credentials[CredDailyQuota] = "1000000"
			_, cur := r.mustPoll(t, "")
			want := map[string]bool{}
			for i := range 2500 {
				r.clock.Add(time.Second)
				want[r.fake.Comment(ana, ytfake.DefaultVideoID, fmt.Sprintf("burst %d", i))] = true
			}
			got := map[string]int{}
			for polls := 0; ; polls++ {
				if polls == 20 {
					t.Fatalf("20 polls and %d of %d comments read", len(got), len(want))
				}
				if interleaved {
					r.clock.Add(time.Second)
					want[r.fake.Comment(ben, ytfake.DefaultVideoID, fmt.Sprintf("meanwhile %d", polls))] = true
				}
				ids, next := r.mustPoll(t, cur)
				for _, id := range ids {
					got[id]++
				}
				c, _ := parseCursor(next, r.clock.Now())
				cur = next
				if c.Gap == nil && len(got) == len(want) {
					break
				}
			}
			for id := range want {
				if got[id] == 0 {
					t.Errorf("comment %s was never read", id)
				}
			}
			for id, n := range got {
				if !want[id] {
					t.Errorf("read %s, which is not a comment", id)
				}
				if n > 1 && !interleaved {
					t.Errorf("comment %s read %d times", id, n)
				}
			}
		})
	}
}

// TestPollRefusedToken reads a gap YouTube refuses the token of again
// from the newest thread.
func TestPollRefusedToken(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	_, cur := r.mustPoll(t, "")
	c, _ := parseCursor(cur, r.clock.Now())
	r.clock.Add(time.Second)
	inGap := r.fake.Comment(ana, ytfake.DefaultVideoID, "in the gap")
	r.clock.Add(time.Hour)
	newest := r.fake.Comment(ben, ytfake.DefaultVideoID, "the newest")
	// As if a poll an hour on had read to the top but not the hour
	// before, and YouTube no longer knows its page token.
	c.Mark = r.clock.Now().Unix() - 1
	c.Gap = &gap{Token: "ZXhwaXJlZA", Floor: c.Mark - 7200}
	ids, next := r.mustPoll(t, formatCursor(c))
	if !slices.Equal(ids, []string{newest}) {
		t.Errorf("events = %v, want %s", ids, newest)
	}
	if c, _ := parseCursor(next, r.clock.Now()); c.Gap == nil || c.Gap.Token != "" {
		t.Fatalf("cursor = %s, want the gap to be read from the newest thread", next)
	}
	ids, next = r.mustPoll(t, next)
	if !slices.Equal(ids, []string{inGap}) {
		t.Errorf("events = %v, want %s", ids, inGap)
	}
	if c, _ := parseCursor(next, r.clock.Now()); c.Gap != nil {
		t.Errorf("cursor = %s, want the gap closed", next)
	}
}

// TestPollScanPages finds a new reply on a thread on the second page when
// scan_pages says to read two.
func TestPollScanPages(t *testing.T) {
	t.Parallel()
	for _, pages := range []string{"1", "2"} {
		t.Run("scan_pages "+pages, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			r.inbox.Credentials[CredScanPages] = pages
			deep := r.fake.Comment(ana, ytfake.DefaultVideoID, "an old thread")
			for range 150 {
				r.clock.Add(10 * time.Second)
				r.fake.Comment(ben, ytfake.DefaultVideoID, "newer thread")
			}
			_, cur := r.mustPoll(t, "")
			r.clock.Add(time.Hour)
			reply, _ := r.fake.Reply(ben, deep, "a reply deep down")
			ids, _ := r.mustPoll(t, cur)
			found := slices.Contains(ids, reply)
			if found != (pages == "2") {
				t.Errorf("with scan_pages %s the reply was found: %v (events %v)", pages, found, ids)
			}
		})
	}
}

func TestPollQuota(t *testing.T) {
	t.Parallel()
	t.Run("polling budget", func(t *testing.T) {
		t.Parallel()
		r := newRig(t)
		r.inbox.Credentials[CredDailyQuota] = "10" // 6 units for polling
		_, cur := r.mustPoll(t, "")
		for range 5 {
			r.clock.Add(time.Minute)
			_, cur = r.mustPoll(t, cur)
		}
		before := len(r.fake.Requests())
		ids, next, err := r.poll(t, cur)
		var se *channel.SendError
		if !errors.As(err, &se) || se.Permanent || se.RetryAfter != 22*time.Hour-5*time.Minute || next != cur || ids != nil {
			t.Fatalf("poll past the budget = %v, %v, %#v", ids, next, err)
		}
		if !strings.Contains(se.Reason, "polling budget for today is spent") || !strings.Contains(se.RateLimit, "6/10 units today (polling 6/6)") {
			t.Errorf("reason %q, rate limit %q", se.Reason, se.RateLimit)
		}
		if n := len(r.fake.Requests()); n != before {
			t.Errorf("%d requests made past the budget", n-before)
		}
		if iv := r.adapter.PollInterval(r.inbox); iv != time.Hour {
			t.Errorf("PollInterval = %v, want an hour", iv)
		}
		// After the Pacific midnight reset, polling resumes.
		r.clock.Add(se.RetryAfter)
		if _, _, err := r.poll(t, cur); err != nil {
			t.Errorf("poll after the reset: %v", err)
		}
	})
	t.Run("YouTube's quotaExceeded", func(t *testing.T) {
		t.Parallel()
		r := newRig(t)
		_, cur := r.mustPoll(t, "")
		r.fake.SpendQuota(ytfake.DefaultDailyQuota)
		_, _, err := r.poll(t, cur)
		var se *channel.SendError
		if !errors.As(err, &se) || se.Permanent || se.RetryAfter != 22*time.Hour || !strings.Contains(se.Reason, "quotaExceeded") {
			t.Fatalf("poll = %#v, want quotaExceeded until the reset", err)
		}
		before := len(r.fake.Requests())
		if _, _, err := r.poll(t, cur); err == nil || len(r.fake.Requests()) != before {
			t.Errorf("a poll after quotaExceeded asked YouTube (%v)", err)
		}
	})
}

func TestPollAuth(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	_, cur := r.mustPoll(t, "")
	if n := r.fake.TokenRequests(); n != 1 {
		t.Fatalf("%d token requests, want 1", n)
	}
	r.clock.Add(time.Minute)
	if _, cur = r.mustPoll(t, cur); r.fake.TokenRequests() != 1 {
		t.Errorf("the token was not reused")
	}
	// A token YouTube no longer takes is renewed, and the request made again.
	r.fake.RevokeAccessTokens()
	id := r.fake.Comment(ana, ytfake.DefaultVideoID, "after the token expired")
	ids, cur := r.mustPoll(t, cur)
	if !slices.Equal(ids, []string{id}) || r.fake.TokenRequests() != 2 {
		t.Errorf("events %v with %d token requests", ids, r.fake.TokenRequests())
	}
	reqs := r.fake.Requests()
	if s := reqs[len(reqs)-2].Status; s != 401 {
		t.Errorf("status before the renewal = %d, want 401", s)
	}
	// A revoked grant fails for good.
	r.fake.RevokeRefreshToken()
	_, _, err := r.poll(t, cur)
	var se *channel.SendError
	if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, "connect the account again") {
		t.Errorf("poll with a revoked refresh token = %v", err)
	}
}

func TestPollErrors(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	_, cur := r.mustPoll(t, "")
	r.fake.FailNext(1, 503, "backendError")
	_, next, err := r.poll(t, cur)
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || next != cur || !strings.Contains(se.Reason, "503 backendError") {
		t.Errorf("poll when YouTube fails = %v, %q", err, next)
	}
	r.fake.FailNext(1, 403, "forbidden")
	if _, _, err := r.poll(t, cur); !errors.As(err, &se) || !se.Permanent {
		t.Errorf("poll when YouTube forbids = %v", err)
	}
	bad := r.inbox
	bad.ExternalID = "not a channel"
	if _, _, err := r.adapter.Poll(context.Background(), bad, cur); !errors.As(err, &se) || !se.Permanent {
		t.Errorf("poll without a channel id = %v", err)
	}
}

// TestPollNoChannel reads the comments of an account without a channel
// from the fake: they are polled under one identity in their thread, and
// answered in that thread like any other.
func TestPollNoChannel(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	jane := ytfake.Viewer{DisplayName: "Jane Doe", NoChannel: true}
	_, cur := r.mustPoll(t, "")
	r.clock.Add(time.Second)
	top := r.fake.Comment(jane, ytfake.DefaultVideoID, "My order never arrived")
	r.clock.Add(time.Second)
	reply, _ := r.fake.Reply(jane, top, "Order 5521")
	r.clock.Add(time.Second)
	other := r.fake.Comment(jane, ytfake.DefaultVideoID, "Another Jane, another thread")
	r.clock.Add(time.Minute)

	events, _, err := r.adapter.Poll(context.Background(), r.inbox, cur)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]care.Inbound{}
	for _, ev := range events {
		checkEvent(t, ev, nil)
		byID[ev.Inbound.PlatformID] = ev.Inbound
	}
	first, second, third := byID[top], byID[reply], byID[other]
	if len(events) != 3 || first.Text != "My order never arrived" || second.Text != "Order 5521" || third.Text == "" {
		t.Fatalf("events = %+v, want Jane's three comments", events)
	}
	if a := first.Author; !strings.HasPrefix(a.PlatformUserID, "nochannel:"+top+":") || a.DisplayName != "Jane Doe" || a.Handle != "" {
		t.Errorf("author = %+v, want an identity of the thread, named Jane Doe", a)
	}
	if second.Author != first.Author || second.ReplyToPlatformID != top {
		t.Errorf("reply = %+v, want it by the same author, in the thread", second)
	}
	if third.Author.PlatformUserID == first.Author.PlatformUserID || third.Author.DisplayName != "Jane Doe" {
		t.Errorf("a namesake in another thread = %+v, want another identity", third.Author)
	}

	// Answering her reply goes to the thread, without naming anyone: she
	// has no handle.
	out := r.outbound("Sorry Jane, it ships today.", reply)
	out.Contact = care.Contact{ID: 6, Identities: []care.Identity{{ID: 2, Platform: care.ChannelYouTube, PlatformUserID: first.Author.PlatformUserID}}}
	out.LastInbound = &care.Message{PlatformID: reply, ContactID: 6, AuthorName: "Jane Doe"}
	res, err := r.send(t, out)
	if err != nil {
		t.Fatal(err)
	}
	posted := r.fake.Replies()
	if len(posted) != 1 || posted[0].ParentID != top || posted[0].Text != "Sorry Jane, it ships today." || res.PlatformID != posted[0].ID {
		t.Errorf("Send = %+v; posted %+v", res, posted)
	}
	// Nor when the name she shows looks like a handle: without a channel
	// it is none of hers.
	out.LastInbound.AuthorName = "@janedoe"
	if _, err := r.send(t, out); err != nil {
		t.Fatal(err)
	}
	if p := r.fake.Replies(); p[len(p)-1].Text != "Sorry Jane, it ships today." {
		t.Errorf("posted %q, want no @mention", p[len(p)-1].Text)
	}
}
