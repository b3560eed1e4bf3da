package foursquare

import (
	"os"
	"path/filepath"
	"testing"
)

// Fuzz targets for every decoder of untrusted input. Run one with, e.g.,
// go test -run '^$' -fuzz FuzzTips -fuzztime 30s ./internal/channel/foursquare

// FuzzTips maps arbitrary pages: every event made is valid and its tip's.
func FuzzTips(f *testing.F) {
	files, _ := filepath.Glob("testdata/tips/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`[{"fsq_tip_id":"a","created_at":99999999999999999999,"text":"\ud800","agree_count":9223372036854775807,"disagree_count":9223372036854775807}]`))
	f.Add([]byte(`{"results":[{"id":"x","photo":{"prefix":"https://a/","suffix":"/b.jpg"},"url":"https://\u0000"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		tips, err := parseTips(body)
		if err != nil {
			return
		}
		for _, tp := range tips {
			ev, ok := event(tp, sohoVenue, testNow, tp.raw)
			if !ok {
				continue
			}
			checkEvent(t, ev)
			if ev.Inbound.Engagement < 0 || ev.Inbound.SentAt.After(testNow.Add(24*3600e9)) {
				t.Fatalf("engagement %d, sent at %v", ev.Inbound.Engagement, ev.Inbound.SentAt)
			}
		}
	})
}

// FuzzCursor: a cursor Parley accepts round-trips.
func FuzzCursor(f *testing.F) {
	f.Add(`{"v":1,"venues":{"` + soho + `":{"since":1795500000,"seen":["a","b"]}}}`)
	f.Add(`{"v":1,"venues":{}}`)
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := parseCursor(s)
		if !ok {
			return
		}
		c2, ok := parseCursor(c.String())
		if !ok || c2.String() != c.String() {
			t.Fatalf("cursor %q does not round-trip: %q", s, c2.String())
		}
	})
}

// FuzzVenues: whatever the credential, the venues read are ids safe in a
// path.
func FuzzVenues(f *testing.F) {
	f.Add(soho + "=Acme Soho, " + brooklyn)
	f.Add("../x=y\n\u0000")
	f.Fuzz(func(t *testing.T, s string) {
		vs, err := parseVenues(s)
		if err != nil {
			return
		}
		for _, v := range vs {
			if !placeID(v.id) || v.label == "" || len(v.label) > maxVenueLabel && v.label != v.id {
				t.Fatalf("venue %+v of %q", v, s)
			}
		}
		if again, err := parseVenues(formatVenues(vs)); err != nil || len(again) != len(vs) {
			t.Fatalf("venues of %q do not round-trip: %v", s, err)
		}
	})
}
