package moderation

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// link is one URL or bare domain in a comment.
type link struct {
	// host is lower-case, without "www." or a port, as read through
	// homoglyphs and styled letters.
	host string
	// disguised hosts were spelt with look-alike, styled, accented or other
	// non-ASCII letters: "еxample.com" with a Cyrillic "е" is not
	// example.com, so it is never on an allow list.
	disguised bool
	redirect  bool // a URL shortener or link page hides the destination
	affiliate bool // the URL carries an affiliate or referral tag
}

// Bounds of a host name (RFC 1035) and of the links read from one comment.
const (
	maxHostBytes  = 253
	maxLabelBytes = 63
	maxLinks      = 100
)

// redirects are URL shorteners, link-in-bio pages and chat invitations:
// links whose destination the comment does not show.
var redirects = []string{
	"bit.ly", "bitly.com", "tinyurl.com", "goo.gl", "t.co", "ow.ly", "buff.ly", "is.gd",
	"v.gd", "rebrand.ly", "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "bit.do", "t.ly",
	"lnkd.in", "amzn.to", "amzn.eu", "a.co", "s.id", "shorte.st", "adf.ly", "clickbank.net",
	"linktr.ee", "lnk.bio", "bio.link", "beacons.ai", "taplink.cc", "heylink.me",
	"t.me", "telegram.me", "wa.me", "wa.link", "chat.whatsapp.com", "api.whatsapp.com", "discord.gg",
}

// commonTLDs end a bare domain ("example.com") on their own. Other endings
// need a scheme, "www." or a path, so "again.it" and "ok.so" in a sentence
// typed without spaces are not links.
var commonTLDs = map[string]bool{
	"com": true, "net": true, "org": true, "info": true, "biz": true, "io": true, "co": true,
	"xyz": true, "app": true, "dev": true, "shop": true, "store": true, "online": true,
	"site": true, "top": true, "club": true, "link": true, "live": true, "ly": true,
	"gg": true, "ru": true, "cn": true, "uk": true, "fr": true, "nl": true, "br": true,
	"pl": true, "au": true, "ca": true, "eu": true, "jp": true, "mx": true, "ch": true,
	"tv": true, "cc": true, "ws": true, "ai": true, "tk": true, "click": true, "buzz": true,
	"space": true, "website": true, "fun": true, "life": true, "world": true, "today": true,
}

// affiliateMarks are parts of a URL that pay the commenter for the click.
var affiliateMarks = []string{
	"ref=", "aff=", "affid=", "aff_id=", "affiliate", "referral", "partner=", "clickid=", "/ref/", "/ref=",
}

// onList returns the entry of list that host is or is a subdomain of.
func onList(host string, list []string) (string, bool) {
	for _, d := range list {
		if host == d || len(host) > len(d) && strings.HasSuffix(host, d) && host[len(host)-len(d)-1] == '.' {
			return d, true
		}
	}
	return "", false
}

// findLinks returns the links of t.norm, at most maxLinks: URLs with a
// scheme (http, https and the defanged hxxp), "www." hosts, and bare domains
// ("example.com/x", "bit.ly/abc"). Dots written "[.]", "(.)" or "[dot]"
// count as dots, and mark the text as hidden.
func (t *text) findLinks() []link {
	s := t.norm
	var links []link
	for i := 0; i < len(s) && len(links) < maxLinks; {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !hostRune(r) || i > 0 && !boundary(s[:i]) {
			i += n
			continue
		}
		start := i
		scheme := false
		if s[i] == 'h' {
			for _, p := range []string{"https://", "http://", "hxxps://", "hxxp://"} {
				if strings.HasPrefix(s[i:], p) {
					i += len(p)
					scheme = true
					break
				}
			}
		}
		if scheme {
			// Skip user information: "http://user@host".
			if at := strings.IndexByte(s[i:min(len(s), i+maxHostBytes)], '@'); at >= 0 && !strings.ContainsAny(s[i:i+at], " /?#") {
				i += at + 1
			}
		}
		host, labels, obfuscated, end := parseHost(s, i)
		if end == i {
			i = max(start+n, end)
			continue
		}
		pathEnd := end
		if end < len(s) && strings.IndexByte("/?#:", s[end]) >= 0 {
			pathEnd = end + 1
			for pathEnd < len(s) && strings.IndexByte(" \t\n\r\"<>", s[pathEnd]) < 0 {
				pathEnd++
			}
		}
		path := s[end:pathEnd]
		www := strings.HasPrefix(host, "www.")
		host = strings.TrimPrefix(host, "www.")
		l := link{host: host}
		if labels >= 2 {
			_, l.redirect = onList(host, redirects)
		}
		if scheme && labels >= 1 || labels >= 2 && (www || l.redirect || bareDomain(host, strings.HasPrefix(path, "/"))) {
			l.disguised = t.foldedIn(start, end) || !ascii(host)
			for _, m := range affiliateMarks {
				if strings.Contains(path, m) {
					l.affiliate = true
				}
			}
			if strings.Contains(host, "amazon.") && strings.Contains(path, "tag=") {
				l.affiliate = true
			}
			if obfuscated {
				t.hidden = true
			}
			links = append(links, l)
			i = pathEnd
			continue
		}
		i = max(start+n, end)
	}
	return links
}

// hostRune reports whether r can be part of a host name as read here.
func hostRune(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') ||
		r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// boundary reports whether a link may start after before: not inside a word,
// a host, a path or an e-mail address.
func boundary(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(before)
	return !hostRune(r) && !strings.ContainsRune(".@/_#$", r)
}

// dots are the ways a dot is written in a host name.
var dots = []string{".", "[.]", "(.)", "{.}", "[dot]", "(dot)"}

// parseHost reads the host name at s[i:]: labels of letters, digits and
// hyphens separated by dots. It returns the host with plain dots, its
// number of labels, whether a dot was disguised, and where it ends; end is
// i when there is no label. A trailing dot ends the sentence, not the host.
func parseHost(s string, i int) (host string, labels int, obfuscated bool, end int) {
	start := i
	end = i
	var b []byte // the host with plain dots, once a dot was disguised
	for {
		j := i
		for j < len(s) && j-i <= maxLabelBytes {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !hostRune(r) {
				break
			}
			j += n
		}
		if j == i || j-i > maxLabelBytes || j-start > maxHostBytes {
			break
		}
		if b != nil {
			b = append(append(b, '.'), s[i:j]...)
		}
		labels++
		end = j
		dot := ""
		if j < len(s) && strings.IndexByte(".[({", s[j]) >= 0 {
			for _, d := range dots {
				if strings.HasPrefix(s[j:], d) {
					dot = d
					break
				}
			}
		}
		if dot == "" {
			break
		}
		if dot != "." && !obfuscated {
			obfuscated = true
			b = []byte(s[start:j])
		}
		i = j + len(dot)
	}
	if b != nil {
		return string(b), labels, true, end
	}
	return s[start:end], labels, false, end
}

// bareDomain reports whether host, written without a scheme, reads as a
// domain: it ends in a common TLD, or in any alphabetic TLD when a path
// follows.
func bareDomain(host string, withPath bool) bool {
	tld := host[strings.LastIndexByte(host, '.')+1:]
	if len(tld) < 2 || len(tld) > 24 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if tld[i] < 'a' || tld[i] > 'z' {
			return false
		}
	}
	return commonTLDs[tld] || withPath
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
