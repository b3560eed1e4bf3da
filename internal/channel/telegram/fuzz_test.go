package telegram

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Fuzz targets for every decoder of untrusted input. Run one with, e.g.,
// go test -run '^$' -fuzz FuzzReceive -fuzztime 30s ./internal/channel/telegram

func FuzzReceive(f *testing.F) {
	files, _ := filepath.Glob("testdata/updates/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"update_id":1,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"from":{"id":1},"text":"\u0000\ud800"}}`))
	f.Add([]byte(`{"update_id":1,"message":{"message_id":1,"chat":{"id":-1,"type":"group"},"from":{"id":1},"text":"@parley_fake_bot","entities":[{"type":"mention","offset":0,"length":99999}]}}`))
	f.Add([]byte(`{"update_id":2,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"from":{"id":1},"text":"📦 a b","entities":[{"type":"text_link","offset":1,"length":3,"url":"https://x.example"},{"type":"text_link","offset":3,"length":2,"url":"http://y.example"}]}}`))
	f.Add([]byte(`{"update_id":3,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"from":{"id":1},"paid_media":{"star_count":9223372036854775807,"paid_media":[{}]},"caption":"c","caption_entities":[{"type":"text_link","offset":0,"length":1,"url":"https://c.example"}]}}`))
	f.Add([]byte(`{"update_id":4,"edited_message":{"message_id":1,"chat":{"id":1,"type":"private"},"from":{"id":1},"edit_date":0,"text":"x"}}`))
	f.Add([]byte(`{"update_id":9223372036854775807,"edited_message":{"message_id":9223372036854775807,"chat":{"id":-9223372036854775808,"type":"supergroup"},"from":{"id":1},"date":-1,"edit_date":99999999999}}`))
	f.Add([]byte(`{"update_id":5,"message":{"message_id":815,"message_thread_id":812,"from":{"id":4},"chat":{"id":-1001,"type":"supergroup"},"text":"c","reply_to_message":{"message_id":812,"chat":{"id":-1001},"is_automatic_forward":true,"sender_chat":{"id":-1002,"title":"\u0000","type":"channel"},"forward_origin":{"type":"channel","chat":{"id":-1002,"username":"a/b"},"message_id":-1}}}}`))
	a := &Adapter{Logger: slog.New(slog.DiscardHandler)}
	in := testInbox()
	h := secretHeader(testSecret)
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := a.Receive(h, body, in, testNow)
		if err != nil {
			if c := care.ErrorCode(err); c != care.EINVALID {
				t.Fatalf("Receive = %v, want nil or EINVALID", err)
			}
			return
		}
		if len(events) > 1 {
			t.Fatalf("Receive made %d events of one update", len(events))
		}
		for _, ev := range events {
			checkEvent(t, ev, body)
			if ev.Inbound.SentAt.Before(time.Unix(telegramEpoch, 0)) || ev.Inbound.SentAt.After(testNow.Add(24*time.Hour)) {
				t.Fatalf("implausible sent_at %v", ev.Inbound.SentAt)
			}
		}
	})
}

// FuzzJoinAlbums: the updates of a polled page, album parts or not, are
// joined into events the core accepts, never more than the updates.
func FuzzJoinAlbums(f *testing.F) {
	f.Add(albumPart(1, 10, "g", testNow, "a"), albumPart(2, 11, "g", testNow, "b"))
	f.Add(albumPart(1, 10, "g", testNow, ""), []byte(`{"update_id":2,"message":{"message_id":11,"from":{"id":9},"chat":{"id":9,"type":"private"},"media_group_id":"g","sticker":{"file_id":"x"}}}`))
	f.Fuzz(func(t *testing.T, first, second []byte) {
		p := newParser(testInbox(), testNow)
		var page []polled
		for _, raw := range [][]byte{first, second} {
			key, _ := album(raw)
			evs, _, _ := p.update(raw)
			for _, ev := range evs {
				page = append(page, polled{ev: ev, album: key, raw: raw})
			}
		}
		events := joinAlbums(page)
		if len(events) > len(page) {
			t.Fatalf("%d events of %d", len(events), len(page))
		}
		for _, ev := range events {
			in := ev.Inbound
			in.InboxID, in.Channel = 1, care.ChannelTelegram
			if err := in.Validate(); err != nil {
				t.Fatalf("event %+v: %v", in, err)
			}
			if !json.Valid(ev.Raw) {
				t.Fatalf("raw %q", ev.Raw)
			}
		}
	})
}

func FuzzParseMessageID(f *testing.F) {
	f.Add("1111111:1365")
	f.Add("-1001987654321:4402:edit:1441645820")
	f.Add("1:2:reaction:3:4")
	f.Fuzz(func(t *testing.T, id string) {
		chat, msg, ok := ParseMessageID(id)
		if !ok {
			return
		}
		if chat == 0 || msg <= 0 || !strings.HasPrefix(id, MessageID(chat, msg)) {
			t.Fatalf("ParseMessageID(%q) = %d, %d", id, chat, msg)
		}
	})
}

func FuzzParseCursor(f *testing.F) {
	f.Add("100004:1795514400")
	f.Add("1:0")
	f.Fuzz(func(t *testing.T, c string) {
		offset, seen, ok := parseCursor(c)
		if !ok {
			return
		}
		o2, s2, ok2 := parseCursor(formatCursor(offset, seen))
		if offset <= 0 || !ok2 || o2 != offset || !s2.Equal(seen) {
			t.Fatalf("parseCursor(%q) = %d, %v does not round-trip", c, offset, seen)
		}
	})
}

func FuzzEntityTexts(f *testing.F) {
	f.Add("Hi 👋 @parley_fake_bot", 6, 16)
	f.Add("\xff\xfe", 0, 1)
	f.Fuzz(func(t *testing.T, text string, offset, length int) {
		for _, s := range entityTexts(text, []entity{{Type: "mention", Offset: offset, Length: length}}, "mention") {
			if !utf8.ValidString(s) || len(s) > 4*maxEntityLength {
				t.Fatalf("entity text %q", s)
			}
		}
	})
}

// FuzzWithLinks checks that showing a text link's address only ever adds
// " (address)" to the text, once, for a web address.
func FuzzWithLinks(f *testing.F) {
	f.Add("my tracking page", 3, 13, "https://track.example/ZX123")
	f.Add("Señor 📦 see this", 13, 4, "https://t.example/a")
	f.Add("look 📦", 5, 1, "https://box.example")
	f.Add("a (https://a.example) b", 22, 1, "https://a.example")
	f.Add("x", 0, 1, "tg://user?id=1")
	f.Fuzz(func(t *testing.T, text string, offset, length int, addr string) {
		if !utf8.ValidString(text) {
			return
		}
		got := withLinks(text, []entity{{Type: "text_link", Offset: offset, Length: length, URL: addr}})
		if got == text {
			return
		}
		if !utf8.ValidString(got) || !webLink(addr) {
			t.Fatalf("withLinks(%q, %q) = %q", text, addr, got)
		}
		added := " (" + addr + ")"
		for i := 0; i+len(added) <= len(got); i++ {
			if got[i:i+len(added)] == added && got[:i]+got[i+len(added):] == text {
				return
			}
		}
		t.Fatalf("withLinks(%q, %q) = %q: more than the address was added", text, addr, got)
	})
}

// FuzzAPIError classifies arbitrary Bot API error answers.
func FuzzAPIError(f *testing.F) {
	f.Add(429, []byte(`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}`), "")
	f.Add(403, []byte(`{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`), "")
	f.Add(400, []byte(`{"ok":false,"error_code":400,"description":"x","parameters":{"migrate_to_chat_id":-5}}`), "10")
	f.Add(502, []byte(`{"ok":false,"error_code":-9223372036854775808,"description":"\u0000\n"}`), "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		var env response
		if json.Unmarshal(body, &env) != nil || status < 100 || status > 999 {
			return
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		resp.Header.Set("Retry-After", retryAfter)
		se := apiError("sendMessage", resp, &env, testNow)
		if se.RetryAfter < 0 || se.RetryAfter > channel.MaxRetryAfter || se.Permanent && se.RetryAfter != 0 {
			t.Fatalf("RetryAfter %v (permanent %v)", se.RetryAfter, se.Permanent)
		}
		if !utf8.ValidString(se.Reason) || strings.ContainsAny(se.Reason, "\x00\r\n") || len(se.Reason) > 400 {
			t.Fatalf("reason %q is not one short line of text", se.Reason)
		}
	})
}
