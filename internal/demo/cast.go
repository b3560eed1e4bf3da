package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
)

// kind is a way a customer reaches the brand.
type kind int

const (
	xMention kind = iota // a public post on X
	xDM
	fbMessage // Messenger
	fbComment // a comment on the Page's post
	igDM
	igComment
	waMessage
	smsMessage
	tgMessage
	webForm       // the API inbox
	bskyPost      // a post mentioning the brand on Bluesky
	bskyDM        // a Bluesky chat message
	mastoPost     // a Mastodon post mentioning the brand, public or direct
	ytComment     // a comment under one of the brand's YouTube videos
	gbpReview     // a Google review of the brand's flagship shop
	redditComment // a Reddit comment answering the brand or naming it
	redditDM      // a Reddit private message to the brand's account
	phoneCall     // a call to the care line, reported by the phone system
	fsqTip        // a Foursquare tip about one of the brand's shops
	webChat       // a message in the chat on the brand's website
	emailMessage  // an email to the brand's care address
	blogPost      // a post on a blog, mentioning the brand
	wpComment     // a comment on the brand's own blog, a WordPress site
	numKinds
)

// channel is the kind's Parley channel.
func (k kind) channel() care.Channel {
	return [...]care.Channel{care.ChannelX, care.ChannelX, care.ChannelFacebook, care.ChannelFacebook,
		care.ChannelInstagram, care.ChannelInstagram, care.ChannelWhatsApp, care.ChannelSMS, care.ChannelTelegram, care.ChannelAPI,
		care.ChannelBluesky, care.ChannelBluesky, care.ChannelMastodon, care.ChannelYouTube, care.ChannelReviews,
		care.ChannelReddit, care.ChannelReddit, care.ChannelPhone, care.ChannelFoursquare, care.ChannelWebChat, care.ChannelEmail,
		care.ChannelBlog, care.ChannelWordPress}[k]
}

// public reports whether the kind is written for everyone to see.
func (k kind) public() bool {
	switch k {
	case xMention, fbComment, igComment, bskyPost, mastoPost, ytComment, gbpReview, redditComment, fsqTip, blogPost, wpComment:
		return true
	}
	return false
}

// polled reports whether Parley fetches the kind from the platform, which
// has no webhooks, rather than being sent it: such messages have no
// acknowledgement to time. A mailbox is polled too, over IMAP.
func (k kind) polled() bool {
	switch k {
	case bskyPost, bskyDM, mastoPost, ytComment, gbpReview, redditComment, redditDM, fsqTip, blogPost, wpComment, emailMessage:
		return true
	}
	return false
}

// pushed reports whether the platform pushes the kind to Parley's webhook
// (or the brand's backend to its API inbox): what headless load drives at
// its rate, and times. Everything else, what Parley polls and the web
// chat's socket, a headless run sends aside, a few at the start.
func (k kind) pushed() bool { return !k.polled() && k != webChat }

// prompt reports whether Parley has what a customer writes at once:
// pushed to it, said over the web chat's socket, or in a mailbox whose
// IMAP IDLE wakes Parley's poll. A headless run's customers answer
// replies aside from the rate only there, since the run ends before
// Parley's next poll of the other platforms.
func (k kind) prompt() bool { return !k.polled() || k == emailMessage }

// unnamed reports whether the platform gives the kind's authors no id of
// their own: Google names a reviewer only by their name and photo, and
// Foursquare does not say who wrote a tip, so Parley makes the identity.
func (k kind) unnamed() bool { return k == gbpReview || k == fsqTip }

func (k kind) String() string {
	return [...]string{"X post", "X DM", "Messenger", "Facebook comment", "Instagram DM", "Instagram comment",
		"WhatsApp", "SMS", "Telegram", "web form", "Bluesky post", "Bluesky DM", "Mastodon post", "YouTube comment", "Google review",
		"Reddit comment", "Reddit message", "phone call", "Foursquare tip", "web chat", "email", "blog post", "WordPress comment"}[k]
}

// customer is one simulated person on one channel. A person who writes on
// two channels (WhatsApp, then SMS from the same phone) is two customers
// with the same key.
type customer struct {
	key       string // the demo's name for the person, the same across channels
	kind      kind
	name      string
	lang      string
	id        string // their id on the platform, as Parley's identity holds it; "" when it gives none (unnamed)
	psid      string // a Facebook commenter's Messenger id
	handle    string
	followers int64
	verified  bool
	phone     string // digits with the country code, for WhatsApp, SMS and calls
	num       int64  // a Telegram user id, a Mastodon account id
	post      int    // which of the brand's recent posts a commenter comments on
	switched  bool   // the SMS side of a WhatsApp customer
	// email is the address a web chat visitor gives in the chat, ""
	// for none; chat is, for the email side of such a visitor, the
	// visitor.
	email string
	chat  *customer

	// Guarded by cast.mu.
	anchor    string // what their next public message answers: a post or top comment id
	followUps int
	visitor   string // a web chat visitor's id, once Parley has given one
}

var names = map[string]struct{ first, last []string }{
	"en": {[]string{"Emma", "Oliver", "Amelia", "Harry", "Sophie", "Jack", "Grace", "Noah"}, []string{"Clarke", "Hughes", "Patel", "Murphy", "Walsh", "Bennett"}},
	"es": {[]string{"Lucía", "Mateo", "Sofía", "Hugo", "Martina", "Pablo"}, []string{"García", "Fernández", "López", "Martín", "Ruiz", "Navarro"}},
	"fr": {[]string{"Camille", "Louis", "Chloé", "Jules", "Léa", "Manon"}, []string{"Dubois", "Moreau", "Laurent", "Lefèvre", "Girard", "Roux"}},
	"de": {[]string{"Jonas", "Mia", "Lukas", "Hannah", "Felix", "Lea"}, []string{"Becker", "Schneider", "Wagner", "Hoffmann", "Schulz", "Krüger"}},
	"pt": {[]string{"João", "Beatriz", "Tiago", "Inês", "Rui", "Mariana"}, []string{"Almeida", "Ferreira", "Costa", "Sousa", "Pereira", "Rocha"}},
}

// countryCode is a plausible mobile prefix for a customer of each language.
var countryCode = map[string]string{"en": "447700", "es": "346", "fr": "336", "de": "49151", "pt": "35191"}

// cast holds every customer of a run. Customers are made from the run's
// seed in the order the script or the load asks for them, so the same seed
// makes the same people.
type cast struct {
	mu     sync.Mutex
	r      *rand.Rand
	n      int
	byKind [numKinds][]*customer
	byID   map[string]*customer // channel ":" platform user id, and comment ids
}

func newCast(seed int64) *cast {
	return &cast{r: rand.New(rand.NewPCG(uint64(seed), 0xca57)), byID: map[string]*customer{}}
}

// newCustomer makes a customer writing by k in lang ("" draws one).
func (c *cast) newCustomer(k kind, lang string) *customer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.add(k, lang)
}

func (c *cast) add(k kind, lang string) *customer {
	if lang == "" {
		lang = pickLanguage(c.r)
	}
	c.n++
	n := c.n
	nm := names[lang]
	first, last := pick(c.r, nm.first), pick(c.r, nm.last)
	cu := &customer{key: "c" + strconv.Itoa(n), kind: k, name: first + " " + last, lang: lang, post: n % 3}
	// X allows 15 characters in a handle.
	f := fold(first)
	cu.handle = fmt.Sprintf("%s%s%d", f[:min(len(f), 7)], fold(last)[:1], n%100000)
	switch k {
	case xMention, xDM:
		cu.id = strconv.FormatInt(1700000000000000000+int64(n), 10)
		// Audiences are heavy-tailed: most people have a few hundred
		// followers, a few have tens of thousands.
		cu.followers = int64(math.Pow(10, 1+c.r.Float64()*3.5))
	case fbMessage:
		cu.id = strconv.FormatInt(6100000000000000+int64(n), 10)
	case fbComment:
		cu.id = strconv.FormatInt(1220000000000000+int64(n), 10)
		cu.psid = strconv.FormatInt(6200000000000000+int64(n), 10)
	case igDM, igComment:
		cu.id = strconv.FormatInt(17840000000000000+int64(n), 10)
	case waMessage, smsMessage:
		cu.phone = countryCode[lang] + fmt.Sprintf("%06d", n%1000000)
	case tgMessage:
		cu.num = 5000000000 + int64(n)
		cu.id = strconv.FormatInt(cu.num, 10)
	case webForm:
		cu.id = "web-" + strconv.Itoa(n)
	case bskyPost, bskyDM:
		// did:plc ids are 24 characters of base32; letters stand in for
		// the digits of n.
		cu.id = "did:plc:demo" + strings.Map(func(r rune) rune { return 'a' + r - '0' }, fmt.Sprintf("%020d", n))
		cu.followers = int64(math.Pow(10, 1+c.r.Float64()*3))
	case mastoPost:
		cu.num = 110000000000000000 + int64(n)
		cu.id = cu.handle + "@" + mastofake.DefaultDomain
		cu.followers = int64(math.Pow(10, 1+c.r.Float64()*3))
	case ytComment:
		// A YouTube channel id is "UC" and 22 more characters.
		cu.id = fmt.Sprintf("UCorbitviewer%011d", n)
	case redditComment, redditDM:
		// Parley knows a Redditor by their username in lower case, as
		// Reddit compares them; the handle is already.
		cu.id = cu.handle
	case phoneCall:
		cu.phone = countryCode[lang] + fmt.Sprintf("%06d", n%1000000)
	case emailMessage, wpComment:
		// Parley knows an email customer, and a WordPress commenter, by
		// the address they write from, in lower case.
		cu.id = address(first, last, n)
	}
	c.file(cu)
	return cu
}

// file makes cu findable by the ids a platform reports when Parley answers.
func (c *cast) file(cu *customer) {
	switch cu.kind {
	case waMessage:
		cu.id = wafake.BSUID(cu.phone)
		c.byID[string(care.ChannelWhatsApp)+":"+cu.phone] = cu
	case smsMessage, phoneCall:
		cu.id = "+" + cu.phone
	case fbComment:
		c.byID[string(care.ChannelFacebook)+":"+cu.psid] = cu
	}
	c.byKind[cu.kind] = append(c.byKind[cu.kind], cu)
	if cu.id != "" {
		c.byID[string(cu.kind.channel())+":"+cu.id] = cu
	}
}

// switchToSMS returns the SMS side of a WhatsApp customer: the same person
// and phone number, writing by text message.
func (c *cast) switchToSMS(wa *customer) *customer {
	return c.sameNumber(wa, smsMessage, true)
}

// caller returns a customer who texted (or wrote on WhatsApp) calling the
// care line from the same number. Parley links the call to them by the
// number, without anyone merging contacts.
func (c *cast) caller(cu *customer) *customer {
	return c.sameNumber(cu, phoneCall, false)
}

func (c *cast) sameNumber(cu *customer, k kind, switched bool) *customer {
	c.mu.Lock()
	defer c.mu.Unlock()
	other := &customer{key: cu.key, kind: k, name: cu.name, lang: cu.lang, phone: cu.phone, handle: cu.handle, switched: switched}
	c.file(other)
	return other
}

// chatWithEmail returns a new web chat visitor who gives their name and
// email address in the chat.
func (c *cast) chatWithEmail(lang string) *customer {
	c.mu.Lock()
	defer c.mu.Unlock()
	cu := c.add(webChat, lang)
	first, last, _ := strings.Cut(cu.name, " ")
	cu.email = address(first, last, c.n)
	return cu
}

// byEmail returns the email side of a web chat visitor who gave their
// address: the same person, writing from it.
func (c *cast) byEmail(chat *customer) *customer {
	c.mu.Lock()
	defer c.mu.Unlock()
	other := &customer{key: chat.key, kind: emailMessage, name: chat.name, lang: chat.lang, handle: chat.handle, id: chat.email, chat: chat}
	c.file(other)
	return other
}

// address is a customer's email address, made from their name.
func address(first, last string, n int) string {
	return fmt.Sprintf("%s.%s%d@%s", fold(first), fold(last), n, mailDomains[n%len(mailDomains)])
}

// mailDomains are the customers' mail providers, all on domains reserved
// for examples.
var mailDomains = [...]string{"example.net", "example.org", "example.com"}

// someone returns a customer who wrote by k before, or a new one: returning
// customers continue their conversations. It returns whether the customer
// is new. A Foursquare tip names no author, so whoever writes one is
// someone new to Parley; a blog post is someone new writing about the
// brand, since bloggers do not follow a conversation up.
func (c *cast) someone(k kind, returning float64) (*customer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k == fsqTip || k == blogPost {
		returning = 0
	}
	if old := c.byKind[k]; len(old) > 0 && c.r.Float64() < returning {
		return pick(c.r, old), false
	}
	return c.add(k, ""), true
}

// find returns the customer with the platform id on ch.
func (c *cast) find(ch care.Channel, id string) *customer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byID[string(ch)+":"+id]
}

// fileComment remembers whose comment (or Bluesky conversation, Mastodon
// status, YouTube thread, Google review, Reddit comment or message) id is,
// so that a reply to it finds them.
func (c *cast) fileComment(ch care.Channel, id string, cu *customer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byID[string(ch)+":comment:"+id] = cu
	if cu.anchor == "" {
		cu.anchor = id
	}
}

// setAnchor records what cu's next public message answers.
func (c *cast) setAnchor(cu *customer, id string) {
	c.mu.Lock()
	cu.anchor = id
	c.mu.Unlock()
}

func (c *cast) anchorOf(cu *customer) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return cu.anchor
}

// fold writes a name in lower-case ASCII, for handles.
func fold(s string) string {
	r := strings.NewReplacer("á", "a", "à", "a", "ã", "a", "â", "a", "ä", "a", "é", "e", "è", "e", "ê", "e", "ë", "e",
		"í", "i", "ï", "i", "ó", "o", "ô", "o", "õ", "o", "ö", "o", "ú", "u", "ü", "u", "ç", "c", "ñ", "n", "ß", "ss")
	var b strings.Builder
	for _, ch := range r.Replace(strings.ToLower(s)) {
		if ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' {
			b.WriteRune(ch)
		}
	}
	return b.String()
}
