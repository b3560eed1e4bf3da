package web

import "github.com/parleyhq/parley/internal/care"

// seeWorkspace refuses a page that shows the whole workspace (the queues,
// staffing, listening) to whoever may not see it: agents, whose work is
// their conversations, with the page's own words (refused), and members
// of a partner team, supervisors included, who see only their teams'
// part, with what they tried (action). One check, so that the pages
// cannot drift apart on who sees the workspace.
func seeWorkspace(a *agent, refused, action string) error {
	if !a.CanApprove() {
		return care.Errorf(care.EFORBIDDEN, "%s", refused)
	}
	return a.Scope.Refuse(action)
}
