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
	// lens has bit n set when a first word is n bytes long (n < 128), so
	// that affixed can skip most look-ups.
	lens [2]uint64
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
			if n := len(t.words[0]); n < 128 {
				m.lens[n>>6] |= 1 << (n & 63)
			}
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
		w := t.text(i)
		if ids := m.first[string(w)]; ids != nil {
			m.mark(ids, t, text, i, hit, excluded)
		}
		if t.toks[i].kind == word && len(w) > 2 && 0xD7 <= w[0] && w[0] <= 0xD9 {
			m.affixed(w, t, text, i, hit, excluded)
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

// mark sets hit or excluded for the subjects of the terms ids that occur
// at token i of t, read from text, whose first word the token stands for.
func (m *Matcher) mark(ids []int32, t *tokenizer, text string, i int, hit, excluded []bool) {
	for _, id := range ids {
		tm := &m.terms[id]
		if excluded[tm.subject] || !tm.exclude && hit[tm.subject] || !tm.at(t, text, i) {
			continue
		}
		if tm.exclude {
			excluded[tm.subject] = true
		} else {
			hit[tm.subject] = true
		}
	}
}

// affixed marks the terms whose first word is w, token i of t, without the
// one-letter words that Arabic and Hebrew write joined to the next: "and",
// "with", "for", "the" and the like (see affixes). A word is looked up
// without each of its leading affixes in turn, so that only a word whose
// rest is a term matches: "بزين" is "with Zain", but "بزينة" is not Zain.
// Arabic writes ل and ال as لل, so a word after لل is also looked up with
// its ال.
func (m *Matcher) affixed(w []byte, t *tokenizer, text string, i int, hit, excluded []bool) {
	m.eachAffixed(w, t, func(ids []int32) { m.mark(ids, t, text, i, hit, excluded) })
}

// mayStart reports whether a term's first word may be n bytes long.
func (m *Matcher) mayStart(n int) bool {
	return n >= 128 || m.lens[n>>6]&(1<<(n&63)) != 0
}

// affix is what an affix ends with; 0 is not an affix.
type affix uint8

const (
	particle affix = 1 + iota
	article        // لل, the ل of "for" and the ال of "the"
)

// maxAffix is the most letters an affix has: Hebrew וכשמה, "and when from
// the".
const maxAffix = 5

// affixes are the one-letter words Arabic and Hebrew join to the word after
// them, alone and in the order they combine: Arabic و and ف (and, so),
// then ب, ك or ل (with, like, for), then the article ال; Hebrew ו (and),
// then ש or כש (that, when), then ב, ל, כ, מ (in, to, like, from), ה (the)
// or מה.
var affixes = func() map[string]affix {
	m := map[string]affix{}
	for _, c := range []string{"", "و", "ف"} {
		for _, p := range []string{"", "ب", "ك", "ل"} {
			for _, a := range []string{"", "ال"} {
				switch {
				case p == "ل" && a == "ال":
					m[c+"لل"] = article
				case c+p+a != "":
					m[c+p+a] = particle
				}
			}
		}
	}
	for _, c := range []string{"", "ו"} {
		for _, s := range []string{"", "ש", "כש"} {
			for _, p := range []string{"", "ב", "ל", "כ", "מ", "ה", "מה"} {
				if c+s+p != "" {
					m[c+s+p] = particle
				}
			}
		}
	}
	return m
}()

// affixLetter reports whether the two bytes b0 b1 are the UTF-8 of a
// letter of an affix.
func affixLetter(b0, b1 byte) bool {
	switch string([]byte{b0, b1}) {
	case "و", "ف", "ب", "ك", "ل", "ا", "ו", "ש", "כ", "ב", "ל", "מ", "ה":
		return true
	}
	return false
}

// at reports whether the term occurs at token i of t, read from text, whose
// text is the term's first word.
func (tm *term) at(t *tokenizer, text string, i int) bool {
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
		if tm.joins != nil && tm.joins[j] != "" && !joinedBy(text[t.toks[i+j-1].to:t.toks[i+j].from], tm.joins[j]) {
			return false
		}
	}
	return true
}

// Span is where a term was found in a text: text[From:To], from the first
// of its words to the end of its last.
type Span struct{ From, To int }

// MatchSpans is Match with where each subject's terms were found: spans[k]
// holds, in text order, the occurrences of the terms of names[k]. A span
// covers what the term's words were read from: a hashtag's without its #,
// a handle's with its @ and domain, an Arabic or Hebrew word with its
// prefix. Excluded terms have no spans, and the spans of different terms may
// overlap ("acme" and "acme air"). Listening blanks them before reading a
// post's tone, since a brand's own words ("Best Buy", "Good Energy") say
// nothing about it.
//
// It finds what Match finds, the same way; it is kept apart so that Match,
// which runs on every post a search returns, allocates nothing.
func (m *Matcher) MatchSpans(text string) (names []string, spans [][]Span) {
	if m == nil || len(m.terms) == 0 {
		return nil, nil
	}
	if len(text) > MaxMatchBytes {
		text = text[:MaxMatchBytes]
	}
	t := tokenizers.Get().(*tokenizer)
	defer tokenizers.Put(t)
	t.reset(text)
	found := make([][]Span, len(m.names))
	excluded := make([]bool, len(m.names))
	at := func(ids []int32, i int) {
		for _, id := range ids {
			tm := &m.terms[id]
			if excluded[tm.subject] || !tm.at(t, text, i) {
				continue
			}
			if tm.exclude {
				excluded[tm.subject] = true
				continue
			}
			last := i + len(tm.words) - 1
			found[tm.subject] = append(found[tm.subject], Span{From: int(t.toks[i].from), To: int(t.toks[last].to)})
		}
	}
	for i := range t.toks {
		w := t.text(i)
		if ids := m.first[string(w)]; ids != nil {
			at(ids, i)
		}
		if t.toks[i].kind == word && len(w) > 2 && 0xD7 <= w[0] && w[0] <= 0xD9 {
			m.eachAffixed(w, t, func(ids []int32) { at(ids, i) })
		}
	}
	for k, f := range found {
		if f != nil && !excluded[k] {
			names = append(names, m.names[k])
			spans = append(spans, f)
		}
	}
	return names, spans
}

// eachAffixed calls fn with the terms whose first word is w, a token of t,
// without one of its Arabic or Hebrew prefixes (see affixed), for Match
// and MatchSpans alike.
func (m *Matcher) eachAffixed(w []byte, t *tokenizer, fn func(ids []int32)) {
	for cut := 2; cut <= 2*maxAffix && cut < len(w) && affixLetter(w[cut-2], w[cut-1]); cut += 2 {
		rest := w[cut:]
		if m.mayStart(len(rest)) {
			if ids := m.first[string(rest)]; ids != nil {
				if _, ok := affixes[string(w[:cut])]; ok {
					fn(ids)
				}
			}
		}
		if cut >= 4 && string(w[cut-4:cut]) == "لل" && m.mayStart(len("ال")+len(rest)) {
			t.key = append(append(t.key[:0], "ال"...), rest...)
			if ids := m.first[string(t.key)]; ids != nil && affixes[string(w[:cut])] == article {
				fn(ids)
			}
		}
	}
}
