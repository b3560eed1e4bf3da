// Package natsbus tells Parley's other nodes, over NATS JetStream, that a
// workspace has new events, so that their event streams and web chats show a
// change made on one node at once rather than at their next re-read of the
// shared database.
//
// What travels is a notice, not the event. PostgreSQL holds the events, and
// ids become visible there in order; two nodes' announcements can reach a
// third in either order. A notice therefore only marks the workspace stale
// on the receiving node (inmem.Bus.Stale), and its subscribers read the
// store after the last id they handled, in id order, losing nothing.
//
// JetStream rather than plain NATS publish/subscribe: the stream keeps each
// workspace's last few notices, and a node whose connection drops resumes
// its consumer where it stopped, so a notice sent while it was away still
// arrives (within MaxAge). Notices are cumulative, a newer one says all an
// older one did, so the stream keeps only a few per workspace and stays
// small however busy the installation is.
//
// The same connection carries signals (Relay.Signal: who views or types in
// a conversation), which are stale seconds later: those go by core NATS
// publish/subscribe, kept nowhere.
package natsbus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/faillog"
)

// DefaultStream is the JetStream stream's name unless configured otherwise.
const DefaultStream = "PARLEY_EVENTS"

const (
	// keepPerWorkspace is how many notices the stream keeps per workspace:
	// the newest suffices, a few more cover a consumer resuming mid-burst.
	keepPerWorkspace = 8
	// maxAge bounds how long a notice is kept for a node that is away. A
	// node away longer re-reads the store on its own schedule anyway.
	maxAge = 10 * time.Minute
	// publishTimeout bounds one notice's wait for JetStream's acknowledgement.
	publishTimeout = 5 * time.Second
	// retryAfter is the pause before notices that could not be sent are
	// tried again.
	retryAfter = time.Second
	// flushTimeout bounds the last send, at shutdown.
	flushTimeout = time.Second
	// repairEvery bounds how often a lost stream is created again.
	repairEvery = 10 * time.Second
)

// Local is this node's own event bus: events are handed to it as before,
// and other nodes' notices mark its workspaces stale.
type Local interface {
	Publish(events ...care.Event)
	Stale(workspaceID care.ID)
}

// Options configure Connect.
type Options struct {
	// URL is the NATS server, nats://[user:password@]host:port, or
	// tls://host:port to require TLS; several servers of one cluster may
	// be given, separated by commas.
	URL string
	// CredsFile is a credentials file (.creds: a user JWT and its nkey
	// seed, as nsc writes), for servers in operator (JWT) mode. It is
	// read again at each reconnect.
	CredsFile string
	// NkeyFile holds a user nkey seed (SU…), for servers that list their
	// users by public nkey. At most one of CredsFile and NkeyFile.
	NkeyFile string
	// CAFile is a PEM file of the certificates that verify the server's,
	// instead of the system's; setting it requires TLS.
	CAFile string
	// CertFile and KeyFile are a PEM client certificate and its key, for
	// servers that verify their clients (mutual TLS); both or neither.
	CertFile, KeyFile string
	// Stream names the JetStream stream; DefaultStream if empty. Its
	// subjects are Stream.<workspace id>. Installations that share a NATS
	// account need a stream each.
	Stream string
	// Replicas is how many servers of a NATS cluster keep the stream when
	// Parley creates it; 0 means 1. A stream that exists is used as it is,
	// so an operator may also create it with the replicas and limits
	// they want.
	Replicas int
	// Node names this node in its notices. A suffix drawn at Connect
	// tells relays apart, two in one process included: a relay skips only
	// its own notices.
	Node   string
	Logger *slog.Logger
}

// notice is what travels: the newest event id a node committed in a
// workspace, as of sending.
type notice struct {
	Node      string  `json:"node"`
	Workspace care.ID `json:"workspace_id"`
	LastEvent care.ID `json:"last_event_id"`
}

// Relay publishes events to the local bus and announces them to the other
// nodes; Run applies their announcements. Publish never waits for NATS:
// notices are coalesced per workspace and sent by Run, so a slow or absent
// NATS server delays only other nodes' news, never a write.
type Relay struct {
	local  Local
	node   string
	stream string
	log    *slog.Logger
	nc     *nats.Conn
	js     jetstream.JetStream
	// consuming applies other nodes' notices from Connect to Close.
	consuming jetstream.ConsumeContext

	mu      sync.Mutex
	pending map[care.ID]care.ID // workspace → newest event id not yet announced
	wake    chan struct{}

	config   jetstream.StreamConfig // the stream Parley creates when it is missing
	sending  *faillog.Log           // announcing new events
	hearing  *faillog.Log           // receiving other nodes' notices
	repaired time.Time              // when the stream was last created again
}

// Connect dials NATS and makes sure the stream exists (ensureStream). A server that cannot
// be reached at start is an error, so that a mistyped URL stops the node
// instead of leaving it deaf; once connected, the client reconnects for as
// long as the node runs.
func Connect(ctx context.Context, opt Options, local Local) (*Relay, error) {
	log := opt.Logger
	if log == nil {
		log = slog.Default()
	}
	stream := opt.Stream
	if stream == "" {
		stream = DefaultStream
	}
	if strings.ContainsAny(stream, ".*> \t") {
		return nil, fmt.Errorf("natsbus: stream name %q may not hold '.', '*', '>' or spaces", stream)
	}
	suffix := make([]byte, 4)
	rand.Read(suffix)
	r := &Relay{local: local, node: opt.Node + "/" + hex.EncodeToString(suffix), stream: stream, log: log.With("nats_stream", stream),
		pending: map[care.ID]care.ID{}, wake: make(chan struct{}, 1)}
	// Other nodes' changes still arrive while NATS is away, at the next
	// re-read of the database: a warning, not an error.
	r.sending = &faillog.Log{Logger: r.log, What: "nats: announcing new events to other nodes", Level: slog.LevelWarn}
	r.hearing = &faillog.Log{Logger: r.log, What: "nats: hearing other nodes' events", Level: slog.LevelWarn}
	secure, err := security(opt)
	if err != nil {
		return nil, err
	}
	nc, err := nats.Connect(opt.URL, append(secure,
		nats.Name("parley "+opt.Node),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				r.log.Warn("nats: disconnected; other nodes' changes arrive at the next re-read of the database until it is back", "err", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { r.log.Info("nats: reconnected", "server", c.ConnectedUrlRedacted()) }),
	)...)
	if err != nil {
		return nil, fmt.Errorf("natsbus: connect to %s: %w", Redact(opt.URL), err)
	}
	r.nc = nc
	if r.js, err = jetstream.New(nc); err != nil {
		nc.Close()
		return nil, fmt.Errorf("natsbus: jetstream: %w", err)
	}
	r.config = jetstream.StreamConfig{
		Name:              stream,
		Description:       "Parley: which workspaces have new events",
		Subjects:          []string{stream + ".*"},
		Retention:         jetstream.LimitsPolicy,
		Storage:           jetstream.FileStorage,
		MaxAge:            maxAge,
		MaxMsgsPerSubject: keepPerWorkspace,
		Discard:           jetstream.DiscardOld,
		Replicas:          max(opt.Replicas, 1),
	}
	if err := r.ensureStream(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	// Consuming starts here, not in Run, so that every notice sent once
	// Connect has returned reaches this node.
	cons, err := r.js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{stream + ".*"},
		DeliverPolicy:  jetstream.DeliverNewPolicy,
	})
	if err == nil {
		r.consuming, err = cons.Consume(r.receive, jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			r.hearing.Failed(time.Now(), err)
		}))
	}
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("natsbus: consume %s: %w", stream, err)
	}
	return r, nil
}

// ensureStream creates the stream if it is missing. A stream that exists is
// used as it is, replicas and limits included, so that one an operator
// made (three replicas on a cluster) is not scaled down by each node that
// starts; only its subjects are checked, since notices on subjects it does
// not take would be lost.
func (r *Relay) ensureStream(ctx context.Context) error {
	_, err := r.js.CreateStream(ctx, r.config)
	if !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		switch {
		case errors.Is(err, jetstream.ErrJetStreamNotEnabled), errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount):
			return fmt.Errorf("natsbus: create stream %s: JetStream is not enabled on the NATS server (start it with -js): %w", r.stream, err)
		case err != nil:
			return fmt.Errorf("natsbus: create stream %s: %w", r.stream, err)
		}
		return nil
	}
	st, err := r.js.Stream(ctx, r.stream)
	if err != nil {
		return fmt.Errorf("natsbus: read stream %s: %w", r.stream, err)
	}
	subjects := st.CachedInfo().Config.Subjects
	for _, sub := range subjects {
		if sub == r.stream+".*" || sub == r.stream+".>" || sub == ">" {
			return nil
		}
	}
	return fmt.Errorf("natsbus: a stream named %s exists for subjects %q, not %s.*: it is not Parley's; name Parley's with PARLEY_NATS_STREAM", r.stream, subjects, r.stream)
}

// lostStream reports whether a publish failed because no stream takes the
// subject: the stream was deleted, or the server restarted without its
// storage.
func lostStream(err error) bool {
	return errors.Is(err, jetstream.ErrNoStreamResponse) || errors.Is(err, nats.ErrNoResponders) || errors.Is(err, jetstream.ErrStreamNotFound)
}

// Publish hands the events to the local bus and queues a notice for each
// workspace they belong to. Call it, like inmem.Bus.Publish, after the
// events are committed.
func (r *Relay) Publish(events ...care.Event) {
	r.local.Publish(events...)
	if len(events) == 0 {
		return
	}
	r.mu.Lock()
	for _, e := range events {
		if e.ID > r.pending[e.WorkspaceID] {
			r.pending[e.WorkspaceID] = e.ID
		}
	}
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run sends queued notices until ctx ends, then sends what is still
// queued, briefly, and returns. Other nodes' notices are applied from
// Connect until Close, whether Run is running or not.
func (r *Relay) Run(ctx context.Context) {
	var retry <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			// What is queued goes out if NATS is there, briefly: the
			// shutdown has a deadline of its own, and other nodes see
			// these events at their next re-read anyway.
			if r.nc.IsConnected() {
				fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushTimeout)
				r.send(fctx)
				cancel()
			}
			return
		case <-r.wake:
		case <-retry:
		}
		retry = nil
		if !r.send(ctx) {
			retry = time.After(retryAfter)
		}
	}
}

// send announces every queued notice, one per workspace. Notices it could
// not send go back on the queue, unless a newer one arrived meanwhile; it
// reports whether all were sent.
func (r *Relay) send(ctx context.Context) bool {
	r.mu.Lock()
	batch := r.pending
	r.pending = map[care.ID]care.ID{}
	r.mu.Unlock()
	var failed error
	// One timeout for the whole batch: while NATS is away, the first
	// notice uses it up and the rest go back on the queue at once.
	pctx, cancel := context.WithTimeout(ctx, publishTimeout)
	defer cancel()
	for ws, last := range batch {
		data, err := json.Marshal(notice{Node: r.node, Workspace: ws, LastEvent: last})
		if err != nil {
			// A struct of a string and two integers always encodes.
			panic(err)
		}
		_, err = r.js.Publish(pctx, r.stream+"."+strconv.FormatInt(ws, 10), data)
		if err != nil {
			failed = err
			r.mu.Lock()
			if last > r.pending[ws] {
				r.pending[ws] = last
			}
			r.mu.Unlock()
		}
	}
	now := time.Now()
	switch {
	case failed == nil:
		r.sending.OK(now)
	case ctx.Err() == nil:
		r.sending.Failed(now, failed)
		if lostStream(failed) && now.Sub(r.repaired) >= repairEvery {
			// Nodes create the stream at start; one lost since (deleted,
			// or a server restarted without its storage) would otherwise
			// stay lost until a node starts.
			r.repaired = now
			if err := r.ensureStream(ctx); err != nil {
				r.log.Warn("nats: the stream is gone and cannot be created again", "err", err)
			} else {
				r.log.Info("nats: the stream was gone; created it again")
			}
		}
	}
	return failed == nil
}

// receive applies one notice. Notices are Parley's own, but a malformed one
// (another program publishing on the subject) is skipped, not trusted.
func (r *Relay) receive(m jetstream.Msg) {
	n, err := parseNotice(m.Data())
	if err != nil {
		r.log.Debug("nats: skip a malformed notice", "subject", m.Subject(), "err", err)
		return
	}
	r.hearing.OK(time.Now())
	if n.Node == r.node {
		return
	}
	r.local.Stale(n.Workspace)
}

// maxNotice bounds what parseNotice reads; Parley's own are under 100 bytes.
const maxNotice = 1 << 10

func parseNotice(data []byte) (notice, error) {
	var n notice
	if len(data) > maxNotice {
		return n, fmt.Errorf("natsbus: notice of %d bytes, over %d", len(data), maxNotice)
	}
	if err := json.Unmarshal(data, &n); err != nil {
		return n, fmt.Errorf("natsbus: notice: %w", err)
	}
	if n.Workspace <= 0 {
		return n, errors.New("natsbus: notice names no workspace")
	}
	return n, nil
}

// Close stops applying notices and ends the connection. Call it after Run
// has returned.
func (r *Relay) Close() {
	r.consuming.Stop()
	r.nc.Close()
}

// Redact hides the user, password or token in server URLs, for messages
// and logs.
func Redact(urls string) string {
	parts := strings.Split(urls, ",")
	for i, p := range parts {
		if u, err := url.Parse(strings.TrimSpace(p)); err == nil && u.User != nil {
			parts[i] = u.Scheme + "://***@" + u.Host + u.Path
		}
	}
	return strings.Join(parts, ",")
}
