package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/parleyhq/parley/internal/care"
)

const (
	// outBuffer is how many frames may wait for a slow widget before the
	// socket is closed (the widget reconnects and catches up from history).
	outBuffer = 64
	// eventBuffer is the same for messages waiting for the session's loop.
	eventBuffer = 64
	// storeTimeout bounds storing one visitor message or receipt.
	storeTimeout = 10 * time.Second
	// TypingExpiry is how long "typing" lasts without a repeat.
	TypingExpiry = 8 * time.Second
	// maxViolations is how many refused frames in a row a socket may send
	// before it is closed.
	maxViolations = 20
	// maxTracked bounds what a session remembers of replies it showed.
	maxTracked = 256
)

// session is one widget socket: the visitor's side of the protocol. Its
// loop owns every field below conn; the watcher only calls deliver.
type session struct {
	srv   *Server
	conn  *websocket.Conn
	inbox care.Inbox
	cfg   Config
	lim   Limits
	// log is for every goroutine; vlog, which names the visitor, for the
	// loop's.
	log  *slog.Logger
	vlog *slog.Logger

	out    chan []byte
	events chan care.Message
	lagged chan struct{}

	w          *watcher
	visitor    string
	visitorSet bool // counted in perVisitor
	name       string
	email      string
	convs      map[care.ID]bool
	current    care.ID
	shown      map[care.ID]bool
	replies    map[care.ID]*reply
	bucket     *bucket
	violations int
	outFull    bool

	typingC      <-chan TypingSignal
	typingCancel func()
	typing       bool
	typingTimer  *time.Timer
	agentTimer   *time.Timer
}

// reply is what a session remembers of a reply it showed, to report it
// delivered and read once the outbox has given it its platform id.
type reply struct {
	platformID           string
	status               care.DeliveryStatus
	delivered, read      bool // what the widget did
	sentDelivered, sentR bool // what was reported
}

func newSession(s *Server, conn *websocket.Conn, in care.Inbox, cfg Config) *session {
	log := s.logger().With("inbox", in.ID)
	return &session{srv: s, conn: conn, inbox: in, cfg: cfg, lim: s.lim, log: log, vlog: log,
		out:    make(chan []byte, outBuffer),
		events: make(chan care.Message, eventBuffer), lagged: make(chan struct{}, 1),
		convs: map[care.ID]bool{}, shown: map[care.ID]bool{}, replies: map[care.ID]*reply{},
		bucket: newBucket(s.lim.Burst, s.lim.PerSecond, s.now())}
}

// deliver hands the loop a message of its visitor, never waiting: a
// session too far behind is closed, and its widget catches up on
// reconnection.
func (ss *session) deliver(m care.Message) {
	select {
	case ss.events <- m:
	default:
		select {
		case ss.lagged <- struct{}{}:
		default:
		}
	}
}

type frame struct {
	data   []byte
	binary bool
}

// run serves the socket until either side ends it or parent ends.
//
// The socket's reads and writes use a context of their own, ended only
// after the close handshake: cancelling a read closes the connection at
// once, and a widget told "going away" at shutdown reconnects sooner than
// one whose connection just drops.
func (ss *session) run(parent context.Context) {
	wire, kill := context.WithCancel(context.WithoutCancel(parent))
	defer kill()
	ss.conn.SetReadLimit(MaxFrameBytes)
	frames := make(chan frame)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); ss.read(wire, frames) }()
	go func() { defer wg.Done(); ss.keepalive(wire, kill) }()
	writerDone := make(chan struct{})
	go func() { defer close(writerDone); ss.write(wire, kill) }()

	code, reason := ss.loop(parent, wire, frames)
	ss.leave()
	// Let the writer send what is queued (an error frame, say) first, for
	// as long as one write may take.
	close(ss.out)
	drain := time.NewTimer(ss.lim.WriteTimeout)
	select {
	case <-writerDone:
	case <-drain.C:
		kill()
		<-writerDone
	}
	drain.Stop()
	if wire.Err() != nil {
		// The connection is dead (no pong, a failed write, the peer
		// left): there is nobody to say goodbye to.
		ss.conn.CloseNow()
	} else {
		ss.conn.Close(code, reason)
	}
	kill()
	wg.Wait()
}

// leave undoes what the session registered.
func (ss *session) leave() {
	if ss.w != nil {
		ss.srv.detach(ss.w, ss)
	}
	ss.setTyping(false)
	if ss.typingCancel != nil {
		ss.typingCancel()
	}
	if ss.visitorSet {
		ss.srv.perVisitor.release(ss.visitorKey())
	}
	for _, t := range []*time.Timer{ss.typingTimer, ss.agentTimer} {
		if t != nil {
			t.Stop()
		}
	}
}

func (ss *session) visitorKey() string {
	return strconv.FormatInt(ss.inbox.ID, 10) + ":" + ss.visitor
}

func (ss *session) read(ctx context.Context, frames chan<- frame) {
	defer close(frames)
	for {
		typ, data, err := ss.conn.Read(ctx)
		if err != nil {
			if ctx.Err() == nil && websocket.CloseStatus(err) == -1 && !errors.Is(err, context.Canceled) {
				ss.log.Debug("webchat: read", "err", err)
			}
			return
		}
		select {
		case frames <- frame{data, typ != websocket.MessageText}:
		case <-ctx.Done():
			return
		}
	}
}

// write sends queued frames in order until the queue is closed; a failed
// write ends the session.
func (ss *session) write(ctx context.Context, cancel context.CancelFunc) {
	failed := false
	for b := range ss.out {
		if failed {
			continue
		}
		wctx, done := context.WithTimeout(ctx, ss.lim.WriteTimeout)
		err := ss.conn.Write(wctx, websocket.MessageText, b)
		done()
		if err != nil {
			failed = true
			cancel()
		}
	}
}

// keepalive pings; a pong that does not come in time ends the session.
// The pong is read by the read loop, so a client that stalls halfway
// through a frame is caught too.
func (ss *session) keepalive(ctx context.Context, cancel context.CancelFunc) {
	t := time.NewTicker(ss.lim.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			pctx, done := context.WithTimeout(ctx, ss.lim.PongTimeout)
			err := ss.conn.Ping(pctx)
			done()
			if err != nil {
				if ctx.Err() == nil {
					ss.log.Debug("webchat: no pong; closing", "err", err)
				}
				cancel()
				return
			}
		}
	}
}

// send queues a frame for the writer. A full queue marks the session for
// closing: the widget is not keeping up.
func (ss *session) send(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		ss.vlog.Error("webchat: encode frame", "err", err)
		return
	}
	select {
	case ss.out <- b:
	default:
		ss.outFull = true
	}
}

func (ss *session) sendError(code string, err error, clientID string) {
	ss.send(Error{Type: TypeError, Code: code, Message: care.ErrorMessage(err), ClientID: clientID})
}

// loop runs the protocol: hello first, then frames, replies and typing
// signals as they come. It returns how to close the socket.
func (ss *session) loop(ctx, wire context.Context, frames <-chan frame) (websocket.StatusCode, string) {
	hello := time.NewTimer(ss.lim.HelloTimeout)
	defer hello.Stop()
	select {
	case <-ctx.Done():
		return websocket.StatusGoingAway, "Parley is restarting"
	case <-wire.Done():
		return websocket.StatusGoingAway, ""
	case <-hello.C:
		return websocket.StatusPolicyViolation, "hello expected"
	case fr, ok := <-frames:
		if !ok {
			return websocket.StatusNormalClosure, ""
		}
		f, err := DecodeClient(fr.data)
		if fr.binary || err != nil || f.Type != TypeHello {
			ss.sendError(CodeHelloFirst, care.Errorf(care.EINVALID, "The first frame must be hello."), "")
			return websocket.StatusPolicyViolation, "hello expected"
		}
		if code, reason, ok := ss.hello(ctx, f); !ok {
			return code, reason
		}
	}
	for {
		select {
		case <-ctx.Done():
			return websocket.StatusGoingAway, "Parley is restarting"
		case <-wire.Done():
			return websocket.StatusGoingAway, ""
		case fr, ok := <-frames:
			if !ok {
				return websocket.StatusNormalClosure, ""
			}
			if fr.binary {
				return websocket.StatusUnsupportedData, "text frames only"
			}
			if !ss.bucket.Take(ss.srv.now()) {
				ss.sendError(CodeRateLimited, care.Errorf(care.EUNAVAILABLE, "Too many messages at once; slow down."), clientIDOf(fr.data))
				ss.violations++
			} else {
				ss.handle(ctx, fr.data)
			}
			if ss.violations > maxViolations {
				return websocket.StatusPolicyViolation, "too many refused frames"
			}
		case m := <-ss.events:
			ss.onMessage(ctx, m)
		case <-ss.lagged:
			return websocket.StatusTryAgainLater, "reconnect to catch up"
		case sig := <-ss.typingC:
			ss.onTyping(sig)
		case <-timerC(ss.typingTimer):
			ss.setTyping(false)
		case <-timerC(ss.agentTimer):
			ss.send(TypingFrame{Type: TypeTyping, On: false})
		}
		if ss.outFull {
			return websocket.StatusTryAgainLater, "reconnect to catch up"
		}
	}
}

func timerC(t *time.Timer) <-chan time.Time {
	if t == nil {
		return nil
	}
	return t.C
}

// clientIDOf digs the client id out of a frame that was refused, so the
// widget knows which message to keep queued.
func clientIDOf(data []byte) string {
	var v struct {
		ClientID string `json:"client_id"`
	}
	if json.Unmarshal(data, &v) != nil || !validClientID(v.ClientID) {
		return ""
	}
	return v.ClientID
}
