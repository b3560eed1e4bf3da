// Package wafake is a local stand-in for the WhatsApp Cloud API, for tests
// and demos: it serves the messages endpoint that replies are posted to and
// pushes signed webhooks (customer messages and delivery statuses) to a
// callback URL, with the shapes, errors and signing of Meta's documentation.
//
//	f := wafake.New(appSecret)
//	srv := httptest.NewServer(f.Handler())  // point an inbox's api_base here
//	f.WebhookURL = parleyURL + "/webhooks/7"
//	wamid, err := f.Deliver(ctx, wafake.Message{From: "16505551234", Name: "Ana", Text: "Hi"})
//	…                                        // Parley replies through srv
//	f.Advance(ctx)                           // sent; again: delivered; again: read
//
// The fake enforces the 24-hour customer service window per customer from
// the messages it delivered or was told of (Remember): a free-form message
// outside it is refused with error 131047, a registered template is always
// accepted when its parameters are given as it takes them, by name for a
// named template and in order for a positional one (see Approve). It lists
// its templates at GET /{waba id}/message_templates. Throttle and FailNext
// make the next sends fail with 130429 or a 5xx, Refuse with any error
// code; PairInterval makes sends to one customer in quick succession fail
// with 131056.
package wafake

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"sync"
	"time"
)

// Defaults, the example values of Meta's documentation.
const (
	DefaultPhoneNumberID      = "106540352242922"
	DefaultDisplayPhoneNumber = "15550783881"
	DefaultWABAID             = "102290129340398"
	DefaultAccessToken        = "wafake-access-token"
)

// Fake is a WhatsApp Cloud API. Set its fields before serving requests or
// delivering webhooks; after that, use its methods, which are safe for
// concurrent use.
type Fake struct {
	// AccessToken is the bearer token the messages endpoint accepts;
	// New sets DefaultAccessToken.
	AccessToken string
	// WebhookURL receives the signed webhooks: the inbox's callback URL.
	WebhookURL string
	// Client posts webhooks; nil means a client with a 10-second timeout.
	Client *http.Client
	// Now is the fake's clock, for the window and timestamps; nil means
	// time.Now.
	Now func() time.Time
	// PricingModel shapes statuses' pricing: "PMP" (per-message pricing,
	// the default) or "CBP" (conversation-based, with a conversation object).
	PricingModel string
	// DeferWindowErrors makes a free-form send outside the window succeed
	// and fail afterwards, as a failed status with error 131047 on the
	// next Advance, the way WhatsApp reports many delivery errors.
	DeferWindowErrors bool
	// PairInterval, when set, is the least time between two messages to
	// the same customer: a send sooner fails with error 131056 (pair rate
	// limit; WhatsApp allows about one message every six seconds to one
	// customer, ".../whatsapp/throughput").
	PairInterval time.Duration

	appSecret string

	mu           sync.Mutex
	seq          int
	lastInbound  map[customer]time.Time
	templates    map[string]template // by name and language
	sent         []Sent
	media        map[string]media
	throttle     int
	serverErrors int
	refusals     []refusal
	lastSent     map[customer]time.Time // by recipient, for PairInterval
}

// customer is a customer of one business number, by phone number or BSUID.
type customer struct{ phoneNumberID, id string }

// New returns a fake whose webhooks are signed with appSecret. It knows one
// template, hello_world in en_US (utility, no parameters), as a new test
// number does.
func New(appSecret string) *Fake {
	f := &Fake{AccessToken: DefaultAccessToken, PricingModel: "PMP", appSecret: appSecret,
		lastInbound: map[customer]time.Time{}, templates: map[string]template{}, lastSent: map[customer]time.Time{}}
	f.AddTemplate("hello_world", "en_US", "utility", 0)
	return f
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// AddTemplate approves a positional template: sends of name in language
// with exactly params body parameters, none named, are accepted, and
// billed in category (marketing, utility or authentication). Approve adds
// any other.
func (f *Fake) AddTemplate(name, language, category string, params int) {
	body := "Update"
	for i := 1; i <= params; i++ {
		body += fmt.Sprintf(" {{%d}}", i)
	}
	f.Approve(Template{Name: name, Language: language, Category: category, Body: body})
}

// Throttle makes the next n sends fail with error 130429 (throughput
// reached).
func (f *Fake) Throttle(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttle = n
}

// refusal is a Cloud API error a send is answered with.
type refusal struct {
	code           int
	title, details string
}

// Refuse makes the next send fail with HTTP 400 and the Cloud API error
// code, title and details, as WhatsApp refuses what the fake does not
// model: 131053 for media it cannot upload, 131051 for a message type it
// does not support, 131009 for a value it does not take. Each call queues
// one refusal.
func (f *Fake) Refuse(code int, title, details string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refusals = append(f.refusals, refusal{code, title, details})
}

// FailNext makes the next n sends fail with HTTP 500 and error 131000.
func (f *Fake) FailNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.serverErrors = n
}

// Remember records that customer (a phone number or BSUID) wrote to business
// number phoneNumberID at t, opening the window without a webhook.
func (f *Fake) Remember(phoneNumberID, customerID string, t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.remember(phoneNumberID, customerID, t)
}

func (f *Fake) remember(phoneNumberID, id string, t time.Time) {
	if id == "" {
		return
	}
	k := customer{phoneNumberID, id}
	if t.After(f.lastInbound[k]) {
		f.lastInbound[k] = t
	}
}

// Sent is a message the fake accepted.
type Sent struct {
	ID            string
	PhoneNumberID string
	// To and Recipient are the request's phone number and BSUID.
	To, Recipient string
	Type          string
	// Text is a text message's body or a media message's caption.
	Text string
	// Template is the template's name for a template message.
	Template string
	// ReplyTo is context.message_id.
	ReplyTo string
	// Opaque is biz_opaque_callback_data, echoed in statuses.
	Opaque string
	// Body is the request body as received.
	Body []byte
	At   time.Time

	category    string
	lastStatus  string
	failWindow  bool
	pricingSent bool
}

// Sent returns the messages accepted so far, oldest first.
func (f *Fake) Sent() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Sent, len(f.sent))
	copy(out, f.sent)
	return out
}

// nextID returns a new wamid. Real ones are base64 of an opaque record;
// these only need to be unique.
func (f *Fake) nextID() string {
	f.seq++
	return fmt.Sprintf("wamid.HBgLZmFrZS0%08dFQIAERgS", f.seq)
}

// BSUID is the business-scoped user id the fake gives a phone number:
// stable, and shaped like Meta's ("US.13491208655302741918").
func BSUID(phone string) string {
	h := fnv.New64a()
	h.Write([]byte(phone))
	return fmt.Sprintf("US.%d", h.Sum64()%1e17)
}
