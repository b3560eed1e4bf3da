// Package ytfake is a local stand-in for YouTube, for tests and demos: one
// channel's comment threads served as the YouTube Data API v3 serves them,
// Google's OAuth 2.0 token endpoint, and the daily quota, charged per
// request and refused with quotaExceeded when spent. Viewers are played
// with Comment, Reply and Edit; what Parley posted and moderated is read
// with Replies and Moderations.
//
//	f := ytfake.New()
//	srv := httptest.NewServer(f.Handler())
//	inbox := care.Inbox{Channel: care.ChannelYouTube, ExternalID: ytfake.DefaultChannelID,
//		Credentials: f.Credentials(srv.URL)}     // api_base is srv.URL
//	id := f.Comment(ana, ytfake.DefaultVideoID, "My order never came")
//	…                                            // Parley polls, replies
//	f.Replies()                                  // what Parley posted
//	f.Moderations()                              // what it hid or deleted
//
// It serves, as www.googleapis.com does, GET /youtube/v3/commentThreads,
// GET and POST /youtube/v3/comments and POST
// /youtube/v3/comments/setModerationStatus, with Google's JSON error
// bodies, and POST /token as oauth2.googleapis.com/token does. Requests
// need a bearer token the token endpoint issued (401 otherwise, or once
// RevokeAccessTokens was called). Each request is charged as
// developers.google.com/youtube/v3/determine_quota_cost says, a list 1
// unit, an insert or moderation 50, against DailyQuota, which resets at
// midnight Pacific Time.
//
// Threads are listed newest first by their top-level comment's time; a
// thread embeds its five oldest replies, so later ones need comments.list,
// which lists a thread's replies oldest first. FailNext, DropInsertResponses,
// DisableComments, SpendQuota and the revocations make the failures Parley
// must handle.
package ytfake

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"time"
	"unicode/utf8"
)

// Defaults: a channel and an OAuth client shaped like real ones.
const (
	DefaultChannelID    = "UCparleyFakeChannel00001"
	DefaultChannelTitle = "Acme Support"
	DefaultHandle       = "acmesupport"
	DefaultVideoID      = "wtLJPvx7-ys"
	DefaultClientID     = "1234567890-parleyfake.apps.googleusercontent.com"
	DefaultClientSecret = "GOCSPX-parley-fake-client-secret"
	DefaultRefreshToken = "1//0parley-fake-refresh-token"
	DefaultDailyQuota   = 10_000
	// TokenLifetime is how long an access token lives, as Google's do.
	TokenLifetime = 3599 * time.Second
	// MaxTextChars is the longest comment taken, in characters.
	MaxTextChars = 10_000
	// EmbeddedReplies is how many replies a thread embeds.
	EmbeddedReplies = 5
	// Scope is what the token endpoint says it granted.
	Scope = "https://www.googleapis.com/auth/youtube.force-ssl"
)

// Moderation statuses of a comment.
const (
	Published     = "published"
	HeldForReview = "heldForReview"
	LikelySpam    = "likelySpam"
	Rejected      = "rejected"
)

// Fake is YouTube for one channel. Set its fields before serving requests;
// after that, use its methods, which are safe for concurrent use.
type Fake struct {
	// ChannelID, ChannelTitle and Handle are the channel's; New sets the
	// defaults.
	ChannelID, ChannelTitle, Handle string
	// ClientID, ClientSecret and RefreshToken are what the token endpoint
	// accepts; New sets the defaults.
	ClientID, ClientSecret, RefreshToken string
	// DailyQuota is the units a Pacific day; New sets DefaultDailyQuota.
	DailyQuota int
	// Now is the fake's clock; nil means time.Now.
	Now func() time.Time

	mu          sync.Mutex
	seq         int64
	threads     []*stored // top-level comments, oldest first
	byID        map[string]*stored
	tokens      map[string]time.Time // access token to expiry
	revoked     bool                 // the refresh token
	tokenCalls  int
	quotaDay    string
	used        int
	posted      []Posted
	moderations []Moderation
	requests    []Request
	failures    []failure
	drops       int
	disabled    map[string]bool
}

// New returns a fake channel, DefaultChannelID, with no comments.
func New() *Fake {
	return &Fake{
		ChannelID: DefaultChannelID, ChannelTitle: DefaultChannelTitle, Handle: DefaultHandle,
		ClientID: DefaultClientID, ClientSecret: DefaultClientSecret, RefreshToken: DefaultRefreshToken,
		DailyQuota: DefaultDailyQuota,
		byID:       map[string]*stored{}, tokens: map[string]time.Time{}, disabled: map[string]bool{},
	}
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now().UTC()
	}
	return time.Now().UTC()
}

// Credentials are the credentials of an inbox for the fake's channel,
// served at apiBase (the httptest server's URL); its external id is
// f.ChannelID.
func (f *Fake) Credentials(apiBase string) map[string]string {
	return map[string]string{
		"client_id": f.ClientID, "client_secret": f.ClientSecret, "refresh_token": f.RefreshToken, "api_base": apiBase,
	}
}

// Viewer is someone who comments.
type Viewer struct {
	// ChannelID is their channel's id, "UC…"; "" makes one of Handle.
	ChannelID string
	// DisplayName is what YouTube shows: "" shows "@" and the handle, as
	// YouTube does since handles came.
	DisplayName string
	// Handle is their handle without "@"; "" for a channel without one,
	// whose URL is then /channel/UC….
	Handle string
	// NoChannel is an account without a channel, or whose channel was
	// deleted: its comments come with authorDisplayName only, without
	// authorChannelId and authorChannelUrl ("the id of the author's
	// YouTube channel, if any").
	NoChannel bool
}

func (v Viewer) channelID() string {
	if v.ChannelID != "" {
		return v.ChannelID
	}
	sum := sha256.Sum256([]byte(v.Handle + "\x00" + v.DisplayName))
	return "UC" + base64.RawURLEncoding.EncodeToString(sum[:])[:22]
}

func (v Viewer) displayName() string {
	if v.DisplayName == "" && v.Handle != "" {
		return "@" + v.Handle
	}
	return v.DisplayName
}

// Comment is a comment as the fake holds it.
type Comment struct {
	ID       string
	ParentID string // "" for a top-level comment
	VideoID  string // "" for a comment on the channel itself
	Author   Viewer
	Text     string
	// PublishedAt and UpdatedAt are when it was posted and last edited.
	PublishedAt, UpdatedAt time.Time
	ModerationStatus       string
	Likes                  int64
}

// stored is a comment and, for a top-level one, its replies.
type stored struct {
	Comment
	seq     int64
	replies []*stored // oldest first
}

// Posted is a reply Parley posted with comments.insert.
type Posted struct {
	ID       string
	ParentID string
	Text     string
	Body     []byte // the request's body as received
	At       time.Time
}

// Moderation is a comments.setModerationStatus call.
type Moderation struct {
	IDs       []string
	Status    string
	BanAuthor bool
	At        time.Time
}

// Request is an API request as the fake saw it, with the units it cost.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Units  int
	Status int
}

// Comment has a viewer post a top-level comment on video videoID ("" for
// the channel itself) and returns its id.
func (f *Fake) Comment(v Viewer, videoID, text string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.add(v, videoID, "", text).ID
}

// Reply has a viewer reply in the thread of comment parentID, a top-level
// comment or a reply (whose thread is answered, as YouTube's own Reply
// button does), and returns the reply's id. It fails for an unknown
// comment, and when comments are off on the video.
func (f *Fake) Reply(v Viewer, parentID, text string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.byID[parentID]
	if !ok {
		return "", fmt.Errorf("ytfake: no comment %q", parentID)
	}
	if c.ParentID != "" {
		c = f.byID[c.ParentID]
	}
	if f.disabled[c.VideoID] {
		return "", errors.New("ytfake: comments are off on video " + c.VideoID)
	}
	return f.add(v, c.VideoID, c.ID, text).ID, nil
}

// OwnerReply has the channel reply in the thread of comment parentID from
// YouTube Studio, outside Parley, and returns the reply's id.
func (f *Fake) OwnerReply(parentID, text string) (string, error) {
	return f.Reply(f.owner(), parentID, text)
}

// owner is the channel as a commenter.
func (f *Fake) owner() Viewer {
	return Viewer{ChannelID: f.ChannelID, DisplayName: "@" + f.Handle, Handle: f.Handle}
}

// Edit has a comment's author change its text; its updatedAt becomes now.
func (f *Fake) Edit(id, text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.byID[id]
	if !ok {
		return fmt.Errorf("ytfake: no comment %q", id)
	}
	c.Text, c.UpdatedAt = text, f.now()
	return nil
}

// Hold has YouTube's own filters hold a comment for the channel's review
// (HeldForReview) or take it for likely spam (LikelySpam), as it does
// with comments that hold links or blocked words: it leaves the published
// lists, and is listed with moderationStatus. Published puts it back.
func (f *Fake) Hold(id, status string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.byID[id]
	switch {
	case !ok:
		return fmt.Errorf("ytfake: no comment %q", id)
	case status != HeldForReview && status != LikelySpam && status != Published:
		return fmt.Errorf("ytfake: %q is not a status YouTube's filters set", status)
	}
	c.ModerationStatus = status
	return nil
}

// Delete has a comment's author delete it: it is gone from every list,
// and a top-level comment takes its replies with it, so that comments.list
// by its id as parentId answers 404 commentNotFound.
func (f *Fake) Delete(id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.byID[id]
	if !ok {
		return fmt.Errorf("ytfake: no comment %q", id)
	}
	delete(f.byID, id)
	if c.ParentID != "" {
		if p, ok := f.byID[c.ParentID]; ok {
			p.replies = slices.DeleteFunc(p.replies, func(r *stored) bool { return r == c })
		}
		return nil
	}
	for _, r := range c.replies {
		delete(f.byID, r.ID)
	}
	f.threads = slices.DeleteFunc(f.threads, func(t *stored) bool { return t == c })
	return nil
}

// Like adds n likes to a comment.
func (f *Fake) Like(id string, n int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c, ok := f.byID[id]; ok {
		c.Likes += n
	}
}

// add stores a comment. Callers hold f.mu.
func (f *Fake) add(v Viewer, videoID, parentID, text string) *stored {
	f.seq++
	now := f.now()
	c := &stored{seq: f.seq, Comment: Comment{VideoID: videoID, ParentID: parentID, Author: v, Text: text,
		PublishedAt: now, UpdatedAt: now, ModerationStatus: Published}}
	if parentID == "" {
		c.ID = fmt.Sprintf("UgzParley%011dAaABAg", f.seq)
		f.threads = append(f.threads, c)
	} else {
		c.ID = fmt.Sprintf("%s.9zParley%08d", parentID, f.seq)
		p := f.byID[parentID]
		p.replies = append(p.replies, c)
	}
	f.byID[c.ID] = c
	return c
}

// Get returns a comment as the fake holds it.
func (f *Fake) Get(id string) (Comment, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.byID[id]
	if !ok {
		return Comment{}, false
	}
	return c.Comment, true
}

// Replies returns the replies Parley posted, oldest first.
func (f *Fake) Replies() []Posted {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Posted(nil), f.posted...)
}

// Moderations returns the moderation calls Parley made, oldest first.
func (f *Fake) Moderations() []Moderation {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Moderation(nil), f.moderations...)
}

// Requests returns the API requests made, oldest first.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// TokenRequests returns how many times the token endpoint was asked.
func (f *Fake) TokenRequests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokenCalls
}

// QuotaUsed returns the units spent in the current Pacific day.
func (f *Fake) QuotaUsed() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rollDay()
	return f.used
}

// SpendQuota spends units of the day's quota, as other programs sharing
// the project would.
func (f *Fake) SpendQuota(units int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rollDay()
	f.used = min(f.used+units, f.DailyQuota)
}

// failure is an injected error.
type failure struct {
	path   string // "" for any
	status int
	reason string
}

// FailNext makes the next n API requests fail with status and Google
// error reason, e.g. 503 "backendError" or 403 "rateLimitExceeded"; they
// cost a unit each.
func (f *Fake) FailNext(n, status int, reason string) {
	f.FailNextOn("", n, status, reason)
}

// FailNextOn is FailNext for the requests to one path, such as
// "/youtube/v3/comments".
func (f *Fake) FailNextOn(path string, n, status int, reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.failures = append(f.failures, failure{path, status, reason})
	}
}

// failure returns, and forgets, the first injected failure for a request
// to path. Callers hold f.mu.
func (f *Fake) failure(path string) (failure, bool) {
	for i, fl := range f.failures {
		if fl.path == "" || fl.path == path {
			f.failures = append(f.failures[:i], f.failures[i+1:]...)
			return fl, true
		}
	}
	return failure{}, false
}

// DropInsertResponses makes the next n replies Parley posts be stored but
// answered 503 backendError, as when an answer is lost on the way.
func (f *Fake) DropInsertResponses(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.drops = n
}

// DisableComments turns comments off on a video: replies to its comments
// are refused with commentsDisabled.
func (f *Fake) DisableComments(videoID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.disabled[videoID] = true
}

// RevokeAccessTokens makes every access token issued so far invalid, as
// when they expire: requests with them are answered 401.
func (f *Fake) RevokeAccessTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.tokens)
}

// RevokeRefreshToken makes the token endpoint refuse the refresh token
// with invalid_grant, as after the owner removed the app's access.
func (f *Fake) RevokeRefreshToken() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revoked = true
	clear(f.tokens)
}

// validText reports whether text is a comment YouTube takes.
func validText(text string) (ok bool, reason string) {
	switch {
	case text == "":
		return false, "commentTextRequired"
	case utf8.RuneCountInString(text) > MaxTextChars:
		return false, "commentTextTooLong"
	}
	return true, ""
}
