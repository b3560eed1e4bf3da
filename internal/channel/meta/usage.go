package meta

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

// Meta reports rate-limit usage in JSON response headers
// (developers.facebook.com/docs/graph-api/overview/rate-limiting):
//
//	X-App-Usage: {"call_count":28,"total_time":25,"total_cputime":25}
//	X-Business-Use-Case-Usage: {"<business-object-id>":[{"type":"pages",
//	    "call_count":100,"total_cputime":25,"total_time":25,
//	    "estimated_time_to_regain_access":19}]}
//
// The counts are percentages of the budget; estimated_time_to_regain_access
// is in minutes. Requests with a Page or system-user token are counted
// against Business Use Case limits, so X-Business-Use-Case-Usage is the one
// that matters for sending; X-App-Usage and X-Page-Usage have the same
// fields without the wrapping.
var usageHeaders = []string{"X-Business-Use-Case-Usage", "X-App-Usage", "X-Page-Usage"}

// maxUsageHeader bounds what is parsed of one header.
const maxUsageHeader = 8 << 10

// usageFigures is one budget's report.
type usageFigures struct {
	Type        string   `json:"type"`
	CallCount   *float64 `json:"call_count"`
	TotalCPU    *float64 `json:"total_cputime"`
	TotalTime   *float64 `json:"total_time"`
	RegainAfter *float64 `json:"estimated_time_to_regain_access"`
}

// usage is what the headers of one response said.
type usage struct {
	// budgets maps a budget ("app", "pages", "instagram", …) to the highest
	// share of it used, in percent.
	budgets map[string]int
	// regain is Meta's estimate of the wait until calls are accepted again.
	regain time.Duration
}

// parseUsage reads the usage headers; ok is false when there are none it
// understands.
func parseUsage(h http.Header) (u usage, ok bool) {
	for _, name := range usageHeaders {
		v := h.Get(name)
		if v == "" || len(v) > maxUsageHeader {
			continue
		}
		kind := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(name, "X-"), "-Usage"))
		if name == "X-Business-Use-Case-Usage" {
			var byObject map[string][]usageFigures
			if json.Unmarshal([]byte(v), &byObject) != nil {
				continue
			}
			for _, list := range byObject {
				for _, f := range list {
					u.note(f.Type, f)
				}
			}
		} else {
			var f usageFigures
			if json.Unmarshal([]byte(v), &f) != nil {
				continue
			}
			u.note(kind, f)
		}
	}
	return u, len(u.budgets) > 0
}

func (u *usage) note(budget string, f usageFigures) {
	pct := -1
	for _, p := range []*float64{f.CallCount, f.TotalCPU, f.TotalTime} {
		if p != nil && *p >= 0 {
			pct = max(pct, int(min(*p, 1000)))
		}
	}
	if pct < 0 && f.RegainAfter == nil {
		return
	}
	if budget = safeWord(budget); budget == "" || len(budget) > 32 {
		budget = "business"
	}
	if u.budgets == nil {
		u.budgets = map[string]int{}
	}
	if _, known := u.budgets[budget]; !known && len(u.budgets) >= 16 {
		return
	}
	u.budgets[budget] = max(u.budgets[budget], pct, 0)
	if f.RegainAfter != nil && *f.RegainAfter > 0 {
		d := channel.MaxRetryAfter
		if m := *f.RegainAfter; m < channel.MaxRetryAfter.Minutes() {
			d = time.Duration(m * float64(time.Minute))
		}
		u.regain = max(u.regain, d)
	}
}

// String renders the usage for the inbox's health line, e.g.
// "pages 100% used, app 28% used; access back in 19m0s".
func (u usage) String() string {
	if len(u.budgets) == 0 {
		return ""
	}
	names := make([]string, 0, len(u.budgets))
	for n := range u.budgets {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if u.budgets[names[i]] != u.budgets[names[j]] {
			return u.budgets[names[i]] > u.budgets[names[j]]
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d%% used", n, u.budgets[n])
	}
	s := strings.Join(parts, ", ")
	if u.regain > 0 {
		s += "; access back in " + u.regain.Round(time.Second).String()
	}
	return s
}

// safeWord keeps a budget name printable: it comes from a header.
func safeWord(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return -1
	}, strings.ToLower(s))
}
