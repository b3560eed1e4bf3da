package sms

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
)

// Fuzz targets for every decoder of untrusted input. Run one with, e.g.,
// go test -run '^$' -fuzz FuzzReceiveURL -fuzztime 10s ./internal/channel/sms

func addFixtures(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.form")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("MessageSid=SM00000000000000000000000000000000&AccountSid=" + testAccount + "&From=%2B1&Body=%00STOP&NumMedia=3&MediaUrl2=https://x/"))
	f.Add([]byte("a=1&a=2&&=&b&c=%zz;d"))
}

func FuzzParseForm(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := parseForm(body)
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("parseForm = %v, want nil or EINVALID", err)
			}
			return
		}
		n := 0
		for _, vs := range v {
			n += len(vs)
		}
		if n > maxParams {
			t.Fatalf("parseForm kept %d parameters, more than %d", n, maxParams)
		}
		// What it read is what url.Values encodes: names and the order of
		// each name's values survive a round trip.
		again, err := parseForm([]byte(v.Encode()))
		if err != nil {
			t.Fatalf("parseForm(%q) of its own output: %v", v.Encode(), err)
		}
		if diff := cmp.Diff(v, again); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

func FuzzReceiveURL(f *testing.F) {
	addFixtures(f)
	a := quietAdapter()
	f.Fuzz(func(t *testing.T, body []byte) {
		h := http.Header{}
		if params, err := parseForm(body); err == nil {
			h, _ = signed(hookURL, params)
		} else {
			h.Set(SignatureHeader, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
		}
		events, err := a.ReceiveURL(hookURL, h, body, testInbox(), testNow)
		if err != nil {
			if c := care.ErrorCode(err); c != care.EINVALID && c != care.EUNAUTHORIZED {
				t.Fatalf("ReceiveURL = %v, want nil, EINVALID or EUNAUTHORIZED", err)
			}
			return
		}
		if len(events) > 1 {
			t.Fatalf("ReceiveURL returned %d events for one delivery", len(events))
		}
		for _, ev := range events {
			checkEvent(t, ev)
		}
	})
}

func FuzzParseJSONParams(f *testing.F) {
	f.Add([]byte(`{"MessageSid":"SM1f0e8ae6ade43cb3c0ce4525424e404f","NumMedia":2,"Flag":true,"X":{"y":1}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"a":"\u0000","a":"b"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := parseJSONParams(body)
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("parseJSONParams = %v, want nil or EINVALID", err)
			}
			return
		}
		if len(v) > maxParams {
			t.Fatalf("parseJSONParams kept %d names", len(v))
		}
		if _, _, err := parseParams(v, testAccount, testNow); err != nil && care.ErrorCode(err) != care.EINVALID && care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Fatalf("parseParams = %v", err)
		}
	})
}

func FuzzSegments(f *testing.F) {
	for _, s := range []string{"", "Hello", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152),
		strings.Repeat("ж", 66) + "😀" + strings.Repeat("ж", 66), "a\xffb", "^{}\\[~]|€\f", "🇫🇷👍🏽"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		enc, segs, per, units := Segments(text)
		gsm, septets := true, 0
		for _, r := range text {
			if c := gsmCost(r); c == 0 {
				gsm = false
			} else {
				septets += c
			}
		}
		single, multi := gsmSingle, gsmMulti
		switch {
		case gsm && (enc != GSM7 || units != septets):
			t.Fatalf("Segments(%q) = %s with %d units, want GSM-7 with %d", text, enc, units, septets)
		case !gsm && (enc != UCS2 || units != len(utf16.Encode([]rune(text)))):
			t.Fatalf("Segments(%q) = %s with %d units, want UCS-2 with %d", text, enc, units, len(utf16.Encode([]rune(text))))
		case !gsm:
			single, multi = ucs2Single, ucs2Multi
		}
		switch {
		case units == 0:
			if segs != 0 || per != single {
				t.Fatalf("Segments(%q) = %d segments of %d, want 0 of %d", text, segs, per, single)
			}
		case units <= single:
			if segs != 1 || per != single {
				t.Fatalf("Segments(%q) = %d segments of %d, want 1 of %d", text, segs, per, single)
			}
		default:
			// Every segment but the last holds at least per-1 units: a
			// split wastes at most one.
			if per != multi || segs*per < units || (segs-1)*(per-1) >= units {
				t.Fatalf("Segments(%q) = %d segments of %d for %d units", text, segs, per, units)
			}
		}
	})
}

func FuzzURLVariants(f *testing.F) {
	for _, u := range []string{hookURL, "http://a:80/x", "https://[::1]:443", "https://u@h:443?x#y", "x://", "https://:443"} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vs := urlVariants(raw)
		if len(vs) == 0 || len(vs) > 2 || vs[0] != raw {
			t.Fatalf("urlVariants(%q) = %q", raw, vs)
		}
		if len(vs) == 2 {
			long, short := vs[0], vs[1]
			if len(long) < len(short) {
				long, short = short, long
			}
			port := ":443"
			if len(long)-len(short) == len(":80") {
				port = ":80"
			}
			if !removes(long, port, short) {
				t.Fatalf("urlVariants(%q) = %q: the variants differ by more than a default port", raw, vs)
			}
		}
	})
}

// removes reports whether deleting one occurrence of sub from s gives t.
func removes(s, sub, t string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub && s[:i]+s[i+len(sub):] == t {
			return true
		}
	}
	return false
}
