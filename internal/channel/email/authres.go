package email

import (
	"strings"
)

// Authentication-Results (RFC 8601) is where the server that received a
// message for the mailbox writes what its SPF, DKIM and DMARC checks
// found. Mailers write it in more shapes than the grammar allows —
// Microsoft 365 leaves out the authserv-id and puts stray domains between
// the results, Yahoo has written "dmarc=success(p=REJECT)", comments and
// quoted strings may sit between any two tokens ("dkim (why) / 1 = (so)
// fail") — so the reader is a small tokenizer that takes what it can
// understand and skips the rest, never failing.

// Bounds on what is read of one field: a real one is a few hundred bytes
// with a handful of results.
const (
	maxAuthResBytes   = 16 << 10
	maxAuthResults    = 32
	maxAuthProps      = 16
	maxAuthValueBytes = 255
)

// authResults is one Authentication-Results field.
type authResults struct {
	// id is the authserv-id, lower-cased: the name of the service that
	// wrote the field. "" when the field has none (Microsoft 365).
	id string
	// unsupported is set when the field declares a version other than 1,
	// whose results cannot be read (RFC 8601 §2.2).
	unsupported bool
	results     []authResult
}

// authResult is one method's result: "dkim=pass header.d=example.com".
type authResult struct {
	// method and result are lower-cased; a method's version
	// ("dkim/1") is dropped.
	method, result string
	// props are the properties, "header.d" → "example.com", keys
	// lower-cased, the first of each key kept; reason is among them.
	props map[string]string
}

// authToken is a lexical unit of the field: a word (an atom, which may
// hold dots, slashes and @), a quoted string, or "=".
type authToken struct {
	text   string
	quoted bool
	equals bool
	// glued is set when nothing (no space, no comment) separates the
	// token from the one before.
	glued bool
}

// parseAuthResults reads the value of an Authentication-Results field.
func parseAuthResults(v string) authResults {
	if len(v) > maxAuthResBytes {
		v = v[:maxAuthResBytes]
	}
	var ar authResults
	for i, seg := range authSegments(v) {
		toks := authTokens(seg)
		if i == 0 && !hasEquals(toks) {
			// authserv-id [version]; a first segment with "=" is a
			// result: the field has no authserv-id.
			if len(toks) > 0 && !toks[0].equals {
				ar.id = strings.ToLower(toks[0].text)
			}
			if len(toks) > 1 && !toks[1].equals && toks[1].text != "1" && allDigits(toks[1].text) {
				ar.unsupported = true
			}
			continue
		}
		if ar.unsupported || len(ar.results) == maxAuthResults {
			continue
		}
		if r, ok := authResultOf(toks); ok {
			ar.results = append(ar.results, r)
		}
	}
	if ar.unsupported {
		ar.results = nil
	}
	return ar
}

// authResultOf reads one resinfo: a method=result pair, then properties.
// Words that are not part of a key=value pair (a stray domain, "for
// someone@example.com") are skipped; ok is false when there is no
// method=result at all ("none").
func authResultOf(toks []authToken) (authResult, bool) {
	var r authResult
	for _, kv := range authPairs(toks) {
		if r.method == "" {
			method, _, _ := strings.Cut(kv[0], "/")
			if method == "" || kv[1] == "" || strings.ContainsAny(kv[1], " \t\r\n;=()\"") {
				// A result is a keyword: a quoted one is none.
				return authResult{}, false
			}
			r.method, r.result = method, strings.ToLower(kv[1])
			continue
		}
		if r.props == nil {
			r.props = map[string]string{}
		}
		if _, seen := r.props[kv[0]]; !seen && len(r.props) < maxAuthProps && len(kv[1]) <= maxAuthValueBytes {
			r.props[kv[0]] = kv[1]
		}
	}
	return r, r.method != ""
}

// authPairs finds the key=value pairs among toks. A key is the word just
// before "=", joined with its neighbours across a "." or "/" that
// comments or spaces split off ("policy (a dot) . expired" is
// policy.expired); a value is the word or quoted string just after it,
// with an "@domain" glued to a quoted local part.
func authPairs(toks []authToken) [][2]string {
	var out [][2]string
	// floor is the first token not yet taken as a key or a value.
	floor := 0
	for i := 0; i < len(toks); i++ {
		if !toks[i].equals {
			continue
		}
		// The key: words before "=", back to the first that is not
		// joined to the next by a dot or a slash.
		j := i - 1
		for j > floor && !toks[j-1].equals && !toks[j-1].quoted && !toks[j].quoted && joins(toks[j-1].text, toks[j].text) {
			j--
		}
		if j < floor || toks[j].equals || toks[j].quoted {
			floor = i + 1
			continue
		}
		var key strings.Builder
		for _, t := range toks[j:i] {
			key.WriteString(t.text)
		}
		if i+1 >= len(toks) || toks[i+1].equals {
			floor = i + 1
			continue
		}
		val := toks[i+1].text
		i++
		if toks[i].quoted && i+1 < len(toks) && toks[i+1].glued && strings.HasPrefix(toks[i+1].text, "@") {
			val += toks[i+1].text
			i++
		}
		out = append(out, [2]string{strings.ToLower(key.String()), val})
		floor = i + 1
	}
	return out
}

// joins reports whether two words separated by space or comments are one
// dotted or slashed name.
func joins(a, b string) bool {
	return strings.HasSuffix(a, ".") || strings.HasSuffix(a, "/") || strings.HasPrefix(b, ".") || strings.HasPrefix(b, "/")
}

// authSegments splits v at the semicolons outside comments and quoted
// strings.
func authSegments(v string) []string {
	var segs []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\' && (quoted || depth > 0):
			i++
		case quoted:
			quoted = c != '"'
		case c == '"' && depth == 0:
			quoted = true
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case c == ';' && depth == 0:
			segs = append(segs, v[start:i])
			start = i + 1
		}
	}
	return append(segs, v[start:])
}

// authTokens splits one segment into words, quoted strings and "=",
// dropping comments (which nest) and white space. An unterminated comment
// or quoted string runs to the end.
func authTokens(seg string) []authToken {
	var toks []authToken
	glued := false
	for i := 0; i < len(seg); {
		c := seg[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
			glued = false
		case c == '(':
			depth := 0
			for ; i < len(seg); i++ {
				switch seg[i] {
				case '\\':
					i++
				case '(':
					depth++
				case ')':
					depth--
				}
				if depth == 0 {
					break
				}
			}
			i++
			glued = false
		case c == '"':
			var b strings.Builder
			for i++; i < len(seg) && seg[i] != '"'; i++ {
				if seg[i] == '\\' && i+1 < len(seg) {
					i++
				}
				b.WriteByte(seg[i])
			}
			i++
			toks = append(toks, authToken{text: b.String(), quoted: true, glued: glued})
			glued = true
		case c == ')':
			i++ // a comment's end without its start
			glued = false
		case c == '=':
			toks = append(toks, authToken{text: "=", equals: true, glued: glued})
			i++
			glued = true
		default:
			j := i
			for j < len(seg) && !strings.ContainsRune(" \t\r\n()\"=", rune(seg[j])) {
				j++
			}
			toks = append(toks, authToken{text: seg[i:j], glued: glued})
			i = j
			glued = true
		}
	}
	return toks
}

func hasEquals(toks []authToken) bool {
	for _, t := range toks {
		if t.equals {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
