package webchat

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// follow shows the visitor the replies in convID from now on.
func (ss *session) follow(convID care.ID) {
	if ss.convs[convID] {
		return
	}
	ss.convs[convID] = true
	ss.w.follow(ss, convID) // a no-op when the watcher already did
}

// setCurrent makes convID the conversation typing signals are about.
func (ss *session) setCurrent(convID care.ID) {
	if convID == ss.current {
		return
	}
	ss.setTyping(false)
	ss.current = convID
	if ss.srv.Typing == nil {
		return
	}
	if ss.typingCancel != nil {
		ss.typingCancel()
	}
	ss.typingC, ss.typingCancel = ss.srv.Typing.Subscribe(ss.inbox.WorkspaceID, convID)
}

// track remembers a reply shown, forgetting the oldest beyond maxTracked.
func (ss *session) track(m *care.Message) *reply {
	r := ss.replies[m.ID]
	if r == nil {
		r = &reply{}
		ss.replies[m.ID] = r
		if len(ss.replies) > maxTracked {
			oldest := m.ID
			for id := range ss.replies {
				oldest = min(oldest, id)
			}
			delete(ss.replies, oldest)
		}
	}
	if m.PlatformID != "" {
		r.platformID = m.PlatformID
	}
	r.status = m.Status
	return r
}

// onMessage shows the widget a message of its visitor's: their own (from
// this or another tab) or a reply.
func (ss *session) onMessage(ctx context.Context, m care.Message) {
	if !ss.visible(&m) {
		return
	}
	if m.Direction == care.DirectionIn {
		ss.follow(m.ConversationID)
		ss.setCurrent(m.ConversationID)
		if !ss.shown[m.ID] {
			ss.markShown(m.ID)
			ss.send(ss.withType(ss.view(&m)))
		}
		return
	}
	if !ss.convs[m.ConversationID] {
		return
	}
	r := ss.track(&m)
	if !ss.shown[m.ID] {
		ss.markShown(m.ID)
		ss.send(ss.withType(ss.view(&m)))
		r.delivered = true
		// The agent's message answers their typing.
		if ss.agentTimer != nil {
			ss.agentTimer.Stop()
		}
		ss.send(TypingFrame{Type: TypeTyping, On: false})
	}
	ss.flush(ctx, r)
}

func (ss *session) withType(m Message) Message {
	m.Type = TypeMessage
	return m
}

// markShown remembers a message shown; the widget also skips an id it
// has, so forgetting old ones when there are many is harmless.
func (ss *session) markShown(id care.ID) {
	if len(ss.shown) >= 4*maxTracked {
		clear(ss.shown)
	}
	ss.shown[id] = true
}

// flush reports replies delivered or read, once they have a platform id
// (the outbox gives one when Send confirms): a receipt for a reply without
// one would find no message. Read implies delivered. The receipts go in one
// append.
func (ss *session) flush(ctx context.Context, rs ...*reply) {
	now := ss.srv.now()
	var raws []care.RawEvent
	for _, r := range rs {
		if r.platformID == "" {
			continue
		}
		var st care.DeliveryStatus
		switch {
		case r.read && !r.sentR && r.status != care.DeliveryRead:
			st, r.sentR, r.sentDelivered = care.DeliveryRead, true, true
		case r.delivered && !r.sentDelivered && (r.status == care.DeliveryQueued || r.status == care.DeliverySent):
			st, r.sentDelivered = care.DeliveryDelivered, true
		default:
			continue
		}
		in := care.Inbound{Kind: care.KindStatus, InboxID: ss.inbox.ID, Channel: care.ChannelWebChat,
			PlatformID: r.platformID, Status: st, Author: ss.author(), SentAt: now}
		payload, _ := json.Marshal(map[string]any{"type": "receipt", "platform_id": r.platformID, "status": st})
		raws = append(raws, care.RawEvent{InboxID: ss.inbox.ID, WorkspaceID: ss.inbox.WorkspaceID,
			DedupeKey: in.DedupeKey(), Payload: payload, Inbound: in, ReceivedAt: now})
	}
	if len(raws) == 0 {
		return
	}
	actx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	if _, err := ss.srv.Ingest.AppendAll(actx, raws); err != nil && ctx.Err() == nil {
		ss.vlog.Warn("webchat: store receipts", "count", len(raws), "err", err)
	}
}

// onTyping shows an agent's typing in the widget, by first name, until it
// stops or expires.
func (ss *session) onTyping(sig TypingSignal) {
	if sig.Visitor || sig.ConversationID != ss.current {
		return
	}
	name, _, _ := strings.Cut(strings.TrimSpace(sig.Name), " ")
	if name == "" {
		name = ss.cfg.Title
	}
	if sig.On {
		if ss.agentTimer == nil {
			ss.agentTimer = time.NewTimer(TypingExpiry)
		} else {
			ss.agentTimer.Reset(TypingExpiry)
		}
	} else if ss.agentTimer != nil {
		ss.agentTimer.Stop()
	}
	ss.send(TypingFrame{Type: TypeTyping, On: sig.On, Name: name})
}
