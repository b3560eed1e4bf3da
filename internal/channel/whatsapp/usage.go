package whatsapp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// usage reads the Graph API's rate limit headers
// (developers.facebook.com/docs/graph-api/overview/rate-limiting):
// X-Business-Use-Case-Usage, which system user tokens are counted against,
// maps a business id to entries of percentages and
// estimated_time_to_regain_access in minutes; X-App-Usage holds the app's
// percentages. It returns a line for the inbox's health ("" when neither
// header is present) and how long the API says calls stay blocked.
func usage(h http.Header) (summary string, regain time.Duration) {
	type counts struct {
		CallCount    float64 `json:"call_count"`
		TotalCPUTime float64 `json:"total_cputime"`
		TotalTime    float64 `json:"total_time"`
		Regain       float64 `json:"estimated_time_to_regain_access"`
	}
	var all []counts
	if v := h.Get("X-Business-Use-Case-Usage"); v != "" && len(v) < 8<<10 {
		var byBusiness map[string][]counts
		if json.Unmarshal([]byte(v), &byBusiness) == nil {
			for _, cs := range byBusiness {
				all = append(all, cs...)
			}
		}
	}
	if v := h.Get("X-App-Usage"); v != "" && len(v) < 8<<10 {
		var c counts
		if json.Unmarshal([]byte(v), &c) == nil {
			all = append(all, c)
		}
	}
	if len(all) == 0 {
		return "", 0
	}
	var pct, minutes float64
	for _, c := range all {
		pct = max(pct, c.CallCount, c.TotalCPUTime, c.TotalTime)
		minutes = max(minutes, c.Regain)
	}
	pct = min(max(pct, 0), 100)
	// A day of minutes bounds a hostile header; the outbox caps the wait
	// at an hour anyway.
	minutes = min(max(minutes, 0), 24*60)
	summary = fmt.Sprintf("Graph API usage %.0f%% of the limit", pct)
	if minutes > 0 {
		regain = time.Duration(minutes) * time.Minute
		summary += fmt.Sprintf(", blocked for about %.0f min", minutes)
	}
	return summary, regain
}
