package meta_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/meta"
)

// Vectors computed over the exact bytes of testdata/unicode_escaped_body.json
// (the fixture of shared/channel-samples/meta) with secret "test_app_secret".
// Meta signs the body with non-ASCII escaped as \uXXXX; the "decoded" vector
// is what a receiver gets if it re-encodes the body as UTF-8 first, and must
// not verify.
const (
	vectorSecret  = "test_app_secret"
	vectorEscaped = "sha256=8a836a0ff3810f4c5b8bf87e0e788aa20b9705214bb7da9d95e28bbf8050e1de"
	vectorDecoded = "sha256=52efecfe0506c616779b761a29698adc593ccf3a2ae0e3379b5924f0ba0813f2"
)

func TestSignKnownVector(t *testing.T) {
	body, err := os.ReadFile("testdata/unicode_escaped_body.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := meta.Sign(vectorSecret, body); got != vectorEscaped {
		t.Errorf("Sign(escaped body) = %s, want %s", got, vectorEscaped)
	}
	decoded := strings.NewReplacer(`\u00ed`, "í", `\u00e4`, "ä", `\u00f6`, "ö", `\u00e5`, "å").Replace(string(body))
	if got := meta.Sign(vectorSecret, []byte(decoded)); got != vectorDecoded {
		t.Errorf("Sign(decoded body) = %s, want %s", got, vectorDecoded)
	}
}

func TestVerify(t *testing.T) {
	body, err := os.ReadFile("testdata/unicode_escaped_body.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, secret, header string
		want                 bool
	}{
		{"escaped vector", vectorSecret, vectorEscaped, true},
		{"upper-case hex", vectorSecret, "sha256=" + strings.ToUpper(strings.TrimPrefix(vectorEscaped, "sha256=")), true},
		{"signature of the decoded body", vectorSecret, vectorDecoded, false},
		{"wrong secret", "other", vectorEscaped, false},
		{"empty secret", "", meta.Sign("", body), false},
		{"no prefix", vectorSecret, strings.TrimPrefix(vectorEscaped, "sha256="), false},
		{"sha1 header style", vectorSecret, "sha1=" + strings.TrimPrefix(vectorEscaped, "sha256="), false},
		{"truncated", vectorSecret, vectorEscaped[:len(vectorEscaped)-2], false},
		{"not hex", vectorSecret, "sha256=" + strings.Repeat("zz", 32), false},
		{"empty", vectorSecret, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := meta.Verify(tt.secret, body, tt.header); got != tt.want {
				t.Errorf("Verify(%q, body, %q) = %v, want %v", tt.secret, tt.header, got, tt.want)
			}
		})
	}
}

func TestReceiveSignature(t *testing.T) {
	body, err := os.ReadFile("testdata/unicode_escaped_body.json")
	if err != nil {
		t.Fatal(err)
	}
	in := care.Inbox{Channel: care.ChannelFacebook, ExternalID: "1", Credentials: map[string]string{meta.CredAppSecret: vectorSecret}}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, a := range adapters() {
		h := http.Header{}
		h.Set(meta.SignatureHeader, vectorEscaped)
		// A WhatsApp delivery to the same app verifies but holds nothing
		// for the Page and Instagram adapters.
		evs, err := a.Receive(h, body, in, now)
		if err != nil || len(evs) != 0 {
			t.Errorf("%T.Receive(whatsapp object, good signature) = %v, %v; want no events, nil", a, evs, err)
		}
		h.Set(meta.SignatureHeader, vectorDecoded)
		if _, err := a.Receive(h, body, in, now); care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Errorf("%T.Receive(decoded-body signature) error = %v, want %s", a, err, care.EUNAUTHORIZED)
		}
		if _, err := a.Receive(http.Header{}, body, in, now); care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Errorf("%T.Receive(no signature) error = %v, want %s", a, err, care.EUNAUTHORIZED)
		}
		h.Set(meta.SignatureHeader, meta.Sign(vectorSecret, []byte("{")))
		if _, err := a.Receive(h, []byte("{"), in, now); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("%T.Receive(signed garbage) error = %v, want %s", a, err, care.EINVALID)
		}
	}
}

func TestHandshake(t *testing.T) {
	in := care.Inbox{Credentials: map[string]string{meta.CredVerifyToken: "meatyhamhock"}}
	tests := []struct {
		name, query string
		inbox       care.Inbox
		code        int
		body        string
	}{
		{"documented request", "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock", in, 200, "1158201444"},
		{"wrong token", "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=nope", in, 403, ""},
		{"missing token", "hub.mode=subscribe&hub.challenge=1158201444", in, 403, ""},
		{"wrong mode", "hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=meatyhamhock", in, 403, ""},
		{"inbox without a token", "hub.mode=subscribe&hub.challenge=1&hub.verify_token=", care.Inbox{}, 403, ""},
		{"no challenge", "hub.mode=subscribe&hub.verify_token=meatyhamhock", in, 400, ""},
		{"markup challenge", "hub.mode=subscribe&hub.challenge=%3Cscript%3E%0A&hub.verify_token=meatyhamhock", in, 400, ""},
	}
	for _, a := range adapters() {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				w := httptest.NewRecorder()
				a.Handshake(w, httptest.NewRequest("GET", "/webhooks/1?"+tt.query, nil), tt.inbox)
				if w.Code != tt.code {
					t.Fatalf("%T.Handshake(%s) = %d, want %d", a, tt.query, w.Code, tt.code)
				}
				if tt.code == 200 {
					if w.Body.String() != tt.body || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
						t.Errorf("%T.Handshake body %q (%s), want %q as text/plain", a, w.Body, w.Header().Get("Content-Type"), tt.body)
					}
				}
			})
		}
	}
}
