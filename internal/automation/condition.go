package automation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// Condition is one test of a rule against the facts of an event, written
// {"field": "text", "op": "contains", "value": "refund"}. Value is raw JSON
// whose type the field and op decide: a string, a number, an array of
// either, or nothing for is_true and is_false. doc.go lists the fields and
// the ops each accepts.
type Condition struct {
	Field string          `json:"field"`
	Op    string          `json:"op"`
	Value json.RawMessage `json:"value,omitempty"`
}

// kind is what a field holds, which decides the ops it accepts and the type
// of their value.
type kind uint8

const (
	kindBool   kind = iota + 1 // is_true, is_false
	kindID                     // a record id: eq, neq, in, not_in
	kindCount                  // an integer: eq, neq, gt, gte, lt, lte
	kindNumber                 // a float: eq, neq, gt, gte, lt, lte
	kindLabel                  // a short label, compared case-insensitively: eq, neq, in, not_in
	kindText                   // the message text: a label's ops and contains, not_contains, matches
	kindList                   // a set of labels: has, not_has, in (has any), not_in (has none)
)

// field names a fact; see Facts.
type field uint8

const (
	fChannel field = iota
	fInboxID
	fText
	fLanguage
	fSentiment
	fSentimentScore
	fTopic
	fInfluence
	fFollowers
	fVerified
	fTags
	fStatus
	fPriority
	fAssigneeID
	fTeamID
	fBusinessHours
	fVisibility
	fContactConversations30d
	fContactOpen
	fSLAKind
)

// fields describes each field by its wire name. check, when set, vets each
// label value, so that a rule comparing a status with "opne" is refused
// rather than silently never matching.
var fields = [...]struct {
	name  string
	kind  kind
	check func(string) error
}{
	fChannel:                 {"channel", kindLabel, checkChannel},
	fInboxID:                 {"inbox_id", kindID, nil},
	fText:                    {"text", kindText, nil},
	fLanguage:                {"language", kindLabel, nil},
	fSentiment:               {"sentiment", kindLabel, checkSentiment},
	fSentimentScore:          {"sentiment_score", kindNumber, nil},
	fTopic:                   {"topic", kindList, nil},
	fInfluence:               {"influence", kindNumber, nil},
	fFollowers:               {"followers", kindCount, nil},
	fVerified:                {"verified", kindBool, nil},
	fTags:                    {"tags", kindList, checkTag},
	fStatus:                  {"status", kindLabel, checkStatus},
	fPriority:                {"priority", kindNumber, nil},
	fAssigneeID:              {"assignee_id", kindID, nil},
	fTeamID:                  {"team_id", kindID, nil},
	fBusinessHours:           {"business_hours", kindBool, nil},
	fVisibility:              {"visibility", kindLabel, checkVisibility},
	fContactConversations30d: {"contact.conversations_30d", kindCount, nil},
	fContactOpen:             {"contact.open_conversations", kindCount, nil},
	fSLAKind:                 {"sla.kind", kindLabel, checkSLAKind},
}

func lookupField(name string) (field, bool) {
	for i, f := range fields {
		if f.name == name {
			return field(i), true
		}
	}
	return 0, false
}

func fieldNames() string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

// op is a comparison.
type op uint8

const (
	opEq op = iota + 1
	opNeq
	opIn
	opNotIn
	opContains
	opNotContains
	opMatches
	opGt
	opGte
	opLt
	opLte
	opHas
	opNotHas
	opIsTrue
	opIsFalse
)

var opNames = [...]string{
	opEq: "eq", opNeq: "neq", opIn: "in", opNotIn: "not_in", opContains: "contains",
	opNotContains: "not_contains", opMatches: "matches", opGt: "gt", opGte: "gte", opLt: "lt",
	opLte: "lte", opHas: "has", opNotHas: "not_has", opIsTrue: "is_true", opIsFalse: "is_false",
}

// kindOps lists the ops each kind accepts, in the order error messages
// suggest them.
var kindOps = map[kind][]op{
	kindBool:   {opIsTrue, opIsFalse},
	kindID:     {opEq, opNeq, opIn, opNotIn},
	kindCount:  {opEq, opNeq, opGt, opGte, opLt, opLte},
	kindNumber: {opEq, opNeq, opGt, opGte, opLt, opLte},
	kindLabel:  {opEq, opNeq, opIn, opNotIn},
	kindText:   {opEq, opNeq, opIn, opNotIn, opContains, opNotContains, opMatches},
	kindList:   {opHas, opNotHas, opIn, opNotIn},
}

func opNamesOf(ops []op) string {
	names := make([]string, len(ops))
	for i, o := range ops {
		names[i] = opNames[o]
	}
	return strings.Join(names, ", ")
}

// cond is a Condition compiled for evaluation: the value decoded into the
// operand its op needs, labels lower-cased, a regexp compiled. Only the
// operand the op uses is set.
type cond struct {
	field field
	kind  kind
	op    op
	str   string   // lower-cased label or needle
	strs  []string // lower-cased labels for in and not_in
	num   float64
	n     int64
	ns    []int64
	re    *regexp.Regexp
	pre   prefilter // for matches: what the text must contain to match
	slot  int       // for matches: the pattern's place in input.memo, from 1; 0 when not remembered
}

// cost ranks a condition by how long it takes to evaluate. A rule tests its
// cheap conditions first, so that a regexp runs only when the rest allow it;
// conditions have no side effects, so the order cannot change the outcome.
func (c *cond) cost() int {
	switch {
	case c.op == opMatches:
		return 3
	case c.kind == kindText:
		return 2
	case c.op == opIn || c.op == opNotIn || c.kind == kindList:
		return 1
	}
	return 0
}

// compileCondition validates c and compiles it.
func compileCondition(c Condition, trigger Trigger) (cond, error) {
	f, ok := lookupField(c.Field)
	if !ok {
		return cond{}, fmt.Errorf("unknown field %q (fields are %s)", truncate(c.Field, 64), fieldNames())
	}
	spec := fields[f]
	if f == fSLAKind && trigger != SLAWarning && trigger != SLABreach {
		return cond{}, fmt.Errorf("field %q is only known to the sla.warning and sla.breach triggers", c.Field)
	}
	out := cond{field: f, kind: spec.kind}
	for _, o := range kindOps[spec.kind] {
		if opNames[o] == c.Op {
			out.op = o
		}
	}
	if out.op == 0 {
		return cond{}, fmt.Errorf("field %q has no op %q (use %s)", c.Field, truncate(c.Op, 64), opNamesOf(kindOps[spec.kind]))
	}
	if len(c.Value) > MaxValueBytes {
		return cond{}, fmt.Errorf("the value is longer than %d bytes", MaxValueBytes)
	}
	if err := out.setValue(c.Value, spec.check); err != nil {
		return cond{}, fmt.Errorf("%s %s: %w", c.Field, c.Op, err)
	}
	return out, nil
}

// setValue decodes raw into the operand c.op needs.
func (c *cond) setValue(raw json.RawMessage, check func(string) error) error {
	absent := len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null"
	if c.op == opIsTrue || c.op == opIsFalse {
		if !absent {
			return errors.New("takes no value")
		}
		return nil
	}
	if absent {
		return errors.New("needs a value")
	}
	list := c.op == opIn || c.op == opNotIn
	switch {
	case c.kind == kindID && list:
		if err := decodeValue(raw, &c.ns, "an array of ids"); err != nil {
			return err
		}
		if len(c.ns) == 0 || len(c.ns) > MaxListValues {
			return fmt.Errorf("needs 1 to %d ids", MaxListValues)
		}
		for _, n := range c.ns {
			if n < 0 {
				return fmt.Errorf("id %d is negative", n)
			}
		}
	case c.kind == kindID || c.kind == kindCount:
		what := "an integer"
		if c.kind == kindID {
			what = "an id"
		}
		if err := decodeValue(raw, &c.n, what); err != nil {
			return err
		}
		if c.n < 0 {
			return fmt.Errorf("%d is negative", c.n)
		}
	case c.kind == kindNumber:
		if err := decodeValue(raw, &c.num, "a number"); err != nil {
			return err
		}
	case list:
		if err := decodeValue(raw, &c.strs, "an array of strings"); err != nil {
			return err
		}
		if len(c.strs) == 0 || len(c.strs) > MaxListValues {
			return fmt.Errorf("needs 1 to %d strings", MaxListValues)
		}
		for i, s := range c.strs {
			var err error
			if c.strs[i], err = label(s, check); err != nil {
				return err
			}
		}
	case c.op == opMatches:
		var pattern string
		if err := decodeValue(raw, &pattern, "a regular expression string"); err != nil {
			return err
		}
		if pattern == "" || len(pattern) > MaxRegexpBytes {
			return fmt.Errorf("the pattern must be 1 to %d bytes", MaxRegexpBytes)
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			// The regexp package's message names the problem and the
			// offending part of the pattern.
			return fmt.Errorf("bad regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		c.re = re
		c.pre = newPrefilter(pattern)
	default:
		var s string
		if err := decodeValue(raw, &s, "a string"); err != nil {
			return err
		}
		var err error
		if c.str, err = label(s, check); err != nil {
			return err
		}
		if c.str == "" && (c.op == opContains || c.op == opNotContains || c.op == opHas || c.op == opNotHas) {
			return errors.New("needs a non-empty string")
		}
	}
	return nil
}

// decodeValue decodes raw into v, naming the expected JSON type when it is
// another.
func decodeValue(raw json.RawMessage, v any, want string) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("the value must be %s", want)
	}
	return nil
}

// label bounds s, checks it with check, and folds it once for
// case-insensitive comparisons.
func label(s string, check func(string) error) (string, error) {
	if len(s) > MaxStringBytes {
		return "", fmt.Errorf("a string is longer than %d bytes", MaxStringBytes)
	}
	s = fold(s)
	if check != nil {
		if err := check(s); err != nil {
			return "", err
		}
	}
	return s, nil
}

func checkChannel(s string) error {
	if !care.Channel(s).Valid() {
		return fmt.Errorf("%q is not a channel name such as \"x\" or \"whatsapp\"", truncate(s, 64))
	}
	return nil
}

func checkStatus(s string) error {
	if !care.Status(s).Valid() {
		return fmt.Errorf("%q is not a status (open, pending, snoozed, resolved)", truncate(s, 64))
	}
	return nil
}

func checkVisibility(s string) error {
	if !care.Visibility(s).Valid() {
		return fmt.Errorf("%q is not a visibility (public, private, note)", truncate(s, 64))
	}
	return nil
}

// checkSentiment accepts the labels Parley's sentiment scorer gives.
func checkSentiment(s string) error {
	switch s {
	case "negative", "neutral", "positive":
		return nil
	}
	return fmt.Errorf("%q is not a sentiment (negative, neutral, positive)", truncate(s, 64))
}

func checkTag(s string) error {
	if care.NormalizeTag(s) != s {
		return fmt.Errorf("%q is not a tag (1 to 64 bytes, no commas or control characters)", truncate(s, 64))
	}
	return nil
}

// SLA kinds, as Facts.SLAKind carries them: which of a conversation's
// deadlines is close or missed.
const (
	SLAFirstResponse = "first_response"
	SLANextResponse  = "next_response"
	SLAResolution    = "resolution"
)

func checkSLAKind(s string) error {
	switch s {
	case SLAFirstResponse, SLANextResponse, SLAResolution:
		return nil
	}
	return fmt.Errorf("%q is not an SLA kind (first_response, next_response, resolution)", truncate(s, 64))
}
