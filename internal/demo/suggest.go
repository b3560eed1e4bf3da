package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/webchat"
)

// A web chat visitor who gives their email address in the chat and later
// writes from it by email is two contacts in Parley: the address was typed,
// not verified, so Parley does not merge them by itself. It suggests the
// merge on the web chat conversation's page ("Possibly the same person"),
// for an agent to decide. The demo shows that: an agent opens the page in
// Parley's web interface, signed in with their password, and finds the
// suggestion there; nobody merges.

// suggestion asks for cu, the email side of a web chat visitor, to be
// looked for on the visitor's conversation page once both are threaded,
// unless it has been found already.
func (l *linker) suggestion(cu *customer) {
	l.mu.Lock()
	if !l.found[cu.key] {
		l.suggest[cu.key] = cu
	}
	l.mu.Unlock()
}

// suggestPass looks for every waiting suggestion once.
func (l *linker) suggestPass(ctx context.Context) error {
	l.mu.Lock()
	var todo []*customer
	for _, cu := range l.suggest {
		todo = append(todo, cu)
	}
	l.mu.Unlock()
	var last error
	for _, cu := range todo {
		done, err := l.look(ctx, cu)
		if err != nil {
			last = err
		}
		if done {
			l.mu.Lock()
			delete(l.suggest, cu.key)
			l.found[cu.key] = true
			l.mu.Unlock()
			continue
		}
		l.mu.Lock()
		if l.tries["suggest:"+cu.key]++; l.tries["suggest:"+cu.key] >= maxTries {
			delete(l.suggest, cu.key)
			l.r.log.Warn("demo: no merge suggested for a web chat visitor who wrote by email", "email", cu.id, "err", err)
		}
		l.mu.Unlock()
	}
	return last
}

// look reports whether the suggestion for cu has been found (or Parley
// linked the two itself); false while either side is not threaded yet.
func (l *linker) look(ctx context.Context, cu *customer) (bool, error) {
	r := l.r
	store, ws := r.parley.app.Store, r.parley.ws
	r.cast.mu.Lock()
	visitor := cu.chat.visitor
	r.cast.mu.Unlock()
	if visitor == "" {
		return false, nil
	}
	chat, err := store.FindIdentity(ctx, ws, care.ChannelWebChat, webchat.VisitorUserID(visitor))
	if care.ErrorCode(err) == care.ENOTFOUND || err == nil && !strings.EqualFold(chat.Handle, cu.id) {
		return false, nil // the visitor's message, which carries the address, is not threaded yet
	} else if err != nil {
		return false, err
	}
	mail, err := store.FindIdentity(ctx, ws, care.ChannelEmail, cu.id)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if chat.ContactID == mail.ContactID {
		r.say("Parley files %s's email with their web chat: one contact", cu.name)
		return true, nil
	}
	page, err := store.Conversations(ctx, care.ConversationFilter{WorkspaceID: ws, ContactID: chat.ContactID, Channel: care.ChannelWebChat, Limit: 1})
	if err != nil || len(page.Conversations) == 0 {
		return false, err
	}
	conv := page.Conversations[0].ID
	a := r.team.agents[0]
	if l.web == nil {
		if l.web, err = signIn(ctx, r.admin.base, r.admin.hc.Transport, a.login); err != nil {
			return false, err
		}
	}
	cands, err := l.web.suggested(ctx, conv)
	if err != nil {
		return false, err
	}
	for _, c := range cands {
		if c.id == mail.ContactID {
			r.tally.suggested(Suggestion{Customer: cu.key, Conversation: conv, Contact: chat.ContactID, Candidate: mail.ContactID})
			r.say("%s opens %s's web chat: Parley suggests their email contact as “possibly the same person” (%s). The address was typed, not verified, so Parley merges nothing by itself: %s/c/%d",
				a.spec.first, cu.name, c.identities, r.parley.url, conv)
			return true, nil
		}
	}
	return false, nil
}

// webSession is a person signed in to Parley's web interface.
type webSession struct {
	base string
	hc   *http.Client
}

// signIn signs in to the web interface with an email and password, as at
// the login page, over tr.
func signIn(ctx context.Context, base string, tr http.RoundTripper, l login) (*webSession, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	// The login answers with a redirect, which a person's browser would
	// follow to the inbox; the session cookie is what matters here.
	s := &webSession{base: base, hc: &http.Client{Transport: tr, Jar: jar, Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	form := url.Values{"email": {l.Email}, "password": {l.Password}}
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("demo: sign in: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("demo: sign in: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("demo: sign in as %s: %d", l.Email, resp.StatusCode)
	}
	return s, nil
}

// candidate is a contact a conversation's page suggests merging.
type candidate struct {
	id         care.ID
	identities string // how the page says why
}

// suggested opens a conversation's page and returns the contacts it
// suggests as possibly the same person.
func (s *webSession) suggested(ctx context.Context, conv care.ID) ([]candidate, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", s.base+"/c/"+strconv.FormatInt(conv, 10), nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("demo: open conversation %d: %w", conv, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, fmt.Errorf("demo: read conversation %d: %w", conv, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("demo: open conversation %d: %d", conv, resp.StatusCode)
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("demo: conversation %d's page: %w", conv, err)
	}
	return suggestions(doc), nil
}

// suggestions reads the "Possibly the same person" list of a conversation
// page: each candidate's contact id, from its merge form, and the reason.
func suggestions(doc *html.Node) []candidate {
	box := find(doc, func(n *html.Node) bool { return n.Data == "div" && hasClass(n, "suggested") })
	if box == nil {
		return nil
	}
	var out []candidate
	for li := range box.Descendants() {
		if li.Type != html.ElementNode || li.Data != "li" {
			continue
		}
		var c candidate
		if in := find(li, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "other" }); in != nil {
			c.id, _ = strconv.ParseInt(attr(in, "value"), 10, 64)
		}
		if ids := find(li, func(n *html.Node) bool { return hasClass(n, "cand-ids") }); ids != nil {
			c.identities = strings.TrimSpace(textOf(ids))
		}
		if c.id > 0 {
			out = append(out, c)
		}
	}
	return out
}

func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && match(d) {
			return d
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}
