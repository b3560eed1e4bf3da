package moderation

// lowEffort are the generic comments of one to three words that add nothing
// to a post ("nice", "first", "good post"), in the languages of the
// profanity list. "Thanks", "ok" and "yes" are not: they may answer the brand.
var lowEffort = []string{
	"nice", "nice post", "nice pic", "nice one", "nice photo", "good", "good post", "good one", "good job",
	"great", "great post", "great pic", "great photo", "cool", "wow", "first", "1st", "me first",
	"awesome", "amazing", "love it", "love this", "lol", "lmao", "haha*", "hehe*", "yay", "beautiful", "gorgeous", "perfect", "super", "top", "bravo", "omg", "fire", "lit",
	"genial", "hermoso", "hermosa", "lindo", "linda", "bonito", "bonita", "que lindo", "muy bien", "jaja*",
	"trop bien", "magnifique", "top du top", "mdr",
	"toll", "schön", "klasse", "sehr gut", "cool cool",
	"muito bom", "demais", "show", "massa", "kkkk",
	"mooi", "leuk", "prachtig", "gaaf", "vet",
}

var lowEffortList = mustLexicon(lowEffort)

// lowEffort reports a comment that is one of lowEffort, or only emoji. A
// comment that mentions someone ("@sam look") tags a friend, which brands
// want; one with a link is the links rule's concern.
func (t *text) lowEffort() (string, bool) {
	if len(t.links) > 0 {
		return "", false
	}
	for _, tok := range t.tokens {
		if tok.mention {
			return "", false
		}
	}
	if len(t.tokens) == 0 {
		return "emoji only", t.emoji > 0
	}
	if len(t.tokens) > 3 {
		return "", false
	}
	if e, ok := lowEffortList.whole(t.tokens); ok {
		return e.label, true
	}
	return "", false
}
