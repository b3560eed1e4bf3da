package triage_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/priority"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/triage"
)

func hasWaiting(reasons []string) bool {
	return slices.ContainsFunc(reasons, func(r string) bool { return strings.HasPrefix(r, "waiting") })
}

// TestRank: only a customer waiting on an open conversation is ranked;
// anything else ranks 0 with no reasons, whatever its inputs.
func TestRank(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { at := now.Add(-d); return &at }
	angry := care.PriorityInputs{Need: 0.82, NeedReason: "angry", Reach: 0.4, ReachReason: "38k followers", History: 0.5}
	for _, tt := range []struct {
		name        string
		conv        care.Conversation
		wantScore   float64
		wantReasons []string
	}{
		{"waiting 20 min", care.Conversation{Status: care.StatusOpen, WaitingSince: ago(20 * time.Minute)},
			13.33 + 20.5 + 6 + 5, []string{"angry", "waiting 20 min", "38k followers", "repeat contact"}},
		{"waiting, with the SLA due in 10 min", care.Conversation{Status: care.StatusOpen, WaitingSince: ago(20 * time.Minute),
			NextResponseDue: ago(-10 * time.Minute)},
			26.67 + 20.5 + 6 + 5, []string{"waiting 20 min", "angry", "38k followers", "repeat contact", "SLA due in 10 min"}},
		{"answered", care.Conversation{Status: care.StatusOpen}, 0, nil},
		{"answered, with a stale SLA deadline", care.Conversation{Status: care.StatusOpen, FirstResponseDue: ago(time.Hour)}, 0, nil},
		{"pending: waiting on the customer", care.Conversation{Status: care.StatusPending, WaitingSince: ago(time.Hour)}, 0, nil},
		{"snoozed", care.Conversation{Status: care.StatusSnoozed, WaitingSince: ago(time.Hour)}, 0, nil},
		{"resolved", care.Conversation{Status: care.StatusResolved, WaitingSince: ago(time.Hour)}, 0, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			score, reasons := triage.Rank(&tt.conv, angry, priority.DefaultWeights(), now)
			if score != tt.wantScore || !slices.Equal(reasons, tt.wantReasons) {
				t.Errorf("Rank = %v %q, want %v %q", score, reasons, tt.wantScore, tt.wantReasons)
			}
			if got := triage.Waiting(&tt.conv); got != (tt.wantReasons != nil) {
				t.Errorf("Waiting = %v", got)
			}
		})
	}
}

// TestRecomputeSettles: the every-minute recompute brings down what nobody
// waits on any more, however its score went stale (an answer outside
// Parley, a status an automation set), and raises what still waits.
func TestRecomputeSettles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		stale := []string{"angry", "waiting <1 min"}
		for _, tt := range []struct {
			name    string
			status  care.Status
			waiting bool
			want    func(score float64, reasons []string) bool
		}{
			{"still waiting rises", care.StatusOpen, true, func(score float64, reasons []string) bool {
				return score > 20.5 && slices.Contains(reasons, "waiting 30 min")
			}},
			{"answered", care.StatusOpen, false, nil},
			{"pending", care.StatusPending, true, nil},
			{"snoozed", care.StatusSnoozed, true, nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				c := f.post(t, care.Author{PlatformUserID: tt.name}, care.Private, "Still waiting!! This is terrible")
				if !tt.waiting {
					out := &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionOut,
						Visibility: care.Private, Text: "Sorry!", Status: care.DeliverySent, CreatedAt: f.now, SentAt: f.now}
					if err := s.CreateMessage(ctx, out); err != nil {
						t.Fatal(err)
					}
				}
				score := 20.5
				u := care.ConversationUpdate{Status: &tt.status, Priority: &score, Reasons: &stale}
				if tt.status == care.StatusSnoozed {
					until := f.now.Add(time.Hour)
					u.SnoozedUntil = &until
				}
				if _, err := s.UpdateConversation(ctx, c.ID, u, f.now); err != nil {
					t.Fatal(err)
				}
				if _, _, err := f.tr.Recompute(ctx, s, f.now.Add(30*time.Minute)); err != nil {
					t.Fatal(err)
				}
				got, err := s.Conversation(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case tt.want != nil && !tt.want(got.Priority, got.PriorityReasons):
					t.Errorf("priority %v %q, want it raised by the wait", got.Priority, got.PriorityReasons)
				case tt.want == nil && (got.Priority != 0 || len(got.PriorityReasons) != 0):
					t.Errorf("priority %v %q, want 0 and no reasons", got.Priority, got.PriorityReasons)
				}
			})
		}
	})
}

// TestReplyLowersPriority: end to end, an agent's reply drops the
// conversation below every customer still waiting, at once and for good,
// and the customer's next message ranks it again from that message.
func TestReplyLowersPriority(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		u := &care.User{Email: "sam@acme.test", Name: "Sam"}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMember(ctx, care.Member{WorkspaceID: f.ws.ID, UserID: u.ID, Role: care.RoleAgent}); err != nil {
			t.Fatal(err)
		}
		agent := care.Principal{UserID: u.ID, WorkspaceID: f.ws.ID, Role: care.RoleAgent, Name: "Sam"}
		d := &desk.Service{Store: s, Now: func() time.Time { return f.now }}

		angry := f.post(t, care.Author{PlatformUserID: "ana"}, care.Private, "Still waiting!! This is terrible")
		question := f.post(t, care.Author{PlatformUserID: "bo"}, care.Private, "what time do you open tomorrow?")
		if angry.Priority <= question.Priority {
			t.Fatalf("angry %v not above a question %v", angry.Priority, question.Priority)
		}
		if _, err := d.Reply(ctx, agent, angry.ID, desk.Reply{Text: "So sorry, looking now."}); err != nil {
			t.Fatal(err)
		}
		replied, err := s.Conversation(ctx, angry.ID)
		if err != nil {
			t.Fatal(err)
		}
		if replied.WaitingSince != nil || replied.Priority != 0 || len(replied.PriorityReasons) != 0 {
			t.Errorf("after the reply: waiting since %v, priority %v %q; want none, 0, no reasons",
				replied.WaitingSince, replied.Priority, replied.PriorityReasons)
		}

		f.now = f.now.Add(3 * time.Minute)
		if _, _, err := f.tr.Recompute(ctx, s, f.now); err != nil {
			t.Fatal(err)
		}
		page, err := s.Conversations(ctx, care.ConversationFilter{WorkspaceID: f.ws.ID, Sort: care.SortPriority})
		if err != nil {
			t.Fatal(err)
		}
		var order []care.ID
		for _, c := range page.Conversations {
			order = append(order, c.ID)
			if c.ID == angry.ID && (c.Priority != 0 || hasWaiting(c.PriorityReasons)) {
				t.Errorf("answered conversation after the recompute: %v %q", c.Priority, c.PriorityReasons)
			}
			if c.ID == question.ID && !slices.Contains(c.PriorityReasons, "waiting 3 min") {
				t.Errorf("waiting conversation after the recompute: %v %q", c.Priority, c.PriorityReasons)
			}
		}
		if !slices.Equal(order, []care.ID{question.ID, angry.ID}) {
			t.Errorf("by priority: %v, want the waiting question %d before the answered complaint %d", order, question.ID, angry.ID)
		}

		again := f.post(t, care.Author{PlatformUserID: "ana"}, care.Private, "ok, when do I get my refund?")
		f.now = f.now.Add(2 * time.Minute)
		if _, _, err := f.tr.Recompute(ctx, s, f.now); err != nil {
			t.Fatal(err)
		}
		if again, err = s.Conversation(ctx, again.ID); err != nil {
			t.Fatal(err)
		}
		// Ranked from the new message: the first one was answered.
		if again.ID != angry.ID || again.Priority <= 0 || !slices.Equal(again.PriorityReasons, []string{"refund", "waiting 2 min"}) {
			t.Errorf("after the customer wrote again: conversation %d, priority %v %q; want %d ranked by refund and the wait",
				again.ID, again.Priority, again.PriorityReasons, angry.ID)
		}
	})
}
