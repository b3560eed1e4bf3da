package listen

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/enrich/sentiment"
)

// tones reads the tone of text, a found post, and of each subject it is
// about; spans[k] are where the terms of the k-th subject were found
// (MatchSpans). Every subject's terms are blanked first: a name is not an
// opinion, and "Best Buy opens at 9" is not praise, nor "Bad Robot's new
// show" a complaint.
//
// A post about one subject is all about it. A post about several is cut
// into clauses (see clauseEnds), and each subject is given the tone of the
// clauses that name it, read together; a clause that names two subjects
// counts for both, and one that names none goes on about the subjects of
// the clause before it (for clauses before the first name, those of the
// first clause that names one). A subject named in every clause, as in a
// post of one clause, gets the whole post's tone.
func tones(text string, spans [][]Span) (float64, []float64) {
	if len(text) > MaxMatchBytes {
		text = text[:MaxMatchBytes]
	}
	masked := blank(text, spans)
	whole := sentiment.Analyze(masked).Score
	each := make([]float64, len(spans))
	if len(spans) < 2 {
		for k := range each {
			each[k] = whole
		}
		return whole, each
	}
	ends := clauseEnds(masked, spans)
	// named[c] are the subjects clause c names.
	named := make([][]int, len(ends))
	for k, ss := range spans {
		for _, s := range ss {
			c := sort.Search(len(ends), func(c int) bool { return ends[c] > s.From })
			if c < len(ends) && (len(named[c]) == 0 || named[c][len(named[c])-1] != k) {
				named[c] = append(named[c], k)
			}
		}
	}
	first := slices.IndexFunc(named, func(n []int) bool { return len(n) > 0 })
	if first < 0 {
		// Not reached: every span is in a clause.
		for k := range each {
			each[k] = whole
		}
		return whole, each
	}
	// about[c] is the clause whose subjects clause c is about: itself when
	// it names one, else the one before that does, else the first.
	about := make([]int, len(ends))
	for c := range ends {
		if len(named[c]) > 0 {
			first = c
		}
		about[c] = first
	}
	var b strings.Builder
	for k := range spans {
		b.Reset()
		all := true
		for c := range ends {
			if !slices.Contains(named[about[c]], k) {
				all = false
				continue
			}
			if b.Len() >= sentiment.MaxInput {
				continue // all Analyze reads
			}
			from := 0
			if c > 0 {
				from = ends[c-1]
			}
			b.WriteString(masked[from:ends[c]])
		}
		if all {
			each[k] = whole
			continue
		}
		each[k] = sentiment.Analyze(b.String()).Score
	}
	return whole, each
}

// blank returns text with the spans replaced by spaces, byte for byte, so
// that every other offset stays where it was.
func blank(text string, spans [][]Span) string {
	b := []byte(text)
	for _, ss := range spans {
		for _, s := range ss {
			for i := max(s.From, 0); i < min(s.To, len(b)); i++ {
				b[i] = ' '
			}
		}
	}
	return string(b)
}

// clauseEnds returns where the clauses of text end, in order, the last at
// len(text). A clause ends:
//
//   - after a line break;
//   - after . ! ? ; , : or … (and their Arabic forms) followed by white
//     space or the end, so that "acme.com", "3.5" and "9:30" go on; the
//     closing quotes and brackets after them are the clause's too;
//   - after the CJK marks 。！？；，、：, which no space follows;
//   - before "but", "however", "whereas", "pero" and "aber": comparisons
//     are written without a comma ("Rival is great but Acme is awful").
//
// A clause that says nothing but names is read with the next clause of
// its sentence ("Acme, Rival and Globex are all down"), or when it ends
// the sentence with the one before ("Great service, Rival."). White
// space after a clause starts the next one. The text is the post with its
// subjects' terms blanked, so that a name's own punctuation ("Yahoo!",
// "globex.com") cuts nothing; a blanked name must not be skipped as white
// space, or it would join the clause before.
func clauseEnds(text string, spans [][]Span) []int {
	var names []int // where names start, in order
	for _, ss := range spans {
		for _, s := range ss {
			names = append(names, s.From)
		}
	}
	slices.Sort(names)
	var ends []int
	stopped := true // the last clause of ends finished its sentence
	from := 0
	// The clause being read is text[from:at]; whether it says anything is
	// known up to read, so that a run of names is read once.
	read, saying := 0, false
	cut := func(at int, stop bool) {
		if at <= from {
			return
		}
		saying = saying || says(text[read:at])
		read = at
		n, _ := slices.BinarySearch(names, from)
		switch named := n < len(names) && names[n] < at; {
		case saying:
			ends, stopped = append(ends, at), stop
		case !named && len(ends) > 0:
			// White space and punctuation: the clause before's.
			ends[len(ends)-1], stopped = at, stopped || stop
		case !stop || !named:
			return // read with the next clause
		case !stopped:
			ends[len(ends)-1], stopped = at, true
		default:
			ends, stopped = append(ends, at), true
		}
		from, saying = at, false
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case lineBreak(r):
			cut(i+size, true)
		case clauseMark(r):
			j, stop := i, false
			for j < len(text) {
				r, size := utf8.DecodeRuneInString(text[j:])
				if !clauseMark(r) && !closing(r) {
					break
				}
				stop = stop || sentenceEnd(r)
				j += size
			}
			if next, _ := utf8.DecodeRuneInString(text[j:]); j == len(text) || unicode.IsSpace(next) || wideMark(r) {
				cut(j, stop)
			}
			i = j
			continue
		case unicode.IsSpace(r) && contrast(text[i+size:]):
			cut(i+size, false)
		}
		i += size
	}
	cut(len(text), true)
	if from < len(text) {
		// Nothing but white space and punctuation.
		ends = append(ends, len(text))
	}
	return ends
}

// says reports whether a clause says anything besides its names, which are
// blanked: a letter, a digit, an emoji.
func says(clause string) bool {
	return strings.ContainsFunc(clause, func(r rune) bool { return !unicode.IsSpace(r) && !unicode.IsPunct(r) })
}

func lineBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029
}

// clauseMark reports whether r ends a sentence or a clause.
func clauseMark(r rune) bool {
	switch r {
	case ';', ',', ':', '،', '؛':
		return true
	}
	return sentenceEnd(r) || wideMark(r)
}

// sentenceEnd reports whether r ends a sentence.
func sentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '؟', '۔', '。', '！', '？', '｡':
		return true
	}
	return false
}

// wideMark reports whether r is a CJK or full-width mark that ends a
// sentence or a clause: those scripts put no space after them.
func wideMark(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '，', '、', '：', '｡', '､':
		return true
	}
	return false
}

// closing reports whether r closes a quotation or a bracket.
func closing(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', '›', ')', ']', '}', '」', '』', '）':
		return true
	}
	return false
}

// contrasts are the words a clause is cut before.
var contrasts = []string{"but", "however", "whereas", "pero", "aber"}

// contrast reports whether s starts with one of contrasts, as a whole word
// in any case.
func contrast(s string) bool {
	for _, w := range contrasts {
		if len(s) >= len(w) && strings.EqualFold(s[:len(w)], w) {
			next, _ := utf8.DecodeRuneInString(s[len(w):])
			if len(s) == len(w) || !(unicode.IsLetter(next) || unicode.IsDigit(next) || unicode.IsMark(next) || next == '_') {
				return true
			}
		}
	}
	return false
}
