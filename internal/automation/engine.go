package automation

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// Engine evaluates a compiled RuleSet. It is immutable and safe for
// concurrent use; compile a new one when the rules change.
type Engine struct {
	rules     []Rule                    // every rule, in evaluation order
	byTrigger [len(triggers)][]compiled // the enabled rules of each trigger, in order
}

// compiled is a rule ready to evaluate.
type compiled struct {
	id       care.ID
	name     string
	after    time.Duration
	matchAny bool
	stop     bool
	conds    []cond // cheapest first
	actions  []Action
}

// Fired is a rule that matched, with the actions the caller is to perform,
// in order, recording each in the audit trail under RuleID and RuleName.
// Actions is shared with the Engine and must not be modified.
type Fired struct {
	RuleID   care.ID
	RuleName string
	Actions  []Action
}

// Compile validates rs and compiles it. Rules are evaluated by Position,
// rules of equal Position in the order given. Every rule, enabled or not,
// must be valid and have a positive ID no other rule has, since the loop
// protection tells rules apart by ID. Returns EINVALID naming the rule (by
// its place in rs.Rules, from 1) and what is wrong with it.
func Compile(rs RuleSet) (*Engine, error) {
	mode := rs.Mode
	if mode != "" && mode != ModeAll && mode != ModeFirst {
		return nil, care.Errorf(care.EINVALID, "Mode must be %q or %q, not %q.", ModeAll, ModeFirst, truncate(mode, 64))
	}
	if len(rs.Rules) > MaxRules {
		return nil, care.Errorf(care.EINVALID, "A workspace has at most %d rules, not %d.", MaxRules, len(rs.Rules))
	}
	e := &Engine{rules: make([]Rule, 0, len(rs.Rules))}
	seen := make(map[care.ID]int, len(rs.Rules))
	type entry struct {
		rule Rule
		c    compiled
	}
	entries := make([]entry, 0, len(rs.Rules))
	slots := map[string]int{}
	for i, r := range rs.Rules {
		ref := fmt.Sprintf("Rule %d %q", i+1, truncate(r.Name, 64))
		if r.ID <= 0 {
			return nil, care.Errorf(care.EINVALID, "%s: id must be positive, not %d.", ref, r.ID)
		}
		if j, dup := seen[r.ID]; dup {
			return nil, care.Errorf(care.EINVALID, "%s: id %d is also rule %d's.", ref, r.ID, j+1)
		}
		seen[r.ID] = i
		c, err := compileRule(r)
		if err != nil {
			return nil, care.Errorf(care.EINVALID, "%s: %v.", ref, err)
		}
		if mode == ModeFirst {
			c.stop = true
		}
		shareRegexps(c.conds, slots)
		entries = append(entries, entry{r, c})
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return cmp.Compare(a.rule.Position, b.rule.Position) })
	for _, en := range entries {
		// The engine's copy carries the normalised actions Evaluate returns.
		r := en.rule.clone()
		r.Actions = cloneActions(en.c.actions)
		e.rules = append(e.rules, r)
		if en.rule.Enabled {
			t := en.rule.Trigger.index()
			e.byTrigger[t] = append(e.byTrigger[t], en.c)
		}
	}
	return e, nil
}

// Validate checks one rule on its own, as Compile would, except that its ID
// may be zero (a rule not yet stored). Returns EINVALID naming the rule and
// what is wrong with it.
func (r Rule) Validate() error {
	_, err := r.compileAlone()
	return err
}

// compileAlone validates and compiles r as Validate describes.
func (r Rule) compileAlone() (compiled, error) {
	if r.ID < 0 {
		return compiled{}, care.Errorf(care.EINVALID, "Rule %q: id must not be negative.", truncate(r.Name, 64))
	}
	c, err := compileRule(r)
	if err != nil {
		return compiled{}, care.Errorf(care.EINVALID, "Rule %q: %v.", truncate(r.Name, 64), err)
	}
	return c, nil
}

// compileRule validates r and compiles its conditions and actions.
func compileRule(r Rule) (compiled, error) {
	switch {
	case r.Name == "":
		return compiled{}, errors.New("a rule needs a name")
	case len(r.Name) > MaxStringBytes:
		return compiled{}, fmt.Errorf("the name is longer than %d bytes", MaxStringBytes)
	case !utf8.ValidString(r.Name):
		return compiled{}, errors.New("the name is not valid UTF-8")
	case !r.Trigger.Valid():
		return compiled{}, fmt.Errorf("unknown trigger %q (triggers are %s)", truncate(string(r.Trigger), 64), triggerNames())
	case r.Match != "" && r.Match != MatchAll && r.Match != MatchAny:
		return compiled{}, fmt.Errorf("match must be %q or %q, not %q", MatchAll, MatchAny, truncate(r.Match, 64))
	case len(r.Conditions) > MaxConditions:
		return compiled{}, fmt.Errorf("at most %d conditions, not %d", MaxConditions, len(r.Conditions))
	case len(r.Actions) == 0:
		return compiled{}, errors.New("a rule needs at least one action")
	case len(r.Actions) > MaxActions:
		return compiled{}, fmt.Errorf("at most %d actions, not %d", MaxActions, len(r.Actions))
	}
	c := compiled{id: r.ID, name: r.Name, matchAny: r.Match == MatchAny, stop: r.Stop}
	switch {
	case r.Trigger.Timed() && r.After == "":
		return compiled{}, fmt.Errorf("trigger %s needs after, such as \"48h\"", r.Trigger)
	case r.Trigger.Timed():
		d, err := r.After.parseBounded()
		if err != nil {
			return compiled{}, fmt.Errorf("after: %w", err)
		}
		c.after = d
	case r.After != "":
		return compiled{}, fmt.Errorf("after is only for the time triggers, not %s", r.Trigger)
	}
	c.conds = make([]cond, len(r.Conditions))
	for i, rc := range r.Conditions {
		cc, err := compileCondition(rc, r.Trigger)
		if err != nil {
			return compiled{}, fmt.Errorf("condition %d: %w", i+1, err)
		}
		c.conds[i] = cc
	}
	slices.SortStableFunc(c.conds, func(a, b cond) int { return cmp.Compare(a.cost(), b.cost()) })
	c.actions = make([]Action, len(r.Actions))
	for i, a := range r.Actions {
		v, err := a.validate()
		if err != nil {
			return compiled{}, fmt.Errorf("action %d: %w", i+1, err)
		}
		c.actions[i] = v.clone()
	}
	return c, nil
}

// shareRegexps gives conditions with the same pattern, across all rules,
// one slot in input.memo, recording the patterns seen so far in slots.
func shareRegexps(conds []cond, slots map[string]int) {
	for i := range conds {
		c := &conds[i]
		if c.re == nil {
			continue
		}
		slot, ok := slots[c.re.String()]
		if !ok {
			if len(slots)+1 >= maxMemo {
				continue // slots run from 1 to maxMemo-1
			}
			slot = len(slots) + 1
			slots[c.re.String()] = slot
		}
		c.slot = slot
	}
}

func triggerNames() string {
	s := ""
	for i, t := range triggers {
		if i > 0 {
			s += ", "
		}
		s += string(t)
	}
	return s
}

func cloneActions(as []Action) []Action {
	out := make([]Action, len(as))
	for i, a := range as {
		out[i] = a.clone()
	}
	return out
}

// Rules returns a copy of every rule, disabled ones included, in
// evaluation order, with tags in actions lower-cased.
func (e *Engine) Rules() []Rule {
	out := make([]Rule, len(e.rules))
	for i, r := range e.rules {
		out[i] = r.clone()
	}
	return out
}

// Evaluate returns the rules that fire for the event f describes, in
// order. A rule fires when it is enabled, listens to f.Trigger, its
// time-based deadline (if any) falls due and its conditions match. After a
// rule with Stop matches, or any rule in mode "first", no later rule is
// evaluated.
//
// Loops are cut in two ways. A rule that already fired in f.Cause's chain
// does not fire again, though it still stops later rules if it matched and
// would have; and an event whose Cause is MaxDepth deep fires nothing.
func (e *Engine) Evaluate(f *Facts) []Fired {
	if e == nil || f == nil {
		return nil
	}
	t := f.Trigger.index()
	if t < 0 || f.Cause != nil && f.Cause.Depth >= MaxDepth {
		return nil
	}
	in := newInput(f)
	var fired []Fired
	for i := range e.byTrigger[t] {
		r := &e.byTrigger[t][i]
		if !r.matches(&in) {
			continue
		}
		if !f.Cause.inChain(r.id) {
			fired = append(fired, Fired{RuleID: r.id, RuleName: r.name, Actions: r.actions})
		}
		if r.stop {
			break
		}
	}
	return fired
}

// matches reports whether r's deadline and conditions hold for in.
func (r *compiled) matches(in *input) bool {
	if r.after > 0 && !due(in.facts, r.after) {
		return false
	}
	if len(r.conds) == 0 {
		return true
	}
	for i := range r.conds {
		if r.conds[i].eval(in) == r.matchAny {
			return r.matchAny
		}
	}
	return !r.matchAny
}

// due reports whether a time-based rule with the given After falls due
// between the scheduler's last look and now.
func due(f *Facts, after time.Duration) bool {
	if f.StateSince.IsZero() || f.Now.IsZero() {
		return false
	}
	at := f.StateSince.Add(after)
	return !at.After(f.Now) && (f.LastChecked.IsZero() || at.After(f.LastChecked))
}
