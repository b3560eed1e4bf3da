package reddit

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

// golden is what the golden files show of an inbox item.
type golden struct {
	Name    string         `json:"name"`
	Events  []care.Inbound `json:"events,omitempty"`
	Skipped string         `json:"skipped,omitempty"`
}

// checkEvent fails t unless ev passes the core's validation, as the poll
// runner runs it, and carries raw as its payload.
func checkEvent(t *testing.T, ev channel.Event, raw []byte) {
	t.Helper()
	in := ev.Inbound
	in.InboxID, in.Channel = 7, care.ChannelReddit
	if err := in.Validate(); err != nil {
		t.Errorf("event %+v does not validate: %v", ev.Inbound, err)
	}
	if string(ev.Raw) != string(raw) {
		t.Errorf("event's raw payload is %q, want the item", ev.Raw)
	}
}

// TestThingsGolden maps every item in testdata/things and compares the
// result with testdata/golden (go test -update rewrites them).
func TestThingsGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/things/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no items in testdata/things: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m, err := mapThing(testInbox(), raw, testNow)
			if err != nil {
				t.Fatalf("mapThing: %v", err)
			}
			got := golden{Name: m.name, Skipped: m.skipped}
			if m.skipped == "" {
				checkEvent(t, m.event, raw)
				got.Events = append(got.Events, m.event.Inbound)
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
				t.Errorf("events differ from %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

// TestMapThing pins the mapping rules the golden files show, so that a
// golden file rewritten by mistake cannot hide a broken rule.
func TestMapThing(t *testing.T) {
	t.Parallel()
	read := func(t *testing.T, name string) mapped {
		t.Helper()
		raw, err := os.ReadFile("testdata/things/" + name)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mapThing(testInbox(), raw, testNow)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	t.Run("mention", func(t *testing.T) {
		m := read(t, "username_mention_SAMPLE.json")
		in := m.event.Inbound
		want := care.Inbound{
			PlatformID: "t1_kx9z8y7", ReplyToPlatformID: "t3_1gvq2ab", Visibility: care.Public,
			Author: care.Author{PlatformUserID: "some_customer", Handle: "some_customer", DisplayName: "u/some_customer"},
			Text:   "u/AcmeSupport my router keeps rebooting", Subject: "Router issues after firmware 2.1",
			SentAt: time.Unix(1732122191, 0).UTC(),
			Attachments: []care.Attachment{{Kind: "link", Name: "The comment on Reddit, in r/acme: Router issues after firmware 2.1",
				URL: "https://www.reddit.com/r/acme/comments/1gvq2ab/router_issues_after_firmware_21/kx9z8y7/?context=3"}},
		}
		if diff := cmp.Diff(want, in); diff != "" {
			t.Errorf("mention (-want +got):\n%s", diff)
		}
	})
	t.Run("message reply threads on parent_id", func(t *testing.T) {
		in := read(t, "message_reply_CONSTRUCTED.json").event.Inbound
		if in.Visibility != care.Private || in.ReplyToPlatformID != "t4_2b7kr00" || in.Subject != "re: Order #5521 never arrived" {
			t.Errorf("reply = %+v", in)
		}
		if in.Text != "Thanks, the tracking number is 1Z999.\n\nCheers" {
			t.Errorf("text = %q", in.Text)
		}
		if got := read(t, "message_reply_without_parent_CONSTRUCTED.json").event.Inbound.ReplyToPlatformID; got != "t4_2b7kq1x" {
			t.Errorf("without parent_id, ReplyToPlatformID = %q, want the first message", got)
		}
	})
	t.Run("deleted", func(t *testing.T) {
		for _, f := range []string{"deleted_comment_CONSTRUCTED.json", "removed_comment_CONSTRUCTED.json"} {
			if m := read(t, f); m.skipped == "" || m.name == "" {
				t.Errorf("%s: skipped %q, name %q; want skipped with its name", f, m.skipped, m.name)
			}
		}
		in := read(t, "deleted_author_CONSTRUCTED.json").event.Inbound
		if in.Author.PlatformUserID != "[deleted]/t1_lm4d003" || in.Author.Handle != "" || in.Engagement != 0 {
			t.Errorf("deleted author = %+v, engagement %d", in.Author, in.Engagement)
		}
	})
	t.Run("hostile", func(t *testing.T) {
		in := read(t, "hostile_CONSTRUCTED.json").event.Inbound
		if in.Subject != "Line breaktitle" {
			t.Errorf("subject %q, want it on one line without control characters", in.Subject)
		}
		if strings.ContainsAny(in.Text, "\u202e\u202c\u0007") {
			t.Errorf("text %q keeps a control character", in.Text)
		}
		if !strings.Contains(in.Text, "click me (javascript:alert(1))") || !strings.Contains(in.Text, "<script>") {
			t.Errorf("text %q: links must show their target, markup must stay text", in.Text)
		}
		if len(in.Attachments) != 0 {
			t.Errorf("a context off www.reddit.com became %+v", in.Attachments)
		}
		if !in.SentAt.Equal(time.Unix(1764001200, 0)) {
			t.Errorf("a created_utc in a string = %v", in.SentAt)
		}
	})
	t.Run("future", func(t *testing.T) {
		if in := read(t, "future_created_CONSTRUCTED.json").event.Inbound; !in.SentAt.Equal(testNow) {
			t.Errorf("a future created_utc = %v, want now", in.SentAt)
		}
	})
	t.Run("skipped", func(t *testing.T) {
		for _, f := range []string{"own_message_CONSTRUCTED.json", "unknown_kind_CONSTRUCTED.json", "bad_fullname_CONSTRUCTED.json"} {
			if m := read(t, f); m.skipped == "" {
				t.Errorf("%s was not skipped: %+v", f, m.event.Inbound)
			}
		}
	})
	t.Run("subreddit", func(t *testing.T) {
		in := read(t, "subreddit_message_CONSTRUCTED.json").event.Inbound
		if in.Author.PlatformUserID != "r/acme" || in.Visibility != care.Private {
			t.Errorf("subreddit message = %+v", in)
		}
	})
}

func TestMapThingRefusesNonThings(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{`[]`, `"x"`, `{`, ``} {
		if _, err := mapThing(testInbox(), []byte(raw), testNow); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("mapThing(%q) = %v, want EINVALID", raw, err)
		}
	}
}
