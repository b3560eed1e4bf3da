package api

import (
	"encoding/json"
	"math"
	"net/url"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

// FuzzValueInputs reads whatever the money's parameters might be: they
// are refused with a reason, or every figure they put on the largest
// counts is a finite number that encodes as JSON.
func FuzzValueInputs(f *testing.F) {
	for _, seed := range []string{
		"", "hourly_cost=28&aht=300&max_occupancy=0.85&shrinkage=0.3&customer_value=120&saved_share=0.2",
		"hourly_cost=1000000&aht=86400&max_occupancy=0.01&shrinkage=0.99&customer_value=1e9&saved_share=1",
		"hourly_cost=0&customer_value=0&saved_share=0", "aht=4.9e-324&max_occupancy=0.0100000001", "hourly_cost=1e308",
		"shrinkage=NaN", "aht=Inf", "customer_value=5", "saved_share=-0", "max_occupancy=-0&hourly_cost=1",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		in, err := valueInputsOf(q)
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID || care.ErrorMessage(err) == "" {
				t.Fatalf("valueInputsOf(%q) = %v, want EINVALID with a reason", query, err)
			}
			return
		}
		const most = math.MaxInt32 // far more conversations than a period holds
		r := in.row(care.ValueReportRow{Key: "x", Contacts: most, Resolved: most, OneTouch: most, Replies: most, Negative: most,
			NegativeResolved: most, SurveysAnswered: most, ScoreSum: 5 * most, Satisfied: most})
		for _, v := range []*float64{r.AvgScore, r.Satisfied, r.PaidHours, r.Cost, r.CostPerContact, r.CostPerResolution, r.ValueKept, r.Return} {
			if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0) || *v < 0) {
				t.Fatalf("valueInputsOf(%q) gives %+v: a figure that is not a finite amount", query, r)
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("valueInputsOf(%q): %v", query, err)
		}
	})
}
