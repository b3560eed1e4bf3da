package care_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/parleyhq/parley/internal/care"
)

// sentinel is what ParseJSON must leave alone when it declines.
func sentinel() care.Inbound {
	return care.Inbound{Kind: care.KindEcho, Text: "untouched", Attachments: []care.Attachment{{Kind: "file"}}, Rating: 3}
}

// checkParse fails if ParseJSON accepts data and decodes other than
// json.Unmarshal into a zero Inbound does, or if it declines data and
// still changes its receiver. It reports whether ParseJSON accepted.
func checkParse(t interface {
	Helper()
	Fatalf(string, ...any)
}, data []byte) bool {
	t.Helper()
	got := sentinel()
	if !got.ParseJSON(data) {
		if want := sentinel(); !reflect.DeepEqual(got, want) {
			t.Fatalf("ParseJSON declined %q but changed its receiver to %+v", data, got)
		}
		return false
	}
	var want care.Inbound
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatalf("ParseJSON accepted %q, which json.Unmarshal refuses: %v", data, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseJSON of %q differs from json.Unmarshal\n got: %+v\nwant: %+v", data, got, want)
	}
	var viaString care.Inbound
	if !viaString.ParseJSONString(string(data)) || !reflect.DeepEqual(viaString, want) {
		t.Fatalf("ParseJSONString of %q differs from ParseJSON", data)
	}
	return true
}

func TestParseJSONReadsAppendJSON(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		v := new(care.Inbound)
		drawValue(rt, reflect.ValueOf(v).Elem(), "Inbound")
		data := v.AppendJSON(nil)
		if data == nil {
			rt.Skip("json.Marshal refuses the value")
		}
		if !checkParse(rt, data) {
			rt.Fatalf("ParseJSON declined what AppendJSON wrote: %s", data)
		}
	})
}

// TestParseJSONKnowsEveryField sets one field at a time, nested fields
// all set: a field added to Inbound and not to the parser fails here,
// naming the field, where it would otherwise only send every stored
// event the slow way.
func TestParseJSONKnowsEveryField(t *testing.T) {
	typ := reflect.TypeFor[care.Inbound]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		t.Run(f.Name, func(t *testing.T) {
			var v care.Inbound
			fill(t, reflect.ValueOf(&v).Elem().Field(i), f.Name)
			if data := v.AppendJSON(nil); !checkParse(t, data) {
				t.Fatalf("ParseJSON declined %s", data)
			}
		})
	}
	t.Run("all", func(t *testing.T) {
		var v care.Inbound
		fill(t, reflect.ValueOf(&v).Elem(), "Inbound")
		if data := v.AppendJSON(nil); !checkParse(t, data) {
			t.Fatalf("ParseJSON declined %s", data)
		}
	})
}

const sentAt = `"sent_at":"2026-03-01T09:30:12.345678Z"`

func TestParseJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		ok   bool
		text string // the Text it decodes, when ok and not ""
	}{
		{"minimal", `{"inbox_id":1,"channel":"api","platform_id":"m-1","visibility":"private","author":{"platform_user_id":"c"},"text":"hi",` + sentAt + `}`, true, "hi"},
		{"empty object", `{}`, true, ""},
		{"every field", `{"kind":"message","inbox_id":7,"channel":"x","platform_id":"p","reply_to_platform_id":"q","visibility":"public",` +
			`"author":{"platform_user_id":"u","display_name":"D","handle":"@h","followers":-9223372036854775808,"verified":true,"account_created":"2020-02-29T23:59:59+05:30"},` +
			`"text":"t","attachments":[{"kind":"image","url":"u","mime_type":"image/png","name":"n","size":9223372036854775807},{"kind":"file"}],"subject":"s",` +
			sentAt + `,"status":"read","status_reason":"r","charge":"c","linked_platform_id":"l","engagement":5,"rating":4,"references":["a","b"],"agent":"a@b","new_thread":true,"group":"g","read_up_to":true}`, true, "t"},
		{"empty and null slices", `{"attachments":[],"references":null}`, true, ""},
		{"null account created", `{"author":{"account_created":null}}`, true, ""},
		{"false and zero", `{"inbox_id":0,"author":{"verified":false},"engagement":-0,"new_thread":false}`, true, ""},

		{"simple escapes", `{"text":"\"\\\/\b\f\n\r\t"}`, true, "\"\\/\b\f\n\r\t"},
		{"html escapes", `{"text":"\u003ca\u003e \u0026 \u2028\u2029"}`, true, "<a> & \u2028\u2029"},
		{"upper-case hex", `{"text":"\u00E9\u00e9"}`, true, "éé"},
		{"nul", `{"text":"\u0000"}`, true, "\x00"},
		{"surrogate pair", `{"text":"\ud83d\ude42"}`, true, "🙂"},
		{"lone high surrogate", `{"text":"\ud83dx"}`, true, "\ufffdx"},
		{"lone high surrogate at the end", `{"text":"\ud83d"}`, true, "\ufffd"},
		{"lone low surrogate", `{"text":"\ude42\ud83d"}`, true, "\ufffd\ufffd"},
		{"high surrogate then escape", `{"text":"\ud83d\u0041"}`, true, "\ufffdA"},
		{"two high surrogates", `{"text":"\ud83d\ud83d\ude42"}`, true, "\ufffd🙂"},
		{"invalid UTF-8", `{"text":"a` + "\xff\xc3(\xed\xa0\x80" + `b"}`, true, "a\ufffd\ufffd(\ufffd\ufffd\ufffdb"},
		{"invalid UTF-8 after an escape", `{"text":"\n` + "\xe2\x80" + `"}`, true, "\n\ufffd\ufffd"},
		{"raw multi-byte", `{"text":"日本 🙂 é"}`, true, "日本 🙂 é"},
		{"raw DEL and U+2028", "{\"text\":\"\x7f\u2028\"}", true, "\x7f\u2028"},
		{"time in a zone", `{"sent_at":"2024-02-29T13:04:05.6007008+05:30"}`, true, ""},

		{"space after brace", `{ "text":"a"}`, false, ""},
		{"space after colon", `{"text": "a"}`, false, ""},
		{"space after comma", `{"inbox_id":1, "text":"a"}`, false, ""},
		{"newline at end", "{\"text\":\"a\"}\n", false, ""},
		{"space before", ` {"text":"a"}`, false, ""},
		{"space in an array", `{"references":["a", "b"]}`, false, ""},
		{"reordered keys", `{"text":"a","inbox_id":1}`, false, ""},
		{"reordered author keys", `{"author":{"handle":"h","display_name":"d"}}`, false, ""},
		{"unknown key", `{"inbox_id":1,"extra":2}`, false, ""},
		{"unknown key first", `{"extra":2,"inbox_id":1}`, false, ""},
		{"unknown attachment key", `{"attachments":[{"kind":"a","width":3}]}`, false, ""},
		{"duplicate key", `{"text":"a","text":"b"}`, false, ""},
		{"other case", `{"Text":"a"}`, false, ""},
		{"escaped key", `{"\u0074ext":"a"}`, false, ""},
		{"null", `null`, false, ""},
		{"array", `[]`, false, ""},
		{"empty", ``, false, ""},
		{"trailing comma", `{"text":"a",}`, false, ""},
		{"trailing data", `{"text":"a"}{}`, false, ""},
		{"unterminated", `{"text":"a}`, false, ""},
		{"unterminated escape", `{"text":"\`, false, ""},
		{"fraction", `{"inbox_id":1.0}`, false, ""},
		{"exponent", `{"inbox_id":1e3}`, false, ""},
		{"leading zero", `{"inbox_id":01}`, false, ""},
		{"plus sign", `{"inbox_id":+1}`, false, ""},
		{"lone minus", `{"inbox_id":-}`, false, ""},
		{"overflow", `{"inbox_id":9223372036854775808}`, false, ""},
		{"quoted number", `{"inbox_id":"1"}`, false, ""},
		{"null string", `{"text":null}`, false, ""},
		{"null time", `{"sent_at":null}`, false, ""},
		{"null element", `{"references":[null]}`, false, ""},
		{"bool as number", `{"new_thread":1}`, false, ""},
		{"bad literal", `{"new_thread":tru}`, false, ""},
		{"control character", "{\"text\":\"a\nb\"}", false, ""},
		{"single-quote escape", `{"text":"\'"}`, false, ""},
		{"unknown escape", `{"text":"\x41"}`, false, ""},
		{"short unicode escape", `{"text":"\u00e"}`, false, ""},
		{"bad hex", `{"text":"\u00eg"}`, false, ""},
		{"surrogate then bad hex", `{"text":"\ud83d\ude4g"}`, false, ""},
		{"escape in a time", `{"sent_at":"\u0032026-03-01T09:30:12Z"}`, false, ""},
		{"not RFC 3339", `{"sent_at":"2026-03-01 09:30:12Z"}`, false, ""},
		{"time year 10000", `{"sent_at":"10000-01-01T00:00:00Z"}`, false, ""},
		{"unclosed array", `{"references":["a"}`, false, ""},
		{"missing comma", `{"inbox_id":1"text":"a"}`, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if ok := checkParse(t, []byte(tc.data)); ok != tc.ok {
				t.Fatalf("ParseJSON(%q) = %v, want %v", tc.data, ok, tc.ok)
			}
			if tc.text != "" {
				var in care.Inbound
				in.ParseJSON([]byte(tc.data))
				if in.Text != tc.text {
					t.Fatalf("Text = %q, want %q", in.Text, tc.text)
				}
			}
		})
	}
}

// FuzzInboundParseJSON checks that ParseJSON accepts nothing json.Unmarshal
// decodes otherwise, changes nothing when it declines, and declines
// nothing AppendJSON writes.
func FuzzInboundParseJSON(f *testing.F) {
	at := time.Date(2024, 2, 29, 13, 4, 5, 600700800, time.FixedZone("", 5*3600+1800))
	for _, v := range []care.Inbound{
		{},
		{InboxID: 1, Channel: care.ChannelAPI, PlatformID: "m-1", Visibility: care.Private, Text: "hi", SentAt: at,
			Author: care.Author{PlatformUserID: "c", DisplayName: "C", Handle: "@c", Followers: 38000}},
		{Kind: care.KindStatus, PlatformID: "p", Status: care.DeliveryFailed, StatusReason: "x<y> & \"z\"", Charge: "c", Engagement: -1, Rating: 5,
			References: []string{"a", ""}, Agent: "a@b", NewThread: true, Group: "9:9:13518", ReadUpTo: true, Attachments: []care.Attachment{{Kind: "image", URL: "u", Size: 1}},
			Author: care.Author{Verified: true, AccountCreated: &at}, Text: "\xff\u2028\ud7ff\U0001f642\t\x00"},
	} {
		f.Add(v.AppendJSON(nil))
	}
	for _, s := range []string{
		`{"text":"\ud83d\ude42\ud83d\u0041\ude42"}`,
		`{"text":"\"\\\/\b\f\n\r\t\u00E9"}`,
		`{ "text":"a"}`,
		`{"text":"a","inbox_id":1}`,
		`{"text":"a","text":"b"}`,
		`{"inbox_id":1e3,"rating":-0}`,
		`{"references":[],"attachments":null}`,
		`{"sent_at":"2026-03-01T09:30:12.345678Z"}`,
		`{"author":{"account_created":null}}`,
		"{\"text\":\"\xed\xa0\x80\xc0\xaf\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if checkParse(t, data) {
			return
		}
		var v care.Inbound
		if json.Unmarshal(data, &v) != nil {
			return
		}
		if bytes.Equal(v.AppendJSON(nil), data) {
			t.Fatalf("ParseJSON declined %q, which AppendJSON writes", data)
		}
	})
}

// BenchmarkParseJSON compares with json.Unmarshal on a typical stored
// inbound message.
func BenchmarkParseJSON(b *testing.B) {
	in := care.Inbound{InboxID: 7, Channel: care.ChannelX, PlatformID: "1790000000000000001", Visibility: care.Public,
		Author: care.Author{PlatformUserID: "cust-000042", DisplayName: "Customer 42", Handle: "@cust42", Followers: 38000},
		Text:   "@brand my order #4471 still hasn't arrived & nobody answers <sigh>", SentAt: time.Date(2026, 3, 1, 9, 30, 12, 345678000, time.UTC)}
	data := in.AppendJSON(nil)
	s := string(data)
	b.Run("ParseJSONString", func(b *testing.B) {
		for b.Loop() {
			var v care.Inbound
			if !v.ParseJSONString(s) {
				b.Fatal("declined")
			}
		}
	})
	b.Run("Unmarshal", func(b *testing.B) {
		for b.Loop() {
			var v care.Inbound
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
