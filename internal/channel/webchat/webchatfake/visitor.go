// Package webchatfake plays website visitors against Parley's web chat: a
// Go client that speaks the widget's WebSocket protocol (see package
// webchat) over a real connection, as the widget in a browser would. The
// web chat tests and `parley demo` use it to play customers:
//
//	v, err := webchatfake.Dial(ctx, "http://127.0.0.1:8080", inboxID, webchatfake.Options{Origin: "https://shop.example.com"})
//	clientID, receipt, err := v.Say(ctx, "Where is my order?")   // stored when this returns
//	reply, err := v.Reply(ctx)                                   // the next agent reply, live
//	v.Seen(ctx, reply.ID)                                        // read receipt
//	token := v.Token()                                           // come back later as the same visitor
//	v.Close()
//
// What Parley sent is read with Next (every frame, in order), WaitFor (the
// next frame that matches) and Reply; Welcome holds the answer to hello,
// with the visitor's history.
package webchatfake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/coder/websocket"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/webchat"
)

// Options say how a visitor connects.
type Options struct {
	// Origin is the page the widget runs on, sent as the handshake's
	// Origin header: it must be one of the inbox's origins, or Parley's own
	// URL.
	Origin string
	// Token comes back as the visitor it was given to; "" is a new visitor.
	Token string
}

// HandshakeError is Parley refusing the WebSocket handshake: a wrong
// origin (403), an unknown inbox (404), too many sockets (429, 503).
type HandshakeError struct {
	Status int
	Err    error
}

func (e *HandshakeError) Error() string {
	return fmt.Sprintf("webchatfake: handshake refused with status %d: %v", e.Status, e.Err)
}

func (e *HandshakeError) Unwrap() error { return e.Err }

// Visitor is one visitor's open widget. Its methods are safe for
// concurrent use, but frames are consumed in order by one reader at a
// time (Next, WaitFor, Reply and the methods that wait for an answer).
type Visitor struct {
	// Welcome is Parley's answer to hello.
	Welcome webchat.ServerFrame

	conn   *websocket.Conn
	cancel context.CancelFunc
	done   chan struct{}
	seq    atomic.Int64
	prefix string

	mu      sync.Mutex
	queue   []webchat.ServerFrame
	notify  chan struct{}
	readErr error
}

// SocketURL is the WebSocket URL of an inbox on the Parley at base
// ("http://127.0.0.1:8080" gives "ws://127.0.0.1:8080/chat/ws/7").
func SocketURL(base string, inboxID care.ID) (string, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil {
		return "", err
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	case "ws", "wss":
	default:
		return "", fmt.Errorf("webchatfake: %q is not an http or https URL", base)
	}
	u.Path = webchat.SocketPath + strconv.FormatInt(inboxID, 10)
	return u.String(), nil
}

// Dial opens the widget's socket on the Parley at base, says hello and
// waits for welcome. It returns a *HandshakeError when Parley refuses the
// handshake, and an error for an error frame in place of welcome.
func Dial(ctx context.Context, base string, inboxID care.ID, opt Options) (*Visitor, error) {
	u, err := SocketURL(base, inboxID)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	if opt.Origin != "" {
		h.Set("Origin", opt.Origin)
	}
	conn, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			return nil, &HandshakeError{Status: resp.StatusCode, Err: err}
		}
		return nil, err
	}
	conn.SetReadLimit(4 << 20)
	rctx, cancel := context.WithCancel(context.Background())
	v := &Visitor{conn: conn, cancel: cancel, done: make(chan struct{}), notify: make(chan struct{}, 1),
		prefix: strconv.FormatUint(uint64(randomish()), 36)}
	go v.read(rctx)
	hello := map[string]any{"type": webchat.TypeHello}
	if opt.Token != "" {
		hello["token"] = opt.Token
	}
	if err := v.send(ctx, hello); err != nil {
		v.Close()
		return nil, err
	}
	f, err := v.Next(ctx)
	if err != nil {
		v.Close()
		return nil, err
	}
	if f.Type != webchat.TypeWelcome {
		v.Close()
		return nil, fmt.Errorf("webchatfake: %s %q in place of welcome: %s", f.Type, f.Code, f.Message)
	}
	v.Welcome = f
	return v, nil
}

// randomish varies client ids between visitors of one process; they need
// only be unique per visitor.
var counter atomic.Uint32

func randomish() uint32 { return counter.Add(1)*2654435761 + 12345 }

// read keeps reading, so pings are answered while nobody waits for a frame.
func (v *Visitor) read(ctx context.Context) {
	defer close(v.done)
	for {
		_, data, err := v.conn.Read(ctx)
		if err == nil {
			var f webchat.ServerFrame
			if err = json.Unmarshal(data, &f); err != nil {
				err = fmt.Errorf("webchatfake: undecodable frame %.200s: %w", data, err)
			}
			v.mu.Lock()
			if err == nil {
				v.queue = append(v.queue, f)
			}
			v.mu.Unlock()
		}
		if err != nil {
			v.mu.Lock()
			v.readErr = err
			v.mu.Unlock()
		}
		select {
		case v.notify <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// Next returns the next frame Parley sent, waiting for it until ctx ends.
// Once the socket is closed and every frame read, it returns the close
// error (websocket.CloseStatus tells the code).
func (v *Visitor) Next(ctx context.Context) (webchat.ServerFrame, error) {
	for {
		v.mu.Lock()
		if len(v.queue) > 0 {
			f := v.queue[0]
			v.queue = v.queue[1:]
			v.mu.Unlock()
			return f, nil
		}
		err := v.readErr
		v.mu.Unlock()
		if err != nil {
			return webchat.ServerFrame{}, err
		}
		select {
		case <-ctx.Done():
			return webchat.ServerFrame{}, ctx.Err()
		case <-v.notify:
		}
	}
}

// WaitFor returns the next frame for which match is true, dropping the
// frames before it.
func (v *Visitor) WaitFor(ctx context.Context, match func(webchat.ServerFrame) bool) (webchat.ServerFrame, error) {
	for {
		f, err := v.Next(ctx)
		if err != nil || match(f) {
			return f, err
		}
	}
}

// Reply returns the next agent reply.
func (v *Visitor) Reply(ctx context.Context) (webchat.Message, error) {
	f, err := v.WaitFor(ctx, func(f webchat.ServerFrame) bool {
		return f.Type == webchat.TypeMessage && f.Direction == care.DirectionOut
	})
	return f.AsMessage(), err
}

// Token is the visitor's token, to Dial again as the same visitor.
func (v *Visitor) Token() string { return v.Welcome.Token }

func (v *Visitor) send(ctx context.Context, frame any) error {
	b, err := json.Marshal(frame)
	if err != nil {
		return err
	}
	return v.SendRaw(ctx, b)
}

// SendRaw sends bytes as one text frame, for tests of what Parley does
// with a malformed one.
func (v *Visitor) SendRaw(ctx context.Context, data []byte) error {
	return v.conn.Write(ctx, websocket.MessageText, data)
}

// NewClientID returns a client id unique to this visitor.
func (v *Visitor) NewClientID() string {
	return "m" + v.prefix + "-" + strconv.FormatInt(v.seq.Add(1), 10)
}

// Send sends a message with the given client id without waiting; sending
// the same id again is a resend, stored once.
func (v *Visitor) Send(ctx context.Context, clientID, text string) error {
	return v.send(ctx, map[string]any{"type": webchat.TypeMessage, "client_id": clientID, "text": text})
}

// Say sends a message and waits for Parley to store it, returning its
// client id and receipt (the ack's id). An error frame about it is
// returned as an error.
func (v *Visitor) Say(ctx context.Context, text string) (clientID string, receipt care.ID, err error) {
	clientID = v.NewClientID()
	if err := v.Send(ctx, clientID, text); err != nil {
		return "", 0, err
	}
	f, err := v.WaitFor(ctx, func(f webchat.ServerFrame) bool {
		return (f.Type == webchat.TypeAck || f.Type == webchat.TypeError) && f.ClientID == clientID
	})
	if err != nil {
		return "", 0, err
	}
	if f.Type == webchat.TypeError {
		return clientID, 0, fmt.Errorf("webchatfake: message refused: %s: %s", f.Code, f.Message)
	}
	return clientID, f.ID, nil
}

// Typing says the visitor started or stopped typing.
func (v *Visitor) Typing(ctx context.Context, on bool) error {
	return v.send(ctx, map[string]any{"type": webchat.TypeTyping, "on": on})
}

// Identify gives the visitor's name and email and waits for Parley to
// confirm them; a refusal is returned as an error.
func (v *Visitor) Identify(ctx context.Context, name, email string) (webchat.Visitor, error) {
	if err := v.send(ctx, map[string]any{"type": webchat.TypeIdentify, "name": name, "email": email}); err != nil {
		return webchat.Visitor{}, err
	}
	f, err := v.WaitFor(ctx, func(f webchat.ServerFrame) bool {
		return f.Type == webchat.TypeVisitor || f.Type == webchat.TypeError
	})
	switch {
	case err != nil:
		return webchat.Visitor{}, err
	case f.Type == webchat.TypeError:
		return webchat.Visitor{}, fmt.Errorf("webchatfake: identify refused: %s: %s", f.Code, f.Message)
	case f.Visitor == nil:
		return webchat.Visitor{}, errors.New("webchatfake: visitor frame without a visitor")
	}
	return *f.Visitor, nil
}

// Seen says the visitor has seen the replies up to id.
func (v *Visitor) Seen(ctx context.Context, id care.ID) error {
	return v.send(ctx, map[string]any{"type": webchat.TypeSeen, "id": id})
}

// Close closes the socket, as a visitor closing the tab, and waits for
// the reader to stop. Closing a socket Parley already closed is no error.
func (v *Visitor) Close() error {
	v.conn.Close(websocket.StatusNormalClosure, "")
	v.cancel()
	<-v.done
	return nil
}
