package demo

// What people say about mobile operators when they are not writing to
// them, by language: listening's history (history.go). "{s}" is where a
// subject's name goes, "{a}" and "{b}" the two of a comparison. Texts are
// written so that Parley's sentiment reader reads their tone as meant.
type talkWords struct {
	positive, neutral, negative []string
	// compare names two operators, {a} and {b}.
	compare []string
	// outage and after are Orbit's network outage, and the day after.
	outage, after []string
	// headlines are a news site's; outageNews its story of the outage.
	headlines, outageNews []string
}

var talk = map[string]talkWords{
	"en": {
		positive: []string{
			"Three months with {s} and not a single dropped call. Really happy so far.",
			"Shout out to {s}: the shop sorted my eSIM in five minutes. Great service!",
			"Moved the whole family to {s} and the 5G at home is brilliant.",
		},
		neutral: []string{
			"Does anyone know if {s} does eSIM for the Apple Watch?",
			"{s} is launching a new SIM-only plan next week, according to their website.",
			"Looking at {s} for a work phone. What is the coverage like in Leeds?",
		},
		negative: []string{
			"{s} charged me twice this month and the chat keeps timing out. Awful.",
			"No signal with {s} on the train again. Every single morning.",
			"Forty minutes on hold with {s} today and still no answer. Terrible.",
		},
		compare: []string{
			"{a} or {b} for a family plan? {a} is cheaper but {b} has better coverage where I live.",
			"Switched from {a} to {b} last month and the signal at home is so much better.",
		},
		outage: []string{
			"No signal at all with {s} since this morning. Is the whole network down? #OrbitDown",
			"{s} outage: no calls, no data, no answers. Half a day now. #OrbitDown",
			"Can't call anyone, can't work. Thanks for nothing, {s}. #OrbitDown",
			"Still no network on {s} and not a word from them. Useless.",
		},
		after: []string{
			"{s} is back for me, but a whole day without network and no apology? Not good enough.",
		},
		headlines: []string{
			"{s} cuts the price of its SIM-only plans ahead of the holidays",
			"{s} extends 5G coverage to 40 more towns",
		},
		outageNews: []string{
			"{s} outage leaves customers without calls or data across the North West",
		},
	},
	"es": {
		positive: []string{
			"Tres meses con {s} y ni una llamada cortada. ¡Genial!",
			"Gracias a {s}: en la tienda me activaron la eSIM en cinco minutos. ¡Un servicio excelente!",
			"Me he pasado a {s} con toda la familia y el 5G en casa va genial.",
		},
		neutral: []string{
			"¿Alguien sabe si {s} tiene eSIM para el Apple Watch?",
			"{s} lanza una nueva tarifa solo SIM la semana que viene, según su web.",
			"Estoy mirando {s} para el móvil del trabajo. ¿Qué tal la cobertura en Valencia?",
		},
		negative: []string{
			"{s} me ha cobrado dos veces este mes y el chat no responde. Fatal.",
			"Otra vez sin cobertura con {s} en el tren. Todas las mañanas igual.",
			"Cuarenta minutos en espera con {s} y nadie me atiende. Una vergüenza.",
		},
		compare: []string{
			"¿{a} o {b} para una tarifa familiar? {a} es más barata pero {b} tiene mejor cobertura en mi pueblo.",
			"Me cambié de {a} a {b} el mes pasado y la cobertura en casa es mucho mejor.",
		},
		outage: []string{
			"Sin cobertura con {s} desde esta mañana. ¿Se ha caído toda la red? #OrbitDown",
			"Caída de {s}: ni llamadas, ni datos, ni respuestas. Medio día ya, qué vergüenza. #OrbitDown",
			"Todo el día sin red con {s} y nadie dice nada. Un desastre.",
		},
		after: []string{
			"{s} ya funciona, pero un día entero sin red y ni una disculpa. Muy mal.",
		},
		headlines: []string{
			"{s} rebaja sus tarifas solo SIM antes de Navidad",
			"{s} amplía su cobertura 5G a cuarenta ciudades más",
		},
		outageNews: []string{
			"Una caída de {s} deja sin llamadas ni datos a miles de clientes",
		},
	},
	"fr": {
		positive: []string{
			"Trois mois chez {s}, un réseau excellent et un service top. Très content.",
			"Merci à {s} : la boutique a activé mon eSIM en cinq minutes. Service excellent !",
			"Toute la famille est passée chez {s} et la 5G à la maison est top.",
		},
		neutral: []string{
			"Quelqu'un sait si {s} propose l'eSIM pour l'Apple Watch ?",
			"{s} lance un nouveau forfait 5G la semaine prochaine, d'après son site.",
			"Je regarde {s} pour un téléphone pro. La couverture est comment à Lyon ?",
		},
		negative: []string{
			"{s} m'a débité deux fois ce mois-ci et le chat ne répond pas. Nul.",
			"Encore pas de réseau avec {s} dans le train. Tous les matins.",
			"Quarante minutes d'attente chez {s} et toujours personne. Inadmissible.",
		},
		compare: []string{
			"{a} ou {b} pour un forfait famille ? {a} est moins cher mais {b} capte mieux chez moi.",
			"Passé de {a} à {b} le mois dernier, et le réseau à la maison est bien meilleur.",
		},
		outage: []string{
			"Plus aucun réseau avec {s} depuis ce matin. Tout le réseau est en panne ? C'est nul. #OrbitDown",
			"Panne chez {s} : ni appels, ni données, ni réponse. Une demi-journée déjà, c'est honteux. #OrbitDown",
			"Toute la journée sans réseau avec {s} et aucune information. Honteux.",
		},
		after: []string{
			"{s} remarche chez moi, mais une journée sans réseau et pas un mot d'excuse. Inacceptable.",
		},
		headlines: []string{
			"{s} baisse le prix de ses forfaits sans engagement avant les fêtes",
			"{s} étend sa couverture 5G à quarante villes de plus",
		},
		outageNews: []string{
			"Une panne géante de {s} prive des milliers de clients d'appels et de données",
		},
	},
	"de": {
		positive: []string{
			"Drei Monate bei {s} und kein einziger Gesprächsabbruch. Sehr zufrieden.",
			"Danke an {s}: im Laden war die eSIM in fünf Minuten aktiv. Toller Service!",
			"Die ganze Familie ist jetzt bei {s} und das 5G zu Hause ist super.",
		},
		neutral: []string{
			"Weiß jemand, ob {s} eine eSIM für die Apple Watch anbietet?",
			"{s} bringt laut Website nächste Woche einen neuen SIM-only-Tarif.",
			"Ich überlege, {s} fürs Diensthandy zu nehmen. Wie ist der Empfang in Köln?",
		},
		negative: []string{
			"{s} hat diesen Monat doppelt abgebucht und der Chat antwortet nicht. Schlecht.",
			"Schon wieder kein Empfang mit {s} im Zug. Jeden Morgen.",
			"Vierzig Minuten in der Warteschleife bei {s} und niemand meldet sich. Unmöglich.",
		},
		compare: []string{
			"{a} oder {b} für einen Familientarif? {a} ist billiger, aber {b} hat bei mir besseren Empfang.",
			"Letzten Monat von {a} zu {b} gewechselt und der Empfang zu Hause ist viel besser.",
		},
		outage: []string{
			"Seit heute Morgen gar kein Netz mit {s}. Ist das ganze Netz ausgefallen? #OrbitDown",
			"Störung bei {s}: keine Anrufe, keine Daten, keine Antwort. Schon einen halben Tag. #OrbitDown",
			"Den ganzen Tag kein Netz mit {s} und keine Information. Eine Frechheit.",
		},
		after: []string{
			"{s} geht wieder, aber ein ganzer Tag ohne Netz und keine Entschuldigung. Schwach.",
		},
		headlines: []string{
			"{s} senkt vor den Feiertagen die Preise seiner SIM-only-Tarife",
			"{s} baut sein 5G-Netz in vierzig weiteren Städten aus",
		},
		outageNews: []string{
			"Großstörung bei {s}: Tausende Kunden ohne Telefon und mobiles Internet",
		},
	},
	"pt": {
		positive: []string{
			"Três meses com a {s} e a rede é ótima. Muito satisfeito!",
			"Obrigado à {s}: na loja ativaram o meu eSIM em cinco minutos. Serviço excelente!",
			"Mudei a família toda para a {s} e o 5G em casa é ótimo.",
		},
		neutral: []string{
			"Alguém sabe se a {s} tem eSIM para o Apple Watch?",
			"A {s} lança um novo tarifário só SIM na próxima semana, segundo o site.",
			"Estou a pensar na {s} para o telemóvel do trabalho. Como é a rede no Porto?",
		},
		negative: []string{
			"A {s} cobrou-me duas vezes este mês e o chat não responde. Péssimo.",
			"Outra vez sem rede com a {s} no comboio. Todas as manhãs.",
			"Quarenta minutos em espera com a {s} e ninguém atende. Uma vergonha.",
		},
		compare: []string{
			"{a} ou {b} para um tarifário familiar? A {a} é mais barata mas a {b} tem melhor rede na minha terra.",
			"Mudei da {a} para a {b} no mês passado e a rede em casa é muito melhor.",
		},
		outage: []string{
			"Sem rede nenhuma com a {s} desde esta manhã. A rede toda foi abaixo? #OrbitDown",
			"Avaria na {s}: sem chamadas, sem dados, sem respostas. Já vai meio dia. #OrbitDown",
			"O dia todo sem rede com a {s} e ninguém diz nada. Uma vergonha.",
		},
		after: []string{
			"A {s} já funciona, mas um dia inteiro sem rede e nem um pedido de desculpa. Muito mau.",
		},
		headlines: []string{
			"{s} baixa os preços dos tarifários só SIM antes do Natal",
			"{s} alarga a cobertura 5G a mais quarenta cidades",
		},
		outageNews: []string{
			"Avaria na {s} deixa milhares de clientes sem chamadas nem dados",
		},
	},
}

// birders are posts about the bird, which Kestrel's terms find and its
// excluded #birdwatching keeps out.
var birders = []string{
	"A kestrel hovering over the motorway verge this morning, what a sight. #birdwatching",
	"The kestrel pair is nesting in the church tower again this year. #birdwatching",
}

// subjectForms are the ways people write each subject's name: mostly the
// name, sometimes a hashtag or the handle.
var subjectForms = map[string][]string{
	brandName: {brandName, brandName, brandName, "#OrbitMobile", "@" + brandHandle},
	kestrel:   {kestrel, kestrel, "Kestrel Mobile", "#KestrelMobile", "@kestrelmobile"},
	nimbus:    {nimbus, nimbus, nimbus, "#NimbusTelecom", "@nimbustelecom"},
}
