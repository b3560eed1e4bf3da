package webchat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// Fuzz targets for every decoder of what a browser sends. Run one with, e.g.,
// go test -run '^$' -fuzz FuzzDecodeClient -fuzztime 30s ./internal/channel/webchat

func FuzzDecodeClient(f *testing.F) {
	files, _ := filepath.Glob("testdata/client/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"message","client_id":"a","text":"\u0000\ud800\u2028"}`))
	f.Add([]byte(`{"type":"identify","email":"\"a b\"@example.com","name":"\u202eevil"}`))
	f.Add([]byte(`{"type":"seen","id":9223372036854775807}`))
	f.Add([]byte(`{"type":"message","type":"hello","client_id":"x","text":"y"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := DecodeClient(data)
		if err != nil {
			if c := care.ErrorCode(err); c != care.EINVALID && c != care.ETOOLARGE {
				t.Fatalf("DecodeClient error %v, want EINVALID or ETOOLARGE", err)
			}
			return
		}
		switch fr.Type {
		case TypeHello:
			if len(fr.Token) > MaxTokenBytes {
				t.Fatalf("token of %d bytes", len(fr.Token))
			}
		case TypeMessage:
			// What is accepted must make a valid inbound event.
			in := care.Inbound{Kind: care.KindMessage, InboxID: 1, Channel: care.ChannelWebChat, PlatformID: testVisitor + ":" + fr.ClientID,
				Visibility: care.Private, Author: care.Author{PlatformUserID: VisitorUserID(testVisitor), DisplayName: anonymousName(testVisitor)}, Text: fr.Text}
			if err := in.Validate(); err != nil {
				t.Fatalf("accepted message makes an invalid event: %v", err)
			}
			if v, c, ok := VisitorOf(in.PlatformID); !ok || v != testVisitor || c != fr.ClientID {
				t.Fatalf("platform id %q does not parse back", in.PlatformID)
			}
			if fr.Text != strings.TrimSpace(fr.Text) || strings.ContainsRune(fr.Text, '\r') {
				t.Fatalf("text not normalised: %q", fr.Text)
			}
		case TypeIdentify:
			if !utf8.ValidString(fr.Name) || utf8.RuneCountInString(fr.Name) > MaxNameChars || len(fr.Email) > MaxEmailBytes ||
				(fr.Email != "" && !strings.Contains(fr.Email, "@")) || (fr.Name == "" && fr.Email == "") {
				t.Fatalf("identify accepted %q <%q>", fr.Name, fr.Email)
			}
			a := care.Author{PlatformUserID: VisitorUserID(testVisitor), DisplayName: fr.Name, Handle: fr.Email}
			in := care.Inbound{InboxID: 1, Channel: care.ChannelWebChat, PlatformID: testVisitor + ":m", Visibility: care.Private, Author: a, Text: "x"}
			if err := in.Validate(); err != nil {
				t.Fatalf("identified author makes an invalid event: %v", err)
			}
		case TypeSeen:
			if fr.ID <= 0 {
				t.Fatalf("seen id %d", fr.ID)
			}
		case TypeTyping:
		default:
			t.Fatalf("accepted frame type %q", fr.Type)
		}
	})
}

func FuzzVerifyVisitor(f *testing.F) {
	f.Add(testToken)
	f.Add("v1." + testVisitor + ".")
	f.Add("v1..")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		id, ok := VerifyVisitor(testSecret, 7, token)
		if !ok {
			return
		}
		// Only a token this secret made verifies: the one for its id.
		if !validVisitorID(id) || token != SignVisitor(testSecret, 7, id) {
			t.Fatalf("VerifyVisitor(%q) = %q", token, id)
		}
	})
}

func FuzzOriginAllowed(f *testing.F) {
	for _, s := range []string{"https://shop.example.com", "https://eu.example.org", "http://localhost:3000", "null", "",
		"https://shop.example.com.evil.com", "https://SHOP.example.com:443", "https://x@shop.example.com", "https://shop.example.com\x00"} {
		f.Add(s)
	}
	allowed := []string{"https://shop.example.com", "https://*.example.org"}
	f.Fuzz(func(t *testing.T, origin string) {
		if !OriginAllowed(origin, allowed, nil) {
			return
		}
		o, ok := normalizeOrigin(origin, false)
		if !ok || !(o == "https://shop.example.com" || strings.HasPrefix(o, "https://") && strings.HasSuffix(o, ".example.org") && len(o) > len("https://.example.org")) {
			t.Fatalf("OriginAllowed(%q) = true for %q", origin, o)
		}
	})
}
