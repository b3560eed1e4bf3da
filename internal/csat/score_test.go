package csat

import "testing"

func TestScore(t *testing.T) {
	for _, tc := range []struct {
		text    string
		n       int
		comment string
		ok      bool
	}{
		{"5", 5, "", true},
		{"  4/5 ", 4, "", true},
		{"3 out of 5, slow but friendly", 3, "slow but friendly", true},
		{"2 - nobody read my message", 2, "nobody read my message", true},
		{"1. Terrible", 1, "Terrible", true},
		{"5 stars!", 5, "", true},
		{"⭐⭐⭐⭐ quick", 4, "quick", true},
		{"⭐️⭐️⭐️", 3, "", true},
		{"5\nthanks", 5, "thanks", true},
		{"5 great service", 0, "", false},
		{"2 bags lost", 0, "", false},
		{"10/10", 0, "", false},
		{"0", 0, "", false},
		{"6", 0, "", false},
		{"thanks, 5", 0, "", false},
		{"⭐⭐⭐⭐⭐⭐", 0, "", false},
		{"", 0, "", false},
	} {
		n, c, ok := score(tc.text)
		if n != tc.n || c != tc.comment || ok != tc.ok {
			t.Errorf("score(%q) = %d %q %v, want %d %q %v", tc.text, n, c, ok, tc.n, tc.comment, tc.ok)
		}
	}
}

// Answers as customers write them in each built-in language, and words
// that look like a score but start a new message.
func TestScoreLanguages(t *testing.T) {
	for _, tc := range []struct {
		lang, text string
		n          int
		comment    string
		ok         bool
	}{
		{"en", "five", 5, "", true},
		{"en", "Four stars, thanks!", 4, "thanks!", true},
		{"en", "5 thanks", 5, "thanks", true},
		{"en", "5 thank you so much", 5, "thank you so much", true},
		{"en", "I'd give it a 4", 4, "", true},
		{"en", "I’d give you a 5, great help", 5, "great help", true},
		{"en", "Rating: 3", 3, "", true},
		{"en", "one out of five", 1, "", true},
		{"en", "5 👍", 5, "👍", true},
		{"en", "5️⃣", 5, "", true},
		{"en", "★★★★☆", 4, "", true},
		{"en", "two parcels are missing", 0, "", false},
		{"en", "a star!", 0, "", false},
		{"en", "score 2 tickets for me", 0, "", false},
		{"en", "5 € charged twice", 0, "", false},
		{"en", "2/3 of my order is missing", 0, "", false},
		{"en", "5 thanksgiving orders", 0, "", false},

		{"es", "cinco", 5, "", true},
		{"es", "5, gracias!", 5, "gracias!", true},
		{"es", "5 gracias", 5, "gracias", true},
		{"es", "Cuatro estrellas", 4, "", true},
		{"es", "4 de 5, muy amables", 4, "muy amables", true},
		{"es", "Le doy un 5", 5, "", true},
		{"es", "una estrella", 1, "", true},
		{"es", "nota: 3", 3, "", true},
		{"es", "dos pedidos no han llegado", 0, "", false},
		{"es", "un problema con mi pedido", 0, "", false},
		{"es", "4,5", 0, "", false},

		{"fr", "cinq", 5, "", true},
		{"fr", "5, merci !", 5, "merci !", true},
		{"fr", "5 merci", 5, "merci", true},
		{"fr", "Je mets 4 étoiles, merci", 4, "merci", true},
		{"fr", "4 sur 5", 4, "", true},
		{"fr", "un sur cinq", 1, "", true},
		{"fr", "Note : 2", 2, "", true},
		{"fr", "un", 0, "", false},
		{"fr", "un colis est perdu", 0, "", false},
		{"fr", "deux articles manquent", 0, "", false},

		{"de", "fünf", 5, "", true},
		{"de", "FÜNF!", 5, "", true},
		{"de", "5 danke", 5, "danke", true},
		{"de", "5 vielen Dank!", 5, "vielen Dank!", true},
		{"de", "Ich gebe euch 4 Sterne", 4, "", true},
		{"de", "drei von fünf", 3, "", true},
		{"de", "eins", 1, "", true},
		{"de", "ein Stern", 1, "", true},
		{"de", "ein Paket fehlt", 0, "", false},
		{"de", "4.5", 0, "", false},

		{"pt", "cinco", 5, "", true},
		{"pt", "5, obrigado!", 5, "obrigado!", true},
		{"pt", "5 obrigada pela ajuda", 5, "obrigada pela ajuda", true},
		{"pt", "Cinco estrelas, muito obrigado", 5, "muito obrigado", true},
		{"pt", "três", 3, "", true},
		{"pt", "4 em 5", 4, "", true},
		{"pt", "Nota 5!", 5, "", true},
		{"pt", "dou um 4", 4, "", true},
		{"pt", "uma estrela", 1, "", true},
		{"pt", "um", 0, "", false},
		{"pt", "um problema com a encomenda", 0, "", false},
		{"pt", "2 de março", 0, "", false},
		{"pt", "dois artigos em falta", 0, "", false},

		{"it", "cinque", 5, "", true},
		{"it", "5 grazie mille", 5, "grazie mille", true},
		{"it", "Quattro stelle!", 4, "", true},
		{"it", "3 su 5", 3, "", true},
		{"it", "Voto 5", 5, "", true},
		{"it", "uno", 1, "", true},
		{"it", "due pacchi mancano", 0, "", false},

		{"nl", "vijf", 5, "", true},
		{"nl", "5, bedankt!", 5, "bedankt!", true},
		{"nl", "5 dank je wel", 5, "dank je wel", true},
		{"nl", "4 van de 5", 4, "", true},
		{"nl", "Ik geef jullie 4 sterren", 4, "", true},
		{"nl", "één", 1, "", true},
		{"nl", "een ster", 1, "", true},
		{"nl", "een pakket is kwijt", 0, "", false},
		{"nl", "twee dozen", 0, "", false},

		{"de", "4 - Danke", 4, "Danke", true},
		{"pt", "5 🙏", 5, "🙏", true},
		{"fr", "4 étoiles très rapide", 4, "très rapide", true},
		{"pt", "Olá! 5", 0, "", false},
		{"es", "excelente", 0, "", false},
		{"en", "great", 0, "", false},
		{"en", "Great service, 5", 0, "", false},
		{"ar", "٥", 5, "", true},
		{"ar", "٤ شكرا", 0, "", false},
		{"ar", "٤ - شكرا", 4, "شكرا", true},
		{"hi", "५", 5, "", true},
		{"ja", "５", 5, "", true},
		{"ja", "４です", 0, "", false},
	} {
		n, c, ok := score(tc.text)
		if n != tc.n || c != tc.comment || ok != tc.ok {
			t.Errorf("%s: score(%q) = %d %q %v, want %d %q %v", tc.lang, tc.text, n, c, ok, tc.n, tc.comment, tc.ok)
		}
	}
}

func TestDigitValue(t *testing.T) {
	for r, want := range map[rune]int{'0': 0, '5': 5, '٣': 3, '۷': 7, '३': 3, '５': 5, '𝟓': 5, 'a': -1, '⭐': -1, -1: -1} {
		if got := digitValue(r); got != want {
			t.Errorf("digitValue(%q) = %d, want %d", r, got, want)
		}
	}
}

func FuzzScore(f *testing.F) {
	for _, s := range []string{"5", "3 - ok", "⭐⭐", "2 bags", "\xff5", "Je mets un 4 sur 5", "un un un 5", "nota: cinco estrelas, obrigado", "٥"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, c, ok := score(s)
		if ok && (n < 1 || n > 5 || len(c) > 2000) || !ok && (n != 0 || c != "") {
			t.Fatalf("score(%q) = %d %q %v", s, n, c, ok)
		}
	})
}
