package wpfake

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Handler serves the REST API at /wp-json/… (with pretty permalinks) and
// at /?rest_route=… (always), and the site's 404 page elsewhere.
func (f *Fake) Handler() http.Handler {
	return http.HandlerFunc(f.serve)
}

// call is one API request, decoded.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	route string
	user  *User // nil for an anonymous request
	body  []byte
}

var commentRoute = regexp.MustCompile(`^/wp/v2/comments/([0-9]+)$`)

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	route, pretty := "", false
	switch {
	case strings.HasPrefix(r.URL.Path, "/wp-json/") || r.URL.Path == "/wp-json":
		if !f.PrettyPermalinks {
			f.notFoundPage(w)
			return
		}
		route, pretty = "/"+strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/wp-json"), "/"), true
	case r.URL.Path == "/" && r.URL.Query().Has("rest_route"):
		route = "/" + strings.TrimPrefix(r.URL.Query().Get("rest_route"), "/")
	default:
		f.notFoundPage(w)
		return
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	c := &call{w: rec, r: r, route: strings.TrimRight(route, "/")}
	if c.route == "" {
		c.route = "/"
	}
	req := Request{Method: r.Method, Route: c.route, Pretty: pretty, Query: r.URL.RawQuery}
	defer func() {
		req.Status = rec.status
		f.requests = append(f.requests, req)
	}()
	if f.failures > 0 {
		f.failures--
		if f.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int((f.retryAfter+time.Second-1)/time.Second)))
		}
		rec.Header().Set("Content-Type", "text/html; charset=UTF-8")
		rec.WriteHeader(f.failStatus)
		_, _ = io.WriteString(rec, "<html><body><h1>"+strconv.Itoa(f.failStatus)+" "+http.StatusText(f.failStatus)+"</h1></body></html>\n")
		return
	}
	if ok := f.authenticate(c); !ok {
		return
	}
	if c.user != nil {
		req.User = c.user.Username
	}
	c.body, _ = io.ReadAll(io.LimitReader(r.Body, 1<<20))
	method := r.Method
	if m := r.Header.Get("X-HTTP-Method-Override"); m != "" && method == http.MethodPost {
		method = strings.ToUpper(m)
	}
	switch m := commentRoute.FindStringSubmatch(c.route); {
	case c.route == "/":
		f.index(c)
	case c.route == "/wp/v2/users/me" && method == http.MethodGet:
		f.usersMe(c)
	case c.route == "/wp/v2/comments" && method == http.MethodGet:
		f.listComments(c)
	case c.route == "/wp/v2/comments" && method == http.MethodPost:
		f.createComment(c)
	case m != nil:
		id, _ := strconv.Atoi(m[1])
		switch method {
		case http.MethodGet:
			f.getComment(c, id)
		case http.MethodPost, http.MethodPut, http.MethodPatch:
			f.updateComment(c, id)
		case http.MethodDelete:
			f.deleteComment(c, id)
		default:
			writeError(c.w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
		}
	default:
		writeError(c.w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
	}
}

// statusRecorder remembers the status written.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// notFoundPage is the theme's 404 page, what a site without pretty
// permalinks answers for /wp-json/….
func (f *Fake) notFoundPage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, "<!DOCTYPE html><html><head><title>Page not found &#8211; "+f.Title+"</title></head><body><h1>Oops! That page can&rsquo;t be found.</h1></body></html>\n")
}

// authenticate reads HTTP Basic credentials as WordPress reads an
// Application Password (wp_authenticate_application_password): the user
// by login name or email, the password without its spaces. Without
// credentials the request is anonymous. It writes the error and returns
// false when the credentials are wrong.
func (f *Fake) authenticate(c *call) bool {
	h := c.r.Header.Get("Authorization")
	if h == "" || f.DropAuthorization {
		return true
	}
	user, pass, ok := parseBasic(h)
	if !ok {
		writeError(c.w, http.StatusUnauthorized, "invalid_username", "Unknown username. Check again or try your email address.")
		return false
	}
	for _, u := range f.users {
		if !strings.EqualFold(u.Username, user) && !strings.EqualFold(u.Email, user) {
			continue
		}
		if f.AppPasswordsDisabled {
			// wp_authenticate_application_password's error, to which
			// rest_application_password_check_errors adds status 401.
			writeError(c.w, http.StatusUnauthorized, "application_passwords_disabled", "Application passwords are not available.")
			return false
		}
		if u.AppPassword == "" || strip(u.AppPassword) != strip(pass) {
			writeError(c.w, http.StatusUnauthorized, "incorrect_password", "The provided password is an invalid application password.")
			return false
		}
		c.user = u
		return true
	}
	writeError(c.w, http.StatusUnauthorized, "invalid_username", "Unknown username. Check again or try your email address.")
	return false
}

func parseBasic(h string) (user, pass string, ok bool) {
	const prefix = "Basic "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", "", false
	}
	b, err := base64.StdEncoding.DecodeString(h[len(prefix):])
	if err != nil {
		return "", "", false
	}
	user, pass, ok = strings.Cut(string(b), ":")
	return user, pass, ok
}

// strip drops everything but letters and digits from an Application
// Password.
func strip(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// writeError writes WordPress's error body: WP_Error as the REST server
// sends it.
func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"code": code, "message": message, "data": map[string]any{"status": status}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// index is the API's index, GET /wp-json/.
func (f *Fake) index(c *call) {
	_, offset := f.now().In(f.loc()).Zone()
	writeJSON(c.w, http.StatusOK, map[string]any{
		"name": f.Title, "description": "", "url": f.Site, "home": f.Site,
		"gmt_offset": float64(offset) / 3600, "timezone_string": f.loc().String(),
		"namespaces":     []string{"oembed/1.0", "wp/v2", "wp-site-health/v1"},
		"authentication": map[string]any{"application-passwords": map[string]any{"endpoints": map[string]any{"authorization": f.Site + "/wp-admin/authorize-application.php"}}},
		"routes":         map[string]any{},
	})
}

// usersMe is GET /wp/v2/users/me.
func (f *Fake) usersMe(c *call) {
	if c.user == nil {
		writeError(c.w, http.StatusUnauthorized, "rest_not_logged_in", "You are not currently logged in.")
		return
	}
	u := c.user
	role := "subscriber"
	caps := map[string]bool{"read": true, "level_0": true}
	if u.Moderator {
		role = "editor"
		caps = map[string]bool{"read": true, "edit_posts": true, "moderate_comments": true, "edit_others_posts": true, "publish_posts": true, "level_7": true, "editor": true}
	}
	v := map[string]any{"id": u.ID, "name": u.Name, "url": "", "description": "", "link": f.Site + "/author/" + u.Username + "/", "slug": u.Username,
		"avatar_urls": map[string]string{"24": "https://secure.gravatar.com/avatar/?s=24&d=mm&r=g"}}
	if c.r.URL.Query().Get("context") == "edit" {
		v["username"], v["email"], v["roles"], v["capabilities"] = u.Username, u.Email, []string{role}, caps
	}
	writeJSON(c.w, http.StatusOK, v)
}
