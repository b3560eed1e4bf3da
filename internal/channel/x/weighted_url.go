package x

import (
	"strings"
	"unicode/utf8"
)

// URL detection, as twitter-text's Extractor.extractURLsWithIndices does it
// with its VALID_URL regex (Regex.java). That regex relies on lookbehind,
// lookahead, atomic groups and possessive quantifiers, none of which Go's
// RE2 has, so it is written out by hand here, piece by piece in the regex's
// own order of preference, with the same outcome:
//
//	preceding  (?:[^a-z0-9@＠$#＃\uFFFE\uFEFF\uFFFF]|[directional]|^)
//	protocol   (https?://)?
//	domain     subdomain* domain-name (gTLD|ccTLD|xn--…)
//	         | (?<=https?://) unicode-domain-name (gTLD|ccTLD)
//	port       (?::[0-9]++)?
//	path       (/path-chunk*+)?
//	query      (\?query-char*query-ending-char)?
//
// then drops a match without protocol that follows one of -_./, cuts t.co
// links to their slug, and drops a match whose host is not a valid IDN host
// (a label over 63 characters once punycode-encoded) or whose URL exceeds
// 4,096 characters. Matching is ASCII case-insensitive, as the regex is.
//
// The scan is linear: the label structure is precomputed once, so that a text
// of many dotted labels costs no more than the backtracking regex would on
// typical input, and far less on hostile input.

// urlSpan is a URL found in a text, in byte offsets.
type urlSpan struct{ start, end int }

const (
	maxURLLength     = 4096
	maxTcoSlugLength = 40
	maxLabelLength   = 63
)

// extractURLs returns the URLs in s, which must be in NFC, in order.
func extractURLs(s string) []urlSpan {
	if !strings.Contains(s, ".") {
		return nil
	}
	x := newURLScanner(s)
	var spans []urlSpan
	for i := 0; i <= len(s); {
		m, ok := x.matchAt(i)
		if !ok {
			if i == len(s) {
				break
			}
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		if span, ok := x.accept(m); ok {
			spans = append(spans, span)
		}
		i = m.end
	}
	return spans
}

// urlMatch is one match of the VALID_URL regex.
type urlMatch struct {
	before    int  // start of the preceding character (== url when it is ^)
	url       int  // start of the URL
	host      int  // start of the domain
	hostEnd   int  // end of the domain
	end       int  // end of the match
	protocol  bool // whether the URL starts with http:// or https://
	precedeCh rune // the preceding character, -1 for ^
}

type urlScanner struct {
	s string
	// For every rune start p: runEnd is where the run of label characters
	// ([a-z0-9], Latin accents, '-', '_') containing p ends; runLastC says
	// whether that run ends with a letter or digit; runUnderscore whether an
	// '_' occurs from p to the run's end; far is the furthest label, along
	// the chain of dot-separated labels starting at p, that can be a domain
	// name followed by a TLD (-1 if none); tld memoises tldAt.
	runEnd        []int32
	runLastC      []bool
	runUnderscore []bool
	far           []int32
	tld           map[int]int
}

func newURLScanner(s string) *urlScanner {
	n := len(s)
	x := &urlScanner{s: s, runEnd: make([]int32, n+1), runLastC: make([]bool, n+1),
		runUnderscore: make([]bool, n+1), far: make([]int32, n+1), tld: map[int]int{}}
	x.runEnd[n], x.far[n] = int32(n), -1
	// Rune starts, right to left.
	starts := make([]int, 0, n)
	for p := range s {
		starts = append(starts, p)
	}
	for k := len(starts) - 1; k >= 0; k-- {
		p := starts[k]
		r, size := utf8.DecodeRuneInString(s[p:])
		next := p + size
		x.far[p] = -1
		if !isLabelRune(r) {
			x.runEnd[p] = int32(p)
			continue
		}
		x.runEnd[p] = x.runEnd[next]
		if int(x.runEnd[next]) == next { // p is the run's last rune
			x.runLastC[p] = isURLChar(r)
		} else {
			x.runLastC[p] = x.runLastC[next]
		}
		x.runUnderscore[p] = r == '_' || x.runUnderscore[next]
	}
	// far depends on labels to the right, so fill it right to left too.
	for k := len(starts) - 1; k >= 0; k-- {
		p := starts[k]
		if !x.subdomainAt(p) {
			continue
		}
		next := int(x.runEnd[p]) + 1
		if next < n && x.subdomainAt(next) && x.far[next] >= 0 {
			x.far[p] = x.far[next]
		} else if !x.runUnderscore[p] && x.tldAt(next) >= 0 {
			x.far[p] = int32(p)
		}
	}
	return x
}

// subdomainAt reports whether a label that can be a subdomain starts at p
// and is followed by a dot: (?:C[C\-_]*)?C\.
func (x *urlScanner) subdomainAt(p int) bool {
	if p >= len(x.s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(x.s[p:])
	end := int(x.runEnd[p])
	return isURLChar(r) && x.runLastC[p] && end < len(x.s) && x.s[end] == '.'
}

// matchAt tries the regex at position i, as Matcher.find does: first with
// the character at i as the preceding one, then, at the start of the text,
// with none.
func (x *urlScanner) matchAt(i int) (urlMatch, bool) {
	if i < len(x.s) {
		r, size := utf8.DecodeRuneInString(x.s[i:])
		if validPrecedingRune(r) {
			if m, ok := x.matchURL(i+size, r); ok {
				m.before = i
				return m, true
			}
		}
	}
	if i == 0 {
		if m, ok := x.matchURL(0, -1); ok {
			return m, true
		}
	}
	return urlMatch{}, false
}

func (x *urlScanner) matchURL(j int, preceding rune) (urlMatch, bool) {
	m := urlMatch{before: j, url: j, precedeCh: preceding}
	if n := protocolLength(x.s[j:]); n > 0 {
		m.protocol = true
		if x.matchAfterProtocol(&m, j+n) {
			return m, true
		}
		m.protocol = false
	}
	return m, x.matchAfterProtocol(&m, j)
}

func (x *urlScanner) matchAfterProtocol(m *urlMatch, k int) bool {
	end := x.domain(k)
	if end < 0 {
		return false
	}
	m.host, m.hostEnd = k, end
	s := x.s
	// Port: a colon and at least one digit.
	if end+1 < len(s) && s[end] == ':' && isDigit(s[end+1]) {
		end++
		for end < len(s) && isDigit(s[end]) {
			end++
		}
	}
	if end < len(s) && s[end] == '/' {
		end = x.path(end + 1)
	}
	if end < len(s) && s[end] == '?' {
		if q := queryEnd(s, end+1); q > end+1 {
			end = q
		}
	}
	m.end = end
	return true
}

// domain matches URL_VALID_DOMAIN at k and returns its end, or -1.
func (x *urlScanner) domain(k int) int {
	if k < len(x.s) && x.subdomainAt(k) && x.far[k] >= 0 {
		// The greedy subdomain* backs off to the furthest label that is
		// a domain name followed by a TLD.
		return x.tldAt(int(x.runEnd[x.far[k]]) + 1)
	}
	if !hasProtocolBefore(x.s, k) {
		return -1
	}
	// (?<=https?://) unicode-domain-name (gTLD|ccTLD): one label of any
	// characters but punctuation and spaces.
	s := x.s
	p := k
	first, last := rune(-1), rune(-1)
	for p < len(s) {
		r, size := utf8.DecodeRuneInString(s[p:])
		if r != '-' && !isUnicodeDomainRune(r) {
			break
		}
		if first < 0 {
			first = r
		}
		last = r
		p += size
	}
	if first < 0 || first == '-' || last == '-' || p >= len(s) || s[p] != '.' {
		return -1
	}
	return matchTLD(s, p+1, false)
}

// tldAt returns the end of the TLD (generic, country or punycode) at p, or
// -1; memoised.
func (x *urlScanner) tldAt(p int) int {
	if e, ok := x.tld[p]; ok {
		return e
	}
	e := matchTLD(x.s, p, true)
	x.tld[p] = e
	return e
}

// path returns the end of a URL path whose first character, after the
// slash, is at p: the longest run of path characters and balanced
// parentheses that ends with a path-ending character or parentheses.
func (x *urlScanner) path(p int) int {
	s := x.s
	good := p
	for p < len(s) {
		r, size := utf8.DecodeRuneInString(s[p:])
		switch {
		case r == '(':
			e := balancedParens(s, p)
			if e < 0 {
				return good
			}
			p, good = e, e
		case isPathRune(r):
			p += size
			if isPathEndingRune(r) {
				good = p
			}
		default:
			return good
		}
	}
	return good
}

// balancedParens matches URL_BALANCED_PARENS at p (an opening parenthesis)
// and returns its end, or -1: "(" then path characters, or path characters
// around one nested pair holding at least one, then ")".
func balancedParens(s string, p int) int {
	q := generalRun(s, p+1)
	if q < len(s) && s[q] == ')' && q > p+1 {
		return q + 1
	}
	if q < len(s) && s[q] == '(' {
		inner := generalRun(s, q+1)
		if inner > q+1 && inner < len(s) && s[inner] == ')' {
			after := generalRun(s, inner+1)
			if after < len(s) && s[after] == ')' {
				return after + 1
			}
		}
	}
	return -1
}

func generalRun(s string, p int) int {
	for p < len(s) {
		r, size := utf8.DecodeRuneInString(s[p:])
		if !isPathRune(r) {
			break
		}
		p += size
	}
	return p
}

// queryEnd returns the end of the longest run of query characters at p that
// ends with a query-ending character, p if there is none.
func queryEnd(s string, p int) int {
	good := p
	for ; p < len(s) && strings.IndexByte(queryChars, lower(s[p])) >= 0; p++ {
		if strings.IndexByte(queryEndingChars, lower(s[p])) >= 0 {
			good = p + 1
		}
	}
	return good
}

// accept applies what Extractor does with a match: the preceding-character
// rule for URLs without protocol, the t.co rule and the host check.
func (x *urlScanner) accept(m urlMatch) (urlSpan, bool) {
	if !m.protocol && strings.ContainsRune("-_./", m.precedeCh) {
		return urlSpan{}, false
	}
	url := x.s[m.url:m.end]
	if n, slug, ok := tcoPrefix(url); ok {
		if slug > maxTcoSlugLength {
			return urlSpan{}, false
		}
		url = url[:n]
	}
	if !validHostAndLength(utf16Len(url), m.protocol, x.s[m.host:m.hostEnd]) {
		return urlSpan{}, false
	}
	return urlSpan{m.url, m.url + len(url)}, true
}

// tcoPrefix matches ^https?://t\.co/([a-z0-9]+)(?:\?query*query-ending)?
// and returns the match's length and the slug's.
func tcoPrefix(url string) (n, slug int, ok bool) {
	p := protocolLength(url)
	if p == 0 || !hasFoldPrefix(url[p:], "t.co/") {
		return 0, 0, false
	}
	start := p + len("t.co/")
	e := start
	for e < len(url) && isAlnum(url[e]) {
		e++
	}
	if e == start {
		return 0, 0, false
	}
	n = e
	if e < len(url) && url[e] == '?' {
		if q := queryEnd(url, e+1); q > e+1 {
			n = q
		}
	}
	return n, e - start, true
}

// validHostAndLength is Extractor.isValidHostAndLength: the host converts
// to ASCII under IDNA (every label 1 to 63 characters once
// punycode-encoded) and the URL, counted with its ASCII host and a protocol,
// is at most 4,096 UTF-16 units long.
func validHostAndLength(urlLen int, protocol bool, host string) bool {
	if host == "" {
		return false
	}
	asciiLen := 0
	labels := strings.FieldsFunc(host, func(r rune) bool { return r == '.' || r == '。' || r == '．' || r == '｡' })
	for i, label := range labels {
		n := len(label)
		if !isASCII(label) {
			enc, ok := punycode(nfc(strings.ToLower(label)))
			if !ok {
				return false
			}
			n = len("xn--") + len(enc)
		}
		if n == 0 || n > maxLabelLength {
			return false
		}
		if i > 0 {
			asciiLen++
		}
		asciiLen += n
	}
	length := urlLen + asciiLen - utf16Len(host)
	if !protocol {
		length += len("https://")
	}
	return length <= maxURLLength
}

func protocolLength(s string) int {
	switch {
	case hasFoldPrefix(s, "https://"):
		return len("https://")
	case hasFoldPrefix(s, "http://"):
		return len("http://")
	}
	return 0
}

func hasProtocolBefore(s string, k int) bool {
	return k >= 7 && strings.EqualFold(s[k-7:k], "http://") || k >= 8 && strings.EqualFold(s[k-8:k], "https://")
}

func hasFoldPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
