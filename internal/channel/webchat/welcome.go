package webchat

import (
	"context"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/parleyhq/parley/internal/care"
)

// hello identifies the visitor, registers the socket for their messages and
// answers with welcome. ok is false when the socket must close.
func (ss *session) hello(ctx context.Context, f ClientFrame) (code websocket.StatusCode, reason string, ok bool) {
	visitor, valid := VerifyVisitor(ss.cfg.Secret, ss.inbox.ID, f.Token)
	if !valid {
		if f.Token != "" {
			ss.vlog.Debug("webchat: token did not verify; new visitor")
		}
		visitor = NewVisitorID()
	}
	ss.visitor = visitor
	ss.vlog = ss.log.With("visitor", visitor)
	if !ss.srv.perVisitor.acquire(ss.visitorKey(), ss.lim.MaxPerVisitor) {
		ss.sendError(CodeTooManySockets, care.Errorf(care.EUNAVAILABLE, "This chat is open in too many tabs."), "")
		return websocket.StatusTryAgainLater, "too many tabs", false
	}
	ss.visitorSet = true
	unavailable := func(err error) (websocket.StatusCode, string, bool) {
		if ctx.Err() == nil {
			ss.vlog.Error("webchat: welcome", "err", err)
		}
		ss.sendError(CodeUnavailable, care.Errorf(care.EUNAVAILABLE, "The chat is unavailable; trying again."), "")
		return websocket.StatusTryAgainLater, "unavailable", false
	}
	// Register before reading history: a reply committed after the
	// history is read then reaches the socket live.
	w, err := ss.srv.attach(ctx, ss)
	if err != nil {
		return unavailable(err)
	}
	ss.w = w
	history, err := ss.loadHistory(ctx)
	if err != nil {
		return unavailable(err)
	}
	available := true
	if ss.srv.Available != nil {
		actx, cancel := context.WithTimeout(ctx, 3*time.Second)
		available, err = ss.srv.Available(actx, ss.inbox)
		cancel()
		if err != nil {
			// Unknown: let the visitor write; the message is kept either way.
			ss.vlog.Warn("webchat: availability", "err", err)
			available = true
		}
	}
	ss.send(Welcome{Type: TypeWelcome, Token: SignVisitor(ss.cfg.Secret, ss.inbox.ID, visitor),
		Visitor: ss.visitorInfo(), AgentsAvailable: available,
		Inbox:   InboxInfo{Title: ss.cfg.Title, Greeting: ss.cfg.Greeting, OfflineMessage: ss.cfg.OfflineMessage, Color: ss.cfg.Color},
		History: history})
	rs := make([]*reply, 0, len(ss.replies))
	for _, r := range ss.replies {
		rs = append(rs, r)
	}
	ss.flush(ctx, rs...)
	return 0, "", true
}

func (ss *session) visitorInfo() Visitor {
	return Visitor{ID: ss.visitor, Name: ss.name, Email: ss.email}
}

// author is the visitor as the message's author: their name and email
// once given, else "Visitor 3f2a91".
func (ss *session) author() care.Author {
	name := ss.name
	if name == "" {
		name = anonymousName(ss.visitor)
	}
	return care.Author{PlatformUserID: VisitorUserID(ss.visitor), DisplayName: name, Handle: ss.email}
}

// loadHistory finds the visitor's conversations in the inbox, follows them,
// and returns the end of the newest one they wrote in. Only what the
// visitor may see is returned: their own messages and replies, never
// notes, never another identity's messages (after a merge of contacts,
// the conversation may hold them).
func (ss *session) loadHistory(ctx context.Context) ([]Message, error) {
	ident, err := ss.srv.Store.FindIdentity(ctx, ss.inbox.WorkspaceID, care.ChannelWebChat, VisitorUserID(ss.visitor))
	if care.ErrorCode(err) == care.ENOTFOUND {
		return []Message{}, nil
	} else if err != nil {
		return nil, err
	}
	if ident.DisplayName != anonymousName(ss.visitor) {
		ss.name = ident.DisplayName
	}
	ss.email = ident.Handle
	page, err := ss.srv.Store.Conversations(ctx, care.ConversationFilter{WorkspaceID: ss.inbox.WorkspaceID, InboxID: ss.inbox.ID,
		ContactID: ident.ContactID, Sort: care.SortNewest, Limit: 5})
	if err != nil {
		return nil, err
	}
	for _, c := range page.Conversations {
		ss.follow(c.ID)
	}
	for _, c := range page.Conversations {
		msgs, own, err := ss.visibleMessages(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		if !own {
			continue
		}
		ss.setCurrent(c.ID)
		if len(msgs) > ss.lim.History {
			msgs = msgs[len(msgs)-ss.lim.History:]
		}
		out := make([]Message, 0, len(msgs))
		for i := range msgs {
			m := &msgs[i]
			ss.shown[m.ID] = true
			if m.Direction == care.DirectionOut {
				r := ss.track(m)
				r.delivered = true
			}
			out = append(out, ss.view(m))
		}
		return out, nil
	}
	return []Message{}, nil
}

// visibleMessages reads a conversation and keeps what the visitor may see;
// own reports whether any of it is the visitor's.
func (ss *session) visibleMessages(ctx context.Context, convID care.ID) (msgs []care.Message, own bool, err error) {
	var after care.ID
	for {
		page, err := ss.srv.Store.Messages(ctx, convID, after, 500)
		if err != nil {
			return nil, false, err
		}
		for _, m := range page {
			if ss.visible(&m) {
				msgs = append(msgs, m)
				own = own || m.Direction == care.DirectionIn
			}
		}
		if len(page) < 500 {
			return msgs, own, nil
		}
		after = page[len(page)-1].ID
	}
}

// visible reports whether the visitor may see m: a message of theirs in
// this inbox, or a reply to it that is on its way or arrived.
func (ss *session) visible(m *care.Message) bool {
	if m.InboxID != ss.inbox.ID || m.Visibility == care.Note || m.DeletedAt != nil {
		return false
	}
	if m.Direction == care.DirectionIn {
		v, _, ok := VisitorOf(m.PlatformID)
		return ok && v == ss.visitor
	}
	switch m.Status {
	case care.DeliveryQueued, care.DeliverySent, care.DeliveryDelivered, care.DeliveryRead:
		return m.Visibility == care.Private
	}
	return false
}

// view is m as the widget shows it. An agent is named by their first name
// only; a reply with no person behind it (a rule's) by the inbox's title.
func (ss *session) view(m *care.Message) Message {
	v := Message{ID: m.ID, Direction: m.Direction, Text: m.Text, SentAt: m.SentAt}
	if v.SentAt.IsZero() {
		v.SentAt = m.CreatedAt
	}
	if m.Direction == care.DirectionIn {
		_, v.ClientID, _ = VisitorOf(m.PlatformID)
		return v
	}
	v.Author = ss.cfg.Title
	if first, _, _ := strings.Cut(strings.TrimSpace(m.AuthorName), " "); m.AuthorID != 0 && first != "" {
		v.Author = first
	}
	return v
}
