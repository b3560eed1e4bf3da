package automation

import (
	"bytes"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// Limits on a rule set. They keep a workspace's rules small enough to
// evaluate on every inbound message and to show on one settings page.
const (
	MaxRules       = 500      // rules in a RuleSet
	MaxConditions  = 50       // conditions in a rule
	MaxActions     = 20       // actions in a rule
	MaxStringBytes = 1000     // any string in a rule: name, value, note, URL
	MaxRegexpBytes = 512      // the pattern of a "matches" condition
	MaxListValues  = 100      // values of an "in" or "not_in" condition
	MaxValueBytes  = 16 << 10 // the JSON of a condition's value
	MaxUserIDs     = 50       // users a notify action names
)

// Bounds on durations: time-based rules and snoozes are measured in minutes
// to months; anything shorter is a scheduler's tick and anything longer is a
// typo.
const (
	minDuration = time.Minute
	maxDuration = 366 * 24 * time.Hour
)

// Trigger is the kind of event a rule listens to.
type Trigger string

// Triggers. The time-based ones (Timed) fire when the conversation has been
// in a state for the rule's After duration; the caller's scheduler raises
// them, with Facts.StateSince set to when the state began.
const (
	MessageReceived     Trigger = "message.received"
	ConversationCreated Trigger = "conversation.created"
	ConversationUpdated Trigger = "conversation.updated"
	SLAWarning          Trigger = "sla.warning"
	SLABreach           Trigger = "sla.breach"
	TimePending         Trigger = "time.pending"    // status pending (waiting on the customer)
	TimeOpen            Trigger = "time.open"       // status open (waiting on us)
	TimeUnassigned      Trigger = "time.unassigned" // no assignee
)

// triggers lists every Trigger, in the order the engine indexes them.
var triggers = [...]Trigger{MessageReceived, ConversationCreated, ConversationUpdated,
	SLAWarning, SLABreach, TimePending, TimeOpen, TimeUnassigned}

// index returns t's position in triggers, or -1 for an unknown trigger.
func (t Trigger) index() int {
	for i, k := range triggers {
		if k == t {
			return i
		}
	}
	return -1
}

// Valid reports whether t is a known trigger.
func (t Trigger) Valid() bool { return t.index() >= 0 }

// Timed reports whether t is time-based and so needs a rule's After.
func (t Trigger) Timed() bool { return t == TimePending || t == TimeOpen || t == TimeUnassigned }

// Duration is a length of time written as a Go duration string ("48h",
// "90m", "1h30m"). It stays a string so that a rule round-trips exactly as
// written and a malformed value is reported by Validate, naming its rule.
type Duration string

// Parse returns d as a time.Duration.
func (d Duration) Parse() (time.Duration, error) { return time.ParseDuration(string(d)) }

// parseBounded parses d and checks it lies within the bounds every rule
// duration shares.
func (d Duration) parseBounded() (time.Duration, error) {
	if len(d) > 32 {
		return 0, fmt.Errorf("%q is not a duration such as \"48h\"", truncate(string(d), 32))
	}
	v, err := d.Parse()
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as \"48h\" or \"90m\"", string(d))
	}
	if v < minDuration || v > maxDuration {
		return 0, fmt.Errorf("%q is outside 1m to 366 days", string(d))
	}
	return v, nil
}

// Match says how a rule combines its conditions.
const (
	MatchAll = "all" // every condition holds (the default)
	MatchAny = "any" // at least one condition holds
)

// Modes of a RuleSet.
const (
	ModeAll   = "all"   // every matching rule fires, unless one with Stop matched (the default)
	ModeFirst = "first" // only the first matching rule fires
)

// Rule is one automation: when Trigger happens and Conditions hold, the
// caller performs Actions. Rules of a workspace are stored as JSON in this
// shape; ParseRule decodes one strictly.
type Rule struct {
	ID       care.ID `json:"id"`
	Name     string  `json:"name"`
	Enabled  bool    `json:"enabled"`
	Position int     `json:"position"` // evaluation order, lowest first
	Trigger  Trigger `json:"trigger"`
	// After is how long the conversation has been in the trigger's state,
	// for time-based triggers only.
	After      Duration    `json:"after,omitempty"`
	Match      string      `json:"match,omitempty"` // MatchAll or MatchAny
	Conditions []Condition `json:"conditions,omitempty"`
	Actions    []Action    `json:"actions"`
	// Stop ends the evaluation after this rule when it matches, so that
	// later, more general rules do not also act.
	Stop bool `json:"stop,omitempty"`
}

// RuleSet is a workspace's rules with the mode that combines them.
type RuleSet struct {
	Mode  string `json:"mode,omitempty"` // ModeAll or ModeFirst
	Rules []Rule `json:"rules"`
}

// clone returns a copy of r that shares no memory with it, so that an
// Engine is unaffected by what its caller later does with the rules.
func (r Rule) clone() Rule {
	c := r
	c.Conditions = nil
	if r.Conditions != nil {
		c.Conditions = make([]Condition, len(r.Conditions))
		for i, cond := range r.Conditions {
			cond.Value = bytes.Clone(cond.Value)
			c.Conditions[i] = cond
		}
	}
	c.Actions = nil
	if r.Actions != nil {
		c.Actions = make([]Action, len(r.Actions))
		for i, a := range r.Actions {
			c.Actions[i] = a.clone()
		}
	}
	return c
}

// truncate shortens s to at most n bytes, on a rune boundary, for quoting
// in an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
