package csat

// texts are what Parley says to a customer in one language: the survey's
// message and page, and the words it reads in an answer given in the channel.
// The page texts are plain text; the template escapes them.
type texts struct {
	// Question is the survey's message; {link} is replaced by its address.
	Question string
	// Title heads the survey page; Scale says what the ends of 1–5 mean.
	Title, Scale string
	// Comment labels the optional comment box; Send is its button.
	Comment, Send string
	// ThanksTitle and Thanks follow an answer.
	ThanksTitle, Thanks string
	// Answered is shown on a survey answered before; {score} is replaced by
	// that score. AlreadyAnswered is for an answer sent twice at once.
	Answered, AlreadyAnswered string
	// ChooseScore, TooLong and Failed are the form's errors: no score, a
	// comment over the limit, and a fault of ours.
	ChooseScore, TooLong, Failed string
	// GoneTitle and Gone answer a link that leads to no survey.
	GoneTitle, Gone string

	// Numbers are the words for 1 to 5, read as a digit would be.
	Numbers [5][]string
	// Articles also mean "one" ("un", "uma", "een") but far more often "a":
	// they are read as 1 only before a Scales word ("uma estrela", "un sur
	// cinq"), and skipped after a LeadIns phrase ("le doy un 5").
	Articles []string
	// Scales may follow the score: "out of 5", "estrelas".
	Scales []string
	// LeadIns may come before the score: "nota 5", "je mets 4".
	LeadIns []string
	// Thanks words may follow the score without a separator ("5 obrigado"),
	// unlike other words ("2 bags lost" is a new message, not a score).
	ThanksWords []string
}

// defaultLanguage is the language of a workspace whose survey settings name
// none.
const defaultLanguage = "en"

// builtin holds Parley's own texts, by the language codes of
// care.Conversation.Language. They are written as each language's care
// teams write to customers: French and German say "vous" and "Sie", the
// others the familiar form their brands use in chat; Portuguese keeps to
// words that read naturally in both Portugal and Brazil. The French page
// texts put a no-break space before ? ! and : as French typography wants;
// the message does not, since a character outside an SMS's own alphabet
// halves how much text a segment holds.
var builtin = map[string]*texts{
	"en": {
		Question:        "Thanks for talking to us. How did we do? One click, 1 to 5: {link}",
		Title:           "How did we do?",
		Scale:           "1 is poor, 5 is excellent",
		Comment:         "Anything you'd like to add? (optional)",
		Send:            "Send",
		ThanksTitle:     "Thank you",
		Thanks:          "Your answer helps us do better.",
		Answered:        "You already told us: {score} out of 5.",
		AlreadyAnswered: "You already answered this survey.",
		ChooseScore:     "Choose a score from 1 to 5.",
		TooLong:         "That comment is a bit long. Could you shorten it?",
		Failed:          "Something went wrong; please try again.",
		GoneTitle:       "This link doesn't work",
		Gone:            "Part of the link may be missing, or this survey is closed. If you copied it, check that you got all of it.",

		Numbers:     [5][]string{{"one"}, {"two"}, {"three"}, {"four"}, {"five"}},
		Scales:      []string{"out of 5", "out of five", "of 5", "of five", "stars", "star", "points", "pts"},
		LeadIns:     []string{"rating", "score", "i give you", "i give it", "i give", "i'd give you", "i'd give it", "i'd give", "i would give you", "i would give it", "i would give", "i rate you", "i rate it"},
		ThanksWords: []string{"thanks", "thank you", "thx", "ty", "cheers"},
	},
	"es": {
		Question:        "¡Gracias por escribirnos! ¿Qué tal te atendimos? Un clic, del 1 al 5: {link}",
		Title:           "¿Qué tal te atendimos?",
		Scale:           "1 es muy malo, 5 es excelente",
		Comment:         "¿Quieres contarnos algo más? (opcional)",
		Send:            "Enviar",
		ThanksTitle:     "¡Gracias!",
		Thanks:          "Tu respuesta nos ayuda a mejorar.",
		Answered:        "Ya nos diste tu opinión: {score} de 5.",
		AlreadyAnswered: "Ya respondiste a esta encuesta.",
		ChooseScore:     "Elige una puntuación del 1 al 5.",
		TooLong:         "El comentario es un poco largo. ¿Puedes acortarlo?",
		Failed:          "Algo salió mal. Inténtalo de nuevo.",
		GoneTitle:       "Este enlace no funciona",
		Gone:            "Puede que falte parte del enlace o que la encuesta ya esté cerrada. Si lo copiaste, comprueba que esté completo.",

		Numbers:     [5][]string{{"uno"}, {"dos"}, {"tres"}, {"cuatro"}, {"cinco"}},
		Articles:    []string{"una", "un"},
		Scales:      []string{"de 5", "de cinco", "sobre 5", "sobre cinco", "estrellas", "estrella", "puntos"},
		LeadIns:     []string{"nota", "puntuación", "puntuacion", "les doy", "le doy", "te doy", "doy"},
		ThanksWords: []string{"gracias", "muchas gracias"},
	},
	"fr": {
		Question:        "Merci de nous avoir contactés ! Qu'avez-vous pensé de notre échange ? Un clic, de 1 à 5 : {link}",
		Title:           "Qu'avez-vous pensé de notre échange\u00a0?",
		Scale:           "1 = décevant, 5 = excellent",
		Comment:         "Un mot à ajouter\u00a0? (facultatif)",
		Send:            "Envoyer",
		ThanksTitle:     "Merci\u00a0!",
		Thanks:          "Votre avis nous aide à nous améliorer.",
		Answered:        "Vous nous avez déjà répondu\u00a0: {score} sur 5.",
		AlreadyAnswered: "Vous avez déjà répondu à ce questionnaire.",
		ChooseScore:     "Choisissez une note de 1 à 5.",
		TooLong:         "Votre commentaire est un peu long. Pourriez-vous le raccourcir\u00a0?",
		Failed:          "Un problème est survenu. Merci de réessayer.",
		GoneTitle:       "Ce lien ne fonctionne pas",
		Gone:            "Il manque peut-être une partie du lien, ou ce questionnaire est clos. Si vous l'avez copié, vérifiez qu'il est complet.",

		Numbers:     [5][]string{nil, {"deux"}, {"trois"}, {"quatre"}, {"cinq"}},
		Articles:    []string{"une", "un"},
		Scales:      []string{"sur 5", "sur cinq", "étoiles", "étoile", "etoiles", "etoile", "points"},
		LeadIns:     []string{"note", "je vous donne", "je vous mets", "je donne", "je mets"},
		ThanksWords: []string{"merci"},
	},
	"de": {
		Question:        "Danke für Ihre Nachricht! Wie zufrieden waren Sie mit uns? Ein Klick, von 1 bis 5: {link}",
		Title:           "Wie zufrieden waren Sie?",
		Scale:           "1 = schlecht, 5 = sehr gut",
		Comment:         "Möchten Sie noch etwas ergänzen? (optional)",
		Send:            "Senden",
		ThanksTitle:     "Vielen Dank!",
		Thanks:          "Ihre Antwort hilft uns, besser zu werden.",
		Answered:        "Sie haben uns schon bewertet: {score} von 5.",
		AlreadyAnswered: "Sie haben diese Umfrage bereits beantwortet.",
		ChooseScore:     "Bitte wählen Sie eine Bewertung von 1 bis 5.",
		TooLong:         "Ihr Kommentar ist etwas lang. Können Sie ihn kürzen?",
		Failed:          "Da ist etwas schiefgelaufen. Bitte versuchen Sie es noch einmal.",
		GoneTitle:       "Dieser Link funktioniert nicht",
		Gone:            "Vielleicht fehlt ein Teil des Links, oder die Umfrage ist schon beendet. Wenn Sie ihn kopiert haben, prüfen Sie bitte, ob er vollständig ist.",

		Numbers:     [5][]string{{"eins"}, {"zwei"}, {"drei"}, {"vier"}, {"fünf", "fuenf", "funf"}},
		Articles:    []string{"eine", "ein"},
		Scales:      []string{"von 5", "von fünf", "sterne", "stern", "punkte"},
		LeadIns:     []string{"note", "bewertung", "ich gebe euch", "ich gebe ihnen", "ich gebe dir", "ich gebe", "ich vergebe"},
		ThanksWords: []string{"danke", "vielen dank"},
	},
	"pt": {
		Question:        "Obrigado pela sua mensagem! Como avalia o nosso atendimento? Um clique, de 1 a 5: {link}",
		Title:           "Como avalia o nosso atendimento?",
		Scale:           "1 = péssimo, 5 = excelente",
		Comment:         "Quer acrescentar alguma coisa? (opcional)",
		Send:            "Enviar",
		ThanksTitle:     "Obrigado!",
		Thanks:          "A sua opinião ajuda-nos a melhorar.",
		Answered:        "Já recebemos a sua avaliação: {score} em 5.",
		AlreadyAnswered: "Já recebemos a sua resposta a este questionário.",
		ChooseScore:     "Escolha uma nota de 1 a 5.",
		TooLong:         "O comentário é um pouco longo. Pode encurtá-lo?",
		Failed:          "Ocorreu um erro. Por favor, tente novamente.",
		GoneTitle:       "Este link não funciona",
		Gone:            "Pode faltar parte do link, ou o questionário já terminou. Se o copiou, confirme que está completo.",

		Numbers:     [5][]string{nil, {"dois", "duas"}, {"três", "tres"}, {"quatro"}, {"cinco"}},
		Articles:    []string{"uma", "um"},
		Scales:      []string{"em 5", "em cinco", "de 5", "de cinco", "estrelas", "estrela", "pontos"},
		LeadIns:     []string{"nota", "avaliação", "avaliacao", "eu dou", "dou-vos", "dou-lhes", "dou"},
		ThanksWords: []string{"obrigado", "obrigada", "muito obrigado", "muito obrigada", "valeu"},
	},
	"it": {
		Question:        "Grazie per averci scritto! Com'è andata? Un clic, da 1 a 5: {link}",
		Title:           "Com'è andata?",
		Scale:           "1 = pessimo, 5 = ottimo",
		Comment:         "Vuoi aggiungere qualcosa? (facoltativo)",
		Send:            "Invia",
		ThanksTitle:     "Grazie!",
		Thanks:          "La tua risposta ci aiuta a migliorare.",
		Answered:        "Ci hai già dato il tuo voto: {score} su 5.",
		AlreadyAnswered: "Hai già risposto a questo sondaggio.",
		ChooseScore:     "Scegli un voto da 1 a 5.",
		TooLong:         "Il commento è un po' lungo. Puoi accorciarlo?",
		Failed:          "Qualcosa è andato storto. Riprova.",
		GoneTitle:       "Questo link non funziona",
		Gone:            "Forse manca una parte del link, oppure il sondaggio è chiuso. Se l'hai copiato, controlla che sia completo.",

		Numbers:     [5][]string{{"uno"}, {"due"}, {"tre"}, {"quattro"}, {"cinque"}},
		Articles:    []string{"una", "un"},
		Scales:      []string{"su 5", "su cinque", "stelle", "stella", "punti"},
		LeadIns:     []string{"voto", "vi do", "ti do", "do"},
		ThanksWords: []string{"grazie", "grazie mille"},
	},
	"nl": {
		Question:        "Bedankt voor je bericht! Hoe vond je onze hulp? Eén klik, van 1 tot 5: {link}",
		Title:           "Hoe vond je onze hulp?",
		Scale:           "1 = slecht, 5 = uitstekend",
		Comment:         "Wil je nog iets kwijt? (optioneel)",
		Send:            "Versturen",
		ThanksTitle:     "Bedankt!",
		Thanks:          "Met jouw antwoord kunnen we het nog beter doen.",
		Answered:        "Je hebt ons al beoordeeld: {score} van de 5.",
		AlreadyAnswered: "Je hebt deze enquête al ingevuld.",
		ChooseScore:     "Kies een cijfer van 1 tot 5.",
		TooLong:         "Je opmerking is wat lang. Kun je die inkorten?",
		Failed:          "Er ging iets mis. Probeer het nog eens.",
		GoneTitle:       "Deze link werkt niet",
		Gone:            "Misschien mist er een deel van de link, of is de enquête al gesloten. Heb je hem gekopieerd? Kijk dan of hij compleet is.",

		Numbers:     [5][]string{{"één", "eén"}, {"twee"}, {"drie"}, {"vier"}, {"vijf"}},
		Articles:    []string{"een"},
		Scales:      []string{"van de 5", "van de vijf", "uit 5", "uit vijf", "op 5", "op vijf", "sterren", "ster", "punten"},
		LeadIns:     []string{"cijfer", "score", "ik geef jullie", "ik geef je", "ik geef u", "ik geef"},
		ThanksWords: []string{"bedankt", "dankjewel", "dank je wel", "dank je", "dank u", "dankuwel", "thanks"},
	},
}
