package demo

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/parleyhq/parley/internal/care"
)

// answer is what a simulated agent says, chosen from what triage found.
type answer int

const (
	aQuestion answer = iota
	aComplaint
	aOutage
	aBilling
	aDelivery
	aNetwork
	aPraise
	aGoodbye
	aFollowUp
	aPublicAck  // the public half of taking a complaint private
	aPrivateAsk // the private half
	numAnswers
)

// wording is one language's answers: a greeting with the customer's first
// name, the answers, and a sign-off with the agent's name and a case number
// (which also keeps two answers from being word for word the same, which X
// refuses as duplicate content).
type wording struct {
	hello, bye string
	say        [numAnswers]string
}

// answers are the demo agents' canned replies, also seeded as the
// workspace's saved replies (see savedReplies).
var answers = map[string]wording{
	"en": {hello: "Hi%s,", bye: "%s, case %d", say: [numAnswers]string{
		aQuestion:   "good question! Yes, you can do that in the Orbit app under My plan, or reply here and I'll set it up for you.",
		aComplaint:  "I'm sorry about this. I've passed it to the right team and I'll keep you posted here.",
		aOutage:     "sorry, there is an outage affecting the app and logins right now. Our engineers are on it and we'll update you here as soon as it's fixed.",
		aBilling:    "sorry about the double charge. I've asked billing to refund the duplicate payment; it shows on your account within 3 to 5 working days.",
		aDelivery:   "sorry your order is late. I've opened a trace with the courier and we'll send a replacement if it isn't found within 48 hours.",
		aNetwork:    "sorry about the signal. I've opened a fault with our network team for your area and they'll call you within a day.",
		aPraise:     "thank you so much for the kind words! I'll pass them on to the team.",
		aGoodbye:    "you're welcome! Have a great day.",
		aFollowUp:   "yes, you'll get an email confirmation, and refunds usually show within 3 to 5 working days.",
		aPublicAck:  "we're sorry about this. We've sent you a private message to sort it out.",
		aPrivateAsk: "I'm looking into this now. Could you send me your account number so I can check what happened?",
	}},
	"es": {hello: "Hola%s,", bye: "%s, caso %d", say: [numAnswers]string{
		aQuestion:   "¡buena pregunta! Sí, puedes hacerlo en la app de Orbit, en Mi tarifa, o contéstanos aquí y lo activamos nosotros.",
		aComplaint:  "sentimos mucho lo ocurrido. Lo he pasado al equipo correspondiente y te mantendremos informado aquí.",
		aOutage:     "lo sentimos, ahora mismo hay una incidencia que afecta a la app y al inicio de sesión. Nuestro equipo ya está trabajando en ello y te avisaremos aquí.",
		aBilling:    "sentimos el cobro duplicado. He pedido a facturación que te devuelvan el importe; lo verás en tu cuenta en 3 a 5 días laborables.",
		aDelivery:   "sentimos el retraso de tu pedido. He abierto una investigación con la mensajería y, si no aparece en 48 horas, te enviamos otro.",
		aNetwork:    "sentimos los problemas de cobertura. He abierto una incidencia con el equipo de red de tu zona y te llamarán en un día.",
		aPraise:     "¡muchísimas gracias por tus palabras! Se las haré llegar al equipo.",
		aGoodbye:    "¡de nada! Que tengas un buen día.",
		aFollowUp:   "sí, recibirás una confirmación por correo y el reembolso suele tardar de 3 a 5 días laborables.",
		aPublicAck:  "sentimos mucho lo ocurrido. Te hemos enviado un mensaje privado para solucionarlo.",
		aPrivateAsk: "ya lo estoy revisando. ¿Me envías tu número de cliente para ver qué ha pasado?",
	}},
	"fr": {hello: "Bonjour%s,", bye: "%s, dossier %d", say: [numAnswers]string{
		aQuestion:   "bonne question ! Oui, vous pouvez le faire dans l'application Orbit, rubrique Mon forfait, ou répondez-nous ici et nous nous en chargeons.",
		aComplaint:  "nous sommes désolés. J'ai transmis votre demande à l'équipe concernée et je vous tiens informé ici.",
		aOutage:     "désolés, une panne touche actuellement l'application et la connexion. Nos équipes sont dessus et nous vous tiendrons informé ici.",
		aBilling:    "désolés pour le double prélèvement. J'ai demandé à la facturation de vous rembourser ; comptez 3 à 5 jours ouvrés.",
		aDelivery:   "désolés pour ce retard. J'ai ouvert une enquête auprès du transporteur et nous renverrons un colis s'il n'est pas retrouvé sous 48 heures.",
		aNetwork:    "désolés pour ces soucis de réseau. J'ai ouvert un ticket auprès de notre équipe réseau, qui vous appellera sous 24 heures.",
		aPraise:     "merci beaucoup pour ce message ! Je le transmets à l'équipe.",
		aGoodbye:    "avec plaisir ! Bonne journée.",
		aFollowUp:   "oui, vous recevrez une confirmation par e-mail, et le remboursement prend en général 3 à 5 jours ouvrés.",
		aPublicAck:  "nous sommes désolés. Nous vous avons envoyé un message privé pour régler cela.",
		aPrivateAsk: "je m'en occupe. Pouvez-vous m'envoyer votre numéro client pour que je vérifie ce qui s'est passé ?",
	}},
	"de": {hello: "Hallo%s,", bye: "%s, Vorgang %d", say: [numAnswers]string{
		aQuestion:   "gute Frage! Ja, das geht in der Orbit-App unter Mein Tarif, oder antworte hier und wir richten es für dich ein.",
		aComplaint:  "das tut uns leid. Ich habe es an das zuständige Team weitergegeben und melde mich hier wieder.",
		aOutage:     "sorry, gerade gibt es eine Störung bei der App und der Anmeldung. Unser Team arbeitet daran und wir melden uns hier, sobald sie behoben ist.",
		aBilling:    "sorry für die doppelte Abbuchung. Ich habe die Erstattung veranlasst; sie ist in 3 bis 5 Werktagen auf deinem Konto.",
		aDelivery:   "sorry für die Verspätung. Ich habe einen Nachforschungsauftrag beim Paketdienst gestellt; taucht das Paket nicht in 48 Stunden auf, schicken wir Ersatz.",
		aNetwork:    "sorry für den fehlenden Empfang. Ich habe eine Störung für deine Gegend gemeldet; das Netzteam ruft dich innerhalb eines Tages an.",
		aPraise:     "vielen Dank für das Lob! Ich gebe es gern an das Team weiter.",
		aGoodbye:    "gern geschehen! Einen schönen Tag noch.",
		aFollowUp:   "ja, du bekommst eine Bestätigung per E-Mail, und Erstattungen dauern meist 3 bis 5 Werktage.",
		aPublicAck:  "das tut uns leid. Wir haben dir eine private Nachricht geschickt, um das zu klären.",
		aPrivateAsk: "ich kümmere mich darum. Schickst du mir deine Kundennummer, damit ich nachsehen kann, was passiert ist?",
	}},
	"pt": {hello: "Olá%s,", bye: "%s, processo %d", say: [numAnswers]string{
		aQuestion:   "boa pergunta! Sim, pode fazê-lo na app da Orbit, em O meu tarifário, ou responda aqui e tratamos nós disso.",
		aComplaint:  "lamentamos muito. Já passei o assunto à equipa certa e damos notícias aqui.",
		aOutage:     "lamentamos, neste momento há uma avaria que afeta a app e o início de sessão. A nossa equipa já está a tratar e damos notícias aqui.",
		aBilling:    "lamentamos a cobrança em duplicado. Já pedi o reembolso do valor; aparece na sua conta em 3 a 5 dias úteis.",
		aDelivery:   "lamentamos o atraso. Abri uma averiguação com a transportadora e, se a encomenda não aparecer em 48 horas, enviamos outra.",
		aNetwork:    "lamentamos a falta de rede. Abri uma avaria para a sua zona e a equipa de rede liga-lhe dentro de um dia.",
		aPraise:     "muito obrigado pelas palavras simpáticas! Vou passá-las à equipa.",
		aGoodbye:    "de nada! Tenha um ótimo dia.",
		aFollowUp:   "sim, vai receber uma confirmação por email, e o reembolso demora normalmente 3 a 5 dias úteis.",
		aPublicAck:  "lamentamos muito. Enviámos-lhe uma mensagem privada para resolver isto.",
		aPrivateAsk: "estou a tratar disso. Pode enviar-me o seu número de cliente para eu verificar o que aconteceu?",
	}},
}

// choose picks the answer to a conversation from what triage read in it.
func choose(c *care.Conversation, lastText string) answer {
	has := func(t string) bool { return slices.Contains(c.Topics, t) }
	switch {
	case isClosing(lastText):
		return aGoodbye
	case has("outage"):
		return aOutage
	case has("billing"), has("refund"):
		return aBilling
	case has("delivery"):
		return aDelivery
	case has("network"):
		return aNetwork
	case has("praise"):
		return aPraise
	case isFollowUp(lastText):
		return aFollowUp
	case c.Mood == care.MoodNegative:
		return aComplaint
	default:
		return aQuestion
	}
}

// phrase renders answer a in lang for the customer, signed by the agent.
func phrase(lang string, a answer, customer, agent string, caseNo int) string {
	w, ok := answers[lang]
	if !ok {
		w = answers["en"]
	}
	name := firstName(customer)
	if name != "" {
		name = " " + name
	}
	hello := fmt.Sprintf(w.hello, name)
	return hello + " " + w.say[a] + " " + fmt.Sprintf(w.bye, agent, caseNo)
}

// firstName is the first word of a display name, "" when it is no name
// (a phone number, say). Hostile names are cut short: a display name is the
// customer's to choose.
func firstName(name string) string {
	f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(name), "@"))
	if len(f) == 0 || !strings.ContainsFunc(f[0], unicode.IsLetter) {
		return ""
	}
	return clip(f[0], 40)
}
