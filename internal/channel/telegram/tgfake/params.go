package tgfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// params are a method's parameters. The Bot API takes them in the query
// string, as application/x-www-form-urlencoded, or as application/json
// (core.telegram.org/bots/api#making-requests); in the first two, an object
// or array parameter is a JSON-serialized string.
type params map[string]json.RawMessage

// maxRequestBytes bounds a request body; a sendMessage is a few kilobytes.
const maxRequestBytes = 1 << 20

// readParams reads r's parameters and returns the body as received.
func readParams(r *http.Request) (params, []byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
	if err != nil || len(body) > maxRequestBytes {
		return nil, nil, errors.New("request body too large or unreadable")
	}
	p := params{}
	for k, vs := range r.URL.Query() {
		p.setString(k, vs[0])
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case len(bytes.TrimSpace(body)) == 0:
	case ct == "application/json":
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(body, &obj); err != nil {
			return nil, nil, errors.New("can't parse JSON object")
		}
		for k, v := range obj {
			p[k] = v
		}
	case ct == "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, errors.New("can't parse form")
		}
		for k, vs := range form {
			p.setString(k, vs[0])
		}
	default:
		return nil, nil, errors.New("unsupported Content-Type " + ct)
	}
	return p, body, nil
}

// setString stores a query or form value: an object or array as the JSON
// it serializes, anything else as a string.
func (p params) setString(k, v string) {
	if t := strings.TrimSpace(v); t != "" && (t[0] == '{' || t[0] == '[') && json.Valid([]byte(t)) {
		p[k] = json.RawMessage(t)
		return
	}
	b, _ := json.Marshal(v)
	p[k] = b
}

// has reports whether the parameter is present and not null.
func (p params) has(k string) bool {
	v, ok := p[k]
	return ok && string(v) != "null"
}

// str returns a string parameter; a number is returned as its text.
func (p params) str(k string) string {
	v := p[k]
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String()
	}
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return strconv.FormatBool(b)
	}
	return ""
}

// int returns an integer parameter, given as a number or a string of
// digits; ok is false when it is absent or not an integer.
func (p params) int(k string) (int64, bool) {
	n, err := strconv.ParseInt(p.str(k), 10, 64)
	return n, err == nil
}

// obj decodes an object or array parameter, given as JSON or as a
// JSON-serialized string, into v.
func (p params) obj(k string, v any) error {
	raw := p[k]
	var s string
	if json.Unmarshal(raw, &s) == nil {
		raw = json.RawMessage(s)
	}
	return json.Unmarshal(raw, v)
}

// writeOK writes {"ok":true,"result":result} and, when description is not
// "", the description Telegram adds to some answers.
func writeOK(w http.ResponseWriter, result any, description string) {
	body := map[string]any{"ok": true, "result": result}
	if description != "" {
		body["description"] = description
	}
	writeJSON(w, http.StatusOK, body)
}

// writeError writes the Bot API's error envelope: the HTTP status is the
// error_code.
func writeError(w http.ResponseWriter, code int, description string) {
	writeJSON(w, code, map[string]any{"ok": false, "error_code": code, "description": description})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
