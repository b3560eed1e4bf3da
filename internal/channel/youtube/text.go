package youtube

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxHandleChars bounds a handle: YouTube's are 3 to 30 characters.
const maxHandleChars = 30

// handleOf derives a commenter's handle, without its "@": from their
// channel's URL when it is one, http://www.youtube.com/@somecustomer (the
// URL of a channel without a handle ends /channel/UC…), else from a
// display name that is a handle, "@somecustomer", as YouTube shows names
// since handles came. It returns "" when neither is one.
func handleOf(channelURL, displayName string) string {
	if u, err := url.Parse(channelURL); err == nil && len(channelURL) <= 2048 {
		host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		if h, ok := strings.CutPrefix(u.Path, "/@"); ok && (host == "youtube.com" || host == "m.youtube.com") && validHandle(h) {
			return h
		}
	}
	if h, ok := strings.CutPrefix(displayName, "@"); ok && validHandle(h) {
		return h
	}
	return ""
}

// validHandle reports whether h can be a YouTube handle: 3 to 30 letters
// (of any script), digits, underscores, hyphens, periods and middle dots
// (support.google.com/youtube/answer/11585688).
func validHandle(h string) bool {
	n := utf8.RuneCountInString(h)
	if n < 3 || n > maxHandleChars || !utf8.ValidString(h) {
		return false
	}
	for _, r := range h {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) ||
			r == '_' || r == '-' || r == '.' || r == '·') {
			return false
		}
	}
	return true
}
