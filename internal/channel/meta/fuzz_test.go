package meta

import (
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func addTestdata(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile("testdata/" + n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// quiet discards what receive logs, which fuzzing would flood.
var quiet = slog.New(slog.DiscardHandler)

// fuzzReceive checks that any signed body either fails with a coded error
// or yields events the core accepts, for the entry's account.
func fuzzReceive(t *testing.T, body []byte) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	in := care.Inbox{Channel: care.ChannelFacebook, Credentials: map[string]string{CredAppSecret: "k", CredAppID: "42"}}
	h := http.Header{}
	h.Set(SignatureHeader, Sign("k", body))
	evs, err := receive(h, body, in, now, quiet)
	if err != nil {
		if c := care.ErrorCode(err); c != care.EINVALID {
			t.Fatalf("receive returned %q, want %q: %v", c, care.EINVALID, err)
		}
		return
	}
	for _, e := range evs {
		if err := e.Inbound.Validate(); err != nil {
			t.Fatalf("accepted event fails validation: %v (%+v)", err, e.Inbound)
		}
		if e.Account == "" || len(e.Raw) == 0 {
			t.Fatalf("event without account or raw payload: %+v", e)
		}
		if e.Inbound.Channel != care.ChannelFacebook && e.Inbound.Channel != care.ChannelInstagram {
			t.Fatalf("event on channel %q", e.Inbound.Channel)
		}
		if e.Inbound.SentAt.After(now.Add(24*time.Hour)) || e.Inbound.SentAt.Year() < 2004 {
			t.Fatalf("implausible time %v", e.Inbound.SentAt)
		}
	}
	h.Set(SignatureHeader, Sign("other", body))
	if _, err := receive(h, body, in, now, quiet); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Fatalf("wrong signature accepted: %v", err)
	}
}

func FuzzReceivePage(f *testing.F) {
	addTestdata(f, "messenger_text.json", "messenger_batch.json", "page_feed.json", "unicode_escaped_body.json",
		"messenger_events.json", "page_feed_changes.json")
	f.Add([]byte(`{"object":"page","entry":[{"id":1,"time":"x","messaging":[{"sender":{"id":true},"message":{"mid":"m","text":"\u0000"}}]}]}`))
	f.Add([]byte(`{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"1_2","from":{"id":"3"},"created_time":1e300}}]}]}`))
	f.Add([]byte(`{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"1_3","parent_id":"1_2","post_id":"1_1","from":{"id":"1"}}}]}]}`))
	f.Add([]byte(`{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"message":{"mid":"m","referral":{"source":"ADS","ad_id":7,"ads_context_data":{"ad_title":"\u202e","product_id":"x"}}}},{"sender":{"id":"2"},"referral":{"source":"\u0000"}},{"\u001b":1}]}]}`))
	f.Fuzz(fuzzReceive)
}

func FuzzReceiveInstagram(f *testing.F) {
	addTestdata(f, "instagram_dm.json", "instagram_changes.json", "instagram_events.json")
	f.Add([]byte(`{"object":"instagram","entry":[{"id":"1","field":"mentions","value":{"media_id":"2","comment_id":"3"}}]}`))
	f.Add([]byte(`{"object":"instagram","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"read":{"mid":""},"message":{"mid":"x","is_echo":true,"app_id":42}}]}]}`))
	f.Fuzz(fuzzReceive)
}

func FuzzParseUsage(f *testing.F) {
	f.Add(`{"call_count":28,"total_time":25,"total_cputime":25}`, `{"112233":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":19}]}`)
	f.Add(`{"call_count":-1e309}`, `{"1":[{"type":"\u0000","estimated_time_to_regain_access":1e308}]}`)
	f.Fuzz(func(t *testing.T, app, buc string) {
		h := http.Header{}
		h.Set("X-App-Usage", app)
		h.Set("X-Business-Use-Case-Usage", buc)
		u, _ := parseUsage(h)
		if u.regain < 0 || u.regain > channel.MaxRetryAfter {
			t.Fatalf("regain %v out of range", u.regain)
		}
		s := u.String()
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\n\r<>") || len(s) > 1024 {
			t.Fatalf("usage string unsafe for display: %q", s)
		}
		for b, p := range u.budgets {
			if p < 0 || p > 1000 || b == "" {
				t.Fatalf("budget %q = %d", b, p)
			}
		}
	})
}

func FuzzGraphError(f *testing.F) {
	f.Add([]byte(`{"error":{"message":"Message describing the error","type":"OAuthException","code":190,"error_subcode":460,"fbtrace_id":"EJplcsCHuLu"}}`), 400)
	f.Add([]byte(`{"error":{"message":"(#4) Application request limit reached","code":4,"is_transient":true}}`), 403)
	f.Add([]byte("<html>\x00\xff</html>"), 502)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		if status < 300 || status > 599 {
			status = 400 + (status&0x7fffffff)%200
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		err := classify(resp, body, usage{}, now)
		se, ok := err.(*channel.SendError)
		if !ok {
			t.Fatalf("classify returned %T", err)
		}
		if se.Reason == "" || !utf8.ValidString(se.Reason) || strings.ContainsAny(se.Reason, "\x00\n\r") || len(se.Reason) > 600 {
			t.Fatalf("reason unsafe for display: %q", se.Reason)
		}
		if se.RetryAfter < 0 || se.RetryAfter > channel.MaxRetryAfter {
			t.Fatalf("retry after %v", se.RetryAfter)
		}
	})
}
