package triage

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func TestIncidentsCount(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var ins incidents
	if n := ins.raise(1, "outage", 10, t0); n != 1 {
		t.Fatalf("first customer: %d", n)
	}
	if n := ins.raise(1, "outage", 10, t0.Add(time.Minute)); n != 1 {
		t.Errorf("the same customer again counts twice: %d", n)
	}
	if n := ins.raise(2, "outage", 11, t0); n != 1 {
		t.Errorf("another workspace's customer counts here: %d", n)
	}
	if n := ins.raise(1, "billing", 11, t0); n != 1 {
		t.Errorf("another topic's customer counts here: %d", n)
	}
	if n := ins.raise(1, "outage", 12, t0.Add(IncidentWindow)); n != 2 {
		t.Errorf("a customer exactly a window later: %d, want 2", n)
	}
	if n := ins.raise(1, "outage", 13, t0.Add(IncidentWindow+2*time.Minute)); n != 2 {
		t.Errorf("after the first one left the window: %d, want 2", n)
	}
}

func TestIncidentsBounded(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var ins incidents
	for i := range maxIncidentKeys {
		ins.raise(care.ID(i), "t", 1, t0)
	}
	// Later, the old topics are quiet and go; a current one stays.
	ins.raise(1, "t", 2, t0.Add(IncidentWindow+time.Minute))
	ins.raise(99_999, "new", 1, t0.Add(IncidentWindow+time.Minute))
	if len(ins.seen) != 2 {
		t.Errorf("%d topics tracked after pruning, want 2", len(ins.seen))
	}
	// A flood of current topics is dropped rather than grown.
	for i := range maxIncidentKeys + 10 {
		ins.raise(care.ID(200_000+i), "flood", 1, t0.Add(IncidentWindow+2*time.Minute))
	}
	if len(ins.seen) > maxIncidentKeys {
		t.Errorf("%d topics tracked, want at most %d", len(ins.seen), maxIncidentKeys)
	}
}

func TestCustomerWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{`[A WhatsApp message of type "poll_vote" that Parley cannot show yet]`, ""},
		{"is this in stock?\n\n[A Messenger product: Blue kettle]", "is this in stock?\n\n"},
		{"[Edited] the box was crushed", "[Edited] the box was crushed"},
		{"[URGENT]\nmy card was charged twice", "my card was charged twice"},
		{"a [note] inside a line stays", "a [note] inside a line stays"},
	}
	for _, tt := range tests {
		if got := customerWords(tt.in); got != tt.want {
			t.Errorf("customerWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
