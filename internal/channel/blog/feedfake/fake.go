// Package feedfake is a local stand-in for a blog's feeds, for tests and
// demos: a WordPress-like site whose posts and comments are served as RSS
// 2.0 and Atom 1.0, at WordPress's addresses and in the shapes of its feed
// templates (wp-includes/feed-rss2.php, feed-rss2-comments.php,
// feed-atom.php, feed-atom-comments.php), with conditional GET answered as
// a web server answers it (ETag, Last-Modified, 304).
//
//	f := feedfake.New()
//	srv := httptest.NewServer(f.Handler())  // feeds at srv.URL + feedfake.CommentsRSS, …
//	post := f.Post(feedfake.Post{Author: "Acme", Title: "Release notes", HTML: "<p>…</p>"})
//	…                                       // Parley polls (the baseline)
//	f.Comment(feedfake.Comment{PostID: post.ID, Author: "Jane", HTML: "<p>Acme's link is broken</p>"})
//	…                                       // Parley polls again: the comment is new
//	f.Requests()                            // what Parley asked, with its validators
//
// Serve, Gone, Move and Fail shape how a path answers: a document of the
// test's own (a JSON Feed, a hostile one), 410, a redirect, or errors with
// Retry-After.
package feedfake

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The feeds' paths, WordPress's with pretty permalinks.
const (
	PostsRSS     = "/feed/"
	PostsAtom    = "/feed/atom/"
	CommentsRSS  = "/comments/feed/"
	CommentsAtom = "/comments/feed/atom/"
)

// Defaults.
const (
	// DefaultSite is the site's address as its feeds write it (WordPress's
	// home URL): links and guids use it whatever address serves the fake.
	DefaultSite  = "https://blog.acme.test"
	DefaultTitle = "Acme Blog"
	// DefaultItems is how many items a feed holds: WordPress's
	// posts_per_rss option defaults to 10.
	DefaultItems = 10
)

// Fake is a blog. Set its fields before serving; after that use its
// methods, which are safe for concurrent use.
type Fake struct {
	// Site is the blog's address in links and guids; New sets DefaultSite.
	Site string
	// Title is the blog's name; New sets DefaultTitle.
	Title string
	// Items is how many items, newest first, a feed holds; New sets
	// DefaultItems.
	Items int
	// Now is the fake's clock for dates; nil means time.Now.
	Now func() time.Time

	mu       sync.Mutex
	posts    []*post
	comments []*comment
	// Each kind's feeds change together: version counts the changes, for
	// the ETag, and changed is the last one's time, for Last-Modified.
	postsVersion, commentsVersion int
	postsChanged, commentsChanged time.Time
	paths                         map[string]*override
	serves                        int
	requests                      []Request
}

// New returns an empty blog at DefaultSite.
func New() *Fake {
	return &Fake{Site: DefaultSite, Title: DefaultTitle, Items: DefaultItems, paths: map[string]*override{}}
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now().UTC()
	}
	return time.Now().UTC()
}

// Post is a blog post to publish.
type Post struct {
	Author string
	Title  string
	// HTML is the post's content; its excerpt, the feeds' summary, is
	// Summary when set, else the content's first 55 words as WordPress
	// makes it, roughly.
	HTML    string
	Summary string
	// Enclosures are files attached to the post (a podcast episode).
	Enclosures []Enclosure
}

// Enclosure is a file attached to a post.
type Enclosure struct {
	URL    string
	Type   string
	Length int64
}

// Comment is a comment to leave on a post.
type Comment struct {
	PostID int
	// ParentID is the comment answered, 0 for a top-level comment.
	ParentID  int
	Author    string
	AuthorURL string
	HTML      string
}

// Item is what Post or Comment published: its id on the site, and its
// guid and link as the feeds write them.
type Item struct {
	ID   int
	GUID string
	Link string
}

type post struct {
	Post
	id   int
	slug string
	at   time.Time
}

type comment struct {
	Comment
	id int
	at time.Time
}

// Post publishes a post, dated now, and returns it. Its guid is
// "<site>/?p=<id>", as WordPress writes a post's guid.
func (f *Fake) Post(p Post) Item {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	id := 100 + len(f.posts)*7
	ps := &post{Post: p, id: id, slug: slug(p.Title, id), at: now}
	f.posts = append(f.posts, ps)
	f.postsVersion++
	f.postsChanged = now
	// A post's comment count is in the posts feeds, and a new post is in
	// none of the comment feeds, so only the posts change.
	return Item{ID: id, GUID: f.postGUID(ps), Link: f.postLink(ps)}
}

// Comment leaves an approved comment, dated now, on a post and returns it;
// its guid is the post's and "#comment-<id>", as WordPress writes it. It
// panics for a post that does not exist: a mistake in the test.
func (f *Fake) Comment(c Comment) Item {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.post(c.PostID)
	if p == nil {
		panic("feedfake: Comment on post " + strconv.Itoa(c.PostID) + ", which does not exist")
	}
	now := f.now()
	cm := &comment{Comment: c, id: 500 + len(f.comments), at: now}
	f.comments = append(f.comments, cm)
	f.commentsVersion++
	f.commentsChanged = now
	f.postsVersion++ // the post's comment count changed
	f.postsChanged = now
	return Item{ID: cm.id, GUID: f.postGUID(p) + "#comment-" + strconv.Itoa(cm.id), Link: f.postLink(p) + "#comment-" + strconv.Itoa(cm.id)}
}

func (f *Fake) post(id int) *post {
	for _, p := range f.posts {
		if p.id == id {
			return p
		}
	}
	return nil
}

func (f *Fake) commentByID(id int) *comment {
	for _, c := range f.comments {
		if c.id == id {
			return c
		}
	}
	return nil
}

func (f *Fake) postGUID(p *post) string { return f.Site + "/?p=" + strconv.Itoa(p.id) }
func (f *Fake) postLink(p *post) string { return f.Site + "/" + p.slug + "/" }

// Request is a request the fake answered.
type Request struct {
	Path            string
	IfNoneMatch     string
	IfModifiedSince string
	UserAgent       string
	Status          int
}

// Requests returns the requests answered so far, oldest first.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// override is how a path answers instead of its feed.
type override struct {
	body        []byte // a document of the test's own
	contentType string
	etag        string
	modified    time.Time
	gone        bool
	moveTo      string
	moveStatus  int
	failures    int
	failStatus  int
	retryAfter  time.Duration
}

func (f *Fake) override(path string) *override {
	o := f.paths[path]
	if o == nil {
		o = &override{}
		f.paths[path] = o
	}
	return o
}

// Serve makes path serve body, with its content type, an ETag and a
// Last-Modified of now; serving another body changes both.
func (f *Fake) Serve(path, contentType string, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.override(path)
	o.body, o.contentType = append([]byte(nil), body...), contentType
	f.serves++
	o.etag = `"raw-` + strconv.Itoa(f.serves) + `"`
	o.modified = f.now()
}

// Gone makes path answer 410 Gone from now on.
func (f *Fake) Gone(path string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.override(path).gone = true
}

// Move makes path redirect to to (a path or an address): with 301 when
// permanent, else 302.
func (f *Fake) Move(path, to string, permanent bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.override(path)
	o.moveTo, o.moveStatus = to, http.StatusFound
	if permanent {
		o.moveStatus = http.StatusMovedPermanently
	}
}

// Fail makes the next n requests for path fail with status (429 or 503,
// say), with a Retry-After of retryAfter when it is positive.
func (f *Fake) Fail(path string, n, status int, retryAfter time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.override(path)
	o.failures, o.failStatus, o.retryAfter = n, status, retryAfter
}
