package demo

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// The conversation page lists the contacts Parley suggests merging, each
// with the form that merges it; the demo reads them as an agent sees them.
func TestSuggestions(t *testing.T) {
	t.Parallel()
	page := `<html><body><aside class="contact">
  <div class="suggested">
    <h3>Possibly the same person</h3>
    <ul class="candidates">
      <li>
        <span class="cand-name"><bdi>Harry Hughes</bdi></span><span class="muted cand-ids"><bdi>Email harry.hughes37@example.org, as given on Web chat</bdi></span>
        <form method="post" action="/c/2/merge" class="inline">
          <input type="hidden" name="csrf" value="tok"><input type="hidden" name="list" value=""><input type="hidden" name="other" value="41">
          <button type="submit">Merge into Harry Hughes</button>
        </form>
      </li>
    </ul>
  </div>
  <form method="post" action="/c/2/merge"><input type="hidden" name="other" value="99"></form>
</aside></body></html>`
	for _, tt := range []struct {
		name, page string
		want       []candidate
	}{
		{"one", page, []candidate{{id: 41, identities: "Email harry.hughes37@example.org, as given on Web chat"}}},
		{"none", `<html><body><aside class="contact"><h3>Contact</h3></aside></body></html>`, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader(tt.page))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, suggestions(doc), cmp.AllowUnexported(candidate{})); diff != "" {
				t.Errorf("suggestions (-want +got):\n%s", diff)
			}
		})
	}
}
