// Package redditfake is a local stand-in for Reddit's OAuth API, for tests
// and demos: the token endpoint, the brand's inbox and sent messages as
// Listings, the brand's comments, /api/info, /api/comment, /api/compose,
// /api/remove and /api/approve, with Reddit's paths, bearer tokens, api_type=json
// error envelopes, HTTP errors and X-Ratelimit headers.
//
//	f := redditfake.New()
//	srv := httptest.NewServer(f.Handler())   // the inbox's api_base
//	post := f.Post("some_customer", "Router issues after firmware 2.1", "")
//	c := f.Comment(redditfake.Comment{From: "some_customer", Parent: post, Body: "u/AcmeSupport help"})
//	…                                        // Parley polls /message/inbox, replies
//	f.Posted()                               // what Parley posted
//
// Posts, Post's and Submit's, are found by GET /search (search.go).
//
// Customers write with Post, Comment (a reply to the brand's post or
// comment, or a mention of u/<brand>, lands in its inbox) and Message (a
// private message to the brand). Delete, Lock and Block make replies fail
// as Reddit refuses them; DropFromInbox takes an item out of the inbox
// listing, as deleting a message does; SlowDown queues RATELIMIT errors,
// Refuse any other envelope error, Throttle 429s and FailNext 500s;
// RevokeTokens makes every access token fail with 401. The brand
// moderates the subreddits in Moderates; removing or approving elsewhere
// answers 403. Edit changes a post's or comment's body and sets its
// "edited" time, which GET /api/info shows.
//
// The token endpoint, POST /api/v1/access_token, is served on the same
// host: an inbox pointed at the fake with api_base finds it there.
package redditfake

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of New.
const (
	ClientID     = "redditfake-client-id"
	ClientSecret = "redditfake-client-secret"
	Username     = "AcmeSupport"
	Password     = "redditfake-password"
	RefreshToken = "redditfake-refresh-token"
	Subreddit    = "acme"
	// RateLimit and RateWindow are Reddit's free tier: 100 requests a
	// minute per client id, counted over 10 minutes.
	RateLimit  = 1000
	RateWindow = 10 * time.Minute
	// MaxTextChars and MaxSubjectChars are r2's limits on a comment or
	// message and on a subject, in characters.
	MaxTextChars    = 10000
	MaxSubjectChars = 100
	// ListingCap is how many items a listing holds at most.
	ListingCap = 1000
)

// Fake is Reddit for one brand account. Set its fields before serving
// requests; after that, use its methods, which are safe for concurrent
// use.
type Fake struct {
	// ClientID and ClientSecret are the app's, checked in the token
	// endpoint's Basic auth; ClientSecret "" is an installed app.
	ClientID, ClientSecret string
	// Username and Password are the brand's account, for the password
	// grant; RefreshToken is its refresh token.
	Username, Password, RefreshToken string
	// Moderates are the subreddits the brand moderates; New sets
	// Subreddit.
	Moderates []string
	// TokenLifetime is the access tokens' expires_in; New sets an hour.
	TokenLifetime time.Duration
	// Now is the fake's clock; nil means time.Now.
	Now func() time.Time

	mu            sync.Mutex
	seq           int64
	users         map[string]*user // by lower-case name
	things        map[string]*item // by fullname
	inbox         []string         // the brand's inbox, oldest first
	sent          []string         // the brand's sent messages, oldest first
	comments      []string         // the brand's comments, oldest first
	posted        []Posted
	moderations   []Moderation
	tokens        map[string]time.Time // access token to expiry
	queries       []string
	agents        []string
	throttle      int
	failures      int
	slowDown      []string
	refusals      [][3]string
	window        time.Time
	used          int
	blockedBy     map[string]bool // users who blocked the brand
	tokenRequests int
	// search: the query strings served, and whether it answers 403.
	searchQueries   []string
	searchForbidden bool
	// infoQueries are the query strings /api/info served.
	infoQueries []string
}

type user struct {
	name string
	id   string // t2 id, without prefix
}

// item is a post (t3), comment (t1) or message (t4).
type item struct {
	kind, id  string
	author    string // "" for none (a deleted account shows "[deleted]")
	authorID  string
	body      string
	title     string // a post's
	subject   string // a message's
	subreddit string
	parent    string // a comment's parent (t1/t3) or a message's (t4)
	link      string // a comment's post
	first     string // a message thread's first message
	dest      string // a message's recipient
	created   time.Time
	// edited is when its author last edited it; zero for never.
	edited time.Time
	// notice is the inbox type of a t1 in the brand's inbox:
	// comment_reply, post_reply or username_mention.
	notice  string
	unread  bool
	deleted bool
	removed bool
	locked  bool // a post's
	// permalinkAs is a post's permalink as served, when set (see
	// Submission).
	permalinkAs string
}

func (it *item) name() string { return it.kind + "_" + it.id }

// New returns Reddit with the default app and brand (u/AcmeSupport,
// moderator of r/acme).
func New() *Fake {
	f := &Fake{ClientID: ClientID, ClientSecret: ClientSecret, Username: Username, Password: Password,
		RefreshToken: RefreshToken, Moderates: []string{Subreddit}, TokenLifetime: time.Hour,
		seq: 1_700_000_000, users: map[string]*user{}, things: map[string]*item{}, tokens: map[string]time.Time{},
		blockedBy: map[string]bool{}}
	return f
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now().UTC()
	}
	return time.Now().UTC()
}

// nextID returns a new base-36 id, shaped like Reddit's.
func (f *Fake) nextID() string {
	f.seq += 7
	return strconv.FormatInt(f.seq, 36)
}

// userLocked returns the user named name, created on first use.
func (f *Fake) userLocked(name string) *user {
	k := strings.ToLower(name)
	u := f.users[k]
	if u == nil {
		u = &user{name: name, id: f.nextID()}
		f.users[k] = u
	}
	return u
}

func (f *Fake) isBrand(name string) bool { return strings.EqualFold(name, f.Username) }

// Post creates a post by from in r/acme (the first of Moderates) and
// returns its fullname. A reply to a post of the brand's reaches its
// inbox.
func (f *Fake) Post(from, title, body string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	u := f.userLocked(from)
	sr := Subreddit
	if len(f.Moderates) > 0 {
		sr = f.Moderates[0]
	}
	it := &item{kind: "t3", id: f.nextID(), author: u.name, authorID: u.id, title: title, body: body, subreddit: sr, created: f.now()}
	f.things[it.name()] = it
	return it.name()
}

// PostIn is Post in another subreddit, one the brand may not moderate.
func (f *Fake) PostIn(subreddit, from, title, body string) string {
	name := f.Post(from, title, body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.things[name].subreddit = subreddit
	return name
}

// Comment is a customer's comment.
type Comment struct {
	From string
	// Parent is the post or comment answered (a fullname).
	Parent string
	// Body is Markdown; "u/<brand>" in it mentions the brand.
	Body string
	// Age makes the comment that much older than now, as one a moderator
	// approved late.
	Age time.Duration
}

// Comment creates c and returns its fullname. It reaches the brand's
// inbox when it answers a post or comment of the brand's (post_reply,
// comment_reply) or mentions u/<brand> (username_mention). It panics when
// c.Parent is not a post or comment of the fake's: a test's mistake.
func (f *Fake) Comment(c Comment) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	parent := f.things[c.Parent]
	if parent == nil || parent.kind == "t4" {
		panic(fmt.Sprintf("redditfake: Comment on %q, which is not a post or comment", c.Parent))
	}
	u := f.userLocked(c.From)
	it := &item{kind: "t1", id: f.nextID(), author: u.name, authorID: u.id, body: c.Body, subreddit: parent.subreddit,
		parent: c.Parent, link: parent.link, created: f.now().Add(-c.Age)}
	if parent.kind == "t3" {
		it.link = parent.name()
	}
	f.things[it.name()] = it
	switch {
	case f.isBrand(u.name):
	case f.isBrand(parent.author) && parent.kind == "t3":
		it.notice = "post_reply"
	case f.isBrand(parent.author):
		it.notice = "comment_reply"
	case mentions(c.Body, f.Username):
		it.notice = "username_mention"
	}
	if it.notice != "" {
		it.unread = true
		f.inbox = append(f.inbox, it.name())
	}
	return it.name()
}

// mentions reports whether body mentions u/name (or /u/name).
func mentions(body, name string) bool {
	l := strings.ToLower(body)
	n := "u/" + strings.ToLower(name)
	for i := strings.Index(l, n); i >= 0; {
		end := i + len(n)
		if (i == 0 || !wordByte(l[i-1])) && (end == len(l) || !wordByte(l[end])) {
			return true
		}
		j := strings.Index(l[i+1:], n)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// Message is a customer's private message to the brand.
type Message struct {
	From    string
	Subject string
	Body    string
	// ReplyTo is the message answered, "" to start a thread.
	ReplyTo string
}

// Message sends m to the brand and returns its fullname. It panics when
// m.ReplyTo is not a message of the fake's.
func (f *Fake) Message(m Message) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	u := f.userLocked(m.From)
	it := &item{kind: "t4", id: f.nextID(), author: u.name, authorID: u.id, subject: m.Subject, body: m.Body,
		dest: f.Username, created: f.now(), unread: true}
	if m.ReplyTo != "" {
		parent := f.things[m.ReplyTo]
		if parent == nil || parent.kind != "t4" {
			panic(fmt.Sprintf("redditfake: Message in reply to %q, which is not a message", m.ReplyTo))
		}
		it.parent, it.first = parent.name(), parent.first
		if it.first == "" {
			it.first = parent.name()
		}
		if it.subject == "" {
			it.subject = "re: " + strings.TrimPrefix(parent.subject, "re: ")
		}
	}
	f.things[it.name()] = it
	f.inbox = append(f.inbox, it.name())
	return it.name()
}

// Edit changes the body of a post or comment as its author does: its
// "edited" becomes the fake's time, in /api/info and the listings that
// carry the field. The inbox shows the new body without saying it was
// edited, as Reddit's does. It panics when fullname is not a post or
// comment of the fake's.
func (f *Fake) Edit(fullname, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	it := f.things[fullname]
	if it == nil || it.kind == "t4" {
		panic(fmt.Sprintf("redditfake: Edit of %q, which is not a post or comment", fullname))
	}
	it.body, it.edited = body, f.now()
}

// Delete deletes a post, comment or message as its author does: it shows
// "[deleted]" as author and body, and replies to it fail with
// DELETED_COMMENT.
func (f *Fake) Delete(fullname string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if it := f.things[fullname]; it != nil {
		it.deleted = true
	}
}

// Lock locks a post's thread: replies in it fail with THREAD_LOCKED.
func (f *Fake) Lock(post string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if it := f.things[post]; it != nil {
		it.locked = true
	}
}

// Block makes a user block the brand: messages to them fail with
// USER_BLOCKED.
func (f *Fake) Block(username string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.blockedBy[strings.ToLower(username)] = true
}

// DropFromInbox takes an item out of the brand's inbox listing, as the
// brand deleting a message does (/api/del_msg): a listing anchored on it
// with before or after is then empty.
func (f *Fake) DropFromInbox(fullname string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, n := range f.inbox {
		if n == fullname {
			f.inbox = append(f.inbox[:i:i], f.inbox[i+1:]...)
			return
		}
	}
}

// Unread reports whether an inbox item is still unread.
func (f *Fake) Unread(fullname string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	it := f.things[fullname]
	return it != nil && it.unread
}

// Posted is a comment or message the brand posted through the API.
type Posted struct {
	// Kind is "comment" (/api/comment on a post or comment), "reply"
	// (/api/comment on a message) or "compose" (/api/compose).
	Kind string
	// Name is the fullname of what was created.
	Name string
	// ThingID is what a comment or reply answered.
	ThingID string
	// To and Subject are a composed message's.
	To, Subject string
	Text        string
	UserAgent   string
	At          time.Time
}

// Posted returns what the brand posted so far, oldest first.
func (f *Fake) Posted() []Posted {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Posted(nil), f.posted...)
}

// Moderation is a removal or approval the brand made.
type Moderation struct {
	Action string // "remove" or "approve"
	ID     string
	Spam   bool
}

// Moderations returns the removals and approvals made so far, oldest
// first.
func (f *Fake) Moderations() []Moderation {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Moderation(nil), f.moderations...)
}

// Removed reports whether a post or comment is removed.
func (f *Fake) Removed(fullname string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	it := f.things[fullname]
	return it != nil && it.removed
}

// InboxQueries returns the query strings of the GET /message/inbox
// requests served so far.
func (f *Fake) InboxQueries() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.queries...)
}

// InfoQueries returns the query strings of the /api/info requests
// served, oldest first.
func (f *Fake) InfoQueries() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.infoQueries...)
}

// UserAgents returns the User-Agent of every request served so far.
func (f *Fake) UserAgents() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.agents...)
}

// TokenRequests counts the access tokens issued so far.
func (f *Fake) TokenRequests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokenRequests
}

// RevokeTokens makes every access token issued so far fail with 401; the
// refresh token and password still work.
func (f *Fake) RevokeTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.tokens)
}

// SlowDown makes the next len(messages) comments or messages fail with
// RATELIMIT and the given messages, as "you are doing that too much. try
// again in 5 minutes.".
func (f *Fake) SlowDown(messages ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.slowDown = append(f.slowDown, messages...)
}

// Refuse makes the next comment or message fail with the error
// [code, message, field] in its api_type=json envelope, as r2 refuses
// what the fake does not model: TOO_LONG of a text Reddit counts longer
// than the fake does, say ("TOO_LONG", "this is too long (max: 10000)",
// "text"). Each call queues one refusal.
func (f *Fake) Refuse(code, message, field string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refusals = append(f.refusals, [3]string{code, message, field})
}

// Throttle makes the next n API requests fail with 429, as when the
// period's budget is spent.
func (f *Fake) Throttle(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttle = n
}

// FailNext makes the next n API requests fail with 500.
func (f *Fake) FailNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = n
}

// Spend uses up n requests of the current period, as the app's other
// inboxes would.
func (f *Fake) Spend(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rollWindow()
	f.used = min(f.used+n, RateLimit)
}

// Remaining is how many requests the current period has left.
func (f *Fake) Remaining() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rollWindow()
	return RateLimit - f.used
}

func (f *Fake) rollWindow() {
	now := f.now()
	if f.window.IsZero() || !now.Before(f.window.Add(RateWindow)) {
		f.window, f.used = now, 0
	}
}

func (f *Fake) String() string { return "redditfake(u/" + f.Username + ")" }
