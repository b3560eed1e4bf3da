package bluesky

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// Rich text. A post's text is plain; mentions and links are facets
// pointing into it by UTF-8 byte offsets, [byteStart, byteEnd)
// (app.bsky.richtext.facet; docs.bsky.app/docs/advanced-guides/posts,
// "Mentions and links"): without a facet an @handle is not a mention (its
// owner is not notified) and a URL is not a link. Of what customers write,
// only link facets are read: "the text URL may have been simplified or
// truncated, but the facet reference should be a complete URL"
// (lexicons/app/bsky/richtext/facet.json, #link), and Bluesky's apps do
// shorten long links ("example.com/track/88123456..."), so the text alone
// may not hold the address the customer shared.

// facet is app.bsky.richtext.facet with one feature.
type facet struct {
	Index    byteSlice    `json:"index"`
	Features []facetValue `json:"features"`
}

type byteSlice struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

type facetValue struct {
	Type string `json:"$type"`
	DID  string `json:"did,omitempty"`
	URI  string `json:"uri,omitempty"`
}

// span is a mention or link found in a text, by byte offsets.
type span struct {
	start, end int
	handle     string // a mention's handle, without the @
	uri        string // a link's URL
}

// The patterns of Bluesky's own guide (posts.md, parse_mentions and
// parse_urls), which are what its apps recognise: a mention is @ and a
// handle, a link an http(s) URL without trailing punctuation, each at the
// start of the text or after a character that is not an ASCII letter,
// digit or underscore.
var (
	mentionRE = regexp.MustCompile(`(?:^|[^\w])(@(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)`)
	linkRE    = regexp.MustCompile(`(?:^|[^\w])(https?://(?:www\.)?[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b(?:[-a-zA-Z0-9()@:%_+.~#?&/=]*[-a-zA-Z0-9@%_+~#/=])?)`)
)

// Bounds: a post of 3000 bytes has at most a few dozen of either; the
// handles are resolved one request each, so fewer of those.
const (
	maxMentions = 10
	maxLinks    = 20
)

// findSpans returns the mentions and links in text, in order.
func findSpans(text string) (mentions, links []span) {
	for _, m := range mentionRE.FindAllStringSubmatchIndex(text, maxMentions) {
		start, end := m[2], m[3]
		mentions = append(mentions, span{start: start, end: end, handle: strings.ToLower(text[start+1 : end])})
	}
	for _, m := range linkRE.FindAllStringSubmatchIndex(text, maxLinks) {
		start, end := m[2], m[3]
		if u, err := url.Parse(text[start:end]); err == nil && u.Host != "" {
			links = append(links, span{start: start, end: end, uri: text[start:end]})
		}
	}
	return mentions, links
}

// buildFacets turns spans into facets: a mention when resolve finds the
// handle's DID (a handle that does not resolve stays plain text, as the
// guide does), a link always. Links inside a mention (there are none in
// practice) are dropped, since facets must not overlap.
func buildFacets(mentions, links []span, resolve func(handle string) (string, bool)) []facet {
	var fs []facet
	for _, m := range mentions {
		if did, ok := resolve(m.handle); ok {
			fs = append(fs, facet{Index: byteSlice{m.start, m.end},
				Features: []facetValue{{Type: "app.bsky.richtext.facet#mention", DID: did}}})
		}
	}
	for _, l := range links {
		overlaps := false
		for _, m := range mentions {
			if l.start < m.end && m.start < l.end {
				overlaps = true
			}
		}
		if !overlaps {
			fs = append(fs, facet{Index: byteSlice{l.start, l.end},
				Features: []facetValue{{Type: "app.bsky.richtext.facet#link", URI: l.uri}}})
		}
	}
	return fs
}

// facets finds the text's mentions and links and resolves the handles with
// com.atproto.identity.resolveHandle. A handle that fails to resolve, for
// whatever reason, is sent as plain text: a reply without one mention is
// better than no reply.
func (a *Adapter) facets(ctx context.Context, in care.Inbox, text string) []facet {
	mentions, links := findSpans(text)
	resolved := map[string]string{}
	resolve := func(handle string) (string, bool) {
		if did, ok := resolved[handle]; ok {
			return did, did != ""
		}
		var out struct {
			DID string `json:"did"`
		}
		_, err := a.xrpc(ctx, in, call{nsid: "com.atproto.identity.resolveHandle", query: url.Values{"handle": {handle}}}, "resolving @"+handle, &out)
		if err != nil || !validDID(out.DID) {
			a.logger().Info("bluesky: handle not resolved; sent without a mention", "inbox", in.ID, "handle", handle, "err", err)
			out.DID = ""
		}
		resolved[handle] = out.DID
		return out.DID, out.DID != ""
	}
	return buildFacets(mentions, links, resolve)
}

// maxReadFacets bounds the facets of one post or message that are read.
const maxReadFacets = 64

// expandLinks returns text with the full URL of each link facet where the
// text shows it shortened ("example.com/track/88123456..." becomes
// "https://example.com/track/881234567890?ref=mail") or under other words
// ("this site" becomes "this site (https://example.com)"), so the agent
// reads the address the customer shared. A facet whose range is not within
// the text on character boundaries, overlaps an earlier one, or whose URL
// is not an http(s) URL is ignored; the text is otherwise unchanged, as it
// is when the facets are not a list of facets.
func expandLinks(text string, raw json.RawMessage) string {
	var facets []facet
	if len(raw) == 0 || json.Unmarshal(raw, &facets) != nil {
		return text
	}
	type link struct {
		start, end int
		uri        string
	}
	var links []link
	for i, f := range facets {
		if i == maxReadFacets {
			break
		}
		s, e := f.Index.ByteStart, f.Index.ByteEnd
		if s < 0 || e <= s || e > len(text) || !utf8.RuneStart(text[s]) || e < len(text) && !utf8.RuneStart(text[e]) {
			continue
		}
		for _, v := range f.Features {
			if v.Type == "app.bsky.richtext.facet#link" && webLink(v.URI) {
				links = append(links, link{s, e, v.URI})
				break
			}
		}
	}
	slices.SortFunc(links, func(a, b link) int { return a.start - b.start })
	var b strings.Builder
	at := 0
	for _, l := range links {
		if l.start < at {
			continue // overlaps the previous link
		}
		shown := text[l.start:l.end]
		b.WriteString(text[at:l.start])
		switch {
		case shown == l.uri:
			b.WriteString(shown)
		case shortened(shown, l.uri):
			b.WriteString(l.uri)
		default:
			b.WriteString(shown + " (" + l.uri + ")")
		}
		at = l.end
	}
	if at == 0 {
		return text
	}
	b.WriteString(text[at:])
	return b.String()
}

// webLink reports whether s is an http(s) URL fit to show.
func webLink(s string) bool {
	if len(s) > 2048 || !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
	}) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// shortened reports whether shown is uri as Bluesky's apps shorten it:
// without its scheme (and perhaps "www."), cut and ended with "..." or
// "…".
func shortened(shown, uri string) bool {
	bare := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		for _, p := range []string{"https://", "http://", "www."} {
			s = strings.TrimPrefix(s, p)
		}
		return s
	}
	s := bare(shown)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "..."), "…")
	return s != "" && strings.HasPrefix(bare(uri), s)
}
