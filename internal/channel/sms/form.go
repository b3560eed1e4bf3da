package sms

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// maxParams bounds the parameters of one webhook. Twilio sends a few dozen
// (an MMS with ten attachments about fifty); every one of them is signed, so
// a delivery with more cannot be checked cheaply and is refused.
const maxParams = 512

// parseForm decodes an application/x-www-form-urlencoded body, keeping every
// value of a repeated name, since the signature covers them all. It returns
// EINVALID for a malformed escape or too many parameters. Unlike
// url.ParseQuery it stops counting before it allocates, and it reads ";" as
// part of a value, as Twilio's own validators do.
func parseForm(body []byte) (url.Values, error) {
	v := url.Values{}
	s := string(body)
	for n := 0; s != ""; {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		if n++; n > maxParams {
			return nil, care.Errorf(care.EINVALID, "the delivery has more than %d parameters", maxParams)
		}
		name, value, _ := strings.Cut(pair, "=")
		name, err1 := url.QueryUnescape(name)
		value, err2 := url.QueryUnescape(value)
		if err1 != nil || err2 != nil {
			return nil, care.Errorf(care.EINVALID, "the delivery is not form-encoded")
		}
		v[name] = append(v[name], value)
	}
	return v, nil
}

// parseJSONParams reads a JSON-bodied webhook as the parameters a form
// would carry: a flat object whose strings, numbers and booleans become
// values under their names; nested objects, arrays and nulls are left out.
// Twilio documents the bodySHA256 signing of such webhooks
// (".../docs/usage/webhooks/webhooks-security") but no JSON shape for
// messaging, so this is the form's shape in JSON. It returns EINVALID for a
// body that is not a JSON object.
func parseJSONParams(body []byte) (url.Values, error) {
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, care.Errorf(care.EINVALID, "the delivery is not a JSON object")
	}
	if len(obj) > maxParams {
		return nil, care.Errorf(care.EINVALID, "the delivery has more than %d parameters", maxParams)
	}
	v := url.Values{}
	for name, raw := range obj {
		raw = bytes.TrimSpace(raw)
		switch {
		case len(raw) == 0:
		case raw[0] == '"':
			var s string
			if json.Unmarshal(raw, &s) == nil {
				v.Set(name, s)
			}
		case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
			v.Set(name, string(raw))
		case string(raw) == "true" || string(raw) == "false":
			v.Set(name, string(raw))
		}
	}
	return v, nil
}

// count reads a small non-negative count parameter such as NumMedia;
// anything else is 0.
func count(s string, limit int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return min(n, limit)
}
