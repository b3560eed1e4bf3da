package reddit

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/oauth"
)

// seeds adds every file matching pattern to f.
func seeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
}

// FuzzMarkdownToText: whatever the body, the text is valid UTF-8 within
// its bound, without control characters other than line breaks or
// bidirectional overrides.
func FuzzMarkdownToText(f *testing.F) {
	for _, s := range []string{
		"**a** _b_ [c](d) ![e](f) <https://g> `h` ```\ni\n``` > j\n* k\n| l | m |\n|---|---|\n>!n!<",
		"[[[[", "](((", "``` ", "\\", "&#0;&#x202E;&amp;", "\xff\xfe", ">!>!!<!<", "<<<>", "~~~~", "# #", "    code",
	} {
		f.Add([]byte(s))
	}
	seeds(f, "testdata/things/*.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, limit := range []int{0, 5, 64, care.MaxTextBytes} {
			got := markdownToText(string(b), limit)
			if len(got) > limit || !utf8.ValidString(got) {
				t.Fatalf("markdownToText(%q, %d) = %q: too long or invalid", b, limit, got)
			}
			if i := strings.IndexFunc(got, func(r rune) bool {
				return r < 0x20 && r != '\n' || r == 0x7f || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
			}); i >= 0 {
				t.Fatalf("markdownToText(%q) = %q has a control character", b, got)
			}
		}
	})
}

// FuzzMapThing: any JSON maps to an event that passes the core's
// validation, or to nothing.
func FuzzMapThing(f *testing.F) {
	seeds(f, "testdata/things/*.json")
	f.Add([]byte(`{"kind":"t1","data":{"name":"t1_a","author":"x","body":"y","parent_id":"t3_b","created_utc":"1e9","context":"/r/a"}}`))
	f.Add([]byte(`{"kind":"t4","data":{"id":"b","author":null,"subreddit":"x","body":"","first_message_name":"t4_a"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := mapThing(testInbox(), b, testNow)
		if err != nil {
			return
		}
		if m.name != "" && !validFullname(m.name) {
			t.Fatalf("fullname %q", m.name)
		}
		if m.skipped != "" {
			return
		}
		in := m.event.Inbound
		in.InboxID, in.Channel = 7, care.ChannelReddit
		if err := in.Validate(); err != nil {
			t.Fatalf("event %+v does not validate: %v", m.event.Inbound, err)
		}
		if in.PlatformID != m.name || in.SentAt.After(testNow.Add(maxFuture)) {
			t.Fatalf("event %+v of %q", in, m.name)
		}
		for _, a := range in.Attachments {
			if !strings.HasPrefix(a.URL, siteURL+"/") {
				t.Fatalf("attachment %q is not on www.reddit.com", a.URL)
			}
		}
	})
}

// FuzzParsePage: any body is a page of items with usable names, or an
// error.
func FuzzParsePage(f *testing.F) {
	f.Add([]byte(`{"kind":"Listing","data":{"after":"t1_x","before":null,"children":[]}}`))
	// Small pages: the fuzzer minimises what it finds, byte by byte.
	for _, pair := range [][2]string{
		{"username_mention_SAMPLE.json", "message_reply_CONSTRUCTED.json"},
		{"deleted_comment_CONSTRUCTED.json", "unknown_kind_CONSTRUCTED.json"},
	} {
		var children []json.RawMessage
		for _, name := range pair {
			if b, err := os.ReadFile(filepath.Join("testdata/things", name)); err == nil {
				children = append(children, b)
			}
		}
		page, _ := json.Marshal(map[string]any{"kind": "Listing", "data": map[string]any{"after": "t1_x", "children": children}})
		f.Add(page)
	}
	a := &Adapter{Logger: slog.New(slog.DiscardHandler)}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := a.parsePage(testInbox(), b, testNow)
		if err != nil {
			return
		}
		if p.after != "" && !validFullname(p.after) || len(p.items) > p.count {
			t.Fatalf("page after %q, %d items of %d", p.after, len(p.items), p.count)
		}
		for _, it := range p.items {
			if it.name != "" && !validFullname(it.name) || it.event != nil && it.event.Inbound.PlatformID != it.name {
				t.Fatalf("item %+v", it)
			}
		}
	})
}

// FuzzEnvelope: any answer to a POST reads as errors classified within
// bounds.
func FuzzEnvelope(f *testing.F) {
	f.Add([]byte(`{"json":{"errors":[["RATELIMIT","you are doing that too much. try again in 5 minutes.","ratelimit"]]}}`))
	f.Add([]byte(`{"json":{"errors":[],"data":{"things":[{"kind":"t1","data":{"name":"t1_abc"}}]}}}`))
	f.Add([]byte(`{"json":{"errors":[[null,5,{}],[]]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var env envelope
		if json.Unmarshal(b, &env) != nil || env.JSON == nil || len(env.JSON.Errors) == 0 {
			return
		}
		e := envelopeError(env.JSON.Errors, testNow)
		if e.RetryAfter < 0 || e.RetryAfter > channel.MaxRetryAfter || e.Permanent == (e.RetryAfter > 0) && e.RetryAfter > 0 ||
			!utf8.ValidString(e.Reason) || strings.ContainsAny(e.Reason, "\n\r\x00") {
			t.Fatalf("envelopeError = %+v", e)
		}
	})
}

// FuzzRateLimitHeaders: any headers read as a budget within bounds.
func FuzzRateLimitHeaders(f *testing.F) {
	f.Add("12", "588.0", "300", "")
	f.Add("x", "-1", "1e400", "Wed, 21 Oct 2026 07:28:00 GMT")
	f.Fuzz(func(t *testing.T, used, remaining, reset, retry string) {
		h := http.Header{}
		h.Set("X-Ratelimit-Used", used)
		h.Set("X-Ratelimit-Remaining", remaining)
		h.Set("X-Ratelimit-Reset", reset)
		h.Set("Retry-After", retry)
		r := parseRateLimit(h, testNow)
		if r.ok && (r.used < 0 || r.remaining < 0) {
			t.Fatalf("budget %+v", r)
		}
		if w := r.wait(h, testNow); w <= 0 || w > channel.MaxRetryAfter {
			t.Fatalf("wait %v", w)
		}
		if s := r.String(); !utf8.ValidString(s) || len(s) > 64 {
			t.Fatalf("String %q", s)
		}
	})
}

// FuzzPollCursor: any stored cursor is read as one, or refused.
func FuzzPollCursor(f *testing.F) {
	f.Add(`{"b":"t4_abc","t":1764000000,"s":["t4_abc","t1_x"]}`)
	f.Add(`{"b":"../","s":[1]}`)
	f.Add(`{"b":"t1_x","w":[{"n":"t1_x","r":1764000000,"e":1764000100}],"k":1764000000}`)
	f.Fuzz(func(t *testing.T, s string) {
		var c pollCursor
		if json.Unmarshal([]byte(s), &c) != nil || !c.valid() {
			return
		}
		c.saw("t1_new", testNow)
		c.watch([]channel.Event{{Inbound: care.Inbound{PlatformID: "t1_new"}}}, testNow)
		var back pollCursor
		if err := json.Unmarshal([]byte(c.String()), &back); err != nil || !back.valid() {
			t.Fatalf("cursor %q round-trips to %q: %v", s, c.String(), err)
		}
	})
}

// FuzzEditOf: any child of an /api/info Listing is an edit that the core
// accepts, or none.
func FuzzEditOf(f *testing.F) {
	f.Add([]byte(`{"kind":"t1","data":{"name":"t1_abc","author":"anna","body":"new *text*","parent_id":"t3_p","created_utc":1764000000,"edited":1764000100.0}}`))
	f.Add([]byte(`{"kind":"t1","data":{"name":"t1_abc","author":"anna","body":"x","edited":false}}`))
	f.Add([]byte(`{"kind":"t1","data":{"name":"t1_abc","author":"[deleted]","body":"[deleted]","edited":"1764000100"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, name, edited, ok := editOf(testInbox(), b, testNow)
		if !ok {
			return
		}
		in := ev.Inbound
		in.InboxID, in.Channel = 1, care.ChannelReddit
		if err := in.Validate(); err != nil {
			t.Fatalf("edit of %s does not validate: %v", b, err)
		}
		if kindOf(name) != kindComment || edited <= 0 || in.ReplyToPlatformID != name || !strings.HasPrefix(in.Text, editedPrefix) {
			t.Fatalf("edit of %s = %+v (%s, %d)", b, in, name, edited)
		}
	})
}

// FuzzTokenAnswer: any answer of the token endpoint reads as an error
// code and a lifetime within bounds.
func FuzzTokenAnswer(f *testing.F) {
	f.Add([]byte(`{"access_token":"abc","token_type":"bearer","expires_in":86400,"scope":"*"}`))
	f.Add([]byte(`{"error":"invalid_grant"}`))
	f.Add([]byte(`{"message":"Unauthorized","error":401}`))
	f.Add([]byte(`{"expires_in":"1e99","error":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var ans tokenAnswer
		if json.Unmarshal(b, &ans) != nil {
			return
		}
		if d := lifetime(ans.ExpiresIn); d <= oauth.Early || d > 24*time.Hour {
			t.Fatalf("lifetime(%s) = %v", ans.ExpiresIn, d)
		}
		_ = errorCode(ans.Error)
	})
}
