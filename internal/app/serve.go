package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/automation"
	"github.com/parleyhq/parley/internal/automator"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/config"
	"github.com/parleyhq/parley/internal/csat"
	"github.com/parleyhq/parley/internal/deadline"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/dispatch"
	"github.com/parleyhq/parley/internal/faillog"
	"github.com/parleyhq/parley/internal/hooks"
	"github.com/parleyhq/parley/internal/hours"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/inmem"
	"github.com/parleyhq/parley/internal/metrics"
	"github.com/parleyhq/parley/internal/natsbus"
	"github.com/parleyhq/parley/internal/netguard"
	"github.com/parleyhq/parley/internal/outbox"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/presence"
	"github.com/parleyhq/parley/internal/profile"
	"github.com/parleyhq/parley/internal/screen"
	"github.com/parleyhq/parley/internal/sse"
	"github.com/parleyhq/parley/internal/triage"
	"github.com/parleyhq/parley/internal/webhook"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config.Config
	if err := parseFlags("serve", args, stderr, cfg.RegisterServe); err != nil {
		return err
	}
	log := newLogger(&cfg, stderr)
	slog.SetDefault(log)
	a, err := Start(ctx, &cfg, log, stdout)
	if err != nil {
		return err
	}
	<-ctx.Done()
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	return a.Close(sctx)
}

// App is a running Parley: HTTP server, ingest committer and pipeline,
// outbox worker, all over one store.
type App struct {
	Store     care.Store
	Bus       *inmem.Bus
	Metrics   *metrics.Metrics
	Committer *ingest.Committer
	Desk      *desk.Service
	// Triage reads customer messages and ranks their conversations.
	Triage *triage.Triager
	// Dispatch gives waiting conversations to online agents.
	Dispatch *dispatch.Service
	// Deadlines keeps SLA clocks and announces warnings and breaches.
	Deadlines *deadline.Keeper
	// Automation runs workspaces' rules.
	Automation *automator.Runner
	// Screen applies comment moderation rules.
	Screen *screen.Screener
	// Survey asks customers how we did after resolution.
	Survey *csat.Surveyor
	// Presence knows which agents view or type in which conversation.
	Presence *presence.Hub
	// Addr is the address the server listens on, resolved (useful with
	// port 0).
	Addr string

	log     *slog.Logger
	server  *http.Server
	relay   *natsbus.Relay // nil without NATS
	chat    *webChat
	typing  *typingBridge
	streams context.Context // ends when shutdown starts; see endOnShutdown
	cancel  context.CancelFunc
	workers sync.WaitGroup
	commit  sync.WaitGroup
}

// Start opens the store, creates the first admin if there is no user yet,
// and starts serving. It returns once the listener is bound.
func Start(ctx context.Context, cfg *config.Config, log *slog.Logger, stdout io.Writer) (*App, error) {
	guard, err := netguard.Parse(cfg.AllowHosts)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	// The address is taken before the first admin is made: a start that
	// fails on a busy port must not print a password once and lose it.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		store.Close()
		return nil, listenError(cfg.Addr, err)
	}
	if err := firstRun(ctx, store, cfg, stdout); err != nil {
		ln.Close()
		store.Close()
		return nil, err
	}
	a := &App{Store: store, Bus: inmem.NewBus(), Metrics: metrics.New(), Addr: ln.Addr().String(), log: log}
	a.Presence = &presence.Hub{}
	a.typing = &typingBridge{hub: webchat.NewTypingHub(), presence: a.Presence}
	// Writers publish through pub: the local bus alone, or with NATS the
	// local bus and a notice to the other nodes.
	var pub interface{ Publish(...care.Event) } = a.Bus
	natsOpt := natsbus.Options{URL: cfg.NATSURL, Stream: cfg.NATSStream, Replicas: cfg.NATSReplicas, Node: care.NodeName(), Logger: log,
		CredsFile: cfg.NATSCreds, NkeyFile: cfg.NATSNkey, CAFile: cfg.NATSCA, CertFile: cfg.NATSCert, KeyFile: cfg.NATSKey}
	if cfg.NATSURL != "" {
		a.relay, err = natsbus.Connect(ctx, natsOpt, a.Bus)
		if err != nil {
			ln.Close()
			store.Close()
			return nil, err
		}
		pub = a.relay
		// Agents on other nodes see each other, and web chat visitors see
		// agents typing on other nodes, over NATS too.
		signals := &natsRelay{bus: a.relay, log: log, chat: a.typing.hub}
		if err := signals.listen(a.Presence); err != nil {
			a.relay.Close()
			ln.Close()
			store.Close()
			return nil, err
		}
		a.Presence.Relay = signals
		a.typing.relay = signals.PublishTyping
	}

	// The workers run until Close, not until the signal context ends:
	// shutdown drains HTTP first, then the committer, then stops them.
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.cancel = cancel

	pipelineWake := make(chan struct{}, 1)
	outboxWake := make(chan struct{}, 1)
	poke := func(c chan struct{}) {
		select {
		case c <- struct{}{}:
		default:
		}
	}
	a.Committer = ingest.NewCommitter(store, 512)
	a.Committer.Committed = func([]care.AppendResult) { poke(pipelineWake) }
	a.Triage = &triage.Triager{Store: store}
	a.Dispatch = &dispatch.Service{Store: store, Publisher: pub, Logger: log}
	a.Automation = &automator.Runner{Store: store, Logger: log}
	a.Deadlines = &deadline.Keeper{Store: store, Publisher: pub, Logger: log, Automation: a.Automation}
	a.Automation.Clocks = a.Deadlines
	pipeline := &ingest.Pipeline{Store: store, Publisher: pub, Logger: log, Wake: pipelineWake, Triage: a.Triage, Clocks: a.Deadlines, Automation: a.Automation,
		Passed: func(int) { a.Dispatch.Wake() },
		Threaded: func(received time.Time) {
			a.Metrics.PipelineLatency.WithLabelValues("thread").Observe(time.Since(received).Seconds())
		}}
	adapters := GuardedAdapters(cfg.PublicURL, store, guard)
	a.Survey = &csat.Surveyor{Store: store, PublicURL: cfg.PublicURL, Logger: log}
	a.Desk = &desk.Service{Store: store, Publisher: pub, Adapters: adapters, Clocks: a.Deadlines, Automation: a.Automation, Survey: a.Survey,
		OutboxWake: func() { poke(outboxWake) }}
	a.Automation.Replies = a.Desk
	a.Screen = &screen.Screener{Store: store, Adapters: adapters, Desk: a.Desk, Replies: a.Desk, Logger: log}
	pipeline.Screen, pipeline.Surveys = a.Screen, a.Survey
	worker := &outbox.Worker{Store: store, Senders: adapters, Logger: log, Wake: outboxWake, Publisher: pub,
		OnRecipient: func(out channel.Outbound, recipientID string) {
			_, err := store.AttachIdentity(wctx, out.Contact.ID, out.Inbox.Channel, care.Author{PlatformUserID: recipientID, DisplayName: out.Contact.Name}, time.Now())
			if err != nil && wctx.Err() == nil {
				log.Warn("add the recipient id the platform revealed", "contact", out.Contact.ID, "err", err)
			}
		},
		OnHealth: func(inboxID care.ID, h care.HealthUpdate) {
			if err := store.RecordInboxHealth(wctx, inboxID, h); err != nil && wctx.Err() == nil {
				log.Error("record inbox health", "inbox", inboxID, "err", err)
			}
		},
		OnDelivery: func(msg care.ID, status care.DeliveryStatus, reason string) {
			ch, err := a.Desk.Announce(wctx, msg)
			if err != nil && wctx.Err() == nil {
				log.Error("announce delivery", "message", msg, "err", err)
			}
			switch status {
			case care.DeliverySent, care.DeliveryDelivered:
				a.Metrics.Sent.WithLabelValues(string(ch)).Inc()
			case care.DeliveryFailed:
				a.Metrics.SendErrors.WithLabelValues(string(ch), "permanent").Inc()
			case care.DeliveryQueued:
				a.Metrics.SendErrors.WithLabelValues(string(ch), "temporary").Inc()
			}
		}}
	a.Metrics.SetOutboxDepthFunc(func() (float64, error) {
		// A scrape must not hang on a slow store.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := store.OutboxDepth(ctx)
		return float64(n), err
	})

	a.commit.Add(1)
	go func() { defer a.commit.Done(); a.Committer.Run(wctx) }()
	if cfg.Poll {
		// Every node may poll: leases in the database let one node at a
		// time poll an inbox or follow its stream.
		runner := &poll.Runner{Store: store, Adapters: adapters, Ingest: a.Committer, Logger: log}
		a.workers.Add(1)
		go func() { defer a.workers.Done(); runner.Run(wctx) }()
	}
	// Customers whom Messenger and Instagram name by id alone get their
	// names looked up beside ingest; a lease lets one node do it.
	names := &profile.Worker{Store: store, Adapters: adapters, Publisher: pub, Logger: log}
	a.workers.Add(1)
	go func() { defer a.workers.Done(); names.Run(wctx) }()
	a.workers.Add(1)
	go func() { defer a.workers.Done(); a.Automation.Run(wctx, store, pub, time.Minute) }()
	if a.relay != nil {
		a.workers.Add(1)
		go func() { defer a.workers.Done(); a.relay.Run(wctx) }()
	}
	if cfg.UsesPostgres() && a.relay == nil {
		// Without NATS, presence and agents' typing travel between the
		// nodes by NOTIFY/LISTEN.
		relay := &pgRelay{db: store.Writer(), node: care.NodeName(), log: log, chat: a.typing.hub}
		a.Presence.Relay = relay
		a.typing.relay = relay.PublishTyping
		a.workers.Add(1)
		go func() { defer a.workers.Done(); relay.listen(wctx, cfg.DatabaseURL, a.Presence) }()
	}
	a.workers.Add(1)
	go func() { defer a.workers.Done(); a.Presence.Run(wctx) }()
	hookWorker := &hooks.Worker{Store: store, Logger: log, Client: hooks.PublicOnly(guard, 10*time.Second)}
	a.workers.Add(7)
	go func() { defer a.workers.Done(); pipeline.Run(wctx) }()
	go func() { defer a.workers.Done(); hookWorker.Run(wctx) }()
	go func() {
		defer a.workers.Done()
		if err := a.Deadlines.Run(wctx); err != nil {
			log.Error("SLA deadlines stopped", "err", err)
		}
	}()
	go func() { defer a.workers.Done(); a.Dispatch.Run(wctx) }()
	go func() { defer a.workers.Done(); a.Triage.Run(wctx, store, time.Minute, log.Error) }()
	go func() { defer a.workers.Done(); a.housekeeping(wctx, 15*time.Second) }()
	go func() {
		defer a.workers.Done()
		if err := worker.Run(wctx); err != nil {
			log.Error("outbox worker stopped", "err", err)
		}
	}()

	apiServer := &api.Server{Store: store, Desk: a.Desk, Ingest: a.Committer, Logger: log, Adapters: adapters, PublicURL: cfg.PublicURL, Router: a.Dispatch,
		ValidateHours: func(doc []byte) error { _, err := hours.Parse(doc); return err },
		HoursChanged:  a.Deadlines.Invalidate,
		Settings:      a.settings(),
		StreamRecheck: cfg.StreamRecheck,
		HookSecret:    func(ctx context.Context, ws care.ID) (string, error) { return hooks.Secret(ctx, store, ws) },
		DryRun: func(ctx context.Context, q care.Queries, ws care.ID, doc []byte, limit int, now time.Time) ([]care.ID, int, error) {
			rule, err := automation.ParseRule(doc)
			if err != nil {
				return nil, 0, err
			}
			return automator.DryRun(ctx, q, ws, rule, limit, now)
		},
		Events: &sse.Stream{Source: store, Bus: a.Bus, Logger: log, Poll: cfg.EventPollFor(),
			Signals: presenceSignals(a.Presence)},
		SessionTTL:    cfg.SessionTTL,
		SecureCookies: cfg.SecureCookies,
		Observe: func(ch care.Channel, outcome string, started time.Time) {
			a.Metrics.IngestAccepted.WithLabelValues(string(ch), outcome).Inc()
			a.Metrics.PipelineLatency.WithLabelValues("ack").Observe(time.Since(started).Seconds())
		},
	}
	streams, endStreams := context.WithCancel(context.Background())
	a.streams = streams
	hooks := &webhook.Handler{Store: store, Adapters: adapters, Ingest: a.Committer, Logger: log, PublicURL: cfg.PublicURL,
		Observe: func(ch care.Channel, outcome string, events int, started time.Time) {
			a.Metrics.IngestAccepted.WithLabelValues(string(ch), outcome).Add(float64(max(events, 1)))
			a.Metrics.PipelineLatency.WithLabelValues("ack").Observe(time.Since(started).Seconds())
		}}
	a.chat = a.newWebChat(cfg, adapters)
	a.server = &http.Server{
		Handler:           a.routes(apiServer, hooks, cfg.MetricsToken),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	a.server.RegisterOnShutdown(endStreams)
	go func() {
		if err := a.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server stopped", "err", err)
		}
	}()
	started := []any{"addr", "http://" + a.Addr, "store", store.Dialect(), "node", care.NodeName()}
	if a.relay != nil {
		// How other nodes' changes reach this one's live views, for the
		// operator checking a multi-node setup.
		started = append(started, "nats", natsbus.Redact(cfg.NATSURL), "nats_auth", natsbus.Auth(natsOpt), "nats_stream", cfg.NATSStream)
	}
	if poll := cfg.EventPollFor(); poll > 0 {
		started = append(started, "event_poll", poll)
	}
	log.Info("parley is listening", started...)
	return a, nil
}

// Close shuts down gracefully: no new requests, in-flight ones finish (each
// acknowledged webhook is already durable), queued commits are flushed, then
// the pipeline and the outbox stop and the store closes.
func (a *App) Close(ctx context.Context) error {
	began := time.Now()
	var errs []error
	if err := a.server.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("http shutdown: %w", err))
	}
	errs = append(errs, a.chat.Close(ctx))
	if err := a.Committer.Close(ctx); err != nil {
		errs = append(errs, err)
	}
	a.commit.Wait()
	a.cancel()
	a.workers.Wait()
	a.closeRelay()
	errs = append(errs, a.Store.Close())
	err := errors.Join(errs...)
	// The last line a node writes: without it an operator cannot tell a
	// clean stop from one cut off by the shutdown timeout or a kill.
	done := []any{"took", time.Since(began).Round(time.Millisecond), "clean", err == nil}
	if err != nil {
		done = append(done, "err", err)
	}
	a.log.Info("shutdown finished", done...)
	return err
}

// listenError says what to do when the address cannot be taken: most
// often another Parley, or another server, already listens there.
func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("listen on %s: the address is in use, by another Parley or another server; stop it, or choose another with --addr or PARLEY_ADDR: %w", addr, err)
	}
	return fmt.Errorf("listen on %s: %w", addr, err)
}

func (a *App) closeRelay() {
	if a.relay != nil {
		a.relay.Close()
	}
}

// housekeeping runs the timed chores: waking snoozed conversations and
// forgetting expired sessions. A chore failing the same way round after
// round, as while the database is down, is logged when it starts, once a
// minute while it lasts, and when it ends; each chore on its own, as one
// may fail while the other works.
func (a *App) housekeeping(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	waking := &faillog.Log{Logger: a.log, What: "wake snoozed conversations"}
	deleting := &faillog.Log{Logger: a.log, What: "delete expired sessions"}
	for {
		n, err := a.Desk.WakeSnoozed(ctx)
		switch {
		case err == nil:
			waking.OK(time.Now())
			if n > 0 {
				a.log.Info("woke snoozed conversations", "count", n)
			}
		case ctx.Err() == nil:
			waking.Failed(time.Now(), err)
		}
		_, err = a.Store.DeleteExpiredSessions(ctx, time.Now())
		switch {
		case err == nil:
			deleting.OK(time.Now())
		case ctx.Err() == nil:
			deleting.Failed(time.Now(), err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
