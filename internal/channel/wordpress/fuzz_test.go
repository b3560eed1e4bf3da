package wordpress

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// seeds adds every file of a testdata directory to f.
func seeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
}

// FuzzMapComment: any JSON maps to an event that passes the core's
// validation, or to nothing.
func FuzzMapComment(f *testing.F) {
	seeds(f, "testdata/comments/*.json")
	f.Add([]byte(`{"id":1,"parent":"2","author":3,"content":{"rendered":"<p>x"},"date_gmt":"2026-01-01T00:00:00Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeComment(b)
		if err != nil {
			return
		}
		for _, users := range []string{SiteUsersStaff, SiteUsersCustomers} {
			in := testInbox()
			in.Credentials[CredSiteUsers] = users
			m := mapComment(in, c, b, testNow)
			if m.skipped != "" {
				continue
			}
			ev := m.ev.Inbound
			ev.InboxID = 7
			if ev.Kind == care.KindEcho {
				if m.echoOf == "" || ev.ReplyToPlatformID != m.echoOf {
					t.Fatalf("echo of %q answering %q", m.echoOf, ev.ReplyToPlatformID)
				}
				ev.Author = authorOf(c)
			}
			if err := ev.Validate(); err != nil {
				t.Fatalf("event %+v does not validate: %v", m.ev.Inbound, err)
			}
			if !validID(ev.PlatformID) || ev.ReplyToPlatformID != "" && !validID(ev.ReplyToPlatformID) {
				t.Fatalf("ids %q, %q", ev.PlatformID, ev.ReplyToPlatformID)
			}
			if ev.SentAt.After(testNow.Add(maxFuture)) {
				t.Fatalf("sent in the future: %v", ev.SentAt)
			}
		}
	})
}

// FuzzCursor: any stored cursor decodes within bounds or not at all.
func FuzzCursor(f *testing.F) {
	f.Add(`{"v":1,"t":"2026-11-24T10:00:00","s":[{"i":5,"a":1790000000}]}`)
	f.Add(`{"v":1,"t":"","w":"2026-11-24T10:00:00"}`)
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := decodeCursor(s)
		if !ok {
			return
		}
		if len(c.Known) > maxKnown {
			t.Fatalf("%d known", len(c.Known))
		}
		c.add(1, testNow)
		if _, ok := decodeCursor(c.encode()); !ok {
			t.Fatalf("the encoding of a decoded cursor does not decode: %s", c.encode())
		}
		_ = c.isNew(2, testNow)
	})
}

// FuzzRefusal: any error answer becomes a reason of bounded, printable
// text.
func FuzzRefusal(f *testing.F) {
	f.Add(409, []byte(`{"code":"comment_duplicate","message":"Duplicate comment detected; it looks as though you&#8217;ve already said that!","data":{"status":409}}`))
	f.Add(401, []byte(`{"code":"incorrect_password","message":"<strong>Error:</strong> bad"}`))
	f.Add(503, []byte("<html><h1>503</h1>"))
	f.Add(400, []byte(`{"code":"comment_flood"}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		e := refusal(&response{status: status, header: http.Header{}, body: body}, testNow)
		if len(e.Reason) > 600 || !utf8.ValidString(e.Reason) || strings.ContainsAny(e.Reason, "\x00\n\r\t") {
			t.Fatalf("reason %q", e.Reason)
		}
		if e.RetryAfter < 0 {
			t.Fatalf("retry after %v", e.RetryAfter)
		}
	})
}
