package moderation

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTextBytes bounds the part of a comment that is read: platforms allow
// 2,200 (Instagram) to 10,000 (YouTube) characters, and a decision must take
// the same bounded time whatever a commenter sends.
const MaxTextBytes = 8000

// text is one comment's text, prepared once for every rule.
type text struct {
	// raw is the bounded text with invalid UTF-8 replaced.
	raw string
	// norm is raw without invisible characters and combining marks, styled
	// letters and homoglyphs folded to Latin, lower-cased and without
	// accents. Links and phone numbers are found in it, words come from it.
	norm string
	// folded holds, ascending, the offsets in norm of ASCII characters
	// that were written as non-ASCII runes: a host name spelt with them is
	// disguised.
	folded []int32

	tokens []token
	// joined are words rebuilt from pieces split by separators ("f.u.c.k",
	// "f u c k", "sh-it"); they are matched as single words only.
	joined []token

	letters, upper int // letters with case, and the upper-case ones among them
	emoji          int
	hashtags       int
	// hidden is set when a word is split by an invisible character, mixes
	// plain Latin letters with homoglyphs or styled letters, or a host name
	// has its dots written "[.]": all deliberate dodges.
	hidden bool

	links []link

	scored bool // score is computed: the spam rule and the complaint guard both read it
	score  spamScore
}

// bound cuts s to at most MaxTextBytes on a rune boundary and makes it valid
// UTF-8.
func bound(s string) string {
	if len(s) > MaxTextBytes {
		n := MaxTextBytes
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// prepare normalises s and splits it into words.
func prepare(s string) *text {
	t := &text{raw: bound(s)}
	var b strings.Builder
	b.Grow(len(t.raw))
	var (
		prevLetter bool // the last rune written was a letter
		gap        bool // an invisible character followed a letter
		plain      bool // the current word has a plain Latin letter
		disguised  bool // the current word has a folded letter
	)
	endWord := func() {
		if plain && disguised {
			t.hidden = true
		}
		plain, disguised = false, false
	}
	for _, r := range t.raw {
		f, kind := r, foldNone
		if r >= utf8.RuneSelf {
			if invisible(r) {
				gap = gap || prevLetter
				continue
			}
			if unicode.In(r, unicode.Mn, unicode.Me) {
				continue
			}
			if p, ok := punctuation[r]; ok {
				r = p
			}
			f, kind = fold(r)
		} else if r == '`' {
			f = '\''
		}
		letter := f < utf8.RuneSelf && ('a' <= f && f <= 'z' || 'A' <= f && f <= 'Z') ||
			f >= utf8.RuneSelf && unicode.IsLetter(f)
		if letter {
			if gap && prevLetter {
				t.hidden = true
			}
			if kind != foldNone {
				disguised = true
			} else if r < utf8.RuneSelf || unicode.Is(unicode.Latin, r) {
				plain = true
			}
			if unicode.IsUpper(f) {
				t.letters++
				t.upper++
			} else if unicode.IsLower(f) {
				t.letters++
			}
		} else {
			endWord()
			if kind == foldNone && r >= utf8.RuneSelf && isEmoji(r) {
				t.emoji++
			}
		}
		gap = false
		prevLetter = letter
		if f < utf8.RuneSelf {
			if 'A' <= f && f <= 'Z' {
				f += 'a' - 'A'
			}
			b.WriteByte(byte(f))
			if r >= utf8.RuneSelf {
				t.folded = append(t.folded, int32(b.Len()-1))
			}
			continue
		}
		lower := unicode.ToLower(f)
		at := b.Len()
		if a, ok := accents[lower]; ok {
			b.WriteString(a)
		} else {
			b.WriteRune(lower)
		}
		if r >= utf8.RuneSelf {
			out := b.String()
			for i := at; i < len(out); i++ {
				if out[i] < utf8.RuneSelf {
					t.folded = append(t.folded, int32(i))
				}
			}
		}
	}
	endWord()
	t.norm = b.String()
	t.tokenize()
	return t
}

// foldedIn reports whether any byte of norm[from:to] came from a non-ASCII
// rune.
func (t *text) foldedIn(from, to int) bool {
	lo, hi := 0, len(t.folded)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(t.folded[m]) < from {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(t.folded) && int(t.folded[lo]) < to
}

// shouting reports long text in capitals: at least 24 letters, 90% of them
// upper-case.
func (t *text) shouting() bool {
	return t.letters >= 24 && t.upper*10 >= t.letters*9
}
