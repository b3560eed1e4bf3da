package foursquare

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

// tip is a tip as the Places API describes it. The reference's schema
// names the id fsq_tip_id; its embedded tips (in photos, in place details)
// name it id, which is read too.
type tip struct {
	FsqTipID      channel.LooseID `json:"fsq_tip_id"`
	ID            channel.LooseID `json:"id"`
	CreatedAt     flexTime        `json:"created_at"`
	Text          string          `json:"text"`
	URL           string          `json:"url"`
	Lang          string          `json:"lang"`
	AgreeCount    flexCount       `json:"agree_count"`
	DisagreeCount flexCount       `json:"disagree_count"`
	Photo         *photo          `json:"photo"`
	// raw is the tip as the page held it, kept as its event's payload.
	raw json.RawMessage
}

// photo is a tip's photo: its URL is prefix, a size, and suffix, the size
// "original" for the photo as taken or WIDTHxHEIGHT
// (docs.foursquare.com, "Photos Guide": "Assembling a Photo URL").
type photo struct {
	Prefix string `json:"prefix"`
	Suffix string `json:"suffix"`
}

func (t *tip) id() string {
	if t.FsqTipID != "" {
		return string(t.FsqTipID)
	}
	return string(t.ID)
}

// parseTips reads a page of tips: the JSON array the reference documents
// or, read the same way rather than failing the poll, an object holding
// it in results, the shape of the search endpoint's answer. Fields of
// the wrong type are left empty, so one odd field does not cost the page;
// only a body that is neither is an error.
func parseTips(body []byte) ([]tip, error) {
	body = bytes.TrimSpace(body)
	var raws []json.RawMessage
	switch {
	case len(body) > 0 && body[0] == '[':
		if err := json.Unmarshal(body, &raws); err != nil {
			return nil, err
		}
	case len(body) > 0 && body[0] == '{':
		var env struct {
			Results []json.RawMessage `json:"results"`
		}
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, err
		}
		raws = env.Results
	default:
		return nil, errors.New("foursquare: a page of tips is not a JSON array")
	}
	tips := make([]tip, 0, len(raws))
	for _, raw := range raws {
		if raw = bytes.TrimSpace(raw); len(raw) == 0 || raw[0] != '{' {
			continue // not a tip object: nothing of it can be shown
		}
		var t tip
		err := json.Unmarshal(raw, &t)
		var typeErr *json.UnmarshalTypeError
		if err != nil && !errors.As(err, &typeErr) {
			continue
		}
		t.raw = raw
		tips = append(tips, t)
	}
	return tips, nil
}

// flexTime is created_at, which the reference describes both as "UNIX
// timestamp in seconds since Epoch" and as a date-time string: either is
// read; anything else is the zero time.
type flexTime struct{ time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (t *flexTime) UnmarshalJSON(b []byte) error {
	t.Time = time.Time{}
	b = bytes.TrimSpace(b)
	if len(b) > 64 {
		return nil
	}
	s := string(b)
	if len(b) > 1 && b[0] == '"' {
		var str string
		if json.Unmarshal(b, &str) != nil {
			return nil
		}
		s = strings.TrimSpace(str)
		if v, err := time.Parse(time.RFC3339Nano, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && n < 1<<40 {
		t.Time = time.Unix(n, 0).UTC()
	}
	return nil
}

// flexCount is a count, from a JSON number or a numeric string; anything
// else, and a negative count, is 0.
type flexCount int64

// UnmarshalJSON implements json.Unmarshaler.
func (c *flexCount) UnmarshalJSON(b []byte) error {
	*c = 0
	var id channel.LooseID
	if id.UnmarshalJSON(b) != nil {
		return nil
	}
	if n, err := strconv.ParseInt(string(id), 10, 64); err == nil && n > 0 {
		*c = flexCount(n)
	}
	return nil
}

// tipID reports whether s can be a tip's id, and so a platform id and a
// request parameter: short, of letters, digits, "_" and "-".
func tipID(s string) bool {
	if s == "" || len(s) > 64 {
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
