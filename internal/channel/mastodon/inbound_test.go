package mastodon

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

// golden is what the golden files show of a notification.
type golden struct {
	Notification string         `json:"notification"`
	Events       []care.Inbound `json:"events,omitempty"`
	Skipped      string         `json:"skipped,omitempty"`
}

// checkEvent fails t unless ev passes the core's validation, as the
// webhook router runs it, and carries raw as its payload.
func checkEvent(t *testing.T, ev channel.Event, raw []byte) {
	t.Helper()
	in := ev.Inbound
	in.InboxID, in.Channel = 7, care.ChannelMastodon
	if err := in.Validate(); err != nil {
		t.Errorf("event %+v does not validate: %v", ev.Inbound, err)
	}
	if string(ev.Raw) != string(raw) {
		t.Errorf("event's raw payload is %q, want the notification", ev.Raw)
	}
}

// TestNotificationsGolden maps every notification in
// testdata/notifications and compares the result with testdata/golden
// (go test -update rewrites them).
func TestNotificationsGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/notifications/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no notifications in testdata/notifications: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m, err := mapNotification(testInbox(), raw, testNow)
			if err != nil {
				t.Fatalf("mapNotification: %v", err)
			}
			got := golden{Notification: m.id, Skipped: m.skipped}
			for _, ev := range m.events {
				checkEvent(t, ev, raw)
				got.Events = append(got.Events, ev.Inbound)
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

func TestMapNotificationRejects(t *testing.T) {
	t.Parallel()
	for _, body := range []string{``, `[]`, `"mention"`, `{"id":`, `{"type":1}`} {
		if _, err := mapNotification(testInbox(), []byte(body), testNow); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("mapNotification(%q) = %v, want EINVALID", body, err)
		}
	}
	// Decodable but useless: skipped, not an error.
	for body, want := range map[string]string{
		`{}`:                          `a "" notification`,
		`{"id":"1","type":"mention"}`: "a mention without its post",
		`{"id":"1","type":"mention","status":{"id":"2"}}`:                                                       "a mention without its author",
		`{"id":"1","type":"mention","status":{"id":"","content":"hi","account":{"id":"9","acct":"a@b.c"}}}`:     "a post without a usable id",
		`{"id":"1","type":"mention","status":{"id":"2","content":"hi","account":{"id":"9","acct":"a b@c.d"}}}`:  "a post whose author has no usable handle",
		`{"id":"1","type":"mention","status":{"id":"2","reblog":{"id":"3"},"account":{"id":"9","acct":"a@b"}}}`: "a boost",
	} {
		m, err := mapNotification(testInbox(), []byte(body), testNow)
		if err != nil || m.skipped != want || len(m.events) != 0 {
			t.Errorf("mapNotification(%s) = %+v, %v; want skipped as %q", body, m, err, want)
		}
	}
}

func TestAuthorOf(t *testing.T) {
	t.Parallel()
	local := testInbox()
	elsewhere := testInbox()
	delete(elsewhere.Credentials, CredDomain)
	elsewhere.Credentials[CredAPIBase] = "https://social.example.com"
	tests := []struct {
		name string
		in   care.Inbox
		acct account
		want care.Author
		ok   bool
	}{
		{"remote", local, account{Acct: "Anna@Example.Social", Username: "Anna", DisplayName: "Anna", FollowersCount: 12},
			care.Author{PlatformUserID: "anna@example.social", Handle: "@Anna@example.social", DisplayName: "Anna", Followers: 12}, true},
		{"local gets the instance's domain", local, account{Acct: "zsc", Username: "zsc"},
			care.Author{PlatformUserID: "zsc@mastodon.social", Handle: "@zsc@mastodon.social"}, true},
		{"local without a domain credential gets api_base's host", elsewhere, account{Acct: "zsc"},
			care.Author{PlatformUserID: "zsc@social.example.com", Handle: "@zsc@social.example.com"}, true},
		{"no acct falls back to username", local, account{Username: "zsc"},
			care.Author{PlatformUserID: "zsc@mastodon.social", Handle: "@zsc@mastodon.social"}, true},
		{"display name on one line", local, account{Acct: "a@b.c", DisplayName: "  Ann\n\tLee\u0000\u202e "},
			care.Author{PlatformUserID: "a@b.c", Handle: "@a@b.c", DisplayName: "Ann Lee"}, true},
		{"white space in the handle", local, account{Acct: "a b@c.d"}, care.Author{}, false},
		{"two @", local, account{Acct: "a@b@c"}, care.Author{}, false},
		{"empty", local, account{}, care.Author{}, false},
		{"over long", local, account{Acct: strings.Repeat("a", 200) + "@b.c"}, care.Author{}, false},
	}
	for _, tt := range tests {
		got, ok := authorOf(tt.in, &tt.acct)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%s: authorOf(%+v) = %+v, %v; want %+v, %v", tt.name, tt.acct, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDeletion(t *testing.T) {
	t.Parallel()
	ev, ok := deletion(" 103186126728896492\n", testNow)
	want := care.Inbound{Kind: care.KindDelete, PlatformID: "103186126728896492", SentAt: testNow}
	if !ok || !cmp.Equal(ev.Inbound, want) {
		t.Errorf("deletion = %+v, %v; want %+v", ev.Inbound, ok, want)
	}
	checkEvent(t, ev, []byte("103186126728896492"))
	for _, bad := range []string{"", "a b", strings.Repeat("9", 300)} {
		if _, ok := deletion(bad, testNow); ok {
			t.Errorf("deletion(%q) made an event", bad)
		}
	}
}

func TestSentAt(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Time{
		"2026-11-24T09:58:11.000Z":      time.Date(2026, 11, 24, 9, 58, 11, 0, time.UTC),
		"2026-11-24T10:58:11.000+01:00": time.Date(2026, 11, 24, 9, 58, 11, 0, time.UTC),
		"2026-11-24T10:04:00Z":          time.Date(2026, 11, 24, 10, 4, 0, 0, time.UTC), // within the tolerance
		"2026-11-24T10:06:00Z":          testNow,                                        // a clock running fast
		"yesterday":                     testNow,
		"":                              testNow,
	} {
		if got := sentAt(in, testNow); !got.Equal(want) {
			t.Errorf("sentAt(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestIDs(t *testing.T) {
	t.Parallel()
	less := []struct{ a, b string }{
		{"9", "10"}, {"34975535", "34975861"}, {"0", "1"}, {"099", "100"},
		{"01HQ6Z9K9ZJ6P3Q5Y5W2V1T8ZA", "01HQ6Z9K9ZJ6P3Q5Y5W2V1T8ZB"},
	}
	for _, p := range less {
		if !idLess(p.a, p.b) || idLess(p.b, p.a) {
			t.Errorf("idLess(%q, %q) and its reverse are wrong", p.a, p.b)
		}
	}
	for _, id := range []string{"", "a b", "1/2", "1?x=2", strings.Repeat("1", 65), "é"} {
		if validID(id) {
			t.Errorf("validID(%q) = true", id)
		}
	}
}
