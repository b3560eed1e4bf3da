package reddit

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// Reddit's objects are "things": {"kind": "t1", "data": {…}}, named by
// their fullname, the kind and the base-36 id joined by "_": t1_ a
// comment, t2_ an account, t3_ a post (a "link"), t4_ a message, t5_ a
// subreddit (github.com/reddit-archive/reddit/wiki/JSON). Listings wrap
// pages of them: {"kind": "Listing", "data": {"after", "before",
// "children": […]}}.

// Kinds of things.
const (
	kindComment = "t1"
	kindLink    = "t3"
	kindMessage = "t4"
)

// listing is a page of things, newest first in the inbox.
type listing struct {
	Kind string `json:"kind"`
	Data struct {
		After    nullString        `json:"after"`
		Before   nullString        `json:"before"`
		Children []json.RawMessage `json:"children"`
	} `json:"data"`
}

// thing is one child of a listing.
type thing struct {
	Kind string    `json:"kind"`
	Data thingData `json:"data"`
}

// thingData is what Parley reads of an inbox item: a comment (t1, with
// was_comment true: a reply to the account's post or comment, or a
// mention of its username) or a message (t4). Field meanings:
// github.com/Pyprohly/reddit-api-doc-notes, "Private Message" schema.
type thingData struct {
	ID   nullString `json:"id"`
	Name nullString `json:"name"`
	// Author is null for a message from a subreddit, "[deleted]" when the
	// account or the comment is gone.
	Author           nullString `json:"author"`
	AuthorFullname   nullString `json:"author_fullname"`
	Body             nullString `json:"body"`
	Subject          nullString `json:"subject"`
	Subreddit        nullString `json:"subreddit"`
	ParentID         nullString `json:"parent_id"`
	FirstMessageName nullString `json:"first_message_name"`
	LinkID           nullString `json:"link_id"`
	LinkTitle        nullString `json:"link_title"`
	Context          nullString `json:"context"`
	Dest             nullString `json:"dest"`
	Type             nullString `json:"type"`
	Distinguished    nullString `json:"distinguished"`
	WasComment       looseBool  `json:"was_comment"`
	CreatedUTC       looseFloat `json:"created_utc"`
	Score            looseFloat `json:"score"`
}

// nullString is a JSON string; null and any other value decode as "", so
// one odd field never costs a customer's message.
type nullString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *nullString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = nullString(v)
		return nil
	}
	*s = ""
	return nil
}

// looseFloat is a JSON number, or a string holding one (some clients and
// older payloads write created_utc so); anything else decodes as 0.
type looseFloat float64

// UnmarshalJSON implements json.Unmarshaler.
func (f *looseFloat) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(bytes.TrimSpace(b), `"`)
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	*f = looseFloat(v)
	return nil
}

// looseBool is a JSON boolean; anything else decodes as false.
type looseBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (v *looseBool) UnmarshalJSON(b []byte) error {
	*v = looseBool(bytes.Equal(bytes.TrimSpace(b), []byte("true")))
	return nil
}

// time is a created_utc as a time: Unix seconds (Reddit writes whole
// numbers as floats, 1732122191.0); zero for a missing or absurd one.
func (f looseFloat) time() time.Time {
	if f <= 0 || f > 1<<40 {
		return time.Time{}
	}
	sec, frac := math.Modf(float64(f))
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

// validFullname reports whether s is a fullname: "t", a kind digit, "_"
// and a base-36 id of lower-case letters and digits.
func validFullname(s string) bool {
	if len(s) < 4 || len(s) > 20 || s[0] != 't' || s[1] < '1' || s[1] > '9' || s[2] != '_' {
		return false
	}
	for i := 3; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// kindOf is a fullname's kind, "t1" for "t1_abc"; "" when s is not a
// fullname.
func kindOf(s string) string {
	if !validFullname(s) {
		return ""
	}
	return s[:2]
}

// validUsername reports whether s can be a Reddit username: letters,
// digits, "_" and "-" (r2's valid_name: [\w-]{3,20}; older accounts are
// shorter, so any length up to 32 is taken).
func validUsername(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// validSubreddit reports whether s can be a subreddit's name (r2:
// [A-Za-z0-9][A-Za-z0-9_]{2,20}; a few older ones are shorter).
func validSubreddit(s string) bool {
	if s == "" || len(s) > 21 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	return true
}

// sameUser compares usernames as Reddit does, without regard to case.
func sameUser(a, b string) bool { return a != "" && strings.EqualFold(a, b) }
