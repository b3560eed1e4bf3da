package api

import (
	"cmp"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/deadline"
)

// The reports the API serves by one grouping, over a period: SLA targets
// met and satisfaction, with the names of what they group by; and the CSV
// forms of both. The business case (value.go) and the staffing plan
// (staffing.go) have files of their own.

// GroupedReport is what a report counted in a period, by one grouping
// (By): its rows, one a group.
type GroupedReport[Row any] struct {
	By   string    `json:"by"`
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	Rows []Row     `json:"rows"`
}

// SLAReport is SLA targets met in a period, by one grouping: the answer
// of GET /api/v1/reports/sla and what the web's reports page shows.
type SLAReport = GroupedReport[SLAReportRow]

// SLAReportRow is care.SLAReportRow with the name of the policy, team or
// agent its key is the id of, so a report reads without a second lookup.
type SLAReportRow struct {
	Key            string  `json:"key"`
	Name           string  `json:"name,omitempty"`
	Total          int     `json:"total"`
	Met            int     `json:"met"`
	MetShare       float64 `json:"met_share"`
	AvgUsedSeconds float64 `json:"avg_used_seconds"`
}

// SLAReport counts the SLA clocks stopped in a period and those within
// target, grouped by policy, team, agent, channel, kind, band or day (the
// default). The times measured are business time, as the clocks counted
// them. q holds the parameters of GET /api/v1/reports/sla, so the web's
// page takes the same.
func (s *Server) SLAReport(ctx context.Context, p care.Principal, q url.Values) (*SLAReport, error) {
	return groupedReport(ctx, s, p, q, "SLA reports are for supervisors and admins.", "day", s.Store.SLAReport,
		func(row care.SLAReportRow, names map[string]string) SLAReportRow {
			return SLAReportRow{Key: row.Key, Name: names[row.Key], Total: row.Total, Met: row.Met,
				MetShare: row.MetShare, AvgUsedSeconds: row.AvgUsedSeconds}
		})
}

// writeSLACSV writes the SLA report in the columns it has always had,
// without names, for the spreadsheets built on them.
func writeSLACSV(w http.ResponseWriter, rep *SLAReport) {
	cw := csvDownload(w, "sla-by-"+rep.By)
	cw.Write([]string{rep.By, "total", "met", "met_share", "avg_used_seconds"})
	for _, row := range rep.Rows {
		cw.Write([]string{csvSafe(row.Key), strconv.Itoa(row.Total), strconv.Itoa(row.Met),
			strconv.FormatFloat(row.MetShare, 'f', 4, 64), strconv.FormatFloat(row.AvgUsedSeconds, 'f', 0, 64)})
	}
	cw.Flush()
}

// groupedReport reads the parameters the SLA and satisfaction reports
// share (by, default defaultBy; from and to), after refusing whoever may
// not see the workspace's reports (refused tells agents why), counts with
// count, which refuses a grouping it has not, and makes each group a row
// with the names of the groups that have one.
func groupedReport[Count, Row any](ctx context.Context, s *Server, p care.Principal, q url.Values, refused, defaultBy string,
	count func(ctx context.Context, workspaceID care.ID, from, to time.Time, by string) ([]Count, error),
	row func(c Count, names map[string]string) Row) (*GroupedReport[Row], error) {
	if err := workspaceReport(p, refused); err != nil {
		return nil, err
	}
	by := cmp.Or(q.Get("by"), defaultBy)
	from, to, err := s.period(q)
	if err != nil {
		return nil, err
	}
	counts, err := count(ctx, p.WorkspaceID, from, to, by)
	if err != nil {
		return nil, err
	}
	names, err := s.groupNames(ctx, p.WorkspaceID, by)
	if err != nil {
		return nil, err
	}
	rep := &GroupedReport[Row]{By: by, From: from, To: to, Rows: make([]Row, len(counts))}
	for i, c := range counts {
		rep.Rows[i] = row(c, names)
	}
	return rep, nil
}

// csvDownload answers with a CSV attachment named name+".csv" and returns
// the writer of its rows; the caller flushes it.
func csvDownload(w http.ResponseWriter, name string) *csv.Writer {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	return csv.NewWriter(w)
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet: keys
// such as channel names are ours, but a team's or agent's name is anyone's
// text, and a cell is cheap to defuse.
func csvSafe(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') {
		return "'" + v
	}
	return v
}

// CSATReport is the satisfaction surveys sent in a period, by one
// grouping: the answer of GET /api/v1/reports/csat and what the web's
// reports page shows.
type CSATReport = GroupedReport[CSATReportRow]

// CSATReportRow is care.CSATReportRow with the name of the team or agent
// its key is the id of.
type CSATReportRow struct {
	Key       string  `json:"key"`
	Name      string  `json:"name,omitempty"`
	Sent      int     `json:"sent"`
	Answered  int     `json:"answered"`
	AvgScore  float64 `json:"avg_score"`
	Satisfied float64 `json:"satisfied"`
}

// CSATReport counts the satisfaction surveys sent in a period and those
// answered, with the mean score and the share of 4s and 5s, grouped by
// agent (the default), team, channel or day. q holds the parameters of
// GET /api/v1/reports/csat, so the web's page takes the same.
func (s *Server) CSATReport(ctx context.Context, p care.Principal, q url.Values) (*CSATReport, error) {
	return groupedReport(ctx, s, p, q, "Satisfaction reports are for supervisors and admins.", "agent", s.Store.CSATReport,
		func(row care.CSATReportRow, names map[string]string) CSATReportRow {
			return CSATReportRow{Key: row.Key, Name: names[row.Key], Sent: row.Sent, Answered: row.Answered,
				AvgScore: row.AvgScore, Satisfied: row.Satisfied}
		})
}

// writeCSATCSV writes the satisfaction report with the groups' names, as
// the business case's CSV has them. A group with no answer has no score
// rather than 0, which a spreadsheet would average in.
func writeCSATCSV(w http.ResponseWriter, rep *CSATReport) {
	cw := csvDownload(w, "csat-by-"+rep.By)
	cw.Write([]string{rep.By, "name", "sent", "answered", "avg_score", "satisfied"})
	for _, row := range rep.Rows {
		score, satisfied := "", ""
		if row.Answered > 0 {
			score, satisfied = strconv.FormatFloat(row.AvgScore, 'f', 2, 64), strconv.FormatFloat(row.Satisfied, 'f', 4, 64)
		}
		cw.Write([]string{csvSafe(row.Key), csvSafe(row.Name), strconv.Itoa(row.Sent), strconv.Itoa(row.Answered), score, satisfied})
	}
	cw.Flush()
}

// groupNames maps a report's keys to names when it groups by something
// with one: an agent's name, a team's, an SLA policy's. Others, and ids
// that name nothing any more (a deleted policy, a former member, 0 for
// unassigned), get none.
func (s *Server) groupNames(ctx context.Context, ws care.ID, by string) (map[string]string, error) {
	names := map[string]string{}
	key := func(id care.ID) string { return strconv.FormatInt(id, 10) }
	switch by {
	case "agent":
		agents, err := s.Store.Agents(ctx, ws)
		if err != nil {
			return nil, err
		}
		for _, a := range agents {
			names[key(a.UserID)] = a.Name
		}
	case "team":
		teams, err := s.Store.Teams(ctx, ws)
		if err != nil {
			return nil, err
		}
		for _, t := range teams {
			names[key(t.ID)] = t.Name
		}
	case "policy":
		doc, err := s.Store.Setting(ctx, ws, deadline.SettingName)
		if care.ErrorCode(err) == care.ENOTFOUND {
			doc, err = s.Settings[deadline.SettingName].Default, nil
		}
		if err != nil {
			return nil, err
		}
		// The document was checked when it was saved; one that no longer
		// reads only costs the names.
		if _, policies, err := deadline.ParseSettings(doc); err == nil {
			for _, p := range policies {
				names[key(care.ID(p.ID))] = p.Name
			}
		}
	}
	return names, nil
}

// period reads a report's from and to (periodOf, dates on UTC's clock), by
// default the last 30 days.
func (s *Server) period(q url.Values) (from, to time.Time, err error) {
	now := s.now()
	return periodOf(q, now.Add(-30*24*time.Hour), now, time.UTC)
}
