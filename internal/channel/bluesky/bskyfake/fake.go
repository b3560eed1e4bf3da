// Package bskyfake is a local stand-in for Bluesky, for tests and demos: one
// http.Handler playing the account's PDS, the AppView behind it and the chat
// service behind the atproto-proxy header, serving the XRPC methods Parley's
// Bluesky adapter calls with the lexicons' shapes, XRPC error bodies
// ({"error": name, "message": text}) and the PDS's RateLimit-* headers.
//
//	f := bskyfake.New()
//	srv := httptest.NewServer(f)        // point an inbox's api_base here
//	f.AddAccount(bskyfake.Account{DID: brand, Handle: "acme.example.com", AppPassword: "abcd-efgh-ijkl-mnop"})
//	f.AddAccount(bskyfake.Account{DID: ana, Handle: "ana.bsky.social", Followers: 120})
//	p := f.Publish(ana, bskyfake.PostInput{Text: "@acme.example.com my order never arrived"})
//	f.SendDM(ana, brand, "Hi, it's about order 881")
//	…                                   // Parley polls and replies through srv
//	f.Posts()                           // what was posted, replies included
//
// What it models:
//
//   - Sessions: com.atproto.server.createSession and refreshSession, with
//     JWTs whose exp claims follow AccessTTL and RefreshTTL; refresh tokens
//     rotate. An expired access token is answered 400 ExpiredToken, as the
//     PDS does; ExpireAccessTokens and RevokeRefreshTokens expire them on
//     demand. createSession counts per account and answers 429
//     RateLimitExceeded past its limit (30 per 5 minutes, SetLimit).
//   - Posts: com.atproto.repo.createRecord (app.bsky.feed.post only; a
//     record key already taken is answered 500 InternalServerError, as
//     Bluesky's PDS does today), getRecord, app.bsky.feed.getPosts,
//     com.atproto.identity.resolveHandle, app.bsky.actor.getProfiles.
//     Beyond the real PDS, which does not look, the fake refuses a reply
//     whose parent is unknown or whose root is not the parent's root, so
//     tests see a wrong thread at once.
//   - Notifications: app.bsky.notification.listNotifications, newest
//     first by the earlier of createdAt and the time indexed, which is
//     the indexedAt they show (so a post written on a clock that is
//     behind, PostInput.CreatedAt, is listed below newer ones), paged by
//     cursor, filtered by reasons; a post notifies the
//     accounts it mentions (facets), the authors of its parent and root
//     (reply) and of the post it quotes (quote), once each.
//   - Chat: chat.bsky.convo.getConvoForMembers, sendMessage and getLog,
//     only with atproto-proxy: did:web:api.bsky.chat#bsky_chat (400
//     without it), and only for an App Password with DM access (400
//     InvalidToken "Bad token method" otherwise); a recipient's
//     AllowIncoming is enforced. DeleteDMForSelf deletes a message as
//     Bluesky's chat does, for the deleting account alone: the
//     logDeleteMessage entry is in that account's log only.
//   - Search: app.bsky.feed.searchPosts over every post, with the search
//     service's query syntax, filters and offset cursor (search.go);
//     PublishRecord stores a raw record, for tests of what strangers post.
//   - Every answer carries RateLimit-Limit, -Remaining, -Reset (Unix
//     seconds) and -Policy for the global 3,000 requests per 5 minutes;
//     FailNext answers a method's next calls with an error status;
//     LoseNext carries out the next call and drops the connection
//     unanswered.
//
// Text limits are checked in bytes exactly and in graphemes approximately
// (a rune count that skips combining marks, joiners, variation selectors and
// skin tones, and pairs flags).
package bskyfake

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// Proxy values of the atproto-proxy header.
const (
	ChatProxy    = "did:web:api.bsky.chat#bsky_chat"
	AppViewProxy = "did:web:api.bsky.app#bsky_appview"
)

// Window is the length of the rate-limit windows.
const Window = 5 * time.Minute

// Account is a Bluesky account.
type Account struct {
	DID         string
	Handle      string
	DisplayName string
	Email       string
	// AppPassword logs the account in; "" means it cannot log in.
	AppPassword string
	// NoDMAccess makes AppPassword one created without "Allow access to
	// your direct messages".
	NoDMAccess bool
	Followers  int64
	// Verified gives the account a blue check (verifiedStatus "valid").
	Verified bool
	// AllowIncoming is who may start a DM with the account: "all" (also
	// ""), "following" (accounts it follows) or "none".
	AllowIncoming string
	// Follows lists the DIDs the account follows.
	Follows []string
}

// StrongRef is a record's URI and CID.
type StrongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// Post is a post on the fake.
type Post struct {
	URI, CID, RKey string
	Author         string // DID
	Text           string
	// Root and Parent are the reply refs; zero for a top-level post.
	Root, Parent StrongRef
	// Quote is the quoted post; zero for none.
	Quote StrongRef
	// Record is the record as stored.
	Record    json.RawMessage
	IndexedAt time.Time
}

// Message is a direct message.
type Message struct {
	ConvoID string
	ID      string
	Rev     string
	Sender  string // DID
	Text    string
	// Facets are the message's facets as sent, nil for none.
	Facets json.RawMessage
	SentAt time.Time
}

// Fake is a fake Bluesky. Create one with New and set AccessTTL and
// RefreshTTL before serving; after that use its methods, which are safe
// for concurrent use.
type Fake struct {
	// AccessTTL and RefreshTTL are the tokens' lifetimes; New sets two
	// hours and 60 days.
	AccessTTL, RefreshTTL time.Duration

	mux *http.ServeMux

	mu       sync.Mutex
	now      func() time.Time
	seq      uint64
	accounts map[string]*Account // by DID
	handles  map[string]string   // lowercase handle or email → DID
	access   map[string]*token
	refresh  map[string]*token
	posts    []*Post
	byURI    map[string]*Post
	notes    []*note
	lastIdx  time.Time
	convos   map[string]*convo
	logs     []logItem
	messages []*Message
	limits   map[string]int
	windows  map[string]*window
	calls    map[string]int
	fail     map[string][]int
	lose     map[string]int
}

type token struct {
	did     string
	exp     time.Time
	expired bool
}

type note struct {
	recipient string
	reason    string
	subject   string
	post      *Post
	sortAt    time.Time // the post's, to the millisecond
}

type convo struct {
	id      string
	members []string
}

type logItem struct {
	rev     string
	kind    string // "#logBeginConvo", "#logCreateMessage", "#logDeleteMessage"
	convo   *convo
	message *Message
	// only is the one member whose log holds the entry ("" for all):
	// a deletion is the deleting account's alone.
	only string
}

type window struct {
	start time.Time
	used  int
}

// New returns an empty fake Bluesky on the system clock.
func New() *Fake {
	f := &Fake{
		AccessTTL: 2 * time.Hour, RefreshTTL: 60 * 24 * time.Hour,
		now: time.Now, accounts: map[string]*Account{}, handles: map[string]string{},
		access: map[string]*token{}, refresh: map[string]*token{}, byURI: map[string]*Post{},
		convos: map[string]*convo{}, limits: map[string]int{CreateSession: 30, global: 3000},
		windows: map[string]*window{}, calls: map[string]int{}, fail: map[string][]int{}, lose: map[string]int{},
	}
	f.mux = f.routes()
	return f
}

// SetClock makes now the fake's clock, for tokens, times and windows.
func (f *Fake) SetClock(now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = now
}

// AddAccount adds a, or replaces the account with its DID.
func (f *Fake) AddAccount(a Account) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cp := a
	cp.Follows = append([]string(nil), a.Follows...)
	f.accounts[a.DID] = &cp
	if a.Handle != "" {
		f.handles[lower(a.Handle)] = a.DID
	}
	if a.Email != "" {
		f.handles[lower(a.Email)] = a.DID
	}
}

// SetLimit sets how many calls of the method nsid one account may make
// per 5-minute window (CreateSession: 30 by default). Other methods count
// against the global 3,000 per window only.
func (f *Fake) SetLimit(nsid string, perWindow int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limits[nsid] = perWindow
}

// FailNext answers the next n calls of nsid ("" for any method) with
// status and an XRPC error body, without acting on them. A 429 carries
// RateLimit headers with nothing remaining and a reset a minute away.
func (f *Fake) FailNext(nsid string, n, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.fail[nsid] = append(f.fail[nsid], status)
	}
}

// LoseNext carries out the next n calls of nsid and then closes their
// connections without answering, as a lost response does.
func (f *Fake) LoseNext(nsid string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lose[nsid] += n
}

// Calls returns how many calls of nsid the fake has received.
func (f *Fake) Calls(nsid string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[nsid]
}

// ExpireAccessTokens makes every access token issued so far expired,
// whatever its exp claim says.
func (f *Fake) ExpireAccessTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, t := range f.access {
		t.expired = true
	}
}

// RevokeRefreshTokens makes every refresh token issued so far unusable, as
// revoking the App Password's sessions does.
func (f *Fake) RevokeRefreshTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, t := range f.refresh {
		t.expired = true
	}
}

// Posts returns every post, oldest first.
func (f *Fake) Posts() []Post {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Post, len(f.posts))
	for i, p := range f.posts {
		out[i] = *p
	}
	return out
}

// Post returns the post with the at:// URI uri.
func (f *Fake) Post(uri string) (Post, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.byURI[uri]
	if !ok {
		return Post{}, false
	}
	return *p, true
}

// Messages returns every direct message, oldest first.
func (f *Fake) Messages() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Message, len(f.messages))
	for i, m := range f.messages {
		out[i] = *m
	}
	return out
}
