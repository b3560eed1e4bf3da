package sentiment

import (
	"math"
	"slices"
)

// Weights of the rules. VADER's authors measured most of them on human
// ratings; the care-specific ones were set on testdata/dev.tsv.
const (
	// window is how many words a negator or an intensifier reaches.
	window = 3
	// neReach is how many words after "ne" its second half may come:
	// "ne me l'a pas", "n'y a plus".
	neReach = 4
	// capsBoost is added to the size of a sentiment word in ALL CAPS.
	capsBoost = 0.733
	// elongBoost is added to the size of an elongated word ("sooo bad",
	// "loooove").
	elongBoost = 0.3
	// unmetValence is a negator with nothing to flip: "can't log in",
	// "no response", "never arrived". In care traffic these are complaints.
	unmetValence = -1.0
	// shoutValence is added, per shouted word up to three, to a post that
	// shouts without praise: customers write in capitals when angry.
	shoutValence = -0.4
	// beforeBut and afterBut weigh the clauses around the last "but".
	beforeBut, afterBut = 0.5, 1.5
	// questionWeight softens a polite question ("is the water safe to
	// drink?"): its words describe the topic, not the customer's mood.
	questionWeight = 0.3
	// sarcasmWeight is what is left of praise, reversed, in a sarcastic post.
	sarcasmWeight = -0.8
	// bangWeight and questionMarkWeight are VADER's punctuation emphasis.
	bangWeight, questionMarkWeight, maxQuestionMarks = 0.292, 0.18, 0.96
)

// sentence is what the rules need to know about one sentence.
type sentence struct {
	question bool // a polite question: ends in one "?" and is no complaint
	asks     bool // ends in "?" at all: praise in it is asked about, not given
}

// score applies the rules to the matched items and builds the Result.
func (s *scratch) score(text string) Result {
	s.classifySentences()
	s.pairNe()
	contrast := -1
	for k := range s.items {
		if s.items[k].e.has(fContrast) {
			contrast = k
		}
	}
	for k := range s.items {
		s.valence(k, contrast)
	}
	s.unmetNegators(contrast)
	sarcasm, sarcasmEnd := s.sarcasm()

	var sum, size float64
	for k := range s.items {
		sum += s.items[k].c
		size += math.Abs(s.items[k].c)
	}

	caps, capsUsed := 0, false
	for k := range s.toks {
		if s.toks[k].caps {
			caps++
		}
	}
	for k := range s.items {
		if s.items[k].c != 0 && s.anyCaps(k) {
			capsUsed = true
		}
	}
	shout := caps >= 2 || caps == 1 && !capsUsed
	if shout && sum < 0.5 {
		d := shoutValence * float64(min(caps, 3))
		sum += d
		size -= d
	}

	bangs, marks, longestBangs, marksText := 0, 0, 0, -1
	for k := range s.toks {
		t := &s.toks[k]
		if t.kind != kPunct {
			continue
		}
		bangs += int(t.bangs)
		longestBangs = max(longestBangs, int(t.bangs))
		if t.qs >= 2 || t.qs >= 1 && t.bangs >= 1 {
			marks += int(t.qs)
			if marksText < 0 {
				marksText = k
			}
		}
	}
	var emphasis float64
	if sum != 0 {
		emphasis = bangWeight * float64(min(bangs, 4))
		if marks > 0 {
			emphasis += min(maxQuestionMarks, questionMarkWeight*float64(marks))
		}
		size += emphasis
		sum += math.Copysign(emphasis, sum)
	}

	score := squash(sum)
	r := Result{Score: score, Label: label(score), Intensity: squash(size)}
	s.addCues(cueContext{
		contrast: contrast, sarcasm: sarcasm, sarcasmEnd: sarcasmEnd, caps: caps, shout: shout || capsUsed,
		bangs: bangs, longestBangs: longestBangs, marksText: marksText, label: r.Label,
	})
	r.Cues = s.cues(text)
	return r
}

// classifySentences finds polite questions: a sentence that ends in a
// single "?" and does not open with a complaint ("why", "where is my").
func (s *scratch) classifySentences() {
	n := 0
	if len(s.toks) > 0 {
		n = int(s.toks[len(s.toks)-1].sent) + 1
	}
	s.sents = slices.Grow(s.sents[:0], n)[:n]
	clear(s.sents)
	for k := range s.toks {
		if t := &s.toks[k]; t.kind == kPunct && t.qs > 0 {
			s.sents[t.sent].asks = true
			s.sents[t.sent].question = t.qs == 1 && t.bangs == 0
		}
	}
	seen := -1
	for k := range s.items {
		it := &s.items[k]
		sent := int(s.toks[it.first].sent)
		if !it.word || sent == seen {
			continue
		}
		seen = sent
		if it.e.has(fComplaint) {
			s.sents[sent].question = false
		}
	}
}

// pairNe joins the halves of French negation: the second half of "ne …
// pas", "ne … plus", "n'… jamais" becomes the negator of the pair, so that
// "ne marche pas" is one negation rather than two, "ne marche plus" one
// rather than none, and "n'aime pas" negates the word between the halves.
func (s *scratch) pairNe() {
	for k := range s.items {
		ne := &s.items[k]
		if !ne.e.has(fNe) {
			continue
		}
		for j := k + 1; j < len(s.items) && j <= k+neReach; j++ {
			p := &s.items[j]
			if p.clause != ne.clause || !p.word {
				break
			}
			if p.e.has(fNeEnd) && p.pair < 0 {
				ne.pair, p.pair = j, k
				p.e.flags |= fNegator
				break
			}
		}
	}
}

// valence sets the contribution of item k from its entry and the words
// around it.
func (s *scratch) valence(k, contrast int) {
	it := &s.items[k]
	e := it.e
	if !e.valenced() || e.has(fNegator) {
		return // negators are scored by unmetNegators, once all are known
	}
	if e.boost != 0 && k+1 < len(s.items) && s.items[k+1].clause == it.clause && s.items[k+1].e.val != 0 {
		// "super helpful": "super" intensifies rather than praises. A word
		// with a valence only when negated ("super angekommen", "super
		// work") has none to intensify.
		return
	}
	v := e.val
	if it.word {
		reach := window
		if e.has(fAgain) {
			reach = 5 // "never ordering from them again"
		}
		if n := s.negatorBefore(k, reach); n >= 0 {
			switch {
			case e.has(fAgain):
				v = -2.6 // "never … again", "don't … again"
				it.negBy, it.how = n, howNegated
				s.items[n].used = true
			case !e.has(fKeep):
				v = e.negated()
				it.negBy, it.how = n, howNegated
				s.items[n].used = true
			}
		}
		v *= s.boosts(k)
		if s.toks[it.first].elong {
			v += math.Copysign(elongBoost, v)
		}
		if s.anyCaps(k) {
			v += math.Copysign(capsBoost, v)
		}
		if v > 0 && s.allQuoted(k) {
			v *= -0.5 // "unlimited" data, the "free" breakfast
			it.how = howScare
		}
	}
	it.c = v * s.weight(k, contrast)
}

// weight is how much item k's clause and sentence count.
func (s *scratch) weight(k, contrast int) float64 {
	w := 1.0
	switch {
	case contrast < 0:
	case k < contrast:
		w = beforeBut
	case k > contrast:
		w = afterBut
	}
	if s.softened(k) {
		w *= questionWeight
	}
	return w
}

// negatorBefore returns the negator within reach words before item k in
// its clause ("not happy", "nicht gut"), or one of the negators that may
// follow their verb within two words after it, at the end of the clause,
// or -1.
func (s *scratch) negatorBefore(k, reach int) int {
	it := &s.items[k]
	for j := k - 1; j >= 0 && j >= k-reach; j-- {
		p := &s.items[j]
		if p.clause != it.clause || !p.word {
			break
		}
		if p.e.has(fNegator) {
			return j
		}
		if p.e.has(fNe) && p.pair > k {
			return p.pair // "n'aime pas": between the halves
		}
	}
	for j := k + 1; j < len(s.items) && j <= k+2; j++ {
		p := &s.items[j]
		if p.clause != it.clause || !p.word {
			break
		}
		if p.e.has(fPost) && (j+1 == len(s.items) || s.items[j+1].clause != p.clause) {
			return j
		}
	}
	return -1
}

// boosts is the product of the intensifiers and diminishers within window
// words before item k, nearer ones counting more.
func (s *scratch) boosts(k int) float64 {
	it := &s.items[k]
	f := 1.0
	for j, d := k-1, 0; j >= 0 && d < window; j, d = j-1, d+1 {
		p := &s.items[j]
		if p.clause != it.clause || !p.word {
			break
		}
		if p.e.boost == 0 {
			continue
		}
		b := p.e.boost * (1 - 0.05*float64(d))
		if s.toks[p.first].elong {
			b *= 1.5 // "sooo annoying"
		}
		f *= 1 + b
		if it.boostBy < 0 {
			it.boostBy = j
		}
	}
	return f
}

// unmetNegators gives a negator with nothing to flip its care meaning:
// "can't log in", "no response", "still no refund", "never arrived".
// A negator that ends its clause negates nothing, unless it is one that
// follows its verb ("funktioniert nicht").
func (s *scratch) unmetNegators(contrast int) {
	for k := range s.items {
		it := &s.items[k]
		if !it.word || !it.e.has(fNegator) || it.used {
			continue
		}
		v := it.e.val
		if s.hasWordAround(k) {
			v += unmetValence
			it.how = howUnmet
		}
		if v != 0 {
			it.c = v * s.weight(k, contrast)
		}
	}
}

// hasWordAround reports whether negator k has a word to negate: after it in
// its clause, or, for one that may follow its verb, before it.
func (s *scratch) hasWordAround(k int) bool {
	it := &s.items[k]
	if k+1 < len(s.items) && s.items[k+1].clause == it.clause && s.items[k+1].word || it.pair >= 0 && it.pair < k-1 {
		return true // a word after it, or between "ne" and it ("ne marche plus")
	}
	return it.e.has(fPost) && k > 0 && s.items[k-1].clause == it.clause && s.items[k-1].word
}

// sarcasm looks for praise that means the opposite: a sarcastic phrase
// ("oh great"), praise followed by "another" ("great, another delay"), or
// thanks for a mishap ("thanks for losing my bag"). When it finds one, all
// praise in the post is reversed, since sarcasm rarely stops at one word.
// It returns the first and last items that gave the sarcasm away, or -1.
func (s *scratch) sarcasm() (marker, end int) {
	marker, end = -1, -1
	for k := range s.items {
		it := &s.items[k]
		if it.e.has(fSarcasm) {
			marker, end = k, k
			break
		}
		if !it.word || it.e.val <= 0 || it.negBy >= 0 {
			continue
		}
		sent := s.toks[it.first].sent
		if k+1 < len(s.items) && s.items[k+1].e.has(fAnother) && s.toks[s.items[k+1].first].sent == sent {
			marker, end = k, k+1
			break
		}
		for j := k + 1; j < len(s.items) && j <= k+3; j++ {
			if s.items[j].isFor {
				if j+1 < len(s.items) && s.items[j+1].e.has(fMishap) && s.toks[s.items[j+1].first].sent == sent {
					marker, end = k, j+1
				}
				break
			}
		}
		if marker >= 0 {
			break
		}
	}
	if marker < 0 {
		return -1, -1
	}
	for k := range s.items {
		if it := &s.items[k]; it.c > 0 {
			it.c *= sarcasmWeight
			it.how = howSarcasm
		}
	}
	s.items[marker].how = howSarcasm
	return marker, end
}

// anyCaps reports whether a word of item k is in capitals.
func (s *scratch) anyCaps(k int) bool {
	it := &s.items[k]
	if !it.word {
		return false
	}
	for i := it.first; i <= it.last; i++ {
		if s.toks[i].caps {
			return true
		}
	}
	return false
}

// allQuoted reports whether every word of item k is in scare quotes.
func (s *scratch) allQuoted(k int) bool {
	it := &s.items[k]
	for i := it.first; i <= it.last; i++ {
		if !s.toks[i].quoted {
			return false
		}
	}
	return true
}
