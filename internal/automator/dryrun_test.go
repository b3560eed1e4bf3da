package automator_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/parleyhq/parley/internal/automation"
	"github.com/parleyhq/parley/internal/automator"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

// TestDryRunPages: a dry run checks up to its limit, through as many of the
// store's pages (100 conversations at most) as it takes, newest first.
func TestDryRunPages(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t), func(*world) string { return `{"rules":[]}` })
	ctx := t.Context()
	const total = 230
	raws := make([]care.RawEvent, total)
	for i := range raws {
		text := "love the new store!"
		if i%3 == 0 {
			text = "still waiting for my refund"
		}
		in := care.Inbound{InboxID: w.inbox.ID, Channel: care.ChannelX, PlatformID: fmt.Sprintf("bulk%d", i), Visibility: care.Public,
			Author: care.Author{PlatformUserID: fmt.Sprintf("customer%d", i)}, Text: text, SentAt: w.now}
		raws[i] = care.RawEvent{InboxID: w.inbox.ID, WorkspaceID: w.ws.ID, DedupeKey: in.DedupeKey(), Payload: []byte(text), Inbound: in, ReceivedAt: w.now}
	}
	_, err := w.s.AppendRaw(ctx, raws)
	must(t, err)
	for {
		n, err := w.p.RunOnce(ctx)
		must(t, err)
		if n == 0 {
			break
		}
	}
	// All arrived at once: newest first is highest id first.
	var ids []care.ID
	refunds := map[care.ID]bool{}
	for i := range raws {
		m, err := w.s.MessageByPlatformID(ctx, w.inbox.ID, raws[i].Inbound.PlatformID)
		must(t, err)
		ids = append(ids, m.ConversationID)
		refunds[m.ConversationID] = i%3 == 0
	}
	slices.Sort(ids)
	if ids = slices.Compact(ids); len(ids) != total {
		t.Fatalf("%d conversations, want %d", len(ids), total)
	}
	slices.Reverse(ids)

	rule := automation.Rule{ID: 1, Name: "refunds", Enabled: true, Trigger: automation.MessageReceived,
		Conditions: []automation.Condition{{Field: "text", Op: "contains", Value: []byte(`"refund"`)}},
		Actions:    []automation.Action{{Type: automation.ActionAddTag, Tag: "refund"}}}
	for _, tt := range []struct {
		limit, want int
	}{
		{0, automator.DefaultDryRunLimit},
		{-1, automator.DefaultDryRunLimit},
		{1, 1},
		{100, 100},
		{101, 101},
		{150, 150},
		{1000, total},
		{5000, total},
	} {
		t.Run(fmt.Sprint(tt.limit), func(t *testing.T) {
			fired, checked, err := automator.DryRun(ctx, w.s, w.ws.ID, rule, tt.limit, w.now)
			must(t, err)
			if checked != tt.want {
				t.Errorf("checked %d, want %d", checked, tt.want)
			}
			var want []care.ID
			for _, id := range ids[:tt.want] {
				if refunds[id] {
					want = append(want, id)
				}
			}
			if !slices.Equal(fired, want) {
				t.Errorf("fired for %d conversations %v, want the %d refunds among the newest %d %v", len(fired), fired, len(want), tt.want, want)
			}
		})
	}
}
