package sms

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

func BenchmarkSegments(b *testing.B) {
	for _, bm := range []struct{ name, text string }{
		{"GSM-7 160", strings.Repeat("Your order ships today. ", 7)[:160]},
		{"GSM-7 1600 bytes with escapes", strings.Repeat("Total: 12€ [ref ~42] ", 80)[:1600]},
		{"UCS-2 1599 units with emoji", strings.Repeat("Ваш заказ 📦 ", 123)},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(bm.text)))
			for b.Loop() {
				Segments(bm.text)
			}
		})
	}
}

func BenchmarkReceiveURL(b *testing.B) {
	body, err := os.ReadFile("testdata/inbound_sms_CONSTRUCTED.form")
	if err != nil {
		b.Fatal(err)
	}
	h := http.Header{}
	h.Set(SignatureHeader, "s4FiPVXBye5XZCcEThfrZGMghqA=")
	a, in := quietAdapter(), testInbox()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.ReceiveURL(hookURL, h, body, in, testNow); err != nil {
			b.Fatal(err)
		}
	}
}
