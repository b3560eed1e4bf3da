package ytfake

import "time"

// Quota costs of the methods served
// (developers.google.com/youtube/v3/determine_quota_cost).
const (
	costList     = 1
	costInsert   = 50
	costModerate = 50
)

// rollDay starts a new quota day at midnight Pacific Time. Callers hold
// f.mu.
func (f *Fake) rollDay() {
	if d := pacificDay(f.now()); d != f.quotaDay {
		f.quotaDay, f.used = d, 0
	}
}

// charge spends cost units if the day's quota allows it. Callers hold
// f.mu.
func (f *Fake) charge(cost int) bool {
	f.rollDay()
	if f.used+cost > f.DailyQuota {
		return false
	}
	f.used += cost
	return true
}

// pacificDay is the Pacific calendar date of t: UTC−7 from the second
// Sunday of March at 2:00 to the first Sunday of November at 2:00, local
// time, UTC−8 otherwise.
func pacificDay(t time.Time) string {
	t = t.UTC()
	y := t.Year()
	start := sunday(y, time.March, 2).Add(10 * time.Hour)
	end := sunday(y, time.November, 1).Add(9 * time.Hour)
	off := -8 * time.Hour
	if !t.Before(start) && t.Before(end) {
		off = -7 * time.Hour
	}
	return t.Add(off).Format(time.DateOnly)
}

// sunday is midnight UTC of the nth Sunday of month m of year y.
func sunday(y int, m time.Month, n int) time.Time {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, (7-int(first.Weekday()))%7+7*(n-1))
}
