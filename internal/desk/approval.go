package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/ingest"
)

// ApprovalSettingName is the workspace setting that holds its
// ApprovalSettings.
const ApprovalSettingName = "approvals"

// TagNeedsApproval on a conversation holds every public reply in it for
// approval; automation's require_approval action sets it.
const TagNeedsApproval = "needs-approval"

// ApprovalSettings say when a public reply must be approved before it goes
// out: any one rule that holds is enough. Private replies and notes are
// never held.
type ApprovalSettings struct {
	// Roles whose public replies are held (e.g. "agent" for new or partner
	// agents); Users likewise, by user id.
	Roles []care.Role `json:"roles,omitempty"`
	Users []care.ID   `json:"users,omitempty"`
	// Tags on the conversation that hold replies ("crisis", "legal").
	// needs-approval always does.
	Tags []string `json:"tags,omitempty"`
	// MinFollowers holds replies to customers with at least this many
	// followers on the channel; 0 means no such rule.
	MinFollowers int64 `json:"min_followers,omitempty"`
	// Words hold a reply whose text contains any of them, ignoring case
	// ("compensation", "lawyer", "refund").
	Words []string `json:"words,omitempty"`
	// SLA is how fast approvers should decide, as a duration; default 15m.
	SLA string `json:"sla,omitempty"`
}

// ParseApprovalSettings checks an ApprovalSettings document.
func ParseApprovalSettings(doc []byte) (*ApprovalSettings, time.Duration, error) {
	var s ApprovalSettings
	if err := care.DecodeSettings(doc, &s, "approval settings"); err != nil {
		return nil, 0, err
	}
	for _, r := range s.Roles {
		if !r.Valid() {
			return nil, 0, care.Errorf(care.EINVALID, "Approval settings: unknown role %q; the roles are agent, supervisor and admin.", r)
		}
	}
	if len(s.Words) > 1000 || len(s.Tags) > 100 || len(s.Users) > 10000 {
		return nil, 0, care.Errorf(care.EINVALID, "Approval settings: at most 1000 words, 100 tags and 10000 users; these have %d, %d and %d.",
			len(s.Words), len(s.Tags), len(s.Users))
	}
	sla := 15 * time.Minute
	if s.SLA != "" {
		d, err := time.ParseDuration(s.SLA)
		if err != nil || d <= 0 {
			return nil, 0, care.Errorf(care.EINVALID, "Approval settings: sla %q is not a duration such as 15m.", s.SLA)
		}
		sla = d
	}
	return &s, sla, nil
}

// approvalReasons says why a public reply by p in conv must be approved;
// none means it may go out.
func approvalReasons(ctx context.Context, q care.Queries, p care.Principal, conv *care.Conversation, text string) ([]string, error) {
	var reasons []string
	if slices.Contains(conv.Tags, TagNeedsApproval) {
		r := "the conversation needs approval"
		why, err := ruleReason(ctx, q, conv)
		if err != nil {
			return nil, err
		}
		if why != "" {
			r += " (" + why + ")"
		}
		reasons = append(reasons, r)
	}
	doc, err := q.Setting(ctx, conv.WorkspaceID, ApprovalSettingName)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return reasons, nil
	}
	if err != nil {
		return nil, err
	}
	st, _, err := ParseApprovalSettings(doc)
	if err != nil {
		// Settings that no longer parse hold every public reply: safer
		// than letting through what a rule meant to stop.
		return append(reasons, "the approval settings need fixing"), nil
	}
	if slices.Contains(st.Roles, p.Role) {
		reasons = append(reasons, "replies by "+string(p.Role)+"s are approved first")
	}
	if p.UserID != 0 && slices.Contains(st.Users, p.UserID) {
		reasons = append(reasons, "this agent's public replies are approved first")
	}
	for _, t := range st.Tags {
		if slices.Contains(conv.Tags, care.NormalizeTag(t)) {
			reasons = append(reasons, "tagged "+care.NormalizeTag(t))
		}
	}
	if st.MinFollowers > 0 {
		c, err := q.Contact(ctx, conv.ContactID)
		if err != nil && care.ErrorCode(err) != care.ENOTFOUND {
			return nil, err
		}
		if err == nil {
			for _, id := range c.Identities {
				if id.Platform == conv.Channel && id.Followers >= st.MinFollowers {
					reasons = append(reasons, fmt.Sprintf("the customer has %d followers", id.Followers))
					break
				}
			}
		}
	}
	lower := strings.ToLower(text)
	for _, w := range st.Words {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" && strings.Contains(lower, w) {
			reasons = append(reasons, fmt.Sprintf("mentions %q", w))
			break
		}
	}
	return reasons, nil
}

// Approval is a held reply in the approvers' queue.
type Approval struct {
	Message care.Message `json:"message"`
	// Due is when approvers should have decided, by the workspace's SLA.
	Due     time.Time `json:"due"`
	Overdue bool      `json:"overdue"`
}

// Approvals lists the workspace's held replies, oldest first, with when
// each is due; a member of a partner team sees only those in their teams'
// conversations.
func (s *Service) Approvals(ctx context.Context, p care.Principal) ([]Approval, error) {
	msgs, err := s.Store.PendingApprovals(ctx, p.WorkspaceID, 500)
	if err != nil {
		return nil, err
	}
	if msgs, err = s.inScope(ctx, p, msgs); err != nil {
		return nil, err
	}
	sla := 15 * time.Minute
	if doc, err := s.Store.Setting(ctx, p.WorkspaceID, ApprovalSettingName); err == nil {
		if _, d, err := ParseApprovalSettings(doc); err == nil {
			sla = d
		}
	}
	now := s.now()
	out := make([]Approval, 0, len(msgs))
	for _, m := range msgs {
		due := m.CreatedAt.Add(sla)
		out = append(out, Approval{Message: m, Due: due, Overdue: now.After(due)})
	}
	return out, nil
}

// heldMessage loads a held reply the principal may approve: one of their
// workspace, and of their teams' conversations for a partner member.
func heldMessage(ctx context.Context, q care.Queries, p care.Principal, id care.ID) (*care.Message, *care.Conversation, error) {
	if !p.Role.AtLeast(care.RoleSupervisor) {
		return nil, nil, care.Errorf(care.EFORBIDDEN, "Only supervisors and admins approve or reject held replies.")
	}
	m, c, err := message(ctx, q, p, id)
	if err != nil {
		return nil, nil, err
	}
	if m.Status != care.DeliveryPendingApproval {
		return nil, nil, care.Errorf(care.ECONFLICT, "This reply is not waiting for approval.")
	}
	return m, c, nil
}

// Approve sends a held reply, with the approver's edit of its text when
// text is not nil. The edited text is checked against the platform's rules
// again.
func (s *Service) Approve(ctx context.Context, p care.Principal, messageID care.ID, text *string) (*care.Message, error) {
	var out *care.Message
	err := s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		m, conv, err := heldMessage(ctx, q, p, messageID)
		if err != nil {
			return nil, err
		}
		// A reply is held so that a second person sees it before the world
		// does; its author approving it would skip exactly that.
		if m.AuthorID != 0 && m.AuthorID == p.UserID {
			return nil, care.Errorf(care.EFORBIDDEN, "You cannot approve your own reply; another supervisor or admin must.")
		}
		edited := false
		if text != nil && *text != m.Text {
			if err := checkText(*text, len(m.Attachments)); err != nil {
				return nil, err
			}
			newest, err := newestInbound(ctx, q, conv.ID)
			if err != nil {
				return nil, err
			}
			var parent *care.Message
			if m.ReplyToPlatformID != "" {
				if parent, err = q.MessageByPlatformID(ctx, m.InboxID, m.ReplyToPlatformID); err != nil && care.ErrorCode(err) != care.ENOTFOUND {
					return nil, err
				}
			}
			if err := s.checkPolicy(ctx, q, conv, Reply{Text: *text, Visibility: m.Visibility, Attachments: m.Attachments}, m.Visibility, parent, newest[m.Visibility], now); err != nil {
				return nil, err
			}
			if err := q.SetMessageText(ctx, m.ID, *text); err != nil {
				return nil, err
			}
			m.Text, edited = *text, true
		}
		if err := q.SetDelivery(ctx, m.ID, care.DeliveryQueued, "", ""); err != nil {
			return nil, err
		}
		m.Status, m.StatusReason = care.DeliveryQueued, ""
		// SetDelivery ended the customer's wait with the approval.
		conv.WaitingSince = nil
		if err := q.EnqueueOutbox(ctx, &care.OutboxEntry{MessageID: m.ID, InboxID: m.InboxID, Channel: conv.Channel,
			IdempotencyKey: fmt.Sprintf("parley-message-%d", m.ID), NextAttemptAt: now, CreatedAt: now}); err != nil {
			return nil, err
		}
		if err := audit(ctx, q, p, "message.approve", target("message", m.ID), map[string]any{"edited": edited}, now); err != nil {
			return nil, err
		}
		out = m
		// The customer is answered now, not when the reply was written:
		// the response clocks stop at the approval.
		alerts, err := s.clock(ctx, q, conv, care.ClockAgentReply, now)
		if err != nil {
			return nil, err
		}
		if conv, err = rerank(ctx, q, conv, now); err != nil {
			return nil, err
		}
		return append([]care.Event{
			ingest.NewEvent(care.EventMessageUpdated, m.WorkspaceID, m.ConversationID, m.ID, m.InboxID, m, now),
			ingest.NewEvent(care.EventConversationUpdated, conv.WorkspaceID, conv.ID, 0, conv.InboxID, conv, now),
		}, alerts...), nil
	})
	if err == nil && s.OutboxWake != nil {
		s.OutboxWake()
	}
	return out, err
}

// Reject refuses a held reply, which is never sent; the reason is kept on
// the message and as a note for its author.
func (s *Service) Reject(ctx context.Context, p care.Principal, messageID care.ID, reason string) (*care.Message, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > MaxReasonBytes || !utf8.ValidString(reason) {
		return nil, care.Errorf(care.EINVALID, "Say why the reply is rejected, in at most %d bytes.", MaxReasonBytes)
	}
	var out *care.Message
	err := s.update(ctx, func(q care.Queries, now time.Time) ([]care.Event, error) {
		m, conv, err := heldMessage(ctx, q, p, messageID)
		if err != nil {
			return nil, err
		}
		if err := q.SetDelivery(ctx, m.ID, care.DeliveryRejected, reason, ""); err != nil {
			return nil, err
		}
		m.Status, m.StatusReason = care.DeliveryRejected, reason
		note := &care.Message{WorkspaceID: conv.WorkspaceID, ConversationID: conv.ID, InboxID: conv.InboxID, Direction: care.DirectionOut,
			Visibility: care.Note, AuthorID: p.UserID, AuthorName: p.Name, Status: care.DeliveryStored, CreatedAt: now, SentAt: now,
			Text: fmt.Sprintf("Reply by %s rejected: %s", m.AuthorName, reason)}
		if err := q.CreateMessage(ctx, note); err != nil {
			return nil, err
		}
		if err := audit(ctx, q, p, "message.reject", target("message", m.ID), map[string]any{"reason": reason}, now); err != nil {
			return nil, err
		}
		out = m
		events := []care.Event{
			ingest.NewEvent(care.EventMessageUpdated, m.WorkspaceID, m.ConversationID, m.ID, m.InboxID, m, now),
			ingest.NewEvent(care.EventMessageCreated, note.WorkspaceID, note.ConversationID, note.ID, note.InboxID, note, now),
		}
		if m.AuthorID == 0 || m.AuthorID == p.UserID {
			return events, nil
		}
		// The agent who wrote it hears of it where they look, and can
		// answer again.
		text := clip(p.Name+" rejected your reply: "+reason, care.MaxNotificationText)
		n := &care.Notification{WorkspaceID: conv.WorkspaceID, UserID: m.AuthorID, Kind: care.NotifyRejected,
			ConversationID: conv.ID, MessageID: m.ID, Text: text, CreatedAt: now}
		if err := q.CreateNotification(ctx, n); err != nil {
			return nil, err
		}
		e, err := notifyEvent(conv, m.ID, care.NotifyRejected, []care.ID{m.AuthorID}, text, p.Name, now)
		return append(events, e), err
	})
	return out, err
}

// ruleAudits bounds the conversation's audit entries read for the reason a
// rule required approval.
const ruleAudits = 100

// ruleReason is the reason the automation rule that required approval on
// conv gave ("legal threat"), so the approver reads why: "" when an agent
// added the tag, or the entry is too far back.
func ruleReason(ctx context.Context, q care.Queries, conv *care.Conversation) (string, error) {
	entries, err := q.Audit(ctx, conv.WorkspaceID, "conversation:"+strconv.FormatInt(conv.ID, 10), ruleAudits)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.Action != "automation.require_approval" {
			continue
		}
		var d struct {
			Reason string `json:"reason"`
		}
		if json.Unmarshal(e.Details, &d) == nil {
			return channel.CleanName(d.Reason, 200), nil
		}
		return "", nil
	}
	return "", nil
}

// inScope keeps the messages whose conversations p sees.
func (s *Service) inScope(ctx context.Context, p care.Principal, msgs []care.Message) ([]care.Message, error) {
	sight := s.sight(p)
	out := msgs[:0]
	for _, m := range msgs {
		ok, err := sight.Sees(ctx, m.ConversationID)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, m)
		}
	}
	return out, nil
}
