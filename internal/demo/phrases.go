package demo

import (
	"math/rand/v2"
	"strings"
)

// The languages customers write in, and the share of customers writing in
// each: Orbit Mobile is a European operator.
var languages = []struct {
	code  string
	share float64
}{{"en", 0.4}, {"es", 0.2}, {"fr", 0.15}, {"de", 0.15}, {"pt", 0.1}}

// intent is what a customer's message is for.
type intent int

const (
	question intent = iota
	complaint
	praise
	thanks   // closes a conversation the agent answered
	followUp // a further question after an answer
	numIntents
)

func (i intent) String() string {
	return [...]string{"question", "complaint", "praise", "thanks", "follow-up"}[i]
}

// said is what customers write, by language and intent. Texts are long
// enough for Parley's language detection and use the words its topic rules
// look for, in each language.
var said = map[string][numIntents][]string{
	"en": {
		question: {
			"Hi, does my plan include roaming in Spain or do I need to add a travel pass before I go?",
			"How do I move my number to Orbit from another network? Is there a transfer code I need to ask for?",
			"Can I still change the delivery address for my new phone? The order hasn't shipped yet.",
			"What is the cheapest way to add more data this month without changing my whole plan?",
			"Is the eSIM available on the Pixel 9, and how do I activate it once it arrives?",
		},
		complaint: {
			"I was charged twice for my bill this month and nobody answers the phone. I want my money back.",
			"My new phone never arrived. The tracking has said out for delivery for five days now.",
			"The app keeps crashing every time I try to pay my bill. This is really frustrating.",
			"No signal at home for three days now and support keeps telling me to restart my phone.",
			"You cancelled my order without telling me and kept the payment. Not happy at all.",
		},
		praise: {
			"Thank you for the quick help in the shop today, Marta was brilliant!",
			"Switched to Orbit last month and the coverage is great service, well done to the whole team.",
			"Just want to say the new app is fast and so easy to use. You guys rock!",
		},
		thanks: {
			"Thanks, that worked!",
			"Great, thank you so much.",
			"Perfect, all sorted now. Thanks!",
		},
		followUp: {
			"Thanks. One more thing: how long does the refund usually take to show up?",
			"OK, and will I get a confirmation by email as well?",
			"Got it. Can I also add my daughter to the same plan?",
		},
	},
	"es": {
		question: {
			"Hola, ¿mi tarifa incluye roaming en Francia o tengo que contratar un bono de viaje antes de salir?",
			"¿Cómo puedo cambiar la dirección de entrega de mi pedido? Todavía no ha salido del almacén.",
			"¿Tenéis eSIM para el iPhone 16? ¿Cómo se activa cuando me llegue el teléfono?",
			"Quiero portar mi número a Orbit desde otra compañía. ¿Qué necesito y cuánto tarda?",
		},
		complaint: {
			"Me habéis cobrado dos veces la factura de este mes y nadie me contesta. Quiero un reembolso ya.",
			"Mi pedido no ha llegado y el seguimiento lleva una semana sin moverse. ¿Dónde está mi teléfono?",
			"La aplicación no funciona desde ayer, no puedo ni iniciar sesión para pagar la factura.",
			"Llevo tres días sin cobertura en casa y nadie me da una solución. Es una vergüenza.",
		},
		praise: {
			"¡Muchas gracias por la ayuda de ayer en la tienda! Un servicio excelente, de verdad.",
			"Me cambié a Orbit el mes pasado y la cobertura es genial. ¡Enhorabuena a todo el equipo!",
		},
		thanks: {
			"¡Gracias, ya funciona!",
			"Perfecto, muchas gracias por la ayuda.",
			"Genial, todo resuelto. ¡Gracias!",
		},
		followUp: {
			"Gracias. ¿Y cuánto tarda normalmente en llegar el reembolso a la cuenta?",
			"Vale, ¿me llegará también una confirmación por correo electrónico?",
		},
	},
	"fr": {
		question: {
			"Bonjour, est-ce que mon forfait inclut l'itinérance en Espagne ou faut-il ajouter une option avant de partir ?",
			"Comment est-ce que je peux changer l'adresse de livraison de ma commande ? Elle n'est pas encore partie.",
			"Est-ce que l'eSIM est disponible pour le Galaxy S25 et comment est-ce qu'on l'active ?",
		},
		complaint: {
			"J'ai été débité deux fois ce mois-ci et personne ne répond au téléphone. Je veux être remboursé.",
			"Ma commande n'est jamais arrivée et le suivi ne bouge plus depuis une semaine. Où est mon téléphone ?",
			"L'application ne marche plus depuis ce matin, impossible de me connecter pour payer ma facture.",
			"Pas de réseau chez moi depuis trois jours, et le service client ne propose aucune solution.",
		},
		praise: {
			"Merci beaucoup pour votre aide rapide en boutique, c'est un service excellent !",
			"Je suis passé chez Orbit le mois dernier et le réseau est vraiment top. Bravo à toute l'équipe !",
		},
		thanks: {
			"Merci, ça marche maintenant !",
			"Parfait, merci beaucoup pour votre aide.",
			"Super, tout est réglé. Merci !",
		},
		followUp: {
			"Merci. Et combien de temps prend le remboursement en général ?",
			"D'accord, est-ce que je recevrai aussi une confirmation par e-mail ?",
		},
	},
	"de": {
		question: {
			"Hallo, ist Roaming in Italien in meinem Tarif enthalten oder brauche ich vor der Reise eine Zusatzoption?",
			"Wie kann ich die Lieferadresse meiner Bestellung noch ändern? Sie wurde noch nicht verschickt.",
			"Gibt es die eSIM auch für das iPhone 15 und wie aktiviere ich sie, wenn das Gerät da ist?",
		},
		complaint: {
			"Mir wurde die Rechnung diesen Monat doppelt abgebucht und niemand meldet sich. Ich will mein Geld zurück.",
			"Meine Bestellung ist nie angekommen und die Sendungsverfolgung zeigt seit einer Woche nichts Neues.",
			"Die App funktioniert seit gestern nicht, ich kann mich nicht einmal anmelden, um die Rechnung zu bezahlen.",
			"Seit drei Tagen habe ich zu Hause keinen Empfang und der Kundendienst hilft mir überhaupt nicht.",
		},
		praise: {
			"Vielen Dank für die schnelle Hilfe im Laden, wirklich ein toller Service!",
			"Bin letzten Monat zu Orbit gewechselt und das Netz ist super. Weiter so, liebes Team!",
		},
		thanks: {
			"Danke, jetzt funktioniert es!",
			"Perfekt, vielen Dank für die Hilfe.",
			"Super, alles erledigt. Danke!",
		},
		followUp: {
			"Danke. Wie lange dauert die Erstattung normalerweise, bis sie auf dem Konto ist?",
			"Okay, und bekomme ich dazu noch eine Bestätigung per E-Mail?",
		},
	},
	"pt": {
		question: {
			"Olá, o meu tarifário inclui roaming em Espanha ou tenho de ativar um pacote de viagem antes de ir?",
			"Como posso mudar a morada de entrega da minha encomenda? Ainda não foi enviada do armazém.",
			"O eSIM está disponível para o iPhone 16? Como é que o ativo quando o telemóvel chegar?",
		},
		complaint: {
			"Cobraram-me a fatura duas vezes este mês e ninguém me responde. Quero o meu dinheiro de volta.",
			"A minha encomenda nunca chegou e o seguimento está parado há uma semana. Onde está o meu telemóvel?",
			"A aplicação não funciona desde ontem, nem consigo iniciar sessão para pagar a fatura.",
			"Estou sem rede em casa há três dias e ninguém resolve o problema. Assim não dá.",
		},
		praise: {
			"Muito obrigada pela ajuda rápida na loja, um serviço excelente!",
			"Mudei para a Orbit no mês passado e a rede é ótima. Parabéns a toda a equipa!",
		},
		thanks: {
			"Obrigado, já funciona!",
			"Perfeito, muito obrigada pela ajuda.",
			"Ótimo, está tudo resolvido. Obrigado!",
		},
		followUp: {
			"Obrigado. E quanto tempo demora normalmente o reembolso a chegar à conta?",
			"Está bem, e vou receber também uma confirmação por email?",
		},
	},
}

// intentOf maps what customers write to why, so a simulated agent can tell
// a thank-you from a further question, as a person reading it would.
var intentOf = func() map[string]intent {
	m := map[string]intent{}
	for _, corpus := range []map[string][numIntents][]string{said, shopSaid} {
		for _, byIntent := range corpus {
			for in, texts := range byIntent {
				for _, s := range texts {
					m[s] = intent(in)
				}
			}
		}
	}
	return m
}()

// isClosing reports whether a customer's message is a thank-you that needs
// no more than a goodbye, ignoring what the platform adds (customerWords).
func isClosing(text string) bool {
	in, ok := intentOf[customerWords(text)]
	return ok && in == thanks
}

// isFollowUp reports whether a message is a further question after an
// answer.
func isFollowUp(text string) bool {
	in, ok := intentOf[customerWords(text)]
	return ok && in == followUp
}

// customerWords is what the customer wrote, without what Parley shows
// around it: "[Edited] " before an edited review or comment, a review's
// stars, and the mentions a post starts with.
func customerWords(text string) string {
	text = strings.TrimPrefix(strings.TrimSpace(text), "[Edited] ")
	text = strings.TrimLeft(text, "★☆ ")
	return stripMentions(text)
}

// stripMentions removes the @handles (u/names on Reddit) a post starts
// with.
func stripMentions(s string) string {
	s = strings.TrimSpace(s)
	for strings.HasPrefix(s, "@") || strings.HasPrefix(s, "u/") || strings.HasPrefix(s, "/u/") {
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			return ""
		}
		s = strings.TrimSpace(s[i+1:])
	}
	return s
}

// pick returns one of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// pickLanguage draws a language by the shares above.
func pickLanguage(r *rand.Rand) string {
	x := r.Float64()
	for _, l := range languages {
		if x < l.share {
			return l.code
		}
		x -= l.share
	}
	return languages[0].code
}

// pickIntent draws what a new customer writes about: mostly questions and
// complaints, some praise.
func pickIntent(r *rand.Rand) intent {
	switch x := r.Float64(); {
	case x < 0.45:
		return question
	case x < 0.85:
		return complaint
	default:
		return praise
	}
}

// outage builds one post of the wave about the app's outage: the later in
// the wave, the angrier. Built from parts so that dozens of accounts do not
// all say the same words.
func outage(r *rand.Rand, lang string, stage float64) string {
	type parts struct{ open, mid, late []string }
	p := map[string]parts{
		"en": {
			open: []string{"Is the Orbit app down for anyone else? I can't log in.", "Orbit app not working for me this morning, anyone else?", "Can't log in to the Orbit app, is it down?"},
			mid:  []string{"Still can't log in to the Orbit app. Is there an outage?", "The Orbit app is down again and I need to top up today.", "Orbit app still not working. Any update on the outage?"},
			late: []string{"Hours of outage and not a word from Orbit. The app is still down. #OrbitDown", "This Orbit outage is a joke: no app, no top ups, no answers. #OrbitDown", "Everyone on my team can't log in to Orbit. Half a day of outage now. #OrbitDown"},
		},
		"es": {
			open: []string{"¿A alguien más no le funciona la app de Orbit? No puedo iniciar sesión."},
			mid:  []string{"La app de Orbit sigue sin funcionar. ¿Hay una caída general?"},
			late: []string{"Medio día sin poder usar la app de Orbit y nadie dice nada. #OrbitDown"},
		},
		"pt": {
			open: []string{"A app da Orbit não funciona para mais ninguém? Não consigo entrar."},
			mid:  []string{"A app da Orbit continua sem funcionar. Há alguma avaria geral?"},
			late: []string{"Meio dia sem app da Orbit e nem uma palavra da empresa. #OrbitDown"},
		},
	}
	ps, ok := p[lang]
	if !ok {
		ps = p["en"]
	}
	switch {
	case stage < 0.3:
		return pick(r, ps.open)
	case stage < 0.7:
		return pick(r, ps.mid)
	default:
		return pick(r, ps.late)
	}
}

// The scripted scenes' own words.
const (
	influencerPost = "Three days with no signal and @orbitmobile support keeps telling me to restart my phone. " +
		"I review phones and networks for a living and this is not okay. Going to the press if this isn't fixed today."
	commentComplaint = "I was charged twice for my bill this month and your phone line hangs up on me. " +
		"Posting here because nobody answers. I want a refund."
	spamComment   = "🔥🔥 EARN $500 A DAY FROM HOME!!! DM me for details 👉 bit.ly/easy-cash-now 🔥🔥 #money #crypto #win"
	switcherFirst = "Olá, fiz a portabilidade do meu número para a Orbit ontem mas ainda não tenho rede no telemóvel. Podem ajudar?"
	switcherLater = "Sou eu outra vez: escrevi-vos pelo WhatsApp mas fiquei sem bateria. Continuo sem rede desde a portabilidade."
	switcherCall  = "Liguei porque continuo sem rede desde a portabilidade do meu número e já escrevi por WhatsApp e SMS."
)
