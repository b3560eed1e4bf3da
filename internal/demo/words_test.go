package demo

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel/phone/phonefake"
)

// Spans and counts read as people say them, never as Go prints a
// duration ("5m0s") or a plural for one ("1 contacts").
func TestSpoken(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0 milliseconds"},
		{time.Millisecond, "1 millisecond"},
		{250 * time.Millisecond, "250 milliseconds"},
		{time.Second, "1 second"},
		{1500 * time.Millisecond, "1.5 seconds"},
		{9996 * time.Millisecond, "10 seconds"},
		{30 * time.Second, "30 seconds"},
		{time.Minute, "1 minute"},
		{5 * time.Minute, "5 minutes"},
		{4*time.Minute + 12*time.Second, "4 minutes 12 seconds"},
		{90 * time.Minute, "1 hour 30 minutes"},
		{2*time.Hour + time.Second, "2 hours 1 second"},
	} {
		if got := spoken(tc.d); got != tc.want {
			t.Errorf("spoken(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestBounds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{}, ""},
		{Options{Duration: 5 * time.Minute}, ", for 5 minutes"},
		{Options{Count: 1}, ", 1 message"},
		{Options{Duration: 10 * time.Second, Count: 500}, ", for 10 seconds or 500 messages"},
	} {
		if got := bounds(tc.o); got != tc.want {
			t.Errorf("bounds(%+v) = %q, want %q", tc.o, got, tc.want)
		}
	}
}

// The story tells a call's length in words.
func TestCallStoryLength(t *testing.T) {
	t.Parallel()
	c := phonefake.Call{Outcome: "answered", Agent: crew[0].email, Duration: 4*time.Minute + 12*time.Second + 300*time.Millisecond, Notes: "New SIM sent."}
	if got, want := callStory(c), crew[0].first+" takes the call (4 minutes 12 seconds) and notes “New SIM sent.”"; got != want {
		t.Errorf("callStory(%+v) = %q, want %q", c, got, want)
	}
	if got := callStory(c); strings.Contains(got, "4m12s") {
		t.Errorf("callStory prints a Go duration: %q", got)
	}
}
