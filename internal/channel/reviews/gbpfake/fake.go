// Package gbpfake is a local stand-in for Google Business Profile's reviews
// API (My Business API v4) and Google's OAuth token endpoint, for tests and
// demos. It holds one verified location with its reviews, and speaks the
// documented wire format: the paths under /v4/accounts/*/locations/*/reviews,
// ListReviewsResponse with averageRating, totalReviewCount and
// nextPageToken, ReviewReply for PUT and DELETE on …/reviews/*/reply, the
// refresh-token grant at /token, bearer tokens that expire, and Google's
// JSON errors (UNAUTHENTICATED, NOT_FOUND, INVALID_ARGUMENT,
// FAILED_PRECONDITION, RESOURCE_EXHAUSTED, UNAVAILABLE).
//
//	f := gbpfake.New()
//	srv := httptest.NewServer(f.Handler())   // the inbox's api_base; token_url is srv.URL + "/token"
//	name := f.Review(gbpfake.ReviewInput{Reviewer: gbpfake.Reviewer{Name: "Jane Doe"}, Stars: 2, Comment: "Slow service"})
//	…                                        // Parley polls, and replies
//	f.Calls()                                // what Parley did to replies
//	f.Reply(name)                            // the reply Google now shows
//
// Customers play with Review, Edit and Remove; the business's staff replying
// in Google's own tools (outside Parley) with OwnerReply and
// DeleteOwnerReply. Reviews, Reply, Calls and ListQueries show what the
// location holds and what Parley asked. Throttle spends the project's
// per-minute quota (429 RESOURCE_EXHAUSTED), FailNext makes requests fail
// with 503 UNAVAILABLE, SetVerified(false) makes the location unverified
// (400 FAILED_PRECONDITION), ExpireTokens expires every access token (401)
// and Revoke the refresh token (invalid_grant). ModerateReplies gives the
// replies set from then on Google's moderation verdict (reviewReplyState,
// policyViolation).
//
// Two behaviours of the real API are not documented and the fake assumes
// them: a reply does not change its review's updateTime, and
// nextPageToken is an offset into the list as ordered when it is read.
package gbpfake

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of New: a location shaped like a real one, and an OAuth client
// holding a refresh token for it.
const (
	DefaultAccountID    = "108123456789012345678"
	DefaultLocationID   = "7312345678901234567"
	DefaultClientID     = "123456789012-gbpfake.apps.googleusercontent.com"
	DefaultClientSecret = "GOCSPX-gbpfake-client-secret"
	DefaultRefreshToken = "1//0gbpfake-refresh-token"
	// Scope is the OAuth scope the API requires.
	Scope = "https://www.googleapis.com/auth/business.manage"
)

// Limits of the API as documented.
const (
	// MaxPageSize is reviews.list's largest pageSize; the fake also uses
	// it when none is given.
	MaxPageSize = 50
	// MaxReplyBytes is ReviewReply.comment's limit: "The maximum length is
	// 4096 bytes."
	MaxReplyBytes = 4096
	// QuotaPerMinute is the default per-project quota, 300 requests a
	// minute (developers.google.com/my-business/content/limits).
	QuotaPerMinute = 300
	// TokenLifetime is how long an access token lives, as Google issues
	// them (expires_in 3599).
	TokenLifetime = 3599 * time.Second
)

// Fake is one Business Profile location and its OAuth client. Set its
// fields before serving requests; after that, use its methods, which are
// safe for concurrent use.
type Fake struct {
	// ClientID, ClientSecret and RefreshToken are what the token endpoint
	// accepts; New sets the defaults.
	ClientID, ClientSecret, RefreshToken string
	// Location is the location's resource name,
	// accounts/{accountId}/locations/{locationId}.
	Location string
	// Now is the fake's clock; nil means time.Now.
	Now func() time.Time

	mu          sync.Mutex
	seq         int
	reviews     map[string]*review // by name
	tokens      map[string]time.Time
	issued      int
	calls       []Call
	queries     []string
	unverified  bool
	revoked     bool
	failures    int
	window      time.Time
	used        int
	quotaErrors int
	// replyState and replyViolation are given to every reply set from now
	// on (ModerateReplies).
	replyState, replyViolation string
}

// New returns a verified location, DefaultLocationID of DefaultAccountID,
// with no reviews, and an OAuth client holding DefaultRefreshToken.
func New() *Fake {
	return &Fake{
		ClientID: DefaultClientID, ClientSecret: DefaultClientSecret, RefreshToken: DefaultRefreshToken,
		Location: "accounts/" + DefaultAccountID + "/locations/" + DefaultLocationID,
		reviews:  map[string]*review{}, tokens: map[string]time.Time{},
	}
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now().UTC()
	}
	return time.Now().UTC()
}

// review is a stored review.
type review struct {
	name, id string
	reviewer Reviewer
	stars    int
	comment  string
	created  time.Time
	updated  time.Time
	reply    *reply
	media    []Media
}

type reply struct {
	comment string
	updated time.Time
	// state and violation are the reply's reviewReplyState and
	// policyViolation, "" when the fake leaves them out.
	state, violation string
}

// Reviewer is who writes a review.
type Reviewer struct {
	// Name is the reviewer's display name.
	Name string
	// PhotoURL is their profile photo; "" gives one derived from Name,
	// as every Google account has one.
	PhotoURL string
	// Anonymous hides the reviewer: Google then shows "A Google User"
	// without a photo.
	Anonymous bool
}

// ReviewInput is a review a customer posts.
type ReviewInput struct {
	Reviewer Reviewer
	// Stars is the rating, 1 to 5; 0 sends STAR_RATING_UNSPECIFIED.
	Stars int
	// Comment is the review's text; "" is a rating without one.
	Comment string
	// Translation, when set, is Google's translation of Comment: the
	// comment is then served as Google serves a review written in another
	// language than the business's, "(Translated by Google) …\n\n(Original)\n…".
	Translation string
	// At is when the review was written; zero means now. A time in the
	// past plays a review that Google publishes late, after its checks.
	At time.Time
	// Media are the photos and videos posted with the review, served as
	// its reviewMediaItems.
	Media []Media
}

// Media is a photo or video of a review, a ReviewMediaItem: its thumbnail
// image's URL, and for a video the video's.
type Media struct {
	ThumbnailURL string
	VideoURL     string
}

// Review stores a customer's review and returns its resource name.
func (f *Fake) Review(in ReviewInput) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	at := in.At.UTC()
	if in.At.IsZero() {
		at = f.now()
	}
	// Review ids are opaque, "encrypted" base64url strings.
	id := "AbFvOq" + base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("gbpfake-review-%06d", f.seq)))
	r := &review{name: f.Location + "/reviews/" + id, id: id, reviewer: in.Reviewer, stars: in.Stars,
		comment: wrap(in.Comment, in.Translation), created: at, updated: at, media: slices.Clone(in.Media)}
	f.reviews[r.name] = r
	return r.name
}

// wrap writes a comment as Google serves a translated one.
func wrap(comment, translation string) string {
	if translation == "" || comment == "" {
		return comment
	}
	return "(Translated by Google) " + translation + "\n\n(Original)\n" + comment
}

// Edit changes a review as its author does: new stars and text, and a new
// updateTime. It returns an error for an unknown review.
func (f *Fake) Edit(name string, stars int, comment string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.reviews[name]
	if !ok {
		return fmt.Errorf("gbpfake: no review %s", name)
	}
	r.stars, r.comment, r.updated = stars, comment, f.now()
	return nil
}

// Remove deletes a review, as its author (or Google) does.
func (f *Fake) Remove(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.reviews, name)
}

// OwnerReply replies to a review as the business's staff do in Google's
// own tools, outside Parley, replacing any reply.
func (f *Fake) OwnerReply(name, comment string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.reviews[name]
	if !ok {
		return fmt.Errorf("gbpfake: no review %s", name)
	}
	r.reply = &reply{comment: comment, updated: f.now(), state: f.replyState, violation: f.replyViolation}
	return nil
}

// ModerateReplies makes Google's moderation of replies answer state, the
// output-only reviewReplyState ("PENDING", "APPROVED", "REJECTED"), with
// the policyViolation given (for REJECTED, e.g. "PERSONAL_INFORMATION";
// "" for none), for every reply set from now on, by Parley or by
// OwnerReply. A REJECTED reply is kept, and served with its state, as
// Google keeps it; Reply does not count it as shown. "" leaves both out,
// as the fake does by default.
func (f *Fake) ModerateReplies(state, violation string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replyState, f.replyViolation = state, violation
}

// DeleteOwnerReply deletes a review's reply outside Parley.
func (f *Fake) DeleteOwnerReply(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.reviews[name]; ok {
		r.reply = nil
	}
}

// Reply returns the reply a review shows now; ok is false when it has none.
func (f *Fake) Reply(name string) (comment string, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, found := f.reviews[name]
	if !found || r.reply == nil || r.reply.state == "REJECTED" {
		return "", false
	}
	return r.reply.comment, true
}

// Review is a review as the fake holds it.
type Review struct {
	Name      string
	Reviewer  Reviewer
	Stars     int
	Comment   string // as served, translation envelope included
	Created   time.Time
	Updated   time.Time
	Reply     string // "" for none
	ReplyTime time.Time
}

// Reviews returns the location's reviews, newest updateTime first.
func (f *Fake) Reviews() []Review {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Review, 0, len(f.reviews))
	for _, r := range f.reviews {
		v := Review{Name: r.name, Reviewer: r.reviewer, Stars: r.stars, Comment: r.comment, Created: r.created, Updated: r.updated}
		if r.reply != nil {
			v.Reply, v.ReplyTime = r.reply.comment, r.reply.updated
		}
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b Review) int { return cmp.Or(b.Updated.Compare(a.Updated), strings.Compare(a.Name, b.Name)) })
	return out
}

// Call is a request Parley made to a review's reply.
type Call struct {
	// Method is PUT (reply, or replace the reply) or DELETE.
	Method string
	// Review is the review's resource name.
	Review string
	// Comment is the reply's text, for a PUT.
	Comment string
	// Status is the HTTP status the fake answered.
	Status int
	At     time.Time
}

// Calls returns the reply requests served so far, oldest first.
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// ListQueries returns the query strings of the reviews.list requests
// served so far.
func (f *Fake) ListQueries() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.queries...)
}

// TokensIssued is how many access tokens the token endpoint issued.
func (f *Fake) TokensIssued() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.issued
}

// ExpireTokens expires every access token issued so far: the next API
// request with one is answered 401 UNAUTHENTICATED.
func (f *Fake) ExpireTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for t := range f.tokens {
		f.tokens[t] = time.Time{}
	}
}

// Revoke revokes the refresh token, as its owner removing Parley's access
// does: the token endpoint answers invalid_grant from then on.
func (f *Fake) Revoke() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revoked = true
}

// SetVerified makes the location verified (the default) or not; the API
// refuses to serve an unverified location's reviews.
func (f *Fake) SetVerified(v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.unverified = !v
}

// Throttle makes the next n API requests fail with 429
// RESOURCE_EXHAUSTED, as when the project's per-minute quota is spent.
func (f *Fake) Throttle(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.quotaErrors = n
}

// FailNext makes the next n API requests fail with 503 UNAVAILABLE.
func (f *Fake) FailNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = n
}

// admit counts an API request against the quota and the failures asked
// for; it returns the status to fail with, 0 for none.
func (f *Fake) admit() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if f.window.IsZero() || !now.Before(f.window.Add(time.Minute)) {
		f.window, f.used = now.Truncate(time.Minute), 0
	}
	switch {
	case f.quotaErrors > 0:
		f.quotaErrors--
		return http.StatusTooManyRequests
	case f.used >= QuotaPerMinute:
		return http.StatusTooManyRequests
	case f.failures > 0:
		f.failures--
		return http.StatusServiceUnavailable
	}
	f.used++
	return 0
}

func (f *Fake) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return "gbpfake(" + f.Location + ", " + strconv.Itoa(len(f.reviews)) + " reviews)"
}
