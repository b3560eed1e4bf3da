package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// recordTimeout bounds the bookkeeping after a send. It runs on a context
// detached from shutdown: a reply that went out should be recorded as sent,
// not sent again by the next worker.
const recordTimeout = 10 * time.Second

// Bounds on the text stored with a message and an entry. Reasons are shown to
// agents; last errors are for operators.
const (
	maxReasonBytes  = 1 << 10
	maxLastErrBytes = 2 << 10
)

// errNotBegun is deliver's answer when shutdown came before the send did:
// the entry may be released for another worker.
var errNotBegun = errors.New("outbox: shutting down before the send began")

// deliver makes one attempt at one leased entry. It returns an error only
// when storage failed; the entry then stays leased and comes back when the
// lease runs out. It returns errNotBegun, having changed nothing, when ctx
// ended before the send began.
func (w *Worker) deliver(ctx context.Context, e care.OutboxEntry, leasedUntil time.Time) error {
	if ctx.Err() != nil {
		return errNotBegun
	}
	log := w.logger().With("outbox_id", e.ID, "message_id", e.MessageID, "channel", e.Channel, "attempt", e.Attempts+1)

	out, err := w.load(ctx, e)
	if err != nil && ctx.Err() != nil {
		return errNotBegun // shutdown cut the loading short
	}
	if err != nil {
		if care.ErrorCode(err) != care.ENOTFOUND {
			return fmt.Errorf("outbox: entry %d: %w", e.ID, err)
		}
		return w.fail(ctx, e, log, "a record the reply needs no longer exists", err)
	}
	msg := &out.Message
	switch {
	case msg.Status == care.DeliverySent || msg.Status == care.DeliveryDelivered || msg.Status == care.DeliveryRead:
		// An earlier worker sent it and recorded so, then died before
		// completing the entry.
		log.Info("outbox entry already delivered", "status", msg.Status)
		return w.complete(ctx, e)
	case msg.Direction != care.DirectionOut || msg.Visibility == care.Note:
		// Never let a note or a customer's own message reach a platform,
		// whatever put it in the outbox.
		log.Error("outbox entry is not an outbound reply; dropped", "direction", msg.Direction, "visibility", msg.Visibility)
		return w.complete(ctx, e)
	case out.Inbox.Channel != e.Channel:
		return w.fail(ctx, e, log, fmt.Sprintf("the inbox is on channel %q, not %q", out.Inbox.Channel, e.Channel), nil)
	}
	sender, ok := w.Senders.Sender(e.Channel)
	if !ok {
		return w.fail(ctx, e, log, fmt.Sprintf("no sender is configured for channel %q", e.Channel), nil)
	}

	remaining := leasedUntil.Sub(w.now())
	if remaining <= 0 {
		// Another worker may own the entry by now; sending could post the
		// reply twice at once. Leave it to whoever leases it next.
		log.Warn("outbox lease expired before sending; skipped")
		return nil
	}
	if ctx.Err() != nil {
		return errNotBegun
	}
	// A send under way finishes even when shutdown begins, within its own
	// timeout: cut off, it may have reached the platform unrecorded, and
	// the next worker would send it again.
	res, err := w.send(context.WithoutCancel(ctx), sender, out, min(w.sendTimeout(), remaining))

	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	now := w.now()
	if err == nil {
		w.health(out.Inbox.ID, care.HealthUpdate{SendAt: now, RateLimit: res.RateLimit})
		if res.RecipientID != "" && w.OnRecipient != nil {
			w.OnRecipient(out, res.RecipientID)
		}
		return w.sent(rctx, e, log, res)
	}
	var se *channel.SendError
	isSendErr := errors.As(err, &se)
	reason := failureReason(err, se)
	h := care.HealthUpdate{Error: truncate(reason, maxReasonBytes), ErrorAt: now}
	if isSendErr {
		h.RateLimit = se.RateLimit
		if se.Refused {
			// This reply's trouble, not the account's.
			h.Error, h.ErrorAt = "", time.Time{}
		}
	}
	if h != (care.HealthUpdate{}) {
		w.health(out.Inbox.ID, h)
	}
	attempt := e.Attempts + 1
	switch {
	case isSendErr && se.Permanent:
		return w.fail(rctx, e, log, reason, err)
	case attempt >= w.maxAttempts():
		return w.fail(rctx, e, log, fmt.Sprintf("gave up after %d attempts: %s", attempt, reason), err)
	}
	wait := Backoff(e.Attempts, w.baseDelay(), w.maxDelay(), w.rand())
	if isSendErr {
		wait = max(wait, se.RetryAfter)
	}
	next := w.now().Add(wait)
	if err := w.Store.RetryOutbox(rctx, e.ID, next, truncate(err.Error(), maxLastErrBytes)); err != nil {
		return fmt.Errorf("outbox: reschedule entry %d: %w", e.ID, err)
	}
	log.Warn("outbox send failed; will retry", "err", err, "next_attempt_at", next)
	return w.record(rctx, e, care.DeliveryQueued, "retrying: "+reason, "")
}

// load gathers what a sender needs to address the entry's message.
func (w *Worker) load(ctx context.Context, e care.OutboxEntry) (channel.Outbound, error) {
	out := channel.Outbound{IdempotencyKey: e.IdempotencyKey}
	msg, err := w.Store.Message(ctx, e.MessageID)
	if err != nil {
		return out, fmt.Errorf("load message %d: %w", e.MessageID, err)
	}
	in, err := w.Store.Inbox(ctx, msg.InboxID)
	if err != nil {
		return out, fmt.Errorf("load inbox %d: %w", msg.InboxID, err)
	}
	conv, err := w.Store.Conversation(ctx, msg.ConversationID)
	if err != nil {
		return out, fmt.Errorf("load conversation %d: %w", msg.ConversationID, err)
	}
	contact, err := w.Store.Contact(ctx, conv.ContactID)
	if err != nil {
		return out, fmt.Errorf("load contact %d: %w", conv.ContactID, err)
	}
	out.Message, out.Inbox, out.Conversation, out.Contact = *msg, *in, *conv, *contact
	if out.LastInbound, err = w.lastInbound(ctx, conv.ID, msg.Visibility); err != nil {
		return out, err
	}
	return out, nil
}

// lastInbound finds the customer's newest message of the visibility.
func (w *Worker) lastInbound(ctx context.Context, convID care.ID, vis care.Visibility) (*care.Message, error) {
	var last *care.Message
	var after care.ID
	for {
		page, err := w.Store.Messages(ctx, convID, after, 500)
		if err != nil {
			return nil, fmt.Errorf("load messages of conversation %d: %w", convID, err)
		}
		for i := range page {
			if page[i].Direction == care.DirectionIn && page[i].Visibility == vis {
				last = &page[i]
			}
		}
		if len(page) < 500 {
			return last, nil
		}
		after = page[len(page)-1].ID
	}
}

// health reports what an attempt says about its inbox.
func (w *Worker) health(inboxID care.ID, h care.HealthUpdate) {
	if w.OnHealth != nil {
		w.OnHealth(inboxID, h)
	}
}

// send makes the attempt under its own deadline. A panicking adapter fails
// the reply rather than the process; it would only panic again on a retry.
func (w *Worker) send(ctx context.Context, s channel.Sender, out channel.Outbound, timeout time.Duration) (res channel.Result, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err = channel.Guard(func() (err error) {
		res, err = s.Send(ctx, out)
		return err
	})
	return res, err
}

// recordTries is how often recording a send with RecordSent is tried
// before the send is recorded on its own.
const recordTries = 3

func (w *Worker) sent(ctx context.Context, e care.OutboxEntry, log *slog.Logger, res channel.Result) error {
	status := res.Status
	if status != care.DeliveryDelivered {
		status = care.DeliverySent
	}
	platformID := res.PlatformID
	events, err := w.Store.RecordSent(ctx, e.MessageID, status, platformID, w.now())
	for try := 1; try < recordTries && err != nil && care.ErrorCode(err) != care.ECONFLICT && ctx.Err() == nil; try++ {
		// Only a merge with the echo holding the id keeps what the
		// platform reports under it on our reply: worth asking again
		// before recording the send without it.
		events, err = w.Store.RecordSent(ctx, e.MessageID, status, platformID, w.now())
	}
	if care.ErrorCode(err) == care.ECONFLICT && platformID != "" {
		// The echo of this reply, threaded on another node at the same
		// moment, took the id first: read again, it is there to merge.
		events, err = w.Store.RecordSent(ctx, e.MessageID, status, platformID, w.now())
	}
	if err != nil && care.ErrorCode(err) != care.ECONFLICT && ctx.Err() == nil {
		// The reply went out; left queued, it would be sent again. Record
		// that much on its own, without merging an echo or applying early
		// reports (a conflict with an echo holding the id is met below).
		log.Warn("outbox: recording the send failed; recording it on its own", "err", err)
		events, err = nil, w.Store.SetDelivery(ctx, e.MessageID, status, "", platformID)
	}
	if care.ErrorCode(err) == care.ECONFLICT && platformID != "" {
		// The platform reused an id another message in the inbox holds.
		// The reply did go out; keep that, drop the id.
		log.Warn("platform id already taken; recorded without it", "platform_id", platformID)
		platformID = ""
		err = w.Store.SetDelivery(ctx, e.MessageID, status, "", "")
	}
	if err != nil {
		return fmt.Errorf("outbox: record delivery of message %d: %w", e.MessageID, err)
	}
	if platformID != "" {
		// A delivery report, or the customer's reaction, can overtake the
		// answer to the send (the platform's webhook races its HTTP
		// response), and the pipeline then had no message to apply it to.
		// Looked for after the id is
		// committed, not with it: a report stored since is threaded by a
		// pipeline that sees the id, whichever node it runs on.
		now := w.now()
		reports, err := w.Store.ApplyStatusReports(ctx, e.MessageID, now.Add(-care.EarlyKept), now)
		if err != nil {
			// The send stands; only an early report is missed.
			log.Warn("outbox: delivery reports or reactions that came before the send's answer not applied", "err", err)
		}
		events = append(events, reports...)
	}
	if w.Publisher != nil && len(events) > 0 {
		w.Publisher.Publish(events...)
	}
	if res.Charge != "" {
		if err := w.Store.RecordCharge(ctx, e.InboxID, e.MessageID, res.Charge, w.now()); err != nil {
			// The send stands; only the spend count misses it.
			log.Warn("outbox: charge not recorded", "err", err)
		}
	}
	if err := w.complete(ctx, e); err != nil {
		return err
	}
	log.Info("outbox message sent", "status", status, "platform_id", res.PlatformID)
	w.notify(e.MessageID, status, "")
	return nil
}

// fail records a reply as undeliverable and removes its entry.
func (w *Worker) fail(ctx context.Context, e care.OutboxEntry, log *slog.Logger, reason string, cause error) error {
	reason = truncate(reason, maxReasonBytes)
	log.Warn("outbox message failed", "reason", reason, "err", cause)
	err := w.record(ctx, e, care.DeliveryFailed, reason, "")
	if err != nil && care.ErrorCode(err) != care.ENOTFOUND {
		return err
	}
	return w.complete(ctx, e)
}

func (w *Worker) record(ctx context.Context, e care.OutboxEntry, status care.DeliveryStatus, reason, platformID string) error {
	reason = truncate(reason, maxReasonBytes)
	if err := w.Store.SetDelivery(ctx, e.MessageID, status, reason, platformID); err != nil {
		return fmt.Errorf("outbox: set delivery of message %d to %s: %w", e.MessageID, status, err)
	}
	w.notify(e.MessageID, status, reason)
	return nil
}

func (w *Worker) complete(ctx context.Context, e care.OutboxEntry) error {
	if err := w.Store.CompleteOutbox(ctx, e.ID); err != nil {
		return fmt.Errorf("outbox: complete entry %d: %w", e.ID, err)
	}
	return nil
}

func (w *Worker) notify(msg care.ID, status care.DeliveryStatus, reason string) {
	if w.OnDelivery != nil {
		w.OnDelivery(msg, status, reason)
	}
}

// failureReason is the agent-facing account of a failed send. Only a
// SendError's Reason is written for display; any other error may carry
// internals and goes to the log alone.
func failureReason(err error, se *channel.SendError) string {
	switch {
	case se != nil && se.Reason != "":
		return se.Reason
	case errors.Is(err, context.DeadlineExceeded):
		return "the platform did not answer in time"
	}
	return "the channel adapter failed"
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
