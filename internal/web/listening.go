package web

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/listen"
)

// The listening page shows supervisors what is said about the brand and
// its competitors: the API's listening report
// (GET /api/v1/listening/report) per subject and over time, its
// spikes, and the posts found (GET /api/v1/listening/posts). Its form is
// a GET form, so a report's address can be shared. Admins edit the
// subjects, the listening setting, on the same page; supervisors read
// them.

// Listening page bounds.
const (
	// listenPageSize is the posts shown at once: a screenful or two to
	// read, not a feed to scroll.
	listenPageSize = 50
	// listenDefaultDays is the default period: the last 30 days, today
	// included.
	listenDefaultDays = 30
	// Chart geometry, in CSS pixels: the chart keeps its size and scrolls
	// on a narrow screen, so its labels stay readable.
	chartWidth  = 720
	chartHeight = 72
	chartLabels = 6 // at most, so they do not overlap
	chartLabelW = 64
)

// listeningForm is the page's query as it came: the report's period, step
// and zone, and the posts' filters.
type listeningForm struct {
	From, To, Step, TZ string
	Subject, Source    string
	Bucket             string // a bucket's start (RFC 3339): posts of that bucket only
	Cursor             string
}

func listeningFormOf(q url.Values) listeningForm {
	get := func(name string) string { return strings.TrimSpace(q.Get(name)) }
	return listeningForm{From: get("from"), To: get("to"), Step: get("step"), TZ: get("tz"),
		Subject: q.Get("subject"), Source: get("source"), Bucket: get("bucket"), Cursor: get("cursor")}
}

// withDefaults fills an empty period with the last listenDefaultDays
// days, today included, in the form's zone: the form then shows the dates
// the report is for, and the address it makes is the same report tomorrow.
func (f listeningForm) withDefaults(now time.Time) listeningForm {
	loc := time.UTC
	if f.TZ != "" && f.TZ != "Local" {
		if l, err := time.LoadLocation(f.TZ); err == nil {
			loc = l
		}
	}
	if f.To == "" {
		f.To = now.In(loc).Format(time.DateOnly)
	}
	if f.From == "" {
		if to, err := time.Parse(time.DateOnly, f.To); err == nil {
			f.From = to.AddDate(0, 0, 1-listenDefaultDays).Format(time.DateOnly)
		}
	}
	return f
}

// reportValues are the report's parameters in the API's names.
func (f listeningForm) reportValues() url.Values {
	q := url.Values{}
	for _, p := range []struct{ name, v string }{{"from", f.From}, {"to", f.To}, {"step", f.Step}, {"tz", f.TZ}} {
		if p.v != "" {
			q.Set(p.name, p.v)
		}
	}
	return q
}

// href is the page's address for the form with changes applied.
func (f listeningForm) href(change func(q url.Values)) string {
	q := f.reportValues()
	for _, p := range []struct{ name, v string }{{"subject", f.Subject}, {"source", f.Source}, {"bucket", f.Bucket}, {"cursor", f.Cursor}} {
		if p.v != "" {
			q.Set(p.name, p.v)
		}
	}
	if change != nil {
		change(q)
	}
	return "/listening?" + q.Encode() + "#posts"
}

type listeningPage struct {
	layout
	Form     listeningForm
	Steps    []option
	Report   *listenView
	CSV      string // the same report from the API, as a spreadsheet
	Posts    *postsView
	Subjects subjectsView
}

// listenView is a report as the page shows it.
type listenView struct {
	Period, Zone string
	Step         string // "day" or "hour"
	Total        int
	Subjects     []subjectView
	Spikes       []spikeView
	// Empty says why there is nothing to count: no post ever, or none in
	// the period.
	Empty string
}

type subjectView struct {
	Name                        string
	Own                         bool
	Posts                       int
	Positive, Neutral, Negative int
	Share                       string // "42.5%"
	ShareWidth                  string // the bar's length, of 100
	Net                         string // "+25%"
	NetClass                    string // "pos", "neg" or ""
	Reach                       string // "12.3k"
	Chart                       chartView
}

// chartView is a subject's volume over time as an inline SVG: one bar per
// bucket, its negative posts a darker part at its foot.
type chartView struct {
	Width, Height, Bottom int
	LabelY                int
	Bars                  []chartBar
	Labels                []chartLabel
	Peak                  int
	Summary               string // for screen readers
}

type chartBar struct {
	X, W       string
	Y, H       string
	NegY, NegH string // empty when the bucket has no negative post
	Title      string
}

type chartLabel struct {
	X    string
	Text string
}

type spikeView struct {
	Subject  string
	When     string
	Posts    int
	Expected string
	Negative string
	Angry    bool // most of the spike is negative: a complaint spreading
	Href     string
}

// postsView is a page of found posts and its filters.
type postsView struct {
	Subjects []option
	Sources  []option
	Hidden   []hiddenValue // the report's parameters, kept by the filter form
	Bucket   string        // the bucket the posts are narrowed to, as a label
	Whole    string        // the address of the whole period's posts
	Posts    []postView
	Older    string
	Newest   string // back to the first page, from an older one
	Empty    string
	Error    string
}

type hiddenValue struct{ Name, Value string }

type postView struct {
	Source, SourceKey string
	Handle, Name      string
	Followers         string
	Verified          bool
	When, WhenISO     string
	WhenTitle         string
	Subjects          []string
	Sentiment         string // "positive", "neutral", "negative"
	Body              body
	Href              string // the post on its platform, http(s) only
}

// subjectsView is the listening setting: a form for admins, a list for
// supervisors.
type subjectsView struct {
	CanEdit bool
	CSRF    string
	Rows    []subjectRow
	Max     int
	Action  string // keeps the report's parameters across the save
	Error   string
	Saved   bool
	None    bool // no subject yet: listening is off
}

// subjectRow is one subject as the form shows it, as typed when the form
// came back with a mistake.
type subjectRow struct {
	Index   int // the fields' suffix
	N       int // the row's number, as the error names it
	Name    string
	Own     bool
	Terms   string
	Exclude string
}

func (h *Handler) listening(w http.ResponseWriter, r *http.Request, a *agent) {
	if err := seeListening(a); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	p := listeningPage{}
	p.Subjects.Saved = r.URL.Query().Get("done") == "saved"
	h.showListening(w, r, a, http.StatusOK, p, nil)
}

// seeListening admits supervisors and admins who see the whole workspace:
// what is said about the brand is no one team's.
func seeListening(a *agent) error {
	return seeWorkspace(a, "Only supervisors and admins see listening.", "see listening")
}

// showListening renders the page. rows, when set, are the subjects as an
// admin typed them, shown instead of the saved ones.
func (h *Handler) showListening(w http.ResponseWriter, r *http.Request, a *agent, status int, p listeningPage, rows []subjectRow) {
	ctx := r.Context()
	form := listeningFormOf(r.URL.Query()).withDefaults(h.now())
	p.layout.Title, p.layout.Page, p.layout.Agent = "Listening", "listening", a
	p.Form = form

	settings, err := listen.Load(ctx, h.Store, a.WorkspaceID)
	switch code := care.ErrorCode(err); {
	case code == care.EINVALID:
		// Saved before a rule the parser has now: an admin saves them
		// again, corrected.
		if p.Subjects.Error == "" {
			p.Subjects.Error = "The saved subjects no longer read: " + formError(care.ErrorMessage(err))
		}
	case err != nil:
		h.renderError(w, r, a, err)
		return
	}
	p.Subjects.CanEdit, p.Subjects.Max, p.Subjects.CSRF = a.IsAdmin(), listen.MaxSubjects, a.CSRF
	p.Subjects.None = len(settings.Subjects) == 0
	p.Subjects.Action = "/listening"
	if q := form.reportValues().Encode(); q != "" {
		p.Subjects.Action += "?" + q
	}
	if rows == nil {
		rows = rowsOf(settings.Subjects)
	}
	p.Subjects.Rows = rows
	if p.Subjects.CanEdit {
		p.Subjects.Rows = withBlankRows(rows)
	}

	rep, err := h.API.ListeningReport(ctx, a.Principal, form.reportValues())
	switch code := care.ErrorCode(err); {
	case err == nil:
	case code == care.EINVALID || code == care.ENOTFOUND || code == care.ETOOLARGE:
		// A period or zone to correct: the form stays, as typed.
		if status == http.StatusOK {
			status = httpStatus(err)
		}
		p.Error = care.ErrorMessage(err)
		p.Steps = stepOptions(form.Step)
		h.render(w, r, status, "listening", p)
		return
	default:
		h.renderError(w, r, a, err)
		return
	}
	loc := time.UTC
	if l, err := time.LoadLocation(rep.Location); err == nil {
		loc = l
	}
	step := form.Step
	if step == "" {
		step = string(rep.Step)
	}
	p.Steps = stepOptions(step)
	p.Report = reportView(rep, loc, form)
	if rep.Total == 0 && len(rep.Subjects) > 0 {
		p.Report.Empty = "Nothing was found about the subjects in this period."
		if ever, err := h.foundAny(ctx, a.WorkspaceID); err != nil {
			h.renderError(w, r, a, err)
			return
		} else if !ever {
			p.Report.Empty = "Nothing found yet: the first posts appear after the next search of the connected X, Bluesky, Mastodon and Reddit accounts. If none is connected, an admin connects one under Inboxes."
		}
	}
	csv := form.reportValues()
	csv.Set("format", "csv")
	p.CSV = "/api/v1/listening/report?" + csv.Encode()

	posts, perr := h.postsOf(ctx, a, form, rep, loc)
	if perr != nil {
		if httpStatus(perr) >= 500 {
			h.renderError(w, r, a, perr)
			return
		}
		if status == http.StatusOK {
			status = httpStatus(perr)
		}
	}
	p.Posts = posts
	h.render(w, r, status, "listening", p)
}

func stepOptions(step string) []option {
	return []option{{Value: "day", Label: "Day", Selected: step != "hour"}, {Value: "hour", Label: "Hour", Selected: step == "hour"}}
}

// foundAny reports whether listening ever found a post for the
// workspace, to tell "not yet" from "not in this period".
func (h *Handler) foundAny(ctx context.Context, ws care.ID) (bool, error) {
	posts, err := h.Store.ListenPosts(ctx, ws, care.ListenFilter{From: time.Unix(0, 0), To: h.now().Add(24 * time.Hour), Limit: 1})
	return len(posts) > 0, err
}

// reportView lays a report out as the page shows it, in its zone.
func reportView(rep *listen.Report, loc *time.Location, form listeningForm) *listenView {
	v := &listenView{Zone: rep.Location, Step: string(rep.Step), Total: rep.Total}
	if v.Zone == "" {
		v.Zone = "UTC"
	}
	from, to := rep.From.In(loc), rep.To.In(loc)
	if isMidnight(from) && isMidnight(to) {
		v.Period = from.Format("Mon 2 Jan 2006") + " – " + to.AddDate(0, 0, -1).Format("Mon 2 Jan 2006")
	} else {
		v.Period = from.Format("Mon 2 Jan 2006 15:04") + " – " + to.Format("Mon 2 Jan 2006 15:04")
	}
	for _, s := range rep.Subjects {
		sv := subjectView{Name: s.Name, Own: s.Own, Posts: s.Posts, Positive: s.Positive, Neutral: s.Neutral, Negative: s.Negative,
			Share: pct(s.Share), ShareWidth: svgNumber(100 * clamp01(s.Share)), Net: signedPct(s.Net), Reach: count(s.Reach)}
		switch {
		case s.Posts == 0:
			sv.Net = "–"
		case s.Net > 0:
			sv.NetClass = "pos"
		case s.Net < 0:
			sv.NetClass = "neg"
		}
		sv.Chart = chartOf(s, rep.Step, loc)
		v.Subjects = append(v.Subjects, sv)
	}
	for _, sp := range rep.Spikes {
		start := sp.Start.In(loc)
		v.Spikes = append(v.Spikes, spikeView{Subject: sp.Subject, When: bucketLabel(start, rep.Step), Posts: sp.Posts,
			Expected: decimal(sp.Expected), Negative: pct(sp.Negative), Angry: sp.Negative >= 0.5,
			Href: form.href(func(q url.Values) {
				q.Set("subject", sp.Subject)
				q.Set("bucket", start.Format(time.RFC3339))
				q.Del("source")
				q.Del("cursor")
			})})
	}
	return v
}

// chartOf draws a subject's series. Each subject has its own scale, its
// peak named beside it: share of voice compares subjects, the chart shows
// the shape of each.
func chartOf(s listen.SubjectReport, step listen.Step, loc *time.Location) chartView {
	c := chartView{Width: chartWidth, Height: chartHeight + 16, Bottom: chartHeight, LabelY: chartHeight + 13}
	n := len(s.Series)
	if n == 0 {
		return c
	}
	for _, pt := range s.Series {
		c.Peak = max(c.Peak, pt.Posts)
	}
	slot := float64(chartWidth) / float64(n)
	gap := 0.0
	if slot >= 4 {
		gap = slot / 5
	}
	scale := 0.0
	if c.Peak > 0 {
		scale = chartHeight / float64(c.Peak)
	}
	for i, pt := range s.Series {
		if pt.Posts <= 0 {
			continue
		}
		x, w := float64(i)*slot+gap/2, slot-gap
		h := math.Max(float64(pt.Posts)*scale, 1)
		b := chartBar{X: svgNumber(x), W: svgNumber(w), Y: svgNumber(chartHeight - h), H: svgNumber(h),
			Title: bucketLabel(pt.Start.In(loc), step) + ": " + counted(strconv.Itoa(pt.Posts), "post") + ", " +
				strconv.Itoa(pt.Negative) + " negative, net " + signedPct(pt.Net)}
		if neg := min(pt.Negative, pt.Posts); neg > 0 {
			nh := math.Max(float64(neg)*scale, 1)
			b.NegY, b.NegH = svgNumber(chartHeight-nh), svgNumber(nh)
		}
		c.Bars = append(c.Bars, b)
	}
	every := max(1, (n+chartLabels-1)/chartLabels)
	for i := 0; i < n; i += every {
		x := float64(i) * slot
		if x > chartWidth-chartLabelW {
			break
		}
		c.Labels = append(c.Labels, chartLabel{X: svgNumber(x), Text: tickLabel(s.Series[i].Start.In(loc), step)})
	}
	c.Summary = s.Name + ": " + counted(strconv.Itoa(s.Posts), "post") + " in " + counted(strconv.Itoa(n), string(step)) +
		", at most " + strconv.Itoa(c.Peak) + " in one"
	return c
}

// bucketLabel names a bucket in full, for tooltips and spikes; an hour
// carries its zone's abbreviation, which tells apart the two 01:00s of
// the night the clocks go back.
func bucketLabel(t time.Time, step listen.Step) string {
	if step == listen.Hour {
		return t.Format("Mon 2 Jan 15:04 MST")
	}
	return t.Format("Mon 2 Jan 2006")
}

// tickLabel is a bucket's short name under a chart.
func tickLabel(t time.Time, step listen.Step) string {
	if step == listen.Hour {
		return t.Format("2 Jan 15:04")
	}
	return t.Format("Mon 2 Jan")
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

func clamp01(x float64) float64 {
	if math.IsNaN(x) || x < 0 {
		return 0
	}
	return min(x, 1)
}

// svgNumber is a coordinate for an SVG attribute: two decimals at most.
func svgNumber(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	return strconv.FormatFloat(round(x, 2), 'f', -1, 64)
}

// signedPct is a net sentiment as a percentage with its sign: "+25%",
// "−10%", "0%".
func signedPct(x float64) string {
	if math.IsNaN(x) {
		return "0%"
	}
	n := int(math.Round(100 * x))
	switch {
	case n > 0:
		return "+" + strconv.Itoa(n) + "%"
	case n < 0:
		return "−" + strconv.Itoa(-n) + "%"
	}
	return "0%"
}

// postsOf reads the page of posts the form asks for: the report's period
// or one of its buckets, optionally one subject or source. A mistake in
// those filters is told in the posts' section, under a report that stands.
func (h *Handler) postsOf(ctx context.Context, a *agent, form listeningForm, rep *listen.Report, loc *time.Location) (*postsView, error) {
	v := &postsView{}
	for name, val := range form.reportValues() {
		v.Hidden = append(v.Hidden, hiddenValue{Name: name, Value: val[0]})
	}
	if form.Bucket != "" {
		v.Hidden = append(v.Hidden, hiddenValue{Name: "bucket", Value: form.Bucket})
	}
	slices.SortFunc(v.Hidden, func(x, y hiddenValue) int { return strings.Compare(x.Name, y.Name) })

	v.Subjects = []option{{Value: "", Label: "All subjects", Selected: form.Subject == ""}}
	seen := false
	for _, s := range rep.Subjects {
		v.Subjects = append(v.Subjects, option{Value: s.Name, Label: s.Name, Selected: form.Subject == s.Name})
		seen = seen || form.Subject == s.Name
	}
	if form.Subject != "" && !seen {
		// A subject since renamed or removed: its posts are still there.
		v.Subjects = append(v.Subjects, option{Value: form.Subject, Label: plain(form.Subject), Selected: true})
	}
	chans, err := h.channels(ctx, a.WorkspaceID)
	if err != nil {
		return nil, err
	}
	v.Sources = []option{{Value: "", Label: "All sources", Selected: form.Source == ""}}
	seen = false
	for _, c := range chans {
		v.Sources = append(v.Sources, option{Value: string(c), Label: channelName(c), Selected: form.Source == string(c)})
		seen = seen || form.Source == string(c)
	}
	if form.Source != "" && !seen {
		v.Sources = append(v.Sources, option{Value: form.Source, Label: channelName(care.Channel(form.Source)), Selected: true})
	}

	from, to := rep.From, rep.To
	if form.Bucket != "" {
		start, err := time.Parse(time.RFC3339, form.Bucket)
		if err != nil {
			v.Error = "bucket must be the start of a bucket of the report, as a spike's link gives it."
			return v, care.Errorf(care.EINVALID, "%s", v.Error)
		}
		start = start.In(loc)
		from, to = start, start.Add(time.Hour)
		if rep.Step == listen.Day {
			to = start.AddDate(0, 0, 1)
		}
		v.Bucket = bucketLabel(start, rep.Step)
		v.Whole = form.href(func(q url.Values) { q.Del("bucket"); q.Del("cursor") })
	}
	q := url.Values{"from": {from.Format(time.RFC3339Nano)}, "to": {to.Format(time.RFC3339Nano)}, "limit": {strconv.Itoa(listenPageSize)}}
	for _, p := range []struct{ name, v string }{{"subject", form.Subject}, {"source", form.Source}, {"cursor", form.Cursor}} {
		if p.v != "" {
			q.Set(p.name, p.v)
		}
	}
	page, err := h.API.ListeningPosts(ctx, a.Principal, q)
	if err != nil {
		if httpStatus(err) < 500 {
			v.Error = care.ErrorMessage(err)
		}
		return v, err
	}
	now := h.now()
	for _, lp := range page.Posts {
		v.Posts = append(v.Posts, postViewOf(lp, loc, now, h.capabilities(care.Inbox{Channel: lp.Source}).Followers))
	}
	if page.NextCursor != "" {
		v.Older = form.href(func(q url.Values) { q.Set("cursor", page.NextCursor) })
	}
	if form.Cursor != "" {
		v.Newest = form.href(func(q url.Values) { q.Del("cursor") })
	}
	if len(v.Posts) == 0 {
		v.Empty = "No posts found in this period."
		switch {
		case form.Cursor != "":
			v.Empty = "No older posts."
		case form.Bucket != "" || form.Subject != "" || form.Source != "":
			v.Empty = "No posts match these filters."
		}
	}
	return v, nil
}

// postViewOf is a found post as the page shows it. Everything in it is a
// stranger's: printed through the templates' escaping, its text split as
// customers' messages are, and its link kept only when it is http(s).
// counted says whether the post's platform counts followers.
func postViewOf(lp care.ListenPost, loc *time.Location, now time.Time, counted bool) postView {
	v := postView{Source: channelName(lp.Source), Handle: atHandle(plain(lp.Author.Handle)), Name: plain(lp.Author.DisplayName),
		Followers: followers(lp.Author.Followers, counted), Verified: lp.Author.Verified, Subjects: lp.Subjects,
		Sentiment: listen.Label(lp.Sentiment), Body: renderBody(lp.Text)}
	if lp.Source.Valid() {
		v.SourceKey = string(lp.Source)
	}
	if !lp.PostedAt.IsZero() {
		at := lp.PostedAt.In(loc)
		v.When, v.WhenISO, v.WhenTitle = ago(at, now.In(loc)), at.Format(time.RFC3339), at.Format("Mon 2 Jan 2006, 15:04 MST")
	}
	if linkable(lp.URL) {
		v.Href = lp.URL
	}
	return v
}

// rowsOf is the saved subjects as the form's rows.
func rowsOf(subjects []listen.Subject) []subjectRow {
	rows := make([]subjectRow, 0, len(subjects))
	for i, s := range subjects {
		rows = append(rows, subjectRow{Index: i, N: i + 1, Name: s.Name, Own: s.Own,
			Terms: joinTerms(s.Terms), Exclude: joinTerms(s.Exclude)})
	}
	return rows
}

// withBlankRows adds empty rows for new subjects, up to the limit: the
// form works without a script, so it offers its rows up front.
func withBlankRows(rows []subjectRow) []subjectRow {
	want := min(max(len(rows)+3, 5), listen.MaxSubjects)
	for i := len(rows); i < want; i++ {
		rows = append(rows, subjectRow{Index: i, N: i + 1})
	}
	return rows
}

// postedRows reads the subjects form. Blank rows are left out and the rest
// numbered again, so that "subject 2" in an error is the second row the
// form shows when it comes back.
func postedRows(r *http.Request) []subjectRow {
	var rows []subjectRow
	for i := range listen.MaxSubjects {
		n := strconv.Itoa(i)
		row := subjectRow{Name: strings.TrimSpace(formValue(r, "name_"+n)), Own: formValue(r, "own_"+n) == "on",
			Terms: strings.TrimSpace(formText(r, "terms_"+n)), Exclude: strings.TrimSpace(formText(r, "exclude_"+n))}
		if row.Name == "" && row.Terms == "" && row.Exclude == "" {
			continue
		}
		row.Index, row.N = len(rows), len(rows)+1
		rows = append(rows, row)
	}
	return rows
}

// joinTerms writes terms as the form shows them: separated by commas, a
// term that holds a comma in double quotes (its own quotes doubled), so
// that saving the form unchanged keeps "have a break, have a kit kat" one
// term, as splitTerms reads it back.
func joinTerms(terms []string) string {
	out := make([]string, len(terms))
	for i, t := range terms {
		if strings.Contains(t, ",") {
			t = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		}
		out[i] = t
	}
	return strings.Join(out, ", ")
}

// splitTerms reads a list of terms typed one per line or separated by
// commas. A term in double quotes may hold commas; "" in it is a quote. A
// quote left open runs to the end of its line.
func splitTerms(s string) []string {
	out := []string{}
	add := func(t string) {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		for line != "" {
			line = strings.TrimLeft(line, " \t")
			if !strings.HasPrefix(line, `"`) {
				t, rest, _ := strings.Cut(line, ",")
				add(t)
				line = rest
				continue
			}
			var b strings.Builder
			i := 1
			for i < len(line) {
				if line[i] == '"' {
					if i+1 < len(line) && line[i+1] == '"' {
						b.WriteByte('"')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(line[i])
				i++
			}
			// What follows the closing quote, up to the next comma, is
			// part of the term: a quote typed inside a word.
			t, rest, _ := strings.Cut(line[i:], ",")
			add(b.String() + t)
			line = rest
		}
	}
	return out
}

// settingsDoc turns the form's rows into the setting's document, checked
// and normalised by the same parser the API and the searches use.
func settingsDoc(rows []subjectRow) ([]byte, error) {
	st := listen.Settings{Subjects: []listen.Subject{}}
	for _, row := range rows {
		s := listen.Subject{Name: row.Name, Own: row.Own, Terms: splitTerms(row.Terms)}
		if ex := splitTerms(row.Exclude); len(ex) > 0 {
			s.Exclude = ex
		}
		st.Subjects = append(st.Subjects, s)
	}
	doc, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	parsed, err := listen.ParseSettings(doc)
	if err != nil {
		return nil, err
	}
	if parsed.Subjects == nil {
		parsed.Subjects = []listen.Subject{}
	}
	return json.Marshal(parsed)
}

// fieldPath finds the parser's field paths in its messages:
// subjects[1].terms[0].
var fieldPath = regexp.MustCompile(`subjects\[(\d+)\](?:\.(name|terms|exclude)(?:\[(\d+)\])?)?`)

// formError says the parser's complaint in the form's words: "subject 2,
// term 1" for subjects[1].terms[0].
func formError(msg string) string {
	return fieldPath.ReplaceAllStringFunc(msg, func(m string) string {
		g := fieldPath.FindStringSubmatch(m)
		i, _ := strconv.Atoi(g[1])
		out := "subject " + strconv.Itoa(i+1)
		field := map[string]string{"name": "name", "terms": "terms", "exclude": "excluded terms"}[g[2]]
		switch {
		case field != "" && g[3] != "":
			j, _ := strconv.Atoi(g[3])
			out += ", " + strings.TrimSuffix(field, "s") + " " + strconv.Itoa(j+1)
		case field != "":
			out += ", " + field
		}
		return out
	})
}

// saveListening saves the subjects an admin typed. A mistake comes back
// beside the form, with the rows as typed.
func (h *Handler) saveListening(w http.ResponseWriter, r *http.Request, a *agent) {
	if err := seeListening(a); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	if !a.IsAdmin() {
		h.renderError(w, r, a, care.Errorf(care.EFORBIDDEN, "Only admins change what listening looks for."))
		return
	}
	ctx := r.Context()
	rows := postedRows(r)
	doc, err := settingsDoc(rows)
	if err == nil {
		err = h.API.SaveSetting(ctx, a.Principal, listen.SettingName, doc)
	}
	if err != nil {
		if httpStatus(err) >= 500 {
			h.renderError(w, r, a, err)
			return
		}
		p := listeningPage{}
		p.Subjects.Error = formError(h.safeMessage(r, err))
		h.showListening(w, r, a, httpStatus(err), p, rows)
		return
	}
	q := listeningFormOf(r.URL.Query()).reportValues()
	q.Set("done", "saved")
	http.Redirect(w, r, "/listening?"+q.Encode()+"#subjects", http.StatusSeeOther)
}
