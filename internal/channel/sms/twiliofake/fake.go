// Package twiliofake is a local stand-in for Twilio's Programmable
// Messaging, for tests and demos: it serves the Messages resource that
// replies are posted to, and posts signed webhooks (customers' messages and
// the statuses of sent ones) the way Twilio does, form-encoded with an
// X-Twilio-Signature.
//
//	f := twiliofake.New()
//	srv := httptest.NewServer(f.Handler())   // point an inbox's api_base here
//	f.WebhookURL = parleyURL + "/webhooks/7"  // the number's "A message comes in" URL
//	sid, err := f.Deliver(ctx, twiliofake.Message{From: "+14155550123", Body: "Hi"})
//	…                                         // Parley replies through srv
//	f.Advance(ctx)                            // sent; again: delivered
//
// Like Twilio, the fake keeps an opt-out list: a customer who texts STOP
// (or another opt-out keyword) is refused with error 21610 until they text
// START. Throttle and FailNext make the next sends fail with a 429 or a 500.
package twiliofake

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

// Defaults: an account, its auth token, its number and a Messaging Service.
const (
	DefaultAccountSID = "AC0123456789abcdef0123456789abcdef"
	DefaultAuthToken  = "0123456789abcdef0123456789abcdef"
	DefaultNumber     = "+14155550100"
	DefaultServiceSID = "MG0123456789abcdef0123456789abcdef"
)

// Fake is a Twilio account. Set its fields before serving requests or
// posting webhooks; after that, use its methods, which are safe for
// concurrent use.
type Fake struct {
	// AccountSID and AuthToken authenticate the REST API (HTTP Basic) and
	// sign webhooks; New sets the defaults.
	AccountSID, AuthToken string
	// Numbers are the account's SMS numbers, which a send's From may name;
	// New sets DefaultNumber.
	Numbers []string
	// ServiceSID is the account's Messaging Service, which a send's
	// MessagingServiceSid may name; New sets DefaultServiceSID.
	ServiceSID string
	// WebhookURL is where customers' messages are posted: the number's "A
	// message comes in" webhook.
	WebhookURL string
	// SignWithPort signs webhooks as if the URL carried its scheme's
	// default port (":443", ":80") when it has none, which Twilio does for
	// some URLs and which validators must accept.
	SignWithPort bool
	// AdvancedOptOut adds OptOutType (STOP, START or HELP) to messages that
	// match a keyword, as a Messaging Service with Advanced Opt-Out does.
	AdvancedOptOut bool
	// Client posts webhooks; nil means a client with a 10-second timeout.
	Client *http.Client
	// Now is the fake's clock; nil means time.Now.
	Now func() time.Time

	mu           sync.Mutex
	sent         []Sent
	optedOut     map[string]bool
	throttle     int
	retryAfter   string
	serverErrors int
}

// New returns a fake with the default account, number and service.
func New() *Fake {
	return &Fake{AccountSID: DefaultAccountSID, AuthToken: DefaultAuthToken, Numbers: []string{DefaultNumber},
		ServiceSID: DefaultServiceSID, optedOut: map[string]bool{}}
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Fake) client() *http.Client {
	if f.Client != nil {
		return f.Client
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// Throttle makes the next n sends fail with 429 and error 20429, with a
// Retry-After of retryAfter when it is not "".
func (f *Fake) Throttle(n int, retryAfter string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttle, f.retryAfter = n, retryAfter
}

// FailNext makes the next n sends fail with 500 and error 20500.
func (f *Fake) FailNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.serverErrors = n
}

// OptedOut reports whether number has opted out of the account's messages.
func (f *Fake) OptedOut(number string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.optedOut[number]
}

// Sent is a message the fake accepted.
type Sent struct {
	SID                 string
	To, From            string
	MessagingServiceSid string
	Body                string
	MediaURLs           []string
	StatusCallback      string
	// Status is the last status reported: queued (or accepted through a
	// Messaging Service), then as Advance and Status move it.
	Status string
	// Form is the request's parameters as received.
	Form map[string][]string
	At   time.Time
}

// Sent returns the messages accepted so far, oldest first.
func (f *Fake) Sent() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Sent, len(f.sent))
	copy(out, f.sent)
	return out
}

// newSID returns a new SID with prefix: two letters and 32 hexadecimal
// digits, random like Twilio's.
func newSID(prefix string) string {
	b := make([]byte, 16)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
