package bluesky

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

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

// Link facets of what customers write: the lexicon says "the text URL may
// have been simplified or truncated, but the facet reference should be a
// complete URL" (github.com/bluesky-social/atproto,
// lexicons/app/bsky/richtext/facet.json), and the guide's example links
// "this site" (docs.bsky.app/docs/advanced-guides/post-richtext).
func TestExpandLinks(t *testing.T) {
	t.Parallel()
	link := func(start, end int, uri string) string {
		return fmt.Sprintf(`{"index":{"byteStart":%d,"byteEnd":%d},"features":[{"$type":"app.bsky.richtext.facet#link","uri":%q}]}`, start, end, uri)
	}
	mention := `{"index":{"byteStart":0,"byteEnd":17},"features":[{"$type":"app.bsky.richtext.facet#mention","did":"did:plc:u5cwb2mwiv2bfq53cjufe6yn"}]}`
	shortText := "@acme.example.com see example.com/track/88123456... ✨"
	tests := []struct {
		name, text, facets, want string
	}{
		{"the guide's example", "Go to this site", "[" + link(6, 15, "https://example.com") + "]",
			"Go to this site (https://example.com)"},
		{"shortened by the app", shortText, "[" + mention + "," + link(22, 51, "https://example.com/track/881234567890?ref=mail") + "]",
			"@acme.example.com see https://example.com/track/881234567890?ref=mail ✨"},
		{"shortened with an ellipsis character", "order www.example.com/a/b/c…", "[" + link(6, 30, "https://www.example.com/a/b/c/d/e") + "]",
			"order https://www.example.com/a/b/c/d/e"},
		{"whole already", "see https://example.com/x", "[" + link(4, 25, "https://example.com/x") + "]",
			"see https://example.com/x"},
		{"after multibyte text", "Olá 🙏 example.com/ab...", "[" + link(10, 27, "https://example.com/abcdef") + "]",
			"Olá 🙏 https://example.com/abcdef"},
		{"mentions only", "@acme.example.com hi", "[" + mention + "]", "@acme.example.com hi"},
		{"no facets", "plain", "", "plain"},
		{"facets not a list", "plain", `{"index":1}`, "plain"},
		{"range past the text", "short", "[" + link(0, 99, "https://example.com") + "]", "short"},
		{"range inside a character", "🙏 x", "[" + link(1, 4, "https://example.com") + "]", "🙏 x"},
		{"empty range", "abc", "[" + link(1, 1, "https://example.com") + "]", "abc"},
		{"not a web link", "tap here", "[" + link(4, 8, "javascript:alert(1)") + "]", "tap here"},
		{"overlapping links: the earlier is kept", "go to this site", "[" + link(6, 15, "https://a.example") + "," + link(3, 10, "https://b.example") + "]",
			"go to this (https://b.example) site"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := expandLinks(tt.text, json.RawMessage(tt.facets)); got != tt.want {
				t.Errorf("expandLinks(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// A post and a DM whose text the app shortened carry the whole link.
func TestInboundExpandsLinks(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 11, 21, 0, 0, 0, 0, time.UTC)
	const brandDID = "did:plc:u5cwb2mwiv2bfq53cjufe6yn"
	facets := `[{"index":{"byteStart":12,"byteEnd":41},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://example.com/track/881234567890?ref=mail"}]}]`
	const want = "tracking at https://example.com/track/881234567890?ref=mail"
	post := `{"uri":"at://` + anaDID + `/app.bsky.feed.post/3lbq5cu4d2k2y","cid":"bafyreihwgwozmvqxcxrhbr65agcaa4v357p27ccrhzkjf3mz5xiozjvzfa",
		"author":{"did":"` + anaDID + `","handle":"customer.bsky.social"},"reason":"mention","indexedAt":"2024-11-20T17:03:12.000Z",
		"record":{"$type":"app.bsky.feed.post","text":"tracking at example.com/track/88123456...","createdAt":"2024-11-20T17:03:11.512Z","facets":` + facets + `}}`
	in, _, why := notificationInbound([]byte(post), brandDID, now)
	if why != "" || in.Text != want {
		t.Errorf("post: why %q, text %q, want %q", why, in.Text, want)
	}
	dm := `{"$type":"chat.bsky.convo.defs#logCreateMessage","rev":"3lbq7g3333332","convoId":"3ku7w6h4vog2d",
		"message":{"$type":"chat.bsky.convo.defs#messageView","id":"3lbq7g3333322","rev":"3lbq7g3333332",
		"text":"tracking at example.com/track/88123456...","facets":` + facets + `,"sender":{"did":"` + anaDID + `"},"sentAt":"2024-11-20T18:02:00.000Z"}}`
	in, why = logInbound([]byte(dm), brandDID, now)
	if why != "" || in.Text != want {
		t.Errorf("DM: why %q, text %q, want %q", why, in.Text, want)
	}
}
