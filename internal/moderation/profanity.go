package moderation

// profanity is the built-in list: the words brands commonly hide, in English,
// Spanish, French, German, Portuguese and Dutch. It is short on purpose —
// a workspace adds its own with a words rule — and every entry is a whole
// word: a word is only a wildcard ("fuck*") where no ordinary word starts
// with it, so "shiitake", "puttanesca", "Wankel", "fickle" and Swedish "fick"
// pass. Words that are also ordinary words elsewhere are left out: "con"
// (Spanish "with"), "douche" (French "shower"), "dick", "prick", "cul".
var profanity = []string{
	// English
	"fuck*", "motherfuck*", "fck*", "fuk", "fukin", "fuking", "stfu",
	"shit", "shits", "shitty", "shitting", "shitted", "shithead", "shitheads", "shitshow",
	"bullshit", "horseshit", "dipshit", "batshit", "apeshit",
	"bitch*", "cunt*", "twat", "twats", "wank", "wanker", "wankers", "wanking",
	"ass", "asshole*", "arse", "arsehole*", "dumbass", "jackass", "smartass",
	"bastard*", "dickhead*", "cock", "cocks", "cocksuck*", "douchebag*",
	"piss", "pissed", "pisses", "pissing", "bollocks", "tosser", "tossers",
	"slut", "sluts", "slutty", "whore", "whores",
	"nigger*", "faggot*", "retard", "retards", "retarded",
	// Spanish
	"mierda", "puta", "putas", "puto", "putos", "cabron", "cabrones", "cabrona",
	"gilipollas", "coño", "joder", "jodido", "jodida", "pendejo*", "chinga*", "culero", "culeros",
	// French
	"merde", "merdique", "putain", "pute", "putes", "connard*", "connasse", "salope*",
	"encule", "encules", "enculer", "enculee", "nique", "niquer",
	// German
	"scheiss*", "arschloch*", "arsch", "ficken", "fickt", "gefickt", "wichser*",
	"hurensohn*", "fotze*", "miststück",
	// Portuguese
	"merda", "porra", "caralho*", "foda*", "buceta", "arrombado", "tomar no cu",
	// Dutch
	"kut", "kutwijf", "klootzak*", "godverdomme", "hoer", "hoeren",
}
