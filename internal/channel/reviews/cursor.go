package reviews

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"time"
)

// cursor is an inbox's poll position. Google lists reviews newest first
// (orderBy "updateTime desc"), with no "since", so a poll reads from the
// top down to a floor below the newest updateTime it has seen, and
// remembers what it read in that overlap, so that a review read again is
// recognised and a changed one is seen to have changed.
type cursor struct {
	// High is the newest updateTime read (the first poll's time when
	// there was none newer); zero while the first walk goes on.
	High time.Time `json:"high"`
	// Deep is when the last deep walk, down to High-deepOverlap, ended.
	Deep time.Time `json:"deep,omitzero"`
	// Walk is a walk cut short by its page bound, to finish first.
	Walk *walk `json:"walk,omitempty"`
	// Seen are the reviews read with an updateTime within deepOverlap of
	// High, at most maxSeen, newest first.
	Seen []seen `json:"seen,omitempty"`
}

// walk is one pass down the list, which can take several polls.
type walk struct {
	// Token is the next page's pageToken.
	Token string `json:"token"`
	// Floor is the updateTime the walk reads down to.
	Floor time.Time `json:"floor"`
	// High is the newest updateTime the walk has read.
	High time.Time `json:"high"`
	// Deep is true for a deep walk.
	Deep bool `json:"deep,omitempty"`
	// First is true for the inbox's first walk, which imports only
	// unanswered reviews since Import.
	First  bool      `json:"first,omitempty"`
	Import time.Time `json:"import,omitzero"`
}

// seen is what a poll remembers of a review: enough to tell whether it
// changed, and when to forget it.
type seen struct {
	// Key is a hash of the review's name.
	Key string `json:"k"`
	// Updated is its updateTime, in Unix seconds.
	Updated int64 `json:"t"`
	// Content is contentHash: the rating and comment.
	Content string `json:"c"`
	// Reply is replyHash of the owner's reply, "" for none.
	Reply string `json:"r,omitempty"`
	// Skipped is true for a review the first poll read but did not
	// import (answered already, or older than import_days): changes to
	// its reply are not news, only its author's edits are.
	Skipped bool `json:"x,omitempty"`
}

// Bounds of a cursor.
const (
	maxSeen        = 1000
	maxCursorBytes = 256 << 10
	maxTokenBytes  = 2048
)

// reviewKey is the key of a review's name in a cursor.
func reviewKey(name string) string {
	sum := sha256.Sum256([]byte(name))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

var errCursor = errors.New("reviews: cursor not understood")

// decodeCursor reads a cursor; "" is the zero cursor of an inbox never
// polled. It returns errCursor for anything it does not recognise.
func decodeCursor(s string) (cursor, error) {
	var c cursor
	if s == "" {
		return c, nil
	}
	if len(s) > maxCursorBytes || json.Unmarshal([]byte(s), &c) != nil || len(c.Seen) > maxSeen ||
		c.High.IsZero() && (c.Walk == nil || !c.Walk.First) {
		return cursor{}, errCursor
	}
	if w := c.Walk; w != nil && (len(w.Token) > maxTokenBytes || w.Floor.IsZero()) {
		return cursor{}, errCursor
	}
	for _, e := range c.Seen {
		if len(e.Key) != 12 || len(e.Content) != 12 || (e.Reply != "" && len(e.Reply) != 12) {
			return cursor{}, errCursor
		}
	}
	return c, nil
}

// encode writes the cursor.
func (c *cursor) encode() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// seenMap indexes the cursor's reviews by key.
func (c *cursor) seenMap() map[string]seen {
	m := make(map[string]seen, len(c.Seen))
	for _, e := range c.Seen {
		m[e.Key] = e
	}
	return m
}

// keep sets the cursor's reviews to those of m updated no earlier than
// floor, the newest maxSeen of them. A review forgotten early is only read
// again as new, which the core's deduplication absorbs.
func (c *cursor) keep(m map[string]seen, floor time.Time) {
	c.Seen = c.Seen[:0]
	for _, e := range m {
		if e.Updated >= floor.Unix() {
			c.Seen = append(c.Seen, e)
		}
	}
	slices.SortFunc(c.Seen, func(a, b seen) int {
		if a.Updated != b.Updated {
			if a.Updated > b.Updated {
				return -1
			}
			return 1
		}
		if a.Key < b.Key {
			return -1
		}
		if a.Key > b.Key {
			return 1
		}
		return 0
	})
	if len(c.Seen) > maxSeen {
		c.Seen = c.Seen[:maxSeen]
	}
	if len(c.Seen) == 0 {
		c.Seen = nil
	}
}
