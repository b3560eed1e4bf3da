package telegram

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// goldenEvent is an event as the golden files show it.
type goldenEvent struct {
	Inbound care.Inbound `json:"inbound"`
}

type golden struct {
	UpdateID int64         `json:"update_id"`
	Events   []goldenEvent `json:"events"`
	Skipped  []string      `json:"skipped,omitempty"`
}

func secretHeader(secret string) http.Header {
	h := http.Header{}
	h.Set(SecretHeader, secret)
	return h
}

// TestReceiveGolden parses every update in testdata/updates and compares
// the events with testdata/golden (go test -update rewrites them). Every
// event must pass the core's validation and carry the update as its raw
// payload.
func TestReceiveGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/updates/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no updates in testdata/updates: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p := newParser(testInbox(), testNow)
			events, id, err := p.update(body)
			if err != nil {
				t.Fatalf("update: %v", err)
			}
			got := golden{UpdateID: id, Skipped: p.skipped}
			for _, ev := range events {
				checkEvent(t, ev, body)
				got.Events = append(got.Events, goldenEvent{Inbound: ev.Inbound})
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
				t.Errorf("events of %s (-want +got):\n%s", name, diff)
			}
		})
	}
}

// checkEvent asserts what the core relies on: the event validates once the
// core fills in inbox and channel, and its raw payload is the update.
func checkEvent(t *testing.T, ev channel.Event, body []byte) {
	t.Helper()
	in := ev.Inbound
	in.InboxID, in.Channel = 1, care.ChannelTelegram
	if err := in.Validate(); err != nil {
		t.Errorf("event %q does not validate: %v", in.PlatformID, err)
	}
	if !bytes.Equal(ev.Raw, body) {
		t.Errorf("event %q: raw payload is not the update", in.PlatformID)
	}
	if ev.Account != "" {
		t.Errorf("event %q: account %q, want the inbox's own", in.PlatformID, ev.Account)
	}
}

// TestReceive spells out, for the updates a care team meets most, what
// becomes of them.
func TestReceive(t *testing.T) {
	t.Parallel()
	sent := func(unix int64) time.Time { return time.Unix(unix, 0).UTC() }
	customer := care.Author{PlatformUserID: "1111111", DisplayName: "Test Test Lastname", Handle: "Test"}
	for _, tt := range []struct {
		file string
		want []care.Inbound // nil: skipped
	}{
		{"private_text_MODERN", []care.Inbound{{Kind: care.KindMessage, PlatformID: "1111111:1365", Visibility: care.Private,
			Author: customer, Text: "Hi, I need help with my order", SentAt: sent(1441645532)}}},
		{"private_text_WEBHOOKS_GUIDE", []care.Inbound{{Kind: care.KindMessage, PlatformID: "1111111:1365", Visibility: care.Private,
			Author: customer, Text: "/start", SentAt: sent(1441645532)}}},
		{"private_photo_caption_CONSTRUCTED", []care.Inbound{{Kind: care.KindMessage, PlatformID: "1111111:1366", Visibility: care.Private,
			Author: customer, Text: "The box arrived crushed 📦", SentAt: sent(1441645600),
			Attachments: []care.Attachment{{Kind: "image", URL: "telegram-file:AgACAgIAAxkBAAIBY2Z_large", Size: 98211}}}}},
		{"private_reply_quote_CONSTRUCTED", []care.Inbound{{Kind: care.KindMessage, PlatformID: "1111111:1370", ReplyToPlatformID: "1111111:1368",
			Visibility: care.Private, Author: care.Author{PlatformUserID: "1111111", DisplayName: "Test", Handle: "Test"},
			Text: "> your order number\nIt is 5521", SentAt: sent(1441645700)}}},
		{"group_mention_CONSTRUCTED", []care.Inbound{{Kind: care.KindMessage, PlatformID: "-1001987654321:4402", Visibility: care.Public,
			Author: care.Author{PlatformUserID: "3333333", DisplayName: "Maria Lopez", Handle: "mlopez"},
			Text:   "Hi 👋 @Parley_Fake_Bot my order never came", SentAt: sent(1441645830)}}},
		{"group_reply_to_bot_CONSTRUCTED", []care.Inbound{{Kind: care.KindMessage, PlatformID: "-1001987654321:4405",
			ReplyToPlatformID: "-1001987654321:4403", Visibility: care.Public,
			Author: care.Author{PlatformUserID: "3333333", DisplayName: "Maria Lopez", Handle: "mlopez"}, Text: "5533", SentAt: sent(1441645840)}}},
		{"group_chatter_CONSTRUCTED", nil},
		{"edited_message_CONSTRUCTED", []care.Inbound{{Kind: care.KindMessage, PlatformID: "1111111:1370:edit:1441645820",
			ReplyToPlatformID: "1111111:1370", Visibility: care.Private, Author: care.Author{PlatformUserID: "1111111", DisplayName: "Test", Handle: "Test"},
			Text: "[Edited] It is 5512, sorry", SentAt: sent(1441645820)}}},
		{"edited_message_reaction_CONSTRUCTED", nil},
		{"private_text_link_CONSTRUCTED", []care.Inbound{{Kind: care.KindMessage, PlatformID: "1111111:1381", Visibility: care.Private,
			Author: care.Author{PlatformUserID: "1111111", DisplayName: "Test"},
			Text:   "Señor 📦 my tracking page (https://track.example/ZX123?lang=es) says lost, see https://acme.example/help", SentAt: sent(1441645900)}}},
		{"private_successful_payment_CONSTRUCTED", nil},
		{"private_gift_CONSTRUCTED", nil},
		{"private_web_app_data_CONSTRUCTED", nil},
		{"private_paid_media_CONSTRUCTED", []care.Inbound{{Kind: care.KindMessage, PlatformID: "1111111:1385", Visibility: care.Private,
			Author: care.Author{PlatformUserID: "1111111", DisplayName: "Test"},
			Text:   "[Paid media: 2 items for 5 Stars, which Parley cannot show]\nPhotos (https://photos.example/album/77) of the damage, see https://acme.example",
			SentAt: sent(1441645940)}}},
		{"channel_post_CONSTRUCTED", nil},
		{"callback_query_CONSTRUCTED", nil},
		{"private_service_pinned_CONSTRUCTED", nil},
		{"message_reaction_CONSTRUCTED", []care.Inbound{{Kind: care.KindReaction, PlatformID: "1111111:1368:reaction:1111111:10018",
			ReplyToPlatformID: "1111111:1368", Visibility: care.Private, Author: care.Author{PlatformUserID: "1111111", DisplayName: "Test", Handle: "Test"},
			Text: "👍", SentAt: sent(1441645870)}}},
		{"message_reaction_removed_CONSTRUCTED", []care.Inbound{{Kind: care.KindReaction, PlatformID: "1111111:1368:reaction:1111111:10019",
			ReplyToPlatformID: "1111111:1368", Visibility: care.Private, Author: care.Author{PlatformUserID: "1111111", DisplayName: "Test", Handle: "Test"},
			SentAt: sent(1441645880)}}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(filepath.Join("testdata/updates", tt.file+".json"))
			if err != nil {
				t.Fatal(err)
			}
			events, err := (&Adapter{Logger: slog.New(slog.DiscardHandler)}).Receive(secretHeader(testSecret), body, testInbox(), testNow)
			if err != nil {
				t.Fatalf("Receive: %v", err)
			}
			var got []care.Inbound
			for _, ev := range events {
				got = append(got, ev.Inbound)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Receive(%s) (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

// TestReceiveSecret checks that only a request with the inbox's secret is
// read: everything else is EUNAUTHORIZED, so the webhook handler answers
// 401 and stores nothing.
func TestReceiveSecret(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/updates/private_text_MODERN.json")
	if err != nil {
		t.Fatal(err)
	}
	noSecret := testInbox()
	delete(noSecret.Credentials, CredSecretToken)
	repeated := secretHeader(testSecret)
	repeated.Add(SecretHeader, testSecret)
	for _, tt := range []struct {
		name   string
		header http.Header
		inbox  care.Inbox
		ok     bool
	}{
		{"right secret", secretHeader(testSecret), testInbox(), true},
		{"no header", http.Header{}, testInbox(), false},
		{"empty header", secretHeader(""), testInbox(), false},
		{"wrong secret", secretHeader("s3cr3t_T0KEN-for-test"), testInbox(), false},
		{"secret with a suffix", secretHeader(testSecret + "x"), testInbox(), false},
		{"other case", secretHeader(strings.ToUpper(testSecret)), testInbox(), false},
		{"repeated header", repeated, testInbox(), false},
		{"inbox without a secret", secretHeader(""), noSecret, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			events, err := (&Adapter{}).Receive(tt.header, body, tt.inbox, testNow)
			if tt.ok {
				if err != nil || len(events) != 1 {
					t.Errorf("Receive = %d events, %v; want one", len(events), err)
				}
				return
			}
			if care.ErrorCode(err) != care.EUNAUTHORIZED || events != nil {
				t.Errorf("Receive = %v, %v; want EUNAUTHORIZED and no events", events, err)
			}
		})
	}
}

func TestReceiveInvalid(t *testing.T) {
	t.Parallel()
	for _, body := range []string{``, `{"update_id":`, `[]`, `{}`, `{"update_id":0,"message":{}}`, `{"update_id":"10000"}`, `null`} {
		events, err := (&Adapter{}).Receive(secretHeader(testSecret), []byte(body), testInbox(), testNow)
		if care.ErrorCode(err) != care.EINVALID || events != nil {
			t.Errorf("Receive(%q) = %v, %v; want EINVALID", body, events, err)
		}
	}
	// A known update whose parts are of the wrong type is acknowledged,
	// not refused: Telegram would only send it again.
	events, err := (&Adapter{}).Receive(secretHeader(testSecret), []byte(`{"update_id":5,"message":{"message_id":"x","chat":[]}}`), testInbox(), testNow)
	if err != nil || len(events) != 0 {
		t.Errorf("Receive(odd types) = %v, %v; want nothing and no error", events, err)
	}
}

// TestGroupAddressing covers what makes a group message the bot's.
func TestGroupAddressing(t *testing.T) {
	t.Parallel()
	msg := func(text string, ents []entity, replyFrom int64) *message {
		m := &message{MessageID: 9, Chat: chat{ID: -100, Type: "supergroup"}, From: &user{ID: 5, FirstName: "Ana"}, Text: text, Entities: ents}
		if replyFrom != 0 {
			m.ReplyToMessage = &message{MessageID: 8, From: &user{ID: replyFrom}}
		}
		return m
	}
	for _, tt := range []struct {
		name     string
		m        *message
		username string
		want     bool
	}{
		{"mention", msg("@parley_fake_bot help", []entity{{Type: "mention", Offset: 0, Length: 16}}, 0), testUsername, true},
		{"mention in another case", msg("@PARLEY_FAKE_BOT help", []entity{{Type: "mention", Offset: 0, Length: 16}}, 0), testUsername, true},
		{"mention after an emoji", msg("🙏 @parley_fake_bot", []entity{{Type: "mention", Offset: 3, Length: 16}}, 0), testUsername, true},
		{"offset in bytes, not UTF-16", msg("🙏 @parley_fake_bot", []entity{{Type: "mention", Offset: 5, Length: 16}}, 0), testUsername, false},
		{"mention without a known username", msg("@parley_fake_bot help", []entity{{Type: "mention", Offset: 0, Length: 16}}, 0), "", false},
		{"mention of another bot", msg("@other_fake_bot", []entity{{Type: "mention", Offset: 0, Length: 15}}, 0), testUsername, false},
		{"text without an entity", msg("@parley_fake_bot", nil, 0), testUsername, false},
		{"command to the bot", msg("/help@parley_fake_bot", []entity{{Type: "bot_command", Offset: 0, Length: 21}}, 0), testUsername, true},
		{"command to all bots", msg("/help", []entity{{Type: "bot_command", Offset: 0, Length: 5}}, 0), testUsername, false},
		{"text mention of the bot", msg("bot", []entity{{Type: "text_mention", Offset: 0, Length: 3, User: &user{ID: 7000000001}}}, 0), "", true},
		{"reply to the bot", msg("thanks", nil, 7000000001), "", true},
		{"reply to someone else", msg("thanks", nil, 6), testUsername, false},
		{"entity out of range", msg("@p", []entity{{Type: "mention", Offset: 1, Length: 16}}, 0), testUsername, false},
		{"negative offset", msg("@parley_fake_bot", []entity{{Type: "mention", Offset: -1, Length: 16}}, 0), testUsername, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &parser{bot: 7000000001, botUsername: tt.username, now: testNow}
			if got := p.addressed(tt.m); got != tt.want {
				t.Errorf("addressed(%q) = %v, want %v", tt.m.Text, got, tt.want)
			}
		})
	}
}

func TestParseMessageID(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		id        string
		chat, msg int64
		ok        bool
	}{
		{"1111111:1365", 1111111, 1365, true},
		{"-1001987654321:4402", -1001987654321, 4402, true},
		{"1111111:1370:edit:1441645820", 1111111, 1370, true},
		{"1111111", 0, 0, false},
		{"0:5", 0, 0, false},
		{"5:0", 0, 0, false},
		{"5:-1", 0, 0, false},
		{"+5:1", 0, 0, false},
		{"5: 1", 0, 0, false},
		{"99999999999999999999:1", 0, 0, false},
		{"wamid.X:1", 0, 0, false},
		{"01:10", 0, 0, false},
		{"1:010", 0, 0, false},
		{"-0:1", 0, 0, false},
	} {
		chat, msg, ok := ParseMessageID(tt.id)
		if chat != tt.chat || msg != tt.msg || ok != tt.ok {
			t.Errorf("ParseMessageID(%q) = %d, %d, %v; want %d, %d, %v", tt.id, chat, msg, ok, tt.chat, tt.msg, tt.ok)
		}
		if ok && !strings.HasPrefix(tt.id, MessageID(chat, msg)) {
			t.Errorf("MessageID(%d, %d) is not a prefix of %q", chat, msg, tt.id)
		}
	}
}

// TestReceiveLiveLocation follows a customer sharing their live location:
// the message comes once, and the edits by which the customer's app moves
// it (core.telegram.org/api/live-location; Location.live_period,
// core.telegram.org/bots/api#location) are skipped, as is the edit that
// stops it, rather than each becoming an "[Edited]" message.
func TestReceiveLiveLocation(t *testing.T) {
	t.Parallel()
	const from = `"from":{"id":1111111,"is_bot":false,"first_name":"Test"},"chat":{"id":1111111,"first_name":"Test","type":"private"},"date":1795000000`
	for _, tt := range []struct {
		name, body string
		want       []care.Inbound
	}{
		{"shared", `{"update_id":20001,"message":{"message_id":50,` + from + `,"location":{"latitude":52.37,"longitude":4.89,"live_period":900}}}`,
			[]care.Inbound{{Kind: care.KindMessage, PlatformID: "1111111:50", Visibility: care.Private,
				Author: care.Author{PlatformUserID: "1111111", DisplayName: "Test"}, Text: "Shared a live location (52.37,4.89)",
				Attachments: []care.Attachment{{Kind: "location", URL: "geo:52.37,4.89"}}, SentAt: time.Unix(1795000000, 0).UTC()}}},
		{"moved", `{"update_id":20002,"edited_message":{"message_id":50,` + from + `,"edit_date":1795000030,"location":{"latitude":52.371,"longitude":4.891,"live_period":900,"heading":90}}}`, nil},
		{"moved again", `{"update_id":20003,"edited_message":{"message_id":50,` + from + `,"edit_date":1795000060,"location":{"latitude":52.372,"longitude":4.892,"live_period":900}}}`, nil},
		{"stopped", `{"update_id":20004,"edited_message":{"message_id":50,` + from + `,"edit_date":1795000090,"location":{"latitude":52.372,"longitude":4.892}}}`, nil},
		{"a still location", `{"update_id":20005,"message":{"message_id":51,` + from + `,"location":{"latitude":52.37,"longitude":4.89}}}`,
			[]care.Inbound{{Kind: care.KindMessage, PlatformID: "1111111:51", Visibility: care.Private,
				Author: care.Author{PlatformUserID: "1111111", DisplayName: "Test"}, Text: "Shared a location (52.37,4.89)",
				Attachments: []care.Attachment{{Kind: "location", URL: "geo:52.37,4.89"}}, SentAt: time.Unix(1795000000, 0).UTC()}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			events, err := (&Adapter{Logger: slog.New(slog.DiscardHandler)}).Receive(secretHeader(testSecret), []byte(tt.body), testInbox(), testNow)
			if err != nil {
				t.Fatalf("Receive: %v", err)
			}
			var got []care.Inbound
			for _, ev := range events {
				got = append(got, ev.Inbound)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Receive (-want +got):\n%s", diff)
			}
		})
	}
}

// receiveAll runs each body through Receive and returns the events' inbound
// messages, in order.
func receiveAll(t *testing.T, bodies ...string) []care.Inbound {
	t.Helper()
	a := &Adapter{Logger: slog.New(slog.DiscardHandler)}
	var got []care.Inbound
	for _, body := range bodies {
		events, err := a.Receive(secretHeader(testSecret), []byte(body), testInbox(), testNow)
		if err != nil {
			t.Fatalf("Receive(%s): %v", body, err)
		}
		for _, ev := range events {
			checkEvent(t, ev, []byte(body))
			got = append(got, ev.Inbound)
		}
	}
	return got
}

// TestReceiveEdits follows one message through the edited_message updates
// Telegram sends for it. Only a change with an edit_date is an edit:
// Telegram also sends the message unchanged, without edit_date, when it
// gets its first reaction (tdlib/telegram-bot-api#388 and #773; an edit
// date of 0 is a change with no "edited" label, tdlib/td#2294), and that is
// skipped. An edit is named by its edit_date, not its update: delivered
// again, or sent again with the same edit_date when a reaction touches the
// edited message, it is the same edit.
func TestReceiveEdits(t *testing.T) {
	t.Parallel()
	const msg = `"message_id":4420,"from":{"id":3333333,"is_bot":false,"first_name":"Maria"},` +
		`"chat":{"id":-1001987654321,"title":"Acme Users","type":"supergroup"},"date":1795000000`
	mention := func(text string) string {
		return `"text":"@parley_fake_bot ` + text + `","entities":[{"offset":0,"length":16,"type":"mention"}]`
	}
	got := receiveAll(t,
		`{"update_id":910001,"message":{`+msg+`,`+mention("my order 881?")+`}}`,
		`{"update_id":910002,"edited_message":{`+msg+`,`+mention("my order 881?")+`}}`,
		`{"update_id":910003,"edited_message":{`+msg+`,"edit_date":0,`+mention("my order 881?")+`}}`,
		`{"update_id":910004,"edited_message":{`+msg+`,"edit_date":1795000100,`+mention("my order 811?")+`}}`,
		`{"update_id":910005,"edited_message":{`+msg+`,"edit_date":1795000100,`+mention("my order 811?")+`}}`,
		`{"update_id":910009,"edited_message":{`+msg+`,"edit_date":1795000200,`+mention("my order 812?")+`}}`,
	)
	var ids []string
	for _, in := range got {
		ids = append(ids, in.PlatformID)
	}
	want := []string{"-1001987654321:4420", "-1001987654321:4420:edit:1795000100", "-1001987654321:4420:edit:1795000100",
		"-1001987654321:4420:edit:1795000200"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("platform ids (-want +got):\n%s", diff)
	}
	if len(got) == len(want) && (got[1].Text != "[Edited] @parley_fake_bot my order 811?" || got[1].ReplyToPlatformID != "-1001987654321:4420" ||
		!got[1].SentAt.Equal(time.Unix(1795000100, 0))) {
		t.Errorf("edit = %+v", got[1])
	}
}

// TestReceiveTextLinks checks that words linked to an address (a
// text_link entity, core.telegram.org/bots/api#messageentity) keep the
// address, in text and captions, by UTF-16 offsets.
func TestReceiveTextLinks(t *testing.T) {
	t.Parallel()
	link := func(offset, length int, url string) entity {
		return entity{Type: "text_link", Offset: offset, Length: length, URL: url}
	}
	for _, tt := range []struct {
		name, text string
		ents       []entity
		want       string
	}{
		{"ascii", "my tracking page", []entity{link(3, 13, "https://track.example/ZX123")}, "my tracking page (https://track.example/ZX123)"},
		{"after an emoji and an accent", "Señor 📦 see this", []entity{link(13, 4, "https://t.example/a")}, "Señor 📦 see this (https://t.example/a)"},
		{"offset in bytes, not UTF-16", "Señor 📦 see this", []entity{link(16, 4, "https://t.example/a")}, "Señor 📦 see this"},
		{"two links, out of order", "one and two", []entity{link(8, 3, "https://b.example"), link(0, 3, "http://a.example")},
			"one (http://a.example) and two (https://b.example)"},
		{"linked emoji", "look 📦", []entity{link(5, 2, "https://box.example")}, "look 📦 (https://box.example)"},
		{"cuts an emoji in two", "look 📦", []entity{link(5, 1, "https://box.example")}, "look 📦"},
		{"words that are the address", "acme.example/help", []entity{link(0, 17, "https://acme.example/help")}, "acme.example/help"},
		{"words that look like another address", "acme.example", []entity{link(0, 12, "https://evil.example")}, "acme.example (https://evil.example)"},
		{"upper-case scheme", "here", []entity{link(0, 4, "HTTPS://a.example/X")}, "here (HTTPS://a.example/X)"},
		{"overlapping", "abcdef", []entity{link(0, 4, "https://a.example"), link(2, 4, "https://b.example")}, "abcd (https://a.example)ef"},
		{"not a web link", "call me", []entity{link(0, 7, "tg://user?id=1")}, "call me"},
		{"javascript", "x", []entity{link(0, 1, "javascript:alert(1)")}, "x"},
		{"no host", "x", []entity{link(0, 1, "https:///path")}, "x"},
		{"a space in the address", "x", []entity{link(0, 1, "https://a.example/ b")}, "x"},
		{"a hidden character in the address", "x", []entity{link(0, 1, "https://a.example/\u202egnp")}, "x"},
		{"an address too long", "x", []entity{link(0, 1, "https://a.example/"+strings.Repeat("a", maxLinkURL))}, "x"},
		{"out of range", "short", []entity{link(3, 10, "https://a.example")}, "short"},
		{"negative offset", "short", []entity{link(-1, 2, "https://a.example")}, "short"},
		{"other entities", "@bot https://a.example", []entity{{Type: "mention", Offset: 0, Length: 4}, {Type: "url", Offset: 5, Length: 17}}, "@bot https://a.example"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := withLinks(tt.text, tt.ents); got != tt.want {
				t.Errorf("withLinks(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}

	// In a caption, through Receive.
	got := receiveAll(t, `{"update_id":20101,"message":{"message_id":60,"from":{"id":1111111,"first_name":"Test"},"chat":{"id":1111111,"type":"private"},`+
		`"date":1795000000,"document":{"file_id":"BQAC_doc","file_name":"invoice.pdf"},"caption":"😡 see invoice here",`+
		`"caption_entities":[{"offset":7,"length":7,"type":"text_link","url":"https://acme.example/inv/4411"}]}}`)
	if len(got) != 1 || got[0].Text != "😡 see invoice (https://acme.example/inv/4411) here" {
		t.Errorf("caption with a link = %+v", got)
	}
}

// TestReceiveServiceMessages checks that Telegram's service messages
// (core.telegram.org/bots/api#message: payments, refunds, gifts, data
// from a Mini App, …) are skipped rather than shown as the customer's
// words, while a kind Parley does not know still shows.
func TestReceiveServiceMessages(t *testing.T) {
	t.Parallel()
	const head = `{"update_id":20201,"message":{"message_id":61,"from":{"id":1111111,"first_name":"Test"},"chat":{"id":1111111,"type":"private"},"date":1795000000,`
	for _, tt := range []struct {
		field, value string
		want         string // "": skipped
	}{
		{"successful_payment", `{"currency":"XTR","total_amount":50,"invoice_payload":"p","telegram_payment_charge_id":"c","provider_payment_charge_id":""}`, ""},
		{"refunded_payment", `{"currency":"XTR","total_amount":50,"invoice_payload":"p","telegram_payment_charge_id":"c"}`, ""},
		{"gift", `{"gift":{"id":"g1","star_count":15},"text":"thanks!"}`, ""},
		{"unique_gift", `{"gift":{"base_name":"Cap","name":"Cap-1","number":1},"origin":"transfer"}`, ""},
		{"gift_upgrade_sent", `{"gift":{"id":"g1","star_count":15}}`, ""},
		{"web_app_data", `{"data":"{\"order\":5521}","button_text":"Track"}`, ""},
		{"chat_owner_changed", `{"new_owner":{"id":5,"first_name":"B"}}`, ""},
		{"suggested_post_paid", `{"currency":"XTR","star_amount":{"amount":10}}`, ""},
		{"giveaway_completed", `{"winner_count":1}`, ""},
		{"checklist", `{"title":"Return steps","tasks":[{"id":1,"text":"pack"}]}`, "[A Telegram message (checklist) that Parley cannot show yet]"},
	} {
		t.Run(tt.field, func(t *testing.T) {
			t.Parallel()
			got := receiveAll(t, head+`"`+tt.field+`":`+tt.value+`}}`)
			switch {
			case tt.want == "" && len(got) != 0:
				t.Errorf("service message %s = %+v, want it skipped", tt.field, got)
			case tt.want != "" && (len(got) != 1 || got[0].Text != tt.want):
				t.Errorf("message %s = %+v, want %q", tt.field, got, tt.want)
			}
		})
	}
	// A service field beside one Parley does not know is shown, not
	// dropped: it may be something the customer wrote.
	got := receiveAll(t, head+`"gift":{"gift":{"id":"g1"}},"new_kind":{"x":1}}}`)
	if len(got) != 1 || got[0].Text != "[A Telegram message (new_kind) that Parley cannot show yet]" {
		t.Errorf("unknown kind beside a gift = %+v", got)
	}
}

// TestReceivePaidMedia checks that paid media is named, beside its caption
// or alone, rather than dropped.
func TestReceivePaidMedia(t *testing.T) {
	t.Parallel()
	const head = `{"update_id":20301,"message":{"message_id":62,"from":{"id":1111111,"first_name":"Test"},"chat":{"id":1111111,"type":"private"},"date":1795000000,`
	for _, tt := range []struct {
		name, fields, want string
	}{
		{"with a caption", `"paid_media":{"star_count":5,"paid_media":[{"type":"preview"}]},"caption":"pay to see"`,
			"[Paid media: 1 item for 5 Stars, which Parley cannot show]\npay to see"},
		{"alone", `"paid_media":{"star_count":25,"paid_media":[{"type":"photo"},{"type":"video"}]}`,
			"[Paid media: 2 items for 25 Stars, which Parley cannot show]"},
		{"odd numbers", `"paid_media":{"star_count":-3,"paid_media":[]}`, "[Paid media, which Parley cannot show]"},
		{"price of another type", `"paid_media":{"star_count":"5","paid_media":[{"type":"preview"}]},"caption":"x"`,
			"[Paid media: 1 item, which Parley cannot show]\nx"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := receiveAll(t, head+tt.fields+`}}`)
			if len(got) != 1 || got[0].Text != tt.want {
				t.Errorf("paid media = %+v, want %q", got, tt.want)
			}
		})
	}
}
