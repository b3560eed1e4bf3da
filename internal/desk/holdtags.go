package desk

import (
	"context"
	"slices"

	"github.com/parleyhq/parley/internal/care"
)

// mayUntag refuses a change of tags by p that removes a tag holding public
// replies for approval (needs-approval, or one the approvals setting lists)
// unless p is a supervisor or admin: the agents a hold applies to must not
// be the ones able to lift it.
func mayUntag(ctx context.Context, q care.Queries, p care.Principal, before *care.Conversation, after []string) error {
	if p.Role.AtLeast(care.RoleSupervisor) {
		return nil
	}
	kept := func(tag string) bool {
		return slices.ContainsFunc(after, func(t string) bool { return care.NormalizeTag(t) == tag })
	}
	removed := slices.DeleteFunc(slices.Clone(before.Tags), kept)
	if len(removed) == 0 {
		return nil
	}
	holding, err := holdingTags(ctx, q, before.WorkspaceID)
	if err != nil {
		return err
	}
	for _, t := range holding {
		if slices.Contains(removed, t) {
			return care.Errorf(care.EFORBIDDEN, "Only supervisors and admins remove the %s tag.", t)
		}
	}
	return nil
}

// holdingTags returns the tags that hold public replies in the workspace,
// read as approvalReasons reads them. Settings that no longer parse hold
// every reply whatever the tags, so they add none here.
func holdingTags(ctx context.Context, q care.Queries, workspaceID care.ID) ([]string, error) {
	tags := []string{TagNeedsApproval}
	doc, err := q.Setting(ctx, workspaceID, ApprovalSettingName)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return tags, nil
	}
	if err != nil {
		return nil, err
	}
	st, _, err := ParseApprovalSettings(doc)
	if err != nil {
		return tags, nil
	}
	for _, t := range st.Tags {
		if n := care.NormalizeTag(t); n != "" {
			tags = append(tags, n)
		}
	}
	return tags, nil
}
