package blog

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"slices"
	"time"
)

// Cursor: one small JSON object holding, for each feed of the inbox (keyed
// by its address as configured), what the next poll needs:
//
//	b   true once the feed has been read: its items then were the baseline
//	e   the ETag of the last 200 answer (sent as If-None-Match)
//	m   its Last-Modified (sent as If-Modified-Since)
//	s   the items known, as short hashes of their ids, newest first
//	fl  a floor, Unix seconds: items dated before it are known too
//	mv  where the feed moved to for good (301 or 308), fetched instead
//	g   true when the feed answered 410 Gone: it is no longer fetched
//	u   Unix seconds before which the feed is not fetched (Retry-After)
//
// Feeds carry no order one can trust (items lack dates, dates lie, new
// items may be dated in the past), so the cursor remembers which items
// were seen rather than a position: an item is new when its id is not
// among them. At most maxSeen are kept per feed, which is more than feeds
// hold (WordPress serves 10 items, most blogs under 50); for a feed that
// holds more, the date of the oldest kept item becomes the floor. A feed
// whose state is missing (the first poll, or a feed just added) is read
// once as the baseline: what it holds then is known, not imported.
const (
	cursorVersion = 1
	// maxSeen bounds the items remembered per feed.
	maxSeen = 100
	// maxCursorBytes bounds the cursor read back: MaxFeeds feeds with
	// everything remembered fit in well under half of it.
	maxCursorBytes = 64 << 10
	// maxValidatorBytes bounds an ETag or Last-Modified kept.
	maxValidatorBytes = 256
)

type cursorState struct {
	V     int                   `json:"v"`
	Feeds map[string]*feedState `json:"f"`
}

type feedState struct {
	Base     bool     `json:"b,omitempty"`
	ETag     string   `json:"e,omitempty"`
	Modified string   `json:"m,omitempty"`
	Seen     []string `json:"s,omitempty"`
	Floor    int64    `json:"fl,omitempty"`
	Moved    string   `json:"mv,omitempty"`
	Gone     bool     `json:"g,omitempty"`
	Until    int64    `json:"u,omitempty"`
}

// decodeCursor reads a cursor; ok is false for one that is not Parley's
// (the caller then starts again from now).
func decodeCursor(s string) (c cursorState, ok bool) {
	c = cursorState{V: cursorVersion, Feeds: map[string]*feedState{}}
	if s == "" {
		return c, true
	}
	var d cursorState
	if len(s) > maxCursorBytes || json.Unmarshal([]byte(s), &d) != nil || d.V != cursorVersion {
		return c, false
	}
	for k, f := range d.Feeds {
		if f == nil || len(c.Feeds) >= MaxFeeds*2 {
			continue
		}
		if len(f.Seen) > maxSeen {
			f.Seen = f.Seen[:maxSeen]
		}
		if !validator(f.ETag) {
			f.ETag = ""
		}
		if !validator(f.Modified) {
			f.Modified = ""
		}
		if f.Moved != "" {
			if u, err := feedURL(f.Moved); err != nil || u != f.Moved {
				f.Moved = ""
			}
		}
		c.Feeds[k] = f
	}
	return c, true
}

// encode writes the cursor, only for the feeds still configured.
func (c cursorState) encode(feeds []string) string {
	out := cursorState{V: cursorVersion, Feeds: make(map[string]*feedState, len(feeds))}
	for _, f := range feeds {
		if st := c.Feeds[f]; st != nil {
			out.Feeds[f] = st
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// validator reports whether an ETag or Last-Modified value is worth
// keeping and sending back: short, printable ASCII.
func validator(v string) bool {
	if len(v) > maxValidatorBytes {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return false
		}
	}
	return true
}

// seenKey is the short hash under which an item's id is remembered: 48
// bits, so that one feed's hundred items collide with odds of one in
// 10^10.
func seenKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(sum[:6])
}

// known reports whether the item with key k and date at (zero when
// undated) was seen before.
func (f *feedState) known(k string, at time.Time) bool {
	if slices.Contains(f.Seen, k) {
		return true
	}
	return f.Floor != 0 && !at.IsZero() && at.Unix() < f.Floor
}

// seenItem is an item of a fetched feed, for remember.
type seenItem struct {
	key string
	at  time.Time // zero when undated
}

// remember makes the items of a fetched feed the known ones: the undated
// first, then the dated newest first, at most maxSeen, topped up with
// earlier known ones the feed no longer shows (so that an item coming back
// to a flapping feed is not new). When the feed holds more than maxSeen,
// the oldest date kept becomes the floor, which only rises.
func (f *feedState) remember(items []seenItem) {
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(x, y seenItem) int {
		switch {
		case x.at.IsZero() && y.at.IsZero():
			return 0
		case x.at.IsZero():
			return -1
		case y.at.IsZero():
			return 1
		}
		return y.at.Compare(x.at)
	})
	seen := make([]string, 0, min(len(sorted), maxSeen))
	for _, it := range sorted {
		if len(seen) == maxSeen {
			break
		}
		if !slices.Contains(seen, it.key) {
			seen = append(seen, it.key)
		}
	}
	if len(sorted) > maxSeen {
		var oldest time.Time
		for _, it := range sorted[:maxSeen] {
			if !it.at.IsZero() && (oldest.IsZero() || it.at.Before(oldest)) {
				oldest = it.at
			}
		}
		if !oldest.IsZero() && oldest.Unix() > f.Floor {
			f.Floor = oldest.Unix()
		}
	}
	for _, k := range f.Seen {
		if len(seen) == maxSeen {
			break
		}
		if !slices.Contains(seen, k) {
			seen = append(seen, k)
		}
	}
	f.Seen = seen
}

// significant reports whether next differs from prev in what must not be
// lost: a baseline, the items known, the floor, a move or a feed gone.
// Validators and waits are not: losing them costs one full fetch.
func significant(prev, next cursorState, feeds []string) bool {
	var zero feedState
	for _, u := range feeds {
		p, n := prev.Feeds[u], next.Feeds[u]
		if p == nil {
			p = &zero
		}
		if n == nil {
			n = &zero
		}
		switch {
		case p.Base != n.Base || p.Floor != n.Floor || p.Moved != n.Moved || p.Gone != n.Gone || !slices.Equal(p.Seen, n.Seen):
			return true
		}
	}
	return false
}
