package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Platforms report on a message by its platform id, and the report can come
// before Parley knows the message by it: a delivery status that overtakes
// the answer to our send, the echo of our send stored before that answer
// was recorded, a reaction to a message whose first delivery failed. The
// report's raw event is then its only record; what follows finds those
// records when the id becomes known, by index: statuses by their dedupe
// keys (care.StatusKeys), reactions by refers_to.

// RawReactionsTo returns the inbox's reactions received at or after since
// to any of the messages platformIDs, processed or not, oldest first.
func (q queries) RawReactionsTo(ctx context.Context, inboxID care.ID, platformIDs []string, since time.Time) ([]care.RawEvent, error) {
	var out []care.RawEvent
	err := inChunks(platformIDs, func(chunk []string) error {
		// "refers_to <> ''" lets the engine use the partial index.
		var rows *sql.Rows
		var err error
		if q.d.Arrays {
			rows, err = q.query(ctx, `SELECT `+rawCols+` FROM raw_events WHERE inbox_id = ? AND refers_to <> '' AND refers_to = ANY(?::text[])
				AND received_at >= ?`, inboxID, chunk, micros(since))
		} else {
			args, in := inList([]any{inboxID}, chunk)
			rows, err = q.query(ctx, `SELECT `+rawCols+` FROM raw_events WHERE inbox_id = ? AND refers_to <> '' AND refers_to IN (`+in+`)
				AND received_at >= ?`, append(args, micros(since))...)
		}
		if err != nil {
			return q.wrap(err, "raw events")
		}
		found, err := collect(rows, scanRaw, q, "raw events")
		out = append(out, found...)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Oldest first across chunks: a later reaction replaces an earlier one.
	slices.SortFunc(out, func(a, b care.RawEvent) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// RecordSent records our message as gone out with the platform's id for
// it, merging into it the echo of it stored meanwhile, if any.
func (q queries) RecordSent(ctx context.Context, messageID care.ID, status care.DeliveryStatus, platformID string, now time.Time) ([]care.Event, error) {
	if platformID == "" {
		return nil, q.SetDelivery(ctx, messageID, status, "", "")
	}
	var events []care.Event
	err := q.inTx(ctx, func(q queries) error {
		if err := q.lockEvents(ctx); err != nil { // before any row lock
			return err
		}
		events = nil
		m, err := q.Message(ctx, messageID)
		if err != nil {
			return err
		}
		reason := ""
		dup, err := q.MessageByPlatformID(ctx, m.InboxID, platformID)
		switch {
		case care.ErrorCode(err) == care.ENOTFOUND:
		case err != nil:
			return err
		case dup.ID == m.ID:
		case !echoOf(dup, m):
			return care.Errorf(care.ECONFLICT, "Another message in the inbox has this platform id.")
		default:
			if events, err = q.mergeEcho(ctx, dup, m, now); err != nil {
				return err
			}
			// What the platform reported on the copy is about ours.
			if dup.Status.Outranks(status) {
				status, reason = dup.Status, dup.StatusReason
			}
		}
		if err := q.SetDelivery(ctx, m.ID, status, reason, platformID); err != nil {
			return err
		}
		if events != nil {
			if m, err = q.Message(ctx, m.ID); err != nil {
				return err
			}
			events = append(events, messageEvent(care.EventMessageUpdated, m, now))
			if err := q.AppendEvents(ctx, events); err != nil {
				return err
			}
		}
		// Reports stored before now are applied with the id, so that a
		// crash right after this commit cannot lose them; the caller looks
		// again after the commit for one stored meanwhile.
		reports, err := q.ApplyStatusReports(ctx, m.ID, now.Add(-care.EarlyKept), now)
		events = append(events, reports...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return events, nil
}

// echoOf reports whether dup, holding the platform id our message m was
// just given, is the echo of m stored as a message of its own: stored
// after m, outbound, written by no agent and to no contact, as the
// pipeline stores an echo (care.KindEcho). Platform ids are unique, so
// such a copy can only be of m; another of our messages holding the id
// (a platform reusing ids) is not.
func echoOf(dup, m *care.Message) bool {
	return dup.ID > m.ID && dup.Direction == care.DirectionOut && dup.Visibility != care.Note &&
		dup.AuthorID == 0 && dup.ContactID == 0
}

// mergeEcho keeps on m what the platform reported on its echo dup (its
// reactions, deletion, hiding, charge), then removes dup, and returns the
// event of its conversation, which is resolved if dup alone was in it, and
// message.deleted of dup.
func (q queries) mergeEcho(ctx context.Context, dup, m *care.Message, now time.Time) ([]care.Event, error) {
	have := map[care.ID]bool{}
	for _, r := range m.Reactions {
		have[r.ContactID] = true
	}
	for _, r := range dup.Reactions {
		if !have[r.ContactID] {
			if err := q.SetReaction(ctx, m.ID, r); err != nil {
				return nil, err
			}
		}
	}
	if dup.DeletedAt != nil && m.DeletedAt == nil {
		if err := q.MarkMessageDeleted(ctx, m.ID, *dup.DeletedAt); err != nil {
			return nil, err
		}
	}
	if dup.HiddenAt != nil && m.HiddenAt == nil {
		if err := q.SetMessageHidden(ctx, m.ID, dup.HiddenAt); err != nil {
			return nil, err
		}
	}
	if _, err := q.exec(ctx, `UPDATE charges SET message_id = ? WHERE message_id = ? AND NOT EXISTS (SELECT 1 FROM charges WHERE message_id = ?)`,
		m.ID, dup.ID, m.ID); err != nil {
		return nil, q.wrap(err, "charge")
	}
	if _, err := q.exec(ctx, `DELETE FROM charges WHERE message_id = ?`, dup.ID); err != nil {
		return nil, q.wrap(err, "charge")
	}
	if err := q.affectOne(ctx, "message", `DELETE FROM messages WHERE id = ?`, dup.ID); err != nil {
		return nil, err
	}
	if _, err := q.exec(ctx, `UPDATE conversations SET message_count = message_count - 1, updated_at = ? WHERE id = ? AND message_count > 0`,
		micros(now), dup.ConversationID); err != nil {
		return nil, q.wrap(err, "conversation")
	}
	conv, err := q.Conversation(ctx, dup.ConversationID)
	if err != nil {
		return nil, err
	}
	if conv.ID != m.ConversationID && conv.MessageCount == 0 && conv.Status != care.StatusResolved {
		// The copy opened a conversation of its own (ours was resolved
		// with the reply), which holds nothing now: done with, as if it
		// had never been opened.
		resolved := care.StatusResolved
		if conv, err = q.UpdateConversation(ctx, conv.ID, care.ConversationUpdate{Status: &resolved}, now); err != nil {
			return nil, err
		}
	}
	data, _ := care.EncodeJSON(conv)
	// dup was announced as message.created: clients and webhooks holding
	// it learn it is gone.
	return []care.Event{{WorkspaceID: conv.WorkspaceID, Type: care.EventConversationUpdated, ConversationID: conv.ID,
		InboxID: conv.InboxID, Data: data, CreatedAt: now}, messageEvent(care.EventMessageDeleted, dup, now)}, nil
}

// ApplyStatusReports applies to our message the platform's delivery
// reports on its platform id, and the reactions to it, received at or
// after since.
func (q queries) ApplyStatusReports(ctx context.Context, messageID care.ID, since, now time.Time) ([]care.Event, error) {
	var events []care.Event
	err := q.inTx(ctx, func(q queries) error {
		if err := q.lockEvents(ctx); err != nil { // before any row lock
			return err
		}
		events = nil
		m, err := q.Message(ctx, messageID)
		if err != nil {
			return err
		}
		if m.PlatformID == "" || m.Direction != care.DirectionOut {
			return nil
		}
		var ch string
		if err := q.row(ctx, `SELECT channel FROM inboxes WHERE id = ?`, m.InboxID).Scan(&ch); err != nil {
			return q.wrap(err, "inbox")
		}
		statusChanged, err := q.applyStatusReports(ctx, m, care.Channel(ch), since, now)
		if err != nil {
			return err
		}
		reacted, err := q.applyReactions(ctx, m, care.Channel(ch), since)
		if err != nil {
			return err
		}
		if !statusChanged && !reacted {
			return nil
		}
		if reacted {
			if m, err = q.Message(ctx, m.ID); err != nil {
				return err
			}
		}
		events = []care.Event{messageEvent(care.EventMessageUpdated, m, now)}
		return q.AppendEvents(ctx, events)
	})
	if err != nil {
		return nil, err
	}
	return events, nil
}

// applyStatusReports sets on our message m the best of the delivery
// reports on its platform id received at or after since, if it outranks
// m's status, records their charges, and reports whether the status
// changed.
func (q queries) applyStatusReports(ctx context.Context, m *care.Message, ch care.Channel, since, now time.Time) (bool, error) {
	keys := care.StatusKeys(ch, m.PlatformID)
	args, in := inList([]any{m.InboxID}, keys)
	rows, err := q.query(ctx, `SELECT `+rawCols+` FROM raw_events WHERE inbox_id = ? AND dedupe_key IN (`+in+`) AND received_at >= ? ORDER BY id`,
		append(args, micros(since))...)
	if err != nil {
		return false, q.wrap(err, "raw events")
	}
	reports, err := collect(rows, scanRaw, q, "raw events")
	if err != nil {
		return false, err
	}
	var best *care.Inbound
	for i := range reports {
		in := &reports[i].Inbound
		if in.Kind != care.KindStatus || in.PlatformID != m.PlatformID {
			continue
		}
		if in.Charge != "" {
			if err := q.RecordCharge(ctx, m.InboxID, m.ID, in.Charge, now); err != nil {
				return false, err
			}
		}
		if best == nil || in.Status.Outranks(best.Status) {
			best = in
		}
	}
	if best == nil || !best.Status.Outranks(m.Status) || best.Status == m.Status && best.StatusReason == m.StatusReason {
		return false, nil
	}
	if err := q.SetDelivery(ctx, m.ID, best.Status, best.StatusReason, ""); err != nil {
		return false, err
	}
	m.Status, m.StatusReason = best.Status, best.StatusReason
	return true, nil
}

// applyReactions puts on our message m the reactions to its platform id
// received at or after since, as the pipeline would have put them had it
// known the id: in the order they came, each its author's only one. A
// customer reacting to our reply is one we answered, so their identity is
// known; a reaction by an author Parley has no identity for is left out,
// for contacts are the pipeline's to create. It reports whether m's
// reactions changed; applying the same reactions again changes nothing.
func (q queries) applyReactions(ctx context.Context, m *care.Message, ch care.Channel, since time.Time) (bool, error) {
	raws, err := q.RawReactionsTo(ctx, m.InboxID, []string{m.PlatformID}, since)
	if err != nil || len(raws) == 0 {
		return false, err
	}
	var ids []string
	for i := range raws {
		in := &raws[i].Inbound
		ids = append(append(ids, in.Author.PlatformUserID), in.AuthorAliases...)
	}
	idents, err := q.FindIdentities(ctx, m.WorkspaceID, ch, ids)
	if err != nil {
		return false, err
	}
	// Each author's last reaction, in the order of their last.
	last := map[care.ID]care.Reaction{}
	var order []care.ID
	for i := range raws {
		in := &raws[i].Inbound
		if in.Kind != care.KindReaction || in.ReplyToPlatformID != m.PlatformID {
			continue
		}
		var ident *care.Identity
		for _, id := range append([]string{in.Author.PlatformUserID}, in.AuthorAliases...) {
			if ident = idents[id]; ident != nil {
				break
			}
		}
		if ident == nil {
			continue
		}
		c := ident.ContactID
		if _, ok := last[c]; ok {
			order = slices.DeleteFunc(order, func(x care.ID) bool { return x == c })
		}
		order = append(order, c)
		last[c] = care.Reaction{ContactID: c, Emoji: in.Text, At: in.SentAt}
	}
	had := map[care.ID]string{}
	for _, r := range m.Reactions {
		had[r.ContactID] = r.Emoji
	}
	changed := false
	for _, c := range order {
		r := last[c]
		if had[c] == r.Emoji {
			continue
		}
		if err := q.SetReaction(ctx, m.ID, r); err != nil {
			return false, err
		}
		changed = true
	}
	return changed, nil
}

// messageEvent is the event of a change to m, with m as its data.
func messageEvent(t care.EventType, m *care.Message, now time.Time) care.Event {
	data, _ := care.EncodeJSON(m)
	return care.Event{WorkspaceID: m.WorkspaceID, Type: t, ConversationID: m.ConversationID, MessageID: m.ID, InboxID: m.InboxID,
		Data: data, CreatedAt: now}
}
