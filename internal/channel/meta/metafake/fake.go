// Package metafake is a local stand-in for Meta's Graph API and webhooks, for
// tests and demos of Parley's Facebook and Instagram adapters. It serves the
// Send API (/{page-or-me}/messages) with Meta's messaging windows and its
// one-private-reply-per-comment rule, comment replies, hiding and deletion,
// and documented error bodies; it can inject throttling and outages; and it
// builds webhook deliveries the way Meta sends them (non-ASCII escaped as
// \uXXXX, signed with X-Hub-Signature-256), posts them to a URL, and runs
// the hub.challenge verification. Customers' files are served at CDN-like
// URLs, which can be made to expire (media.go), and customers' profiles
// through the User Profile API, with its consent rule (profile.go).
//
// Customers write through the fake's builders (Message, Comment, Mention,
// Reaction), which record what opens a messaging window and return the
// delivery Meta would push. The account's own side has builders too: the
// echoes of what was sent through the API (Echo, ReplyEcho) and what the
// brand typed in Meta's tools (ToolEcho, ToolReply); OnSend lets a test
// deliver an echo before the API's answer, as Meta may. The fake is safe
// for concurrent use.
package metafake

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fake is a fake Graph API and webhook sender for one Meta app.
type Fake struct {
	// AppSecret signs deliveries.
	AppSecret string
	// AppID is the app_id carried by echoes of messages sent through the
	// fake's API (the app the adapter is).
	AppID string
	// Now is the fake's clock; nil means time.Now.
	Now func() time.Time
	// Client posts deliveries and challenges; nil means http.DefaultClient.
	Client *http.Client
	// CDNBase is the fake's server URL, under which the files of
	// customers' messages (Message.Image) are served; set it once the
	// server runs.
	CDNBase string
	// OnSend, if set, is called with each message or comment reply the
	// fake accepted, before it answers the request: Meta may deliver the
	// echo of a send before its answer reaches the sender, and a test can
	// deliver it here. It runs on the request's goroutine, without the
	// fake's lock; set it before the fake serves.
	OnSend func(Sent)

	mu       sync.Mutex
	accounts map[string]*account // by id
	tokens   map[string]*account // by access token
	windows  map[pair]time.Time  // a customer's last message to an account
	comments map[string]*comment
	messages map[string]Sent // sent through the Send API, by message id
	sent     []Sent
	failures []Failure
	seq      int
	// Files on the fake CDN, by name; see media.go.
	media        map[string]mediaFile
	mediaExpired bool
	mediaFetches int
	// People's profiles, by account and customer id; see profile.go.
	profiles       map[pair]Profile
	profileLookups int
}

type account struct {
	id, token string
	instagram bool
}

type pair struct{ account, customer string }

type comment struct {
	id, account, post, parent string
	text                      string // of the account's own replies
	from, psid                string
	at                        time.Time
	byAccount                 bool
	hidden, deleted, replied  bool
}

// Sent is a call the fake accepted that sent something: a message through
// the Send API or a comment reply.
type Sent struct {
	Account string
	// Path is the request path without the base, e.g. "/me/messages" or
	// "/123_456/comments".
	Path string
	// RecipientID and CommentID are the Send API recipient; the other
	// fields its message.
	RecipientID   string
	CommentID     string
	MessagingType string
	Tag           string
	Text          string
	AttachmentURL string
	Metadata      string
	// ID is the message or comment id the fake returned.
	ID string
	// Customer is whom a message reached (the PSID or IGSID).
	Customer string
	At       time.Time
}

// New returns an empty fake for an app with the given secret.
func New(appSecret string) *Fake {
	return &Fake{AppSecret: appSecret, AppID: "1000000000000001",
		accounts: map[string]*account{}, tokens: map[string]*account{}, windows: map[pair]time.Time{},
		comments: map[string]*comment{}, messages: map[string]Sent{}}
}

// AddPage makes a Facebook Page known, with the access token that acts as it.
func (f *Fake) AddPage(pageID, token string) { f.add(pageID, token, false) }

// AddInstagram makes an Instagram professional account known, with its token.
func (f *Fake) AddInstagram(accountID, token string) { f.add(accountID, token, true) }

func (f *Fake) add(id, token string, ig bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a := &account{id: id, token: token, instagram: ig}
	f.accounts[id] = a
	f.tokens[token] = a
}

// Sent returns what the fake has sent, oldest first.
func (f *Fake) Sent() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Sent(nil), f.sent...)
}

// Hidden reports whether a comment is hidden, and Deleted whether it was
// deleted through the API.
func (f *Fake) Hidden(commentID string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.comments[commentID]
	return c != nil && c.hidden
}

// Deleted reports whether a comment was deleted.
func (f *Fake) Deleted(commentID string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.comments[commentID]
	return c != nil && c.deleted
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// notify calls OnSend with s; f.mu is held, and released during the call
// so the hook may use the fake (build the echo, deliver it).
func (f *Fake) notify(s Sent) {
	if f.OnSend == nil {
		return
	}
	f.mu.Unlock()
	defer f.mu.Lock()
	f.OnSend(s)
}

// next returns a new sequence number; f.mu is held.
func (f *Fake) next() int {
	f.seq++
	return f.seq
}

// messageID returns a new message id in the account's style: Messenger's
// "m_…", Instagram's base64; f.mu is held.
func (f *Fake) messageID(ig bool) string {
	n := f.next()
	if ig {
		return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "ig_message_item:fake:%08d", n))
	}
	return fmt.Sprintf("m_fake%08d-%s", n, strings.Repeat("x", 8))
}
