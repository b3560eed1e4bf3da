// Package desk holds what agents do to conversations: reply, write internal
// notes, assign, tag, snooze, resolve, link a public thread to its private
// follow-up, and merge contacts. Every operation checks the principal's
// workspace, runs in one transaction with its audit entry and events, and
// publishes the events once committed.
package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/triage"
)

// Service performs agents' operations.
type Service struct {
	Store     care.Store
	Publisher ingest.Publisher // may be nil
	Now       func() time.Time
	// OutboxWake, if set, is called after a reply is queued so the sender
	// does not wait for its next poll.
	OutboxWake func()
	// Adapters, if set, check replies against their platform's rules.
	Adapters *channel.Registry
	// Clocks, if set, keeps the conversations' SLA clocks.
	Clocks care.Clocks
	// Automation, if set, runs the workspace's rules when a person
	// changes a conversation.
	Automation care.Automation
	// Survey, if set, may ask the customer how we did when a person
	// resolves their conversation (see package csat).
	Survey Surveyor
}

// Surveyor offers a satisfaction survey for a conversation being resolved:
// the text to send ("" for none) and a function that records the survey
// once the message is queued.
type Surveyor interface {
	Offer(ctx context.Context, q care.Queries, conv *care.Conversation, now time.Time) (text string, record func(messageID care.ID) error, err error)
}

// surveyor is how a survey appears as the author of its message and in the
// audit trail. It may always reply: the survey is the workspace's, not an
// agent's voice.
var surveyor = care.Principal{Role: care.RoleAdmin, Name: care.SurveyAuthor, System: "csat"}

// clock moves conv's SLA clocks, if any are kept, and returns the alerts
// due for the caller's events.
func (s *Service) clock(ctx context.Context, q care.Queries, conv *care.Conversation, e care.ClockEvent, now time.Time) ([]care.Event, error) {
	if s.Clocks == nil {
		return nil, nil
	}
	return s.Clocks.Observe(ctx, q, conv, e, now)
}

// rerank brings c's priority up to date, in the caller's transaction,
// after a change that ended or restarted the customer's wait (a reply, a
// new status): the lists and the dispatcher see it at once rather than at
// the next recompute. It returns c as stored. Run it after the SLA clocks
// have seen the change, which choose their policy by the priority the
// customer waited with.
func rerank(ctx context.Context, q care.Queries, c *care.Conversation, now time.Time) (*care.Conversation, error) {
	score, reasons, changed, err := triage.Rerank(ctx, q, c, now)
	if err != nil || !changed {
		return c, err
	}
	if reasons == nil {
		reasons = []string{}
	}
	return q.UpdateConversation(ctx, c.ID, care.ConversationUpdate{Priority: &score, Reasons: &reasons}, now)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// update runs fn in a transaction and publishes the events it returns.
func (s *Service) update(ctx context.Context, fn func(q care.Queries, now time.Time) ([]care.Event, error)) error {
	now := s.now()
	var events []care.Event
	err := s.Store.Update(ctx, func(q care.Queries) error {
		evs, err := fn(q, now)
		if err != nil {
			return err
		}
		for i := range evs {
			if err := q.AppendEvent(ctx, &evs[i]); err != nil {
				return err
			}
		}
		events = evs
		return nil
	})
	if err == nil && s.Publisher != nil && len(events) > 0 {
		s.Publisher.Publish(events...)
	}
	return err
}

// conversation loads a conversation the principal may act on. One of
// another workspace, or outside a partner member's scope, is "not found",
// exactly as a missing one, so ids leak neither across brands nor out of a
// partner team's view.
func conversation(ctx context.Context, q care.Queries, p care.Principal, id care.ID) (*care.Conversation, error) {
	c, err := q.Conversation(ctx, id)
	switch {
	case care.ErrorCode(err) == care.ENOTFOUND:
		return nil, care.ConversationNotFound()
	case err != nil:
		return nil, err
	case c.WorkspaceID != p.WorkspaceID || !p.Scope.Sees(c):
		return nil, care.ConversationNotFound()
	}
	return c, nil
}

func audit(ctx context.Context, q care.Queries, p care.Principal, action, target string, details any, now time.Time) error {
	var raw json.RawMessage
	if details != nil {
		raw, _ = json.Marshal(details)
	}
	return q.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: action, Target: target, Details: raw, CreatedAt: now})
}

func target(kind string, id care.ID) string { return fmt.Sprintf("%s:%d", kind, id) }

// checkText validates message text from an agent.
func checkText(text string, attachments int) error {
	switch {
	case strings.TrimSpace(text) == "" && attachments == 0:
		return care.Errorf(care.EINVALID, "The message is empty.")
	case len(text) > care.MaxTextBytes:
		return care.Errorf(care.EINVALID, "The message is longer than %d bytes.", care.MaxTextBytes)
	case !utf8.ValidString(text) || strings.IndexByte(text, 0) >= 0:
		return care.Errorf(care.EINVALID, "The message is not valid UTF-8 text.")
	case attachments > care.MaxAttachments:
		return care.Errorf(care.EINVALID, "At most %d attachments per message.", care.MaxAttachments)
	}
	return nil
}

// checkAttachments admits on a reply only what an agent can rightly send:
// a web link (an upload, or a file the platform fetches) and WhatsApp's
// template form. The other schemes (email-part:, meta-media:,
// whatsapp-media:, telegram-file:) name files a platform holds, which
// Parley fetches with the inbox's credentials: on a reply, one would send
// another customer's file, or show it to whoever asks for the reply's
// media.
func checkAttachments(atts []care.Attachment) error {
	for i, a := range atts {
		u, err := url.Parse(a.URL)
		ok := err == nil && len(a.URL) <= maxAttachmentURL &&
			((u.Scheme == "https" || u.Scheme == "http") && u.Host != "" || u.Scheme == "whatsapp-template" && u.Opaque != "")
		if !ok {
			return care.Errorf(care.EINVALID, "Attachment %d: send a file as an http(s) link (upload it first), or a WhatsApp template as whatsapp-template:NAME?language=CODE.", i+1)
		}
	}
	return nil
}

// maxAttachmentURL bounds an attachment's address.
const maxAttachmentURL = 2048
