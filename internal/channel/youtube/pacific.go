package youtube

import "time"

// YouTube's daily quotas "reset at midnight Pacific Time (PT)"
// (developers.google.com/youtube/v3/determine_quota_cost). Pacific Time is
// UTC−8, and UTC−7 from the second Sunday of March at 2:00 to the first
// Sunday of November at 2:00, local time (15 U.S.C. §260a, as amended in
// 2005). The rule is computed here rather than read from the system's
// time zone database, so the quota day is the same on every host.

// pacificOffset is Pacific Time's offset from UTC at instant t.
func pacificOffset(t time.Time) time.Duration {
	t = t.UTC()
	y := t.Year()
	// 2:00 PST is 10:00 UTC; 2:00 PDT is 09:00 UTC.
	start := nthSunday(y, time.March, 2).Add(10 * time.Hour)
	end := nthSunday(y, time.November, 1).Add(9 * time.Hour)
	if !t.Before(start) && t.Before(end) {
		return -7 * time.Hour
	}
	return -8 * time.Hour
}

// nthSunday is midnight UTC of the nth Sunday of month m of year y.
func nthSunday(y int, m time.Month, n int) time.Time {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	days := (7 - int(first.Weekday())) % 7
	return first.AddDate(0, 0, days+7*(n-1))
}

// pacificDay is the Pacific calendar date of t, "2006-01-02": the quota
// day t counts against.
func pacificDay(t time.Time) string {
	return t.UTC().Add(pacificOffset(t)).Format(time.DateOnly)
}

// nextReset is the first Pacific midnight after t, in UTC.
func nextReset(t time.Time) time.Time {
	local := t.UTC().Add(pacificOffset(t))
	midnight := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, time.UTC)
	// The clocks change at 2:00, never near midnight: the offset at the
	// coming midnight is the one in force eight hours after it in UTC.
	return midnight.Add(-pacificOffset(midnight.Add(8 * time.Hour)))
}
