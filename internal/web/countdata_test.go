package web_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCountDataInStep checks that the data static/count.js copies from the
// X adapter (its emoji pattern and its top-level domains) is still what
// the Go code uses: a new TLD or emoji there must reach the composer too.
func TestCountDataInStep(t *testing.T) {
	t.Parallel()
	js := read(t, "static/count.js")
	goEmoji := read(t, "../channel/x/weighted_emoji.go")
	goTLDs := read(t, "../channel/x/tlds.txt")

	pattern := func(src, start, end string, piece *regexp.Regexp) string {
		t.Helper()
		i := strings.Index(src, start)
		if i < 0 {
			t.Fatalf("no %q", start)
		}
		body := src[i+len(start):]
		body = body[:strings.Index(body, end)]
		var b strings.Builder
		for _, m := range piece.FindAllStringSubmatch(body, -1) {
			b.WriteString(m[1] + m[2])
		}
		return b.String()
	}
	// Go: raw strings and "|" between them, comments aside.
	goPiece := regexp.MustCompile("(?m)^\\s*//.*$|`([^`]*)`|\"([^\"]*)\"")
	wantEmoji := strings.ReplaceAll(pattern(goEmoji, "regexp.MustCompile(", ")\n", goPiece), `\x{`, `\u{`)
	jsPiece := regexp.MustCompile(`'([^']*)'()`)
	gotEmoji := strings.ReplaceAll(pattern(js, "var EMOJI = new RegExp(", ", 'gu')", jsPiece), `\\`, `\`)
	if gotEmoji != wantEmoji {
		t.Errorf("count.js's emoji pattern differs from weighted_emoji.go's:\njs: %.200s…\ngo: %.200s…", gotEmoji, wantEmoji)
	}

	var wantTLDs []string
	for line := range strings.SplitSeq(goTLDs, "\n") {
		if !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "[") {
			wantTLDs = append(wantTLDs, strings.Fields(line)...)
		}
	}
	gotTLDs := strings.Fields(pattern(js, "var TLD_LIST = (", ").split(' ')", jsPiece))
	if !slices.Equal(gotTLDs, wantTLDs) {
		t.Errorf("count.js has %d top-level domains, tlds.txt %d, or their order differs", len(gotTLDs), len(wantTLDs))
	}
	if len(wantTLDs) < 1000 || len(wantEmoji) < 5000 {
		t.Fatalf("read %d TLDs and %d bytes of emoji pattern: the sources moved", len(wantTLDs), len(wantEmoji))
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
