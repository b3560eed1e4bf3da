//go:build !lingua

package language

import (
	"testing"

	"github.com/abadojack/whatlanggo"
)

// TestDetectShort records what Detect makes of short posts: with three or
// four words whatlanggo is often unsure, and Detect says so rather than
// guess, unless the function words settle the post.
func TestDetectShort(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ text, want string }{
		{"worst customer service ever", "en"},
		// Three English function words, none of them Dutch, Polish or
		// Czech as "is" and "my" are: whatlanggo alone was unsure.
		{"where is my parcel", "en"},
		{"ok thanks mate", ""},
		{"obrigado pela ajuda pessoal", "pt"},
		{"bedankt voor de hulp", "nl"},
		{"tack för hjälpen", "sv"},
		{"yardımınız için teşekkürler", "tr"},
		{"terima kasih atas bantuannya", "id"},
		{"mulțumesc pentru ajutor", "ro"},
		{"muchas gracias por todo", ""},
		{"kiitos paljon avusta", ""},
		{"lol what", ""},
		// A long Tagalog post: outside codes, so its ISO 639-3 code.
		{"Kumusta po, hindi pa dumarating ang order ko kahit isang linggo na ang nakalipas. Pakitingnan naman po kung ano ang nangyari sa padala ko at kailan ito darating.", "tgl"},
		// Persian keeps its own profile although only Arabic is in codes.
		{"سلام، سفارش من هنوز نرسیده است و کسی به تماس\u200cهای من پاسخ نمی\u200cدهد", "pes"},
	} {
		if got := Detect(tt.text); got.Code != tt.want {
			t.Errorf("Detect(%q) = %+v, want Code %q", tt.text, got, tt.want)
		}
	}
}

func TestEastSlavic(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang whatlanggo.Lang
		text string
		want whatlanggo.Lang
	}{
		{whatlanggo.Ukr, "заказ пришёл ", whatlanggo.Rus},
		{whatlanggo.Rus, "дякую їм ", whatlanggo.Ukr},
		{whatlanggo.Rus, "спасибо за помощь ", whatlanggo.Rus},
		{whatlanggo.Ukr, "ы і ", whatlanggo.Ukr},
		{whatlanggo.Bul, "пришёл ", whatlanggo.Bul},
	} {
		if got := eastSlavic(tt.lang, tt.text); got != tt.want {
			t.Errorf("eastSlavic(%v, %q) = %v, want %v", tt.lang, tt.text, got, tt.want)
		}
	}
}

// TestTrigramLangs checks that the tally and whatlanggo name each language
// alike, and that whatlanggo considers every language the tally passes it.
func TestTrigramLangs(t *testing.T) {
	t.Parallel()
	for l := range numLangs {
		wl := trigramLangs[l]
		code, ok := codes[wl]
		if !ok {
			code = wl.Iso6393()
		}
		if code != l.String() {
			t.Errorf("%v is %v (%q) to whatlanggo", l, wl, code)
		}
		if !likely.Whitelist[wl] {
			t.Errorf("%v is not among the likely languages", l)
		}
	}
}

func TestHead(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text string
		n    int
		want string
	}{
		{"one two three ", 20, "one two three "},
		{"one two three ", 9, "one two "},
		{"one two three ", 8, "one two "},
		{"one two three ", 7, "one "},
		{"abcdefgh ", 4, "abcd"},
		{"ééééé ", 5, "éé"},
		{"", 5, ""},
	} {
		if got := head(tt.text, tt.n); got != tt.want {
			t.Errorf("head(%q, %d) = %q, want %q", tt.text, tt.n, got, tt.want)
		}
	}
}
