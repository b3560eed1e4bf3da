package sla_test

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/hours"
	"github.com/parleyhq/parley/internal/sla"
	"pgregory.net/rapid"
)

func TestClock(t *testing.T) {
	t.Parallel()
	cal := officeHours(t)
	for _, tt := range []struct {
		name   string
		clock  func() sla.Clock
		now    string
		target time.Duration
		used   time.Duration
		due    string // "" when Due is false
	}{
		{"running", func() sla.Clock { return sla.Start(at(t, "2026-11-23 09:00")) },
			"2026-11-23 10:00", 2 * time.Hour, time.Hour, "2026-11-23 11:00"},
		{"over lunch", func() sla.Clock { return sla.Start(at(t, "2026-11-23 12:00")) },
			"2026-11-23 13:00", time.Hour, 30 * time.Minute, "2026-11-23 14:00"},
		{"started on Saturday", func() sla.Clock { return sla.Start(at(t, "2026-11-28 10:00")) },
			"2026-11-29 20:00", time.Hour, 0, "2026-11-30 09:00"},
		{"paused", func() sla.Clock {
			return sla.Start(at(t, "2026-11-23 12:00")).Pause(at(t, "2026-11-23 12:15"), cal)
		}, "2026-11-23 16:00", time.Hour, 15 * time.Minute, ""},
		{"resumed", func() sla.Clock {
			return sla.Start(at(t, "2026-11-23 12:00")).Pause(at(t, "2026-11-23 12:15"), cal).Resume(at(t, "2026-11-23 16:00"))
		}, "2026-11-23 16:30", time.Hour, 45 * time.Minute, "2026-11-23 16:45"},
		{"resumed past its target", func() sla.Clock {
			return sla.Start(at(t, "2026-11-23 09:00")).Pause(at(t, "2026-11-23 11:00"), cal).Resume(at(t, "2026-11-23 15:00"))
		}, "2026-11-23 16:00", time.Hour, 3 * time.Hour, "2026-11-23 15:00"},
		{"stopped", func() sla.Clock {
			return sla.Start(at(t, "2026-11-23 09:00")).Stop(at(t, "2026-11-23 09:40"), cal)
		}, "2026-11-24 16:00", time.Hour, 40 * time.Minute, ""},
		{"stopped while paused", func() sla.Clock {
			return sla.Start(at(t, "2026-11-23 09:00")).Pause(at(t, "2026-11-23 09:10"), cal).Stop(at(t, "2026-11-23 11:00"), cal)
		}, "2026-11-24 16:00", time.Hour, 10 * time.Minute, ""},
		{"stopped stays stopped", func() sla.Clock {
			c := sla.Start(at(t, "2026-11-23 09:00")).Stop(at(t, "2026-11-23 09:40"), cal)
			return c.Resume(at(t, "2026-11-23 10:00")).Pause(at(t, "2026-11-23 11:00"), cal).Stop(at(t, "2026-11-23 12:00"), cal)
		}, "2026-11-24 16:00", time.Hour, 40 * time.Minute, ""},
		{"paused twice", func() sla.Clock {
			return sla.Start(at(t, "2026-11-23 09:00")).Pause(at(t, "2026-11-23 09:10"), cal).Pause(at(t, "2026-11-23 10:00"), cal)
		}, "2026-11-24 16:00", time.Hour, 10 * time.Minute, ""},
		{"resumed twice", func() sla.Clock {
			return sla.Start(at(t, "2026-11-23 09:00")).Resume(at(t, "2026-11-23 10:00"))
		}, "2026-11-23 09:30", time.Hour, 30 * time.Minute, "2026-11-23 10:00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := tt.clock()
			if got := c.Used(at(t, tt.now), cal); got != tt.used {
				t.Errorf("Used(%s) = %v, want %v", tt.now, got, tt.used)
			}
			due, ok := c.Due(tt.target, cal)
			switch {
			case tt.due == "" && ok:
				t.Errorf("Due(%v) = %v, true; want false", tt.target, due)
			case tt.due != "" && (!ok || !due.Equal(at(t, tt.due))):
				t.Errorf("Due(%v) = %v, %v; want %s", tt.target, due, ok, tt.due)
			}
		})
	}
}

// Pausing, resuming and stopping never change the time used at that
// instant, the time used never goes down, and a running clock's deadline is
// when it has used its target.
func TestClockProperties(t *testing.T) {
	t.Parallel()
	cals := []*hours.Calendar{officeHours(t), hours.AlwaysOpen()}
	start := at(t, "2026-11-20 00:00")
	rapid.Check(t, func(t *rapid.T) {
		cal := rapid.SampledFrom(cals).Draw(t, "cal")
		now := start.Add(time.Duration(rapid.Int64Range(0, int64(72*time.Hour)).Draw(t, "start")))
		c := sla.Start(now)
		var used time.Duration
		for i := range rapid.IntRange(0, 8).Draw(t, "ops") {
			now = now.Add(time.Duration(rapid.Int64Range(0, int64(48*time.Hour)).Draw(t, "wait")))
			before := c.Used(now, cal)
			if before < used {
				t.Fatalf("op %d: Used went down from %v to %v", i, used, before)
			}
			switch rapid.IntRange(0, 2).Draw(t, "op") {
			case 0:
				c = c.Pause(now, cal)
			case 1:
				c = c.Resume(now)
			case 2:
				c = c.Stop(now, cal)
			}
			if after := c.Used(now, cal); after != before {
				t.Fatalf("op %d: Used at the instant changed from %v to %v", i, before, after)
			}
			used = before
		}
		target := time.Duration(rapid.Int64Range(1, int64(40*time.Hour)).Draw(t, "target"))
		if due, ok := c.Due(target, cal); ok && c.Used(now, cal) < target {
			if got := c.Used(due, cal); got != target {
				t.Fatalf("Used(Due(%v)) = %v", target, got)
			}
		}
	})
}
