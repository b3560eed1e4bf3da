package blog

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// golden is what the golden files show of a feed.
type golden struct {
	Feed  string       `json:"feed"`
	Items []goldenItem `json:"items"`
}

type goldenItem struct {
	ID      string        `json:"id"`
	At      *time.Time    `json:"at,omitempty"`
	Skipped string        `json:"skipped,omitempty"`
	Acme    bool          `json:"mentions_acme"`
	Event   *care.Inbound `json:"event,omitempty"`
}

// checkEvent fails t unless ev passes the core's validation, as the poll
// runner's router runs it.
func checkEvent(t *testing.T, ev channel.Event) {
	t.Helper()
	in := ev.Inbound
	in.InboxID = 7
	if err := in.Validate(); err != nil {
		t.Errorf("event %+v does not validate: %v", ev.Inbound, err)
	}
	if !json.Valid(ev.Raw) {
		t.Errorf("event's raw payload %q is not JSON", ev.Raw)
	}
}

// TestFeedsGolden parses every feed in testdata/feeds, maps its items and
// compares the result with testdata/golden (go test -update rewrites
// them).
func TestFeedsGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/feeds/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no feeds in testdata/feeds: %v", err)
	}
	acme := keywords{"acme"}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, filepath.Ext(name)), func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := parseFeed(raw)
			if err != nil {
				t.Fatalf("parseFeed: %v", err)
			}
			src := sourceOf(testFeed, parsed)
			got := golden{Feed: src.title}
			for _, it := range parsed.Items {
				m := mapItem(src, it, testNow)
				g := goldenItem{ID: m.id, Skipped: m.skipped, Acme: acme.match(m.text)}
				if !m.at.IsZero() {
					at := m.at
					g.At = &at
				}
				if m.skipped == "" {
					checkEvent(t, m.ev)
					in := m.ev.Inbound
					g.Event = &in
				}
				got.Items = append(got.Items, g)
			}
			path := filepath.Join("testdata/golden", strings.TrimSuffix(name, filepath.Ext(name))+".json")
			if *updateGolden {
				b, _ := json.MarshalIndent(got, "", "  ")
				if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			var want golden
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("items differ from %s (-want +got):\n%s", path, diff)
			}
		})
	}
}
