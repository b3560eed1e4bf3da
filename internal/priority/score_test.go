package priority_test

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/priority"
)

func TestCompute(t *testing.T) {
	t.Parallel()
	due := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	for _, tt := range []struct {
		name string
		in   priority.Input
		w    func(*priority.Weights)
		want priority.Result
	}{
		{
			name: "the card of the model",
			in: priority.Input{Waited: 20 * time.Minute, Need: 0.8, NeedReason: "angry complaint",
				Reach: 0.5, ReachReason: "this post gaining fast"},
			want: priority.Result{Score: 13.3333 + 20 + 7.5, Parts: []priority.Part{
				{"waiting", 13.3333, "waiting 20/60 min: 13.3"},
				{"need", 20, "angry complaint: 20.0"},
				{"reach", 7.5, "this post gaining fast: 7.5"},
			}, Reasons: []string{"angry complaint", "waiting 20 min", "this post gaining fast"}},
		},
		{
			name: "urgent: the deadline leads",
			in: priority.Input{Waited: 41 * time.Minute, Target: 47 * time.Minute, Due: due(6 * time.Minute),
				Need: 0.6, NeedReason: "negative", Reach: 0.36, ReachReason: "38k followers"},
			want: priority.Result{Score: 34.8936 + 15 + 5.4, Urgent: true, Parts: []priority.Part{
				{"waiting", 34.8936, "waiting 41/47 min: 34.9"},
				{"need", 15, "negative: 15.0"},
				{"reach", 5.4, "38k followers: 5.4"},
			}, Reasons: []string{"SLA due in 6 min", "waiting 41 min", "negative", "38k followers"}},
		},
		{
			name: "not urgent: the deadline trails",
			in:   priority.Input{Waited: 10 * time.Minute, Due: due(50 * time.Minute), Incident: 0.7, History: 1},
			want: priority.Result{Score: 6.6667 + 7 + 10, Parts: []priority.Part{
				{"waiting", 6.6667, "waiting 10/60 min: 6.7"},
				{"incident", 7, "open incident: 7.0"},
				{"history", 10, "repeat contact: 10.0"},
			}, Reasons: []string{"repeat contact", "open incident", "waiting 10 min", "SLA due in 50 min"}},
		},
		{
			name: "overdue, clamped components and boost",
			in: priority.Input{Waited: 3 * time.Hour, Due: due(-2*time.Hour - 5*time.Minute), Need: 7, Incident: -1,
				Value: 1, Boost: -80},
			w: func(w *priority.Weights) { w.Value = 5 },
			want: priority.Result{Score: 120 + 25 + 5 - 50, Urgent: true, Parts: []priority.Part{
				{"waiting", 120, "waiting 180/60 min: 120.0"},
				{"need", 25, "needs help: 25.0"},
				{"value", 5, "valued customer: 5.0"},
				{"boost", -50, "rule: -50.0"},
			}, Reasons: []string{"SLA overdue by 2 h 5 min", "waiting 3 h", "needs help", "valued customer", "rule -50.0"}},
		},
		{
			name: "reach switched off",
			in:   priority.Input{Waited: 30 * time.Second, Reach: 1, ReachReason: "1M followers", Boost: 10},
			w:    func(w *priority.Weights) { w.ReachOff = true },
			want: priority.Result{Score: 0.3333 + 10, Parts: []priority.Part{
				{"waiting", 0.3333, "waiting 0/60 min: 0.3"},
				{"boost", 10, "rule: +10.0"},
			}, Reasons: []string{"rule +10.0", "waiting <1 min"}},
		},
		{
			name: "reach weight above half the waiting weight is capped",
			in:   priority.Input{Reach: 1},
			w:    func(w *priority.Weights) { w.Reach = 100 },
			want: priority.Result{Score: 20, Parts: []priority.Part{
				{"waiting", 0, "waiting 0/60 min: 0.0"},
				{"reach", 20, "public post: 20.0"},
			}, Reasons: []string{"public post"}},
		},
		{
			name: "hostile reasons are cleaned and bounded",
			in: priority.Input{Need: 1, NeedReason: "  re\u202efund\n\x00 \xff",
				Reach: 0.1, ReachReason: strings.Repeat("é", 100)},
			want: priority.Result{Score: 25 + 1.5, Parts: []priority.Part{
				{"waiting", 0, "waiting 0/60 min: 0.0"},
				{"need", 25, "re fund \uFFFD: 25.0"},
				{"reach", 1.5, strings.Repeat("é", 40) + "…: 1.5"},
			}, Reasons: []string{"re fund \uFFFD", strings.Repeat("é", 40) + "…"}},
		},
		{
			name: "nobody waiting: no waiting reason",
			in:   priority.Input{Need: 0.82, NeedReason: "angry"},
			want: priority.Result{Score: 20.5, Parts: []priority.Part{
				{"waiting", 0, "waiting 0/60 min: 0.0"},
				{"need", 20.5, "angry: 20.5"},
			}, Reasons: []string{"angry"}},
		},
		{
			name: "nobody waiting and nothing else: no reasons at all",
			in:   priority.Input{Waited: -time.Minute},
			want: priority.Result{Parts: []priority.Part{
				{"waiting", 0, "waiting 0/60 min: 0.0"},
			}, Reasons: []string{}},
		},
		{
			name: "the first second of a wait is a wait",
			in:   priority.Input{Waited: time.Second, Need: 0.82, NeedReason: "angry"},
			want: priority.Result{Score: 20.5 + 0.0111, Parts: []priority.Part{
				{"waiting", 0.0111, "waiting 0/60 min: 0.0"},
				{"need", 20.5, "angry: 20.5"},
			}, Reasons: []string{"angry", "waiting <1 min"}},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := priority.DefaultWeights()
			if tt.w != nil {
				tt.w(&w)
			}
			got := priority.Compute(tt.in, w, now)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-4)); diff != "" {
				t.Errorf("Compute (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		w    priority.Weights
		want []string // fragments of the message; none for a valid configuration
	}{
		{"defaults", priority.DefaultWeights(), nil},
		{"reach at half of waiting", priority.Weights{Waiting: 40, Reach: 20, Value: 10, ReachOff: true}, nil},
		{"all zero", priority.Weights{}, nil},
		{"reach above half", priority.Weights{Waiting: 40, Reach: 21},
			[]string{"reach weight (21) must be at most half the waiting weight (40)"}},
		{"negative and not a number", priority.Weights{Waiting: 40, Need: -1, History: math.NaN()},
			[]string{"need weight is -1; it must not be negative", "history weight must be a number"}},
		{"too large", priority.Weights{Waiting: 1e6}, []string{"waiting weight is 1e+06; it must be at most 1000"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.w.Validate()
			if (err != nil) != (tt.want != nil) {
				t.Fatalf("Validate(%+v) = %v, want error %v", tt.w, err, tt.want != nil)
			}
			for _, frag := range tt.want {
				if !strings.Contains(err.Error(), frag) {
					t.Errorf("Validate(%+v) = %q, want it to say %q", tt.w, err, frag)
				}
			}
			if err != nil && care.ErrorCode(err) != care.EINVALID {
				t.Errorf("Validate(%+v) = %q, want code %s", tt.w, err, care.EINVALID)
			}
		})
	}
}

func strconvFloat(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
