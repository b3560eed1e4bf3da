package youtube

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/channel/youtube/ytfake"
)

// TestPollHeld: comments YouTube holds for review or takes for likely
// spam are listed only with moderationStatus
// (developers.google.com/youtube/v3/docs/commentThreads/list). With
// held_comments on, every poll reads them, and their text says they are
// not on show; published later, they are not handed over again. Off, the
// default, they are not read.
func TestPollHeld(t *testing.T) {
	t.Parallel()
	for _, held := range []string{"true", ""} {
		t.Run("held_comments="+held, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			r.inbox.Credentials[CredHeldComments] = held
			_, cur := r.mustPoll(t, "")
			r.clock.Add(time.Second)
			top := r.fake.Comment(ana, ytfake.DefaultVideoID, "Refund link: https://acme.example/r/5521")
			must(t, r.fake.Hold(top, ytfake.HeldForReview))
			r.clock.Add(time.Second)
			open := r.fake.Comment(ben, ytfake.DefaultVideoID, "Where is my parcel?")
			r.clock.Add(time.Second)
			spam, err := r.fake.Reply(ana, open, "Same, see https://acme.example/t/77")
			must(t, err)
			must(t, r.fake.Hold(spam, ytfake.LikelySpam))

			events, cur := r.pollEvents(t, cur)
			want := []string{open + " Where is my parcel?"}
			if held != "" {
				want = []string{
					top + " [Held for review] Refund link: https://acme.example/r/5521",
					open + " Where is my parcel?",
					spam + " [Likely spam] Same, see https://acme.example/t/77",
				}
			}
			if diff := cmp.Diff(want, events); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			statuses := r.moderationStatuses()
			// The first poll, which starts the inbox, learns them too.
			if wantStatuses := []string{"heldForReview", "likelySpam", "heldForReview", "likelySpam"}; held != "" && !slices.Equal(statuses, wantStatuses) || held == "" && len(statuses) != 0 {
				t.Errorf("lists by moderationStatus = %v", statuses)
			}

			// Published in YouTube Studio: the same comment, not a new one.
			must(t, r.fake.Hold(top, ytfake.Published))
			r.clock.Add(time.Minute)
			if events, _ := r.pollEvents(t, cur); held != "" && len(events) != 0 || held == "" && !slices.Equal(events, []string{top + " Refund link: https://acme.example/r/5521"}) {
				t.Errorf("after publishing = %v", events)
			}
		})
	}
}

// pollEvents polls once and returns each event as its id and text.
func (r *rig) pollEvents(t *testing.T, cur string) ([]string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	events, next, err := r.adapter.Poll(ctx, r.inbox, cur)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	var out []string
	for _, ev := range events {
		checkEvent(t, ev, nil)
		out = append(out, ev.Inbound.PlatformID+" "+ev.Inbound.Text)
	}
	return out, next
}

// moderationStatuses are the moderationStatus values of the fake's
// commentThreads requests, in order.
func (r *rig) moderationStatuses() []string {
	var out []string
	for _, q := range r.fake.Requests() {
		if s := q.Query.Get("moderationStatus"); q.Path == "/youtube/v3/commentThreads" && s != "" {
			out = append(out, s)
		}
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
