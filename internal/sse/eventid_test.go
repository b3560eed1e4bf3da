package sse

import (
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestParseEventID(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   care.ID
		wantOK bool
	}{
		{"0", 0, true},
		{"42", 42, true},
		{"0042", 42, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"9223372036854775808", 0, false},
		{"99999999999999999999", 0, false},
		{"", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"1e3", 0, false},
		{"0x10", 0, false},
		{"abc", 0, false},
		{"١٢", 0, false},
	} {
		t.Run(strconv.Quote(tc.in), func(t *testing.T) {
			got, ok := parseEventID(tc.in)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("parseEventID(%q) = %d, %v, want %d, %v", tc.in, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestRequestedEventID(t *testing.T) {
	for _, tc := range []struct {
		name   string
		target string
		header string
		want   care.ID
		wantOK bool
	}{
		{"header", "/", "7", 7, true},
		{"query", "/?last_event_id=8", "", 8, true},
		{"header wins", "/?last_event_id=8", "7", 7, true},
		{"invalid header ignores query", "/?last_event_id=8", "x", 0, false},
		{"invalid query", "/?last_event_id=-3", "", 0, false},
		{"neither", "/", "", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", tc.target, nil)
			if tc.header != "" {
				r.Header.Set("Last-Event-ID", tc.header)
			}
			got, ok := requestedEventID(r)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("requestedEventID(%s, Last-Event-ID %q) = %d, %v, want %d, %v", tc.target, tc.header, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

// FuzzParseEventID checks that parseEventID accepts only plain decimal
// numbers and returns their value.
func FuzzParseEventID(f *testing.F) {
	for _, s := range []string{"0", "1", "9223372036854775807", "9223372036854775808", "-1", "+1", "", " ", "1\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := parseEventID(s)
		if !ok {
			if id != 0 {
				t.Errorf("parseEventID(%q) = %d, false, want 0 on failure", s, id)
			}
			return
		}
		for _, c := range []byte(s) {
			if c < '0' || c > '9' {
				t.Fatalf("parseEventID(%q) accepted a non-digit", s)
			}
		}
		if want, err := strconv.ParseInt(s, 10, 64); err != nil || want != id {
			t.Errorf("parseEventID(%q) = %d, want %d (ParseInt err %v)", s, id, want, err)
		}
	})
}
