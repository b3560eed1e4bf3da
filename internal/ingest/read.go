package ingest

import (
	"context"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// readScan bounds how many of a conversation's newest messages a read up
// to one of them looks through: a reader catches up on the end of a
// conversation, and what lies further back was marked by earlier reads.
const readScan = 100

// readBefore marks read our messages of upTo's conversation that the
// platform sent before upTo, which the reader has read up to
// (care.Inbound.ReadUpTo): those gone out and not yet read, ordered by
// their platform ids, numbers that grow with time. Failed ones stay failed.
func readBefore(ctx context.Context, q care.Queries, upTo *care.Message, now time.Time) ([]care.Event, error) {
	last, err := strconv.ParseUint(upTo.PlatformID, 10, 64)
	if err != nil {
		return nil, nil // not an id that orders; only upTo itself is read
	}
	recent, err := q.RecentMessages(ctx, []care.ID{upTo.ConversationID}, readScan)
	if err != nil {
		return nil, err
	}
	var events []care.Event
	for i := range recent {
		m := &recent[i]
		// Only messages of the kind read (a read DM says nothing of
		// public replies), never notes.
		if m.ID == upTo.ID || m.Direction != care.DirectionOut || m.Visibility != upTo.Visibility || m.Visibility == care.Note ||
			m.Status != care.DeliverySent && m.Status != care.DeliveryDelivered {
			continue
		}
		if id, err := strconv.ParseUint(m.PlatformID, 10, 64); err != nil || id >= last {
			continue
		}
		if err := q.SetDelivery(ctx, m.ID, care.DeliveryRead, "", ""); err != nil {
			return nil, err
		}
		m.Status, m.StatusReason = care.DeliveryRead, ""
		events = append(events, NewEvent(care.EventMessageUpdated, m.WorkspaceID, m.ConversationID, m.ID, m.InboxID, m, now))
	}
	return events, nil
}
