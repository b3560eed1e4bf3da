package language

import (
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	t.Parallel()
	for _, tt := range posts {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Detect(tt.text)
			if got.Code != tt.want {
				t.Errorf("Detect(%q) = %+v, want Code %q", tt.text, got, tt.want)
			}
			if got.Code == "" && got.Confidence != 0 || got.Code != "" && (got.Confidence <= 0 || got.Confidence > 1) {
				t.Errorf("Detect(%q) = %+v: confidence out of range", tt.text, got)
			}
		})
	}
}

// TestDetectLongInput checks that a message far over MaxInputBytes is read
// only as far as the limit, even when the limit falls inside a rune.
func TestDetectLongInput(t *testing.T) {
	t.Parallel()
	fr := "Bonjour, mon bagage n'est jamais arrivé à Lyon et personne ne répond au téléphone. "
	for _, pad := range []string{"", "a", "ab"} {
		text := pad + strings.Repeat(fr, 2*MaxInputBytes/len(fr))
		if got := Detect(text); got.Code != "fr" {
			t.Errorf("Detect(%d bytes of French, pad %q) = %+v, want fr", len(text), pad, got)
		}
	}
	if got := Detect(strings.Repeat("😡", MaxInputBytes) + " merci pour votre aide rapide"); got.Code != "" {
		t.Errorf("Detect(words after the limit) = %+v, want Code \"\"", got)
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in, text string
		words    int
		enough   bool
	}{
		{"", "", 0, false},
		{"@SkyJet where is my bag?? https://t.co/x #lost", "where is my bag ", 4, true},
		{"RT @news: flights cancelled", "flights cancelled ", 2, false},
		{"mail me at jo@example.com or see example.com/help now", "mail me at or see now ", 6, true},
		{"www.example.com $AAPL ＃fail ＠brand", "", 0, false},
		{"don't l'avion 3pm", "don t l avion pm ", 3, true},
		{"I ❤️ it 😡😡 100%", "I it ", 1, false},
		{"e\u0301te\u0301 ça", "e\u0301te\u0301 ça ", 2, false},
		{"\u0301\u0301 🙂\u0308", "", 0, false},
		{"ευχαριστώ!!", "ευχαριστώ ", 1, true},
		{"감사합니다", "감사합니다 ", 1, true},
		{"ありがとう", "ありがとう ", 2, true},
		{"谢谢", "谢谢 ", 1, false},
		{"ok 감사합니다", "ok 감사합니다 ", 2, false},
		{"\xff\xfe bad utf8 bytes here", "bad utf bytes here ", 4, true},
		{"<p><br></p><div class=\"x\">&nbsp;</div>", "", 0, false},
		{"<style>td{color:red}</style><td>ok</td>", "ok ", 1, false},
		{"<SCRIPT>var x</Script>ja tak", "ja tak ", 2, false},
		{"a<b and c>d", "a d ", 0, false},
		{"x < y and <3 and a<", "x y and and a ", 2, false},
		{"<!-- never closed", "never closed ", 2, false},
		{"caf&eacute; &amp; cr&egrave;me", "café crème ", 2, false},
	} {
		c := clean(tt.in)
		if c.text != tt.text || c.words != tt.words || c.enough() != tt.enough {
			t.Errorf("clean(%q) = %q, %d words, enough %v; want %q, %d, %v",
				tt.in, c.text, c.words, c.enough(), tt.text, tt.words, tt.enough)
		}
	}
}

func FuzzDetect(f *testing.F) {
	for _, p := range posts {
		f.Add(p.text)
	}
	f.Add("\u0301\u0301 🙂\u0308 ＃x ＠y www.")
	f.Add(strings.Repeat("é", MaxInputBytes))
	f.Add(`<div class="x"><script>a<b</script><!-- c --><p>&nbsp;&#0;&#x110000;</p><style>`)
	f.Fuzz(func(t *testing.T, text string) {
		got := Detect(text)
		if got.Code == "" {
			if got.Confidence != 0 {
				t.Fatalf("Detect(%q) = %+v: confidence without a code", text, got)
			}
			return
		}
		if len(got.Code) < 2 || len(got.Code) > 3 || strings.ToLower(got.Code) != got.Code {
			t.Fatalf("Detect(%q) = %+v: not an ISO 639 code", text, got)
		}
		if got.Confidence <= 0 || got.Confidence > 1 {
			t.Fatalf("Detect(%q) = %+v: confidence out of range", text, got)
		}
	})
}
