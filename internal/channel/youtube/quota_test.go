package youtube

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func inboxWith(creds map[string]string) care.Inbox {
	in := testInbox()
	for k, v := range creds {
		in.Credentials[k] = v
	}
	return in
}

func TestLimits(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		creds map[string]string
		want  limits
	}{
		{nil, limits{daily: 10000, reads: 6000, minInterval: time.Minute, scanPages: 1}},
		{map[string]string{CredDailyQuota: "2000", CredWriteShare: "25", CredPollInterval: "90", CredScanPages: "3"},
			limits{daily: 2000, reads: 1500, minInterval: 90 * time.Second, scanPages: 3}},
		{map[string]string{CredWriteShare: "0", CredPollInterval: "5m"}, limits{daily: 10000, reads: 10000, minInterval: 5 * time.Minute, scanPages: 1}},
		// Out of bounds or not numbers: the defaults.
		{map[string]string{CredDailyQuota: "-5", CredWriteShare: "95", CredPollInterval: "5", CredScanPages: "11"},
			limits{daily: 10000, reads: 6000, minInterval: time.Minute, scanPages: 1}},
		{map[string]string{CredDailyQuota: "lots", CredPollInterval: "soon"}, limits{daily: 10000, reads: 6000, minInterval: time.Minute, scanPages: 1}},
	} {
		if got := limitsOf(inboxWith(tt.creds)); got != tt.want {
			t.Errorf("limitsOf(%v) = %+v, want %+v", tt.creds, got, tt.want)
		}
	}
}

func TestMeter(t *testing.T) {
	t.Parallel()
	l := limits{daily: 200, reads: 120, scanPages: 1}
	var m meter
	now := testNow
	take := func(cost int, write bool) bool {
		ok, _ := m.take(7, l, now, cost, write)
		return ok
	}
	// Polling stops at its share; writes may spend the rest of the day.
	for i := range 120 {
		if !take(1, false) {
			t.Fatalf("read %d refused", i)
		}
	}
	if take(1, false) {
		t.Fatal("a read past the polling share was allowed")
	}
	if !take(50, true) || !take(30, true) {
		t.Fatal("writes within the day refused")
	}
	if take(1, true) {
		t.Fatal("a write past the day was allowed")
	}
	st := m.state(7, l, now)
	if st.used() != 200 || st.readsLeft() != 0 || st.writesLeft() != 0 {
		t.Errorf("state = %+v", st)
	}
	if got, want := st.String(), "200/200 units today (polling 120/120), resets 08:00Z"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	m.refund(7, now, 49, true)
	if !take(49, true) {
		t.Error("a refund was not given back")
	}
	// Another inbox has its own budget; a new Pacific day starts afresh.
	if ok, _ := m.take(8, l, now, 1, false); !ok {
		t.Error("another inbox was refused")
	}
	now = nextReset(now)
	if !take(120, false) {
		t.Error("the new day was refused")
	}
	// YouTube's quotaExceeded stops everything until the reset.
	m.exhaust(7, now)
	if take(1, true) || take(1, false) {
		t.Error("spending after quotaExceeded was allowed")
	}
	if st := m.state(7, l, now); st.readsLeft() != 0 || !strings.Contains(st.String(), "200/200") {
		t.Errorf("exhausted state = %+v (%s)", st, st)
	}
	now = now.Add(24 * time.Hour)
	if !take(1, false) {
		t.Error("the day after quotaExceeded was refused")
	}
}

// TestMeterConcurrent spends from many goroutines: never more than the
// day's budget.
func TestMeterConcurrent(t *testing.T) {
	t.Parallel()
	l := limits{daily: 1000, reads: 600, scanPages: 1}
	var m meter
	var wg sync.WaitGroup
	var mu sync.Mutex
	spent := 0
	for i := range 50 {
		wg.Go(func() {
			for range 40 {
				write := i%2 == 0
				cost := 1
				if write {
					cost = 50
				}
				if ok, _ := m.take(7, l, testNow, cost, write); ok {
					mu.Lock()
					spent += cost
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if st := m.state(7, l, testNow); spent > 1000 || st.used() != spent || st.reads > 600 {
		t.Errorf("spent %d, state %+v", spent, st)
	}
}

func TestPollInterval(t *testing.T) {
	t.Parallel()
	// testNow is 02:00 PST: 22 hours, 79,200 seconds, to the reset.
	for _, tt := range []struct {
		name  string
		creds map[string]string
		spend int // units of polling already spent
		polls int // polls they were spent in
		want  time.Duration
	}{
		{"defaults: 6,000 units would allow a poll every 13.2s", nil, 0, 0, time.Minute},
		{"small quota", map[string]string{CredDailyQuota: "1000"}, 0, 0, 132 * time.Second},
		{"burst polls cost more", map[string]string{CredDailyQuota: "2000"}, 400, 100, 396 * time.Second},
		{"longer floor", map[string]string{CredPollInterval: "120"}, 0, 0, 2 * time.Minute},
		{"spent", map[string]string{CredDailyQuota: "1000"}, 600, 600, time.Hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := &Adapter{Now: func() time.Time { return testNow }}
			in := inboxWith(tt.creds)
			if tt.spend > 0 {
				a.quota.take(in.ID, limitsOf(in), testNow, tt.spend, false)
				for range tt.polls {
					a.quota.polled(in.ID, testNow, tt.spend/tt.polls)
				}
			}
			if got := a.PollInterval(in); got != tt.want {
				t.Errorf("PollInterval = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestQuotaRefusals(t *testing.T) {
	t.Parallel()
	st := quotaState{daily: 10000, readBudget: 6000, reads: 6000, writes: 3990, perPoll: 1, reset: nextReset(testNow)}
	for _, tt := range []struct {
		err  error
		want []string
	}{
		{st.readRefused(testNow), []string{"polling budget for today is spent", "6000 of 6000", "4000 are kept for replies", "polling resumes after midnight Pacific Time (08:00 UTC)"}},
		{st.writeRefused(testNow, "the reply will be sent"), []string{"quota for today is spent", "9990 of 10000", "the reply will be sent after midnight Pacific Time"}},
	} {
		var se *channel.SendError
		if !errors.As(tt.err, &se) || se.Permanent || se.RetryAfter != 22*time.Hour || se.RateLimit == "" {
			t.Fatalf("error = %#v, want temporary until the reset", tt.err)
		}
		for _, w := range tt.want {
			if !strings.Contains(se.Reason, w) {
				t.Errorf("reason %q lacks %q", se.Reason, w)
			}
		}
	}
}
