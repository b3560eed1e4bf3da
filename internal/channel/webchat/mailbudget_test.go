package webchat

import (
	"testing"
	"time"
)

func TestMailBudget(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	b := mailBudget{}
	for i := range mailPerHour {
		at := start.Add(time.Duration(i) * time.Minute)
		if !b.allow(at, "to a@example.com", "visitor 1 v") {
			t.Fatalf("email %d refused, want allowed", i+1)
		}
		b.spend(at, "to a@example.com", "visitor 1 v")
	}
	tests := []struct {
		name  string
		after time.Duration
		keys  []string
		want  bool
	}{
		{"the address again", 10 * time.Minute, []string{"to a@example.com"}, false},
		{"the visitor, another address", 10 * time.Minute, []string{"to b@example.com", "visitor 1 v"}, false},
		{"another visitor and address", 10 * time.Minute, []string{"to b@example.com", "visitor 1 w"}, true},
		{"an hour after the first", time.Hour, []string{"to a@example.com"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.allow(start.Add(tt.after), tt.keys...); got != tt.want {
				t.Errorf("allow(+%v, %q) = %v, want %v", tt.after, tt.keys, got, tt.want)
			}
		})
	}
	b.prune(start.Add(2 * time.Hour))
	if len(b) != 0 {
		t.Errorf("after two quiet hours the budget holds %d keys, want none", len(b))
	}
}
