package reviews

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/reviews/gbpfake"
)

// TestReplyModeration covers Google's moderation of replies: the
// output-only reviewReplyState of the ReviewReply updateReply answers and
// reviews.list serves. A REJECTED reply is a refused send, and no echo; a
// PENDING or APPROVED one is a reply like any other.
func TestReplyModeration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, state, violation string
		says                   string // the refusal's reason; "" when sent
	}{
		{"rejected", "REJECTED", "PERSONAL_INFORMATION", "rejected the reply under its policy for replies (personal information)"},
		{"rejected without a violation", "REJECTED", "", "rejected the reply under its policy for replies:"},
		{"pending", "PENDING", "", ""},
		{"approved", "APPROVED", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGoogle(t)
			_, cursor := g.poll(t, "")
			g.clock.Add(time.Minute)
			name := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 2, Comment: "Nobody called back."})
			events, cursor := g.poll(t, cursor)
			if len(events) != 1 {
				t.Fatalf("new review = %q", summary(events))
			}
			g.fake.ModerateReplies(tt.state, tt.violation)
			g.clock.Add(time.Minute)
			res, err := g.adapter.Send(context.Background(), outbound(g.inbox, "Call Tom on 555-0100.", name))
			var se *channel.SendError
			switch {
			case tt.says == "" && err != nil:
				t.Fatalf("Send = %v, want it sent", err)
			case tt.says != "" && (!errors.As(err, &se) || !se.Permanent || !se.Refused || !strings.Contains(se.Reason, tt.says)):
				t.Fatalf("Send = %+v, %v; want a permanent refusal saying %q", res, err, tt.says)
			}
			events, _ = g.poll(t, cursor)
			var want []string
			if tt.says == "" {
				want = []string{"echo " + res.PlatformID + " Call Tom on 555-0100."}
			}
			if got := summary(events); !cmp.Equal(got, want) {
				t.Errorf("poll after the reply = %q, want %q", got, want)
			}
		})
	}
}

// TestReplyRejectedLater: a reply shown on Google, then rejected by its
// moderation, is gone from the review, as a deleted one is.
func TestReplyRejectedLater(t *testing.T) {
	t.Parallel()
	g := newGoogle(t)
	_, cursor := g.poll(t, "")
	g.clock.Add(time.Minute)
	name := g.fake.Review(gbpfake.ReviewInput{Reviewer: jane, Stars: 4, Comment: "Good."})
	must(t, g.fake.OwnerReply(name, "Thanks, Jane."))
	events, cursor := g.poll(t, cursor)
	if len(events) != 2 {
		t.Fatalf("review and reply = %q", summary(events))
	}
	g.fake.ModerateReplies("REJECTED", "OFF_TOPIC")
	must(t, g.fake.OwnerReply(name, "Thanks, Jane."))
	events, _ = g.poll(t, cursor)
	if got, want := summary(events), []string{"delete " + ReplyID(name, "Thanks, Jane.") + " "}; !cmp.Equal(got, want) {
		t.Errorf("after the reply was rejected = %q, want %q", got, want)
	}
}

func TestViolation(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`"PERSONAL_INFORMATION"`:                    "personal information",
		`"POLICY_VIOLATION_UNSPECIFIED"`:            "",
		`"<b>x</b>"`:                                "",
		`{"category":"HATE_SPEECH","note":"x y z"}`: "hate speech",
		`{"description":"free text","z":"SPAM"}`:    "spam",
		`42`:                                        "",
		``:                                          "",
		`"` + strings.Repeat("A", 65) + `"`:         "",
	} {
		if got := violation([]byte(in)); got != want {
			t.Errorf("violation(%s) = %q, want %q", in, got, want)
		}
	}
}
