package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestTagFormKeepsApprovalTag: the tag form goes through the same rule as
// the API, so an agent cannot remove a tag the approvals setting holds
// replies for.
func TestTagFormKeepsApprovalTag(t *testing.T) {
	f := newFixture(t)
	f.setting("approvals", `{"tags":["legal"]}`)
	conv := f.conversation(f.inbox, "Ana", "I am calling my lawyer")
	c := f.login()
	if res, _ := c.act(convPath(conv, "/tags"), url.Values{"add": {"legal"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("adding the tag = %d, want 303", res.StatusCode)
	}
	res, body := c.act(convPath(conv, "/tags"), url.Values{"remove": {"legal"}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Only supervisors and admins remove the legal tag.") {
		t.Errorf("removing the tag = %d, want 403 saying who may", res.StatusCode)
	}
	if got := f.reload(conv).Tags; !slices.Contains(got, "legal") {
		t.Errorf("tags %v, want legal kept", got)
	}
}
