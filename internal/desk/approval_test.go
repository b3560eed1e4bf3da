package desk_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/testdb"
)

func TestApprovals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		w := setup(t, s)
		ws := w.agent.WorkspaceID
		settings := `{"roles":["agent"],"tags":["crisis"],"words":["compensation"],"sla":"10m"}`
		if _, _, err := desk.ParseApprovalSettings([]byte(settings)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSetting(ctx, ws, desk.ApprovalSettingName, []byte(settings), w.now); err != nil {
			t.Fatal(err)
		}
		outbox := func() int {
			t.Helper()
			n, err := s.OutboxDepth(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		// An agent's public reply is held: nothing in the outbox.
		held, err := w.d.Reply(ctx, w.agent, w.conv.ID, desk.Reply{Text: "We can offer compensation.", Visibility: care.Public})
		if err != nil {
			t.Fatal(err)
		}
		if held.Status != care.DeliveryPendingApproval || !strings.Contains(held.StatusReason, "agents") || outbox() != 0 {
			t.Fatalf("held reply = %s %q, outbox %d; want pending_approval and nothing queued", held.Status, held.StatusReason, outbox())
		}
		// A private reply is never held.
		if m, err := w.d.Reply(ctx, w.agent, w.conv.ID, desk.Reply{Text: "Sent you the details privately", Visibility: care.Private}); err != nil || m.Status != care.DeliveryQueued {
			t.Fatalf("private reply = %+v, %v", m, err)
		}
		if outbox() != 1 {
			t.Fatalf("outbox %d, want the private reply only", outbox())
		}

		sue := &care.User{Email: "sue@acme.test", Name: "Sue"}
		if err := s.CreateUser(ctx, sue); err != nil {
			t.Fatal(err)
		}
		sup := care.Principal{UserID: sue.ID, WorkspaceID: ws, Role: care.RoleSupervisor, Name: "Sue"}
		w.now = w.now.Add(11 * time.Minute)
		queue, err := w.d.Approvals(ctx, sup)
		if err != nil {
			t.Fatal(err)
		}
		if len(queue) != 1 || queue[0].Message.ID != held.ID || !queue[0].Overdue {
			t.Fatalf("approvals = %+v, want the held reply, overdue after 11 of 10 minutes", queue)
		}
		if _, err := w.d.Approve(ctx, w.other, held.ID, nil); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("approving from another workspace = %v, want ENOTFOUND", err)
		}
		if _, err := w.d.Approve(ctx, w.agent, held.ID, nil); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Errorf("an agent approving = %v, want EFORBIDDEN", err)
		}
		edit := "We're sorry. Please DM us so we can put this right."
		m, err := w.d.Approve(ctx, sup, held.ID, &edit)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != care.DeliveryQueued || m.Text != edit || outbox() != 2 {
			t.Errorf("approved = %s %q, outbox %d; want queued with the edit", m.Status, m.Text, outbox())
		}
		if _, err := w.d.Approve(ctx, sup, held.ID, nil); care.ErrorCode(err) != care.ECONFLICT {
			t.Errorf("approving twice = %v, want ECONFLICT", err)
		}

		// A supervisor's reply in a crisis is held too; rejected, it never goes.
		if _, err := w.d.Update(ctx, sup, w.conv.ID, care.ConversationUpdate{Tags: &[]string{"crisis"}}); err != nil {
			t.Fatal(err)
		}
		crisis, err := w.d.Reply(ctx, sup, w.conv.ID, desk.Reply{Text: "Our statement follows.", Visibility: care.Public})
		if err != nil {
			t.Fatal(err)
		}
		if crisis.Status != care.DeliveryPendingApproval || !strings.Contains(crisis.StatusReason, "crisis") {
			t.Fatalf("crisis reply = %s %q", crisis.Status, crisis.StatusReason)
		}
		// Nobody approves their own reply: that is no second person.
		if _, err := w.d.Approve(ctx, sup, crisis.ID, nil); care.ErrorCode(err) != care.EFORBIDDEN || !strings.Contains(err.Error(), "your own reply") {
			t.Errorf("approving one's own reply = %v, want EFORBIDDEN", err)
		}
		if _, err := w.d.Reject(ctx, sup, crisis.ID, ""); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("reject without a reason = %v", err)
		}
		r, err := w.d.Reject(ctx, sup, crisis.ID, "Legal must sign off the statement.")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != care.DeliveryRejected || outbox() != 2 {
			t.Errorf("rejected = %s, outbox %d; want rejected and nothing more queued", r.Status, outbox())
		}
		if q, _ := w.d.Approvals(ctx, sup); len(q) != 0 {
			t.Errorf("approvals after deciding both = %+v", q)
		}
		audit, err := s.Audit(ctx, ws, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, a := range audit {
			seen[a.Action] = true
		}
		for _, a := range []string{"message.hold", "message.approve", "message.reject"} {
			if !seen[a] {
				t.Errorf("audit has no %s", a)
			}
		}
	})
}

// TestNeedsApprovalTag checks that only approvers lift the hold automation
// put on a conversation: the agents it holds cannot remove the tag.
func TestNeedsApprovalTag(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		w := setup(t, s)
		sup := w.agent
		sup.Role = care.RoleSupervisor
		tagged := []string{"vip", desk.TagNeedsApproval}
		if _, err := w.d.Update(ctx, w.agent, w.conv.ID, care.ConversationUpdate{Tags: &tagged}); err != nil {
			t.Fatalf("an agent adding the tag: %v", err)
		}
		for _, tc := range []struct {
			name string
			p    care.Principal
			tags []string
			code string
		}{
			{"an agent removes it", w.agent, []string{"vip"}, care.EFORBIDDEN},
			{"an agent clears every tag", w.agent, []string{}, care.EFORBIDDEN},
			{"an agent changes the others", w.agent, []string{desk.TagNeedsApproval, "billing"}, ""},
			{"a supervisor removes it", sup, []string{"billing"}, ""},
		} {
			_, err := w.d.Update(ctx, tc.p, w.conv.ID, care.ConversationUpdate{Tags: &tc.tags})
			if care.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
			}
		}
		if c, _ := s.Conversation(ctx, w.conv.ID); len(c.Tags) != 1 || c.Tags[0] != "billing" {
			t.Errorf("tags %v, want [billing]", c.Tags)
		}
	})
}

// The agent whose held reply is rejected is told, with the reason, in
// their notifications and on the live stream; the supervisor is not.
func TestRejectNotifiesAuthor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		w := setup(t, s)
		ws := w.agent.WorkspaceID
		if err := s.SetSetting(ctx, ws, desk.ApprovalSettingName, []byte(`{"roles":["agent"]}`), w.now); err != nil {
			t.Fatal(err)
		}
		held, err := w.d.Reply(ctx, w.agent, w.conv.ID, desk.Reply{Text: "We can offer compensation.", Visibility: care.Public})
		if err != nil {
			t.Fatal(err)
		}
		sue := &care.User{Email: "sue@acme.test", Name: "Sue"}
		if err := s.CreateUser(ctx, sue); err != nil {
			t.Fatal(err)
		}
		sup := care.Principal{UserID: sue.ID, WorkspaceID: ws, Role: care.RoleSupervisor, Name: "Sue"}
		if _, err := w.d.Reject(ctx, sup, held.ID, "Compensation needs a manager's yes."); err != nil {
			t.Fatal(err)
		}
		ns, err := s.Notifications(ctx, ws, w.agent.UserID, true, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) != 1 || ns[0].Kind != care.NotifyRejected || ns[0].MessageID != held.ID ||
			ns[0].Text != "Sue rejected your reply: Compensation needs a manager's yes." {
			t.Errorf("the author's notifications = %+v, want one saying who rejected it and why", ns)
		}
		if ns, _ := s.Notifications(ctx, ws, sue.ID, false, 10); len(ns) != 0 {
			t.Errorf("the supervisor got %+v", ns)
		}
		evs, err := s.EventsAfter(ctx, ws, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(evs, func(e care.Event) bool { return e.Type == care.EventNotification && e.MessageID == held.ID }) {
			t.Error("no notification event on the live stream")
		}
	})
}
