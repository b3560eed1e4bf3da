package wordpress

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

// golden is what the golden files show of a comment.
type golden struct {
	ID      string        `json:"id"`
	At      *time.Time    `json:"at,omitempty"`
	Skipped string        `json:"skipped,omitempty"`
	EchoOf  string        `json:"echo_of,omitempty"`
	Event   *care.Inbound `json:"event,omitempty"`
}

// checkEvent fails t unless ev passes the core's validation and carries
// raw as its payload. An echo is checked once its author is filled in.
func checkEvent(t *testing.T, ev channel.Event, raw []byte) {
	t.Helper()
	in := ev.Inbound
	in.InboxID = 7
	if in.Kind == care.KindEcho && in.Author.PlatformUserID == "" {
		in.Author.PlatformUserID = "jane.doe@example.com"
	}
	if err := in.Validate(); err != nil {
		t.Errorf("event %+v does not validate: %v", ev.Inbound, err)
	}
	if raw != nil && string(ev.Raw) != string(raw) {
		t.Errorf("event's raw payload is %q, want the comment", ev.Raw)
	}
}

// TestCommentsGolden maps every comment in testdata/comments and compares
// the result with testdata/golden (go test -update rewrites them).
func TestCommentsGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/comments/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no comments in testdata/comments: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			c, err := decodeComment(raw)
			if err != nil {
				t.Fatal(err)
			}
			m := mapComment(testInbox(), c, raw, testNow)
			got := golden{ID: m.id, Skipped: m.skipped, EchoOf: m.echoOf}
			if !m.at.IsZero() {
				got.At = &m.at
			}
			if m.skipped == "" {
				checkEvent(t, m.ev, raw)
				got.Event = &m.ev.Inbound
			}
			path := filepath.Join("testdata/golden", name)
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
				t.Errorf("mapping differs from %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

func TestSiteUsersCustomers(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/comments/staff_top_level_edit_CONSTRUCTED.json")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := decodeComment(raw)
	in := testInbox()
	in.Credentials[CredSiteUsers] = SiteUsersCustomers
	m := mapComment(in, c, raw, testNow)
	if m.skipped != "" || m.ev.Inbound.Kind != care.KindMessage || m.ev.Inbound.Author.PlatformUserID != "maria@acme.example.com" {
		t.Errorf("a registered user's comment with site_users customers = %+v", m)
	}
}

func TestAuthorOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		c    comment
		want care.Author
	}{
		{"email", comment{AuthorName: "Jane", AuthorEmail: " Jane@Example.COM "}, care.Author{PlatformUserID: "jane@example.com", DisplayName: "Jane"}},
		{"registered user without email", comment{Author: "12", AuthorName: "Bo"}, care.Author{PlatformUserID: "user:12", DisplayName: "Bo"}},
		{"name only", comment{AuthorName: "Lee  Smith\n"}, care.Author{PlatformUserID: "name:Lee Smith", DisplayName: "Lee Smith"}},
		{"anonymous", comment{ID: "77"}, care.Author{PlatformUserID: "comment:77", DisplayName: "Anonymous"}},
		{"not an email", comment{AuthorName: "X", AuthorEmail: "a b@c"}, care.Author{PlatformUserID: "name:X", DisplayName: "X"}},
		{"long name", comment{AuthorName: strings.Repeat("é", 400)}, care.Author{PlatformUserID: "name:" + strings.Repeat("é", 125), DisplayName: strings.Repeat("é", 254) + "…"}},
	}
	for _, tt := range tests {
		if got := authorOf(&tt.c); got != tt.want {
			t.Errorf("%s: authorOf = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestDecodeCommentRejects(t *testing.T) {
	t.Parallel()
	for _, body := range []string{``, `[]`, `"x"`, `{"id":`} {
		if _, err := decodeComment([]byte(body)); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("decodeComment(%q) = %v, want EINVALID", body, err)
		}
	}
	for _, body := range []string{`{}`, `{"id":0}`, `{"id":-3}`, `{"id":"01"}`, `{"id":{"a":1}}`} {
		c, err := decodeComment([]byte(body))
		if err != nil {
			t.Fatalf("decodeComment(%s): %v", body, err)
		}
		if m := mapComment(testInbox(), c, nil, testNow); m.skipped == "" {
			t.Errorf("mapComment(%s) = %+v, want skipped", body, m)
		}
	}
}
