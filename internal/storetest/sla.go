package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testSLAOutcomes(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	w := mustWorld(t, s, "acme")
	other := mustWorkspace(t, s, "other")
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	record := func(ws care.ID, kind string, ch care.Channel, team, agent care.ID, met bool, used time.Duration, at time.Time) {
		t.Helper()
		band := "under 1k"
		if agent == 8 {
			band = "10k–100k"
		}
		o := &care.SLAOutcome{WorkspaceID: ws, ConversationID: w.conv.ID, PolicyID: 1, Kind: kind, Channel: ch, TeamID: team,
			AssigneeID: agent, Band: band, Met: met, Used: used, Target: time.Hour, At: at}
		must(t, s.RecordSLAOutcome(ctx, o), "RecordSLAOutcome")
		if o.ID == 0 {
			t.Fatal("RecordSLAOutcome did not assign an ID")
		}
	}
	record(w.ws.ID, "first_response", care.ChannelX, 1, 7, true, 20*time.Minute, day.Add(9*time.Hour))
	record(w.ws.ID, "first_response", care.ChannelX, 1, 7, false, 90*time.Minute, day.Add(10*time.Hour))
	record(w.ws.ID, "next_response", care.ChannelWhatsApp, 2, 8, true, 10*time.Minute, day.Add(30*time.Hour))
	record(other.ID, "first_response", care.ChannelX, 1, 7, false, time.Hour, day.Add(9*time.Hour))

	for _, tc := range []struct {
		by   string
		want []care.SLAReportRow
	}{
		{"channel", []care.SLAReportRow{{Key: "x", Total: 2, Met: 1, MetShare: 0.5, AvgUsedSeconds: 3300}, {Key: "whatsapp", Total: 1, Met: 1, MetShare: 1, AvgUsedSeconds: 600}}},
		{"agent", []care.SLAReportRow{{Key: "7", Total: 2, Met: 1, MetShare: 0.5, AvgUsedSeconds: 3300}, {Key: "8", Total: 1, Met: 1, MetShare: 1, AvgUsedSeconds: 600}}},
		{"day", []care.SLAReportRow{{Key: "2026-11-23", Total: 2, Met: 1, MetShare: 0.5, AvgUsedSeconds: 3300}, {Key: "2026-11-24", Total: 1, Met: 1, MetShare: 1, AvgUsedSeconds: 600}}},
		{"band", []care.SLAReportRow{{Key: "under 1k", Total: 2, Met: 1, MetShare: 0.5, AvgUsedSeconds: 3300}, {Key: "10k–100k", Total: 1, Met: 1, MetShare: 1, AvgUsedSeconds: 600}}},
		{"kind", []care.SLAReportRow{{Key: "first_response", Total: 2, Met: 1, MetShare: 0.5, AvgUsedSeconds: 3300}, {Key: "next_response", Total: 1, Met: 1, MetShare: 1, AvgUsedSeconds: 600}}},
	} {
		got, err := s.SLAReport(ctx, w.ws.ID, day, day.Add(48*time.Hour), tc.by)
		must(t, err, "SLAReport(%s)", tc.by)
		if d := diff(tc.want, got); d != "" {
			t.Errorf("SLAReport(by %s) (-want +got):\n%s", tc.by, d)
		}
	}
	got, err := s.SLAReport(ctx, w.ws.ID, day.Add(24*time.Hour), day.Add(48*time.Hour), "team")
	must(t, err, "SLAReport(team, second day)")
	if len(got) != 1 || got[0].Key != "2" || got[0].Total != 1 {
		t.Errorf("SLAReport(team, second day) = %+v, want team 2 with 1", got)
	}
	_, err = s.SLAReport(ctx, w.ws.ID, day, day, "colour; DROP TABLE x")
	wantCode(t, err, care.EINVALID, "SLAReport(bad grouping)")
}
