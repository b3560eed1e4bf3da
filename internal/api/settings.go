package api

import (
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/deadline"
)

// Setting is one kind of workspace setting the API reads and writes: its
// validator, and a hook run after it changed.
type Setting struct {
	// Validate checks a document, returning EINVALID that says what is
	// wrong.
	Validate func(doc []byte) error
	// Changed, if set, is told after a workspace's document was saved, so
	// caches drop it.
	Changed func(workspaceID care.ID)
	// Default is served when the workspace has not set one.
	Default json.RawMessage
}

// maxSettingBody bounds a setting document on the wire.
const maxSettingBody = 1 << 20

func (s *Server) setting(r *http.Request) (string, Setting, error) {
	name := r.PathValue("name")
	st, ok := s.Settings[name]
	if !ok {
		return "", Setting{}, care.Errorf(care.ENOTFOUND, "No setting %q.", name)
	}
	return name, st, nil
}

func (s *Server) getSetting(w http.ResponseWriter, r *http.Request) {
	name, st, err := s.setting(r)
	if err == nil {
		// Rules, policies and word lists are the workspace's, not a team's.
		err = principal(r).Scope.Refuse("read the workspace's settings")
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	doc, err := s.Store.Setting(r.Context(), principal(r).WorkspaceID, name)
	switch {
	case care.ErrorCode(err) == care.ENOTFOUND:
		doc = st.Default
		if doc == nil {
			doc = json.RawMessage(`{}`)
		}
	case err != nil:
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(doc)
}

func (s *Server) putSetting(w http.ResponseWriter, r *http.Request) {
	name, _, err := s.setting(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	doc, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSettingBody))
	if err != nil {
		writeError(w, r, care.Errorf(care.ETOOLARGE, "A setting is at most %d bytes.", maxSettingBody))
		return
	}
	if err := s.SaveSetting(r.Context(), principal(r), name, doc); err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(doc)
}

// SaveSetting checks a workspace setting's document, stores it, audits
// the change and tells the setting's cache: what PUT
// /api/v1/settings/{name} does, for the web's forms too.
func (s *Server) SaveSetting(ctx context.Context, p care.Principal, name string, doc []byte) error {
	if !p.Role.AtLeast(care.RoleAdmin) {
		return care.Errorf(care.EFORBIDDEN, "Only admins change the workspace's settings.")
	}
	st, ok := s.Settings[name]
	if !ok {
		return care.Errorf(care.ENOTFOUND, "No setting %q.", name)
	}
	if !json.Valid(doc) {
		return care.Errorf(care.EINVALID, "The body is not JSON.")
	}
	if st.Validate != nil {
		if err := st.Validate(doc); err != nil {
			return err
		}
	}
	if err := s.Store.SetSetting(ctx, p.WorkspaceID, name, doc, s.now()); err != nil {
		return err
	}
	s.audit(ctx, p, "setting.update", "setting:"+name, json.RawMessage(doc))
	if st.Changed != nil {
		st.Changed(p.WorkspaceID)
	}
	return nil
}

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
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="sla-by-`+rep.By+`.csv"`)
	cw := csv.NewWriter(w)
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

// csvSafe keeps a cell from being read as a formula by a spreadsheet: keys
// such as channel names are ours, but a team's or agent's name is anyone's
// text, and a cell is cheap to defuse.
func csvSafe(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') {
		return "'" + v
	}
	return v
}

// DryRunner runs a draft automation rule against past conversations.
type DryRunner func(ctx context.Context, q care.Queries, workspaceID care.ID, rule []byte, limit int, now time.Time) (fired []care.ID, checked int, err error)

type dryRunResult struct {
	Checked         int       `json:"checked"`
	ConversationIDs []care.ID `json:"conversation_ids"`
}

// dryRun shows which of the workspace's most recent conversations (up to
// limit, default 200) a draft rule would have fired for, and how many it
// checked. Members of a partner team may not: the rule runs over the whole
// workspace's conversations and names those it would fire for.
func (s *Server) dryRun(w http.ResponseWriter, r *http.Request) {
	if err := principal(r).Scope.Refuse("try rules against the workspace's conversations"); err != nil {
		writeError(w, r, err)
		return
	}
	if s.DryRun == nil {
		writeError(w, r, care.Errorf(care.ENOTFOUND, "Automation is not available."))
		return
	}
	limit := 200
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, r, care.Errorf(care.EINVALID, "limit must be between 1 and 1000."))
			return
		}
		limit = n
	}
	doc, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSettingBody))
	if err != nil {
		writeError(w, r, care.Errorf(care.ETOOLARGE, "A rule is at most %d bytes.", maxSettingBody))
		return
	}
	ws := principal(r).WorkspaceID
	ids, checked, err := s.DryRun(r.Context(), s.Store, ws, doc, limit, s.now())
	if err != nil {
		writeError(w, r, err)
		return
	}
	if ids == nil {
		ids = []care.ID{}
	}
	writeJSON(w, http.StatusOK, dryRunResult{Checked: checked, ConversationIDs: ids})
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
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="csat-by-`+rep.By+`.csv"`)
	cw := csv.NewWriter(w)
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

// conversationSurvey is the satisfaction survey sent for a conversation.
func (s *Server) conversationSurvey(w http.ResponseWriter, r *http.Request) {
	c, err := s.conversationOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	sv, err := s.Store.ConversationSurvey(r.Context(), c.ID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sv)
}

// HookSecret returns a workspace's secret for signing rule webhooks.
type HookSecret func(ctx context.Context, workspaceID care.ID) (string, error)

// webhookSecret shows admins the secret rule webhooks are signed with, so
// receivers can verify them.
func (s *Server) webhookSecret(w http.ResponseWriter, r *http.Request) {
	if s.HookSecret == nil {
		writeError(w, r, care.Errorf(care.ENOTFOUND, "Automation webhooks are not available."))
		return
	}
	secret, err := s.HookSecret(r.Context(), principal(r).WorkspaceID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"secret": secret})
}
