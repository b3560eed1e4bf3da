package moderation

// complaints are the phrases of the built-in complaint check: what a
// customer writes when something went wrong with an order, a flight, a meal
// or the service. It errs towards seeing complaints: a false one only sends
// a comment to a person instead of hiding it.
var complaints = []string{
	// English
	"refund*", "money back", "never arrived", "never received", "never got", "never came",
	"not arrived", "hasn't arrived", "hasnt arrived", "didn't arrive", "didnt arrive", "not received",
	"haven't received", "havent received", "still waiting", "still no", "still not", "been waiting",
	"charged twice", "charged me twice", "double charged", "overcharged",
	"broken", "broke", "damaged", "defective", "faulty", "stopped working",
	"doesn't work", "doesnt work", "does not work", "not working", "won't work",
	"worst service", "worst customer service", "worst experience", "terrible service",
	"terrible customer service", "awful service", "horrible service", "poor service",
	"no one answered", "no one answers", "no one is answering", "no one responded", "nobody answered",
	"nobody answers", "no response", "no reply", "no answer", "can't reach", "cannot reach",
	"can't get through", "on hold", "tried to contact", "tried calling", "tried to call",
	"food poisoning", "got sick", "made me sick",
	"cancelled my flight", "canceled my flight", "flight was cancelled", "flight was canceled",
	"flight cancelled", "flight canceled", "lost my luggage", "lost my bag", "lost luggage",
	"wrong item", "wrong order", "wrong size", "missing item", "missing items",
	"where is my order", "where's my order", "wheres my order", "where is my refund",
	"late delivery", "unacceptable", "disappointed", "disappointing", "ripped off", "rip off", "ripoff",
	"complain*", "scammed me", "cancel my subscription", "can't log in", "cannot log in", "can't login",
	"locked out", "outage", "down again", "not happy", "not satisfied", "unhappy",
	// Spanish
	"reembolso*", "nunca llego", "no ha llegado", "no llego", "cobraron dos veces", "cobro doble",
	"roto", "rota", "no funciona", "pesimo servicio", "pesima atencion", "sigo esperando",
	"nadie responde", "nadie contesta", "intoxicacion", "vuelo cancelado", "cancelaron mi vuelo",
	"perdieron mi maleta", "estafa",
	// French
	"rembours*", "jamais recu", "pas recu", "toujours pas", "toujours rien", "debite deux fois",
	"casse", "cassee", "ne fonctionne pas", "ne marche pas", "pire service", "service nul",
	"personne ne repond", "j'attends toujours", "intoxication alimentaire", "vol annule",
	"bagage perdu", "arnaque",
	// German
	"erstattung", "ruckerstattung", "rueckerstattung", "geld zuruck", "nie angekommen",
	"nicht angekommen", "doppelt abgebucht", "kaputt", "defekt", "funktioniert nicht",
	"schlechtester service", "schlechter service", "warte immer noch", "niemand antwortet",
	"niemand meldet sich", "lebensmittelvergiftung", "flug annulliert", "flug gestrichen",
	"koffer verloren", "beschwerde",
	// Portuguese
	"nunca chegou", "nao chegou", "cobrado duas vezes", "cobraram duas vezes",
	"quebrado", "quebrada", "quebrou", "nao funciona", "pessimo atendimento", "pessimo servico",
	"ainda esperando", "ninguem responde", "intoxicacao alimentar", "voo cancelado",
	"cancelaram meu voo", "perderam minha mala", "reclamacao",
	// Dutch
	"terugbetaling", "geld terug", "nooit aangekomen", "niet aangekomen", "nooit ontvangen",
	"niet ontvangen", "dubbel afgeschreven", "kapot", "werkt niet", "slechtste service",
	"slechte service", "wacht nog steeds", "niemand reageert", "voedselvergiftiging",
	"vlucht geannuleerd", "koffer kwijt", "klacht",
}

var complaintList = mustLexicon(complaints)

// complaint is the built-in complaint check: t contains a phrase of
// complaints.
func (t *text) complaint() bool {
	_, ok := complaintList.find(t.tokens)
	return ok
}
