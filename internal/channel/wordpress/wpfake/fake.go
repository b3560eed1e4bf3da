// Package wpfake is a local stand-in for a WordPress site, for tests and
// demos: the REST API's comment endpoints and the current user, at
// /wp-json/wp/v2/… and at /?rest_route=/wp/v2/… (the route that works
// without pretty permalinks), with Application Passwords over HTTP Basic
// authentication, comment statuses, WordPress's error bodies and codes
// ({"code":"rest_…","message":…,"data":{"status":…}}), its duplicate
// check, and the after parameter compared with the comment's date in the
// site's time zone, as WP_Comment_Query compares it.
//
//	f := wpfake.New()
//	srv := httptest.NewServer(f.Handler())  // the inbox's site_url
//	post := f.AddPost("Release notes")
//	id := f.Comment(wpfake.Visitor{PostID: post, Name: "Jane", Email: "jane@example.com", Text: "The link is broken"})
//	…                                       // Parley polls, replies, moderates
//	f.Replies()                             // the comments Parley posted
//	f.Moderations()                         // what Parley hid, approved, trashed
//
// The site's user for Parley is DefaultUsername with DefaultAppPassword, an
// Editor. FailNext makes the next requests fail (429 or 503, with
// Retry-After); LoseNextReply stores the next comment posted but answers
// 502, as a gateway timing out would, so that the retry meets the
// duplicate check.
package wpfake

import (
	"slices"
	"sync"
	"time"
)

// Defaults.
const (
	DefaultSite  = "https://blog.acme.test"
	DefaultTitle = "Acme Blog"
	// DefaultUsername and DefaultAppPassword are the Editor Parley acts
	// as; the password is written as WordPress shows it.
	DefaultUsername    = "parley"
	DefaultAppPassword = "Wf4k eP4s 5w0r d0fT weNt yF0u"
	DefaultUserID      = 2
)

// Fake is a WordPress site. Set its fields before serving; after that use
// its methods, which are safe for concurrent use.
type Fake struct {
	// Site is the site's address in links and headers; New sets
	// DefaultSite. The fake answers at whatever address serves it.
	Site  string
	Title string
	// Location is the site's time zone (Settings > General): comments'
	// date field and the after and before parameters are in it. New sets
	// UTC.
	Location *time.Location
	// PrettyPermalinks: when false, /wp-json/… answers the site's 404
	// page and only /?rest_route=… reaches the API. New sets true.
	PrettyPermalinks bool
	// TrashDisabled is EMPTY_TRASH_DAYS set to 0: deleting without force
	// answers 501 rest_trash_not_supported.
	TrashDisabled bool
	// DropAuthorization is a web server that does not hand the
	// Authorization header to PHP (Apache running PHP as CGI or FastCGI
	// without a rule passing it on): every request reaches WordPress
	// anonymous.
	DropAuthorization bool
	// AppPasswordsDisabled is a site whose Application Passwords are off
	// (wp_is_application_passwords_available: a site not served over
	// HTTPS, or a plugin or filter turning them off).
	AppPasswordsDisabled bool
	// Now is the fake's clock; nil means time.Now.
	Now func() time.Time

	mu          sync.Mutex
	users       []*User
	posts       []*post
	comments    []*Comment
	seq         int
	moderations []Moderation
	requests    []Request
	failures    int
	failStatus  int
	retryAfter  time.Duration
	lose        int
}

// User is a registered user of the site.
type User struct {
	ID       int
	Username string
	Name     string
	Email    string
	// AppPassword is the user's Application Password as WordPress shows
	// it; spaces are ignored, as WordPress ignores them. "" means none.
	AppPassword string
	// Moderator is true for an Editor or Administrator: a user who can
	// moderate comments and edit posts.
	Moderator bool
}

type post struct {
	id     int
	title  string
	slug   string
	closed bool
}

// Comment is a comment as stored.
type Comment struct {
	ID       int
	PostID   int
	ParentID int
	// UserID is the registered user who wrote it, 0 for a guest.
	UserID      int
	AuthorName  string
	AuthorEmail string
	AuthorURL   string
	// Content is the comment as stored (content.raw): HTML.
	Content string
	// Status is "approved", "hold", "spam" or "trash".
	Status  string
	DateGMT time.Time
	// ViaAPI is true for a comment created through the REST API.
	ViaAPI bool
}

// New returns a site with an administrator (user 1) and the Editor Parley
// acts as (DefaultUserID), no posts and no comments.
func New() *Fake {
	f := &Fake{Site: DefaultSite, Title: DefaultTitle, Location: time.UTC, PrettyPermalinks: true}
	f.users = []*User{
		{ID: 1, Username: "admin", Name: "Site Admin", Email: "admin@acme.test", Moderator: true},
		{ID: DefaultUserID, Username: DefaultUsername, Name: "Acme Support", Email: "support@acme.test", AppPassword: DefaultAppPassword, Moderator: true},
	}
	f.seq = 100
	return f
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now().UTC().Truncate(time.Second)
	}
	return time.Now().UTC().Truncate(time.Second)
}

func (f *Fake) loc() *time.Location {
	if f.Location == nil {
		return time.UTC
	}
	return f.Location
}

// AddUser registers a user, giving it the next id when its ID is 0, and
// returns it.
func (f *Fake) AddUser(u User) User {
	f.mu.Lock()
	defer f.mu.Unlock()
	if u.ID == 0 {
		for _, x := range f.users {
			u.ID = max(u.ID, x.ID)
		}
		u.ID++
	}
	f.users = append(f.users, &u)
	return u
}

// AddPost publishes a post open to comments and returns its id.
func (f *Fake) AddPost(title string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	p := &post{id: f.seq, title: title, slug: slug(title, f.seq)}
	f.posts = append(f.posts, p)
	return p.id
}

// CloseComments closes a post to comments.
func (f *Fake) CloseComments(postID int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := f.post(postID); p != nil {
		p.closed = true
	}
}

// Visitor is a comment someone leaves on the site.
type Visitor struct {
	PostID   int
	ParentID int
	// Name, Email and URL are what a guest types in the form; for a
	// registered user (UserID) they default to the user's.
	Name, Email, URL string
	UserID           int
	// Text is the comment as typed; WordPress stores it as HTML.
	Text string
	// Held leaves it held for moderation instead of approved.
	Held bool
}

// Comment stores a comment, dated now, and returns its id. It panics for
// a post that does not exist: a mistake in the test.
func (f *Fake) Comment(v Visitor) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.post(v.PostID) == nil {
		panic("wpfake: Comment on a post that does not exist")
	}
	c := &Comment{PostID: v.PostID, ParentID: v.ParentID, UserID: v.UserID, AuthorName: v.Name, AuthorEmail: v.Email,
		AuthorURL: v.URL, Content: v.Text, Status: "approved", DateGMT: f.now()}
	if u := f.user(v.UserID); u != nil {
		c.AuthorName, c.AuthorEmail = or(c.AuthorName, u.Name), or(c.AuthorEmail, u.Email)
	}
	if v.Held {
		c.Status = "hold"
	}
	f.insert(c)
	return c.ID
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// insert gives c the next id and stores it. Callers hold f.mu.
func (f *Fake) insert(c *Comment) {
	f.seq++
	c.ID = f.seq
	f.comments = append(f.comments, c)
}

// Comments returns every comment stored, by id.
func (f *Fake) Comments() []Comment {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Comment, len(f.comments))
	for i, c := range f.comments {
		out[i] = *c
	}
	return out
}

// Get returns comment id.
func (f *Fake) Get(id int) (Comment, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.comment(id); c != nil {
		return *c, true
	}
	return Comment{}, false
}

// Replies returns the comments created through the REST API, by id.
func (f *Fake) Replies() []Comment {
	var out []Comment
	for _, c := range f.Comments() {
		if c.ViaAPI {
			out = append(out, c)
		}
	}
	return out
}

// Moderation is a change of a comment's status through the API.
type Moderation struct {
	CommentID int
	// Status is the new status, or "deleted".
	Status string
	By     string // the user's login name
}

// Moderations returns the status changes made through the API, oldest
// first.
func (f *Fake) Moderations() []Moderation {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.moderations)
}

// Request is an API request the fake answered.
type Request struct {
	Method string
	// Route is the REST route, "/wp/v2/comments"; Pretty says whether it
	// came as /wp-json/… (else as ?rest_route=).
	Route  string
	Pretty bool
	Query  string
	User   string
	Status int
}

// Requests returns the requests answered so far, oldest first.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

// FailNext makes the next n API requests fail with status (429, 503…),
// with a Retry-After of retryAfter when it is positive.
func (f *Fake) FailNext(n, status int, retryAfter time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures, f.failStatus, f.retryAfter = n, status, retryAfter
}

// LoseNextReply makes the next comment created through the API stored
// but answered with 502 Bad Gateway.
func (f *Fake) LoseNextReply() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lose++
}

func (f *Fake) post(id int) *post {
	for _, p := range f.posts {
		if p.id == id {
			return p
		}
	}
	return nil
}

func (f *Fake) comment(id int) *Comment {
	for _, c := range f.comments {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func (f *Fake) user(id int) *User {
	for _, u := range f.users {
		if u.ID == id && id != 0 {
			return u
		}
	}
	return nil
}
