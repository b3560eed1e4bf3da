package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/web"
)

func TestCSRF(t *testing.T) {
	f := newFixture(t)
	conv := f.conversation(f.inbox, "Ana", "Where is my parcel?")
	c := f.login()
	reply := url.Values{"text": {"On its way!"}, "visibility": {"public"}}

	for _, tt := range []struct {
		name  string
		token string
	}{{"no token", ""}, {"wrong token", "0123456789abcdef0123456789abcdef"}} {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"text": reply["text"], "csrf": {tt.token}}
			res, body := c.post(convPath(conv, "/reply"), form)
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form has expired") {
				t.Errorf("POST reply with %s = %d, want 403", tt.name, res.StatusCode)
			}
		})
	}
	t.Run("another session's token", func(t *testing.T) {
		other := f.login()
		form := url.Values{"text": reply["text"], "csrf": {other.csrf}}
		if res, _ := c.post(convPath(conv, "/reply"), form); res.StatusCode != http.StatusForbidden {
			t.Errorf("POST reply with another session's token = %d, want 403", res.StatusCode)
		}
	})
	t.Run("cross-site", func(t *testing.T) {
		form := url.Values{"text": reply["text"], "csrf": {c.csrf}}
		req, _ := http.NewRequest("POST", f.srv.URL+convPath(conv, "/reply"), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if res, _ := c.do(req); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST = %d, want 403", res.StatusCode)
		}
	})
	t.Run("logout", func(t *testing.T) {
		if res, _ := c.post("/logout", url.Values{}); res.StatusCode != http.StatusForbidden {
			t.Errorf("POST /logout without a token = %d, want 403", res.StatusCode)
		}
	})
	if got := len(f.messages(conv)); got != 1 {
		t.Fatalf("refused posts stored messages: %d messages, want 1", got)
	}
	// The header works as well as the field, for scripts.
	req, _ := http.NewRequest("POST", f.srv.URL+convPath(conv, "/reply"), strings.NewReader(reply.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", c.csrf)
	if res, _ := c.do(req); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST reply with the header = %d, want 303", res.StatusCode)
	}
	if got := len(f.messages(conv)); got != 2 {
		t.Errorf("%d messages after an accepted reply, want 2", got)
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	conv := f.conversation(f.inbox, "Ana", "hello")
	c := f.login()
	for _, path := range []string{"/login", "/", "/list", convPath(conv, ""), convPath(conv, "/live"), "/c/999999", "/password", "/setup"} {
		res, _ := c.get(path)
		h := res.Header
		if got := h.Get("Content-Security-Policy"); got != web.ContentSecurityPolicy {
			t.Errorf("GET %s: Content-Security-Policy = %q", path, got)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: missing nosniff or frame denial: %v", path, h)
		}
		if res.StatusCode == http.StatusOK && h.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: Cache-Control = %q, want no-store", path, h.Get("Cache-Control"))
		}
	}
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
		if !strings.Contains(web.ContentSecurityPolicy, want) {
			t.Errorf("policy lacks %s", want)
		}
	}
	if strings.Contains(web.ContentSecurityPolicy, "unsafe") {
		t.Errorf("policy allows something unsafe: %s", web.ContentSecurityPolicy)
	}
}

// tagPattern finds real tags: customer text is escaped, so every '<' left
// in a page starts markup the templates wrote.
var (
	tagPattern  = regexp.MustCompile(`<[a-zA-Z][^>]*>`)
	attrPattern = regexp.MustCompile(`\s([^\s=>/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?`)
	scriptTag   = regexp.MustCompile(`^<script src="/static/(app|count)\.[0-9a-f]+\.js" defer>$`)
)

// attributes returns a tag's attributes, names lower-cased, values as
// written (still escaped).
func attributes(tag string) map[string]string {
	out := map[string]string{}
	rest := tag[strings.IndexAny(tag, " \t\n>"):]
	for _, m := range attrPattern.FindAllStringSubmatch(rest, -1) {
		out[strings.ToLower(m[1])] = m[2] + m[3] + m[4]
	}
	return out
}

// checkMarkup fails the test if a page has inline script or style, an
// event handler attribute, or a link anywhere but here or to http(s).
func checkMarkup(t *testing.T, name, page string) {
	t.Helper()
	for _, tag := range tagPattern.FindAllString(page, -1) {
		attrs := attributes(tag)
		for a := range attrs {
			if strings.HasPrefix(a, "on") || a == "style" || a == "srcdoc" || a == "formaction" {
				t.Errorf("%s: attribute %s in %s", name, a, tag)
			}
		}
		lower := strings.ToLower(tag)
		if strings.HasPrefix(lower, "<script") && !scriptTag.MatchString(tag) {
			t.Errorf("%s: unexpected script tag %s", name, tag)
		}
		for _, el := range []string{"<iframe", "<object", "<embed", "<svg", "<math", "<base", "<meta http-equiv"} {
			if strings.HasPrefix(lower, el) {
				t.Errorf("%s: unexpected element %s", name, tag)
			}
		}
		if src, ok := attrs["src"]; ok && !strings.HasPrefix(src, "/static/") {
			t.Errorf("%s: resource from elsewhere: %s", name, tag)
		}
		if href, ok := attrs["href"]; ok && !strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "#") {
			if !strings.HasPrefix(href, "https://") && !strings.HasPrefix(href, "http://") {
				t.Errorf("%s: link to %q in %s", name, href, tag)
			}
			if attrs["rel"] != "noopener noreferrer nofollow" {
				t.Errorf("%s: outside link without rel=noopener noreferrer nofollow: %s", name, tag)
			}
		}
	}
}

func TestHostileText(t *testing.T) {
	f := newFixture(t)
	hostile := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`"><svg onload=alert(1)>`,
		`javascript:alert(1)`,
		`<a href="javascript:alert(1)">click</a>`,
		`https://good.example/"onmouseover="alert(1)`,
		"evil\u202Egnp.exe",
		"zero\u200Bwidth\u2060joiner\uFEFF",
		`{{.Agent.CSRF}}`,
	}
	text := strings.Join(hostile, "\n")
	conv := f.conversation(f.inbox, `<b>Ana</b><script>alert("name")</script>`, text)
	if err := f.store.Update(context.Background(), func(q care.Queries) error {
		tags := []string{`<i>vip</i>`, `x" onclick="alert(1)`}
		_, err := q.UpdateConversation(context.Background(), conv.ID, care.ConversationUpdate{Tags: &tags}, f.now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	c := f.login()
	pages := map[string]string{}
	for _, path := range []string{"/", "/list", convPath(conv, ""), convPath(conv, "/live")} {
		res, body := c.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		pages[path] = body
		checkMarkup(t, path, body)
		for _, bad := range []string{"<script>alert", "<img src=x", "<svg", "<b>Ana", "<i>vip", `onclick="alert`} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s contains %q unescaped", path, bad)
			}
		}
		if !strings.Contains(body, "&lt;b&gt;Ana&lt;/b&gt;") {
			t.Errorf("GET %s does not show the contact's name as text", path)
		}
	}
	view := pages[convPath(conv, "")]
	for _, want := range []string{
		"&lt;img src=x onerror=alert(1)&gt;",
		"javascript:alert(1)",
		// The quote ends the URL: the link goes where its text says.
		`<a class="link" href="https://good.example/" rel="noopener noreferrer nofollow" target="_blank">https://good.example/</a>`,
		`<span class="hidden-char" title="Hidden character U&#43;202E (RLO)">RLO</span>`,
		`title="Hidden character U&#43;200B (ZWSP)">ZWSP</span>`,
		"{{.Agent.CSRF}}",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("conversation page lacks %s", want)
		}
	}
	if strings.Contains(view, "\u202E") || strings.Contains(view, "\u200B") {
		t.Errorf("conversation page still contains a direction override or zero-width space")
	}
}

// hiddenChars are the characters docs/ui.md says names, excerpts and tags
// drop: bidirectional embeddings, overrides and isolates, zero-width
// spaces, an invisible operator, a tag character, a Hangul filler and a
// control character.
const hiddenChars = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200B\u2060\uFEFF\u180E\u2062\U000E0041\u3164\x07"

var hiddenInput = regexp.MustCompile(`<input type="hidden"[^>]*>`)

// Every page that shows a name, an excerpt, a tag or a team name drops the
// hidden characters in it, not only the list and the conversation.
func TestHiddenCharactersDropped(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	lee := f.user("lee@acme.test", "Lee"+hiddenChars+"Super", care.RoleSupervisor)
	team := &care.Team{WorkspaceID: f.ws.ID, Name: "Tier" + hiddenChars + " one"}
	blank := &care.Team{WorkspaceID: f.ws.ID, Name: hiddenChars}
	for _, tm := range []*care.Team{team, blank} {
		if err := f.store.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
	}
	conv := f.conversation(f.inbox, "Ana"+hiddenChars+"evil", "refund "+hiddenChars+"gnp.exe please")
	if err := f.store.Update(ctx, func(q care.Queries) error {
		// Tags refuse control characters; the rest can be stored.
		tags := []string{"vip" + strings.TrimSuffix(hiddenChars, "\x07")}
		if _, err := q.UpdateConversation(ctx, conv.ID, care.ConversationUpdate{Tags: &tags}, f.now); err != nil {
			return err
		}
		return q.CreateNotification(ctx, &care.Notification{WorkspaceID: f.ws.ID, UserID: lee.ID, Kind: care.NotifyMention,
			ConversationID: conv.ID, Text: "Sam" + hiddenChars + " mentioned you: look" + hiddenChars + " here", CreatedAt: f.now})
	}); err != nil {
		t.Fatal(err)
	}
	c := f.loginAs(lee)
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/", []string{"Anaevil", "LeeSuper", "<bdi>vip</bdi>"}},
		{convPath(conv, ""), []string{"Anaevil", "team-view"}},
		{"/search?q=refund", []string{`<bdi class="hit-name">Anaevil</bdi>`, "refund gnp.exe please"}},
		{"/search?q=evil", []string{`<bdi class="hit-name">Anaevil</bdi>`}},
		{"/queues", []string{"<bdi>Tier one</bdi>", "<bdi>Team " + itoa(blank.ID) + "</bdi>"}},
		{"/notifications", []string{"Sam mentioned you: look here"}},
	} {
		t.Run(tt.path, func(t *testing.T) {
			res, body := c.get(tt.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d", tt.path, res.StatusCode)
			}
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("GET %s lacks %s", tt.path, want)
				}
			}
			// A tag's remove button carries the tag as stored, to name it exactly.
			body = hiddenInput.ReplaceAllString(body, "")
			if i := strings.IndexAny(body, hiddenChars); i >= 0 {
				t.Errorf("GET %s keeps a hidden character: %+q", tt.path, body[max(0, i-40):min(len(body), i+40)])
			}
		})
	}
}

func TestOtherWorkspace(t *testing.T) {
	f := newFixture(t)
	theirs := f.conversation(f.inbox2, "Zed", "Globex secret")
	c := f.login()
	for _, path := range []string{convPath(theirs, ""), convPath(theirs, "/live")} {
		res, body := c.get(path)
		if res.StatusCode != http.StatusNotFound || strings.Contains(body, "Globex secret") || strings.Contains(body, "Zed") {
			t.Errorf("GET %s of another workspace = %d, want 404 showing nothing of it", path, res.StatusCode)
		}
	}
	for _, tt := range []struct {
		path string
		form url.Values
	}{
		{"/reply", url.Values{"text": {"hi"}}},
		{"/note", url.Values{"text": {"hi"}}},
		{"/status", url.Values{"status": {"resolved"}}},
		{"/assign", url.Values{"assignee": {"me"}}},
		{"/tags", url.Values{"add": {"mine"}}},
		{"/snooze", url.Values{"until": {"1h"}}},
	} {
		if res, _ := c.act(convPath(theirs, tt.path), tt.form); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s on another workspace's conversation = %d, want 404", tt.path, res.StatusCode)
		}
	}
	if got := f.reload(theirs); got.Status != care.StatusOpen || got.AssigneeID != 0 || len(got.Tags) != 0 || len(f.messages(theirs)) != 1 {
		t.Errorf("another workspace's conversation changed: %+v", got)
	}
	_, body := c.get("/?status=all")
	if strings.Contains(body, "Globex secret") || strings.Contains(body, "Zed") {
		t.Errorf("the list shows another workspace's conversation")
	}
}

func TestActions(t *testing.T) {
	f := newFixture(t)
	conv := f.conversation(f.inbox, "Ana", "Where is my parcel?")
	billing := &care.Team{WorkspaceID: f.ws.ID, Name: "Billing"}
	if err := f.store.CreateTeam(context.Background(), billing); err != nil {
		t.Fatal(err)
	}
	c := f.login()
	list := "view=mine&sort=waiting"
	steps := []struct {
		name  string
		path  string
		form  url.Values
		check func(*care.Conversation) bool
	}{
		{"assign to me", "/assign", url.Values{"assignee": {"me"}}, func(c *care.Conversation) bool { return c.AssigneeID == f.agent.ID }},
		{"tag", "/tags", url.Values{"add": {"Billing, urgent"}}, func(c *care.Conversation) bool { return strings.Join(c.Tags, ",") == "billing,urgent" }},
		{"untag", "/tags", url.Values{"remove": {"urgent"}}, func(c *care.Conversation) bool { return strings.Join(c.Tags, ",") == "billing" }},
		{"snooze", "/snooze", url.Values{"until": {"tomorrow"}}, func(c *care.Conversation) bool {
			return c.Status == care.StatusSnoozed && c.SnoozedUntil != nil && c.SnoozedUntil.Equal(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
		}},
		{"snooze until a time, in the agent's zone", "/snooze", url.Values{"until": {"at"}, "at": {"2026-11-26T08:30"}, "tz": {"America/New_York"}},
			func(c *care.Conversation) bool {
				return c.Status == care.StatusSnoozed && c.SnoozedUntil != nil && c.SnoozedUntil.Equal(time.Date(2026, 11, 26, 13, 30, 0, 0, time.UTC))
			}},
		{"snooze until a time, server's zone", "/snooze", url.Values{"until": {"at"}, "at": {"2026-11-26T08:30"}, "tz": {"Not/AZone"}},
			func(c *care.Conversation) bool {
				return c.SnoozedUntil != nil && c.SnoozedUntil.Equal(time.Date(2026, 11, 26, 8, 30, 0, 0, time.UTC))
			}},
		{"resolve", "/status", url.Values{"status": {"resolved"}}, func(c *care.Conversation) bool { return c.Status == care.StatusResolved }},
		{"reopen", "/status", url.Values{"status": {"open"}}, func(c *care.Conversation) bool { return c.Status == care.StatusOpen }},
		{"unassign", "/assign", url.Values{"assignee": {"none"}}, func(c *care.Conversation) bool { return c.AssigneeID == 0 }},
		{"hand to a team", "/team", url.Values{"team": {itoa(billing.ID)}}, func(c *care.Conversation) bool { return c.TeamID == billing.ID }},
		{"no team", "/team", url.Values{"team": {"none"}}, func(c *care.Conversation) bool { return c.TeamID == 0 }},
	}
	for _, s := range steps {
		s.form.Set("list", list)
		res, body := c.act(convPath(conv, s.path), s.form)
		if want := convPath(conv, "?sort=waiting&view=mine"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Fatalf("%s: POST = %d to %q, want 303 to %s\n%s", s.name, res.StatusCode, res.Header.Get("Location"), want, body)
		}
		if got := f.reload(conv); !s.check(got) {
			t.Errorf("%s: conversation = %+v", s.name, got)
		}
	}

	res, _ := c.act(convPath(conv, "/note"), url.Values{"text": {"Courier says Tuesday."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST note = %d", res.StatusCode)
	}
	res, _ = c.act(convPath(conv, "/reply"), url.Values{"text": {"It arrives Tuesday."}, "visibility": {"private"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST reply = %d", res.StatusCode)
	}
	ms := f.messages(conv)
	if len(ms) != 3 || ms[1].Visibility != care.Note || ms[2].Visibility != care.Private || ms[2].Status != care.DeliveryQueued || ms[2].AuthorID != f.agent.ID {
		t.Fatalf("messages = %+v, want the customer's, a note and a queued private reply", ms)
	}

	// A refused reply comes back in the composer with the reason.
	res, body := c.act(convPath(conv, "/reply"), url.Values{"text": {"   "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The message is empty.") || !strings.Contains(body, `id="reply-text"`) {
		t.Errorf("POST empty reply = %d, want 422 with the reason beside the composer", res.StatusCode)
	}
	// Retry a failed reply.
	if err := f.store.SetDelivery(context.Background(), ms[2].ID, care.DeliveryFailed, "webhook answered 500", ""); err != nil {
		t.Fatal(err)
	}
	_, body = c.get(convPath(conv, ""))
	if !strings.Contains(body, "Not delivered: <bdi>webhook answered 500</bdi>") || !strings.Contains(body, "/retry") {
		t.Fatalf("the failed reply shows no reason or retry button")
	}
	res, _ = c.act(convPath(conv, "/messages/")+itoa(ms[2].ID)+"/retry", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST retry = %d", res.StatusCode)
	}
	if m, _ := f.store.Message(context.Background(), ms[2].ID); m.Status != care.DeliveryQueued {
		t.Errorf("after retry the reply is %s, want queued", m.Status)
	}
	for _, tt := range []struct{ path, field, value string }{
		{"/status", "status", "snoozed"}, {"/assign", "assignee", "42"}, {"/snooze", "until", "never"}, {"/tags", "add", "a\x01b"},
	} {
		if res, _ := c.act(convPath(conv, tt.path), url.Values{tt.field: {tt.value}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("POST %s %s=%q = %d, want 400", tt.path, tt.field, tt.value, res.StatusCode)
		}
	}
}

func TestList(t *testing.T) {
	f := newFixture(t)
	var convs []*care.Conversation
	for i := range 55 {
		f.now = f.now.Add(time.Minute)
		convs = append(convs, f.conversation(f.inbox, "Customer "+itoa(int64(i)), "Message number "+itoa(int64(i))))
	}
	mine, resolved := convs[3], convs[4]
	ctx := context.Background()
	st := care.StatusResolved
	if _, err := f.h.Desk.Update(ctx, care.Principal{UserID: f.agent.ID, WorkspaceID: f.ws.ID, Role: care.RoleAgent}, mine.ID,
		care.ConversationUpdate{AssigneeID: &f.agent.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.h.Desk.Update(ctx, care.Principal{UserID: f.agent.ID, WorkspaceID: f.ws.ID, Role: care.RoleAgent}, resolved.ID,
		care.ConversationUpdate{Status: &st}); err != nil {
		t.Fatal(err)
	}
	c := f.login()

	_, body := c.get("/")
	for _, want := range []string{
		`Mine<span class="count">1</span>`, `Unassigned<span class="count">53</span>`, `All<span class="count">54</span>`,
		"Customer 54", "Message number 54", `href="/?cursor=`, "Waiting 1m",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET / lacks %s", want)
		}
	}
	if strings.Contains(body, ">Customer 4<") {
		t.Errorf("GET / shows a resolved conversation among the open ones")
	}
	if n := strings.Count(body, `class="row-link"`); n != 50 {
		t.Errorf("GET / shows %d rows, want a page of 50", n)
	}
	older := regexp.MustCompile(`href="(/\?cursor=[^"]+)"`).FindStringSubmatch(body)
	_, body = c.get(strings.ReplaceAll(older[1], "&amp;", "&"))
	if n := strings.Count(body, `class="row-link"`); n != 4 || !strings.Contains(body, "Back to newest") {
		t.Errorf("the older page shows %d rows, want 4 and a way back", n)
	}

	_, body = c.get("/?view=mine")
	if n := strings.Count(body, `class="row-link"`); n != 1 || !strings.Contains(body, "Customer 3") {
		t.Errorf("Mine shows %d rows, want Customer 3 alone", n)
	}
	_, body = c.get("/?status=resolved&sort=waiting")
	if n := strings.Count(body, `class="row-link"`); n != 1 || !strings.Contains(body, "Customer 4") {
		t.Errorf("resolved shows %d rows, want Customer 4 alone", n)
	}
	if !strings.Contains(body, `href="/c/`+itoa(resolved.ID)+`?sort=waiting&amp;status=resolved"`) {
		t.Errorf("a row's link does not carry the list's filters")
	}
	_, body = c.get("/?channel=whatsapp")
	if !strings.Contains(body, "No open conversations") {
		t.Errorf("a channel with no conversations does not say so")
	}
	// Nonsense parameters fall back to the defaults.
	if res, _ := c.get("/?view=x&status=y&sort=z&channel=%3Cb%3E&cursor=junk"); res.StatusCode != http.StatusOK {
		t.Errorf("GET / with nonsense parameters = %d, want 200", res.StatusCode)
	}
	// The fragment for live refresh marks the open conversation.
	_, body = c.get("/list?current=" + itoa(convs[54].ID))
	if !strings.Contains(body, `class="row current" data-id="`+itoa(convs[54].ID)+`"`) || strings.Contains(body, "<html") {
		t.Errorf("GET /list is not the list alone with the current row marked")
	}
	// A new message moves its conversation's excerpt.
	f.now = f.now.Add(time.Minute)
	f.message(convs[0], "A newer question")
	_, body = c.get("/list")
	if !strings.Contains(body, "A newer question") {
		t.Errorf("the list does not show the newest message")
	}
}

func TestConversationView(t *testing.T) {
	f := newFixture(t)
	conv := f.conversation(f.inbox, "Ana", "First, see https://example.com/order?id=1.")
	long := f.message(conv, strings.Repeat("line\n", 5000))
	if err := f.store.SetReaction(context.Background(), long.ID, care.Reaction{ContactID: conv.ContactID, Emoji: "<b>👍</b>", At: f.now}); err != nil {
		t.Fatal(err)
	}
	other := f.conversation(f.inbox, "Ana", "An older question")
	c := f.login()
	res, body := c.get(convPath(conv, ""))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET conversation = %d", res.StatusCode)
	}
	for _, want := range []string{
		`<a class="link" href="https://example.com/order?id=1" rel="noopener noreferrer nofollow" target="_blank">https://example.com/order?id=1</a>.`,
		"Show more (4985 more lines)", `<details class="more">`,
		"12.3k followers", "verified", `class="handle">@h`,
		`href="/c/` + itoa(other.ID) + `"`, "An older question",
		`id="resolve-form"`, "Assign to me", `value="public" checked`,
		`<span class="badge b-public">Public</span>`,
		`<span class="reaction">&lt;b&gt;👍&lt;/b&gt;</span>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("conversation page lacks %s", want)
		}
	}
	if n := strings.Count(body[:strings.Index(body, `<details class="more">`)], "line\n"); n > 30 {
		t.Errorf("%d lines shown before show more, want at most 30", n)
	}
	if res, _ := c.get("/c/abc"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /c/abc = %d, want 404", res.StatusCode)
	}
	// The priority opens to its reasons on a tap, not only on hover.
	if err := f.store.SetPriorities(context.Background(), []care.PriorityChange{{ConversationID: conv.ID, Priority: 81,
		Reasons: []string{"angry", "<b>48k followers</b>"}}}); err != nil {
		t.Fatal(err)
	}
	_, body = c.get(convPath(conv, ""))
	if want := `<span class="prio-reasons">Priority 81: <bdi>angry, &lt;b&gt;48k followers&lt;/b&gt;</bdi></span>`; !strings.Contains(body, want) {
		t.Errorf("conversation page lacks the priority's reasons %s", want)
	}
}

func TestAssets(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	_, body := c.get("/login")
	for _, pat := range []string{`/static/app\.[0-9a-f]{12}\.css`, `/static/app\.[0-9a-f]{12}\.js`, `/static/icon\.[0-9a-f]{12}\.svg`} {
		path := regexp.MustCompile(pat).FindString(body)
		if path == "" {
			t.Fatalf("the page links no %s", pat)
		}
		res, data := c.get(path)
		if res.StatusCode != http.StatusOK || len(data) == 0 || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s = %d, %d bytes, Cache-Control %q", path, res.StatusCode, len(data), res.Header.Get("Cache-Control"))
		}
		req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
		req.Header.Set("If-None-Match", res.Header.Get("ETag"))
		if res, _ := c.do(req); res.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with its ETag = %d, want 304", path, res.StatusCode)
		}
	}
	if res, _ := c.get("/static/app.css"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET an unhashed name = %d, want 404", res.StatusCode)
	}
}

// Team views, the inbox filter with its counts, tags and priority narrow
// the list; an agent sees the views of their own teams, a supervisor all.
func TestListViews(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	billing := &care.Team{WorkspaceID: f.ws.ID, Name: "Billing", MemberIDs: []care.ID{f.agent.ID}}
	pr := &care.Team{WorkspaceID: f.ws.ID, Name: "PR <team>"}
	for _, tm := range []*care.Team{billing, pr} {
		if err := f.store.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.SetTeamMembers(ctx, billing.ID, []care.ID{f.agent.ID}); err != nil {
		t.Fatal(err)
	}
	x := f.inboxOn(care.ChannelX, "@acme")
	var convs []*care.Conversation
	for i := range 4 {
		f.now = f.now.Add(time.Minute)
		in := f.inbox
		if i >= 2 {
			in = x
		}
		convs = append(convs, f.conversation(in, "Customer "+itoa(int64(i)), "Message "+itoa(int64(i))))
	}
	sup := care.Principal{UserID: f.agent.ID, WorkspaceID: f.ws.ID, Role: care.RoleSupervisor}
	high, tags := 80.0, []string{"refund"}
	for _, u := range []struct {
		c *care.Conversation
		u care.ConversationUpdate
	}{
		{convs[0], care.ConversationUpdate{TeamID: &billing.ID, Tags: &tags}},
		{convs[1], care.ConversationUpdate{TeamID: &billing.ID, Priority: &high}},
		{convs[3], care.ConversationUpdate{TeamID: &pr.ID, Priority: &high}},
	} {
		if _, err := f.h.Desk.Update(ctx, sup, u.c.ID, u.u); err != nil {
			t.Fatal(err)
		}
	}
	rows := func(body string) int { return strings.Count(body, `class="row-link"`) }
	c := f.login()
	_, body := c.get("/")
	for _, want := range []string{
		`Billing<span class="count">2</span>`,
		`Web form · API (2)`, `@acme · X (2)`, `P70 and up`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET / lacks %s", want)
		}
	}
	if strings.Contains(body, "PR &lt;team&gt;") {
		t.Errorf("an agent sees the view of a team they are not in")
	}
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"/?team=" + itoa(billing.ID), 2},
		{"/?team=" + itoa(billing.ID) + "&prio=70", 1},
		{"/?inbox=" + itoa(x.ID), 2},
		{"/?tag=Refund", 1},
		{"/?prio=70", 2},
		{"/?prio=71", 4}, // not a choice: ignored
		{"/?team=-3&inbox=abc", 4},
	} {
		if _, body := c.get(tc.query); rows(body) != tc.want {
			t.Errorf("GET %s shows %d rows, want %d", tc.query, rows(body), tc.want)
		}
	}
	_, body = c.get("/?team=" + itoa(billing.ID))
	if !strings.Contains(body, `class="view team-view active"`) || !strings.Contains(body, `name="team" value="`+itoa(billing.ID)+`"`) {
		t.Errorf("the team's view is not marked active, or the filters form forgets the team")
	}
	// A supervisor sees every team's view, names escaped.
	boss, _, err := accounts.CreateUser(ctx, f.store, f.ws.ID, "boss@acme.test", "Boss", care.RoleSupervisor, password, f.now)
	if err != nil {
		t.Fatal(err)
	}
	_, body = f.loginAs(boss).get("/")
	if !strings.Contains(body, `PR &lt;team&gt;<span class="count">1</span>`) {
		t.Errorf("a supervisor does not see the PR view with its count")
	}
}
