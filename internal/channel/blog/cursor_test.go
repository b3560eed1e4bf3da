package blog

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRemember(t *testing.T) {
	t.Parallel()
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	var items []seenItem
	for i := range maxSeen + 20 {
		items = append(items, seenItem{key: seenKey(strings.Repeat("i", i+1)), at: day(1).Add(time.Duration(i) * time.Hour)})
	}
	undated := seenItem{key: seenKey("undated")}
	st := &feedState{Seen: []string{"older"}}
	st.remember(append([]seenItem{items[0], undated}, items[1:]...))
	if len(st.Seen) != maxSeen || st.Seen[0] != undated.key || st.Seen[1] != items[len(items)-1].key {
		t.Fatalf("Seen starts %q… (%d), want the undated item, then the newest", st.Seen[:2], len(st.Seen))
	}
	// The 100 kept are the undated and the 99 newest; the oldest kept
	// sets the floor, so the 21 older ones are known by date.
	oldestKept := items[len(items)-(maxSeen-1)]
	if st.Floor != oldestKept.at.Unix() {
		t.Errorf("Floor = %v, want %v", time.Unix(st.Floor, 0).UTC(), oldestKept.at)
	}
	for _, it := range items {
		if !st.known(it.key, it.at) {
			t.Errorf("item of %v not known", it.at)
		}
	}
	if st.known(seenKey("new"), time.Time{}) || st.known(seenKey("new"), day(30)) {
		t.Error("a new item is known")
	}
	if !st.known(seenKey("backdated"), day(1)) {
		t.Error("an item dated below the floor is not known")
	}

	// A small feed keeps earlier ids it no longer shows, and the floor
	// never falls.
	floor := st.Floor
	st.remember([]seenItem{{key: "a", at: day(20)}})
	if st.Seen[0] != "a" || len(st.Seen) != maxSeen || st.Floor != floor {
		t.Errorf("after a small feed: Seen %q… (%d), Floor %d; want a first, full, floor %d", st.Seen[0], len(st.Seen), st.Floor, floor)
	}
	small := &feedState{}
	small.remember([]seenItem{{key: "x"}, {key: "x"}, {key: "y", at: day(2)}})
	if !cmp.Equal(small.Seen, []string{"x", "y"}) || small.Floor != 0 {
		t.Errorf("small feed: Seen %q, Floor %d", small.Seen, small.Floor)
	}
}

func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	c := cursorState{V: cursorVersion, Feeds: map[string]*feedState{
		"https://a.example/feed": {Base: true, ETag: `W/"abc"`, Modified: "Tue, 24 Nov 2026 10:00:00 GMT", Seen: []string{"k1", "k2"}, Floor: 5},
		"https://b.example/feed": {Base: true, Gone: true},
		"https://gone.example/x": {Base: true},
	}}
	s := c.encode([]string{"https://a.example/feed", "https://b.example/feed", "https://new.example/feed"})
	got, ok := decodeCursor(s)
	if !ok {
		t.Fatalf("decodeCursor(%s) not ok", s)
	}
	want := cursorState{V: cursorVersion, Feeds: map[string]*feedState{
		"https://a.example/feed": c.Feeds["https://a.example/feed"],
		"https://b.example/feed": c.Feeds["https://b.example/feed"],
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// What cannot be sent back is dropped.
	bad, ok := decodeCursor(`{"v":1,"f":{"u":{"e":"a\nb","m":"` + strings.Repeat("x", 300) + `","mv":"ftp://x"}}}`)
	if f := bad.Feeds["u"]; !ok || f.ETag != "" || f.Modified != "" || f.Moved != "" {
		t.Errorf("decodeCursor kept unusable values: %+v", f)
	}
}

func TestSignificant(t *testing.T) {
	t.Parallel()
	feeds := []string{"f"}
	base := func(mod func(*feedState)) cursorState {
		st := &feedState{Base: true, ETag: `"1"`, Seen: []string{"a"}}
		if mod != nil {
			mod(st)
		}
		return cursorState{V: 1, Feeds: map[string]*feedState{"f": st}}
	}
	prev := base(nil)
	for _, tt := range []struct {
		name string
		next cursorState
		want bool
	}{
		{"same", base(nil), false},
		{"validators", base(func(f *feedState) { f.ETag, f.Modified = `"2"`, "x" }), false},
		{"wait", base(func(f *feedState) { f.Until = 99 }), false},
		{"items", base(func(f *feedState) { f.Seen = []string{"b", "a"} }), true},
		{"gone", base(func(f *feedState) { f.Gone = true }), true},
		{"moved", base(func(f *feedState) { f.Moved = "https://x" }), true},
		{"floor", base(func(f *feedState) { f.Floor = 1 }), true},
		{"baseline lost", cursorState{V: 1, Feeds: map[string]*feedState{}}, true},
	} {
		if got := significant(prev, tt.next, feeds); got != tt.want {
			t.Errorf("%s: significant = %v, want %v", tt.name, got, tt.want)
		}
	}
	if significant(cursorState{}, cursorState{Feeds: map[string]*feedState{"f": {Until: 5}}}, feeds) {
		t.Error("a first poll that only learnt a wait is significant")
	}
}
