package desk

import (
	"context"
	"slices"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/ingest"
)

// TakePrivate is the "take it private" action: a short public
// acknowledgement under the customer's post and a private message to them
// (a DM, or a private reply to the comment), in one conversation.
type TakePrivate struct {
	// MessageID is the customer's public message to answer.
	MessageID   care.ID
	PublicText  string // e.g. "Sorry about this! We've sent you a DM."
	PrivateText string // e.g. "Hi Ana, could you share your order number?"
}

// TakePrivate queues both replies in one transaction and tags the
// conversation; when the customer answers in private the pipeline tags it
// moved-private. Either reply failing the platform's rules (a closed
// messaging window, a DM the platform would refuse) stores neither.
func (s *Service) TakePrivate(ctx context.Context, p care.Principal, convID care.ID, t TakePrivate) ([]care.Message, error) {
	var out []care.Message
	err := s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		conv, err := conversation(ctx, q, p, convID)
		if err != nil {
			return nil, err
		}
		post, err := q.Message(ctx, t.MessageID)
		if err != nil || post.ConversationID != conv.ID || post.Direction != care.DirectionIn || post.Visibility != care.Public {
			return nil, care.Errorf(care.EINVALID, "message_id must be a public message from the customer in this conversation.")
		}
		pub, err := s.queue(ctx, q, p, conv, Reply{Text: t.PublicText, Visibility: care.Public, ReplyToMessageID: post.ID}, now)
		if err != nil {
			return nil, err
		}
		priv, err := s.queue(ctx, q, p, conv, Reply{Text: t.PrivateText, Visibility: care.Private, ReplyToMessageID: post.ID}, now)
		if err != nil {
			return nil, err
		}
		out = []care.Message{*pub, *priv}
		tags := append(slices.Clone(conv.Tags), care.TagTakenPrivate)
		if conv, err = q.UpdateConversation(ctx, conv.ID, care.ConversationUpdate{Tags: &tags}, now); err != nil {
			return nil, err
		}
		if err := audit(ctx, q, p, "conversation.take_private", target("conversation", conv.ID),
			map[string]any{"message_id": post.ID, "public_id": pub.ID, "private_id": priv.ID}, now); err != nil {
			return nil, err
		}
		alerts, err := s.clock(ctx, q, conv, care.ClockAgentReply, now)
		if err != nil {
			return nil, err
		}
		if conv, err = rerank(ctx, q, conv, now); err != nil {
			return nil, err
		}
		return append([]care.Event{
			ingest.NewEvent(care.EventMessageCreated, conv.WorkspaceID, conv.ID, pub.ID, conv.InboxID, pub, now),
			ingest.NewEvent(care.EventMessageCreated, conv.WorkspaceID, conv.ID, priv.ID, conv.InboxID, priv, now),
			ingest.NewEvent(care.EventConversationUpdated, conv.WorkspaceID, conv.ID, 0, conv.InboxID, conv, now),
		}, alerts...), nil
	})
	if err != nil {
		return nil, err
	}
	if s.OutboxWake != nil {
		s.OutboxWake()
	}
	return out, nil
}
