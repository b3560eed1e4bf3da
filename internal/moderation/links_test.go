package moderation

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFindLinks(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text string
		want []link
	}{
		{"see https://www.Example.com/a?b=c.", []link{{host: "example.com"}}},
		{"http://user:pw@shop.example.net:8080/x", []link{{host: "shop.example.net"}}},
		{"http://example.com?to=a@b.example", []link{{host: "example.com"}}},
		{"hxxps://evil.example/x", []link{{host: "evil.example"}}},
		{"(www.example.org)", []link{{host: "example.org"}}},
		{"example.com/x and bit.ly/abc", []link{{host: "example.com"}, {host: "bit.ly", redirect: true}}},
		{"go to example.com.", []link{{host: "example.com"}}},
		{"my site: mysite.de/shop", []link{{host: "mysite.de"}}},
		{"amzn.to", []link{{host: "amzn.to", redirect: true}}},
		{"wa.me/15550100", []link{{host: "wa.me", redirect: true}}},
		{"https://amazon.com/dp/B0?tag=me-20", []link{{host: "amazon.com", affiliate: true}}},
		{"shop.example.com/p?ref=abc", []link{{host: "shop.example.com", affiliate: true}}},
		{"example[.]com", []link{{host: "example.com"}}},
		{"bit(.)ly/x", []link{{host: "bit.ly", redirect: true}}},
		{"bit\u200b.ly/x", []link{{host: "bit.ly", redirect: true}}},
		{"bit。ly/x", []link{{host: "bit.ly", redirect: true}}},
		{"еxample.com", []link{{host: "example.com", disguised: true}}}, // Cyrillic е
		{"ｅｘａｍｐｌｅ.com", []link{{host: "example.com", disguised: true}}},
		{"https://bücher.de/x", []link{{host: "bucher.de", disguised: true}}},
		{"https://日本.jp/x", []link{{host: "日本.jp", disguised: true}}},
		{"https://localhost/x", []link{{host: "localhost"}}},

		// Not links.
		{"it broke again.it is so bad", nil},
		{"ok.so what now", nil},
		{"e.g. this", nil},
		{"version 1.2.3", nil},
		{"write to help@example.com", nil},
		{"@brand.team", nil},
		{"node.js rocks", nil},
		{"wait...what", nil},
		{"https://", nil},
		{"", nil},
	} {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			got := analyse(tt.text).links
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(link{})); diff != "" {
				t.Errorf("links of %q (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestLinksRule(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		rule Rule
		text string
		want string // the reason; "" means allowed
	}{
		{"no links allowed", Rule{MaxLinks: 0}, "hi https://a.example.com", "1 link (none allowed)"},
		{"two links none allowed", Rule{MaxLinks: 0}, "a.com b.com", "2 links (none allowed)"},
		{"one link of one", Rule{MaxLinks: 1}, "photo: imgur.com/a/x", ""},
		{"two links of one", Rule{MaxLinks: 1}, "imgur.com/a/x and imgur.com/a/y", "2 links (at most 1)"},
		{"no text", Rule{MaxLinks: 0}, "", ""},
		{"shortener within the limit", Rule{MaxLinks: 1}, "see bit.ly/abc", "link through a URL shortener or link page (bit.ly)"},
		{"link page", Rule{MaxLinks: NoLinkLimit}, "all my links: linktr.ee/me", "link through a URL shortener or link page (linktr.ee)"},
		{"affiliate", Rule{MaxLinks: NoLinkLimit}, "cheaper here https://www.amazon.de/dp/X?tag=deal-21", "affiliate link (amazon.de)"},
		{"plain link, no lists", Rule{MaxLinks: NoLinkLimit}, "example.com", ""},
		{"allowed domain", Rule{MaxLinks: NoLinkLimit, AllowDomains: []string{"brand.com"}}, "https://help.brand.com/returns", ""},
		{"domain off the allow list", Rule{MaxLinks: NoLinkLimit, AllowDomains: []string{"brand.com"}}, "https://brand.com.evil.example/x", "link to a domain not on the allow list (brand.com.evil.example)"},
		{"suffix is not a subdomain", Rule{MaxLinks: NoLinkLimit, AllowDomains: []string{"brand.com"}}, "https://notbrand.com/x", "link to a domain not on the allow list (notbrand.com)"},
		{"look-alike of an allowed domain", Rule{MaxLinks: NoLinkLimit, AllowDomains: []string{"brand.com"}}, "https://brаnd.com/login", "link to a disguised domain (looks like brand.com)"},
		{"brand's own shortener", Rule{MaxLinks: NoLinkLimit, AllowDomains: []string{"brand.com", "bit.ly"}}, "bit.ly/brand-sale", ""},
		{"blocked domain", Rule{MaxLinks: NoLinkLimit, BlockDomains: []string{"competitor.example"}}, "shop.competitor.example/deal", "link to a blocked domain (competitor.example)"},
		{"blocked beats allowed", Rule{MaxLinks: NoLinkLimit, AllowDomains: []string{"example.org", "bad.example"}, BlockDomains: []string{"bad.example"}}, "https://bad.example", "link to a blocked domain (bad.example)"},
		{"count before domains", Rule{MaxLinks: 1, BlockDomains: []string{"x.com"}}, "x.com y.com", "2 links (at most 1)"},
		{"counting stops", Rule{MaxLinks: 3}, strings.Repeat("x.com ", 500), "100 or more links (at most 3)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := tt.rule
			r.Kind, r.Action = Links, Hide
			d := decide(t, r, tt.text)
			if d.Reason != tt.want || (d.Action == Hide) != (tt.want != "") {
				t.Errorf("Decide(%q) = %+v, want reason %q", tt.text, d, tt.want)
			}
		})
	}
}
