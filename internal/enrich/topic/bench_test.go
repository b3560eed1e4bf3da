package topic

import (
	"fmt"
	"testing"
)

// post280 is a 280-byte complaint, as long as a post on X may be.
const post280 = "@SkyJetAir my flight from Lisbon was cancelled last night, I rebooked on the app and it charged me twice for the same seat. The gate staff told me to call, the phone line hangs up after forty minutes. I need the duplicate charge refunded today. https://t.co/a1B2c3D4e5 #fail #help"

// rules300 returns the default rules and more, 300 phrases in all, a quarter
// of them stems.
func rules300() []Rule {
	rules := Defaults()
	n := 0
	for _, r := range rules {
		n += len(r.Phrases)
	}
	verbs := []string{"broken", "missing", "late", "wrong", "damaged", "cancelled", "delayed", "stuck", "blocked", "failed"}
	nouns := []string{"seat", "ticket", "booking", "card", "app", "order", "parcel", "meal", "upgrade", "voucher", "points", "receipt", "password", "account", "flight"}
	for i := 0; n < 300; i++ {
		r := Rule{Topic: fmt.Sprintf("extra %d", i), Severity: 0.2}
		for j := 0; j < 10 && n < 300; j, n = j+1, n+1 {
			p := verbs[(i+j)%len(verbs)] + " " + nouns[(i*7+j)%len(nouns)]
			if j%4 == 0 {
				p = nouns[(i+j)%len(nouns)] + fmt.Sprint(i) + "*"
			}
			r.Phrases = append(r.Phrases, p)
		}
		rules = append(rules, r)
	}
	return rules
}

func BenchmarkMatch(b *testing.B) {
	if len(post280) != 280 {
		b.Fatalf("post is %d bytes, want 280", len(post280))
	}
	m, err := Compile(rules300())
	if err != nil {
		b.Fatal(err)
	}
	if len(m.phrases) != 300 {
		b.Fatalf("%d phrases, want 300", len(m.phrases))
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Match(post280)
	}
}

func BenchmarkCompile(b *testing.B) {
	rules := rules300()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(rules); err != nil {
			b.Fatal(err)
		}
	}
}
