package automation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// MaxRuleSetBytes bounds the JSON ParseRuleSet reads; MaxRuleBytes the JSON
// of one rule. A full rule set of ordinary rules is a few hundred KiB.
const (
	MaxRuleSetBytes = 4 << 20
	MaxRuleBytes    = 256 << 10
)

// ParseRuleSet decodes a rule set from its JSON form strictly: unknown
// fields, values of the wrong type and data after the object are refused.
// It does not validate the rules; Compile does. Returns ETOOLARGE beyond
// MaxRuleSetBytes and EINVALID for anything else wrong.
func ParseRuleSet(data []byte) (RuleSet, error) {
	var rs RuleSet
	if len(data) > MaxRuleSetBytes {
		return rs, care.Errorf(care.ETOOLARGE, "A rule set is at most %d bytes of JSON.", MaxRuleSetBytes)
	}
	return rs, decodeStrict(data, &rs, "rule set")
}

// ParseRule decodes one rule from its JSON form as strictly as
// ParseRuleSet, up to MaxRuleBytes. It does not validate the rule; Validate
// does.
func ParseRule(data []byte) (Rule, error) {
	var r Rule
	if len(data) > MaxRuleBytes {
		return r, care.Errorf(care.ETOOLARGE, "A rule is at most %d bytes of JSON.", MaxRuleBytes)
	}
	return r, decodeStrict(data, &r, "rule")
}

func decodeStrict(data []byte, v any, what string) error {
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		return care.Errorf(care.EINVALID, "A %s must be a JSON object ({...}).", what)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return care.Errorf(care.EINVALID, "The %s is not valid: %s.", what, describeJSONError(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return care.Errorf(care.EINVALID, "The %s must be exactly one JSON object; found data after it.", what)
	}
	return nil
}

// describeJSONError turns a decoding error into words that name the field
// and what it should have been, without Go type names.
func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("not JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("%s cannot be %s", typ.Field, typ.Value)
		}
		return fmt.Sprintf("it cannot be %s", typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends too early"
	}
	return "not JSON"
}
