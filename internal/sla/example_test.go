package sla_test

import (
	"fmt"
	"time"

	"github.com/parleyhq/parley/internal/hours"
	"github.com/parleyhq/parley/internal/sla"
)

// A conversation's SLA from its first message: select the policy, apply
// each event, check, and keep the deadlines.
func Example() {
	cal, err := hours.Parse([]byte(office))
	if err != nil {
		fmt.Println(err)
		return
	}
	london := cal.Location()
	policies := []sla.Policy{
		{ID: 1, Name: "VIP", Match: sla.Match{Tags: []string{"vip"}}, Targets: sla.Targets{FirstResponse: 30 * time.Minute, WarnAt: 0.5}},
		{ID: 2, Name: "Standard", Targets: sla.Targets{FirstResponse: 4 * time.Hour, Resolution: 40 * time.Hour, WarnAt: 0.75}},
	}
	p, _ := sla.Select(policies, sla.Subject{Channel: "x", Tags: []string{"vip"}})
	s := sla.State{Policy: p.ID}

	// A VIP writes ten minutes before closing on Friday.
	friday := time.Date(2026, 11, 27, 16, 50, 0, 0, london)
	s = s.Apply(sla.Event{At: friday, Type: sla.CustomerMessage}, p.Targets, cal)
	s, _ = s.Check(friday, p.Targets, cal)
	for _, d := range s.Deadlines(p.Targets, cal) {
		fmt.Println(p.Name, d.Kind, "due", d.At.In(london).Format("Mon 15:04"), "warn", d.WarnAt.In(london).Format("Mon 15:04"))
	}
	for _, now := range []time.Time{
		time.Date(2026, 11, 30, 8, 10, 0, 0, london),
		time.Date(2026, 11, 30, 8, 15, 0, 0, london),
		time.Date(2026, 11, 30, 8, 21, 0, 0, london),
	} {
		var alerts []sla.Alert
		s, alerts = s.Check(now, p.Targets, cal)
		for _, a := range alerts {
			fmt.Println(now.Format("15:04"), a.Kind, a.Level)
		}
	}
	// Output:
	// VIP first_response due Mon 08:20 warn Mon 08:05
	// 08:10 first_response warning
	// 08:21 first_response breach
}
