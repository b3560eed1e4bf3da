package influence

import (
	"fmt"
	"strconv"
	"time"
)

// FormatCount writes a count as a card shows it: 950, 9.9k, 38k, 1.2M, 3B.
// It truncates rather than rounds, so it never overstates: 999,999 is
// "999k", not "1000k" or "1M".
func FormatCount(n int64) string {
	if n < 0 {
		// -(n+1)+1 does not overflow for the smallest int64.
		return "-" + formatCount(uint64(-(n+1))+1)
	}
	return formatCount(uint64(n))
}

func formatCount(u uint64) string {
	switch {
	case u < 1e3:
		return strconv.FormatUint(u, 10)
	case u < 1e6:
		return unit(u, 1e3, "k")
	case u < 1e9:
		return unit(u, 1e6, "M")
	case u < 1e12:
		return unit(u, 1e9, "B")
	}
	return unit(u, 1e12, "T")
}

// unit writes u in units of base: one decimal under ten units, none above.
func unit(u, base uint64, suffix string) string {
	whole := u / base
	if whole < 10 {
		if tenth := u % base * 10 / base; tenth > 0 {
			return fmt.Sprintf("%d.%d%s", whole, tenth, suffix)
		}
	}
	return strconv.FormatUint(whole, 10) + suffix
}

// formatAge writes how long a post has been up: "under a minute", "20
// min", "3 h", "2 days".
func formatAge(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", d/time.Minute)
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", d/time.Hour)
	}
	return fmt.Sprintf("%d days", d/(24*time.Hour))
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return FormatCount(n) + " " + many
}
