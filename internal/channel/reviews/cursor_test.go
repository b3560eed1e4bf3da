package reviews

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	c := cursor{High: testNow, Deep: testNow.Add(-time.Minute),
		Walk: &walk{Token: "tok", Floor: testNow.Add(-quickOverlap), High: testNow.Add(time.Second), First: true, Import: testNow.Add(-time.Hour)},
		Seen: []seen{{Key: reviewKey("a"), Updated: testNow.Unix(), Content: strings.Repeat("a", 12), Reply: strings.Repeat("b", 12), Skipped: true}}}
	got, err := decodeCursor(c.encode())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestDecodeCursorRejects(t *testing.T) {
	t.Parallel()
	long := `{"high":"2026-11-24T10:00:00Z","walk":{"token":"` + strings.Repeat("x", maxTokenBytes+1) + `","floor":"2026-11-24T09:00:00Z"}}`
	for _, s := range []string{
		"x", "{}", "null", `{"high":"yesterday"}`, `{"high":"0001-01-01T00:00:00Z"}`, long,
		`{"high":"2026-11-24T10:00:00Z","walk":{"token":"t"}}`,
		`{"high":"2026-11-24T10:00:00Z","seen":[{"k":"short","t":1,"c":"aaaaaaaaaaaa"}]}`,
		`{"walk":{"token":"t","floor":"2026-11-24T09:00:00Z"}}`,
	} {
		if _, err := decodeCursor(s); err == nil {
			t.Errorf("decodeCursor(%.80q) = nil error", s)
		}
	}
	if _, err := decodeCursor(`{"walk":{"token":"t","floor":"2026-11-24T09:00:00Z","first":true}}`); err != nil {
		t.Errorf("a first walk under way: %v", err)
	}
}

// TestCursorKeep: the cursor forgets reviews below the floor and keeps
// the newest maxSeen, so it stays bounded.
func TestCursorKeep(t *testing.T) {
	t.Parallel()
	m := map[string]seen{}
	for i := range maxSeen + 100 {
		k := reviewKey(strconv.Itoa(i))
		m[k] = seen{Key: k, Updated: testNow.Unix() - int64(i), Content: "aaaaaaaaaaaa"}
	}
	var c cursor
	c.keep(m, testNow.Add(-time.Duration(maxSeen+50)*time.Second))
	if len(c.Seen) != maxSeen || c.Seen[0].Updated != testNow.Unix() || c.Seen[maxSeen-1].Updated != testNow.Unix()-maxSeen+1 {
		t.Errorf("kept %d, newest %d, oldest %d", len(c.Seen), c.Seen[0].Updated, c.Seen[len(c.Seen)-1].Updated)
	}
	c.High, c.Walk = testNow, &walk{Token: strings.Repeat("t", maxTokenBytes), Floor: testNow}
	if n := len(c.encode()); n > maxCursorBytes {
		t.Errorf("a full cursor is %d bytes, over the %d decodeCursor takes", n, maxCursorBytes)
	}
	if _, err := decodeCursor(c.encode()); err != nil {
		t.Errorf("a full cursor does not decode: %v", err)
	}
	c.keep(m, testNow.Add(time.Hour))
	if c.Seen != nil {
		t.Errorf("kept %d above the floor", len(c.Seen))
	}
}
