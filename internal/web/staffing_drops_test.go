package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// TestStaffingShowsRaisedDrops: an hour of one past week far below the
// same hour of the others, as while an inbox was disconnected, is raised
// before forecasting, and the plan says so, so that a planner knows why
// the forecast is above that week.
func TestStaffingShowsRaisedDrops(t *testing.T) {
	t.Parallel()
	f := newFixture(t) // now is Tuesday 24 November 2026, 10:00 UTC
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	wed := time.Date(2026, 11, 18, 14, 0, 0, 0, time.UTC)
	for week := 3; week >= 0; week-- {
		if week == 2 {
			continue // the inbox was down
		}
		f.seedArrivals(wed.Add(-time.Duration(week)*7*24*time.Hour), 40)
	}
	res, body := f.loginAs(lee).get("/staffing?count=conversations")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /staffing = %d", res.StatusCode)
	}
	if !strings.Contains(body, "1 drop hour raised</span>") {
		t.Errorf("the plan does not say a drop hour was raised:\n%.2000s", body)
	}
	if strings.Contains(body, "capped</span>") {
		t.Errorf("the plan says spike hours were capped where there were none:\n%.2000s", body)
	}
}
