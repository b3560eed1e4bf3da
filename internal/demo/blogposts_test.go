package demo

import (
	"strings"
	"testing"
)

// Bloggers name the brand, or the blog inbox, which watches for its name,
// would not import what they write.
func TestBlogPostsNameTheBrand(t *testing.T) {
	t.Parallel()
	for _, l := range languages {
		for in := range numIntents {
			p := blogPostOf(l.code, in)
			if p.title == "" || !strings.Contains(p.title+" "+p.text, brandName) {
				t.Errorf("a %s blog post in %s, %+v, does not name %s", in, l.code, p, brandName)
			}
		}
	}
}
