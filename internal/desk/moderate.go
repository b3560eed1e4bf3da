package desk

import (
	"context"
	"errors"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/ingest"
)

// Moderate hides, unhides or deletes a customer's public comment on the
// platform itself, or deletes our own public reply there. The platform is
// asked first, outside any transaction; only what it accepted is recorded.
// Returns ENOTFOUND for a message the principal may not see, and EINVALID for
// a message that is not a public inbound comment or a channel that cannot
// moderate.
func (s *Service) Moderate(ctx context.Context, p care.Principal, messageID care.ID, action channel.ModerationAction) (*care.Message, error) {
	switch action {
	case channel.Hide, channel.Unhide, channel.Delete:
	default:
		return nil, care.Errorf(care.EINVALID, "action must be hide, unhide or delete.")
	}
	m, _, err := message(ctx, s.Store, p, messageID)
	if err != nil {
		return nil, err
	}
	// Our own public reply, once the platform has it, can be taken back
	// (deleted); hiding is for customers' comments.
	ours := m.Direction == care.DirectionOut && action == channel.Delete && m.DeletedAt == nil &&
		(m.Status == care.DeliverySent || m.Status == care.DeliveryDelivered || m.Status == care.DeliveryRead)
	if m.Visibility != care.Public || m.PlatformID == "" || m.Direction != care.DirectionIn && !ours {
		return nil, care.Errorf(care.EINVALID, "Only a customer's public comment can be moderated, or our own sent public reply deleted.")
	}
	in, err := s.Store.Inbox(ctx, m.InboxID)
	if err != nil {
		return nil, err
	}
	mod, ok := s.Adapters.Moderator(in.Channel)
	if !ok {
		return nil, care.Errorf(care.EINVALID, "Comments on %s cannot be moderated from Parley.", in.Channel)
	}
	if err := mod.Moderate(ctx, *in, m.PlatformID, action); err != nil {
		return nil, care.Errorf(care.EUNAVAILABLE, "%s refused: %s", in.Channel, sendReason(err))
	}
	err = s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		switch action {
		case channel.Delete:
			if err := q.MarkMessageDeleted(ctx, m.ID, now); err != nil {
				return nil, err
			}
			m.DeletedAt = &now
		case channel.Hide:
			if err := q.SetMessageHidden(ctx, m.ID, &now); err != nil {
				return nil, err
			}
			m.HiddenAt = &now
		case channel.Unhide:
			if err := q.SetMessageHidden(ctx, m.ID, nil); err != nil {
				return nil, err
			}
			m.HiddenAt = nil
		}
		if err := audit(ctx, q, p, "message."+string(action), target("message", m.ID), map[string]any{"platform_id": m.PlatformID}, now); err != nil {
			return nil, err
		}
		return []care.Event{ingest.NewEvent(care.EventMessageUpdated, m.WorkspaceID, m.ConversationID, m.ID, m.InboxID, m, now)}, nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// sendReason is the platform's reason from a send error, or a generic one.
func sendReason(err error) string {
	var se *channel.SendError
	if errors.As(err, &se) && se.Reason != "" {
		return se.Reason
	}
	return "the platform did not accept the request"
}
