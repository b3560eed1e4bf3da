package desk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/ingest"
)

// Reply is an agent's answer to a conversation.
type Reply struct {
	Text        string
	Visibility  care.Visibility // public or private; "" means the conversation's last inbound visibility
	Attachments []care.Attachment
	// ReplyToMessageID answers a particular message; 0 answers the newest
	// inbound message.
	ReplyToMessageID care.ID
}

// Reply stores the reply and its outbox entry in one transaction, so it is
// sent exactly when it is stored. Returns ENOTFOUND for a conversation of
// another workspace, and EINVALID for an empty or oversized reply or one the
// channel's platform would refuse (with what to do instead).
func (s *Service) Reply(ctx context.Context, p care.Principal, convID care.ID, r Reply) (*care.Message, error) {
	var msg *care.Message
	err := s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		conv, err := conversation(ctx, q, p, convID)
		if err != nil {
			return nil, err
		}
		m, err := s.queue(ctx, q, p, conv, r, now)
		if err != nil {
			return nil, err
		}
		msg = m
		if err := audit(ctx, q, p, "message.reply", target("conversation", conv.ID), map[string]any{"message_id": msg.ID, "visibility": msg.Visibility}, now); err != nil {
			return nil, err
		}
		if conv, err = q.Conversation(ctx, conv.ID); err != nil {
			return nil, err
		}
		// A held reply has answered nobody yet: its clocks stop when it is
		// approved (see Approve).
		var alerts []care.Event
		if msg.Status != care.DeliveryPendingApproval {
			if alerts, err = s.clock(ctx, q, conv, care.ClockAgentReply, now); err != nil {
				return nil, err
			}
			if conv, err = rerank(ctx, q, conv, now); err != nil {
				return nil, err
			}
		}
		return append([]care.Event{
			ingest.NewEvent(care.EventMessageCreated, conv.WorkspaceID, conv.ID, msg.ID, conv.InboxID, msg, now),
			ingest.NewEvent(care.EventConversationUpdated, conv.WorkspaceID, conv.ID, 0, conv.InboxID, conv, now),
		}, alerts...), nil
	})
	if err != nil {
		return nil, err
	}
	if s.OutboxWake != nil {
		s.OutboxWake()
	}
	return msg, nil
}

// ReplyIn queues a reply inside the caller's transaction, with every check
// Reply makes; automation sends saved replies this way, in the transaction
// of the change that fired the rule.
func (s *Service) ReplyIn(ctx context.Context, q care.Queries, p care.Principal, conv *care.Conversation, r Reply, now time.Time) (*care.Message, error) {
	if conv.WorkspaceID != p.WorkspaceID || !p.Scope.Sees(conv) {
		return nil, care.ConversationNotFound()
	}
	m, err := s.queue(ctx, q, p, conv, r, now)
	if err == nil && s.OutboxWake != nil {
		defer s.OutboxWake()
	}
	return m, err
}

// queue validates a reply against the conversation and the platform's rules,
// and stores it with its outbox entry.
func (s *Service) queue(ctx context.Context, q care.Queries, p care.Principal, conv *care.Conversation, r Reply, now time.Time) (*care.Message, error) {
	if err := checkText(r.Text, len(r.Attachments)); err != nil {
		return nil, err
	}
	if err := checkAttachments(r.Attachments); err != nil {
		return nil, err
	}
	if err := mayReply(ctx, q, p, conv); err != nil {
		return nil, err
	}
	if r.Visibility != "" && r.Visibility != care.Public && r.Visibility != care.Private {
		return nil, care.Errorf(care.EINVALID, "A reply is public or private; use a note for internal text.")
	}
	newest, err := newestInbound(ctx, q, conv.ID)
	if err != nil {
		return nil, err
	}
	parent, err := replyTarget(ctx, q, conv, r.ReplyToMessageID, newest)
	if err != nil {
		return nil, err
	}
	vis := r.Visibility
	if vis == "" {
		vis = care.Private
		if parent != nil {
			vis = parent.Visibility
		}
	}
	if err := s.checkPolicy(ctx, q, conv, r, vis, parent, newest[vis], now); err != nil {
		return nil, err
	}
	msg := &care.Message{
		WorkspaceID: conv.WorkspaceID, ConversationID: conv.ID, InboxID: conv.InboxID,
		Direction: care.DirectionOut, Visibility: vis, AuthorID: p.UserID, AuthorName: p.Name,
		Text: r.Text, Attachments: r.Attachments, Status: care.DeliveryQueued, CreatedAt: now, SentAt: now,
	}
	// A public reply must name the post it answers (a tweet, a comment);
	// a private one names a message only when the agent chose one, since
	// platforms such as WhatsApp show that as a quoted bubble.
	if parent != nil && (vis == care.Public || r.ReplyToMessageID != 0) {
		msg.ReplyToPlatformID = parent.PlatformID
	}
	if vis == care.Public {
		reasons, err := approvalReasons(ctx, q, p, conv, r.Text)
		if err != nil {
			return nil, err
		}
		if len(reasons) > 0 {
			// Held: stored, shown, but with no outbox entry nothing can
			// send it until an approver does.
			msg.Status, msg.StatusReason = care.DeliveryPendingApproval, strings.Join(reasons, "; ")
			if err := q.CreateMessage(ctx, msg); err != nil {
				return nil, err
			}
			return msg, audit(ctx, q, p, "message.hold", target("message", msg.ID), map[string]any{"reasons": reasons}, now)
		}
	}
	if err := q.CreateMessage(ctx, msg); err != nil {
		return nil, err
	}
	if err := q.EnqueueOutbox(ctx, &care.OutboxEntry{
		MessageID: msg.ID, InboxID: conv.InboxID, Channel: conv.Channel,
		IdempotencyKey: fmt.Sprintf("parley-message-%d", msg.ID), NextAttemptAt: now, CreatedAt: now,
	}); err != nil {
		return nil, err
	}
	return msg, nil
}

// replyTarget finds the message a reply answers: the one named, or the
// newest inbound message of the conversation.
func replyTarget(ctx context.Context, q care.Queries, conv *care.Conversation, id care.ID, newest map[care.Visibility]*care.Message) (*care.Message, error) {
	if id != 0 {
		m, err := q.Message(ctx, id)
		if err != nil || m.ConversationID != conv.ID {
			return nil, care.Errorf(care.EINVALID, "reply_to_message_id is not a message of this conversation.")
		}
		return m, nil
	}
	return newest[""], nil
}

// newestInbound returns the customer's newest message of the conversation,
// under "", and the newest of each visibility.
func newestInbound(ctx context.Context, q care.Queries, convID care.ID) (map[care.Visibility]*care.Message, error) {
	newest := map[care.Visibility]*care.Message{}
	var after care.ID
	for {
		page, err := q.Messages(ctx, convID, after, 500)
		if err != nil {
			return nil, err
		}
		for i := range page {
			if m := &page[i]; m.Direction == care.DirectionIn {
				newest[""], newest[m.Visibility] = m, m
			}
		}
		if len(page) < 500 {
			return newest, nil
		}
		after = page[len(page)-1].ID
	}
}

// checkPolicy asks the channel's adapter whether the platform would take
// the reply, so the agent hears "outside the 24-hour window" now rather than
// as a failed delivery later.
func (s *Service) checkPolicy(ctx context.Context, q care.Queries, conv *care.Conversation, r Reply, vis care.Visibility, parent, last *care.Message, now time.Time) error {
	pol, ok := s.Adapters.Policy(conv.Channel)
	if !ok {
		return nil
	}
	in, err := q.Inbox(ctx, conv.InboxID)
	if err != nil {
		return err
	}
	c := channel.ReplyCheck{Inbox: *in, Conversation: *conv, Text: r.Text, Visibility: vis,
		Attachments: r.Attachments, ReplyTo: parent, LastInbound: last, Now: now}
	if err := pol.CheckReply(c); err != nil {
		return err
	}
	if hp, ok := s.Adapters.HistoryPolicy(conv.Channel); ok {
		return hp.CheckReplyHistory(ctx, c)
	}
	return nil
}

// ReplyRefusals is what the platform's rules would say now to a short
// reply of each visibility in vis (a messaging window closed, an opt-out),
// with no entry for one it would take: the composer says it before the
// agent writes, not after they send. The conversation is read as p sees
// it.
func (s *Service) ReplyRefusals(ctx context.Context, p care.Principal, convID care.ID, vis ...care.Visibility) (map[care.Visibility]string, error) {
	q := s.Store
	conv, err := conversation(ctx, q, p, convID)
	if err != nil {
		return nil, err
	}
	newest, err := newestInbound(ctx, q, conv.ID)
	if err != nil {
		return nil, err
	}
	out := map[care.Visibility]string{}
	for _, v := range vis {
		err := s.checkPolicy(ctx, q, conv, Reply{Text: "Hello"}, v, newest[""], newest[v], s.now())
		switch {
		case care.ErrorCode(err) == care.EINVALID:
			out[v] = care.ErrorMessage(err)
		case err != nil:
			return nil, err
		}
	}
	return out, nil
}

// Note adds an internal note, which never leaves Parley.
func (s *Service) Note(ctx context.Context, p care.Principal, convID care.ID, text string) (*care.Message, error) {
	if err := checkText(text, 0); err != nil {
		return nil, err
	}
	var msg *care.Message
	err := s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		conv, err := conversation(ctx, q, p, convID)
		if err != nil {
			return nil, err
		}
		msg = &care.Message{
			WorkspaceID: conv.WorkspaceID, ConversationID: conv.ID, InboxID: conv.InboxID,
			Direction: care.DirectionOut, Visibility: care.Note, AuthorID: p.UserID, AuthorName: p.Name,
			Text: text, Status: care.DeliveryStored, CreatedAt: now, SentAt: now,
		}
		if err := q.CreateMessage(ctx, msg); err != nil {
			return nil, err
		}
		if err := audit(ctx, q, p, "message.note", target("conversation", conv.ID), map[string]any{"message_id": msg.ID}, now); err != nil {
			return nil, err
		}
		events := []care.Event{ingest.NewEvent(care.EventMessageCreated, conv.WorkspaceID, conv.ID, msg.ID, conv.InboxID, msg, now)}
		ev, err := notifyMentions(ctx, q, p, conv, msg, now)
		if err != nil {
			return nil, err
		}
		return append(events, ev...), nil
	})
	if err != nil {
		return nil, err
	}
	return msg, nil
}

// Retry queues a failed reply again. Returns ENOTFOUND for a message the
// principal may not see, and EINVALID unless the message is an outbound
// reply that failed.
func (s *Service) Retry(ctx context.Context, p care.Principal, messageID care.ID) (*care.Message, error) {
	var msg *care.Message
	err := s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		m, conv, err := message(ctx, q, p, messageID)
		if err != nil {
			return nil, err
		}
		if m.Direction != care.DirectionOut || m.Visibility == care.Note || m.Status != care.DeliveryFailed {
			return nil, care.Errorf(care.EINVALID, "Only a failed reply can be retried.")
		}
		if err := q.EnqueueOutbox(ctx, &care.OutboxEntry{
			MessageID: m.ID, InboxID: m.InboxID, Channel: conv.Channel,
			IdempotencyKey: fmt.Sprintf("parley-message-%d", m.ID), NextAttemptAt: now, CreatedAt: now,
		}); err != nil {
			return nil, err
		}
		if err := q.SetDelivery(ctx, m.ID, care.DeliveryQueued, "", ""); err != nil {
			return nil, err
		}
		m.Status, m.StatusReason = care.DeliveryQueued, ""
		msg = m
		if err := audit(ctx, q, p, "message.retry", target("message", m.ID), nil, now); err != nil {
			return nil, err
		}
		return []care.Event{ingest.NewEvent(care.EventMessageUpdated, m.WorkspaceID, m.ConversationID, m.ID, m.InboxID, m, now)}, nil
	})
	if err != nil {
		return nil, err
	}
	if s.OutboxWake != nil {
		s.OutboxWake()
	}
	return msg, nil
}

// Announce emits message.updated for a message whose delivery status a
// sender has just recorded, and returns the channel it went out on.
func (s *Service) Announce(ctx context.Context, messageID care.ID) (care.Channel, error) {
	var ch care.Channel
	err := s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		m, err := q.Message(ctx, messageID)
		if err != nil {
			return nil, err
		}
		c, err := q.Conversation(ctx, m.ConversationID)
		if err != nil {
			return nil, err
		}
		ch = c.Channel
		return []care.Event{ingest.NewEvent(care.EventMessageUpdated, m.WorkspaceID, m.ConversationID, m.ID, m.InboxID, m, now)}, nil
	})
	return ch, err
}
