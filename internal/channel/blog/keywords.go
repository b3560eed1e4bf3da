package blog

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Bounds of the keywords credential.
const (
	// MaxKeywords is how many brand names and phrases one inbox watches.
	MaxKeywords = 50
	// maxKeywordBytes bounds one of them.
	maxKeywordBytes = 100
)

// keywords are the brand names and phrases an inbox watches, each
// lower-cased with its runs of white space made one space. None means
// everything matches.
type keywords []string

// parseKeywords reads the keywords credential: names and phrases separated
// by newlines or commas. It returns EINVALID for too many or too long ones.
func parseKeywords(s string) (keywords, error) {
	var out keywords
	seen := map[string]bool{}
	for _, f := range splitList(s) {
		k := normalize(f)
		switch {
		case k == "" || seen[k]:
			continue
		case len(k) > maxKeywordBytes || !utf8.ValidString(k):
			return nil, care.Errorf(care.EINVALID, "credentials.%s: %q is longer than %d bytes; keywords are brand names and short phrases.", CredKeywords, channel.Cut(f, 40), maxKeywordBytes)
		}
		seen[k] = true
		out = append(out, k)
	}
	if len(out) > MaxKeywords {
		return nil, care.Errorf(care.EINVALID, "credentials.%s lists %d keywords; at most %d.", CredKeywords, len(out), MaxKeywords)
	}
	return out, nil
}

// splitList splits a credential on newlines and commas, trimming each part.
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// normalize lower-cases s and makes each run of white space one space,
// trimmed, so that "Acme  Cloud" and "acme\ncloud" read alike.
func normalize(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// match reports whether text mentions one of the keywords as whole words,
// ignoring case: "Acme" matches "acme's new app" and "(ACME)" but not
// "acmeville". A keyword's edge that is not a letter or digit ("@acme",
// "acme.com") needs no boundary there. No keywords match everything.
func (k keywords) match(text string) bool {
	if len(k) == 0 {
		return true
	}
	t := normalize(text)
	for _, kw := range k {
		if containsWord(t, kw) {
			return true
		}
	}
	return false
}

// containsWord reports whether the normalised text t holds the normalised
// keyword kw with no letter or digit running into either of its word
// edges.
func containsWord(t, kw string) bool {
	first, _ := utf8.DecodeRuneInString(kw)
	last, _ := utf8.DecodeLastRuneInString(kw)
	for from := 0; from <= len(t)-len(kw); {
		i := strings.Index(t[from:], kw)
		if i < 0 {
			return false
		}
		i += from
		before, _ := utf8.DecodeLastRuneInString(t[:i])
		after, _ := utf8.DecodeRuneInString(t[i+len(kw):])
		if (!wordRune(first) || i == 0 || !wordRune(before)) && (!wordRune(last) || i+len(kw) == len(t) || !wordRune(after)) {
			return true
		}
		_, size := utf8.DecodeRuneInString(t[i:])
		from = i + size
	}
	return false
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
