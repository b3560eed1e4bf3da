package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/desk"
)

// conversationFilter reads a list's filters from the query string:
// status (comma-separated), assignee (an id, "me" or "none"), team (owned
// by it or escalated to it), inbox, contact, channel, tag, priority_min,
// priority_max, sort, cursor, limit. A member of a partner team lists only
// what their scope sees, whatever the filters ask for.
func conversationFilter(r *http.Request, p care.Principal) (care.ConversationFilter, error) {
	q := r.URL.Query()
	f := care.ConversationFilter{WorkspaceID: p.WorkspaceID, Sort: care.Sort(q.Get("sort")), After: q.Get("cursor"), Scope: p.Scope}
	for _, s := range splitList(q.Get("status")) {
		st := care.Status(s)
		if !st.Valid() {
			return f, care.Errorf(care.EINVALID, "Unknown status %q; use open, pending, snoozed or resolved.", s)
		}
		f.Statuses = append(f.Statuses, st)
	}
	var err error
	switch a := q.Get("assignee"); a {
	case "":
	case "me":
		if p.UserID == 0 {
			return f, care.Errorf(care.EINVALID, "assignee=me needs a signed-in user or a user's token.")
		}
		f.AssigneeID = p.UserID
	case "none":
		f.AssigneeID = -1
	default:
		if f.AssigneeID, err = queryID(r, "assignee"); err != nil {
			return f, err
		}
	}
	if f.TeamID, err = queryID(r, "team"); err != nil {
		return f, err
	}
	if f.InboxID, err = queryID(r, "inbox"); err != nil {
		return f, err
	}
	if f.ContactID, err = queryID(r, "contact"); err != nil {
		return f, err
	}
	if ch := q.Get("channel"); ch != "" {
		if !care.Channel(ch).Valid() {
			return f, care.Errorf(care.EINVALID, "Unknown channel %q.", ch)
		}
		f.Channel = care.Channel(ch)
	}
	if t := q.Get("tag"); t != "" {
		if f.Tag = care.NormalizeTag(t); f.Tag == "" {
			return f, care.Errorf(care.EINVALID, "Tag %q is not a valid tag.", t)
		}
	}
	if f.MinPriority, err = queryFloat(r, "priority_min"); err != nil {
		return f, err
	}
	if f.MaxPriority, err = queryFloat(r, "priority_max"); err != nil {
		return f, err
	}
	switch f.Sort {
	case "", care.SortNewest, care.SortPriority, care.SortWaiting:
	default:
		return f, care.Errorf(care.EINVALID, "Unknown sort %q; use newest, priority or waiting.", f.Sort)
	}
	f.Limit, err = queryInt(r, "limit", 50, 100)
	return f, err
}

func (s *Server) listConversations(w http.ResponseWriter, r *http.Request) {
	f, err := conversationFilter(r, principal(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	page, err := s.Store.Conversations(r.Context(), f)
	if err == nil {
		v := s.visibility(r)
		for i := range page.Conversations {
			if err = v.hideLink(r.Context(), &page.Conversations[i]); err != nil {
				break
			}
		}
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// conversationOf loads the conversation in the path, if the caller sees it.
func (s *Server) conversationOf(r *http.Request) (*care.Conversation, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.seenConversation(r, id)
}

// seenConversation loads a conversation of the caller's workspace within
// their scope; any other is not found, exactly as a missing one.
func (s *Server) seenConversation(r *http.Request, id care.ID) (*care.Conversation, error) {
	c, err := s.Store.Conversation(r.Context(), id)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil, care.ConversationNotFound()
	}
	if err != nil {
		return nil, err
	}
	p := principal(r)
	if c.WorkspaceID != p.WorkspaceID || !p.Scope.Sees(c) {
		return nil, care.ConversationNotFound()
	}
	return c, nil
}

func (s *Server) getConversation(w http.ResponseWriter, r *http.Request) {
	c, err := s.conversationOf(r)
	if err == nil {
		err = s.visibility(r).hideLink(r.Context(), c)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

type conversationPatch struct {
	Status       *care.Status `json:"status"`
	SnoozedUntil *time.Time   `json:"snoozed_until"`
	AssigneeID   *care.ID     `json:"assignee_id"`
	TeamID       *care.ID     `json:"team_id"`
	Tags         *[]string    `json:"tags"`
	// EscalationTeamID 0 ends an escalation; escalating is a rule's
	// action (see package automator), which tells the team.
	EscalationTeamID *care.ID `json:"escalation_team_id"`
}

func (s *Server) updateConversation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req conversationPatch
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	// Storage applies snoozed_until whatever the status, so alone or beside
	// another status it would leave an open conversation with a snooze time,
	// or a snoozed one due in the past; it belongs with status snoozed, where
	// the desk checks it is in the future.
	if req.SnoozedUntil != nil && (req.Status == nil || *req.Status != care.StatusSnoozed) {
		writeError(w, r, care.Errorf(care.EINVALID, "Send snoozed_until together with \"status\": \"snoozed\"."))
		return
	}
	if req.EscalationTeamID != nil && *req.EscalationTeamID != 0 {
		writeError(w, r, care.Errorf(care.EINVALID, "escalation_team_id can only be 0, to end an escalation; an automation rule's escalate action escalates and tells the team."))
		return
	}
	u := care.ConversationUpdate{Status: req.Status, SnoozedUntil: req.SnoozedUntil, AssigneeID: req.AssigneeID, TeamID: req.TeamID, Tags: req.Tags,
		EscalationTeamID: req.EscalationTeamID}
	c, err := s.Desk.Update(r.Context(), principal(r), id, u)
	if err == nil {
		err = s.visibility(r).hideLink(r.Context(), c)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

type linkRequest struct {
	PrivateID care.ID `json:"private_conversation_id"`
}

// linkConversation joins the public conversation in the path to its private
// follow-up.
func (s *Server) linkConversation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req linkRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	// Left out, it would be 0 and look up no conversation: a 404 that
	// would seem to say the one in the path is missing.
	if req.PrivateID <= 0 {
		writeError(w, r, care.Errorf(care.EINVALID, "private_conversation_id is required: the id of the private conversation that follows this one up."))
		return
	}
	// Both ends must be the caller's to see: linking to a conversation
	// outside the scope would confirm it exists and show it in theirs.
	if p := principal(r); p.Scope != nil {
		for _, cid := range []care.ID{id, req.PrivateID} {
			if _, err := s.seenConversation(r, cid); err != nil {
				writeError(w, r, err)
				return
			}
		}
	}
	if err := s.Desk.Link(r.Context(), principal(r), id, req.PrivateID); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := s.Store.Conversation(r.Context(), id)
	if err == nil {
		err = s.visibility(r).hideLink(r.Context(), c)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) listMessages(w http.ResponseWriter, r *http.Request) {
	c, err := s.conversationOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	after, err := queryID(r, "after")
	if err != nil {
		writeError(w, r, err)
		return
	}
	limit, err := queryInt(r, "limit", 100, 500)
	if err != nil {
		writeError(w, r, err)
		return
	}
	msgs, err := s.Store.Messages(r.Context(), c.ID, after, limit)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": msgs})
}

type replyRequest struct {
	Text             string            `json:"text"`
	Visibility       care.Visibility   `json:"visibility"`
	Attachments      []care.Attachment `json:"attachments"`
	ReplyToMessageID care.ID           `json:"reply_to_message_id"`
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req replyRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	m, err := s.Desk.Reply(r.Context(), principal(r), id, desk.Reply{Text: req.Text, Visibility: req.Visibility,
		Attachments: req.Attachments, ReplyToMessageID: req.ReplyToMessageID})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

type noteRequest struct {
	Text string `json:"text"`
}

func (s *Server) note(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req noteRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	m, err := s.Desk.Note(r.Context(), principal(r), id, req.Text)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

func (s *Server) retryMessage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	m, err := s.Desk.Retry(r.Context(), principal(r), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) {
	if err := principal(r).Scope.Refuse("read the workspace's audit trail"); err != nil {
		writeError(w, r, err)
		return
	}
	limit, err := queryInt(r, "limit", 100, 1000)
	if err != nil {
		writeError(w, r, err)
		return
	}
	entries, err := s.Store.Audit(r.Context(), principal(r).WorkspaceID, r.URL.Query().Get("target"), limit)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}

// streamRecheck is how often an open event stream asks again whether its
// caller may still read it.
const streamRecheck = 30 * time.Second

// events streams the workspace's events; a member of a partner team gets
// only those of the conversations their scope sees.
//
// A stream outlives the request that opened it, so the caller is
// authenticated again every streamRecheck: a disabled account, a deleted
// token or an ended session stops receiving at once rather than when the
// stream's age runs out, and a changed role or scope ends the stream so
// that the client reconnects under the new one.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	go func() {
		t := time.NewTicker(s.streamRecheck())
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				now, _, err := s.Authenticate(r.WithContext(ctx))
				if ctx.Err() != nil {
					return
				}
				if err != nil || now.Role != p.Role || now.WorkspaceID != p.WorkspaceID || !sameScope(now.Scope, p.Scope) {
					cancel()
					return
				}
			}
		}
	}()
	s.Events.ServeScoped(w, r.WithContext(ctx), p.WorkspaceID, p.Scope)
}

// sameScope reports whether a and b see the same conversations.
func sameScope(a, b *care.Scope) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.UserID == b.UserID && slices.Equal(a.Teams, b.Teams)
}

func (s *Server) streamRecheck() time.Duration {
	if s.StreamRecheck > 0 {
		return s.StreamRecheck
	}
	return streamRecheck
}

type takePrivateRequest struct {
	MessageID   care.ID `json:"message_id"`
	PublicText  string  `json:"public_text"`
	PrivateText string  `json:"private_text"`
}

// takePrivate answers a public complaint with a short public note and a
// private message, in one step.
func (s *Server) takePrivate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req takePrivateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	msgs, err := s.Desk.TakePrivate(r.Context(), principal(r), id, desk.TakePrivate{MessageID: req.MessageID,
		PublicText: req.PublicText, PrivateText: req.PrivateText})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"messages": msgs})
}

type dismissRequest struct {
	Reason string `json:"reason"`
}

// dismiss closes a conversation that needs no answer, with the reason.
func (s *Server) dismiss(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req dismissRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := s.Desk.Dismiss(r.Context(), principal(r), id, req.Reason)
	if err == nil {
		err = s.visibility(r).hideLink(r.Context(), c)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

type moderateRequest struct {
	Action channel.ModerationAction `json:"action"`
}

// moderateMessage hides, unhides or deletes a public comment on the platform.
func (s *Server) moderateMessage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req moderateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	m, err := s.Desk.Moderate(r.Context(), principal(r), id, req.Action)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}
