package language

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestTallyDecide checks which posts the function words settle on their
// own, and that they leave the rest, short posts above all, to whatlanggo.
func TestTallyDecide(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, text string
		want       string // "" when the tally must not decide
	}{
		{"en", "@AirCo why is my bag in Frankfurt when I am in Dublin??", "en"},
		{"en short", "where is my parcel", "en"},
		{"es", "no me ha llegado el pedido y ya pasaron diez días", "es"},
		{"fr", "Vous pouvez m'expliquer pourquoi ma carte a été débitée deux fois ?", "fr"},
		{"de", "warum ist mein Konto gesperrt? Ich habe nichts gemacht", "de"},
		{"it", "Il volo è stato cancellato e non ci hanno detto niente", "it"},
		{"pt", "meu pedido ainda não chegou, já faz duas semanas", "pt"},
		{"nl", "ik wacht al twee weken op mijn pakket", "nl"},
		{"sv", "tåget är försenat igen, det här är ju helt otroligt", "sv"},
		{"da", "kan nogen ringe til mig? jeg har siddet i kø i en time", "da"},
		{"no", "kan noen ringe meg? jeg har sittet i kø i en time", "no"},
		{"fi", "tilaukseni ei ole vieläkään tullut, mitä tapahtuu?", "fi"},
		{"pl", "czekam na zwrot pieniędzy już trzeci tydzień", "pl"},
		{"cs", "může mi někdo zavolat? čekám na lince hodinu", "cs"},
		{"tr", "biri beni arayabilir mi? bir saattir bekliyorum", "tr"},
		{"ro", "comanda mea nu a ajuns nici acum, ce se întâmplă?", "ro"},
		{"hu", "még mindig nem érkezett meg a csomagom", "hu"},
		{"id", "paket saya belum sampai padahal sudah seminggu", "id"},
		{"tgl", "hindi pa dumarating ang order ko, isang linggo na", "tgl"},
		{"vi", "đơn hàng của tôi vẫn chưa được giao", "vi"},
		{"ru", "Почему с карты списали деньги дважды? Мне никто не отвечает", "ru"},
		{"uk", "моє замовлення досі не прийшло, допоможіть будь ласка", "uk"},
		{"ru with a brand", "мой заказ из Amazon так и не пришёл", "ru"},
		{"pl by its letters", "Dzień dobry, paczka utknęła w sortowni", "pl"},

		// One word, however strong, does not decide.
		{"die", "die Bahn kommt", ""},
		{"a", "a casa nostra", ""},
		{"no way", "no way man", ""},
		{"two german words", "das ist unglaublich", ""},
		{"one word three times", "Lufthansa die die", ""},
		// Words that two languages share do not tell them apart.
		{"da or no", "jeg har ventet på min pakke", ""},
		{"es or pt", "por favor me ajuda", ""},
		{"en or cs", "do you ship to Canada", ""},
		// Three function words in a long run of names and nouns are too
		// few: the post may be in a language outside the set.
		{"sparse", "the Samsung Galaxy S24 Ultra Titanium Black 512GB unboxing video review camera test and benchmark comparison versus iPhone Pixel Xiaomi on YouTube Shorts", ""},
		{"croatian", "moja narudžba još nije stigla, što se događa?", ""},
		// Not mostly Latin or Cyrillic: whatlanggo reads it.
		{"japanese with english", "注文した商品がまだ届きません the app is not working", ""},
		{"arabic", "مرحبا، طلبي لم يصل بعد رغم مرور أسبوعين", ""},
		{"empty", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ""
			var confidence float64
			if tl, ok := tallyOf(clean(tt.text).text); ok {
				if l, c, ok := tl.decide(); ok {
					got, confidence = l.String(), c
				}
			}
			if got != tt.want {
				t.Errorf("tally of %q decides %q, want %q", tt.text, got, tt.want)
			}
			if got != "" && (confidence < 0.5 || confidence > 1) {
				t.Errorf("tally of %q: confidence %v, want 0.5 to 1", tt.text, confidence)
			}
		})
	}
}

// TestTallyCandidates checks the languages whatlanggo compares when the
// function words do not decide.
func TestTallyCandidates(t *testing.T) {
	t.Parallel()
	set := func(langs ...lang) langSet {
		var s langSet
		for _, l := range langs {
			s |= 1 << l
		}
		return s
	}
	for _, tt := range []struct {
		text string
		want langSet
	}{
		// The leaders and the first one's neighbours.
		{"jeg har ventet på min pakke i to uger nu", set(danish, norwegian, swedish)},
		{"la app non funziona da ieri sera", set(italian, spanish, portuguese, romanian)},
		{"de trein is weer vertraagd, dit is echt belachelijk", set(dutch, english, german, hungarian)},
		{"do you ship to Canada", set(english, dutch, french, polish, czech)},
		// Too few votes to trust: every profile.
		{"appen fungerar inte sedan uppdateringen", 0},
		{"minu tellimus pole ikka veel kohale jõudnud", 0},
		{"worst customer service ever", 0},
	} {
		tl, ok := tallyOf(clean(tt.text).text)
		if !ok {
			t.Fatalf("tallyOf(%q) reports a text not in Latin or Cyrillic", tt.text)
		}
		if _, _, ok := tl.decide(); ok {
			t.Fatalf("tally of %q decides", tt.text)
		}
		if got := tl.candidates(); got != tt.want {
			t.Errorf("candidates of %q = %v, want %v", tt.text, got.langs(), tt.want.langs())
		}
	}
}

func (s langSet) langs() []string {
	var codes []string
	for l := range numLangs {
		if s&(1<<l) != 0 {
			codes = append(codes, l.String())
		}
	}
	return codes
}

// TestFunctionWords keeps the lists tidy: lower case, in their language's
// alphabet, no longer than the tally reads, each word once.
func TestFunctionWords(t *testing.T) {
	t.Parallel()
	for l, words := range functionWords {
		l := lang(l)
		script := unicode.Latin
		if l == russian || l == ukrainian {
			script = unicode.Cyrillic
		}
		list := strings.Fields(words)
		if len(list) < 30 {
			t.Errorf("%v has %d function words, want a few dozen", l, len(list))
		}
		seen := make(map[string]bool)
		for _, w := range list {
			if seen[w] {
				t.Errorf("%v lists %q twice", l, w)
			}
			seen[w] = true
			if len(w) > maxWordBytes || strings.ToLower(w) != w || !utf8.ValidString(w) {
				t.Errorf("%v: %q is not a lower-case word of at most %d bytes", l, w, maxWordBytes)
			}
			for _, r := range w {
				if !unicode.Is(script, r) {
					t.Errorf("%v: %q has %q, not in its alphabet", l, w, r)
				}
			}
		}
		if langCodes[l] == "" {
			t.Errorf("language %d has no code", l)
		}
	}
}

func TestLowerInto(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"The", "the", true},
		{"ÉTÉ", "été", true},
		{"ДЯКУЮ", "дякую", true},
		{"İÇİN", "için", true},
		{strings.Repeat("a", maxWordBytes), strings.Repeat("a", maxWordBytes), true},
		{strings.Repeat("a", maxWordBytes+1), "", false},
		{strings.Repeat("É", maxWordBytes/2+1), "", false},
	} {
		var buf [maxWordBytes]byte
		got, ok := lowerInto(buf[:0], tt.in)
		if ok != tt.ok || ok && string(got) != tt.want {
			t.Errorf("lowerInto(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzTally(f *testing.F) {
	for _, p := range posts {
		f.Add(p.text)
	}
	f.Add("İÇİN ĞÜŞ ДЯКУЮ ыэъё ñ ß æøå ł ř ő ș ă đ ạ")
	f.Fuzz(func(t *testing.T, text string) {
		tl, ok := tallyOf(clean(text).text)
		if !ok {
			return
		}
		first, second := tl.leaders()
		if tl.votes[second] > tl.votes[first] {
			t.Fatalf("tally of %q: leader %v has fewer votes than %v", text, first, second)
		}
		if l, confidence, ok := tl.decide(); ok {
			if tl.votes[l] < minVotes || confidence <= 0 || confidence > 1 {
				t.Fatalf("tally of %q decides %v with %d votes, confidence %v", text, l, tl.votes[l], confidence)
			}
			return
		}
		if set := tl.candidates(); set != 0 && (set&(1<<first) == 0 || len(set.langs()) > maxCandidates+2) {
			t.Fatalf("tally of %q: candidates %v", text, set.langs())
		}
	})
}
