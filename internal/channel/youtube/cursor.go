package youtube

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// The poll cursor, saved as JSON:
//
//	{"v":1,"mark":1795514400,
//	 "seen":{"UgzA…":1795514391,"UgzB….9x…":1795514400},
//	 "threads":{"UgzC…":{"n":12},"UgzD…":{"n":7,"p":1795513000}},
//	 "gap":{"token":"QURTSl9p…","floor":1795510000}}
//
// mark is the time (Unix seconds) of the newest comment or edit read, or
// of the last poll that read everything listed back to its look back.
// seen holds the ids of the events read from overlap before mark on, with
// their times, so a poll can look back that far for comments YouTube lists
// late without handing them over twice; when more were read than seen
// holds, from says where the look back starts instead. threads holds, for threads with
// more replies than a page embeds, how many replies were read (n), and
// for those whose replies could not be read yet, since when (p). gap,
// when a poll ran out of its page budget before reaching the comments it
// had already read, is where to go on reading (the page token) and down
// to when (floor).
type cursor struct {
	V    int   `json:"v"`
	Mark int64 `json:"mark"`
	// From, when not 0, is where the look back starts if later than
	// overlap before mark: seen could not hold every id since then.
	From    int64              `json:"from,omitempty"`
	Seen    map[string]int64   `json:"seen,omitempty"`
	Threads map[string]tracked `json:"threads,omitempty"`
	Gap     *gap               `json:"gap,omitempty"`
}

// tracked is a thread whose replies are read with comments.list.
type tracked struct {
	// N is its totalReplyCount when its replies were last read.
	N int64 `json:"n"`
	// P, when not 0, is the floor of replies still to read: they could not
	// be read when the count rose.
	P int64 `json:"p,omitempty"`
}

// gap is a stretch of threads a poll could not finish. Its Token is ""
// when the stretch is to be read again from the newest thread (YouTube
// refused the token).
type gap struct {
	Token string `json:"token"`
	Floor int64  `json:"floor"`
}

const (
	cursorVersion = 1
	// maxCursorBytes bounds a cursor read back.
	maxCursorBytes = 512 << 10
	// maxSeen bounds the ids a cursor remembers; beyond it the oldest are
	// forgotten, and a comment among them listed again is handed over
	// again, which the core's deduplication makes harmless.
	maxSeen = 500
	// maxTracked bounds the threads whose reply counts it remembers.
	maxTracked = 1000
	// maxTokenBytes bounds a page token; YouTube's are about 100 bytes.
	maxTokenBytes = 2048
)

// parseCursor reads a cursor made by formatCursor; ok is false for "" and
// for anything it cannot use. Entries that are not ids or times are
// dropped, the rest kept.
func parseCursor(s string, now time.Time) (*cursor, bool) {
	if s == "" || len(s) > maxCursorBytes {
		return nil, false
	}
	var c cursor
	if err := json.Unmarshal([]byte(s), &c); err != nil || c.V != cursorVersion || !plausible(c.Mark, now) {
		return nil, false
	}
	if c.From != 0 && (!plausible(c.From, now) || c.From > c.Mark) {
		c.From = 0
	}
	for id, t := range c.Seen {
		if _, ok := CommentOf(id); !ok || !plausible(t, now) {
			delete(c.Seen, id)
		}
	}
	for id, tr := range c.Threads {
		if !idChars(id, maxIDPart) || tr.N < 0 || tr.P != 0 && !plausible(tr.P, now) {
			delete(c.Threads, id)
		}
	}
	if g := c.Gap; g != nil && (g.Token != "" && !validToken(g.Token) || !plausible(g.Floor, now)) {
		c.Gap = nil
	}
	return &c, true
}

// formatCursor writes c, its maps in key order.
func formatCursor(c *cursor) string {
	c.V = cursorVersion
	b, err := json.Marshal(c)
	if err != nil {
		return ""
	}
	return string(b)
}

// plausible reports whether Unix time t could be a comment's.
func plausible(t int64, now time.Time) bool {
	return t >= youtubeEpoch.Unix() && t <= now.Add(24*time.Hour).Unix()
}

// validToken reports whether s can be a page token: printable ASCII
// without spaces.
func validToken(s string) bool {
	if s == "" || len(s) > maxTokenBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// pruneSeen keeps the ids from floor on, the newest maxSeen of them. When
// it drops some from floor on, it returns the time of the oldest it kept,
// from which polls look back instead; otherwise 0.
func pruneSeen(seen map[string]int64, floor int64) (map[string]int64, int64) {
	type entry struct {
		id string
		t  int64
	}
	var kept []entry
	for id, t := range seen {
		if t >= floor {
			kept = append(kept, entry{id, t})
		}
	}
	var from int64
	if len(kept) > maxSeen {
		slices.SortFunc(kept, func(a, b entry) int {
			return cmp.Or(cmp.Compare(b.t, a.t), strings.Compare(a.id, b.id))
		})
		kept = kept[:maxSeen]
		from = kept[maxSeen-1].t
	}
	out := make(map[string]int64, len(kept))
	for _, e := range kept {
		out[e.id] = e.t
	}
	return out, from
}
