package bluesky

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parleyhq/parley/internal/care"
)

const (
	brandPost = "at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.feed.post/3k43tv4rft22g"
	docCID    = "bafyreig2fjxi3rptqdgylg7e5hmjl6mcke7rn2b6cugzlqq3i4zu6rq52q"
)

// readItems returns the items of a testdata page: its notifications or
// its logs.
func readItems(t *testing.T, file string) []json.RawMessage {
	t.Helper()
	return readItemsB(t, file)
}

func readItemsB(t testing.TB, file string) []json.RawMessage {
	t.Helper()
	b, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Notifications []json.RawMessage `json:"notifications"`
		Logs          []json.RawMessage `json:"logs"`
	}
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	return append(page.Notifications, page.Logs...)
}

func TestNotificationInbound(t *testing.T) {
	t.Parallel()
	a := &Adapter{Logger: quiet}
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339Nano, s); return t }
	customer := care.Author{PlatformUserID: anaDID, Handle: "@customer.bsky.social", DisplayName: "A Customer"}
	tests := []struct {
		file string
		want []care.Inbound // nil Kind: skipped
	}{
		{"listNotifications_mention_reply_CONSTRUCTED.json", []care.Inbound{
			{Kind: care.KindMessage, Channel: care.ChannelBluesky, Visibility: care.Public, Author: customer,
				PlatformID: "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbq5cu4d2k2y",
				Text:       "@acme.example.com my order never arrived", SentAt: at("2024-11-20T17:03:11.512Z")},
			{Kind: care.KindMessage, Channel: care.ChannelBluesky, Visibility: care.Public, Author: customer,
				PlatformID:        "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbq5f7aaaa2y",
				ReplyToPlatformID: brandPost, Text: "still waiting...", SentAt: at("2024-11-20T18:00:00Z")},
		}},
		{"listNotifications_thread_quote_CONSTRUCTED.json", []care.Inbound{
			{}, // a like
			{Kind: care.KindMessage, Channel: care.ChannelBluesky, Visibility: care.Public,
				Author:     care.Author{PlatformUserID: benDID, Handle: "@jo.example.com", DisplayName: "Jo News", Verified: true},
				PlatformID: "at://did:plc:44ybard66vv44zksje25o7dz/app.bsky.feed.post/3lbq6qte3ks2x",
				Text:       "Quoted https://bsky.app/profile/did:plc:u5cwb2mwiv2bfq53cjufe6yn/post/3k43tv4rft22g",
				Attachments: []care.Attachment{{Kind: "image", MimeType: "image/jpeg", Name: "The dented box", Size: 760898,
					URL: "https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:44ybard66vv44zksje25o7dz/bafkreibabalobzn6cd366ukcsjycp4yymjymgfxcv6xczmlgpemzkz3cfa@jpeg"}},
				SentAt: at("2024-11-20T19:00:00Z")},
			// Deeper in the thread: it answers the customer's own post,
			// the root is the brand's.
			{Kind: care.KindMessage, Channel: care.ChannelBluesky, Visibility: care.Public, Author: customer,
				PlatformID:        "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbq6b2bbbb2y",
				ReplyToPlatformID: "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbq5f7aaaa2y",
				Text:              "Order 881, photo attached ✨ 👨\u200d❤\ufe0f\u200d👨 see https://example.com/orders/881", SentAt: at("2024-11-20T18:30:00Z")},
			{}, // the brand's own post
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			items := readItems(t, tt.file)
			if len(items) != len(tt.want) {
				t.Fatalf("%d notifications, want %d", len(items), len(tt.want))
			}
			for i, raw := range items {
				in, indexed, why := notificationInbound(raw, brandDID, testNow)
				if indexed.IsZero() {
					t.Errorf("notification %d: no indexedAt", i)
				}
				if tt.want[i].Kind == "" {
					if why == "" {
						t.Errorf("notification %d = %+v, want it skipped", i, in)
					}
					continue
				}
				if why != "" {
					t.Fatalf("notification %d skipped: %s", i, why)
				}
				ev, ok := a.finish(in, raw)
				if !ok {
					t.Fatalf("notification %d: event does not validate", i)
				}
				if diff := cmp.Diff(tt.want[i], ev.Inbound, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("notification %d (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

func TestLogInbound(t *testing.T) {
	t.Parallel()
	a := &Adapter{Logger: quiet}
	sent := func(s string) time.Time { t, _ := time.Parse(time.RFC3339Nano, s); return t }
	ana := care.Author{PlatformUserID: anaDID}
	want := []care.Inbound{
		{}, // logBeginConvo
		{Kind: care.KindMessage, Channel: care.ChannelBluesky, Visibility: care.Private, Author: ana,
			PlatformID: "3ku7w6h4vog2d:3lbq7g3333322", Text: "Hi! My order 881 never arrived 📦", SentAt: sent("2024-11-20T18:02:00Z")},
		{}, // the brand's own message
		{Kind: care.KindMessage, Channel: care.ChannelBluesky, Visibility: care.Private, Author: ana,
			PlatformID: "3ku7w6h4vog2d:3lbq7g5555522", SentAt: sent("2024-11-20T18:06:00Z"),
			Text: "Shared https://bsky.app/profile/did:plc:ewvi7nxzyoun6zhxrhs64oiz/post/3lbq5cu4d2k2y"},
		{}, // logReadMessage
		// Ana's message deleted: Bluesky deletes only for the account
		// that deletes, so in the brand's log this is the brand's account
		// hiding it, not Ana deleting it.
		{},
		{}, // a deleted message view
		{}, // logAcceptConvo
	}
	items := readItems(t, "getLog_CONSTRUCTED.json")
	if len(items) != len(want) {
		t.Fatalf("%d log entries, want %d", len(items), len(want))
	}
	for i, raw := range items {
		in, why := logInbound(raw, brandDID, testNow)
		if want[i].Kind == "" {
			if why == "" {
				t.Errorf("entry %d = %+v, want it skipped", i, in)
			}
			continue
		}
		if why != "" {
			t.Fatalf("entry %d skipped: %s", i, why)
		}
		ev, ok := a.finish(in, raw)
		if !ok {
			t.Fatalf("entry %d: event does not validate", i)
		}
		if diff := cmp.Diff(want[i], ev.Inbound, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("entry %d (-want +got):\n%s", i, diff)
		}
	}
}

// Hostile values are bounded or refused, never stored as they came.
func TestNotificationInboundHostile(t *testing.T) {
	t.Parallel()
	long := make([]byte, 70000)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct {
		name string
		raw  string
		ok   bool
	}{
		{"uri of another author", `{"uri":"at://did:plc:other/app.bsky.feed.post/3k43tv4rft22g","author":{"did":"did:plc:ewvi7nxzyoun6zhxrhs64oiz"},"reason":"mention","record":{"text":"hi"},"indexedAt":"2024-11-20T17:03:12Z"}`, false},
		{"not a post", `{"uri":"at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.like/3k43tv4rft22g","author":{"did":"did:plc:ewvi7nxzyoun6zhxrhs64oiz"},"reason":"mention","record":{"text":"hi"}}`, false},
		{"bad did", `{"uri":"at://did:PLC:x/app.bsky.feed.post/3k43tv4rft22g","author":{"did":"did:PLC:x"},"reason":"mention","record":{"text":"hi"}}`, false},
		{"record of another type", `{"uri":"at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3k43tv4rft22g","author":{"did":"did:plc:ewvi7nxzyoun6zhxrhs64oiz"},"reason":"mention","record":{"$type":"app.bsky.feed.like","text":"hi"}}`, false},
		{"record not an object", `{"uri":"at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3k43tv4rft22g","author":{"did":"did:plc:ewvi7nxzyoun6zhxrhs64oiz"},"reason":"mention","record":"hi"}`, false},
		{"huge text is cut", `{"uri":"at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3k43tv4rft22g","author":{"did":"did:plc:ewvi7nxzyoun6zhxrhs64oiz","handle":"a.b","displayName":"` + string(long[:600]) + `"},"reason":"mention","record":{"text":"` + string(long) + `","createdAt":"9999-01-01T00:00:00Z"}}`, true},
	}
	a := &Adapter{Logger: quiet}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in, _, why := notificationInbound([]byte(tt.raw), brandDID, testNow)
			if ok := why == ""; ok != tt.ok {
				t.Fatalf("notificationInbound ok = %v (%s), want %v", ok, why, tt.ok)
			}
			if !tt.ok {
				return
			}
			ev, ok := a.finish(in, []byte(tt.raw))
			if !ok {
				t.Fatal("the event does not validate")
			}
			if len(ev.Inbound.Text) > care.MaxTextBytes || len(ev.Inbound.Author.DisplayName) > care.MaxNameBytes || !ev.Inbound.SentAt.Equal(testNow) {
				t.Errorf("event not bounded: text %d bytes, name %d bytes, sent %v", len(ev.Inbound.Text), len(ev.Inbound.Author.DisplayName), ev.Inbound.SentAt)
			}
		})
	}
}

func TestReplyRefs(t *testing.T) {
	t.Parallel()
	parent := strongRef{URI: "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbq5f7aaaa2y", CID: "bafyreihwgwozmvqxcxrhbr65agcaa4v357p27ccrhzkjf3mz5xiozjvzfa"}
	root := strongRef{URI: brandPost, CID: docCID}
	tests := []struct {
		name   string
		parent strongRef
		rec    *postRecord
		want   replyRef
		ok     bool
	}{
		{"top-level parent is the root", parent, &postRecord{Text: "hi"}, replyRef{Root: parent, Parent: parent}, true},
		{"a reply's root is kept", parent, &postRecord{Reply: &replyRef{Root: root, Parent: root}}, replyRef{Root: root, Parent: parent}, true},
		{"malformed root falls back", parent, &postRecord{Reply: &replyRef{Root: strongRef{URI: "https://x", CID: "?"}}}, replyRef{Root: parent, Parent: parent}, true},
		{"parent without cid", strongRef{URI: parent.URI}, nil, replyRef{}, false},
		{"parent not a post", strongRef{URI: "at://did:plc:x/app.bsky.feed.like/3k", CID: docCID}, nil, replyRef{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := replyRefs(tt.parent, tt.rec)
			if ok != tt.ok || got != tt.want {
				t.Errorf("replyRefs = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// A reply's createRecord input has the documented shape
// (createRecord_reply_request_DOC.json), with the record key beside it.
func TestCreateRecordInputShape(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("testdata/createRecord_reply_request_DOC.json")
	if err != nil {
		t.Fatal(err)
	}
	ref := strongRef{URI: brandPost, CID: docCID}
	ours, err := json.Marshal(createRecordInput{Repo: brandDID, Collection: postCollection, RKey: "3k43tv4rft22h",
		Record: newPost{Type: postCollection, Text: "example of a reply", CreatedAt: "2023-08-07T05:49:40.501974Z",
			Reply: &replyRef{Root: ref, Parent: ref}}})
	if err != nil {
		t.Fatal(err)
	}
	var want, got map[string]any
	if err := json.Unmarshal(doc, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(ours, &got); err != nil {
		t.Fatal(err)
	}
	if got["rkey"] != "3k43tv4rft22h" {
		t.Errorf("rkey = %v", got["rkey"])
	}
	delete(got, "rkey")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("createRecord input (-doc +ours):\n%s", diff)
	}
}

// A quote shows which post it quotes, with words or without, with media
// or without; a link card in a quote's media is shown too.
func TestQuoteText(t *testing.T) {
	t.Parallel()
	const quoted = "https://bsky.app/profile/did:plc:u5cwb2mwiv2bfq53cjufe6yn/post/3k43tv4rft22g"
	ref := `{"uri":"` + brandPost + `","cid":"` + docCID + `"}`
	img := `{"$type":"app.bsky.embed.images","images":[{"alt":"box","image":{"$type":"blob","ref":{"$link":"bafkreibabalobzn6cd366ukcsjycp4yymjymgfxcv6xczmlgpemzkz3cfa"},"mimeType":"image/jpeg","size":1}}]}`
	card := `{"$type":"app.bsky.embed.external","external":{"uri":"https://acme.example/status","title":"Status","description":""}}`
	tests := []struct {
		name, text, embed, want string
	}{
		{"quote with words", "This is not what you promised", `{"$type":"app.bsky.embed.record","record":` + ref + `}`,
			"This is not what you promised\nQuoted " + quoted},
		{"quote without words", "", `{"$type":"app.bsky.embed.record","record":` + ref + `}`, "Quoted " + quoted},
		{"quote with words and an image", "Look at this box",
			`{"$type":"app.bsky.embed.recordWithMedia","record":{"$type":"app.bsky.embed.record","record":` + ref + `},"media":` + img + `}`,
			"Look at this box\nQuoted " + quoted},
		{"quote with a link card", "See",
			`{"$type":"app.bsky.embed.recordWithMedia","record":{"$type":"app.bsky.embed.record","record":` + ref + `},"media":` + card + `}`,
			"See\nhttps://acme.example/status\nQuoted " + quoted},
		{"the link is in the words already", "As you said in " + quoted, `{"$type":"app.bsky.embed.record","record":` + ref + `}`,
			"As you said in " + quoted},
		{"a quoted list is not a post", "Why am I on this list?",
			`{"$type":"app.bsky.embed.record","record":{"uri":"at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.graph.list/3k43tv4rft22g","cid":"` + docCID + `"}}`,
			"Why am I on this list?"},
	}
	a := &Adapter{Logger: quiet}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			raw := `{"uri":"at://` + anaDID + `/app.bsky.feed.post/3lbq6qte3ks2x","cid":"` + docCID + `","author":{"did":"` + anaDID +
				`","handle":"ana.bsky.social"},"reason":"quote","reasonSubject":"` + brandPost + `","record":{"$type":"app.bsky.feed.post","text":"` +
				tt.text + `","createdAt":"2026-11-24T09:59:00.000Z","embed":` + tt.embed + `},"indexedAt":"2026-11-24T09:59:01.000Z"}`
			in, _, why := notificationInbound([]byte(raw), brandDID, testNow)
			if why != "" {
				t.Fatalf("skipped: %s", why)
			}
			ev, ok := a.finish(in, []byte(raw))
			if !ok {
				t.Fatal("the event does not validate")
			}
			if ev.Inbound.Text != tt.want {
				t.Errorf("text = %q, want %q", ev.Inbound.Text, tt.want)
			}
		})
	}
}

// A chat log's deletion is the brand's account hiding a message for
// itself (Bluesky deletes only for the one who deletes): the customer's
// message is not marked deleted.
func TestLogDeletionIsNotTheCustomers(t *testing.T) {
	t.Parallel()
	raw := `{"$type":"chat.bsky.convo.defs#logDeleteMessage","rev":"3lbq7g7777772","convoId":"3ku7w6h4vog2d","message":{"$type":"chat.bsky.convo.defs#deletedMessageView","id":"3lbq7g3333322","rev":"3lbq7g7777772","sender":{"did":"` +
		anaDID + `"},"sentAt":"2024-11-20T18:02:00.000Z"}}`
	if in, why := logInbound([]byte(raw), brandDID, testNow); why == "" {
		t.Errorf("logInbound = %+v, want the entry skipped", in)
	}
}
