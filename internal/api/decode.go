package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// MaxBodyBytes bounds every JSON request body.
const MaxBodyBytes = 256 << 10

// decodeJSON decodes exactly one JSON object from the body into v, rejecting
// unknown fields, wrong types, trailing data and bodies over MaxBodyBytes
// with an EINVALID or ETOOLARGE error that says what to fix.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return care.Errorf(care.EINVALID, "Send the body as application/json, not %q.", ct)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return care.Errorf(care.ETOOLARGE, "The request body is larger than %d bytes.", MaxBodyBytes)
		}
		return care.Errorf(care.EINVALID, "The request body could not be read.")
	}
	return DecodeStrict(body, v)
}

// DecodeStrict decodes one JSON object from body into v with the API's rules.
func DecodeStrict(body []byte, v any) error {
	// A top-level null would decode into v as if it were {}, and an array or
	// a string would be reported by Go type name; say plainly what is wanted.
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] != '{' && json.Valid(t) {
		return care.Errorf(care.EINVALID, "The body must be a JSON object ({...}), not %s.", jsonKindOf(t[0]))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return care.Errorf(care.EINVALID, "%s", describeJSONError(err))
	}
	if dec.More() {
		return care.Errorf(care.EINVALID, "The body must hold exactly one JSON object; found data after it.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return care.Errorf(care.EINVALID, "The body must hold exactly one JSON object; found data after it.")
	}
	return nil
}

func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var badTime *time.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return "The request body is empty; send a JSON object."
	case errors.As(err, &syntax):
		return fmt.Sprintf("The body is not valid JSON (at byte %d).", syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("Field %q must be %s, not %s.", typ.Field, care.JSONKind(typ.Type), typ.Value)
		}
		return fmt.Sprintf("The body must be %s, not %s.", care.JSONKind(typ.Type), typ.Value)
	case errors.As(err, &badTime), strings.HasPrefix(err.Error(), "Time.UnmarshalJSON"):
		// encoding/json does not say which field a time came from.
		return "A time must be an RFC 3339 string such as \"2026-03-01T12:00:00Z\"."
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Sprintf("Unknown field %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "The JSON body ends too early."
	}
	return "The body is not valid JSON."
}

// jsonKindOf names the JSON value that starts with c.
func jsonKindOf(c byte) string {
	switch c {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}
