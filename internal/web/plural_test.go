package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// A new desk's staffing plan counts its short history in words that fit:
// "1 week, 1 conversation", not "1 weeks, 1 conversations".
func TestStaffingHistoryPlural(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		arrived []int // conversations opened, each an hour after the last, a day back
		count   string
		want    string
	}{
		{"one of each", []int{1}, "conversations", "history: 1 week, 1 conversation"},
		{"one message", []int{1}, "messages", "history: 1 week, 1 message"},
		{"several", []int{2, 1}, "conversations", "history: 1 week, 3 conversations"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t) // now is Tuesday 24 November 2026, 10:00 UTC
			lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
			for i, n := range tc.arrived {
				f.seedArrivals(f.now.Add(-24*time.Hour+time.Duration(i)*time.Hour), n)
			}
			res, body := f.loginAs(lee).get("/staffing?team=all&channel=all&count=" + tc.count)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET /staffing = %d:\n%s", res.StatusCode, body)
			}
			if !strings.Contains(body, tc.want) {
				t.Errorf("the plan's head lacks %q:\n%s", tc.want, regexpFind(t, body, `(?s)<p class="plan-head">.*?</p>`))
			}
		})
	}
}
