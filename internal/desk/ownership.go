package desk

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/ingest"
)

// SettingName is the workspace setting that holds the desk's Settings.
const SettingName = "desk"

// Settings are how a workspace's desk works.
type Settings struct {
	// OnlyAssigneeReplies lets only a conversation's assignee (or a
	// supervisor) reply once it is assigned, so two agents never answer one
	// customer at once.
	OnlyAssigneeReplies bool `json:"only_assignee_replies"`
}

// ParseSettings checks a Settings document.
func ParseSettings(doc []byte) (*Settings, error) {
	var s Settings
	if err := care.DecodeSettings(doc, &s, "desk settings"); err != nil {
		return nil, err
	}
	return &s, nil
}

// TagDismissed marks a conversation someone closed without an answer, with
// a reason: a mention that needed none, spam the filters missed.
const TagDismissed = "dismissed"

// MaxReasonBytes bounds a dismissal's reason.
const MaxReasonBytes = 500

// Dismiss closes a conversation that needs no answer, saying why: every
// public mention is either owned or dismissed with a reason. The reason is
// kept as a note and in the audit trail.
func (s *Service) Dismiss(ctx context.Context, p care.Principal, convID care.ID, reason string) (*care.Conversation, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > MaxReasonBytes || !utf8.ValidString(reason) {
		return nil, care.Errorf(care.EINVALID, "Say why the conversation needs no answer, in at most %d bytes.", MaxReasonBytes)
	}
	var out *care.Conversation
	err := s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		conv, err := conversation(ctx, q, p, convID)
		if err != nil {
			return nil, err
		}
		if conv.Status == care.StatusResolved {
			return nil, care.Errorf(care.ECONFLICT, "The conversation is already resolved.")
		}
		tags := slices.Clone(conv.Tags)
		if !slices.Contains(tags, TagDismissed) {
			tags = append(tags, TagDismissed)
		}
		resolved := care.StatusResolved
		c, err := q.UpdateConversation(ctx, conv.ID, care.ConversationUpdate{Status: &resolved, Tags: &tags}, now)
		if err != nil {
			return nil, err
		}
		note := &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionOut,
			Visibility: care.Note, AuthorID: p.UserID, AuthorName: p.Name, Text: "Dismissed: " + reason,
			Status: care.DeliveryStored, CreatedAt: now, SentAt: now}
		if err := q.CreateMessage(ctx, note); err != nil {
			return nil, err
		}
		alerts, err := s.clock(ctx, q, c, care.ClockResolved, now)
		if err != nil {
			return nil, err
		}
		if c, err = rerank(ctx, q, c, now); err != nil {
			return nil, err
		}
		if err := audit(ctx, q, p, "conversation.dismiss", target("conversation", c.ID), map[string]any{"reason": reason}, now); err != nil {
			return nil, err
		}
		out = c
		return append([]care.Event{
			ingest.NewEvent(care.EventMessageCreated, c.WorkspaceID, c.ID, note.ID, c.InboxID, note, now),
			ingest.NewEvent(care.EventConversationUpdated, c.WorkspaceID, c.ID, 0, c.InboxID, c, now),
		}, alerts...), nil
	})
	return out, err
}

// mayReply refuses a reply by someone other than the assignee when the
// workspace wants one voice per conversation. Supervisors may always reply.
func mayReply(ctx context.Context, q care.Queries, p care.Principal, conv *care.Conversation) error {
	if conv.AssigneeID == 0 || conv.AssigneeID == p.UserID || p.Role.AtLeast(care.RoleSupervisor) {
		return nil
	}
	if one, err := onlyAssigneeReplies(ctx, q, conv.WorkspaceID); err != nil || !one {
		return err
	}
	return care.Errorf(care.EFORBIDDEN, "Only %s may reply to this conversation; ask them or a supervisor to reassign it.", assigneeName(ctx, q, p, conv))
}

// mayReassign refuses an agent moving a conversation assigned to someone
// else while only the assignee replies: taking it would be the way round
// the rule. Agents still take unassigned work and hand on their own.
func mayReassign(ctx context.Context, q care.Queries, p care.Principal, conv *care.Conversation, to care.ID) error {
	if to == conv.AssigneeID || conv.AssigneeID == 0 || conv.AssigneeID == p.UserID || p.Role.AtLeast(care.RoleSupervisor) {
		return nil
	}
	if one, err := onlyAssigneeReplies(ctx, q, conv.WorkspaceID); err != nil || !one {
		return err
	}
	return care.Errorf(care.EFORBIDDEN, "This conversation is assigned to %s and only its assignee replies; ask a supervisor to reassign it.", assigneeName(ctx, q, p, conv))
}

// onlyAssigneeReplies reports whether the workspace's desk setting asks for
// one voice per conversation. Settings that stopped parsing leave the desk
// open rather than lock every agent out.
func onlyAssigneeReplies(ctx context.Context, q care.Queries, ws care.ID) (bool, error) {
	doc, err := q.Setting(ctx, ws, SettingName)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	st, err := ParseSettings(doc)
	return err == nil && st.OnlyAssigneeReplies, nil
}

func assigneeName(ctx context.Context, q care.Queries, p care.Principal, conv *care.Conversation) string {
	// A partner member is not told who, outside their teams, holds the
	// conversation: the people lists hide them too.
	if shares, err := p.Scope.Shares(ctx, q, conv.WorkspaceID, conv.AssigneeID); err != nil || !shares {
		return "its assignee"
	}
	if u, err := q.User(ctx, conv.AssigneeID); err == nil {
		return u.Name
	}
	return "its assignee"
}
