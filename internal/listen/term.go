package listen

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// term is a term or an exclude compiled for matching.
type term struct {
	kind  kind     // word: its words match tokens of any kind; hashtag or handle: its first must be one
	words []string // folded tokens, in order; a handle's name alone
	// joins[j], when not "", is the punctuation that must join words[j]
	// to the word before it in a text, as it does in the term (see
	// joinsOf); nil when no word needs any.
	joins   []string
	domain  string // a handle's domain, when the term names one
	subject int    // index of the subject in the matcher
	exclude bool
}

// normalize returns raw trimmed, lower-cased and with its runs of white
// space collapsed to one space, and the term compiled from it. When raw is
// not a term it returns the reason, a sentence fragment about "the term".
func normalize(raw string) (string, term, error) {
	if !utf8.ValidString(raw) || strings.ContainsRune(raw, utf8.RuneError) {
		return "", term{}, errors.New("the term is not valid UTF-8")
	}
	for _, r := range raw {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return "", term{}, errors.New("the term holds a control character")
		}
	}
	norm := strings.Join(strings.Fields(strings.ToLower(raw)), " ")
	switch {
	case norm == "":
		return "", term{}, errors.New("the term is empty")
	case len(norm) > MaxTermBytes:
		return "", term{}, fmt.Errorf("the term is %d bytes, more than %d", len(norm), MaxTermBytes)
	case strings.IndexFunc(norm, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0:
		return "", term{}, fmt.Errorf("the term %q has no letter or digit to match", norm)
	}
	var t tokenizer
	t.reset(norm)
	switch norm[0] {
	case '#':
		// The tokenizer gives "#acme" one hashtag, and "#ソニー" a hashtag
		// of its first character and words of the others, as in a text.
		if strings.ContainsAny(norm[1:], "#@＃＠") || strings.IndexFunc(norm[1:], notWordChar) >= 0 ||
			len(t.toks) == 0 || t.toks[0].kind != hashtag {
			return "", term{}, fmt.Errorf("the term %q is not a #hashtag: after the # come letters, digits and _ only", norm)
		}
		return norm, compiled(&t, norm, hashtag), nil
	case '@':
		if len(t.toks) != 1 || t.toks[0].kind != handle || handleLen(&t) != len(norm) {
			return "", term{}, fmt.Errorf("the term %q is not an @handle: after the @ come ASCII letters, digits, _, . and -, and then an optional @domain such as @mastodon.social", norm)
		}
		c := compiled(&t, norm, handle)
		if t.toks[0].dend > t.toks[0].dstart {
			c.domain = string(t.domain(0))
		}
		return norm, c, nil
	}
	if strings.ContainsAny(norm, "#@＃＠") {
		return "", term{}, fmt.Errorf("the term %q has a # or @ inside: a #hashtag or @handle is a term of its own", norm)
	}
	if t.link {
		return "", term{}, fmt.Errorf("the term %q holds a link, and links in posts are not read", norm)
	}
	if len(t.toks) == 0 {
		return "", term{}, fmt.Errorf("the term %q has no word to match", norm)
	}
	return norm, compiled(&t, norm, word), nil
}

// operators refuses the boolean syntax of other listening tools
// (Brandwatch, Talkwalker, Meltwater): Parley would read it as words, so
// "apple -pie" would find the very posts about apple pie it was meant to
// leave out, and "apple OR iphone" would find only that phrase. Parley
// says the same with a term per alternative and excluded terms. OR, AND
// and NOT count only in capitals, as those tools write them: a name
// holding the word is written in lower case, and matches in any case.
func operators(raw string) error {
	words := strings.Fields(raw)
	for _, w := range words {
		if len(w) > 1 && w[0] == '-' && strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			return fmt.Errorf("the term %q has a word starting with \"-\", and Parley does not read \"-\" as \"without\"; list the words to leave out, without the \"-\", as the subject's excluded terms (\"exclude\")", strings.Join(words, " "))
		}
	}
	if len(words) < 2 {
		return nil
	}
	for _, w := range words {
		if w == "OR" || w == "AND" || w == "NOT" {
			return fmt.Errorf("the term %q uses %s as an operator, which Parley does not read: give each alternative as a term of its own (a post is found when it has any of them), put what to leave out in the excluded terms (\"exclude\"), and write a phrase as it is written in posts; if %s is part of a name, write it in lower case: terms match in any case", strings.Join(words, " "), w, w)
		}
	}
	return nil
}

// compiled returns the tokens of t, read from text, as a term of kind k.
func compiled(t *tokenizer, text string, k kind) term {
	c := term{kind: k, words: make([]string, len(t.toks))}
	for i := range t.toks {
		c.words[i] = string(t.text(i))
	}
	c.joins = joinsOf(t, text, c.words)
	return c
}

// joinsOf returns the punctuation that joins each of words, the tokens of
// t read from text, to the one before, where it is part of the name: where
// it sets off a lone letter or digit, as in "at&t", "h&m", "e*trade",
// "toys"r"us" or "mcdonald's". Such a name's fragments are common words on
// their own, so a text must write the punctuation too: "at&t" is in "AT&T"
// and "AT & T", and not in "see you at T-Mobile". Elsewhere punctuation
// separates words as white space does: "coca-cola" is in "Coca Cola", and
// punctuation before or after the name ("yahoo!") is a sentence's as much
// as the name's, and not asked for. It returns nil when no word needs a
// join.
func joinsOf(t *tokenizer, text string, words []string) []string {
	var joins []string
	for i := 1; i < len(words); i++ {
		if !lone(words[i-1]) && !lone(words[i]) {
			continue
		}
		j := string(appendJoin(nil, text[t.toks[i-1].to:t.toks[i].from]))
		if j == "" {
			continue
		}
		if joins == nil {
			joins = make([]string, len(words))
		}
		joins[i] = j
	}
	return joins
}

// lone reports whether w, a folded word, is a single letter or digit of a
// script written with spaces: in unspaced scripts every character is a
// word of its own, and punctuation between them does not make a name.
func lone(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	return size == len(w) && !unspaced(r)
}

// appendJoin appends to b the join in gap, the text between two words: its
// punctuation and symbols, folded (see foldPunct), without the white space,
// marks and ignored characters around or among them.
func appendJoin(b []byte, gap string) []byte {
	for _, r := range gap {
		if unicode.IsSpace(r) || unicode.IsMark(r) || ignored(r) {
			continue
		}
		b = utf8.AppendRune(b, foldPunct(r))
	}
	return b
}

// joinedBy reports whether gap, the text between two words, is the join
// j, as appendJoin reads it; it stops at the first difference.
func joinedBy(gap, j string) bool {
	n := 0
	for _, r := range gap {
		if unicode.IsSpace(r) || unicode.IsMark(r) || ignored(r) {
			continue
		}
		r = foldPunct(r)
		size := utf8.RuneLen(r)
		if size < 0 || n+size > len(j) {
			return false
		}
		if r < utf8.RuneSelf {
			if j[n] != byte(r) {
				return false
			}
		} else if c, _ := utf8.DecodeRuneInString(j[n:]); c != r {
			return false
		}
		n += size
	}
	return n == len(j)
}

// handleLen returns the length the single handle token in t was read from:
// "@" + name, and "@" + domain when it has one.
func handleLen(t *tokenizer) int {
	tok := t.toks[0]
	n := 1 + int(tok.end-tok.start)
	if tok.dend > tok.dstart {
		n += 1 + int(tok.dend-tok.dstart)
	}
	return n
}

func notWordChar(r rune) bool {
	return !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

// normalizeAll normalises terms, dropping those that are not terms and
// those given before, for subjects that did not come from ParseSettings.
func normalizeAll(raw []string) ([]string, []term) {
	var norms []string
	var terms []term
	for _, r := range raw {
		n, t, err := normalize(r)
		if err != nil || contains(norms, n) {
			continue
		}
		norms = append(norms, n)
		terms = append(terms, t)
	}
	return norms, terms
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
