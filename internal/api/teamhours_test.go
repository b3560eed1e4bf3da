package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// TestTeamHoursApplyAtOnce checks that new business hours for a team count
// for the next change to its conversations' clocks, not after the SLA
// settings' cache expires.
func TestTeamHoursApplyAtOnce(t *testing.T) {
	w := newWorld(t)
	w.must(t, http.StatusOK, w.admin, "PUT", "/api/v1/settings/sla", `{"policies":[{"id":1,"name":"All","match":{},"first_response":"1h"}]}`, nil)
	in := w.ingest(t, w.inbox, "m-hours", "cust-hours", "Is anyone there?")
	conv := fmt.Sprintf("/api/v1/conversations/%d", in.ConversationID)
	var c care.Conversation
	w.must(t, http.StatusOK, w.admin, "GET", conv, "", &c)
	if c.FirstResponseDue == nil {
		t.Fatal("no first response clock under a catch-all policy")
	}
	// Open one minute a week: the clock all but stops once the team's.
	hours := `{"hours":{"time_zone":"UTC","week":{"sun":[["03:00","03:01"]]}}}`
	w.must(t, http.StatusOK, w.admin, "PATCH", fmt.Sprintf("/api/v1/teams/%d", w.team), hours, nil)
	w.must(t, http.StatusOK, w.admin, "PATCH", conv, fmt.Sprintf(`{"team_id":%d}`, w.team), &c)
	if c.FirstResponseDue == nil || c.FirstResponseDue.Before(time.Now().Add(2*time.Hour)) {
		t.Errorf("first response due %v on the team's new hours, want the team's next opening, hours away", c.FirstResponseDue)
	}
}
