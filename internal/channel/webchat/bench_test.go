package webchat

import (
	"os"
	"testing"
)

func BenchmarkDecodeClient(b *testing.B) {
	data, err := os.ReadFile("testdata/client/message.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := DecodeClient(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyVisitor(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := VerifyVisitor(testSecret, 7, testToken); !ok {
			b.Fatal("token does not verify")
		}
	}
}
