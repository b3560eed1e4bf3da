package automation

import (
	"strings"
	"unicode/utf8"
)

// input is one evaluation's view of the facts: the text bounded once,
// folded at most once, on first use by a condition that needs it, and the
// outcome of each distinct regexp remembered, since rules often share a
// pattern (an order number, an e-mail address) and Go's regexps cost
// microseconds.
type input struct {
	facts   *Facts
	text    string
	lowered string
	didLow  bool
	memo    [maxMemo]uint8 // by cond.slot: 0 not run yet, matched or notMatched
}

// maxMemo bounds the distinct patterns an evaluation remembers; patterns
// beyond it are run for each condition that has them.
const maxMemo = 256

const (
	notMatched = 1
	matched    = 2
)

func newInput(f *Facts) input {
	text := f.Text
	if len(text) > MaxTextBytes {
		n := MaxTextBytes
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		text = text[:n]
	}
	return input{facts: f, text: text}
}

func (in *input) lower() string {
	if !in.didLow {
		in.lowered = fold(in.text)
		in.didLow = true
	}
	return in.lowered
}

// eval reports whether c holds for the event in in.
func (c *cond) eval(in *input) bool {
	f := in.facts
	switch c.kind {
	case kindBool:
		return f.flag(c.field) == (c.op == opIsTrue)
	case kindID, kindCount:
		return c.evalInt(f.integer(c.field))
	case kindNumber:
		return c.evalNumber(f.number(c.field))
	case kindLabel:
		return c.evalLabel(f.label(c.field))
	case kindText:
		switch c.op {
		case opContains:
			return strings.Contains(in.lower(), c.str)
		case opNotContains:
			return !strings.Contains(in.lower(), c.str)
		case opMatches:
			return c.match(in)
		}
		return c.evalLabel(strings.TrimSpace(in.text))
	case kindList:
		return c.evalList(f.list(c.field))
	}
	return false
}

// match runs c's regexp unless its prefilter rules a match out or another
// rule's condition already ran the same pattern on this event.
func (c *cond) match(in *input) bool {
	if c.slot > 0 {
		if m := in.memo[c.slot]; m != 0 {
			return m == matched
		}
	}
	ok := (len(c.pre) == 0 || c.pre.pass(in.lower())) && c.re.MatchString(in.text)
	if c.slot > 0 {
		in.memo[c.slot] = notMatched
		if ok {
			in.memo[c.slot] = matched
		}
	}
	return ok
}

func (c *cond) evalInt(v int64) bool {
	switch c.op {
	case opEq:
		return v == c.n
	case opNeq:
		return v != c.n
	case opGt:
		return v > c.n
	case opGte:
		return v >= c.n
	case opLt:
		return v < c.n
	case opLte:
		return v <= c.n
	case opIn, opNotIn:
		found := false
		for _, n := range c.ns {
			if n == v {
				found = true
				break
			}
		}
		return found == (c.op == opIn)
	}
	return false
}

// evalNumber compares floats; a NaN fact satisfies only neq, as IEEE 754
// has it.
func (c *cond) evalNumber(v float64) bool {
	switch c.op {
	case opEq:
		return v == c.num
	case opNeq:
		return v != c.num
	case opGt:
		return v > c.num
	case opGte:
		return v >= c.num
	case opLt:
		return v < c.num
	case opLte:
		return v <= c.num
	}
	return false
}

// evalLabel compares case-insensitively without lower-casing v: the
// operands were lower-cased when compiled and EqualFold allocates nothing.
func (c *cond) evalLabel(v string) bool {
	switch c.op {
	case opEq:
		return strings.EqualFold(v, c.str)
	case opNeq:
		return !strings.EqualFold(v, c.str)
	case opIn, opNotIn:
		return containsFold(c.strs, v) == (c.op == opIn)
	}
	return false
}

func (c *cond) evalList(vs []string) bool {
	switch c.op {
	case opHas:
		return containsFold(vs, c.str)
	case opNotHas:
		return !containsFold(vs, c.str)
	case opIn, opNotIn:
		found := false
		for _, v := range vs {
			if containsFold(c.strs, v) {
				found = true
				break
			}
		}
		return found == (c.op == opIn)
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
