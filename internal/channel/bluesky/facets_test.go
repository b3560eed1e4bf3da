package bluesky

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuildFacets(t *testing.T) {
	t.Parallel()
	dids := map[string]string{"atproto.com": "did:plc:ewvi7nxzyoun6zhxrhs64oiz", "ana.bsky.social": anaDID}
	resolve := func(h string) (string, bool) { d, ok := dids[h]; return d, ok }
	mention := func(start, end int, did string) facet {
		return facet{Index: byteSlice{start, end}, Features: []facetValue{{Type: "app.bsky.richtext.facet#mention", DID: did}}}
	}
	link := func(start, end int, uri string) facet {
		return facet{Index: byteSlice{start, end}, Features: []facetValue{{Type: "app.bsky.richtext.facet#link", URI: uri}}}
	}
	tests := []struct {
		name string
		text string
		want []facet
	}{
		// docs.bsky.app/docs/advanced-guides/posts, "Mentions and links":
		// the emoji before the link take 3 and 20 bytes.
		{"documented example", "✨ example mentioning @atproto.com to share the URL 👨\u200d❤\ufe0f\u200d👨 https://en.wikipedia.org/wiki/CBOR.",
			[]facet{mention(23, 35, "did:plc:ewvi7nxzyoun6zhxrhs64oiz"), link(74, 108, "https://en.wikipedia.org/wiki/CBOR")}},
		{"mention first", "@ana.bsky.social thanks!", []facet{mention(0, 16, anaDID)}},
		{"after multibyte letters", "Olá @Ana.Bsky.Social, já está", []facet{mention(5, 21, anaDID)}},
		{"after an emoji, trailing dot", "🙏 @ana.bsky.social.", []facet{mention(5, 21, anaDID)}},
		{"an email is no mention", "write to help@ana.bsky.social", nil},
		{"unresolved handle stays text", "thanks @nobody.example.org and @ana.bsky.social", []facet{mention(31, 47, anaDID)}},
		{"link in parentheses", "(see https://acme.example.com/help)", []facet{link(5, 34, "https://acme.example.com/help")}},
		{"link with query", "https://acme.example.com/track?id=881&x=1 ok", []facet{link(0, 41, "https://acme.example.com/track?id=881&x=1")}},
		{"no scheme no link", "acme.example.com/help", nil},
		{"plain", "Thanks, we're on it.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mentions, links := findSpans(tt.text)
			got := buildFacets(mentions, links, resolve)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("facets of %q (-want +got):\n%s", tt.text, diff)
			}
			for _, f := range got {
				s := tt.text[f.Index.ByteStart:f.Index.ByteEnd]
				if f.Features[0].URI != "" && s != f.Features[0].URI {
					t.Errorf("link facet covers %q, not its URI %q", s, f.Features[0].URI)
				}
			}
		})
	}
}

func TestFindSpansBounded(t *testing.T) {
	t.Parallel()
	text := ""
	for range 50 {
		text += "@a.bsky.social https://x.example.com "
	}
	mentions, links := findSpans(text)
	if len(mentions) != maxMentions || len(links) != maxLinks {
		t.Errorf("findSpans found %d mentions and %d links, want at most %d and %d", len(mentions), len(links), maxMentions, maxLinks)
	}
}
