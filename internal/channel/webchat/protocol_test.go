package webchat

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
)

// decoded is what a golden file records of DecodeClient: the frame, or the
// error's code and message.
type decoded struct {
	Frame *ClientFrame `json:"frame,omitempty"`
	Code  string       `json:"code,omitempty"`
	Error string       `json:"error,omitempty"`
}

// TestDecodeClientGolden decodes every frame in testdata/client and
// compares with its .golden file; go test -update rewrites them.
func TestDecodeClientGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/client/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no frames in testdata/client: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			in, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var got decoded
			if f, err := DecodeClient(in); err != nil {
				got = decoded{Code: care.ErrorCode(err), Error: care.ErrorMessage(err)}
			} else {
				got.Frame = &f
			}
			b, _ := json.MarshalIndent(got, "", "  ")
			b = append(b, '\n')
			golden := strings.TrimSuffix(file, ".json") + ".golden"
			if *updateGolden {
				if err := os.WriteFile(golden, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(b)); diff != "" {
				t.Errorf("DecodeClient(%s) (-want +got):\n%s", file, diff)
			}
		})
	}
}

func TestDecodeClientBounds(t *testing.T) {
	long := strings.Repeat("a", care.MaxTextBytes)
	frame := func(text string) []byte {
		b, _ := json.Marshal(map[string]string{"type": "message", "client_id": "m1", "text": text})
		return b
	}
	tests := []struct {
		name string
		in   []byte
		code string
	}{
		{"text at the limit", frame(long), ""},
		{"text over the limit", frame(long + "b"), care.ETOOLARGE},
		{"text over the limit before trimming, within after", frame("  " + long + "  "), ""},
		{"frame over the limit", append(frame(long), bytes.Repeat([]byte(" "), MaxFrameBytes)...), care.ETOOLARGE},
		{"client id at the limit", []byte(`{"type":"message","client_id":"` + strings.Repeat("z", MaxClientIDBytes) + `","text":"x"}`), ""},
		{"client id over the limit", []byte(`{"type":"message","client_id":"` + strings.Repeat("z", MaxClientIDBytes+1) + `","text":"x"}`), care.EINVALID},
		{"token over the limit", []byte(`{"type":"hello","token":"` + strings.Repeat("t", MaxTokenBytes+1) + `"}`), care.EINVALID},
		{"name over the limit", []byte(`{"type":"identify","name":"` + strings.Repeat("é", MaxNameChars+1) + `"}`), care.EINVALID},
		{"name at the limit", []byte(`{"type":"identify","name":"` + strings.Repeat("é", MaxNameChars) + `"}`), ""},
		{"invalid UTF-8 is replaced by the decoder", []byte("{\"type\":\"message\",\"client_id\":\"m\",\"text\":\"a\xffb\"}"), ""},
		{"empty", nil, care.EINVALID},
		{"null", []byte("null"), care.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := DecodeClient(tt.in)
			if got := care.ErrorCode(err); got != tt.code {
				t.Fatalf("DecodeClient = %+v, %v; want code %q", f, err, tt.code)
			}
			if err == nil && len(f.Text) > care.MaxTextBytes {
				t.Errorf("text of %d bytes accepted", len(f.Text))
			}
		})
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want, code string }{
		{"", "", ""},
		{"  ana@example.com ", "ana@example.com", ""},
		{"Ana.Lima@Example.COM", "Ana.Lima@example.com", ""},
		{"ana+orders@mail.example.co.uk", "ana+orders@mail.example.co.uk", ""},
		{"Ana <ana@example.com>", "", care.EINVALID},
		{"<ana@example.com>", "", care.EINVALID},
		{"ana@example.com (Ana)", "", care.EINVALID},
		{"ana@example.com, bob@example.com", "", care.EINVALID},
		{"ana", "", care.EINVALID},
		{"ana@", "", care.EINVALID},
		{"@example.com", "", care.EINVALID},
		{"ana@localhost", "", care.EINVALID},
		{"ana@[192.0.2.1]", "", care.EINVALID},
		{"ana@example.com\r\nBcc: x@example.com", "", care.EINVALID},
		{strings.Repeat("a", 250) + "@b.co", "", care.EINVALID},
		// Shown to agents as "ana@elpmaxe.com" reversed: never a mailbox.
		{"ana\u202e@example.com", "", care.EINVALID},
		{"ana\u200b@example.com", "", care.EINVALID},
		{"ana\u00a0lima@example.com", "", care.EINVALID},
		{"anaïs@exemple.fr", "anaïs@exemple.fr", ""},
	}
	for _, tt := range tests {
		got, err := NormalizeEmail(tt.in)
		if got != tt.want || care.ErrorCode(err) != tt.code {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q, code %q", tt.in, got, err, tt.want, tt.code)
		}
	}
}

func TestNormalizeText(t *testing.T) {
	tests := []struct{ in, want, code string }{
		{"hi", "hi", ""},
		{"  a\r\nb\rc\n ", "a\nb\nc", ""},
		{"tab\there", "tab\there", ""},
		{"nul\x00bell\x07esc\x1bdel\x7fc1\u0085", "nulbellescdelc1", ""},
		{"\u200b", "\u200b", ""}, // a zero-width space is text, if odd
		{" \t\r\n ", "", care.EINVALID},
		{"\x00", "", care.EINVALID},
		{"a\xffb", "", care.EINVALID},
	}
	for _, tt := range tests {
		got, err := NormalizeText(tt.in)
		if got != tt.want || care.ErrorCode(err) != tt.code {
			t.Errorf("NormalizeText(%q) = %q, %v; want %q, code %q", tt.in, got, err, tt.want, tt.code)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want, code string }{
		{"", "", ""},
		{"  Ana   Lima ", "Ana Lima", ""},
		{"Ana\tLima", "Ana Lima", ""},
		{"Ana\nLima", "", care.EINVALID},
		{"Ana\x00", "", care.EINVALID},
		// Bidirectional overrides and zero-width spaces go, as
		// channel.CleanName drops them from every other channel's names.
		{"Ana\u202egnp.exe", "Anagnp.exe", ""},
		{"A\u200bna \u2066Lima\u2069", "Ana Lima", ""},
		{"\u200b\u200b", "", ""},
		{"Ana \u00a0 Lima", "Ana Lima", ""},
		{"👩\u200d💻 Ana", "👩\u200d💻 Ana", ""},
	}
	for _, tt := range tests {
		got, err := NormalizeName(tt.in)
		if got != tt.want || care.ErrorCode(err) != tt.code {
			t.Errorf("NormalizeName(%q) = %q, %v; want %q, code %q", tt.in, got, err, tt.want, tt.code)
		}
	}
}

// TestServerFramesGolden pins the server's frames, the protocol the widget
// and other clients read.
func TestServerFramesGolden(t *testing.T) {
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	frames := []struct {
		name string
		v    any
	}{
		{"welcome", Welcome{Type: TypeWelcome, Token: testToken, Visitor: Visitor{ID: testVisitor, Name: "Ana Lima", Email: "ana@example.com"},
			AgentsAvailable: true, Inbox: InboxInfo{Title: "Acme", Greeting: DefaultGreeting, OfflineMessage: DefaultOfflineMessage, Color: DefaultColor},
			History: []Message{
				{ID: 41, Direction: care.DirectionIn, Text: "Where is my order?", SentAt: at, ClientID: "m1"},
				{ID: 42, Direction: care.DirectionOut, Text: "On its way!", Author: "Dana", SentAt: at.Add(time.Minute)},
			}}},
		{"welcome-new", Welcome{Type: TypeWelcome, Token: testToken, Visitor: Visitor{ID: testVisitor}, Inbox: InboxInfo{Title: "Acme"}, History: []Message{}}},
		{"ack", Ack{Type: TypeAck, ClientID: "m1", ID: 9}},
		{"message", Message{Type: TypeMessage, ID: 42, Direction: care.DirectionOut, Text: "On its way!", Author: "Dana", SentAt: at}},
		{"typing", TypingFrame{Type: TypeTyping, On: true, Name: "Dana"}},
		{"visitor", VisitorFrame{Type: TypeVisitor, Visitor: Visitor{ID: testVisitor, Name: "Ana Lima", Email: "ana@example.com"}}},
		{"error", Error{Type: TypeError, Code: CodeRateLimited, Message: "Too many messages at once; slow down.", ClientID: "m1"}},
	}
	for _, f := range frames {
		t.Run(f.name, func(t *testing.T) {
			b, err := json.Marshal(f.v)
			if err != nil {
				t.Fatal(err)
			}
			var pretty bytes.Buffer
			json.Indent(&pretty, b, "", "  ")
			pretty.WriteByte('\n')
			golden := filepath.Join("testdata", "server", f.name+".json")
			if *updateGolden {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), pretty.String()); diff != "" {
				t.Errorf("%s frame (-want +got):\n%s", f.name, diff)
			}
			// What clients decode is what was sent.
			var sf ServerFrame
			if err := json.Unmarshal(b, &sf); err != nil || sf.Type == "" {
				t.Errorf("ServerFrame decode = %+v, %v", sf, err)
			}
		})
	}
}
