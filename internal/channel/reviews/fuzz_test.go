package reviews

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
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

// reviewSeeds adds the reviews of the test pages, one by one.
func reviewSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/reviews/*.json")
	for _, file := range files {
		b, _ := os.ReadFile(file)
		var p listJSON
		if json.Unmarshal(b, &p) == nil {
			for _, r := range p.Reviews {
				f.Add([]byte(r))
			}
		}
	}
}

// FuzzParseReview: any review either is refused or makes events that pass
// the core's validation, whose ids lead back to the review.
func FuzzParseReview(f *testing.F) {
	reviewSeeds(f)
	f.Add([]byte(`{"reviewId":"a","createTime":"2024-01-01T00:00:00Z","comment":"(Translated by Google) x\n\n(Original)\n"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parseReview(testLocation, b)
		if err != nil {
			return
		}
		for _, ev := range allEvents(&r) {
			checkEvent(t, ev)
			if name, _, _, ok := parseID(testLocation, ev.Inbound.PlatformID); !ok || name != r.name {
				t.Fatalf("id %q does not lead back to %q", ev.Inbound.PlatformID, r.name)
			}
		}
		if r.updated.Before(r.created) {
			t.Fatalf("updated %v before created %v", r.updated, r.created)
		}
		if len(r.media) > maxMedia {
			t.Fatalf("%d media kept, at most %d", len(r.media), maxMedia)
		}
		for _, m := range r.media {
			if u, err := url.Parse(m.URL); err != nil || u.Scheme != "https" || u.Host == "" || !mediaURL(m.URL) || m.Kind != "image" && m.Kind != "video" {
				t.Fatalf("media %+v", m)
			}
		}
	})
}

// FuzzPoll: whatever a page holds and whatever the cursor remembers, a
// poll's decisions make valid events, and the cursor it writes reads back.
func FuzzPoll(f *testing.F) {
	seeds(f, "testdata/reviews/*.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		var p listJSON
		if json.Unmarshal(b, &p) != nil {
			return
		}
		c := cursor{High: time.Date(2024, 11, 20, 0, 0, 0, 0, time.UTC)}
		seenBy := map[string]seen{}
		for _, w := range []*walk{{Floor: c.High.Add(-deepOverlap), High: c.High, Deep: true}, {Floor: c.High.Add(-quickOverlap), High: c.High}} {
			for _, raw := range p.Reviews {
				r, err := parseReview(testLocation, raw)
				if err != nil {
					continue
				}
				for _, ev := range decide(&r, seenBy, c.High, w) {
					checkEvent(t, ev)
				}
			}
		}
		c.keep(seenBy, c.High.Add(-deepOverlap))
		if _, err := decodeCursor(c.encode()); err != nil {
			t.Fatalf("cursor does not read back: %v", err)
		}
	})
}

// FuzzDecodeCursor: any stored cursor is read or refused, never a panic,
// and one that is read writes back to one that reads the same.
func FuzzDecodeCursor(f *testing.F) {
	f.Add([]byte(`{"high":"2026-11-24T10:00:00Z","seen":[{"k":"AAAAAAAAAAAA","t":1,"c":"aaaaaaaaaaaa"}]}`))
	f.Add([]byte(`{"walk":{"token":"t","floor":"2026-11-24T09:00:00Z","first":true}}`))
	f.Add([]byte(`{"high":"2026-11-24T10:00:00Z","walk":{"token":"","floor":"2026-11-24T09:50:00Z"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCursor(string(b))
		if err != nil || len(b) == 0 {
			return // "" is the cursor of an inbox never polled
		}
		again, err := decodeCursor(c.encode())
		if err != nil || again.encode() != c.encode() {
			t.Fatalf("cursor %q reads back as %q, %v", c.encode(), again.encode(), err)
		}
	})
}

// FuzzOriginal: the original of a comment is part of it.
func FuzzOriginal(f *testing.F) {
	for _, s := range []string{"(Translated by Google) a\n\n(Original)\nb", "(Translated by Google)", "x", "(Translated by Google)(Original)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if o := original(s); !strings.Contains(s, o) || s != "" && o == "" && strings.TrimSpace(s) != "" {
			t.Fatalf("original(%q) = %q", s, o)
		}
	})
}

// FuzzViolation: whatever policyViolation holds, what agents read of it is
// a few lower-case words, or nothing.
func FuzzViolation(f *testing.F) {
	for _, s := range []string{`"PERSONAL_INFORMATION"`, `{"category":"SPAM"}`, `[1]`, `"x"`, `{"a":{"b":"OFF_TOPIC"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v := violation(b)
		if len(v) > 64 || strings.Trim(v, "abcdefghijklmnopqrstuvwxyz ") != "" {
			t.Fatalf("violation(%q) = %q", b, v)
		}
	})
}

// FuzzAPIError: whatever Google answers, the reason is safe to show.
func FuzzAPIError(f *testing.F) {
	f.Add(429, []byte(`{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"metadata":{"quota_limit_value":"0"}},{"retryDelay":"1e9s"}]}}`))
	f.Add(400, []byte(`{"error":{"message":"verified"}}`))
	f.Add(500, []byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, status int, b []byte) {
		if status < 100 || status > 999 {
			return
		}
		e := apiError(&response{status: status, header: http.Header{}, body: b}, testNow)
		if e.Reason == "" || !utf8.ValidString(e.Reason) || len(e.Reason) > 600 || e.RetryAfter < 0 || e.RetryAfter > time.Hour {
			t.Fatalf("apiError(%d, %q) = %+v", status, b, e)
		}
	})
}

// FuzzParseID: an id is the adapter's only if it names a review of the
// location, and then its parts rebuild it.
func FuzzParseID(f *testing.F) {
	name := testLocation + "/reviews/AbFvOqm"
	for _, s := range []string{name, editID(name, testNow), ReplyID(name, "x"), name + "/reply/", "@", testLocation + "/reviews/a@b@c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		n, kind, hash, ok := parseID(testLocation, id)
		if !ok {
			return
		}
		switch kind {
		case idReview:
			if n != id {
				t.Fatalf("review id %q named %q", id, n)
			}
		case idReply:
			if n+replyPart+hash != id {
				t.Fatalf("reply id %q split as %q, %q", id, n, hash)
			}
		case idEdit:
			if !strings.HasPrefix(id, n+"@") {
				t.Fatalf("edit id %q named %q", id, n)
			}
		}
		if !reviewName(testLocation, n) || len(id) > 300 && kind == idReview {
			t.Fatalf("parseID(%q) = %q", id, n)
		}
	})
}
