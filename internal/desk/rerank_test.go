package desk_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/testdb"
)

// TestRerank: whatever ends the customer's wait drops the conversation's
// priority to 0 with no reasons in the same transaction, a held reply does
// not, and waking a snoozed conversation the customer still waits on ranks
// it again.
func TestRerank(t *testing.T) {
	for _, tt := range []struct {
		name string
		act  func(t *testing.T, w *world) error
		// waiting is whether the customer is still waited on afterwards.
		waiting bool
	}{
		{"reply", func(t *testing.T, w *world) error {
			_, err := w.d.Reply(t.Context(), w.agent, w.conv.ID, desk.Reply{Text: "On it."})
			return err
		}, false},
		{"held reply", func(t *testing.T, w *world) error {
			if err := w.s.SetSetting(t.Context(), w.agent.WorkspaceID, desk.ApprovalSettingName, []byte(`{"roles":["agent"]}`), w.now); err != nil {
				return err
			}
			_, err := w.d.Reply(t.Context(), w.agent, w.conv.ID, desk.Reply{Text: "On it.", Visibility: care.Public})
			return err
		}, true},
		{"approved reply", func(t *testing.T, w *world) error {
			ctx := t.Context()
			if err := w.s.SetSetting(ctx, w.agent.WorkspaceID, desk.ApprovalSettingName, []byte(`{"roles":["agent"]}`), w.now); err != nil {
				return err
			}
			held, err := w.d.Reply(ctx, w.agent, w.conv.ID, desk.Reply{Text: "On it.", Visibility: care.Public})
			if err != nil {
				return err
			}
			sue := &care.User{Email: "sue@acme.test", Name: "Sue"}
			if err := w.s.CreateUser(ctx, sue); err != nil {
				return err
			}
			sup := care.Principal{UserID: sue.ID, WorkspaceID: w.agent.WorkspaceID, Role: care.RoleSupervisor, Name: "Sue"}
			_, err = w.d.Approve(ctx, sup, held.ID, nil)
			return err
		}, false},
		{"take private", func(t *testing.T, w *world) error {
			_, err := w.d.TakePrivate(t.Context(), w.agent, w.conv.ID, desk.TakePrivate{MessageID: w.inMsg.ID,
				PublicText: "Sorry! We've sent you a DM.", PrivateText: "Could you share your order number?"})
			return err
		}, false},
		{"pending", update(care.StatusPending), false},
		{"snoozed", update(care.StatusSnoozed), false},
		{"resolved", update(care.StatusResolved), false},
		{"dismissed", func(t *testing.T, w *world) error {
			_, err := w.d.Dismiss(t.Context(), w.agent, w.conv.ID, "spam")
			return err
		}, false},
		{"snooze ended", func(t *testing.T, w *world) error {
			if err := update(care.StatusSnoozed)(t, w); err != nil {
				return err
			}
			w.now = w.now.Add(2 * time.Hour)
			_, err := w.d.WakeSnoozed(t.Context())
			return err
		}, true},
		{"reopened by hand", func(t *testing.T, w *world) error {
			if err := update(care.StatusPending)(t, w); err != nil {
				return err
			}
			return update(care.StatusOpen)(t, w)
		}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, s care.Store) {
				ctx := t.Context()
				w := setup(t, s)
				// The score the customer waited with, and a stale reason.
				score, stale := 1.5, []string{"waiting <1 min"}
				c, err := s.UpdateConversation(ctx, w.conv.ID, care.ConversationUpdate{Priority: &score, Reasons: &stale}, w.now)
				if err != nil {
					t.Fatal(err)
				}
				if c.WaitingSince == nil {
					t.Fatal("the customer's message started no wait")
				}
				w.now = c.WaitingSince.Add(10 * time.Minute)
				if err := tt.act(t, w); err != nil {
					t.Fatal(err)
				}
				c, err = s.Conversation(ctx, w.conv.ID)
				if err != nil {
					t.Fatal(err)
				}
				waitingReason := slices.ContainsFunc(c.PriorityReasons, func(r string) bool { return strings.HasPrefix(r, "waiting") })
				switch {
				case !tt.waiting && (c.Priority != 0 || len(c.PriorityReasons) != 0):
					t.Errorf("priority %v %q, want 0 and no reasons once nobody waits", c.Priority, c.PriorityReasons)
				case tt.waiting && (c.Priority <= 0 || !waitingReason):
					t.Errorf("priority %v %q, want it ranked by the customer's wait", c.Priority, c.PriorityReasons)
				}
				events, err := s.EventsAfter(ctx, w.agent.WorkspaceID, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				// What the live views are told is what is stored.
				for _, e := range events {
					if e.Type == care.EventConversationUpdated && !tt.waiting && strings.Contains(string(e.Data), `"waiting <1 min"`) {
						t.Errorf("%s announced the stale priority: %s", e.Type, e.Data)
					}
				}
			})
		})
	}
}

// update is an agent setting the conversation's status.
func update(st care.Status) func(t *testing.T, w *world) error {
	return func(t *testing.T, w *world) error {
		u := care.ConversationUpdate{Status: &st}
		if st == care.StatusSnoozed {
			until := w.now.Add(time.Hour)
			u.SnoozedUntil = &until
		}
		_, err := w.d.Update(t.Context(), w.agent, w.conv.ID, u)
		return err
	}
}
