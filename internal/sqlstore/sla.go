package sqlstore

import (
	"context"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func (q queries) RecordSLAOutcome(ctx context.Context, o *care.SLAOutcome) error {
	o.At = fromMicros(micros(o.At))
	id, err := q.insert(ctx, `INSERT INTO sla_outcomes (workspace_id, conversation_id, policy_id, kind, channel, team_id, assignee_id, met, used, target, at, band)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.WorkspaceID, o.ConversationID, o.PolicyID, o.Kind, string(o.Channel), o.TeamID, o.AssigneeID, b2i(o.Met),
		int64(o.Used/time.Second), int64(o.Target/time.Second), micros(o.At), o.Band)
	if err != nil {
		return q.wrap(err, "SLA outcome")
	}
	o.ID = id
	return nil
}

// slaGroups are the columns an SLA report groups by; the map keeps user
// input out of the SQL.
var slaGroups = map[string]string{
	"policy":  "policy_id",
	"team":    "team_id",
	"agent":   "assignee_id",
	"channel": "channel",
	"kind":    "kind",
	"band":    "band",
	"day":     "at / 86400000000",
}

func (q queries) SLAReport(ctx context.Context, workspaceID care.ID, from, to time.Time, by string) ([]care.SLAReportRow, error) {
	col, ok := slaGroups[by]
	if !ok {
		return nil, care.Errorf(care.EINVALID, "An SLA report groups by policy, team, agent, channel, kind, band or day, not %q.", by)
	}
	order := "COUNT(*) DESC, 1"
	if by == "day" {
		order = "1"
	}
	rows, err := q.query(ctx, `SELECT `+col+`, COUNT(*), SUM(met), SUM(used) FROM sla_outcomes
		WHERE workspace_id = ? AND at >= ? AND at < ? GROUP BY `+col+` ORDER BY `+order,
		workspaceID, micros(from), micros(to))
	if err != nil {
		return nil, q.wrap(err, "SLA report")
	}
	defer rows.Close()
	out := []care.SLAReportRow{}
	for rows.Next() {
		var key any
		var r care.SLAReportRow
		var used int64
		if err := rows.Scan(&key, &r.Total, &r.Met, &used); err != nil {
			return nil, q.wrap(err, "SLA report")
		}
		r.Key = groupKey(key, by == "day")
		if r.Total > 0 {
			r.MetShare = float64(r.Met) / float64(r.Total)
			r.AvgUsedSeconds = float64(used) / float64(r.Total)
		}
		out = append(out, r)
	}
	return out, q.wrap(rows.Err(), "SLA report")
}
