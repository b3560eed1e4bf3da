package webchat

import (
	"context"
	"errors"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// handle acts on one frame after hello.
func (ss *session) handle(ctx context.Context, data []byte) {
	f, err := DecodeClient(data)
	if err != nil {
		code := CodeInvalid
		if care.ErrorCode(err) == care.ETOOLARGE {
			code = CodeTooLarge
		}
		ss.violations++
		ss.sendError(code, err, clientIDOf(data))
		return
	}
	ss.violations = 0
	switch f.Type {
	case TypeHello:
		ss.sendError(CodeInvalid, care.Errorf(care.EINVALID, "hello is sent once."), "")
	case TypeMessage:
		ss.store(ctx, data, f)
	case TypeTyping:
		ss.setTyping(f.On)
	case TypeIdentify:
		if f.Name != "" {
			ss.name = f.Name
		}
		if f.Email != "" {
			ss.email = f.Email
		}
		ss.send(VisitorFrame{Type: TypeVisitor, Visitor: ss.visitorInfo()})
	case TypeSeen:
		// Seen up to f.ID: every reply shown so far that is not newer.
		var rs []*reply
		for id, r := range ss.replies {
			if id <= f.ID && !r.read {
				r.read = true
				rs = append(rs, r)
			}
		}
		ss.flush(ctx, rs...)
	}
}

// store makes a visitor's message durable, then acknowledges it: the
// platform-webhook path. The platform id joins visitor and client id, so a
// resend (the widget resends until acknowledged) is stored once.
func (ss *session) store(ctx context.Context, data []byte, f ClientFrame) {
	started := ss.srv.now()
	in := care.Inbound{Kind: care.KindMessage, InboxID: ss.inbox.ID, Channel: care.ChannelWebChat,
		PlatformID: ss.visitor + ":" + f.ClientID, Visibility: care.Private, Author: ss.author(),
		Text: f.Text, SentAt: started}
	if err := in.Validate(); err != nil {
		ss.sendError(CodeInvalid, err, f.ClientID)
		return
	}
	ss.setTyping(false)
	res, err := ss.append(ctx, in, data, started)
	outcome := "stored"
	switch {
	case err != nil:
		outcome = "error"
		if ctx.Err() == nil {
			ss.vlog.Error("webchat: store message", "err", err)
		}
		ss.sendError(CodeUnavailable, care.Errorf(care.EUNAVAILABLE, "The message could not be stored; it will be sent again."), f.ClientID)
	case res.Duplicate:
		outcome = "duplicate"
		fallthrough
	default:
		ss.send(Ack{Type: TypeAck, ClientID: f.ClientID, ID: res.ID})
	}
	if ss.srv.Observe != nil {
		ss.srv.Observe(outcome, started)
	}
}

func (ss *session) append(ctx context.Context, in care.Inbound, payload []byte, now time.Time) (care.AppendResult, error) {
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	res, err := ss.srv.Ingest.AppendAll(ctx, []care.RawEvent{{InboxID: ss.inbox.ID, WorkspaceID: ss.inbox.WorkspaceID,
		DedupeKey: in.DedupeKey(), Payload: payload, Inbound: in, ReceivedAt: now}})
	if err != nil {
		return care.AppendResult{}, err
	}
	if len(res) != 1 {
		return care.AppendResult{}, errors.New("webchat: the ingester returned no result")
	}
	return res[0], nil
}

// setTyping publishes the visitor's typing to agents. On lasts
// TypingExpiry unless repeated.
func (ss *session) setTyping(on bool) {
	if ss.typingTimer != nil {
		ss.typingTimer.Stop()
	}
	if on {
		if ss.typingTimer == nil {
			ss.typingTimer = time.NewTimer(TypingExpiry)
		} else {
			ss.typingTimer.Reset(TypingExpiry)
		}
	}
	if ss.srv.Typing == nil || ss.current == 0 || (!on && !ss.typing) {
		ss.typing = on && ss.current != 0
		return
	}
	ss.typing = on
	ss.srv.Typing.Publish(TypingSignal{WorkspaceID: ss.inbox.WorkspaceID, ConversationID: ss.current, Visitor: true, Name: ss.author().DisplayName, On: on})
}
