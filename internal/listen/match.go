package listen

import "sync"

// Matcher tells which subjects a text is about. It is safe for concurrent
// use; build one per settings and keep it while they last.
type Matcher struct {
	names []string
	terms []term
	// first indexes terms by their first word, so that a text's token
	// costs one map look-up however many terms there are.
	first map[string][]int32
}

// NewMatcher compiles subjects' terms and excludes. Terms that are not
// valid are skipped, as Query skips them: subjects from ParseSettings have
// none.
func NewMatcher(subjects []Subject) *Matcher {
	m := &Matcher{first: map[string][]int32{}}
	for i, s := range subjects {
		m.names = append(m.names, s.Name)
		_, terms := normalizeAll(s.Terms)
		_, exclude := normalizeAll(s.Exclude)
		for _, t := range exclude {
			t.exclude = true
			terms = append(terms, t)
		}
		for _, t := range terms {
			t.subject = i
			m.first[t.words[0]] = append(m.first[t.words[0]], int32(len(m.terms)))
			m.terms = append(m.terms, t)
		}
	}
	return m
}

var tokenizers = sync.Pool{New: func() any { return new(tokenizer) }}

// Match returns the names of the subjects, in settings order, that have a
// term in text and no exclude. Only the first MaxMatchBytes of text are
// read; see the package documentation for what a match is.
func (m *Matcher) Match(text string) []string {
	if m == nil || len(m.terms) == 0 {
		return nil
	}
	if len(text) > MaxMatchBytes {
		text = text[:MaxMatchBytes]
	}
	t := tokenizers.Get().(*tokenizer)
	defer tokenizers.Put(t)
	t.reset(text)
	n := len(m.names)
	if cap(t.hit) < n {
		t.hit, t.excluded = make([]bool, n), make([]bool, n)
	}
	hit, excluded := t.hit[:n], t.excluded[:n]
	clear(hit)
	clear(excluded)
	for i := range t.toks {
		for _, id := range m.first[string(t.text(i))] {
			tm := &m.terms[id]
			if excluded[tm.subject] || !tm.exclude && hit[tm.subject] || !tm.at(t, i) {
				continue
			}
			if tm.exclude {
				excluded[tm.subject] = true
			} else {
				hit[tm.subject] = true
			}
		}
	}
	var names []string
	for i, h := range hit {
		if h && !excluded[i] {
			if names == nil {
				names = make([]string, 0, n-i)
			}
			names = append(names, m.names[i])
		}
	}
	return names
}

// at reports whether the term occurs at token i of t, whose text is the
// term's first word.
func (tm *term) at(t *tokenizer, i int) bool {
	switch tm.kind {
	case hashtag:
		if t.toks[i].kind != hashtag {
			return false
		}
	case handle:
		if t.toks[i].kind != handle || tm.domain != "" && string(t.domain(i)) != tm.domain {
			return false
		}
	}
	if i+len(tm.words) > len(t.toks) {
		return false
	}
	for j := 1; j < len(tm.words); j++ {
		if string(t.text(i+j)) != tm.words[j] {
			return false
		}
	}
	return true
}
