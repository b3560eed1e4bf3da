package desk_test

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/testdb"
)

// TestApprovalSettingTags checks that a tag the approvals setting holds
// replies for is guarded like needs-approval: the agents it holds cannot
// remove it, and so cannot send the reply it held unreviewed.
func TestApprovalSettingTags(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		w := setup(t, s)
		if err := s.SetSetting(ctx, w.agent.WorkspaceID, desk.ApprovalSettingName, []byte(`{"tags":["Legal"," crisis "]}`), w.now); err != nil {
			t.Fatal(err)
		}
		sup := w.agent
		sup.Role = care.RoleSupervisor
		admin := w.agent
		admin.Role = care.RoleAdmin
		set := func(p care.Principal, tags ...string) error {
			t.Helper()
			_, err := w.d.Update(ctx, p, w.conv.ID, care.ConversationUpdate{Tags: &tags})
			return err
		}
		if err := set(w.agent, "vip", "legal", "crisis"); err != nil {
			t.Fatalf("an agent adding the tags: %v", err)
		}
		held, err := w.d.Reply(ctx, w.agent, w.conv.ID, desk.Reply{Text: "We will see you in court.", Visibility: care.Public})
		if err != nil || held.Status != care.DeliveryPendingApproval {
			t.Fatalf("reply with the tags = %+v, %v; want pending_approval", held, err)
		}

		for _, tc := range []struct {
			name string
			p    care.Principal
			tags []string
			want string // the tag the refusal names; "" for none
		}{
			{"an agent removes legal", w.agent, []string{"vip", "crisis"}, "legal"},
			{"an agent removes crisis", w.agent, []string{"vip", "legal"}, "crisis"},
			{"an agent clears every tag", w.agent, []string{}, "legal"},
			{"an agent keeps them, typed differently", w.agent, []string{"LEGAL", " Crisis"}, ""},
			{"an agent adds one", w.agent, []string{"legal", "crisis", "billing"}, ""},
			{"a supervisor removes crisis", sup, []string{"legal", "billing"}, ""},
			{"an agent removes the rest but legal", w.agent, []string{"legal"}, ""},
			{"an admin removes legal", admin, []string{}, ""},
		} {
			err := set(tc.p, tc.tags...)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("%s: %v, want it allowed", tc.name, err)
			case tc.want != "" && (care.ErrorCode(err) != care.EFORBIDDEN || care.ErrorMessage(err) != "Only supervisors and admins remove the "+tc.want+" tag."):
				t.Errorf("%s: %v, want EFORBIDDEN naming %s", tc.name, err, tc.want)
			}
		}
		if c, _ := s.Conversation(ctx, w.conv.ID); len(c.Tags) != 0 {
			t.Errorf("tags %v, want none after the admin cleared them", c.Tags)
		}
		// needs-approval stays guarded whatever the setting lists.
		if err := set(admin, desk.TagNeedsApproval); err != nil {
			t.Fatal(err)
		}
		if err := set(w.agent); care.ErrorCode(err) != care.EFORBIDDEN || !strings.Contains(care.ErrorMessage(err), desk.TagNeedsApproval) {
			t.Errorf("an agent removing needs-approval: %v, want EFORBIDDEN", err)
		}
	})
}

// TestApprovalSettingTagsUnreadable: settings that no longer parse hold
// every reply already, so they guard no tag beyond needs-approval.
func TestApprovalSettingTagsUnreadable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		w := setup(t, s)
		if err := s.SetSetting(ctx, w.agent.WorkspaceID, desk.ApprovalSettingName, []byte(`{"tags":["legal"],"sla":"soon"}`), w.now); err != nil {
			t.Fatal(err)
		}
		tags := []string{"legal"}
		if _, err := w.d.Update(ctx, w.agent, w.conv.ID, care.ConversationUpdate{Tags: &tags}); err != nil {
			t.Fatal(err)
		}
		tags = []string{}
		if _, err := w.d.Update(ctx, w.agent, w.conv.ID, care.ConversationUpdate{Tags: &tags}); err != nil {
			t.Errorf("an agent removing legal under unreadable settings: %v", err)
		}
	})
}
