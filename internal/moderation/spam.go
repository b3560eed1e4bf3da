package moderation

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// recruiting are phrases that send readers elsewhere for the commenter's
// gain. Each is promotional on its own: a comment with one is spam, and a
// complaint phrase beside it is taken as bait ("I got my refund back thanks
// to Mr X, contact him…").
var recruiting = []string{
	"dm me for", "dm for", "message me for", "inbox me for", "text me for",
	"check my profile", "check my bio", "check my page", "check out my profile", "check out my page",
	"visit my profile", "visit my page", "link in my bio", "link in bio", "see my bio",
	"check my channel", "check out my channel", "visit my channel", "subscribe to my channel",
	"follow back", "follow for follow", "f4f", "sub4sub", "follow4follow",
	"free followers", "buy followers", "onlyfans",
	"contact him", "contact her", "contact them", "text him", "text her", "write to him", "write to her",
	"reach out to him", "reach out to her", "recovery expert",
	"work from home", "make money online", "passive income", "investment opportunity",
	"forex trad*", "binary option*", "crypto invest*", "bitcoin invest*", "sugar daddy",
	"click the link", "click my link",
}

// hinting are words common in spam and in ordinary comments alike ("do you
// take crypto?"): one counts, but is not enough alone.
var hinting = []string{
	"crypto*", "bitcoin*", "btc", "forex", "nft", "nfts", "giveaway*", "click here", "dm me", "inbox me",
	"promo code", "discount code", "free gift", "winner", "limited offer", "investment*", "profit*",
	"follow me", "my channel", "whatsapp", "telegram",
}

// contactWords turn a phone number into an invitation to a private channel.
var contactWords = []string{"contact*", "whatsapp*", "whatsap", "telegram", "viber", "wechat"}

// earnWords followed by an amount of money are bait: "earn $500 a day".
var earnWords = map[string]bool{
	"earn": true, "earns": true, "earning": true, "earned": true, "make": true, "making": true,
	"made": true, "paid": true, "profit": true,
}

var (
	recruitingList = mustLexicon(recruiting)
	hintingList    = mustLexicon(hinting)
	contactList    = mustLexicon(contactWords)
	currencyList   = mustLexicon([]string{"usd", "dollar*", "euros", "eur", "gbp", "bucks"})
)

// spamScore is what makes a comment read as spam.
type spamScore struct {
	score       int
	signals     []string
	promotional bool // recruiting phrase, money bait, shortened or affiliate link
}

// spamThreshold is the score that makes a comment spam: one strong signal or
// two weak ones.
const spamThreshold = 2

// spam scores t. A recruiting phrase, money bait ("earn $"), a shortened or
// affiliate link and a phone number in a comment with a contact word
// ("WhatsApp +44…", "contact") count 2 each; a hinting word ("crypto"), any
// other link, a bare phone number, 5 or more hashtags, 8 or more emoji, long
// text in capitals and hidden characters or look-alike letters inside words
// count 1 each.
func (t *text) spam() spamScore {
	if t.scored {
		return t.score
	}
	var s spamScore
	add := func(points int, promotional bool, format string, args ...any) {
		s.score += points
		s.promotional = s.promotional || promotional
		s.signals = append(s.signals, fmt.Sprintf(format, args...))
	}
	e, recruits := recruitingList.find(t.tokens)
	if recruits {
		add(2, true, "promotional phrase %q", e.label)
	}
	if t.moneyBait() {
		add(2, true, "promises money")
	}
	// "dm me for" also holds the hint "dm me": one phrase, counted once.
	if e, ok := hintingList.find(t.tokens); ok && !recruits {
		add(1, false, "mentions %q", e.label)
	}
	promoLink := false
	for _, l := range t.links {
		promoLink = promoLink || l.redirect || l.affiliate
	}
	switch {
	case promoLink:
		add(2, true, "shortened or affiliate link")
	case len(t.links) > 0:
		add(1, false, "link")
	}
	if t.phone() {
		if _, ok := contactList.find(t.tokens); ok {
			add(2, false, "phone number to contact")
		} else {
			add(1, false, "phone number")
		}
	}
	if t.hashtags >= 5 {
		add(1, false, "%d hashtags", t.hashtags)
	}
	if t.emoji >= 8 {
		add(1, false, "%d emoji", t.emoji)
	}
	if t.shouting() {
		add(1, false, "long text in capitals")
	}
	if t.hidden {
		add(1, false, "hidden characters or look-alike letters")
	}
	t.score, t.scored = s, true
	return s
}

// moneyBait reports an earning word followed by an amount: "earn $500",
// "make 300€ a day", "made £2k".
func (t *text) moneyBait() bool {
	for i, tok := range t.tokens {
		if !earnWords[tok.canon] {
			continue
		}
		rest := strings.TrimLeft(t.norm[tok.end:], " ")
		if r, _ := utf8.DecodeRuneInString(rest); strings.ContainsRune("$€£₹¥", r) {
			return true
		}
		if i+1 < len(t.tokens) {
			next := t.tokens[i+1]
			if hasLetter(next.canon) {
				continue
			}
			if strings.ContainsAny(next.canon, "$€") {
				return true
			}
			after := strings.TrimLeft(t.norm[next.end:], " ")
			if r, _ := utf8.DecodeRuneInString(after); strings.ContainsRune("$€£₹¥", r) {
				return true
			}
			if i+2 < len(t.tokens) {
				if _, ok := currencyList.find(t.tokens[i+2 : i+3]); ok {
					return true
				}
			}
		}
	}
	return false
}

// phone reports a phone number: 9 to 15 digits, perhaps after "+", with at
// most two spaces, dashes, dots or brackets between digits. An order number
// ("#123456789") is not one.
func (t *text) phone() bool {
	s := t.norm
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '+' && !isDigit(c) || i > 0 && (isDigit(s[i-1]) || s[i-1] == '#' || s[i-1] == '+' || s[i-1] >= 'a' && s[i-1] <= 'z') {
			continue
		}
		digits, seps, j := 0, 0, i+1
		if isDigit(s[i]) {
			digits = 1
		}
	scan:
		for ; j < len(s); j++ {
			switch c := s[j]; {
			case isDigit(c):
				digits++
				seps = 0
			case strings.IndexByte(" -.()", c) >= 0 && seps < 2:
				seps++
			default:
				break scan
			}
		}
		if digits >= 9 && digits <= 15 {
			return true
		}
		i = j - 1
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// mustLexicon compiles a built-in list; the tests compile every one, so a
// mistake cannot reach a running Parley.
func mustLexicon(list []string) *lexicon {
	l, err := compileLexicon(list)
	if err != nil {
		panic("moderation: built-in list: " + err.Error())
	}
	return l
}
