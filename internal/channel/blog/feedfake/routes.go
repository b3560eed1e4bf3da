package feedfake

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Handler serves the blog's feeds at PostsRSS, PostsAtom, CommentsRSS and
// CommentsAtom, and whatever Serve put at other paths; anything else is
// WordPress's 404 page.
func (f *Fake) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", f.serve)
	return mux
}

// Content types WordPress sends (feed_content_type).
const (
	rssType  = "application/rss+xml; charset=UTF-8"
	atomType = "application/atom+xml; charset=UTF-8"
)

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	status := f.answer(w, r)
	f.requests = append(f.requests, Request{Path: r.URL.Path, IfNoneMatch: r.Header.Get("If-None-Match"),
		IfModifiedSince: r.Header.Get("If-Modified-Since"), UserAgent: r.UserAgent(), Status: status})
}

// answer writes the answer to r and returns its status. Callers hold f.mu.
func (f *Fake) answer(w http.ResponseWriter, r *http.Request) int {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return http.StatusMethodNotAllowed
	}
	if o := f.paths[r.URL.Path]; o != nil {
		switch {
		case o.failures > 0:
			o.failures--
			if o.retryAfter > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(int((o.retryAfter+time.Second-1)/time.Second)))
			}
			http.Error(w, http.StatusText(o.failStatus), o.failStatus)
			return o.failStatus
		case o.gone:
			http.Error(w, "Gone", http.StatusGone)
			return http.StatusGone
		case o.moveTo != "":
			http.Redirect(w, r, o.moveTo, o.moveStatus)
			return o.moveStatus
		case o.body != nil:
			return write(w, r, o.contentType, o.etag, o.modified, func() []byte { return o.body })
		}
	}
	switch r.URL.Path {
	case PostsRSS:
		return write(w, r, rssType, etag("posts-rss", f.postsVersion), f.postsChanged, f.postsRSS)
	case PostsAtom:
		return write(w, r, atomType, etag("posts-atom", f.postsVersion), f.postsChanged, f.postsAtom)
	case CommentsRSS:
		return write(w, r, rssType, etag("comments-rss", f.commentsVersion), f.commentsChanged, f.commentsRSS)
	case CommentsAtom:
		return write(w, r, atomType, etag("comments-atom", f.commentsVersion), f.commentsChanged, f.commentsAtom)
	}
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("<!doctype html><title>Page not found – " + esc(f.Title) + "</title><h1>Oops! That page can’t be found.</h1>\n"))
	return http.StatusNotFound
}

func etag(kind string, version int) string { return `"` + kind + "-" + strconv.Itoa(version) + `"` }

// write answers a conditional GET of a document (RFC 9110 §13.2.2):
// If-None-Match when present, else If-Modified-Since, decides a 304.
func write(w http.ResponseWriter, r *http.Request, contentType, tag string, modified time.Time, body func() []byte) int {
	h := w.Header()
	h.Set("ETag", tag)
	if !modified.IsZero() {
		h.Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	}
	if notModified(r, tag, modified) {
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified
	}
	h.Set("Content-Type", contentType)
	b := body()
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
	return http.StatusOK
}

// notModified evaluates the request's preconditions against the
// document's validators, with the weak comparison If-None-Match uses.
func notModified(r *http.Request, tag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(tag, "W/") {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !modified.IsZero() {
		if t, err := http.ParseTime(ims); err == nil {
			return !modified.Truncate(time.Second).After(t)
		}
	}
	return false
}
