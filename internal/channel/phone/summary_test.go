package phone

import (
	"testing"
	"time"
)

func TestFormatDuration(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0 s"},
		{-time.Second, "0 s"},
		{999 * time.Millisecond, "0 s"},
		{38 * time.Second, "38 s"},
		{time.Minute, "1 min"},
		{4*time.Minute + 12*time.Second, "4 min 12 s"},
		{time.Hour + 2*time.Minute, "1 h 2 min"},
		{time.Hour + 5*time.Second, "1 h 5 s"},
		{50 * time.Hour, "50 h"},
	} {
		if got := formatDuration(tt.d); got != tt.want {
			t.Errorf("formatDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		c    call
		want string
	}{
		{call{direction: Inbound, customer: "+1", outcome: Answered, duration: 252 * time.Second, durationOK: true},
			"Inbound call, answered, 4 min 12 s."},
		{call{direction: Inbound, customer: "+1", outcome: Answered},
			"Inbound call, answered."},
		{call{direction: Inbound, outcome: Missed, duration: time.Minute, durationOK: true, queue: "Sales"},
			"Inbound call from a withheld number, missed. Queue: Sales."},
		{call{direction: Outbound, customer: "+1", outcome: Busy, agent: "sam@acme.example"},
			"Outbound call, busy. Agent: sam@acme.example."},
		{call{direction: Outbound, customer: "+1", outcome: Voicemail, duration: 21 * time.Second, durationOK: true, notes: "Left a message."},
			"Outbound call, voicemail, 21 s.\n\nNotes: Left a message."},
	} {
		if got := summary(tt.c); got != tt.want {
			t.Errorf("summary(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}
