package demo

import (
	"context"
	"math/rand/v2"
	"net/url"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
)

// runConversations are the conversations f matches that the run brought,
// the desk's past (all created before until) left out.
func runConversations(t *testing.T, s care.Store, f care.ConversationFilter, until time.Time) []care.Conversation {
	t.Helper()
	var out []care.Conversation
	f.Limit = 500
	for {
		page, err := s.Conversations(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Conversations {
			if !c.CreatedAt.Before(until) {
				out = append(out, c)
			}
		}
		if page.Next == "" || len(page.Conversations) == 0 {
			return out
		}
		f.After = page.Next
	}
}

// checkPastReports checks that a fresh demo's staffing plan and reports,
// as the web's pages ask the API for them, have figures: the past weeks'
// arrivals, surveys and service levels.
func checkPastReports(t *testing.T, s care.Store, ws care.ID, past Past) {
	t.Helper()
	ctx := context.Background()
	if past.Conversations < pastDays*15 || past.Answered == 0 || past.SLAOutcomes != 2*past.Conversations {
		t.Errorf("the past = %+v; want weeks of conversations, answered surveys and two stopped clocks each", past)
	}
	srv := &api.Server{Store: s}
	boss := care.Principal{WorkspaceID: ws, Role: care.RoleAdmin}
	plan, err := srv.StaffingPlan(ctx, boss, url.Values{})
	if err != nil {
		t.Fatalf("StaffingPlan: %v", err)
	}
	if plan.History.Contacts < past.Conversations || plan.History.Weeks < 4 || plan.Totals.Contacts <= 0 || plan.Totals.PeakAgents == 0 {
		t.Errorf("staffing plan: history %+v, totals %+v; want four weeks of arrivals and a week of agents", plan.History, plan.Totals)
	}
	csat, err := srv.CSATReport(ctx, boss, url.Values{})
	if err != nil {
		t.Fatalf("CSATReport: %v", err)
	}
	agents := map[string]bool{}
	for _, row := range csat.Rows {
		if row.Answered > 0 && row.AvgScore >= 1 && row.AvgScore <= 5 {
			agents[row.Name] = true
		}
	}
	for _, a := range crew {
		if !agents[a.first+" "+a.last] {
			t.Errorf("the satisfaction report has no answered survey for %s %s: %+v", a.first, a.last, csat.Rows)
		}
	}
	sla, err := srv.SLAReport(ctx, boss, url.Values{})
	if err != nil {
		t.Fatalf("SLAReport: %v", err)
	}
	total, met := 0, 0
	for _, row := range sla.Rows {
		total += row.Total
		met += row.Met
	}
	if total == 0 || met == 0 || met == total {
		t.Errorf("the SLA report counts %d clocks, %d met; want many, most met, some missed", total, met)
	}
}

// The past is drawn from the seed: arrivals across four weeks up to
// pastGap before now, fewer at night and at weekends, each answered
// after it came and resolved after the answer, before the past ends.
func TestPlanPast(t *testing.T) {
	t.Parallel()
	team := &seeded{}
	for i, spec := range crew {
		team.agents = append(team.agents, &agent{spec: spec, id: care.ID(i + 10)})
	}
	inboxes := map[care.Channel]care.ID{}
	for i, c := range pastChannels {
		inboxes[c.ch] = care.ID(i + 1)
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) // a Wednesday
	plan := planPast(rand.New(rand.NewPCG(3, 0x9a57)), team, inboxes, now)
	if again := planPast(rand.New(rand.NewPCG(3, 0x9a57)), team, inboxes, now); len(again) != len(plan) || again[0].ask != plan[0].ask {
		t.Errorf("the same seed drew %d conversations, then %d", len(plan), len(again))
	}
	until := now.Add(-pastGap)
	from := until.AddDate(0, 0, -pastDays-1)
	var weekday, weekend, night, evening int
	channels := map[care.Channel]int{}
	for i, p := range plan {
		if i > 0 && p.opened.Before(plan[i-1].opened) {
			t.Fatalf("conversation %d opened %v, before the one before it", i, p.opened)
		}
		ok := p.opened.After(from) && p.opened.Before(p.replied) && !p.closed.After(until) && p.replied.Before(p.closed) &&
			(p.thanks == "") == p.thanked.IsZero() && (p.thanked.IsZero() || p.replied.Before(p.thanked) && p.thanked.Before(p.closed))
		if !ok || p.ask == "" || p.agent == nil || p.inbox == 0 || p.score < 0 || p.score > 5 {
			t.Errorf("conversation %d: %+v", i, p)
		}
		channels[p.ch]++
		switch wd := p.opened.Weekday(); {
		case wd == time.Saturday || wd == time.Sunday:
			weekend++
		default:
			weekday++
		}
		switch h := p.opened.Hour(); {
		case h < 5:
			night++
		case h >= 18 && h < 23:
			evening++
		}
	}
	if len(plan) < pastDays*15 || len(plan) > pastDays*60 {
		t.Errorf("%d conversations in %d days", len(plan), pastDays)
	}
	// 20 weekdays and 8 weekend days, weekends at weekendShare.
	if weekend*20 >= weekday*8 {
		t.Errorf("%d conversations on weekends, %d on weekdays: want fewer a day at weekends", weekend, weekday)
	}
	if night*2 >= evening {
		t.Errorf("%d conversations at night, %d in the evening", night, evening)
	}
	if len(channels) != len(pastChannels) {
		t.Errorf("conversations by channel: %v; want every channel of the past", channels)
	}
}
