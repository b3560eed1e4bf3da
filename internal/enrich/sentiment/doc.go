// Package sentiment scores the tone of a customer's post, comment or direct
// message so that Parley can sort angry customers ahead of polite questions
// and show an agent why it thinks so.
//
// It is a rule-based scorer in the spirit of VADER (Hutto and Gilbert, 2014):
// a hand-written lexicon gives words, phrases, emoji and emoticons a valence
// from about -4 to +4, and rules adjust each one for negation ("not happy",
// "can't log in"), intensifiers and diminishers ("so", "extremely", "kinda",
// "sooooo"), ALL CAPS, a clause after "but", scare quotes, sarcasm markers
// ("great, another delay") and polite questions. The sum is squashed into
// Score, from -1 to +1, and Label cuts Score at ±Threshold. The lexicon is our
// own and leans towards customer service: "still waiting", "charged twice",
// "no response" and "third time" are negative although they contain no
// sentiment word. English is covered best; Spanish, French, German,
// Portuguese, Italian and Dutch have the most common care words, French
// negation ("ne … pas") and elision ("l'application") included.
//
// Analyze reads at most the first MaxInput bytes, accepts invalid UTF-8 and
// is safe for concurrent use; its lookups are built once, at init.
//
// docs/sentiment.md describes the rules, the labelled evaluation set in
// testdata and the accuracy measured on it.
package sentiment
