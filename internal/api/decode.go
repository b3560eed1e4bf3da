package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

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

// DecodeStrict decodes one JSON value from body into v with the API's rules.
func DecodeStrict(body []byte, v any) error {
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
	switch {
	case errors.Is(err, io.EOF):
		return "The request body is empty; send a JSON object."
	case errors.As(err, &syntax):
		return fmt.Sprintf("The body is not valid JSON (at byte %d).", syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("Field %q must be %s, not %s.", typ.Field, typ.Type, typ.Value)
		}
		return fmt.Sprintf("The body must be %s, not %s.", typ.Type, typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Sprintf("Unknown field %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "The JSON body ends too early."
	}
	return "The body is not valid JSON."
}
