package webchat

import "time"

// mailPerHour is how many emails one address, or one visitor, may be sent
// in an hour. Each only says that a reply waits in the chat, so a few are
// plenty for a real visitor, and few is what a stranger typing someone
// else's address can have sent to them.
const mailPerHour = 3

// mailBudget remembers, per key (an address, a visitor), when the emails
// of the last hour went out. It lives in the node holding the mail lease:
// a node that takes the lease over starts afresh, which at most doubles
// the allowance for that hour.
type mailBudget map[string][]time.Time

// allow reports whether every key had fewer than mailPerHour emails in the
// hour before now.
func (b mailBudget) allow(now time.Time, keys ...string) bool {
	for _, k := range keys {
		if len(b.recent(k, now)) >= mailPerHour {
			return false
		}
	}
	return true
}

// spend counts an email sent at now against every key.
func (b mailBudget) spend(now time.Time, keys ...string) {
	for _, k := range keys {
		b[k] = append(b.recent(k, now), now)
	}
}

// prune forgets the keys with no email in the last hour, so the map holds
// at most the keys of an hour's emails.
func (b mailBudget) prune(now time.Time) {
	for k := range b {
		b.recent(k, now)
	}
}

// recent drops the key's emails older than an hour and returns the rest.
func (b mailBudget) recent(k string, now time.Time) []time.Time {
	ts := b[k]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= time.Hour {
		i++
	}
	if i == len(ts) {
		delete(b, k)
		return nil
	}
	ts = ts[i:]
	b[k] = ts
	return ts
}
