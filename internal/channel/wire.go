package channel

import (
	"bytes"
	"encoding/json"
)

// LooseID is an id as platforms write it: usually a JSON string, in some
// payloads a number (Meta's app_id in echoes, X's legacy ids). It decodes
// either as its text; any other JSON value decodes as "" rather than failing
// the whole delivery, since one odd field must not cost a customer's
// message.
type LooseID string

// UnmarshalJSON implements json.Unmarshaler.
func (id *LooseID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = LooseID(s)
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*id = LooseID(n.String())
	default:
		*id = ""
	}
	return nil
}
