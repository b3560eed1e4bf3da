package sentiment

import (
	"math"
	"strings"
	"unicode/utf8"
)

// cueKind is what a cue explains.
type cueKind uint8

const (
	cueItem     cueKind = iota // a word, phrase, emoji or emoticon
	cueSarcasm                 // the words that gave sarcasm away
	cueCaps                    // shouting
	cueBangs                   // "!!!"
	cueMarks                   // "?!" or "??"
	cueContrast                // a "but" that turned the post
	cueQuestion                // a polite question that was softened
)

// cand is a cue that may be shown, with how much it moved the score.
type cand struct {
	w    float64
	kind cueKind
	k    int // item, token or count of "!", by kind
	end  int // cueSarcasm: the last item that gave it away
}

// cueContext is what score found beyond the items.
type cueContext struct {
	contrast, sarcasm, sarcasmEnd int
	caps                          int  // words in capitals
	shout                         bool // capitals changed the score
	bangs, longestBangs           int
	marksText                     int
	label                         Label
}

// maxCueBytes bounds a quoted cue; hostile posts can have long "words".
const maxCueBytes = 40

// addCues collects every candidate cue.
func (s *scratch) addCues(cx cueContext) {
	for k := range s.items {
		it := &s.items[k]
		if it.c == 0 || k == cx.sarcasm || cx.label == Neutral && s.softened(k) {
			continue
		}
		if !it.word && s.sameEmoji(k, math.Abs(it.c)) {
			continue
		}
		s.cands = append(s.cands, cand{w: math.Abs(it.c), kind: cueItem, k: k})
	}
	if cx.sarcasm >= 0 {
		// Sarcasm explains a post better than the praise it reversed.
		s.cands = append(s.cands, cand{w: math.Inf(1), kind: cueSarcasm, k: cx.sarcasm, end: cx.sarcasmEnd})
	}
	if cx.shout && cx.caps > 0 {
		s.cands = append(s.cands, cand{w: capsBoost * float64(min(cx.caps, 3)), kind: cueCaps})
	}
	if cx.longestBangs >= 2 {
		s.cands = append(s.cands, cand{w: bangWeight * float64(min(cx.bangs, 4)), kind: cueBangs, k: min(cx.longestBangs, 5)})
	}
	if cx.marksText >= 0 {
		s.cands = append(s.cands, cand{w: 2 * questionMarkWeight, kind: cueMarks, k: cx.marksText})
	}
	if cx.contrast >= 0 {
		var before, after float64
		for k := range s.items {
			switch {
			case k < cx.contrast:
				before += s.items[k].c
			case k > cx.contrast:
				after += s.items[k].c
			}
		}
		if before*after < 0 {
			s.cands = append(s.cands, cand{w: math.Abs(after), kind: cueContrast, k: cx.contrast})
		}
	}
	if cx.label == Neutral {
		var softened float64
		for k := range s.items {
			if s.softened(k) {
				softened += math.Abs(s.items[k].c)
			}
		}
		if softened > 0 {
			s.cands = append(s.cands, cand{w: softened / questionWeight, kind: cueQuestion})
		}
	}
}

// softened reports whether item k counts less because it is in a question.
func (s *scratch) softened(k int) bool {
	it := &s.items[k]
	sent := &s.sents[s.toks[it.first].sent]
	return sent.question && !it.e.has(fComplaint) || sent.asks && it.word && it.e.val > 0 && it.negBy < 0
}

// sameEmoji adds w to the candidate of an earlier copy of item k's emoji or
// emoticon and reports whether there was one, so that "😡😡😡" is one
// strong cue. There are a few hundred distinct faces, which bounds the scan.
func (s *scratch) sameEmoji(k int, w float64) bool {
	t := &s.toks[s.items[k].first]
	for i := range s.cands {
		c := &s.cands[i]
		if c.kind != cueItem || s.items[c.k].word {
			continue
		}
		o := &s.toks[s.items[c.k].first]
		if o.kind == t.kind && (t.kind == kEmoji && o.r == t.r || t.kind == kEmoticon && o.val == t.val) {
			c.w += w
			return true
		}
	}
	return false
}

// cues picks the strongest MaxCues candidates, without repeats.
func (s *scratch) cues(text string) []string {
	if len(s.cands) == 0 {
		return nil
	}
	out := make([]string, 0, min(MaxCues, len(s.cands)))
	for len(out) < MaxCues {
		best := -1
		for i := range s.cands {
			if s.cands[i].w >= 0 && (best < 0 || s.cands[i].w > s.cands[best].w) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		c := s.cands[best]
		s.cands[best].w = -1
		cue := s.format(text, c)
		if cue == "" {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == cue
		}
		if !dup {
			out = append(out, cue)
		}
	}
	return out
}

// format writes one cue.
func (s *scratch) format(text string, c cand) string {
	switch c.kind {
	case cueCaps:
		return "ALL CAPS"
	case cueBangs:
		return `"` + strings.Repeat("!", c.k) + `"`
	case cueMarks:
		t := &s.toks[c.k]
		if t.bangs > 0 {
			return `"?!"`
		}
		return `"??"`
	case cueContrast:
		return quote(s.span(text, s.items[c.k].first, s.items[c.k].last)) + " clause"
	case cueQuestion:
		return "polite question"
	case cueSarcasm:
		return quote(s.span(text, s.items[c.k].first, s.items[c.end].last)) + " (sarcasm)"
	}
	it := &s.items[c.k]
	if !it.word {
		t := &s.toks[it.first]
		if t.kind == kEmoji {
			return emojiCue(t.r)
		}
		return valid(text[t.start:t.end])
	}
	switch it.how {
	case howNegated:
		// The negator comes first ("not good") or, in German, French and
		// Dutch, may follow its verb ("gut nicht", "aime pas").
		n := &s.items[it.negBy]
		first, last := n.first, it.last
		switch {
		case n.pair >= 0:
			first, last = s.items[n.pair].first, max(it.last, n.last) // "n'aime pas", "n'est pas bon"
		case it.negBy > c.k:
			first, last = it.first, n.last
		}
		return quote(s.span(text, first, last)) + " (negated)"
	case howUnmet:
		if it.pair >= 0 {
			// "ne marche plus"; "ne pas" with the word after it.
			last := it.last
			if it.pair == c.k-1 && c.k+1 < len(s.items) && s.items[c.k+1].clause == it.clause {
				last = s.items[c.k+1].last
			}
			return quote(s.span(text, s.items[it.pair].first, last))
		}
		last := it.last
		if it.e.has(fPost) && c.k > 0 && s.items[c.k-1].clause == it.clause {
			return quote(s.span(text, s.items[c.k-1].first, last))
		}
		if c.k+1 < len(s.items) && s.items[c.k+1].clause == it.clause {
			last = s.items[c.k+1].last
		}
		return quote(s.span(text, it.first, last))
	case howScare:
		return quote(s.span(text, it.first, it.last)) + " (scare quotes)"
	case howSarcasm:
		return quote(s.span(text, it.first, it.last)) + " (sarcasm)"
	}
	first := it.first
	if it.boostBy >= 0 {
		first = s.items[it.boostBy].first
	}
	return quote(s.span(text, first, it.last))
}

// span is the text from token a to token b, shortened around an ellipsis
// when it is long.
func (s *scratch) span(text string, a, b int) string {
	ta, tb := &s.toks[a], &s.toks[b]
	if int(tb.end)-int(ta.start) <= maxCueBytes {
		return valid(text[ta.start:tb.end])
	}
	if a == b {
		return valid(truncate(text[ta.start:ta.end], maxCueBytes)) + "…"
	}
	half := maxCueBytes / 2
	return valid(truncate(text[ta.start:ta.end], half)) + " … " + valid(truncate(text[tb.start:tb.end], half))
}

func quote(s string) string { return `"` + s + `"` }

// truncate cuts s to at most n bytes without splitting a rune.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// valid drops bytes that are not UTF-8 and line breaks, so a cue is always
// one printable line.
func valid(s string) string {
	// Most cues are ASCII without line breaks, which one pass shows.
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		c := s[i]
		ascii = c < utf8.RuneSelf && c != '\r' && c != '\n' && c != '\t'
	}
	if ascii || utf8.ValidString(s) && !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

// emojiCue writes a pictograph as customers see it: symbols that default to
// text presentation ("❤") get the emoji variation selector.
func emojiCue(r rune) string {
	if r < 0x1F000 {
		return string(r) + "\uFE0F"
	}
	return string(r)
}
