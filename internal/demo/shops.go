package demo

import "math/rand/v2"

// shopSaid is what customers write about Orbit's shops, in Google reviews
// and Foursquare tips, by language and intent. A review that answers the
// shop's reply is the customer editing it: a thank-you, or one more
// question. Texts are unique across intents and across said, so that an
// agent reading one knows what it is.
var shopSaid = map[string][numIntents][]string{
	"en": {
		question: {
			"Friendly staff, but nobody could tell me whether the shop unlocks phones bought elsewhere. Does it?",
			"Decent shop. Do you need an appointment to set up an eSIM here, or can you just walk in?",
		},
		complaint: {
			"Waited 40 minutes to be served and then was told to come back tomorrow for a SIM swap. Poor service.",
			"They sold me a plan with the wrong data allowance and now I'm charged twice for the upgrade. Not happy.",
			"Only one person working on a Saturday and a queue out the door. The staff were rude when I asked how long.",
		},
		praise: {
			"Great service! Marta moved my number and set up the eSIM in ten minutes. Thank you!",
			"Best phone shop on the street: helpful staff, no pressure, and they fixed my settings for free.",
		},
		thanks: {
			"Update: the manager called me the next day and sorted everything out. Thanks, that's how it should be.",
			"Update: refund received and the plan is fixed. Thank you for following up.",
		},
		followUp: {
			"Update: thanks for the reply. Will I get the refund on my card or as credit on my bill?",
			"Update: thanks. Do I need to bring my ID when I come back for the new SIM?",
		},
	},
	"es": {
		question: {
			"Personal amable, pero nadie supo decirme si liberan móviles comprados en otra tienda. ¿Lo hacen?",
			"Buena tienda. ¿Hace falta pedir cita para activar una eSIM o se puede ir sin más?",
		},
		complaint: {
			"Esperé 40 minutos para que me atendieran y luego me dijeron que volviera mañana para cambiar la SIM. Pésimo servicio.",
			"Me vendieron una tarifa equivocada y ahora me han cobrado dos veces el cambio. Muy mal.",
		},
		praise: {
			"¡Servicio excelente! Lucía me hizo la portabilidad y me activó la eSIM en diez minutos. ¡Gracias!",
			"La mejor tienda de la calle: personal atento, sin presiones y me configuraron el móvil gratis.",
		},
		thanks: {
			"Actualizo: el encargado me llamó al día siguiente y lo solucionó todo. Gracias, así da gusto.",
			"Actualizo: ya me han devuelto el dinero y la tarifa está corregida. Gracias por el seguimiento.",
		},
		followUp: {
			"Actualizo: gracias por responder. ¿El reembolso llega a la tarjeta o como saldo en la factura?",
			"Actualizo: gracias. ¿Tengo que llevar el DNI cuando vuelva a por la nueva SIM?",
		},
	},
	"fr": {
		question: {
			"Personnel sympathique, mais personne n'a su me dire si la boutique débloque les téléphones achetés ailleurs. C'est possible ?",
			"Boutique correcte. Faut-il prendre rendez-vous pour activer une eSIM ou peut-on passer sans ?",
		},
		complaint: {
			"Quarante minutes d'attente pour finalement me dire de revenir demain pour changer de SIM. Service décevant.",
			"On m'a vendu le mauvais forfait et j'ai été débité deux fois pour le changement. Pas content du tout.",
		},
		praise: {
			"Service excellent ! Camille a transféré mon numéro et activé l'eSIM en dix minutes. Merci beaucoup !",
			"La meilleure boutique du quartier : conseillers à l'écoute, aucune pression, et réglages offerts.",
		},
		thanks: {
			"Mise à jour : le responsable m'a rappelé le lendemain et tout est réglé. Merci, c'est comme ça qu'on fidélise.",
			"Mise à jour : remboursement reçu et forfait corrigé. Merci pour le suivi.",
		},
		followUp: {
			"Mise à jour : merci pour la réponse. Le remboursement arrive sur la carte ou en avoir sur la facture ?",
			"Mise à jour : merci. Dois-je apporter une pièce d'identité pour la nouvelle SIM ?",
		},
	},
	"de": {
		question: {
			"Freundliches Personal, aber niemand konnte mir sagen, ob der Laden woanders gekaufte Handys entsperrt. Geht das?",
			"Ordentlicher Laden. Braucht man einen Termin, um eine eSIM einzurichten, oder kann man einfach vorbeikommen?",
		},
		complaint: {
			"Vierzig Minuten gewartet und dann hieß es, ich soll morgen für den SIM-Tausch wiederkommen. Schlechter Service.",
			"Man hat mir den falschen Tarif verkauft und mir den Wechsel doppelt abgebucht. Sehr ärgerlich.",
		},
		praise: {
			"Toller Service! Jonas hat meine Nummer portiert und die eSIM in zehn Minuten eingerichtet. Vielen Dank!",
			"Der beste Handyladen in der Straße: kompetent, kein Druck, und die Einstellungen gab es gratis dazu.",
		},
		thanks: {
			"Nachtrag: Der Filialleiter hat mich am nächsten Tag angerufen und alles geklärt. Danke, so soll es sein.",
			"Nachtrag: Erstattung ist da und der Tarif korrigiert. Danke fürs Nachhaken.",
		},
		followUp: {
			"Nachtrag: Danke für die Antwort. Kommt die Erstattung auf die Karte oder als Gutschrift auf die Rechnung?",
			"Nachtrag: Danke. Muss ich für die neue SIM meinen Ausweis mitbringen?",
		},
	},
	"pt": {
		question: {
			"Funcionários simpáticos, mas ninguém me soube dizer se desbloqueiam telemóveis comprados noutra loja. Fazem isso?",
			"Loja razoável. É preciso marcar para ativar um eSIM ou posso aparecer sem marcação?",
		},
		complaint: {
			"Esperei 40 minutos para ser atendido e depois mandaram-me voltar amanhã para trocar o cartão SIM. Mau serviço.",
			"Venderam-me o tarifário errado e cobraram-me a mudança duas vezes. Nada satisfeito.",
		},
		praise: {
			"Serviço excelente! A Inês fez a portabilidade e ativou o eSIM em dez minutos. Muito obrigado!",
			"A melhor loja da rua: atendimento atencioso, sem pressões e configuraram-me o telemóvel de graça.",
		},
		thanks: {
			"Atualização: o gerente ligou-me no dia seguinte e resolveu tudo. Obrigado, assim sim.",
			"Atualização: reembolso recebido e tarifário corrigido. Obrigado pelo acompanhamento.",
		},
		followUp: {
			"Atualização: obrigado pela resposta. O reembolso vem para o cartão ou como crédito na fatura?",
			"Atualização: obrigado. Tenho de levar o cartão de cidadão quando voltar para o novo SIM?",
		},
	},
}

// starsFor is a review's rating for what its author writes: one or two
// stars for a complaint, three for a question or for one more once the
// shop has answered, four or five once it has put things right, five for
// praise.
func starsFor(r *rand.Rand, in intent) int {
	switch in {
	case complaint:
		return 1 + r.IntN(2)
	case thanks:
		return 4 + r.IntN(2)
	case praise:
		return 5
	}
	return 3
}

// shop is one of Orbit Mobile's shops on Foursquare.
type shop struct {
	place, name string
}

// shops are the places the Foursquare inbox follows; customers leave tips
// about the shop of their city (shopFor).
var shops = []shop{
	{"5a187743ccad6b307315e6fe", "Orbit Mobile Oxford Street"},
	{"5f2c1a9be4b0d3a1c2e8f701", "Orbit Mobile Gran Vía"},
	{"5f2c1a9be4b0d3a1c2e8f702", "Orbit Mobile Rua Augusta"},
}

// shopFor is the shop a customer writing in lang visits.
func shopFor(lang string) shop {
	switch lang {
	case "es":
		return shops[1]
	case "pt":
		return shops[2]
	}
	return shops[0]
}

// writes is what who writes with intent in: their words, drawn from r,
// for a review its stars, and for a blog post its title.
func writes(r *rand.Rand, who *customer, in intent) message {
	m := message{who: who}
	switch who.kind {
	case gbpReview, fsqTip:
		m.text = pick(r, shopSaid[who.lang][in])
		if who.kind == gbpReview {
			m.stars = starsFor(r, in)
		}
	case blogPost:
		post := blogPostOf(who.lang, in)
		m.subject, m.text = post.title, post.text
	default:
		m.text = pick(r, said[who.lang][in])
	}
	return m
}
