package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// run is one demo: Parley, the fakes, the cast and the simulated people.
type run struct {
	opts   Options
	log    *slog.Logger
	out    io.Writer // the story; io.Discard when headless
	parley *parley
	admin  *client
	team   *seeded
	plat   *platforms
	cast   *cast
	tally  *tally
	links  *linker
	start  time.Time
	// hearing is what listening has yet to find of the posts strangers
	// published.
	hearing hearing

	traffic *traffic
	// past is what was stored of the desk's past weeks.
	past Past
	// budget is how many inbound messages may still be sent when Count
	// bounds the run; negative means no bound.
	budget atomic.Int64
	// followUps carries customers' answers to the headless driver, which
	// sends them within its rate.
	followUps chan message
	// playCtx ends when the customers' side stops: the driver, the script,
	// and customers' answers waiting to be sent (players).
	playCtx  context.Context
	stopPlay context.CancelFunc
	players  sync.WaitGroup
	pmu      sync.Mutex // guards stopped and asidesDone, and adding to players and asides
	stopped  bool
	// asides are headless customers' answers on the channels aside from
	// the rate that Parley has at once (the web chat, the care mailbox),
	// which the wind-down waits for; asideCtx bounds each delivery.
	asides     sync.WaitGroup
	asideCtx   context.Context
	asidesDone bool
	// actors are the agents, the approver, the linker and the watcher of
	// the fakes; stopActors ends them.
	actors     sync.WaitGroup
	stopActors context.CancelFunc

	mu        sync.Mutex // guards rng, takePrivate, asideIn and the narration
	rng       *rand.Rand
	watching  sync.Mutex // one look at the fakes at a time; guards announced, reading and held
	announced map[kind]bool
	reading   []reading
	held      int // YouTube comments moderation held, as told
	// asideIn are what headless customers wrote aside from the rate, on
	// the platforms Parley polls and in the web chat, which the wind-down
	// waits for Parley to have.
	asideIn []Sample
	// takePrivate are public comments an agent answers by taking the
	// conversation private, whatever triage read in them.
	takePrivate map[string]bool
}

// Run starts Parley on a fresh database with the fakes of every platform,
// seeds the brand, and plays customers and agents until ctx ends or the
// options' bounds are reached; then it winds down, prints the summary and
// returns the report. Returns EINVALID for options it cannot run with.
func Run(ctx context.Context, opts Options, stdout io.Writer, log *slog.Logger) (*Report, error) {
	opts, err := opts.check()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if stdout == nil {
		stdout = io.Discard
	}
	if opts.Seed == 0 {
		opts.Seed = rand.Int64N(1<<31) + 1
	}
	dir, cleanup, err := dataDir(opts.DataDir)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	p, err := startParley(ctx, dir, opts.Addr, log)
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{MaxIdleConnsPerHost: 128, IdleConnTimeout: 30 * time.Second}
	hc := &http.Client{Transport: tr, Timeout: 15 * time.Second}
	r := &run{opts: opts, log: log, out: stdout, parley: p, admin: &client{base: p.url, token: p.token, hc: hc},
		cast: newCast(opts.Seed), tally: newTally(opts.Seed, p.url), takePrivate: map[string]bool{}, announced: map[kind]bool{},
		rng: rand.New(rand.NewPCG(uint64(opts.Seed), 0xf011)), followUps: make(chan message, 1024), hearing: hearing{pending: map[string]unheard{}}}
	if opts.Headless {
		r.out = io.Discard
	}
	defer func() {
		if r.plat != nil {
			// Visitors leave the site: their sockets would hold Parley's
			// shutdown up.
			r.plat.chat.close()
		}
		if err := p.close(); err != nil {
			log.Error("demo: stop Parley", "err", err)
		}
		// After Parley, whose outbox may still be talking to the fakes.
		if r.plat != nil {
			r.plat.close()
		}
		tr.CloseIdleConnections()
	}()

	if r.team, err = seed(ctx, p, r.admin); err != nil {
		return nil, err
	}
	// The subjects are seeded; the history follows, before the inboxes
	// whose searches add to it.
	l, err := importHistory(ctx, r.admin, opts.Seed, time.Now())
	if err != nil {
		return nil, err
	}
	r.tally.history(l)
	if r.plat, err = connect(ctx, p, r.admin, hc, log); err != nil {
		return nil, err
	}
	// The desk's past, in the inboxes just connected, before any customer
	// of the run writes.
	pl := r.plat
	r.past, err = seedPast(ctx, p.app.Store, p.ws, r.team, map[care.Channel]care.ID{care.ChannelX: pl.xInbox, care.ChannelFacebook: pl.fbInbox,
		care.ChannelInstagram: pl.igInbox, care.ChannelWhatsApp: pl.waInbox, care.ChannelEmail: pl.mailInbox, care.ChannelTelegram: pl.tgInbox},
		opts.Seed, time.Now())
	if err != nil {
		return nil, err
	}
	r.links = &linker{r: r, waiting: map[string]*customer{}, tries: map[string]int{}, idents: map[care.ID][]care.Identity{},
		suggest: map[string]*customer{}, found: map[string]bool{}}
	if err := r.team.online(ctx); err != nil {
		return nil, err
	}
	if opts.Headless {
		noun := "inbound messages"
		if opts.Rate == 1 {
			noun = "inbound message"
		}
		fmt.Fprintf(stdout, "Parley demo, headless: %g %s a second at %s%s (seed %d)\n", opts.Rate, noun, p.url, bounds(opts), opts.Seed)
	} else {
		r.banner(stdout)
	}
	r.play(ctx)
	rep := r.finish(ctx)
	if opts.Headless {
		rep.Summary(stdout)
	} else {
		r.epilogue(stdout, rep)
	}
	return rep, nil
}

// bounds describes a run's limits for the start line.
func bounds(o Options) string {
	switch {
	case o.Duration > 0 && o.Count > 0:
		return ", for " + spoken(o.Duration) + " or " + counted(o.Count, "message", "messages")
	case o.Duration > 0:
		return ", for " + spoken(o.Duration)
	case o.Count > 0:
		return ", " + counted(o.Count, "message", "messages")
	}
	return ""
}

// play starts the simulated people and returns once the customers' side
// has stopped: ctx ended, the duration passed or the count was reached.
func (r *run) play(ctx context.Context) {
	r.start = time.Now()
	r.budget.Store(-1)
	if r.opts.Count > 0 {
		r.budget.Store(int64(r.opts.Count))
	}
	base, stopBase := context.WithCancel(ctx)
	playCtx, stopTimer := base, context.CancelFunc(func() {})
	if r.opts.Duration > 0 {
		playCtx, stopTimer = context.WithTimeout(base, r.opts.Duration)
	}
	stop := func() { stopTimer(); stopBase() }
	r.playCtx, r.stopPlay = playCtx, stop
	r.asideCtx = context.WithoutCancel(ctx)
	// Enough workers to hold the rate while each acknowledgement takes up
	// to a second. Deliveries under way finish even when ctx ends, so every
	// message sent is counted as acknowledged or failed.
	workers := 8
	if r.opts.Headless {
		workers = min(max(int(r.opts.Rate), 8), 1024)
	}
	r.traffic = startTraffic(context.WithoutCancel(ctx), r.plat, r.cast, r.tally, workers, r.log, r.delivered)

	actorsCtx, stopActors := context.WithCancel(context.WithoutCancel(ctx))
	r.stopActors = stopActors
	r.startActors(actorsCtx)
	if r.opts.Headless {
		r.drive(playCtx)
	} else {
		r.story(playCtx)
	}
	stop()
	r.pmu.Lock()
	r.stopped = true
	r.pmu.Unlock()
	r.players.Wait()
	r.traffic.stop()
}

// spawnPlayer runs fn on the customers' side, with the play's context,
// unless that side has stopped; then fn does not run.
func (r *run) spawnPlayer(fn func(ctx context.Context)) {
	r.pmu.Lock()
	defer r.pmu.Unlock()
	if r.stopped {
		return
	}
	r.players.Add(1)
	go func() {
		defer r.players.Done()
		fn(r.playCtx)
	}()
}

// spawnAside runs fn, a headless customer's answer aside from the rate,
// unless the wind-down has stopped waiting for such answers.
func (r *run) spawnAside(fn func(ctx context.Context)) {
	r.pmu.Lock()
	defer r.pmu.Unlock()
	if r.asidesDone {
		return
	}
	r.asides.Add(1)
	go func() {
		defer r.asides.Done()
		fn(r.asideCtx)
	}()
}

// closeAsides stops headless customers' answers aside from the rate and
// waits for those under way.
func (r *run) closeAsides() {
	r.pmu.Lock()
	r.asidesDone = true
	r.pmu.Unlock()
	r.asides.Wait()
}

// admit takes one message from the count's budget. It returns false, and
// ends the play, once the budget is spent.
func (r *run) admit() bool {
	for {
		n := r.budget.Load()
		switch {
		case n < 0:
			return true
		case n == 0:
			r.stopPlay()
			return false
		case r.budget.CompareAndSwap(n, n-1):
			return true
		}
	}
}

// send hands an admitted message to a worker, and ends the play when it
// was the count's last. Workers take messages until every player has
// stopped, so the wait is short and cannot outlive the play.
func (r *run) send(m message) {
	r.traffic.send(context.Background(), m)
	if r.budget.Load() == 0 {
		r.stopPlay()
	}
}

// sim converts a duration of the story's time into real time at the run's
// speed.
func (r *run) sim(d time.Duration) time.Duration {
	return time.Duration(float64(d) / r.opts.Speed)
}

// float draws from the run's shared random source.
func (r *run) float() float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rng.Float64()
}

// say narrates one line of the story, stamped with the time since start.
func (r *run) say(format string, args ...any) {
	if r.out == io.Discard {
		return
	}
	el := time.Since(r.start).Round(time.Second)
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.out, "[%02d:%02d] %s\n", int(el.Minutes()), int(el.Seconds())%60, fmt.Sprintf(format, args...))
}

// finish winds the run down so the report describes a settled Parley:
// every acknowledged message threaded, the last replies sent, routing's last
// pass done.
func (r *run) finish(ctx context.Context) *Report {
	// The wind-down runs even after ctx ended (an interrupted story), but
	// each step is bounded.
	ctx = context.WithoutCancel(ctx)
	settle := 15 * time.Second
	if !r.opts.Headless {
		settle = 5 * time.Second
	}
	threaded := func() (bool, error) {
		raws, err := r.parley.app.Store.PendingRaw(ctx, 1)
		return len(raws) == 0, err
	}
	r.waitFor(ctx, settle, "threading", threaded)
	if r.opts.Headless {
		r.awaitAside(ctx)
		// The last answers aside from the rate are in the web chat or the
		// care mailbox, whose IMAP IDLE has Parley read them at once.
		r.closeAsides()
		r.waitFor(ctx, settle/3, "fetching the last answers", func() (bool, error) { return r.asideDone(ctx, false) })
		r.waitFor(ctx, settle/3, "threading the last answers", threaded)
		// Parley's first search round runs with its first polls, which
		// the wait above saw through.
		r.waitFor(ctx, hearWait, "listening's searches", func() (bool, error) { return r.allHeard(), nil })
	}
	r.waitFor(ctx, settle/2, "linking contacts", func() (bool, error) { return r.links.pass(ctx) })
	r.stopActors()
	r.actors.Wait()
	r.closeAsides()
	r.waitFor(ctx, settle, "sending replies", func() (bool, error) {
		n, err := r.parley.app.Store.OutboxDepth(ctx)
		return n == 0, err
	})
	r.watch(ctx) // what the last replies brought to the fakes
	// Resolving frees an agent's place without waking routing, which would
	// fill it at its next pass; take that pass now.
	if _, err := r.parley.app.Dispatch.DispatchAll(ctx); err != nil {
		r.log.Warn("demo: last routing pass", "err", err)
	}
	rep := r.tally.report()
	rep.Elapsed = r.traffic.elapsed()
	rep.Past = r.past
	if n, err := undelivered(r.parley.app.Metrics.Registry); err != nil {
		r.log.Warn("demo: count undelivered replies", "err", err)
	} else {
		rep.UndeliveredPerChannel = n
		for _, v := range n {
			rep.Undelivered += v
		}
	}
	if err := r.census(ctx, rep); err != nil {
		r.log.Warn("demo: count conversations", "err", err)
	}
	return rep
}

// waitFor polls done until it holds or d passes.
func (r *run) waitFor(ctx context.Context, d time.Duration, what string, done func() (bool, error)) {
	if err := r.waitUntil(ctx, d, done); err != nil {
		r.log.Warn("demo: gave up waiting", "for", what, "after", d, "err", err)
	}
}

// waitUntil polls done until it holds, or returns an error once d has
// passed: done's last, or errGaveUp.
func (r *run) waitUntil(ctx context.Context, d time.Duration, done func() (bool, error)) error {
	deadline := time.Now().Add(d)
	for {
		ok, err := done()
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = errGaveUp
			}
			return err
		}
		sleep(ctx, 50*time.Millisecond)
	}
}

// errGaveUp is waitUntil's error when the wait ran out.
var errGaveUp = errors.New("demo: not yet")

// census counts the workspace's conversations by state.
func (r *run) census(ctx context.Context, rep *Report) error {
	f := care.ConversationFilter{WorkspaceID: r.parley.ws, Limit: 500}
	for {
		page, err := r.parley.app.Store.Conversations(ctx, f)
		if err != nil {
			return err
		}
		for _, c := range page.Conversations {
			if c.CreatedAt.Before(r.past.Until) {
				continue
			}
			rep.Conversations++
			switch {
			case c.AssigneeID != 0:
				rep.Routed++
			case c.Status == care.StatusOpen:
				rep.Queued++
			}
			if c.Status == care.StatusResolved {
				rep.Resolved++
			}
		}
		if page.Next == "" || len(page.Conversations) == 0 {
			return nil
		}
		f.After = page.Next
	}
}
