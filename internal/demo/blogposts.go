package demo

// blogText is a blog post: its title and its first paragraph.
type blogText struct{ title, text string }

// blogSaid is what bloggers write about Orbit Mobile on Signal Bar, a tech
// blog, by language and intent: a question they put to their readers, a
// complaint, praise. Each names the brand, which is what the blog inbox
// watches for, and uses the words triage's topics look for.
var blogSaid = map[string][3]blogText{
	"en": {
		question:  {"Is Orbit Mobile's eSIM worth it abroad?", "I'm off to Spain for a month and Orbit Mobile says roaming is included in my plan. Has anyone checked what speeds you actually get, or whether a travel pass is still the better deal?"},
		complaint: {"Three days with no signal: my Orbit Mobile week", "No signal at home for three days, and Orbit Mobile's support kept telling me to restart my phone. The network map says my street has full coverage. It does not."},
		praise:    {"Six months on Orbit Mobile: a happy switcher", "I switched to Orbit Mobile in the spring and the coverage has been great service all round: the app is quick, the bill is what they said, and the shop on Oxford Street sorted my eSIM in ten minutes. Well done."},
	},
	"es": {
		question:  {"¿Merece la pena la eSIM de Orbit Mobile?", "Me voy un mes a Portugal y Orbit Mobile dice que el roaming está incluido en mi tarifa. ¿Alguien ha comprobado qué velocidad se consigue de verdad, o sigue compensando un bono de viaje?"},
		complaint: {"Tres días sin cobertura con Orbit Mobile", "Llevo tres días sin cobertura en casa y el soporte de Orbit Mobile solo me dice que reinicie el móvil. Según su mapa mi calle tiene cobertura total. No es verdad."},
		praise:    {"Seis meses con Orbit Mobile", "Me cambié a Orbit Mobile en primavera y la verdad es un servicio excelente: la app va rápida, la factura es la que prometieron y en la tienda de Gran Vía me activaron la eSIM en diez minutos."},
	},
	"fr": {
		question:  {"L'eSIM d'Orbit Mobile vaut-elle le coup à l'étranger ?", "Je pars un mois en Espagne et Orbit Mobile affirme que l'itinérance est incluse dans mon forfait. Quelqu'un a-t-il mesuré les débits réels, ou une option voyage reste-t-elle plus intéressante ?"},
		complaint: {"Trois jours sans réseau avec Orbit Mobile", "Pas de réseau chez moi depuis trois jours, et le support d'Orbit Mobile me répète de redémarrer mon téléphone. Leur carte annonce une couverture totale dans ma rue. C'est faux."},
		praise:    {"Six mois chez Orbit Mobile", "Je suis passé chez Orbit Mobile au printemps et je ne regrette rien : l'application est rapide, la facture est celle annoncée et la boutique a activé mon eSIM en dix minutes. Bravo et merci beaucoup."},
	},
	"de": {
		question:  {"Lohnt sich die eSIM von Orbit Mobile im Ausland?", "Ich bin einen Monat in Spanien, und Orbit Mobile sagt, Roaming sei in meinem Tarif enthalten. Hat jemand gemessen, welche Geschwindigkeit man wirklich bekommt, oder ist ein Reisepaket immer noch günstiger?"},
		complaint: {"Drei Tage ohne Netz bei Orbit Mobile", "Seit drei Tagen habe ich zu Hause keinen Empfang, und der Support von Orbit Mobile sagt mir nur, ich soll das Handy neu starten. Laut Netzkarte ist meine Straße voll versorgt. Ist sie nicht."},
		praise:    {"Sechs Monate mit Orbit Mobile", "Ich bin im Frühjahr zu Orbit Mobile gewechselt und bin zufrieden: toller Service, die App ist schnell, die Rechnung stimmt, und im Laden war die eSIM in zehn Minuten eingerichtet. Vielen Dank."},
	},
	"pt": {
		question:  {"O eSIM da Orbit Mobile compensa no estrangeiro?", "Vou passar um mês a Espanha e a Orbit Mobile diz que o roaming está incluído no meu tarifário. Alguém já mediu a velocidade real, ou um pacote de viagem ainda compensa mais?"},
		complaint: {"Três dias sem rede com a Orbit Mobile", "Estou há três dias sem rede em casa e o apoio da Orbit Mobile só me diz para reiniciar o telemóvel. O mapa deles diz que a minha rua tem cobertura total. Não tem."},
		praise:    {"Seis meses com a Orbit Mobile", "Mudei para a Orbit Mobile na primavera e tem sido um serviço excelente: a app é rápida, a fatura é a prometida e na loja da Rua Augusta ativaram-me o eSIM em dez minutos. Muito obrigado."},
	},
}

// blogPostOf is what a blogger writing in lang publishes with intent in:
// a post is a question, a complaint or praise, never an answer, since a
// blogger does not follow a conversation up.
func blogPostOf(lang string, in intent) blogText {
	switch in {
	case thanks:
		in = praise
	case followUp:
		in = question
	}
	return blogSaid[lang][in]
}
