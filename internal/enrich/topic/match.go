package topic

// Match returns one Match for each topic whose phrases occur in text, in the
// order of the rules. When several phrases of a topic occur, the Match names
// the one that starts first in text, or of those the one listed first. Only
// the first MaxTextBytes of text are read.
func (m *Matcher) Match(text string) []Match {
	t, _ := m.pool.Get().(*tokenizer)
	if t == nil {
		t = &tokenizer{}
	}
	defer m.pool.Put(t)
	t.reset(text)

	if cap(t.found) < len(m.rules) {
		t.found = make([]found, len(m.rules))
	}
	t.found = t.found[:len(m.rules)]
	clear(t.found)
	n := 0
	for start := range t.spans {
		at := m.root
		for j := start; j < len(t.spans) && at != nil; j++ {
			tok := t.token(j)
			for _, l := range at.stemLens {
				if l > len(tok) {
					break
				}
				if !at.mayHave(tok[:l]) {
					continue
				}
				if ids, ok := at.stems[string(tok[:l])]; ok {
					n += m.record(t.found, ids, start)
				}
			}
			if !at.mayHave(tok) {
				break
			}
			if at = at.next[string(tok)]; at != nil {
				n += m.record(t.found, at.ends, start)
			}
		}
	}
	if n == 0 {
		return nil
	}
	matches := make([]Match, 0, n)
	for r, f := range t.found {
		if f.start == 0 {
			continue
		}
		rule := &m.rules[r]
		matches = append(matches, Match{
			Topic:    rule.Topic,
			Phrase:   rule.Phrases[f.index],
			Team:     rule.Team,
			Boost:    rule.Boost,
			Severity: rule.Severity,
		})
	}
	return matches
}

// found is the best phrase of a rule in a message: the one that starts first,
// and of those the one listed first.
type found struct {
	start int // 1 + the index of the phrase's first token; 0 for none
	index int // the phrase's index in the rule
}

// record notes that the phrases ids start at token start, and returns 1 if
// that is a rule's first match. Starts come in increasing order, so a rule
// already found at an earlier start keeps what it has.
func (m *Matcher) record(f []found, ids []int, start int) int {
	n := 0
	for _, id := range ids {
		p := m.phrases[id]
		b := &f[p.rule]
		switch {
		case b.start == 0:
			n++
		case b.start != start+1 || b.index <= p.index:
			continue
		}
		*b = found{start: start + 1, index: p.index}
	}
	return n
}
