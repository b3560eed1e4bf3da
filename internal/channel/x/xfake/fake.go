// Package xfake is a local stand-in for X's API, for tests and demos: an
// http.Handler serving the endpoints Parley's X adapter calls, with X's
// documented shapes, status codes, problem bodies and rate-limit headers, and
// a webhook sender that signs and delivers X Activity API and Account
// Activity API events like X does.
//
// Serve it with httptest.NewServer(fake) and point an X inbox's api_base
// credential at the server's URL. State is in memory: users (AddUser), the
// tokens that act for them (Authorize for OAuth 2.0 bearer tokens,
// AuthorizeOAuth1 for signed OAuth 1.0a requests), posts and DMs, whether
// injected (AddPost, AddDM) or created through the API.
//
// What it models:
//
//   - POST /2/tweets: a user token required; a reply is accepted only to a
//     post that summons its author's caller (the post @mentions the caller
//     or quotes one of the caller's posts, or is the caller's own), else 403
//     as X's self-serve tiers answer since February 2026; identical text
//     posted twice by one account is refused as duplicate content.
//   - POST /2/dm_conversations/with/{participant_id}/messages: accepted when
//     the recipient has open DMs (User.OpenDMs) or has written to the
//     sender before, else 403.
//   - GET /2/users/{id}/mentions (since_id, pagination_token, max_results
//     5..100, at most the 800 most recent), GET /2/users/{id}/tweets,
//     GET /2/dm_events and GET /2/dm_conversations/with/{participant_id}/dm_events,
//     newest first with next_token paging. A post over 280 characters comes
//     with its text cut and the whole of it in note_tweet, as in X's v2
//     objects.
//   - OAuth 2.0: GET /i/oauth2/authorize for the Apps added with AddApp
//     (redirecting to the App's callback with a code, or with
//     error=access_denied after RefuseAuthorization), POST /2/oauth2/token
//     with the authorization_code grant (PKCE checked, codes single-use
//     and short-lived) and the refresh_token grant (rotating), and
//     GET /2/users/me.
//   - GET /2/tweets/search/recent: the posts of the last seven days whose
//     text matches the query (words and "exact phrases" matched on
//     tokens, case-insensitively; #hashtags; @mentions; OR; -negation;
//     parentheses; is:retweet, is:reply, is:quote, is:verified, lang: and
//     from:), with X's refusals of a query that is too long, malformed,
//     negation-only or names an unknown operator, and of a since_id older
//     than seven days; since_id, next_token or pagination_token,
//     max_results 10..100; see search.go.
//   - x-rate-limit-limit, -remaining and -reset on every response, and a
//     per-user budget per endpoint and 15-minute window (SetLimit; X's
//     documented defaults) answered with 429 once spent; a daily cap
//     (SetDailyLimit) adds x-user-limit-24hour-limit, -remaining and -reset.
//   - A reply to a post that is deleted or unknown is refused with 403 and
//     X's "You attempted to reply to a Tweet that is deleted or not visible
//     to you."
//   - Faults: FailNext answers the next requests with a status (a 503, say);
//     CapUsage with X's usage-capped 429; LoseResponses carries out the
//     next write requests and then drops the connection unanswered, as a
//     lost response does.
//
// Error wording is modelled on X's problem bodies; where X's exact words are
// not documented (the reply and DM refusals), the fake's are its own.
package xfake

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Endpoint names an API endpoint, for rate limits and call counts.
type Endpoint string

// The endpoints the fake serves.
const (
	CreatePost           Endpoint = "POST /2/tweets"
	SendDM               Endpoint = "POST /2/dm_conversations/with/:participant_id/messages"
	Mentions             Endpoint = "GET /2/users/:id/mentions"
	UserPosts            Endpoint = "GET /2/users/:id/tweets"
	DMEvents             Endpoint = "GET /2/dm_events"
	ConversationDMEvents Endpoint = "GET /2/dm_conversations/with/:participant_id/dm_events"
	UsersMe              Endpoint = "GET /2/users/me"
)

// Window is the length of X's rate-limit windows.
const Window = 15 * time.Minute

// Day is the length of X's daily caps (x-user-limit-24hour-*).
const Day = 24 * time.Hour

// defaultLimits are X's per-user limits per 15 minutes
// (x-api/fundamentals/rate-limits on docs.x.com).
var defaultLimits = map[Endpoint]int{
	CreatePost: 100, SendDM: 15, Mentions: 300, UserPosts: 900, DMEvents: 15, ConversationDMEvents: 15, UsersMe: 75,
	SearchRecent: 300,
}

// User is an X account.
type User struct {
	ID       string
	Username string
	Name     string
	// Followers and Verified are reported in the user objects the fake
	// returns and delivers.
	Followers int64
	Verified  bool
	// OpenDMs lets anyone send this user a DM; otherwise only users they
	// have written to may.
	OpenDMs bool
}

// Post is a post on the fake X.
type Post struct {
	ID       string
	AuthorID string
	Text     string
	// InReplyTo is the id of the post this one answers.
	InReplyTo string
	// Quotes is the id of the post this one quotes.
	Quotes string
	// Mentions are the ids of the users the post @mentions. AddPost fills
	// it from the text's @handles of known users when it is nil.
	Mentions  []string
	CreatedAt time.Time
	Deleted   bool
	// Lang is the language X classified the post as; "" reads as "en".
	Lang string
	// Reposts is the id of the post this one reposts: it is a repost
	// (is:retweet), with a "retweeted" reference.
	Reposts string
}

// DM is a direct message.
type DM struct {
	ID          string
	SenderID    string
	RecipientID string
	Text        string
	CreatedAt   time.Time
	// Media, when set, is a file sent with the message.
	Media *DMMedia
}

// DMMedia is a file in a direct message. X keeps it at
// https://ton.twitter.com/1.1/ton/data/dm/{dm id}/{media id}/{name} and
// serves it only to a request authorized for the sender or the recipient
// (see SetMediaBase and media.go).
type DMMedia struct {
	// ID is the media id; AddDM gives one when it is empty.
	ID string
	// Type is "photo", "video" or "animated_gif".
	Type        string
	Name        string
	ContentType string
	Body        []byte
}

// Fake is a fake X. Create one with New; it is safe for concurrent use.
type Fake struct {
	secret string
	client *http.Client
	mux    *http.ServeMux

	mu        sync.Mutex
	now       func() time.Time
	lastID    uint64
	users     map[string]User
	tokens    map[string]string // bearer token → user id
	refresh   map[string]refreshGrant
	issued    []string // access tokens issued by refresh
	refreshes int
	// OAuth 2.0 authorization: Apps by client id, who approves, codes
	// waiting to be redeemed; see authorize.go.
	apps          map[string]App
	approver      string
	refuse        bool
	authorizeReqs []url.Values
	codes         map[string]authCode
	grants        int
	oauth1        map[string]oauth1Token
	mediaBase     string  // where DM files are served; see SetMediaBase
	posts         []*Post // in id order
	dms           []*DM   // in id order
	limits        map[Endpoint]int
	windows       map[windowKey]*window
	dayLimits     map[Endpoint]int
	days          map[windowKey]*window
	calls         map[Endpoint]int
	searches      []url.Values // the parameters of each search request
	fail          []reply
	lose          int
}

type windowKey struct {
	endpoint Endpoint
	user     string
}

type window struct {
	start time.Time
	used  int
}

// New returns an empty fake X whose app has the given consumer secret: it
// signs deliveries with it and expects it in CRC answers.
func New(consumerSecret string) *Fake {
	limits := make(map[Endpoint]int, len(defaultLimits))
	for e, n := range defaultLimits {
		limits[e] = n
	}
	f := &Fake{
		secret: consumerSecret, client: &http.Client{Timeout: 10 * time.Second},
		now: time.Now, lastID: 1880000000000000000, mediaBase: "https://ton.twitter.com",
		users: map[string]User{}, tokens: map[string]string{}, limits: limits,
		windows: map[windowKey]*window{}, calls: map[Endpoint]int{},
		dayLimits: map[Endpoint]int{}, days: map[windowKey]*window{},
	}
	f.mux = f.routes()
	return f
}

// SetClock makes now the fake's clock, for post times and rate-limit
// windows.
func (f *Fake) SetClock(now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = now
}

// AddUser adds u, or replaces the user with its id.
func (f *Fake) AddUser(u User) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[u.ID] = u
}

// Authorize lets token act as the user with userID, as an OAuth 2.0 user
// access token does.
func (f *Fake) Authorize(token, userID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens[token] = userID
}

// SetLimit sets how many requests to e one user may make per 15-minute
// window.
func (f *Fake) SetLimit(e Endpoint, perWindow int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limits[e] = perWindow
}

// SetDailyLimit gives e a daily cap of perDay requests per user, counted
// over 24 hours from the first: reported in x-user-limit-24hour-* headers
// and answered with 429 once spent, as X caps posts and DMs per day. A
// perDay of 0 removes the cap.
func (f *Fake) SetDailyLimit(e Endpoint, perDay int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if perDay <= 0 {
		delete(f.dayLimits, e)
		return
	}
	f.dayLimits[e] = perDay
}

// day returns the user's current day of e's daily cap and the cap, nil
// when e has none. The caller holds f.mu.
func (f *Fake) day(e Endpoint, user string, now time.Time) (*window, int) {
	perDay, ok := f.dayLimits[e]
	if !ok {
		return nil, 0
	}
	k := windowKey{e, user}
	d := f.days[k]
	if d == nil || now.Sub(d.start) >= Day {
		d = &window{start: now}
		f.days[k] = d
	}
	return d, perDay
}

// FailNext answers the next n API requests with status and a problem body,
// without acting on them.
func (f *Fake) FailNext(n, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.fail = append(f.fail, reply{status, problemBody(status, http.StatusText(status))})
	}
}

// CapUsage answers the next n API requests with 429 and X's usage-capped
// problem, as X answers once the App's usage cap is spent, rather than an
// endpoint's 15-minute window (x-api/fundamentals/response-codes-and-errors:
// type https://api.x.com/2/problems/usage-capped, "Usage cap exceeded:
// Monthly product cap"). The rate-limit headers are not sent with it.
func (f *Fake) CapUsage(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.fail = append(f.fail, reply{http.StatusTooManyRequests, map[string]any{
			"title": "Usage Capped", "detail": "Usage cap exceeded: Monthly product cap",
			"type": "https://api.x.com/2/problems/usage-capped", "period": "Monthly", "scope": "Product"}})
	}
}

// LoseResponses carries out the next n write requests (posts and DMs) and
// then closes their connections without answering.
func (f *Fake) LoseResponses(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lose += n
}

// Calls returns how many requests e has received, refused ones included.
func (f *Fake) Calls(e Endpoint) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[e]
}

// AddPost stores p as if its author had posted it, giving it an id and a
// time when they are empty, and returns the stored post.
func (f *Fake) AddPost(p Post) Post {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.addPost(p)
}

func (f *Fake) addPost(p Post) *Post {
	if p.ID == "" {
		p.ID = f.newID()
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = f.now().UTC().Truncate(time.Second)
	}
	if p.Mentions == nil {
		p.Mentions = f.mentioned(p.Text)
	}
	stored := &p
	i, _ := slices.BinarySearchFunc(f.posts, p.ID, func(q *Post, id string) int { return compareIDs(q.ID, id) })
	f.posts = slices.Insert(f.posts, i, stored)
	return stored
}

// AddDM stores d as if its sender had sent it, giving it an id and a time
// when they are empty, and returns the stored message.
func (f *Fake) AddDM(d DM) DM {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.addDM(d)
}

func (f *Fake) addDM(d DM) *DM {
	if d.ID == "" {
		d.ID = f.newID()
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = f.now().UTC().Truncate(time.Second)
	}
	if d.Media != nil {
		m := *d.Media
		if m.ID == "" {
			m.ID = f.newID()
		}
		d.Media = &m
	}
	stored := &d
	i, _ := slices.BinarySearchFunc(f.dms, d.ID, func(q *DM, id string) int { return compareIDs(q.ID, id) })
	f.dms = slices.Insert(f.dms, i, stored)
	return stored
}

// DeletePost marks the post deleted, as its author deleting it does. It
// reports whether the post exists.
func (f *Fake) DeletePost(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.post(id)
	if p != nil {
		p.Deleted = true
	}
	return p != nil
}

// Post returns the post with the id.
func (f *Fake) Post(id string) (Post, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := f.post(id); p != nil {
		return clonePost(p), true
	}
	return Post{}, false
}

// Posts returns every post, oldest first.
func (f *Fake) Posts() []Post {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Post, len(f.posts))
	for i, p := range f.posts {
		out[i] = clonePost(p)
	}
	return out
}

// DMs returns every DM, oldest first.
func (f *Fake) DMs() []DM {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]DM, len(f.dms))
	for i, d := range f.dms {
		out[i] = *d
	}
	return out
}

func clonePost(p *Post) Post {
	c := *p
	c.Mentions = slices.Clone(p.Mentions)
	return c
}

func (f *Fake) post(id string) *Post {
	i, ok := slices.BinarySearchFunc(f.posts, id, func(q *Post, id string) int { return compareIDs(q.ID, id) })
	if !ok {
		return nil
	}
	return f.posts[i]
}

// newID returns a fresh id, greater than every earlier one, as X's
// snowflakes are.
func (f *Fake) newID() string {
	f.lastID += 1 << 12
	return fmt.Sprint(f.lastID)
}

var handlePattern = regexp.MustCompile(`@([A-Za-z0-9_]{1,15})`)

// mentioned returns the ids of the known users whose @handles text holds.
func (f *Fake) mentioned(text string) []string {
	ids := []string{}
	for _, m := range handlePattern.FindAllStringSubmatch(text, -1) {
		for _, u := range f.users {
			if strings.EqualFold(u.Username, m[1]) && !slices.Contains(ids, u.ID) {
				ids = append(ids, u.ID)
			}
		}
	}
	return ids
}

// compareIDs orders decimal ids numerically.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}
