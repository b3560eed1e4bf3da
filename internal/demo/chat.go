package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/channel/webchat/webchatfake"
)

// brandSite is the brand's website, whose pages carry the chat widget:
// the origin its visitors' browsers send.
const brandSite = "https://www.orbitmobile.example"

// chatSite plays the visitors of the brand's website in its chat widget:
// each opens a socket to Parley's web chat endpoint and speaks the widget's
// protocol (package webchatfake), and keeps it open, as a browser tab
// does, to receive the agents' replies as they are sent.
type chatSite struct {
	base  string // Parley's URL
	inbox care.ID
	log   *slog.Logger

	mu       sync.Mutex // guards visitors, replies and closed
	visitors map[string]*chatter
	replies  []chatReply
	closed   bool
}

// connectWebChat creates the web chat inbox for the brand's website: the
// widget may open the chat from pages of brandSite only. Its visitors
// reach Parley's own web chat endpoint.
func (p *platforms) connectWebChat(ctx context.Context, admin *client) error {
	in, _, err := createInbox(ctx, admin, map[string]any{"channel": "webchat", "name": "Chat on " + strings.TrimPrefix(brandSite, "https://"),
		"credentials": map[string]string{webchat.CredOrigins: brandSite, webchat.CredTitle: brandName + " care", webchat.CredColor: "#5b2be0"}})
	if err != nil {
		return err
	}
	p.chatInbox = in.Inbox.ID
	p.chat.inbox = in.Inbox.ID
	return nil
}

// chatReply is an agent's reply a visitor received on their socket.
type chatReply struct {
	who     *customer
	visitor string  // their visitor id
	id      care.ID // Parley's id of the reply
	text    string
}

// chatter is one visitor's open widget. Its reader owns the socket's
// frames: it hands acknowledgements to the message waiting for them and
// records replies.
type chatter struct {
	who  *customer
	v    *webchatfake.Visitor
	done chan struct{} // closed when the reader stops

	mu   sync.Mutex // guards acks
	acks map[string]chan webchat.ServerFrame
}

// chatAckWait bounds saying a message in the chat: opening the widget if
// need be, and Parley's acknowledgement, which it gives once the message
// is on disk.
const chatAckWait = 15 * time.Second

// say has who write text in the chat, opening their widget first if it is
// not open, and returns the message's platform id once Parley has stored
// it, with who's platform user id.
func (s *chatSite) say(ctx context.Context, c *cast, who *customer, text string) (id, author string, err error) {
	ctx, cancel := context.WithTimeout(ctx, chatAckWait)
	defer cancel()
	ch, err := s.open(ctx, c, who)
	if err != nil {
		return "", "", err
	}
	clientID := ch.v.NewClientID()
	ack := make(chan webchat.ServerFrame, 1)
	ch.mu.Lock()
	ch.acks[clientID] = ack
	ch.mu.Unlock()
	defer func() {
		ch.mu.Lock()
		delete(ch.acks, clientID)
		ch.mu.Unlock()
	}()
	if err := ch.v.Send(ctx, clientID, text); err != nil {
		return "", "", fmt.Errorf("demo: web chat message: %w", err)
	}
	select {
	case f := <-ack:
		if f.Type == webchat.TypeError {
			return "", "", fmt.Errorf("demo: web chat refused a message: %s: %s", f.Code, f.Message)
		}
	case <-ch.done:
		return "", "", errors.New("demo: the web chat closed before acknowledging a message")
	case <-ctx.Done():
		return "", "", fmt.Errorf("demo: no acknowledgement from the web chat: %w", ctx.Err())
	}
	visitor := ch.v.Welcome.Visitor.ID
	return visitor + ":" + clientID, webchat.VisitorUserID(visitor), nil
}

// open returns who's widget, connecting it on their first message: hello,
// and the name (and the email, if they give one) from "Get our answer by
// email too", so that agents see who they talk to. ctx bounds connecting.
func (s *chatSite) open(ctx context.Context, c *cast, who *customer) (*chatter, error) {
	// One connection per visitor: a second message waits for the first's.
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("demo: the web chat has closed")
	}
	if ch, ok := s.visitors[who.key]; ok {
		return ch, nil
	}
	v, err := webchatfake.Dial(ctx, s.base, s.inbox, webchatfake.Options{Origin: brandSite})
	if err != nil {
		return nil, fmt.Errorf("demo: open the web chat: %w", err)
	}
	if v.Welcome.Visitor == nil || v.Welcome.Visitor.ID == "" {
		v.Close()
		return nil, errors.New("demo: the web chat's welcome named no visitor")
	}
	if _, err := v.Identify(ctx, who.name, who.email); err != nil {
		v.Close()
		return nil, fmt.Errorf("demo: give a name in the web chat: %w", err)
	}
	c.mu.Lock()
	who.visitor = v.Welcome.Visitor.ID
	c.mu.Unlock()
	ch := &chatter{who: who, v: v, done: make(chan struct{}), acks: map[string]chan webchat.ServerFrame{}}
	s.visitors[who.key] = ch
	go s.read(ch)
	return ch, nil
}

// read takes every frame Parley sends a visitor until the socket closes.
// A visitor with the panel open sees a reply at once and says so, which
// Parley records as read.
func (s *chatSite) read(ch *chatter) {
	defer close(ch.done)
	ctx := context.Background() // Next returns once the socket is closed
	for {
		f, err := ch.v.Next(ctx)
		if err != nil {
			return
		}
		switch {
		case f.Type == webchat.TypeAck || f.Type == webchat.TypeError && f.ClientID != "":
			ch.mu.Lock()
			ack := ch.acks[f.ClientID]
			ch.mu.Unlock()
			if ack != nil {
				select {
				case ack <- f:
				default:
				}
			}
		case f.Type == webchat.TypeMessage && f.Direction == care.DirectionOut:
			s.mu.Lock()
			s.replies = append(s.replies, chatReply{who: ch.who, visitor: ch.v.Welcome.Visitor.ID, id: f.ID, text: f.Text})
			s.mu.Unlock()
			seen, cancel := context.WithTimeout(ctx, 5*time.Second)
			if err := ch.v.Seen(seen, f.ID); err != nil {
				s.log.Debug("demo: a web chat read receipt", "err", err)
			}
			cancel()
		}
	}
}

// received returns the replies visitors received, oldest first.
func (s *chatSite) received() []chatReply {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]chatReply(nil), s.replies...)
}

// close closes every visitor's widget, as they leave the site, and waits
// for their readers.
func (s *chatSite) close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.closed = true
	open := make([]*chatter, 0, len(s.visitors))
	for _, ch := range s.visitors {
		open = append(open, ch)
	}
	clear(s.visitors)
	s.mu.Unlock()
	for _, ch := range open {
		ch.v.Close()
		<-ch.done
	}
}
