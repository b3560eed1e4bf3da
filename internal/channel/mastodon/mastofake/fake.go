// Package mastofake is a local stand-in for a Mastodon instance, for tests
// and demos: the brand's account with its token, mention notifications to
// read (with Mastodon's paging, Link headers and rate-limit headers), the
// streaming API to follow, the statuses endpoint replies are posted to, and
// full-text search and hashtag timelines over the posts Publish adds, with
// the shapes and errors of docs.joinmastodon.org.
//
//	f := mastofake.New()
//	srv := httptest.NewServer(f.Handler())    // the inbox's api_base
//	n := f.Mention(mastofake.Mention{From: anna, Text: "@acme my order is late"})
//	…                                         // Parley polls or streams, replies
//	f.Posted()                                // what Parley posted
//
// Customers write with Mention, which both stores a notification and pushes
// it to open streams; Delete deletes a post and pushes its deletion.
// Throttle and FailNext make the next REST requests fail with 429 or 503;
// CutStreams closes every open stream, to test reconnection. Every REST
// response carries X-RateLimit-Limit, -Remaining and -Reset, counted over
// Mastodon's 5-minute window.
package mastofake

import (
	"fmt"
	"html"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Defaults.
const (
	DefaultToken  = "mastofake-access-token"
	DefaultDomain = "mastodon.test"
	// DefaultBrandID is the brand's account id; ids on a Mastodon
	// instance are large numbers in strings.
	DefaultBrandID = "109000000000000001"
	// RateLimit and RateWindow are Mastodon's defaults: 300 requests per
	// account in 5 minutes.
	RateLimit  = 300
	RateWindow = 5 * time.Minute
)

// Fake is a Mastodon instance. Set its fields before serving requests;
// after that, use its methods, which are safe for concurrent use.
type Fake struct {
	// Token is the bearer token the API accepts; New sets DefaultToken.
	Token string
	// Domain is the instance's account domain; New sets DefaultDomain.
	Domain string
	// Brand is the token's account; New sets @acme, a local account.
	Brand Account
	// MaxCharacters is the post limit the instance reports and enforces
	// (counted in code points, more simply than Mastodon); New sets 500.
	MaxCharacters int
	// NoSearchScope makes GET /api/v2/search answer 403, as for a token
	// without the read:search scope.
	NoSearchScope bool
	// StreamRetry, when positive, is sent as the retry field when a stream
	// opens.
	StreamRetry time.Duration
	// Now is the fake's clock; nil means time.Now.
	Now func() time.Time

	start time.Time

	mu            sync.Mutex
	seq           int64
	statuses      map[string]*status
	notifications []*notification // oldest first
	posted        []Posted
	idempotency   map[string]string // key to status id
	queries       []string
	throttle      int
	failures      int
	window        time.Time // start of the rate window
	used          int
	streams       map[*stream]struct{}
	connections   int
	// listening: the published posts, oldest first, and the requests of
	// search and hashtag timelines.
	publishedPosts []*status
	listenRequests []string
}

type status struct {
	id                 string
	createdAt          time.Time
	account            Account
	inReplyToID        string
	inReplyToAccountID string
	visibility         string
	spoilerText        string
	content            string
	media              []Media
	mentions           []Account
	poll               []string
	deleted            bool
	// Of a published post (see Publish): its language, hashtags
	// (lower-case), whether its author is indexed, and the url and uri
	// served instead of the usual ones.
	language  string
	tags      []string
	published bool
	unindexed bool
	url, uri  string
}

type notification struct {
	id        int64
	typ       string
	createdAt time.Time
	account   Account
	statusID  string
}

// New returns an instance at DefaultDomain where the brand, @acme, holds
// DefaultToken.
func New() *Fake {
	return &Fake{
		Token: DefaultToken, Domain: DefaultDomain, MaxCharacters: 500,
		Brand:    Account{ID: DefaultBrandID, Username: "acme", DisplayName: "Acme Support", Followers: 18250},
		start:    time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		statuses: map[string]*status{}, idempotency: map[string]string{}, streams: map[*stream]struct{}{},
	}
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now().UTC()
	}
	return time.Now().UTC()
}

// nextStatusID returns a new status id, shaped like Mastodon's
// (a timestamp in the high bits, a sequence in the low ones).
func (f *Fake) nextStatusID() string {
	f.seq++
	return strconv.FormatInt(109_400_000_000_000_000+f.seq*1_000, 10)
}

// nextNotificationID returns a new notification id: a plain sequence.
func (f *Fake) nextNotificationID() int64 {
	f.seq++
	return 68_700_000 + f.seq
}

// Media is a media attachment of a post.
type Media struct {
	// Type is image, gifv, video, audio or unknown.
	Type        string
	URL         string
	Description string
}

// Mention is a post by From that mentions the brand.
type Mention struct {
	From Account
	// Text is the post's text; the fake writes it as Mastodon's HTML. An
	// "@acme" in it (or "@acme@domain") links the brand; when the text
	// does not mention the brand, the post starts with the mention.
	Text string
	// HTML, when set, is the post's content as is, instead of Text's.
	HTML string
	// Visibility is public (the default), unlisted, private or direct.
	Visibility  string
	ReplyTo     string // the status answered
	SpoilerText string
	Media       []Media
	Poll        []string
	// Unstreamed stores the notification without pushing it to open
	// streams, as one a dropped stream missed.
	Unstreamed bool
}

// Mentioned is what Mention created.
type Mentioned struct {
	NotificationID string
	StatusID       string
}

// Mention stores a post of m.From mentioning the brand and the brand's
// mention notification, and pushes the notification to open streams.
func (f *Fake) Mention(m Mention) Mentioned {
	return f.post(m, "mention")
}

// Quote stores a post of m.From quoting the brand's post quoted (Mastodon
// 4.5; m.ReplyTo is ignored) without mentioning the brand, and the brand's
// quote notification, and pushes the notification to open streams. As
// Mastodon does for clients that show no quotes, the content starts with
// a "RE:" link to the quoted post (docs.joinmastodon.org/client/quotes).
func (f *Fake) Quote(m Mention, quoted string) Mentioned {
	m.ReplyTo = ""
	if m.HTML == "" {
		link := "https://" + f.Domain + "/@" + f.Brand.Username + "/" + quoted
		m.HTML = `<p class="quote-inline">RE: <a href="` + link + `">` + html.EscapeString(link) + `</a></p><p>` +
			html.EscapeString(m.Text) + `</p>`
	}
	return f.post(m, "quote")
}

// post stores a post of m.From and the brand's notification of type typ
// about it, and pushes the notification to open streams.
func (f *Fake) post(m Mention, typ string) Mentioned {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if m.Visibility == "" {
		m.Visibility = "public"
	}
	text := m.Text
	if m.HTML == "" && !mentions(text, f.Brand, f.Domain) {
		text = "@" + f.Brand.Username + " " + text
	}
	s := &status{id: f.nextStatusID(), createdAt: now.Add(-time.Second), account: m.From, visibility: m.Visibility,
		spoilerText: m.SpoilerText, media: m.Media, mentions: []Account{f.Brand}, poll: m.Poll, content: m.HTML}
	if typ == "quote" {
		s.mentions = nil
	}
	if s.content == "" {
		s.content = contentHTML(text, s.mentions, f.Domain)
	}
	if r, ok := f.statuses[m.ReplyTo]; ok && m.ReplyTo != "" {
		s.inReplyToID, s.inReplyToAccountID = r.id, r.account.ID
	} else if m.ReplyTo != "" {
		s.inReplyToID = m.ReplyTo
	}
	f.statuses[s.id] = s
	n := &notification{id: f.nextNotificationID(), typ: typ, createdAt: now, account: m.From, statusID: s.id}
	f.notifications = append(f.notifications, n)
	if !m.Unstreamed {
		f.push("notification", f.notificationJSON(n), false)
	}
	return Mentioned{NotificationID: strconv.FormatInt(n.id, 10), StatusID: s.id}
}

// Notify stores a notification of another type (favourite, reblog,
// follow, poll, update, …) from an account about a status ("" for none),
// and pushes it to open streams. It returns the notification's id.
func (f *Fake) Notify(typ string, from Account, statusID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := &notification{id: f.nextNotificationID(), typ: typ, createdAt: f.now(), account: from, statusID: statusID}
	f.notifications = append(f.notifications, n)
	f.push("notification", f.notificationJSON(n), false)
	return strconv.FormatInt(n.id, 10)
}

// Delete deletes a post, as its author does: its notifications go, and
// open user streams get a delete event.
func (f *Fake) Delete(statusID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.statuses[statusID]
	if !ok || s.deleted {
		return
	}
	s.deleted = true
	f.push("delete", []byte(statusID), true)
}

// Posted is a status the brand posted through the API.
type Posted struct {
	ID             string
	Status         string
	InReplyToID    string
	Visibility     string
	SpoilerText    string
	IdempotencyKey string
	At             time.Time
}

// Posted returns the statuses posted so far, oldest first.
func (f *Fake) Posted() []Posted {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Posted(nil), f.posted...)
}

// NotificationQueries returns the query strings of the GET
// /api/v1/notifications requests served so far.
func (f *Fake) NotificationQueries() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.queries...)
}

// Throttle makes the next n REST requests fail with 429, as when the rate
// limit is spent.
func (f *Fake) Throttle(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttle = n
}

// FailNext makes the next n REST requests fail with 503.
func (f *Fake) FailNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = n
}

// limit counts a REST request against the rate limit and sets the
// headers; it returns the status to fail with, 0 for none.
func (f *Fake) limit(w http.ResponseWriter) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if f.window.IsZero() || !now.Before(f.window.Add(RateWindow)) {
		f.window, f.used = now, 0
	}
	code := 0
	switch {
	case f.throttle > 0:
		f.throttle--
		f.used = RateLimit
		code = http.StatusTooManyRequests
	case f.used >= RateLimit:
		code = http.StatusTooManyRequests
	case f.failures > 0:
		f.failures--
		code = http.StatusServiceUnavailable
	default:
		f.used++
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(RateLimit-f.used, 0)))
	h.Set("X-RateLimit-Reset", f.window.Add(RateWindow).Format("2006-01-02T15:04:05.000000Z"))
	return code
}

// Remaining is how many requests the current rate window has left.
func (f *Fake) Remaining() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return max(RateLimit-f.used, 0)
}

// Spend uses up n requests of the current window, as the brand's other
// apps would.
func (f *Fake) Spend(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if f.window.IsZero() || !now.Before(f.window.Add(RateWindow)) {
		f.window, f.used = now, 0
	}
	f.used = min(f.used+n, RateLimit)
}

func (f *Fake) String() string { return fmt.Sprintf("mastofake(%s, @%s)", f.Domain, f.Brand.Username) }
