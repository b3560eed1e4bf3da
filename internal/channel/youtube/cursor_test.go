package youtube

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCursor(t *testing.T) {
	t.Parallel()
	mark := testNow.Unix()
	c := &cursor{Mark: mark,
		Seen:    map[string]int64{"UgzA": mark - 10, "UgzB.9x": mark, "UgzC:edit:" + fmt.Sprint(mark): mark},
		Threads: map[string]tracked{"UgzC": {N: 12}, "UgzD": {N: 7, P: mark - 600}},
		Gap:     &gap{Token: "QURTSl9pM0ZFRk5fakeToken", Floor: mark - 3600}}
	s := formatCursor(c)
	if s != formatCursor(c) {
		t.Fatal("formatCursor is not deterministic")
	}
	got, ok := parseCursor(s, testNow)
	if !ok {
		t.Fatalf("parseCursor(%s) failed", s)
	}
	if diff := cmp.Diff(c, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}

	// Entries that are not ids or times are dropped; the rest is kept.
	dirty := `{"v":1,"mark":` + fmt.Sprint(mark) + `,"seen":{"UgzA":` + fmt.Sprint(mark) + `,"bad id":1,"UgzB":1},` +
		`"threads":{"UgzC":{"n":-1},"UgzD":{"n":3,"p":99999999999},"UgzE":{"n":2}},"gap":{"token":"has space","floor":1}}`
	got, ok = parseCursor(dirty, testNow)
	want := &cursor{V: 1, Mark: mark, Seen: map[string]int64{"UgzA": mark}, Threads: map[string]tracked{"UgzE": {N: 2}}}
	if !ok || !cmp.Equal(want, got) {
		t.Errorf("parseCursor(dirty) = %+v, %v; want %+v", got, ok, want)
	}
	// A gap to read again from the newest thread has no token.
	if got, ok := parseCursor(`{"v":1,"mark":`+fmt.Sprint(mark)+`,"gap":{"token":"","floor":`+fmt.Sprint(mark-60)+`}}`, testNow); !ok || got.Gap == nil {
		t.Errorf("a gap without a token was dropped: %+v", got)
	}

	for _, bad := range []string{"", "{", `{"v":2,"mark":1795514400}`, `{"v":1,"mark":0}`, `{"v":1,"mark":99999999999}`,
		`{"v":1,"mark":"1795514400"}`, "100004:1795514400", strings.Repeat(" ", maxCursorBytes+1)} {
		if c, ok := parseCursor(bad, testNow); ok {
			t.Errorf("parseCursor(%q) = %+v, want it refused", bad, c)
		}
	}
}

func TestPruneSeen(t *testing.T) {
	t.Parallel()
	seen := map[string]int64{}
	for i := range maxSeen + 100 {
		seen[fmt.Sprintf("Ugz%04d", i)] = int64(1000 + i)
	}
	seen["UgzOld"] = 10
	got, from := pruneSeen(seen, 500)
	if from != int64(1000+100) {
		t.Errorf("pruneSeen's look back starts at %d, want %d", from, 1100)
	}
	if _, from := pruneSeen(map[string]int64{"UgzA": 10}, 5); from != 0 {
		t.Errorf("pruneSeen of a few ids starts the look back at %d, want 0", from)
	}
	if len(got) != maxSeen {
		t.Fatalf("pruneSeen kept %d, want %d", len(got), maxSeen)
	}
	if _, ok := got["UgzOld"]; ok {
		t.Error("an id before the floor was kept")
	}
	if _, ok := got[fmt.Sprintf("Ugz%04d", maxSeen+99)]; !ok {
		t.Error("the newest id was dropped")
	}
	if _, ok := got["Ugz0000"]; ok {
		t.Error("the oldest id was kept over newer ones")
	}
}
