package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/listen"
)

// Listening bounds. A report reads what it counts of every post in its
// period, so the period and the posts in it are bounded: a year of days,
// a month of hours, and a million posts, beyond which a narrower period
// answers faster than any summary would.
const (
	maxListenDays   = 400
	maxListenHours  = 31 * 24
	maxListenPoints = 1_000_000
	defaultListen   = 30 * 24 * time.Hour
	// dstSlack lets a period of whole local days be an hour longer than
	// its days: an October in Europe has 745 hours.
	dstSlack = time.Hour
)

// ListeningReport summarises what listening found in a period: per
// subject (the brand, its competitors) the posts, their tone, share of
// voice and reach, a series per hour or local day, and the spikes. Query:
// from and to (RFC 3339 times or dates; the last 30 days by default),
// step=day|hour, tz (an IANA zone, UTC by default). Partner teams are
// refused: listening is about the whole brand.
func (s *Server) ListeningReport(ctx context.Context, p care.Principal, q url.Values) (*listen.Report, error) {
	if err := workspaceReport(p, "Listening is for supervisors and admins."); err != nil {
		return nil, err
	}
	from, to, loc, err := s.listenWindow(ctx, p, q)
	if err != nil {
		return nil, err
	}
	step := listen.Step(q.Get("step"))
	switch step {
	case "":
		step = listen.Day
		if to.Sub(from) <= 2*24*time.Hour {
			step = listen.Hour
		}
	case listen.Day, listen.Hour:
	default:
		return nil, care.Errorf(care.EINVALID, "step must be day or hour.")
	}
	if step == listen.Hour && to.Sub(from) > maxListenHours*time.Hour+dstSlack {
		return nil, care.Errorf(care.EINVALID, "An hourly report covers at most %d days; ask for step=day or a shorter period.", maxListenHours/24)
	}
	st, err := listen.Load(ctx, s.Store, p.WorkspaceID)
	if err != nil {
		return nil, err
	}
	subjects := st.Subjects
	points, err := s.Store.ListenPoints(ctx, p.WorkspaceID, from, to, maxListenPoints+1)
	if err != nil {
		return nil, err
	}
	if len(points) > maxListenPoints {
		return nil, care.Errorf(care.EINVALID, "More than %d posts were found in that period; ask for a shorter one.", maxListenPoints)
	}
	// The week before gives the period's first buckets' spikes their
	// baseline (listen.SummarizeAfter): a report of today judges today. A
	// week of more posts than a report takes leaves them unjudged instead.
	history, err := s.Store.ListenPoints(ctx, p.WorkspaceID, from.Add(-listen.History), from, maxListenPoints+1)
	if err != nil {
		return nil, err
	}
	if len(history) > maxListenPoints {
		history = nil
	}
	rep := listen.SummarizeAfter(history, points, subjects, from, to, step, loc)
	return &rep, nil
}

// listenWindow reads the period of the report and of its posts alike:
// from and to on the clock of tz (UTC by default), so that a day of the
// report and the posts listed for it are the same posts.
func (s *Server) listenWindow(ctx context.Context, p care.Principal, q url.Values) (from, to time.Time, loc *time.Location, err error) {
	if loc, err = s.reportZone(ctx, p, q.Get("tz"), 0); err != nil {
		return from, to, nil, err
	}
	from, to, err = listenPeriod(q, s.now(), loc)
	return from, to, loc, err
}

// listenPeriod reads from and to as every report does (periodOf), on the
// clock of loc, and bounds the period.
func listenPeriod(q url.Values, now time.Time, loc *time.Location) (from, to time.Time, err error) {
	from, to, err = periodOf(q, now.Add(-defaultListen), now, loc)
	switch {
	case err != nil:
		return from, to, err
	case to.Sub(from) > maxListenDays*24*time.Hour+dstSlack:
		return from, to, care.Errorf(care.EINVALID, "A listening report covers at most %d days.", maxListenDays)
	}
	return from, to, nil
}

// ListenPage is one page of found posts.
type ListenPage struct {
	Posts      []care.ListenPost `json:"posts"`
	NextCursor string            `json:"next_cursor,omitempty"`
}

// listeningPosts answers GET /api/v1/listening/posts: found posts, newest
// first, in pages. Query: from, to and tz (as the report), subject, source,
// limit (1–200, 50 by default), cursor.
func (s *Server) listeningPosts(w http.ResponseWriter, r *http.Request) {
	page, err := s.ListeningPosts(r.Context(), principal(r), r.URL.Query())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// ListeningPosts reads one page of found posts (see listeningPosts).
func (s *Server) ListeningPosts(ctx context.Context, p care.Principal, q url.Values) (*ListenPage, error) {
	if err := workspaceReport(p, "Listening is for supervisors and admins."); err != nil {
		return nil, err
	}
	from, to, _, err := s.listenWindow(ctx, p, q)
	if err != nil {
		return nil, err
	}
	limit, err := valuesInt(q, "limit", 50, 200)
	if err != nil {
		return nil, err
	}
	f := care.ListenFilter{From: from, To: to, Subject: q.Get("subject"), Source: care.Channel(q.Get("source")), Limit: limit + 1}
	// Imports name sources of their own (news, forum), so any name may
	// have posts; only one that no source could have is refused.
	if f.Source != "" && !f.Source.Valid() {
		return nil, care.Errorf(care.EINVALID, "source %.40q is not a source's name: lower-case letters, digits and dashes, such as x or news.", f.Source)
	}
	if len(f.Subject) > 200 {
		return nil, care.Errorf(care.EINVALID, "subject is a subject's name, at most 200 bytes.")
	}
	if c := q.Get("cursor"); c != "" {
		if f.Before, f.BeforeID, err = parseListenCursor(c); err != nil {
			return nil, err
		}
	}
	posts, err := s.Store.ListenPosts(ctx, p.WorkspaceID, f)
	if err != nil {
		return nil, err
	}
	page := &ListenPage{Posts: posts}
	if len(posts) > limit {
		page.Posts = posts[:limit]
		last := page.Posts[limit-1]
		page.NextCursor = strconv.FormatInt(last.PostedAt.UnixMicro(), 10) + "." + strconv.FormatInt(last.ID, 10)
	}
	if page.Posts == nil {
		page.Posts = []care.ListenPost{}
	}
	return page, nil
}

// parseListenCursor reads a next_cursor: the last post's time in
// microseconds and its id.
func parseListenCursor(c string) (time.Time, care.ID, error) {
	at, id, ok := strings.Cut(c, ".")
	us, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || n <= 0 {
		return time.Time{}, 0, care.Errorf(care.EINVALID, "cursor is not one this API gave; pass next_cursor as it came.")
	}
	return time.UnixMicro(us).UTC(), n, nil
}

func writeListeningCSV(w http.ResponseWriter, rep *listen.Report) {
	cw := csvDownload(w, "listening-"+rep.From.Format("2006-01-02"))
	cw.Write([]string{"start", "subject", "own", "posts", "positive", "negative", "net"})
	for _, sub := range rep.Subjects {
		for _, pt := range sub.Series {
			cw.Write([]string{pt.Start.Format(time.RFC3339), csvSafe(sub.Name), strconv.FormatBool(sub.Own), strconv.Itoa(pt.Posts),
				strconv.Itoa(pt.Positive), strconv.Itoa(pt.Negative), strconv.FormatFloat(pt.Net, 'f', 3, 64)})
		}
	}
	cw.Flush()
}

// maxListenImport bounds the posts of one import; the body's own bound
// (MaxBodyBytes) usually comes first.
const maxListenImport = 500

// ListenImport is the body of POST /api/v1/listening/posts: posts found
// elsewhere (a news monitor, a forum's export, another listening tool's
// archive) to count beside what Parley's own searches find.
type ListenImport struct {
	Posts []ListenImportPost `json:"posts"`
}

// ListenImportPost is one imported post. Source is a lower-case name such
// as x, news or forum; PlatformID its id there, which with Source makes a
// post found again a duplicate.
type ListenImportPost struct {
	Source     care.Channel `json:"source"`
	PlatformID string       `json:"platform_id"`
	URL        string       `json:"url"`
	Author     care.Author  `json:"author"`
	Text       string       `json:"text"`
	Lang       string       `json:"lang"`
	PostedAt   time.Time    `json:"posted_at"`
}

// ListenImportResult says what became of an import.
type ListenImportResult struct {
	Received int `json:"received"`
	// Matched are the posts about a subject, by others than the brand;
	// the rest are not kept.
	Matched int `json:"matched"`
	// Added are the matched posts not already stored.
	Added int `json:"added"`
}

// importListening answers POST /api/v1/listening/posts: imported posts
// are matched to the subjects and read for tone exactly as searched ones,
// so reports count both alike.
func (s *Server) importListening(w http.ResponseWriter, r *http.Request) {
	var in ListenImport
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	now := s.now()
	if len(in.Posts) == 0 || len(in.Posts) > maxListenImport {
		writeError(w, r, care.Errorf(care.EINVALID, "posts must hold 1 to %d posts; send more in several requests.", maxListenImport))
		return
	}
	ws := principal(r).WorkspaceID
	posts := make([]care.ListenPost, len(in.Posts))
	for i, p := range in.Posts {
		if err := p.check(now); err != nil {
			writeError(w, r, care.Errorf(care.EINVALID, "posts[%d].%s.", i, err.Error()))
			return
		}
		posts[i] = care.ListenPost{WorkspaceID: ws, Source: p.Source, PlatformID: p.PlatformID, URL: p.URL, Author: p.Author,
			Text: p.Text, Lang: p.Lang, PostedAt: p.PostedAt}
		// What the store would refuse is said now, not dropped unseen.
		if err := posts[i].Validate(); err != nil {
			writeError(w, r, care.Errorf(care.EINVALID, "posts[%d]: %s", i, care.ErrorMessage(err)))
			return
		}
	}
	st, err := listen.Load(r.Context(), s.Store, ws)
	subjects := st.Subjects
	if err != nil {
		writeError(w, r, err)
		return
	}
	if len(subjects) == 0 {
		writeError(w, r, care.Errorf(care.EINVALID, "The workspace listens for no subject yet; set the listening setting's subjects first, or no post would be kept."))
		return
	}
	kept := listen.Prepare(posts, listen.NewMatcher(subjects), listen.Origin{WorkspaceID: ws}, now)
	res := ListenImportResult{Received: len(posts), Matched: len(kept)}
	if len(kept) > 0 {
		if res.Added, err = s.Store.AddListenPosts(r.Context(), kept); err != nil {
			writeError(w, r, err)
			return
		}
	}
	s.auditf(r, "listening.import", "listening", res)
	writeJSON(w, http.StatusOK, res)
}

// check says what is wrong with an imported post, naming the field; the
// caller prefixes its place in the list.
func (p *ListenImportPost) check(now time.Time) error {
	switch {
	case !p.Source.Valid():
		return fmt.Errorf("source must be a lower-case name such as x, news or forum (letters, digits and dashes, up to 32)")
	case p.PlatformID == "" || len(p.PlatformID) > care.MaxPlatformIDBytes:
		return fmt.Errorf("platform_id is the post's id where it was found, 1 to %d bytes", care.MaxPlatformIDBytes)
	case strings.TrimSpace(p.Text) == "" || len(p.Text) > care.MaxListenText:
		return fmt.Errorf("text is required, at most %d bytes; cut longer posts", care.MaxListenText)
	case p.URL != "" && !care.WebLink(p.URL):
		return fmt.Errorf("url must be an http or https link")
	case p.PostedAt.IsZero():
		return fmt.Errorf("posted_at is required, an RFC 3339 time")
	case p.PostedAt.After(now.Add(5 * time.Minute)):
		return fmt.Errorf("posted_at is in the future")
	}
	return nil
}
