package channel

import (
	"sync"
	"time"
)

// Unanswered remembers, by idempotency key, the sends that went out and
// got no answer (a timeout, a cut connection, a 5xx), with the time of the
// first such attempt. A platform with no idempotency key of its own may
// have posted such a reply after all: before trying again, the adapter
// looks on the platform for a reply written since that time, and reports
// it instead of posting twice.
//
// The memory is the process's own: a crash forgets it, and the next
// attempt posts without looking. Its zero value is ready to use; it is
// safe for concurrent use.
type Unanswered struct {
	mu   sync.Mutex
	keys map[string]time.Time
}

const (
	// unansweredTTL is how long an attempt is remembered: the outbox gives
	// up on a reply well before.
	unansweredTTL = 48 * time.Hour
	// maxUnanswered bounds the memory; past it, expired attempts go, then
	// the oldest. Each forgotten attempt costs at worst a duplicate reply.
	maxUnanswered = 10_000
)

// Remember records an unanswered attempt to send key made at at, unless
// an earlier one is remembered: the lookup must reach back to the first.
// An empty key is not remembered.
func (u *Unanswered) Remember(key string, at time.Time) {
	if key == "" {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, ok := u.keys[key]; ok {
		return
	}
	if u.keys == nil {
		u.keys = map[string]time.Time{}
	}
	if len(u.keys) >= maxUnanswered {
		var oldest string
		for k, t := range u.keys {
			if at.Sub(t) > unansweredTTL {
				delete(u.keys, k)
			} else if oldest == "" || t.Before(u.keys[oldest]) {
				oldest = k
			}
		}
		if len(u.keys) >= maxUnanswered {
			delete(u.keys, oldest)
		}
	}
	u.keys[key] = at
}

// Since returns the time of the first unanswered attempt to send key, if
// one is remembered and not older than two days at now.
func (u *Unanswered) Since(key string, now time.Time) (time.Time, bool) {
	if key == "" {
		return time.Time{}, false
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	t, ok := u.keys[key]
	if ok && now.Sub(t) > unansweredTTL {
		delete(u.keys, key)
		return time.Time{}, false
	}
	return t, ok
}

// Forget drops key: its reply is known to be posted, or known not to be.
func (u *Unanswered) Forget(key string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.keys, key)
}
