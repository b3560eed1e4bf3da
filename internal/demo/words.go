package demo

import (
	"strconv"
	"strings"
	"time"
)

// counted is n with its noun, singular or plural as n needs: "1 contact",
// "24 contacts".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// spoken is a span as the story and the summary say it, "5 minutes",
// "1 hour 30 minutes", "2.5 seconds", rather than as Go prints it
// ("5m0s"). Below a second it counts milliseconds; above, tenths of a
// second at most.
func spoken(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	if d < time.Second {
		return counted(int(d.Round(time.Millisecond)/time.Millisecond), "millisecond", "milliseconds")
	}
	d = d.Round(100 * time.Millisecond)
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	var parts []string
	if h > 0 {
		parts = append(parts, counted(int(h), "hour", "hours"))
	}
	if m > 0 {
		parts = append(parts, counted(int(m), "minute", "minutes"))
	}
	switch {
	case d == time.Second:
		parts = append(parts, "1 second")
	case d > 0:
		parts = append(parts, strconv.FormatFloat(d.Seconds(), 'f', -1, 64)+" seconds")
	}
	return strings.Join(parts, " ")
}
