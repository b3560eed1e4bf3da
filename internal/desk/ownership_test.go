package desk_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/testdb"
)

func TestDismiss(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		w := setup(t, s)
		for _, reason := range []string{"", "   ", strings.Repeat("x", desk.MaxReasonBytes+1)} {
			if _, err := w.d.Dismiss(ctx, w.agent, w.conv.ID, reason); care.ErrorCode(err) != care.EINVALID {
				t.Errorf("Dismiss(reason %q) = %v, want EINVALID", reason, err)
			}
		}
		if _, err := w.d.Dismiss(ctx, w.other, w.conv.ID, "spam"); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("Dismiss from another workspace = %v, want ENOTFOUND", err)
		}
		c, err := w.d.Dismiss(ctx, w.agent, w.conv.ID, "A fan saying hello; nothing to answer.")
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != care.StatusResolved || !slices.Contains(c.Tags, desk.TagDismissed) {
			t.Errorf("dismissed conversation: status %s tags %v", c.Status, c.Tags)
		}
		msgs, err := s.Messages(ctx, c.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if last := msgs[len(msgs)-1]; last.Visibility != care.Note || !strings.Contains(last.Text, "A fan saying hello") {
			t.Errorf("last message = %+v, want the reason as a note", last)
		}
		audit, err := s.Audit(ctx, c.WorkspaceID, "conversation:"+itoa(c.ID), 10)
		if err != nil || len(audit) == 0 || audit[0].Action != "conversation.dismiss" || audit[0].Actor != w.agent.Actor() {
			t.Errorf("audit = %+v, %v", audit, err)
		}
		if _, err := w.d.Dismiss(ctx, w.agent, w.conv.ID, "again"); care.ErrorCode(err) != care.ECONFLICT {
			t.Errorf("dismissing twice = %v, want ECONFLICT", err)
		}
	})
}

func TestOnlyAssigneeReplies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		w := setup(t, s)
		other := &care.User{Email: "kim@acme.test", Name: "Kim"}
		if err := s.CreateUser(ctx, other); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMember(ctx, care.Member{WorkspaceID: w.agent.WorkspaceID, UserID: other.ID, Role: care.RoleAgent}); err != nil {
			t.Fatal(err)
		}
		kim := care.Principal{UserID: other.ID, WorkspaceID: w.agent.WorkspaceID, Role: care.RoleAgent, Name: "Kim"}
		if _, err := w.d.Update(ctx, w.agent, w.conv.ID, care.ConversationUpdate{AssigneeID: &w.agent.UserID}); err != nil {
			t.Fatal(err)
		}
		// Off by default: anyone may reply.
		if _, err := w.d.Reply(ctx, kim, w.conv.ID, desk.Reply{Text: "Hi from Kim"}); err != nil {
			t.Fatalf("reply with the setting off: %v", err)
		}
		if err := s.SetSetting(ctx, w.agent.WorkspaceID, desk.SettingName, []byte(`{"only_assignee_replies":true}`), w.now); err != nil {
			t.Fatal(err)
		}
		_, err := w.d.Reply(ctx, kim, w.conv.ID, desk.Reply{Text: "Hi again"})
		if care.ErrorCode(err) != care.EFORBIDDEN || !strings.Contains(err.Error(), "Sam") {
			t.Errorf("reply by a non-assignee = %v, want EFORBIDDEN naming Sam", err)
		}
		if _, err := w.d.Reply(ctx, w.agent, w.conv.ID, desk.Reply{Text: "Sam here"}); err != nil {
			t.Errorf("the assignee's reply: %v", err)
		}
		sup := kim
		sup.Role = care.RoleSupervisor
		if _, err := w.d.Reply(ctx, sup, w.conv.ID, desk.Reply{Text: "A supervisor steps in"}); err != nil {
			t.Errorf("a supervisor's reply: %v", err)
		}
		if _, err := w.d.Note(ctx, kim, w.conv.ID, "Notes stay open to everyone"); err != nil {
			t.Errorf("a note by a non-assignee: %v", err)
		}

		// Taking the conversation is no way round the rule: agents may take
		// unassigned work and hand on their own, supervisors move anything.
		none := care.ID(0)
		for _, tc := range []struct {
			name string
			p    care.Principal
			to   care.ID
			code string
		}{
			{"an agent takes another's conversation", kim, kim.UserID, care.EFORBIDDEN},
			{"an agent unassigns another's conversation", kim, none, care.EFORBIDDEN},
			{"the assignee hands it on", w.agent, kim.UserID, ""},
			{"the new assignee hands it back", kim, w.agent.UserID, ""},
			{"the assignee unassigns it", w.agent, none, ""},
			{"an agent takes it unassigned", kim, kim.UserID, ""},
			{"a supervisor moves it", sup, w.agent.UserID, ""},
		} {
			_, err := w.d.Update(ctx, tc.p, w.conv.ID, care.ConversationUpdate{AssigneeID: &tc.to})
			if care.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
			}
			if tc.code == care.EFORBIDDEN && !strings.Contains(err.Error(), "ask a supervisor") {
				t.Errorf("%s: %q does not say to ask a supervisor", tc.name, err)
			}
		}
		if c, _ := s.Conversation(ctx, w.conv.ID); c.AssigneeID != w.agent.UserID {
			t.Errorf("assignee %d, want %d", c.AssigneeID, w.agent.UserID)
		}
		// With the setting off, anyone may move it again.
		if err := s.SetSetting(ctx, w.agent.WorkspaceID, desk.SettingName, []byte(`{"only_assignee_replies":false}`), w.now); err != nil {
			t.Fatal(err)
		}
		if _, err := w.d.Update(ctx, kim, w.conv.ID, care.ConversationUpdate{AssigneeID: &kim.UserID}); err != nil {
			t.Errorf("taking a conversation with the setting off: %v", err)
		}
	})
}
