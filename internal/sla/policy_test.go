package sla_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/sla"
)

func TestSelect(t *testing.T) {
	t.Parallel()
	high := 70.0
	policies := []sla.Policy{
		{ID: 1, Name: "VIP on X", Match: sla.Match{Channels: []string{"x"}, Tags: []string{"VIP", "press"}}},
		{ID: 2, Name: "Urgent billing", Match: sla.Match{TeamIDs: []int64{7, 8}, MinPriority: &high}},
		{ID: 3, Name: "WhatsApp", Match: sla.Match{Channels: []string{"whatsapp"}}},
		{ID: 4, Name: "Everything else"},
	}
	for _, tt := range []struct {
		name string
		s    sla.Subject
		want int64
	}{
		{"channel and tag", sla.Subject{Channel: "x", Tags: []string{"refund", "vip"}}, 1},
		{"tag on another channel", sla.Subject{Channel: "facebook", Tags: []string{"vip"}}, 4},
		{"channel without the tag", sla.Subject{Channel: "x", Tags: []string{"refund"}}, 4},
		{"team and priority", sla.Subject{Channel: "x", TeamID: 8, Priority: 70}, 2},
		{"team, priority too low", sla.Subject{Channel: "whatsapp", TeamID: 8, Priority: 69.9}, 3},
		{"priority, other team", sla.Subject{Channel: "email", TeamID: 9, Priority: 99}, 4},
		{"first match wins", sla.Subject{Channel: "x", TeamID: 7, Priority: 90, Tags: []string{"press"}}, 1},
		{"nothing set", sla.Subject{}, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := sla.Select(policies, tt.s)
			if !ok || got.ID != tt.want {
				t.Errorf("Select(%+v) = %d, %v; want %d", tt.s, got.ID, ok, tt.want)
			}
		})
	}
	if got, ok := sla.Select(policies[:3], sla.Subject{Channel: "email"}); ok {
		t.Errorf("Select without a catch-all = %d, true; want false", got.ID)
	}
	if _, ok := sla.Select(nil, sla.Subject{}); ok {
		t.Error("Select(nil) = true")
	}
}

func TestTargetsValidate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		t    sla.Targets
		want string // "" for valid
	}{
		{"typical", sla.Targets{FirstResponse: time.Hour, NextResponse: 4 * time.Hour, Resolution: 40 * time.Hour, WarnAt: 0.75}, ""},
		{"none", sla.Targets{}, ""},
		{"negative", sla.Targets{NextResponse: -time.Minute}, "next response target"},
		{"too long", sla.Targets{Resolution: sla.MaxTarget + 1}, "resolution target must be between 0 (none) and 366 days"},
		{"warn at 1", sla.Targets{FirstResponse: time.Hour, WarnAt: 1}, "warn_at"},
		{"warn below 0", sla.Targets{FirstResponse: time.Hour, WarnAt: -0.5}, "warn_at"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.t.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want)):
				t.Errorf("Validate = %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}
