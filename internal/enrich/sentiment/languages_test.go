package sentiment

import (
	"slices"
	"testing"
)

// careSentences are everyday messages to a brand, the same few in every
// language the lexicon covers: a double charge, a refund, an app that does
// not work, hours of waiting, terrible service, nobody answering, praise,
// and questions that are neither.
var careSentences = map[string]struct{ complaints, praise, questions []string }{
	"en": {
		complaints: []string{
			"I was charged twice for the same order.",
			"I want a refund.",
			"The app stopped working this morning.",
			"I've been waiting for hours and nobody answers.",
			"Terrible service, nobody replies to my emails.",
			"I still haven't received my refund.",
		},
		praise: []string{
			"Thank you so much, great service!",
			"Super helpful staff, sorted in five minutes.",
		},
		questions: []string{
			"How do I change my delivery address?",
			"Do you ship to Ireland?",
		},
	},
	"fr": {
		complaints: []string{
			"J'ai été débité deux fois ce mois-ci. Je veux être remboursé.",
			"L'application ne marche plus depuis ce matin.",
			"J'attends depuis des heures, personne ne décroche.",
			"Service client catastrophique, personne ne répond.",
			"Je n'ai toujours pas reçu mon remboursement.",
			"On m'a facturé deux fois le même abonnement.",
			"Personne ne répond à mes mails depuis une semaine.",
			"L'appli ne fonctionne pas, impossible de me connecter.",
			"Je ne suis pas satisfait du tout.",
			"Ma commande n'est jamais arrivée.",
		},
		praise: []string{
			"Merci beaucoup pour votre aide, service impeccable !",
			"Super équipe, très efficace et sympa.",
			"Je recommande, livraison rapide et produit parfait.",
			"Aucun problème, tout est réglé. Merci !",
			"J'adore la nouvelle appli, bravo !",
		},
		questions: []string{
			"Bonjour, comment changer mon adresse de livraison ?",
			"Quels sont vos horaires d'ouverture ?",
			"Est-ce que l'offre est disponible en Belgique ?",
		},
	},
	"es": {
		complaints: []string{
			"Me habéis cobrado dos veces el mismo pedido.",
			"Quiero que me devuelvan el dinero.",
			"La app no funciona desde ayer.",
			"Llevo horas esperando y nadie me atiende.",
			"Servicio pésimo, nadie contesta al teléfono.",
			"Todavía no he recibido el reembolso.",
			"Es la tercera vez que escribo y nadie responde.",
		},
		praise: []string{
			"Muchas gracias, todo resuelto en cinco minutos.",
			"Excelente atención, muy amables.",
			"Me encanta la nueva app, funciona genial.",
		},
		questions: []string{
			"¿Cuál es el horario de la tienda de Madrid?",
			"¿Tenéis envío a Canarias?",
		},
	},
	"pt": {
		complaints: []string{
			"Fui cobrado duas vezes pela mesma compra.",
			"Quero o meu dinheiro de volta.",
			"O aplicativo não funciona desde ontem.",
			"Estou esperando há horas e ninguém atende.",
			"Atendimento péssimo, ninguém responde.",
			"Ainda não recebi o meu reembolso.",
		},
		praise: []string{
			"Muito obrigado, atendimento excelente!",
			"Adorei o serviço, super rápido.",
			"Parabéns à equipe, resolveram tudo num instante.",
		},
		questions: []string{
			"Qual é o horário de funcionamento da loja?",
			"Vocês entregam em Portugal?",
		},
	},
	"de": {
		complaints: []string{
			"Mir wurde doppelt abgebucht.",
			"Ich will mein Geld zurück.",
			"Die App funktioniert nicht mehr.",
			"Ich warte seit Stunden auf einen Rückruf.",
			"Furchtbarer Service, niemand antwortet.",
			"Ich habe immer noch keine Erstattung bekommen.",
			"Schon das dritte Mal, dass die Lieferung zu spät kommt.",
		},
		praise: []string{
			"Vielen Dank, super Service!",
			"Toller Kundendienst, sehr freundlich und schnell.",
			"Alles bestens, danke für die schnelle Hilfe.",
		},
		questions: []string{
			"Wie lange dauert der Versand nach Österreich?",
			"Haben Sie am Samstag geöffnet?",
		},
	},
	"it": {
		complaints: []string{
			"Mi avete addebitato due volte lo stesso ordine.",
			"Voglio un rimborso.",
			"L'app non funziona più da ieri.",
			"Aspetto da ore e nessuno risponde.",
			"Servizio clienti pessimo, una vergogna.",
			"Non ho ancora ricevuto il rimborso.",
			"È la terza volta che scrivo.",
		},
		praise: []string{
			"Grazie mille, servizio eccellente!",
			"Personale gentilissimo e consegna veloce.",
			"Tutto perfetto, complimenti!",
		},
		questions: []string{
			"Qual è l'orario del negozio di Milano?",
			"Spedite anche in Svizzera?",
		},
	},
	"nl": {
		complaints: []string{
			"Ik ben twee keer afgeschreven voor dezelfde bestelling.",
			"Ik wil mijn geld terug.",
			"De app werkt niet meer.",
			"Ik wacht al uren en niemand neemt op.",
			"Slechte service, niemand reageert op mijn mails.",
			"Nog steeds geen terugbetaling ontvangen.",
			"Wat een waardeloze klantenservice.",
		},
		praise: []string{
			"Heel erg bedankt, top service!",
			"Super vriendelijke medewerker, snel geholpen.",
			"Alles opgelost, dank je wel!",
		},
		questions: []string{
			"Wat zijn de openingstijden van de winkel?",
			"Leveren jullie ook in België?",
		},
	},
}

// clearly is how far from 0 an everyday complaint or thank-you must score:
// beyond the threshold, so that one weak word does not pass for a reading.
const clearly = 0.3

func TestEverydayCareInEveryLanguage(t *testing.T) {
	t.Parallel()
	for lang, s := range careSentences {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			for _, text := range s.complaints {
				if r := Analyze(text); r.Score > -clearly {
					t.Errorf("complaint %q = %+.2f %v (cues %q), want %+.2f or below", text, r.Score, r.Label, r.Cues, -clearly)
				}
			}
			for _, text := range s.praise {
				if r := Analyze(text); r.Score < clearly {
					t.Errorf("praise %q = %+.2f %v (cues %q), want %+.2f or above", text, r.Score, r.Label, r.Cues, clearly)
				}
			}
			for _, text := range s.questions {
				if r := Analyze(text); r.Label != Neutral {
					t.Errorf("question %q = %+.2f %v (cues %q), want neutral", text, r.Score, r.Label, r.Cues)
				}
			}
		})
	}
}

func TestFrenchNegation(t *testing.T) {
	t.Parallel()
	runLabels(t, []labelTest{
		{"Je n'aime pas la nouvelle appli.", Negative},
		{"Je ne recommande pas.", Negative},
		{"Ce n'est pas bon.", Negative},
		{"Ce n'est pas mal du tout !", Positive},
		{"Aucun souci, merci !", Positive},
		{"Livré sans aucun problème.", Positive},
		{"Il ne répond plus.", Negative},
		{"Je ne l'ai jamais reçu.", Negative},
		{"Je n'ai rien reçu.", Negative},
		{"Ça marche plus.", Negative},
		{"Plus jamais !", Negative},
		{"Je ne commanderai plus jamais chez vous.", Negative},
		{"Ce n'est pas terrible.", Negative},
		{"C'est n'importe quoi.", Negative},
		// "plus" is "more" without "ne", and "ne" alone negates nothing.
		{"Livraison plus rapide que prévu, merci !", Positive},
		{"N'hésitez pas à me contacter.", Neutral},
		{"Je voudrais savoir quand mon colis arrive.", Neutral},
	})
	// "ne … pas" is one negation: it counts as much as "pas" alone.
	if ne, pas := Analyze("l'appli ne fonctionne pas"), Analyze("l'appli fonctionne pas"); ne.Score != pas.Score {
		t.Errorf("ne … pas scores %+.2f, pas alone %+.2f; want the same", ne.Score, pas.Score)
	}
	for text, cue := range map[string]string{
		"L'application ne fonctionne pas": `"ne fonctionne pas" (negated)`,
		"Je n'aime pas ça":                `"n'aime pas" (negated)`,
		"Il ne répond plus depuis hier":   `"ne répond plus"`,
	} {
		if r := Analyze(text); len(r.Cues) == 0 || r.Cues[0] != cue {
			t.Errorf("Analyze(%q) cues %q, want %s first", text, r.Cues, cue)
		}
	}
}

// An elided French or Italian word ends at its apostrophe, so that the word
// after it is one the lexicon knows; English contractions stay whole.
func TestElision(t *testing.T) {
	t.Parallel()
	for text, want := range map[string][]string{
		"L'application":     {"l'", "application"},
		"n’est":             {"n'", "est"},
		"jusqu'à":           {"jusqu'", "a"},
		"dell'ordine":       {"dell'", "ordine"},
		"can't don't it's":  {"can't", "don't", "it's"},
		"aujourd'hui":       {"aujourd'hui"},
		"l' app":            {"l", "app"},
		"rock 'n' roll":     {"rock", "n", "roll"},
		"quelqu'un d'autre": {"quelqu'un", "d'", "autre"},
	} {
		var s scratch
		s.tokenize(text)
		var got []string
		for i := range s.toks {
			got = append(got, string(s.norm(i)))
		}
		if !slices.Equal(got, want) {
			t.Errorf("tokenize(%q) = %q, want %q", text, got, want)
		}
	}
}
