package web

import (
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
)

// The reports page shows supervisors how the team kept its promises and
// how customers rated it: the API's SLA report (GET /api/v1/reports/sla)
// and satisfaction report (GET /api/v1/reports/csat) for a period, each
// grouped as chosen. As on the business case page, the form is a GET form,
// so a report's address can be shared, and takes plain dates, whole days
// on the interface's clock, which become the API's times; an empty field
// takes the API's default.

// reportsForm is the form as the person typed it: it comes back as it
// was, a mistake included.
type reportsForm struct {
	From, To      string // dates, both days included
	SLABy, CSATBy string
}

func reportsFormOf(q url.Values) reportsForm {
	get := func(name string) string { return strings.TrimSpace(q.Get(name)) }
	return reportsForm{From: get("from"), To: get("to"), SLABy: get("sla_by"), CSATBy: get("csat_by")}
}

// grouping is a way a report groups, in the API's word and the page's.
type grouping struct{ by, label string }

// slaGroupings are the SLA report's, care.SLAReportBy, with the API's
// default first; its days are UTC's.
var slaGroupings = func() []grouping {
	labels := map[string]string{"policy": "Policy", "team": "Team", "agent": "Agent", "channel": "Channel",
		"kind": "Clock", "band": "Customer's followers"}
	gs := []grouping{{"day", "Day (UTC)"}}
	for _, by := range care.SLAReportBy {
		if by == "day" {
			continue
		}
		label := labels[by]
		if label == "" {
			label = by
		}
		gs = append(gs, grouping{by, label})
	}
	return gs
}()

// csatGroupings are the satisfaction report's, the API's default first.
var csatGroupings = []grouping{{"agent", "Agent"}, {"team", "Team"}, {"channel", "Channel"}, {"day", "Day (UTC)"}}

// groupingOptions are a report's groupings for its select, chosen marked.
func groupingOptions(gs []grouping, chosen string) []option {
	out := make([]option, 0, len(gs))
	for i, g := range gs {
		out = append(out, option{Value: g.by, Label: g.label, Selected: chosen == g.by || chosen == "" && i == 0})
	}
	return out
}

// groupingOf checks a chosen grouping: "" is the API's default.
func groupingOf(gs []grouping, chosen, report string) (grouping, error) {
	if chosen == "" {
		return gs[0], nil
	}
	for _, g := range gs {
		if g.by == chosen {
			return g, nil
		}
	}
	labels := make([]string, len(gs))
	for i, g := range gs {
		labels[i] = strings.ToLower(strings.TrimSuffix(g.label, " (UTC)"))
	}
	return grouping{}, care.Errorf(care.EINVALID, "Group the %s report by %s or %s.", report,
		strings.Join(labels[:len(labels)-1], ", "), labels[len(labels)-1])
}

// apiValues turns the form into each report's parameters, or says what to
// correct. The period is read as the business case page reads it.
func (f *reportsForm) apiValues(loc *time.Location, now time.Time) (sla, csat url.Values, err error) {
	period := valueForm{From: f.From, To: f.To}
	q, err := period.apiValues(loc, now)
	if err != nil {
		return nil, nil, err
	}
	slaBy, err := groupingOf(slaGroupings, f.SLABy, "SLA")
	if err != nil {
		return nil, nil, err
	}
	csatBy, err := groupingOf(csatGroupings, f.CSATBy, "satisfaction")
	if err != nil {
		return nil, nil, err
	}
	sla, csat = maps.Clone(q), maps.Clone(q)
	sla.Set("by", slaBy.by)
	csat.Set("by", csatBy.by)
	return sla, csat, nil
}

type reportsPage struct {
	layout
	Form            reportsForm
	SLABys, CSATBys []option
	Period          string
	SLA             *slaView
	CSAT            *csatView
	// SLACSV and CSATCSV are the same reports from the API, as spreadsheets.
	SLACSV, CSATCSV string
}

// slaView and csatView are the reports as the page shows them: figures
// as text, "" for one a group has not.
type slaView struct {
	Group  string // the first column's heading
	Rows   []slaLine
	Totals slaLine
}

type slaLine struct {
	Label, Total, Met, MetShare, AvgUsed string
}

type csatView struct {
	Group  string
	Rows   []csatLine
	Totals csatLine
}

type csatLine struct {
	Label, Sent, Answered, Rate, AvgScore, Satisfied string
}

func (h *Handler) reports(w http.ResponseWriter, r *http.Request, a *agent) {
	// The reports count every conversation of the workspace.
	if err := seeWorkspace(a, "Only supervisors and admins see the reports.", "see workspace reports"); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	form := reportsFormOf(r.URL.Query())
	p := reportsPage{layout: layout{Title: "Reports", Page: "reports", Agent: a}, Form: form,
		SLABys: groupingOptions(slaGroupings, form.SLABy), CSATBys: groupingOptions(csatGroupings, form.CSATBy)}

	loc := h.location()
	slaQ, csatQ, err := form.apiValues(loc, h.now())
	var sla *api.SLAReport
	var csat *api.CSATReport
	if err == nil {
		sla, err = h.API.SLAReport(r.Context(), a.Principal, slaQ)
	}
	if err == nil {
		csat, err = h.API.CSATReport(r.Context(), a.Principal, csatQ)
	}
	if err == nil {
		p.Period = periodText(sla.From, sla.To, loc)
		p.SLA, p.CSAT = slaViewOf(sla), csatViewOf(csat)
		p.SLACSV, p.CSATCSV = csvLink("/api/v1/reports/sla", slaQ), csvLink("/api/v1/reports/csat", csatQ)
	}
	// A date or a grouping to correct: the form stays, as typed.
	h.renderReport(w, r, a, "reports", &p, &p.layout, err, care.EINVALID)
}

// slaViewOf lays the SLA report out, with its totals: every stopped clock
// is in one group.
func slaViewOf(rep *api.SLAReport) *slaView {
	v := &slaView{Group: groupLabel(slaGroupings, rep.By)}
	var total, met int
	var used float64
	for _, row := range rep.Rows {
		v.Rows = append(v.Rows, slaLineOf(rowLabel(rep.By, row.Key, row.Name), row.Total, row.Met, row.AvgUsedSeconds))
		total, met, used = total+row.Total, met+row.Met, used+row.AvgUsedSeconds*float64(row.Total)
	}
	avg := 0.0
	if total > 0 {
		avg = used / float64(total)
	}
	v.Totals = slaLineOf("Total", total, met, avg)
	return v
}

func slaLineOf(label string, total, met int, avgSeconds float64) slaLine {
	l := slaLine{Label: label, Total: strconv.Itoa(total), Met: strconv.Itoa(met)}
	if total > 0 {
		l.MetShare = pct(float64(met) / float64(total))
		l.AvgUsed = duration(time.Duration(avgSeconds * float64(time.Second)))
	}
	return l
}

// csatViewOf lays the satisfaction report out, with its totals: the score
// and the share satisfied are of the answered surveys.
func csatViewOf(rep *api.CSATReport) *csatView {
	v := &csatView{Group: groupLabel(csatGroupings, rep.By)}
	var sent, answered int
	var score, satisfied float64
	for _, row := range rep.Rows {
		v.Rows = append(v.Rows, csatLineOf(rowLabel(rep.By, row.Key, row.Name), row.Sent, row.Answered, row.AvgScore, row.Satisfied))
		sent, answered = sent+row.Sent, answered+row.Answered
		score, satisfied = score+row.AvgScore*float64(row.Answered), satisfied+row.Satisfied*float64(row.Answered)
	}
	if answered > 0 {
		score, satisfied = score/float64(answered), satisfied/float64(answered)
	}
	v.Totals = csatLineOf("Total", sent, answered, score, satisfied)
	return v
}

func csatLineOf(label string, sent, answered int, score, satisfied float64) csatLine {
	l := csatLine{Label: label, Sent: strconv.Itoa(sent), Answered: strconv.Itoa(answered)}
	if sent > 0 {
		l.Rate = pct(float64(answered) / float64(sent))
	}
	if answered > 0 {
		l.AvgScore, l.Satisfied = strconv.FormatFloat(score, 'f', 2, 64), pct(satisfied)
	}
	return l
}

func groupLabel(gs []grouping, by string) string {
	for _, g := range gs {
		if g.by == by {
			return g.label
		}
	}
	return by
}

// slaKinds are the SLA clocks as people call them.
var slaKinds = map[string]string{"first_response": "First response", "next_response": "Next response", "resolution": "Resolution"}

// rowLabel names a report's group. A name is anyone's text, shown plain;
// an id the API found no name for is 0 (none) or something since removed.
func rowLabel(by, key, name string) string {
	if n := plain(name); n != "" {
		return n
	}
	switch by {
	case "channel":
		return channelName(care.Channel(plain(key)))
	case "kind":
		if k, ok := slaKinds[key]; ok {
			return k
		}
	case "day":
		if d, err := time.Parse(time.DateOnly, key); err == nil {
			return d.Format("Mon 2 Jan 2006")
		}
	case "team":
		if key == "0" {
			return "No team"
		}
		return "Team " + plain(key)
	case "agent":
		if key == "0" {
			return "Unassigned"
		}
		return "Agent " + plain(key)
	case "policy":
		return "Policy " + plain(key)
	}
	if k := plain(key); k != "" {
		return k
	}
	return "–"
}
