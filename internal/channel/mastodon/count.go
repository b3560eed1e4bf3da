package mastodon

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// How Mastodon measures a post (app/validators/status_length_validator.rb,
// github.com/mastodon/mastodon): the content warning plus the text, with
// every URL counted as 23 characters and every mention as "@username"
// without its domain, in grapheme clusters (see graphemes). Entities are
// found with Mastodon's regular expressions: URLs by twitter-text's
// valid_url as config/initializers/twitter_regex.rb widens it, with a
// scheme required (extract_url_without_protocol: false), mentions by
// Account::MENTION_RE, /(?<![=\/[:word:]])@((USERNAME_RE)(?:@[[:word:]]+
// ([.-]+[[:word:]]+)*)?)/ with USERNAME_RE /[a-z0-9_]+([.-]+[a-z0-9_]+)*/i,
// not followed by an @, a Latin accent or "://" (end_mention_match).
//
// The URL match is approximated: twitter-text accepts only hosts under a
// known top-level domain, where Parley accepts any of two letters or more
// (or punycode), and cuts trailing punctuation by a simpler rule. The
// difference is a character or two around unusual links; the instance
// remains the judge, and a reply it refuses fails with its reason.

// schemes are the URL schemes Mastodon links, longest first where one is
// a prefix of another.
var schemes = []string{"https://", "http://", "gemini://", "gopher://", "dweb://", "ipfs://", "ipns://", "dat://", "ssb://"}

// countable returns text as Mastodon measures it, URLs replaced by
// urlChars x's and mentions by "@username", and the mentions found, as
// written after the @.
func countable(text string, urlChars int) (string, []string) {
	var b strings.Builder
	var mentions []string
	prev := rune(-1) // the rune before i; -1 at the start
	for i := 0; i < len(text); {
		if c := text[i] | 0x20; c != 'h' && c != 'g' && c != 'd' && c != 'i' && c != 's' && c != '@'|0x20 {
			// Neither a scheme nor a mention starts here.
			r, size := utf8.DecodeRuneInString(text[i:])
			b.WriteString(text[i : i+size])
			prev = r
			i += size
			continue
		}
		if end, ok := matchURL(text, i, prev); ok {
			b.WriteString(strings.Repeat("x", urlChars))
			prev, _ = utf8.DecodeLastRuneInString(text[:end])
			i = end
			continue
		}
		if name, user, end, ok := matchMention(text, i, prev); ok {
			b.WriteString("@" + user)
			mentions = append(mentions, name)
			prev, _ = utf8.DecodeLastRuneInString(text[:end])
			i = end
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		b.WriteString(text[i : i+size])
		prev = r
		i += size
	}
	return b.String(), mentions
}

// matchURL matches a URL at text[i:]; prev is the rune before it. It
// returns where the URL ends.
func matchURL(text string, i int, prev rune) (end int, ok bool) {
	if i+6 > len(text) || !urlPreceding(prev) {
		return 0, false
	}
	j := -1
	for _, s := range schemes {
		if len(text)-i >= len(s) && strings.EqualFold(text[i:i+len(s)], s) {
			j = i + len(s)
			break
		}
	}
	if j < 0 {
		return 0, false
	}
	// Host: labels of letters, digits, "-" and "_", at least two of them,
	// the last (the top-level domain) of letters only, or punycode.
	hostStart := j
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if r != '.' && r != '-' && r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
			break
		}
		j += size
	}
	host := strings.TrimRight(text[hostStart:j], ".-_")
	j = hostStart + len(host)
	dot := strings.LastIndexByte(host, '.')
	if dot <= 0 || strings.Contains(host, "..") {
		return 0, false
	}
	tld := host[dot+1:]
	if !strings.HasPrefix(strings.ToLower(tld), "xn--") && (utf8.RuneCountInString(tld) < 2 || strings.ContainsFunc(tld, func(r rune) bool { return !unicode.IsLetter(r) })) {
		return 0, false
	}
	// Port.
	if j < len(text) && text[j] == ':' {
		k := j + 1
		for k < len(text) && text[k] >= '0' && text[k] <= '9' {
			k++
		}
		if k > j+1 {
			j = k
		}
	}
	// Path and query: up to white space or a character no URL holds, then
	// back over what ends a sentence rather than a URL.
	if j < len(text) && (text[j] == '/' || text[j] == '?') {
		k := j
		depth := 0 // of parentheses: a link may hold balanced ones
	scan:
		for k < len(text) {
			r, size := utf8.DecodeRuneInString(text[k:])
			switch {
			case unicode.IsSpace(r), r == '<', r == '>', r == '"', r < 0x20:
				break scan
			case r == '(':
				depth++
			case r == ')':
				if depth == 0 {
					break scan
				}
				depth--
			}
			k += size
		}
		for k > j+1 {
			r, size := utf8.DecodeLastRuneInString(text[j:k])
			if !strings.ContainsRune(".,;:!?'*~|@$%[]「」", r) {
				break
			}
			k -= size
		}
		j = k
	}
	return j, true
}

// urlPreceding reports whether a URL may start after r: at the start, or
// after anything but a letter or digit, @, $ or # (twitter-text's
// valid_url_preceding_chars).
func urlPreceding(r rune) bool {
	if r < 0 {
		return true
	}
	return !(r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
		r == '@' || r == '＠' || r == '$' || r == '#' || r == '＃')
}

// matchMention matches Account::MENTION_RE at text[i:]; prev is the rune
// before it. It returns the mention as written after the @ (user or
// user@domain), the user part, and where it ends.
func matchMention(text string, i int, prev rune) (name, user string, end int, ok bool) {
	if text[i] != '@' || prev == '=' || prev == '/' || wordRune(prev) {
		return "", "", 0, false
	}
	j := i + 1
	u := dottedRun(text, j, func(r rune) bool {
		return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
	})
	if u == 0 {
		return "", "", 0, false
	}
	user = text[j : j+u]
	j += u
	if j < len(text) && text[j] == '@' {
		if d := dottedRun(text, j+1, wordRune); d > 0 {
			if d > 253 {
				return "", "", 0, false // MAX_DOMAIN_LENGTH
			}
			j += 1 + d
		}
	}
	// end_mention_match: not followed by an @, a Latin accent or "://".
	if j < len(text) {
		r, _ := utf8.DecodeRuneInString(text[j:])
		if r == '@' || r == '＠' || latinAccent(r) || strings.HasPrefix(text[j:], "://") {
			return "", "", 0, false
		}
	}
	return text[i+1 : j], user, j, true
}

// dottedRun matches word([.-]+word)* at text[i:], words being runs of
// runes for which in is true, and returns its length in bytes.
func dottedRun(text string, i int, in func(rune) bool) int {
	end, j := i, i
	for {
		k := j
		for k < len(text) {
			r, size := utf8.DecodeRuneInString(text[k:])
			if !in(r) {
				break
			}
			k += size
		}
		if k == j {
			return end - i
		}
		end = k
		j = k
		for j < len(text) && (text[j] == '.' || text[j] == '-') {
			j++
		}
		if j == k {
			return end - i
		}
	}
}

// wordRune is Ruby's [[:word:]]: letters, marks, decimal digits and
// connector punctuation.
func wordRune(r rune) bool {
	return r >= 0 && (unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Pc, r))
}

// latinAccent is twitter-text's latin_accents.
func latinAccent(r rune) bool {
	switch {
	case r >= 0xc0 && r <= 0xd6, r >= 0xd8 && r <= 0xf6, r >= 0xf8 && r <= 0x24f,
		r == 0x253, r == 0x254, r == 0x256, r == 0x257, r == 0x259, r == 0x25b, r == 0x263, r == 0x268,
		r == 0x26f, r == 0x272, r == 0x289, r == 0x28b, r == 0x2bb, r >= 0x300 && r <= 0x36f, r >= 0x1e00 && r <= 0x1eff:
		return true
	}
	return false
}
