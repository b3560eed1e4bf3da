package care

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search limits.
const (
	// MaxSearchQuery is the longest search query, in bytes.
	MaxSearchQuery = 200
	// DefaultSearchLimit is how many hits a search returns when asked for 0.
	DefaultSearchLimit = 20
	// MaxSearchLimit caps the hits of one search.
	MaxSearchLimit = 100
	// MaxSnippet is the longest snippet, in runes.
	MaxSnippet = 200
)

// SearchHit is one full-text search result: a message, or a contact (then
// MessageID is 0 and ConversationID is the contact's newest conversation).
type SearchHit struct {
	ConversationID ID `json:"conversation_id"`
	// MessageID is 0 for a contact match.
	MessageID ID `json:"message_id"`
	ContactID ID `json:"contact_id"`
	// Snippet is plain text (no markup), at most MaxSnippet runes around
	// the match.
	Snippet string `json:"snippet"`
}

// CheckSearch validates a search query and normalises its limit.
func CheckSearch(query string, limit int) (int, error) {
	if strings.TrimSpace(query) == "" {
		return 0, Errorf(EINVALID, "The search query is empty.")
	}
	if len(query) > MaxSearchQuery {
		return 0, Errorf(EINVALID, "The search query is longer than %d bytes.", MaxSearchQuery)
	}
	if !utf8.ValidString(query) {
		return 0, Errorf(EINVALID, "The search query is not valid UTF-8.")
	}
	switch {
	case limit <= 0:
		limit = DefaultSearchLimit
	case limit > MaxSearchLimit:
		limit = MaxSearchLimit
	}
	return limit, nil
}

// SearchTerms splits user text into the words a full-text index knows:
// runs of letters and digits. Everything else, including any search
// operator syntax, only separates words.
func SearchTerms(query string) []string {
	return strings.FieldsFunc(query, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r)
	})
}

// Snippet returns at most MaxSnippet runes of text around the first
// occurrence of one of the query's words (or its start), with whitespace
// collapsed. Elided ends are marked with "…".
func Snippet(text, query string) string {
	text = strings.Join(strings.Fields(text), " ")
	runes := []rune(text)
	if len(runes) <= MaxSnippet {
		return text
	}
	lower := []rune(strings.ToLower(text))
	at := -1
	if len(lower) == len(runes) {
		for _, term := range SearchTerms(query) {
			if i := runeIndex(lower, []rune(strings.ToLower(term))); i >= 0 && (at < 0 || i < at) {
				at = i
			}
		}
	}
	width := MaxSnippet - 2 // room for the ellipses
	start := 0
	if at > width/3 {
		start = at - width/3
	}
	if start+width > len(runes) {
		start = len(runes) - width
	}
	s := string(runes[start : start+width])
	if start > 0 {
		s = "…" + s
	}
	if start+width < len(runes) {
		s += "…"
	}
	return s
}

func runeIndex(s, sub []rune) int {
	if len(sub) == 0 {
		return -1
	}
outer:
	for i := 0; i+len(sub) <= len(s); i++ {
		for j := range sub {
			if s[i+j] != sub[j] {
				continue outer
			}
		}
		return i
	}
	return -1
}
