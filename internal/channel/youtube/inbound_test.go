package youtube

import (
	"bytes"
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

// goldenPage is what testdata/golden shows of a page of threads: each
// thread's counts, the events of every comment and edit on it (a poll
// hands over those it has not seen), and what is skipped, and why.
type goldenPage struct {
	Threads []goldenThread `json:"threads"`
	Events  []care.Inbound `json:"events"`
	Skipped []string       `json:"skipped,omitempty"`
	Broken  []string       `json:"broken,omitempty"`
}

type goldenThread struct {
	ID       string `json:"id"`
	Total    int64  `json:"total"`
	Embedded int64  `json:"embedded"`
}

// mapPage maps a page of commentThreads.list as a poll does, without its
// network: every thread, every embedded reply.
func mapPage(t testing.TB, body []byte) (goldenPage, []channel.Event) {
	t.Helper()
	var page listResponse
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	m := mapper{brand: testChannel, now: testNow}
	var g goldenPage
	var events []channel.Event
	for i, raw := range page.Items {
		mt, err := m.thread(raw)
		if err != nil {
			g.Broken = append(g.Broken, "thread "+string(rune('0'+i))+": "+err.Error())
			continue
		}
		g.Threads = append(g.Threads, goldenThread{mt.th.id, mt.total, mt.embedded})
		for _, err := range mt.broken {
			g.Broken = append(g.Broken, "reply in "+mt.th.id+": "+err.Error())
		}
		for _, items := range mt.comments {
			for _, it := range items {
				if it.ev == nil {
					g.Skipped = append(g.Skipped, it.id+": "+it.skip)
					continue
				}
				g.Events = append(g.Events, it.ev.Inbound)
				events = append(events, *it.ev)
			}
		}
	}
	return g, events
}

// TestPageGolden maps every page in testdata/threads and compares the
// events with testdata/golden (go test -update rewrites them). Every
// event must pass the core's validation and carry its comment as its raw
// payload.
func TestPageGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/threads/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no pages in testdata/threads: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got, events := mapPage(t, body)
			for _, ev := range events {
				checkEvent(t, ev, body)
			}
			path := filepath.Join("testdata/golden", name)
			if *updateGolden {
				var b bytes.Buffer
				enc := json.NewEncoder(&b)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				if err := enc.Encode(got); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			var want goldenPage
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("events of %s (-want +got):\n%s", name, diff)
			}
		})
	}
}

// checkEvent asserts what the core relies on: the event validates once
// the core fills in inbox and channel, its raw payload is a comment of the
// page, and it is the inbox's own.
func checkEvent(t testing.TB, ev channel.Event, page []byte) {
	t.Helper()
	in := ev.Inbound
	in.InboxID, in.Channel = 1, care.ChannelYouTube
	if err := in.Validate(); err != nil {
		t.Errorf("event %q does not validate: %v", in.PlatformID, err)
	}
	var c comment
	if err := json.Unmarshal(ev.Raw, &c); err != nil || !strings.HasPrefix(in.PlatformID, c.ID) {
		t.Errorf("event %q: raw payload is not its comment: %v", in.PlatformID, err)
	}
	if page != nil && !bytes.Contains(page, []byte(c.ID)) {
		t.Errorf("event %q: raw payload is not from the page", in.PlatformID)
	}
	if ev.Account != "" {
		t.Errorf("event %q: account %q, want the inbox's own", in.PlatformID, ev.Account)
	}
}

// TestMapping spells out, for the comments a care team meets most, what
// becomes of them.
func TestMapping(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time { ts, _ := time.Parse(time.RFC3339, s); return ts }
	maria := care.Author{PlatformUserID: "UCmAr1aL0pEz0123456789ab", DisplayName: "@mariaperez", Handle: "mariaperez"}
	ben := care.Author{PlatformUserID: "UCb3nJ0hn50n0123456789cd", DisplayName: "@benjohnson", Handle: "benjohnson"}
	const t1 = "UgwKx7Qm2dV9pR4tL1bN6AaABAg"
	const t3 = "UgxEd1tedT0pLevelComment4AaABAg"
	const j1, j2 = "UgxNoChannelJane000001AaABAg", "UgxNoChannelJane000002AaABAg"
	// sha256("Jane Doe"), its first 12 bytes.
	jane1 := care.Author{PlatformUserID: "nochannel:" + j1 + ":01332c876518a793b7c1b8df", DisplayName: "Jane Doe"}
	jane2 := care.Author{PlatformUserID: "nochannel:" + j2 + ":01332c876518a793b7c1b8df", DisplayName: "Jane Doe"}
	for _, tt := range []struct {
		file string
		want []care.Inbound
		skip []string
	}{
		{"sample_CONSTRUCTED", []care.Inbound{{Kind: care.KindMessage, PlatformID: "UgzDE2tasfmrYLyNkGt4AaABAg", Visibility: care.Public,
			Author: care.Author{PlatformUserID: "UCaBcDeFgHiJkLmNoPqRsTuV", DisplayName: "@somecustomer", Handle: "somecustomer"},
			Text:   "My device stopped working after the update", NewThread: true, Subject: "Comment on https://www.youtube.com/watch?v=wtLJPvx7-ys&lc=UgzDE2tasfmrYLyNkGt4AaABAg",
			SentAt: at("2024-11-20T17:03:11Z")}}, nil},
		{"replies_and_echoes_CONSTRUCTED", []care.Inbound{
			{Kind: care.KindMessage, PlatformID: t1, Visibility: care.Public, Author: maria,
				Text: "Is there a fix for the battery drain?\nIt lasts 2 hours now.", NewThread: true, Subject: "Comment on https://www.youtube.com/watch?v=wtLJPvx7-ys&lc=" + t1,
				SentAt: at("2026-11-24T09:10:00Z"), Engagement: 5},
			{Kind: care.KindMessage, PlatformID: t1 + ".9xQ1aZ7bK2L", ReplyToPlatformID: t1, Visibility: care.Public, Author: ben,
				Text: "@mariaperez same here since 4.2", SentAt: at("2026-11-24T09:20:00Z")},
			// The channel's reply in Maria's thread: an echo, filed under her.
			{Kind: care.KindEcho, PlatformID: t1 + ".9xQ1aZ9cM4N", ReplyToPlatformID: t1, Visibility: care.Public, Author: maria,
				Text: "Hi Maria, a fix ships Friday. Settings > Battery helps meanwhile.", SentAt: at("2026-11-24T09:30:00Z")},
			// Ben's question in the channel's own thread is a customer's.
			{Kind: care.KindMessage, PlatformID: "UgzOwnThreadV9pR4tL1bN6AaABAg.9xR2bA1cD3E", ReplyToPlatformID: "UgzOwnThreadV9pR4tL1bN6AaABAg",
				Visibility: care.Public, Author: ben, Text: "Will it come to the older model?", SentAt: at("2026-11-24T08:05:00Z")},
		}, []string{"UgzOwnThreadV9pR4tL1bN6AaABAg: the channel's own comment",
			"UgzOwnThreadV9pR4tL1bN6AaABAg.9xR2bA2dE4F: the channel's reply in its own thread"}},
		{"edited_CONSTRUCTED", []care.Inbound{
			{Kind: care.KindMessage, PlatformID: t3, Visibility: care.Public, Author: maria, Text: "Ordered the blue one, got red. Order 5521.",
				NewThread: true, Subject: "Comment on https://www.youtube.com/watch?v=wtLJPvx7-ys&lc=" + t3, SentAt: at("2026-11-24T09:00:00Z"), Engagement: 2},
			{Kind: care.KindMessage, PlatformID: t3 + ":edit:1795513512", ReplyToPlatformID: t3, Visibility: care.Public, Author: maria,
				Text: "[Edited] Ordered the blue one, got red. Order 5521.", SentAt: at("2026-11-24T09:45:12Z"), Engagement: 2},
			{Kind: care.KindMessage, PlatformID: t3 + ".9yEd1tR3ply", ReplyToPlatformID: t3, Visibility: care.Public, Author: maria,
				Text: "Sorry, order 5512.", SentAt: at("2026-11-24T09:05:00Z")},
			{Kind: care.KindMessage, PlatformID: t3 + ".9yEd1tR3ply:edit:1795513800", ReplyToPlatformID: t3 + ".9yEd1tR3ply", Visibility: care.Public,
				Author: maria, Text: "[Edited] Sorry, order 5512.", SentAt: at("2026-11-24T09:50:00Z")},
			{Kind: care.KindEcho, PlatformID: t3 + ".9yEd1tBr4nd", ReplyToPlatformID: t3, Visibility: care.Public, Author: maria,
				Text: "We'll swap it. Check your inbox.", SentAt: at("2026-11-24T09:06:00Z")},
		}, []string{t3 + ".9yEd1tBr4nd:edit:1795511220: an edit of the channel's own reply"}},
		// Authors without a channel: each comment is kept, under an
		// identity of the thread and the display name, so Jane's comment,
		// her reply and the channel's answer to her are one contact's, and
		// the other Jane Doe, in another thread, is someone else.
		{"no_channel_CONSTRUCTED", []care.Inbound{
			{Kind: care.KindMessage, PlatformID: j1, Visibility: care.Public, Author: jane1,
				Text: "My order never arrived, who do I talk to?", NewThread: true, Subject: "Comment on https://www.youtube.com/watch?v=wtLJPvx7-ys&lc=" + j1,
				SentAt: at("2026-11-24T08:00:00Z"), Engagement: 4},
			{Kind: care.KindMessage, PlatformID: j1 + ".9zJaneAgain1", ReplyToPlatformID: j1, Visibility: care.Public, Author: jane1,
				Text: "Order 5521, still nothing.", SentAt: at("2026-11-24T08:10:00Z")},
			{Kind: care.KindEcho, PlatformID: j1 + ".9zBrandAns01", ReplyToPlatformID: j1, Visibility: care.Public, Author: jane1,
				Text: "Sorry Jane, it ships today.", SentAt: at("2026-11-24T08:20:00Z")},
			// Neither a channel nor a name: an identity of its own.
			{Kind: care.KindMessage, PlatformID: j1 + ".9zNoName0001", ReplyToPlatformID: j1, Visibility: care.Public,
				Author: care.Author{PlatformUserID: "nochannel:" + j1 + ".9zNoName0001"}, Text: "Same problem here", SentAt: at("2026-11-24T08:30:00Z")},
			{Kind: care.KindMessage, PlatformID: j2, Visibility: care.Public, Author: jane2,
				Text: "Great video, thanks! (edited: the link works now)", NewThread: true, Subject: "Comment on https://www.youtube.com/watch?v=wtLJPvx7-ys&lc=" + j2,
				SentAt: at("2026-11-24T07:00:00Z"), Engagement: 3},
			{Kind: care.KindMessage, PlatformID: j2 + ":edit:1795505400", ReplyToPlatformID: j2, Visibility: care.Public, Author: jane2,
				Text: "[Edited] Great video, thanks! (edited: the link works now)", SentAt: at("2026-11-24T07:30:00Z"), Engagement: 3},
			// No authorChannelId, but the channel's URL names it.
			{Kind: care.KindMessage, PlatformID: "UgxUrlOnly0000000000003AaABAg", Visibility: care.Public,
				Author: care.Author{PlatformUserID: "UCaBcDeFgHiJkLmNoPqRsTuV", DisplayName: "Some Customer"},
				Text:   "Is the manual online?", NewThread: true, Subject: "Comment on https://www.youtube.com/watch?v=wtLJPvx7-ys&lc=UgxUrlOnly0000000000003AaABAg",
				SentAt: at("2026-11-24T06:00:00Z")},
			// authorChannelId null: no channel, so no handle either.
			{Kind: care.KindMessage, PlatformID: "UgxNullChannel0000000004AaABAg", Visibility: care.Public,
				Author: care.Author{PlatformUserID: "nochannel:UgxNullChannel0000000004AaABAg:97415ca5508d6876d7ac46e3", DisplayName: "@oldhandle"},
				Text:   "Does it come in blue?", NewThread: true, Subject: "Comment on https://www.youtube.com/watch?v=wtLJPvx7-ys&lc=UgxNullChannel0000000004AaABAg",
				SentAt: at("2026-11-24T05:00:00Z")},
		}, nil},
	} {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(filepath.Join("testdata/threads", tt.file+".json"))
			if err != nil {
				t.Fatal(err)
			}
			g, _ := mapPage(t, body)
			if diff := cmp.Diff(tt.want, g.Events); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.skip, g.Skipped); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHandleOf(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ url, name, want string }{
		{"http://www.youtube.com/@somecustomer", "@somecustomer", "somecustomer"},
		{"https://youtube.com/@Some.Customer-1", "Some Customer", "Some.Customer-1"},
		{"http://www.youtube.com/@%D9%8A%D9%88%D8%B3%D9%81.%D8%B9", "", "يوسف.ع"},
		{"http://www.youtube.com/channel/UCaBcDeFgHiJkLmNoPqRsTuV", "@fromname", "fromname"},
		{"http://www.youtube.com/channel/UCaBcDeFgHiJkLmNoPqRsTuV", "Plain Name", ""},
		{"https://evil.example/@phisher", "", ""},
		{"javascript:alert(1)", "@ok_handle", "ok_handle"},
		{"http://www.youtube.com/@a", "@ab", ""},                       // too short
		{"http://www.youtube.com/@" + strings.Repeat("x", 31), "", ""}, // too long
		{"http://www.youtube.com/@with/slash", "@with space", ""},      // not handle characters
		{"http://www.youtube.com/@ok%00nul", "@\x00bad", ""},           // control characters
		{"", "@" + strings.Repeat("é", 30), strings.Repeat("é", 30)},   // 30 characters, 60 bytes
	} {
		if got := handleOf(tt.url, tt.name); got != tt.want {
			t.Errorf("handleOf(%q, %q) = %q, want %q", tt.url, tt.name, got, tt.want)
		}
	}
}

// TestAuthorOf spells out the author of a comment as its snippet has it,
// with a channel and without.
func TestAuthorOf(t *testing.T) {
	t.Parallel()
	const thread = "UgzDE2tasfmrYLyNkGt4AaABAg"
	// sha256("Jane Doe"), its first 12 bytes.
	const jane = "nochannel:" + thread + ":01332c876518a793b7c1b8df"
	for _, tt := range []struct {
		name    string
		snippet string // the comment's snippet, JSON
		want    care.Author
		channel bool
	}{
		{"channel", `{"authorDisplayName":"@somecustomer","authorChannelUrl":"http://www.youtube.com/@somecustomer","authorChannelId":{"value":"UCaBcDeFgHiJkLmNoPqRsTuV"}}`,
			care.Author{PlatformUserID: "UCaBcDeFgHiJkLmNoPqRsTuV", DisplayName: "@somecustomer", Handle: "somecustomer"}, true},
		{"channel id as a bare string", `{"authorDisplayName":"Some Customer","authorChannelId":"UCaBcDeFgHiJkLmNoPqRsTuV"}`,
			care.Author{PlatformUserID: "UCaBcDeFgHiJkLmNoPqRsTuV", DisplayName: "Some Customer"}, true},
		{"channel only in its URL", `{"authorDisplayName":"Some Customer","authorChannelUrl":"https://m.youtube.com/channel/UCaBcDeFgHiJkLmNoPqRsTuV"}`,
			care.Author{PlatformUserID: "UCaBcDeFgHiJkLmNoPqRsTuV", DisplayName: "Some Customer"}, true},
		{"no channel", `{"authorDisplayName":"Jane Doe"}`, care.Author{PlatformUserID: jane, DisplayName: "Jane Doe"}, false},
		{"null channel", `{"authorDisplayName":"Jane Doe","authorChannelId":null,"authorChannelUrl":""}`,
			care.Author{PlatformUserID: jane, DisplayName: "Jane Doe"}, false},
		{"empty channel", `{"authorDisplayName":"Jane Doe","authorChannelId":{}}`, care.Author{PlatformUserID: jane, DisplayName: "Jane Doe"}, false},
		{"channel id not an id", `{"authorDisplayName":"Jane Doe","authorChannelId":{"value":"UC../../x"}}`,
			care.Author{PlatformUserID: jane, DisplayName: "Jane Doe"}, false},
		{"channel id of another type", `{"authorDisplayName":"Jane Doe","authorChannelId":42}`, care.Author{PlatformUserID: jane, DisplayName: "Jane Doe"}, false},
		{"channel URL elsewhere", `{"authorDisplayName":"Jane Doe","authorChannelUrl":"https://evil.example/channel/UCaBcDeFgHiJkLmNoPqRsTuV"}`,
			care.Author{PlatformUserID: jane, DisplayName: "Jane Doe"}, false},
		{"handle URL without an id", `{"authorDisplayName":"@janedoe","authorChannelUrl":"http://www.youtube.com/@janedoe"}`,
			care.Author{PlatformUserID: "nochannel:" + thread + ":142d29bd45d84571b4cdd33f", DisplayName: "@janedoe"}, false},
		{"name cleaned first", `{"authorDisplayName":" Jane\u0000 Doe\u0007 "}`, care.Author{PlatformUserID: jane, DisplayName: "Jane Doe"}, false},
		{"no name", `{"authorDisplayName":"\u0000 "}`, care.Author{PlatformUserID: "nochannel:" + thread + ".9zReply"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var c comment
			if err := json.Unmarshal([]byte(`{"id":"`+thread+`.9zReply","snippet":`+tt.snippet+`}`), &c); err != nil {
				t.Fatal(err)
			}
			got, channel := authorOf(&c, thread)
			if got != tt.want || channel != tt.channel {
				t.Errorf("authorOf = %+v, %v; want %+v, %v", got, channel, tt.want, tt.channel)
			}
		})
	}
}
