package meta

import (
	"crypto/sha256"
	"strings"
	"sync"
)

// Meta echoes what an account sends: Messenger and Instagram messages in
// messaging[] (is_echo), comments in the feed and comments fields. Parley
// skips the echoes of its own sends, which it records from the API's
// answer. Messenger's echoes name the app (app_id) and carry the metadata
// Send set; Instagram's, as Meta documents them, carry neither, and Meta
// documents no metadata for Instagram's Send API
// (developers.facebook.com/documentation/business-messaging/instagram-messaging/webhooks,
// "is_echo"). The core knows an echo as Parley's once the outbox has
// recorded the message's id; an echo threaded before that, which Meta may
// send before it even answers the send, is stored as written outside
// Parley until the outbox records the id, which then merges that copy into
// the reply (care.Queries.RecordSent), whichever process received it. sends
// keeps the copy from being stored at all where it can, in the process that
// sends: what it is sending, and the ids Meta gave what it just sent. It
// spares agents and webhook subscribers a copy that appears and goes, and
// the merge's writes.

// maxRecentSends bounds the ids remembered. An echo follows its send
// within seconds; once the outbox has recorded the id, the core
// recognises the echo by it, so a few thousand cover any rate Meta allows.
const maxRecentSends = 4096

// sends is the process's record, shared by both adapters: one app
// subscription delivers Page and Instagram events to either.
var sends = newSendLog(maxRecentSends)

type sendLog struct {
	mu       sync.Mutex
	inflight map[flight]int      // sends under way
	recent   map[string]struct{} // account + "\x00" + id, of sends Meta accepted
	ring     []string            // recent's keys, oldest overwritten first
	next     int
}

// flight is a send under way: the account, whom it goes to ("" when Meta
// decides, as for a private or public reply to a comment), and a hash of
// what it says.
type flight struct {
	account, to string
	content     [sha256.Size]byte
}

func newSendLog(n int) *sendLog {
	return &sendLog{inflight: map[flight]int{}, recent: map[string]struct{}{}, ring: make([]string, n)}
}

// begin records a send under way from account to to (or "") with content
// (see textContent and attachmentContent). The returned func ends it, with
// the id Meta gave it, "" when the send failed.
func (l *sendLog) begin(account, to, content string) (done func(id string)) {
	f := flight{account: account, to: to, content: sha256.Sum256([]byte(content))}
	l.mu.Lock()
	l.inflight[f]++
	l.mu.Unlock()
	return func(id string) {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.inflight[f]--; l.inflight[f] <= 0 {
			delete(l.inflight, f)
		}
		if id == "" {
			return
		}
		k := account + "\x00" + id
		if _, ok := l.recent[k]; ok {
			return
		}
		if old := l.ring[l.next]; old != "" {
			delete(l.recent, old)
		}
		l.ring[l.next], l.recent[k] = k, struct{}{}
		l.next = (l.next + 1) % len(l.ring)
	}
}

// sent reports whether Meta gave id to a send of this process from account.
func (l *sendLog) sent(account, id string) bool {
	if id == "" {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.recent[account+"\x00"+id]
	return ok
}

// sending reports whether a send from account to to with content is
// under way: its echo can arrive before Meta answers the send.
func (l *sendLog) sending(account, to, content string) bool {
	sum := sha256.Sum256([]byte(content))
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inflight[flight{account, to, sum}] > 0 || l.inflight[flight{account, "", sum}] > 0
}

// textContent is how a text is compared between a send and its echo, line
// ends and surrounding space aside.
func textContent(s string) string {
	return "text:" + strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// attachmentContent stands for a message of one attachment of a kind
// (image, video, audio, file): its echo's URL is Meta's copy, not the one
// sent.
func attachmentContent(kind string) string { return "attachment:" + kind }
