package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/savedreply"
)

const savedDoc = `{"replies":[
	{"id":1,"name":"Greeting","text":"Hi {{contact.first_name}}, {{agent.first_name}} from {{workspace.name}} here."},
	{"id":2,"name":"SMS opt-out","text":"Reply STOP to opt out.","channels":["sms"]},
	{"id":3,"name":"<b>Refund</b>","text":"Your refund is on its way, {{contact.name}}. — {{agent.name}}","channels":["api","x"]}]}`

func TestSavedReplies(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setting(savedreply.SettingName, savedDoc)
	conv := f.conversation(f.inbox, `Maya "<script>" Chen`, "Where is my parcel?")
	c := f.login()

	_, body := c.get(convPath(conv, ""))
	picker := regexpFind(t, body, `(?s)<select id="saved-reply".*?</select>`)
	for _, want := range []string{
		// Filled in for this customer and agent; the customer's name is
		// text in an attribute, escaped.
		`<option value="1" data-text="Hi Maya, Sam from Acme here.">Greeting</option>`,
		`<option value="3" data-text="Your refund is on its way, Maya &#34;&lt;script&gt;&#34; Chen. — Sam Agent">&lt;b&gt;Refund&lt;/b&gt;</option>`,
	} {
		if !strings.Contains(picker, want) {
			t.Errorf("the picker lacks %s:\n%s", want, picker)
		}
	}
	if strings.Contains(picker, "STOP") {
		t.Error("the picker offers an SMS-only reply on the API channel")
	}
	if !strings.Contains(body, `formaction="/c/`+itoa(conv.ID)+`/saved" formnovalidate>Insert</button>`) {
		t.Error("the picker has no Insert button that works without the script")
	}

	// Without the script, Insert posts the form: the page comes back with
	// the reply after the draft.
	res, body := c.act(convPath(conv, "/saved"), url.Values{"saved": {"1"}, "text": {"Sorry for the wait!\r\n"}, "visibility": {"private"}})
	if want := html.EscapeString("Sorry for the wait!\n\nHi Maya, Sam from Acme here.") + "</textarea>"; res.StatusCode != http.StatusOK || !strings.Contains(body, want) {
		t.Errorf("POST saved = %d, want 200 with %q in the reply box", res.StatusCode, want)
	}
	if !strings.Contains(body, `value="private" checked`) {
		t.Error("inserting a saved reply lost the visibility chosen")
	}
	res, body = c.act(convPath(conv, "/saved"), url.Values{"saved": {"2"}, "text": {"draft"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "That saved reply is not offered here any more") || !strings.Contains(body, ">draft</textarea>") {
		t.Errorf("POST saved with a reply of another channel = %d, want the draft back with a reason", res.StatusCode)
	}
	if n := len(f.messages(conv)); n != 1 {
		t.Errorf("inserting saved replies stored %d messages, want none", n-1)
	}

	// A document that no longer parses offers nothing, and the page works.
	f.setting(savedreply.SettingName, `{"replies":[{"id":1,"name":"x","text":"{{contact.email}}"}]}`)
	if res, body := c.get(convPath(conv, "")); res.StatusCode != http.StatusOK || strings.Contains(body, `id="saved-reply"`) {
		t.Errorf("GET with saved replies that do not parse = %d, picker shown: %v", res.StatusCode, strings.Contains(body, `id="saved-reply"`))
	}
	f.setting(savedreply.SettingName, `{"replies":[]}`)
	if _, body := c.get(convPath(conv, "")); strings.Contains(body, `id="saved-reply"`) {
		t.Error("a picker is shown with no saved replies")
	}
}

func TestSavedRepliesContactNames(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setting(savedreply.SettingName, `{"replies":[{"id":1,"name":"Hi","text":"Hi {{contact.first_name}} / {{contact.name}}"}]}`)
	c := f.login()
	tests := []struct {
		name, author string
		want         string
	}{
		{"a full name", "Lucía Fernández", "Hi Lucía / Lucía Fernández"},
		{"hidden characters", "Ev\u202Ee\u200B Smith", "Hi Eve / Eve Smith"},
		{"a phone number is no first name", "+44 7700 900123", "Hi there / +44 7700 900123"},
	}
	for _, tt := range tests {
		conv := f.conversationOn(f.inbox, tt.author, care.Public, "", "hello")
		_, body := c.get(convPath(conv, ""))
		opt := regexpFind(t, body, `<option value="1" data-text="[^"]*"`)
		if !strings.Contains(html.UnescapeString(opt), tt.want) {
			t.Errorf("%s: %s, want %q", tt.name, opt, tt.want)
		}
	}
}
