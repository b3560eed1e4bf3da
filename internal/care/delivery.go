package care

import "time"

// deliveryRank orders the statuses a platform reports for our message.
var deliveryRank = map[DeliveryStatus]int{
	DeliveryQueued: 1, DeliverySent: 2, DeliveryDelivered: 3, DeliveryRead: 4, DeliveryFailed: 5,
}

// Outranks reports whether a platform's report of status s replaces cur on
// our message. Reports arrive out of order, so a late "delivered" never
// overwrites "read"; "failed" always wins, for the agent must see it.
func (s DeliveryStatus) Outranks(cur DeliveryStatus) bool {
	return s == DeliveryFailed || deliveryRank[s] > deliveryRank[cur]
}

// StatusKeys are the dedupe keys under which the platform's delivery
// reports for our message platformID on channel ch are stored, one per
// status a report may carry: what RecordSent looks for.
func StatusKeys(ch Channel, platformID string) []string {
	keys := make([]string, 0, 4)
	for _, s := range []DeliveryStatus{DeliverySent, DeliveryDelivered, DeliveryRead, DeliveryFailed} {
		in := Inbound{Kind: KindStatus, Channel: ch, PlatformID: platformID, Status: s}
		keys = append(keys, in.DedupeKey())
	}
	return keys
}

// EarlyKept is how long a platform's report about a message that Parley
// does not know yet (a deletion, a reaction, a delivery status) is applied
// to the message when it comes: well beyond a platform's retries of a
// delivery that failed. A report older than that most likely names a
// message that will never come.
const EarlyKept = 7 * 24 * time.Hour
