package web_test

import (
	"context"
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/web/webtest"
)

// settingSection is the section of the settings page for one setting.
func settingSection(t *testing.T, body, name string) string {
	t.Helper()
	start := strings.Index(body, `<section id="setting-`+name+`"`)
	if start < 0 {
		t.Fatalf("no section for %s", name)
	}
	end := strings.Index(body[start:], "</section>")
	return body[start : start+end]
}

var textareaRE = regexp.MustCompile(`(?s)<textarea id="doc-[a-z_]+" name="doc"[^>]*>(.*?)</textarea>`)

// settingText is what a section's text box holds, unescaped.
func settingText(t *testing.T, section string) string {
	t.Helper()
	m := textareaRE.FindStringSubmatch(section)
	if m == nil {
		t.Fatalf("no text box in:\n%s", section)
	}
	return html.UnescapeString(m[1])
}

// stored is a workspace setting's document as stored; "" when it was
// never set.
func (f *fixture) stored(name string) string {
	f.t.Helper()
	doc, err := f.store.Setting(context.Background(), f.ws.ID, name)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return ""
	} else if err != nil {
		f.t.Fatal(err)
	}
	return string(doc)
}

// TestSettingsPage: an admin sees every setting the API serves, in its
// section, with what it does, its documentation and its document (the
// default for one never set) in a text box; listening leads to its own
// page. Anyone's text in the documents is text.
func TestSettingsPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	f.setting("saved_replies", `{"replies":[{"id":1,"name":"<b>Sorry</b>","text":"</textarea><script>alert(1)</script> Hi {{contact.first_name}}"}]}`)
	f.setting("automation", `{"mode":"all","rules":[`+
		`{"id":1,"name":"Late <i>one</i>","enabled":false,"position":2,"trigger":"time.open","after":"2h","actions":[]},`+
		`{"id":2,"name":"","enabled":true,"position":1,"trigger":"message.received","actions":[]}]}`)
	c := f.loginAs(ada)
	res, body := c.get("/settings")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /settings = %d:\n%s", res.StatusCode, body)
	}
	if !strings.Contains(body, `<a class="settings-link" href="/settings"`) {
		t.Error("the admin's navigation lacks the settings")
	}
	order := []string{"sla", "triage", "automation", "approvals", "csat", "saved_replies", "desk", "moderation", "listening"}
	last := -1
	for _, name := range order {
		at := strings.Index(body, `<section id="setting-`+name+`"`)
		if at < last {
			t.Errorf("section %s is out of order", name)
		}
		last = at
		s := settingSection(t, body, name)
		if !strings.Contains(s, `<a href="https://github.com/parleyhq/parley/blob/main/docs/`) || !strings.Contains(s, `<p class="setting-about">`) {
			t.Errorf("section %s lacks what it does or its documentation", name)
		}
		if name == "listening" {
			if strings.Contains(s, "<textarea") || !strings.Contains(s, `<a class="button" href="/listening#subjects">`) {
				t.Errorf("listening is edited here, or not linked to its page:\n%s", s)
			}
			continue
		}
		if !strings.Contains(s, `<form method="post" action="/settings/`+name+`#setting-`+name+`" class="setting-form">`) ||
			!strings.Contains(s, `<input type="hidden" name="csrf" value="`+c.csrf+`">`) {
			t.Errorf("section %s has no form to save it", name)
		}
	}
	if !strings.Contains(body, `href="https://github.com/parleyhq/parley/blob/main/docs/sla.md#policies"`) {
		t.Error("the SLA policies do not link to their documentation")
	}

	// Never set: the API's default, pretty.
	csat := settingSection(t, body, "csat")
	if got := settingText(t, csat); got != "{\n  \"enabled\": false\n}" || !strings.Contains(csat, "Not set yet: this is the default.") {
		t.Errorf("the default CSAT setting = %q", got)
	}
	// Set: the workspace's, pretty, its markup as text.
	saved := settingSection(t, body, "saved_replies")
	if got := settingText(t, saved); !strings.Contains(got, "\n      \"text\": \"</textarea><script>alert(1)</script> Hi {{contact.first_name}}\"\n") ||
		strings.Contains(saved, "Not set yet") {
		t.Errorf("the saved replies = %q", got)
	}
	if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "<b>Sorry") || strings.Contains(body, "<i>one") ||
		!strings.Contains(saved, `&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;`) {
		t.Error("a setting's text is not escaped")
	}
	// The rules, in the order they run, above their editor.
	rules := settingSection(t, body, "automation")
	for _, want := range []string{
		`<tr><th scope="row"><bdi>Rule 2</bdi></th><td><code>message.received</code></td><td><span class="badge rule-on">enabled</span></td></tr>`,
		`<tr><th scope="row"><bdi>Late &lt;i&gt;one&lt;/i&gt;</bdi></th><td><code>time.open</code></td><td><span class="badge rule-off">disabled</span></td></tr>`,
	} {
		if !strings.Contains(rules, want) {
			t.Errorf("the rules list lacks %s", want)
		}
	}
	if strings.Index(rules, "Rule 2") > strings.Index(rules, "Late &lt;i&gt;") || strings.Index(rules, "rules-table") > strings.Index(rules, "<textarea") {
		t.Error("the rules are not listed in their order, above the editor")
	}
}

// TestSettingsSave: an admin's document goes through the API's one path:
// stored as typed (line breaks as LF), audited, the cache told; the page
// comes back saying so.
func TestSettingsSave(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	changed := make(chan care.ID, 4)
	settings := maps.Clone(f.h.API.Settings)
	st := settings["csat"]
	st.Changed = func(ws care.ID) { changed <- ws }
	settings["csat"] = st
	f.h.API.Settings = settings
	ada := f.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	c := f.loginAs(ada)

	typed := "{\r\n  \"enabled\": true,\r\n  \"question\": \"How did we do? <b>{link}</b>\"\r\n}"
	res, _ := c.act("/settings/csat", url.Values{"doc": {typed}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/settings?saved=csat#setting-csat" {
		t.Fatalf("POST /settings/csat = %d to %q, want 303 back to the section", res.StatusCode, loc)
	}
	want := strings.ReplaceAll(typed, "\r\n", "\n")
	if got := f.stored("csat"); got != want {
		t.Errorf("stored %q, want %q", got, want)
	}
	select {
	case ws := <-changed:
		if ws != f.ws.ID {
			t.Errorf("the cache was told of workspace %d", ws)
		}
	default:
		t.Error("the setting's cache was not told")
	}
	entries, err := f.store.Audit(context.Background(), f.ws.ID, "setting:csat", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Action != "setting.update" || entries[0].Actor != "user:"+itoa(ada.ID) {
		t.Errorf("audit = %+v, want one setting.update by the admin", entries)
	}

	_, body := c.get("/settings?saved=csat")
	s := settingSection(t, body, "csat")
	if !strings.Contains(s, `<p class="flash notice" role="status">Saved.`) || strings.Contains(s, "Not set yet") ||
		settingText(t, s) != "{\n  \"enabled\": true,\n  \"question\": \"How did we do? <b>{link}</b>\"\n}" {
		t.Errorf("the saved setting's section:\n%s", s)
	}
	if strings.Count(body, "flash notice") != 1 {
		t.Error("another section says it was saved")
	}
}

// TestSettingsRefused: a document the setting's validator refuses, or
// that is not JSON, comes back beside its text box with 400, the text as
// typed and nothing stored.
func TestSettingsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	f.setting("automation", `{"mode":"all","rules":[{"id":3,"name":"Tag refunds","enabled":true,"position":1,"trigger":"message.received","actions":[]}]}`)
	c := f.loginAs(ada)
	validatorSays := func(name, doc string) string {
		err := f.h.API.Settings[name].Validate([]byte(doc))
		if care.ErrorCode(err) != care.EINVALID {
			t.Fatalf("the %s validator accepts %s (%v)", name, doc, err)
		}
		return care.ErrorMessage(err)
	}
	large := `{"replies":[],"x":"` + strings.Repeat("a", 1<<20) + `"}`
	for _, tc := range []struct {
		name, setting, doc string
		status             int
		msg                string
	}{
		{"CSAT's validator", "csat", `{"enabled":true,"cooldown":"a month"}`, 400, validatorSays("csat", `{"enabled":true,"cooldown":"a month"}`)},
		{"unknown field", "approvals", `{"bogus":1}`, 400, validatorSays("approvals", `{"bogus":1}`)},
		{"a rule", "automation", `{"rules":[{"id":0}]}`, 400, validatorSays("automation", `{"rules":[{"id":0}]}`)},
		{"SLA", "sla", `{"policies":[{"id":1,"first_response":"soon"}]}`, 400, validatorSays("sla", `{"policies":[{"id":1,"first_response":"soon"}]}`)},
		{"a literal", "csat", `{"enabled": tru}`, 400, `This is not JSON: invalid character '}' in literal true (expecting 'e'), at line 1, column 16.`},
		{"a trailing comma", "desk", "{\n  \"only_assignee_replies\": true,\n}", 400,
			"This is not JSON: invalid character '}' looking for beginning of object key string, at line 3, column 1."},
		{"empty", "triage", "", 400, "This is not JSON: unexpected end of JSON input, at line 1, column 1."},
		{"markup", "moderation", `</textarea><script>alert(2)</script>`, 400, "This is not JSON: invalid character '<' looking for beginning of value, at line 1, column 1."},
		{"too large", "saved_replies", large, 413, fmt.Sprintf("A setting is at most 1048576 bytes of JSON; this is %d.", len(large))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := *c
			c.t = t
			before := f.stored(tc.setting)
			res, body := c.act("/settings/"+tc.setting, url.Values{"doc": {tc.doc}})
			if res.StatusCode != tc.status {
				t.Errorf("POST /settings/%s = %d, want %d", tc.setting, res.StatusCode, tc.status)
			}
			if got := f.stored(tc.setting); got != before {
				t.Errorf("stored %q", got)
			}
			s := settingSection(t, body, tc.setting)
			flash := regexpFind(t, s, `<p class="flash error" role="alert" id="doc-`+tc.setting+`-error">[^<]*</p>`)
			if got := html.UnescapeString(flash); !strings.Contains(got, ">"+tc.msg+"<") {
				t.Errorf("error = %s, want %q", got, tc.msg)
			}
			if strings.Index(s, flash) > strings.Index(s, "<textarea") || !strings.Contains(s, `aria-describedby="doc-`+tc.setting+`-error"`) {
				t.Error("the error is not beside the text box")
			}
			if got := settingText(t, s); got != tc.doc {
				t.Errorf("the text box holds %.200q, want the text as typed", got)
			}
			if strings.Count(body, `class="flash error"`) != 1 {
				t.Error("another section shows an error")
			}
			if strings.Contains(body, "<script>alert(2)") {
				t.Error("the typed text is not escaped")
			}
		})
	}
	// The saved rules stay listed above a refused draft.
	_, body := c.act("/settings/automation", url.Values{"doc": {`{"rules":[{"id":0}]}`}})
	if s := settingSection(t, body, "automation"); !strings.Contains(s, "<bdi>Tag refunds</bdi>") {
		t.Error("a refused draft hides the saved rules")
	}

	// No such setting, and listening, which has its own page.
	for path, msg := range map[string]string{"/settings/bogus": `No setting &#34;bogus&#34;.`,
		"/settings/listening": "Listening&#39;s subjects are changed on the Listening page."} {
		res, body := c.act(path, url.Values{"doc": {`{"subjects":[]}`}})
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, msg) {
			t.Errorf("POST %s = %d, want 404 saying %s", path, res.StatusCode, msg)
		}
	}
	if got := f.stored("listening"); got != "" {
		t.Errorf("listening was stored: %s", got)
	}
}

// TestSettingsCSRF: a save without the session's CSRF token, or sent
// from another site, changes nothing.
func TestSettingsCSRF(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	c := f.loginAs(ada)
	doc := `{"enabled":true}`
	res, body := c.post("/settings/csat", url.Values{"doc": {doc}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form has expired or did not come from Parley.") {
		t.Errorf("POST without the CSRF token = %d", res.StatusCode)
	}
	res, _ = c.post("/settings/csat", url.Values{"doc": {doc}, "csrf": {"forged"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a wrong CSRF token = %d", res.StatusCode)
	}
	req, err := http.NewRequest("POST", c.base+"/settings/csat", strings.NewReader(url.Values{"doc": {doc}, "csrf": {c.csrf}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, _ := c.do(req); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST from another site = %d", res.StatusCode)
	}
	if got := f.stored("csat"); got != "" {
		t.Errorf("a forged form stored %s", got)
	}
}

// TestSettingsRoles: supervisors read the settings without a form, and
// cannot save; agents and every member of a partner team get 403 and no
// link; without a session the page leads to the login form.
func TestSettingsRoles(t *testing.T) {
	t.Parallel()
	w := newPartnerWorld(t)
	w.setting("csat", `{"enabled":true,"question":"<em>Rate</em> us: {link}"}`)
	lee := w.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	sup := w.loginAs(lee)

	res, body := sup.get("/settings")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /settings as a supervisor = %d", res.StatusCode)
	}
	s := settingSection(t, body, "csat")
	if strings.Contains(body, `action="/settings/`) || strings.Contains(body, "<textarea") ||
		!strings.Contains(s, "<pre class=\"setting-doc\"><code>{\n  &#34;enabled&#34;: true,\n  &#34;question&#34;: &#34;&lt;em&gt;Rate&lt;/em&gt; us: {link}&#34;\n}</code></pre>") ||
		!strings.Contains(body, "Admins change them.") || !strings.Contains(body, `href="/settings"`) {
		t.Errorf("the supervisor's settings page:\n%s", s)
	}
	res, body = sup.act("/settings/csat", url.Values{"doc": {`{"enabled":false}`}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Only admins change the workspace&#39;s settings.") {
		t.Errorf("POST /settings/csat as a supervisor = %d", res.StatusCode)
	}

	ina := w.loginAs(w.ina)
	for _, tc := range []struct {
		name      string
		c         *client
		see, save string
	}{
		{"agent", ina, "Only supervisors and admins see the workspace&#39;s settings.", "Only admins change the workspace&#39;s settings."},
		{"partner agent", w.sam, "Only supervisors and admins see the workspace&#39;s settings.", "Members of a partner team cannot change the workspace&#39;s settings"},
		{"partner supervisor", w.louC, "Members of a partner team cannot read the workspace&#39;s settings", "Members of a partner team cannot change the workspace&#39;s settings"},
	} {
		res, body := tc.c.get("/settings")
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, tc.see) || strings.Contains(body, "Rate") {
			t.Errorf("GET /settings as the %s = %d, want 403 saying %q", tc.name, res.StatusCode, tc.see)
		}
		res, body = tc.c.act("/settings/csat", url.Values{"doc": {`{"enabled":false}`}})
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, tc.save) {
			t.Errorf("POST /settings/csat as the %s = %d, want 403 saying %q", tc.name, res.StatusCode, tc.save)
		}
		if _, body := tc.c.get("/"); strings.Contains(body, `href="/settings"`) {
			t.Errorf("the %s is offered the settings", tc.name)
		}
	}
	if got := w.stored("csat"); got != `{"enabled":true,"question":"<em>Rate</em> us: {link}"}` {
		t.Errorf("a refused save stored %s", got)
	}

	res, _ = w.client().get("/settings")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/login?next=%2Fsettings" {
		t.Errorf("GET /settings without a session = %d to %q", res.StatusCode, loc)
	}
	res, _ = w.client().post("/settings/csat", url.Values{"doc": {`{}`}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("POST /settings/csat without a session = %d", res.StatusCode)
	}
}

// TestBrowserSettings: in Chromium, an admin's refused document comes back
// in view, beside its text box, with the text as typed; corrected, it is
// saved. The settings and the reports fit a phone, and nothing on them
// breaks the page's security policy.
func TestBrowserSettings(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	s.Web.API.Settings = fixtureSettings // the interface's own API server has none
	s.CreateUser("ada@example.com", "Ada Admin", password, care.RoleAdmin)
	b := openTab(t, s, desktop)
	b.login("ada@example.com", password)
	b.navigate("/settings")
	b.waitFor(`document.body.dataset.page === 'settings' && document.readyState === 'complete'`, 5*time.Second)

	save := func(doc string) {
		t.Helper()
		b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('doc-csat').value = ` + strconv.Quote(doc)))
		b.do(chromedp.Click(chromedp.CSS(`#setting-csat button.primary`)))
	}
	typed := "{\n  \"enabled\": tru\n}"
	save(typed)
	b.waitFor(`document.readyState === 'complete' && document.querySelector('#setting-csat .flash.error') !== null`, 5*time.Second)
	if got := eval[string](b, `document.querySelector('#setting-csat .flash.error').textContent`); !strings.HasPrefix(got, "This is not JSON: ") ||
		!strings.HasSuffix(got, "at line 2, column 17.") {
		t.Errorf("the refusal says %q", got)
	}
	if got := eval[string](b, `document.getElementById('doc-csat').value`); got != typed {
		t.Errorf("the text box holds %q, want %q", got, typed)
	}
	if !eval[bool](b, `(() => { const r = document.getElementById('doc-csat').getBoundingClientRect(); return r.top < window.innerHeight && r.bottom > 0; })()`) {
		t.Error("the refused text box is not in view")
	}

	save("{\n  \"enabled\": true\n}")
	b.waitFor(`document.readyState === 'complete' && document.querySelector('#setting-csat .flash.notice') !== null`, 5*time.Second)
	doc, err := s.App.Store.Setting(context.Background(), s.WorkspaceID, "csat")
	if err != nil || string(doc) != "{\n  \"enabled\": true\n}" {
		t.Errorf("stored %q, %v", doc, err)
	}

	p := openTab(t, s, phone)
	p.login("ada@example.com", password)
	for _, path := range []string{"/settings", "/reports"} {
		p.navigate(path)
		p.waitFor(`document.readyState === 'complete'`, 5*time.Second)
		p.noHorizontalScroll(path)
	}
}
