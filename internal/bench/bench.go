// Package bench measures Parley on the machine it runs on: how many customer
// messages per second a real server acknowledges durably and then threads,
// compared with a bare net/http handler that only checks and decodes each
// message; the same for signed Facebook Messenger webhook deliveries; and how
// fast an agent's conversation list answers over a large seeded history.
//
// The server under test, the load generator and the baseline share one
// process. CPU figures are that process's user and system time, the load
// generator included; since the same generator drives both servers with the
// same requests, its share weighs on both sides of the Parley/bare ratio.
package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime/pprof"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
)

// Config says what to measure and how much of it.
type Config struct {
	// Messages are posted to the API inbox by Concurrency keep-alive
	// clients, from Authors distinct customers; as many signed Messenger
	// deliveries, from as many customers, are posted to a Facebook inbox's
	// webhook.
	Messages    int
	Concurrency int
	Authors     int
	// Conversations are seeded for the list benchmark, assigned among
	// Assignees agents; ListQueries lists are then timed, through the store
	// and again through HTTP.
	Conversations int
	Assignees     int
	ListQueries   int
	// Seed makes the generated messages, the seeded history and the order
	// of list queries repeatable.
	Seed uint64
	// SkipIngest skips the API inbox ingest and its bare baseline,
	// SkipWebhooks the webhook ingest, SkipList the conversation list.
	SkipIngest   bool
	SkipWebhooks bool
	SkipList     bool
	// CPUProfile, if set, receives a CPU profile of Parley's first
	// measured phase: the API inbox ingest, else the webhook ingest, else
	// the list queries.
	CPUProfile io.Writer
	// Progress receives progress lines; nil discards them.
	Progress io.Writer
	// Verbose adds the list query's plan and per-phase detail to Progress.
	Verbose bool
}

// DefaultConfig returns the sizes the published figures use.
func DefaultConfig() Config {
	return Config{Messages: 20_000, Concurrency: 64, Authors: 2_000, Conversations: 1_000_000, Assignees: 200,
		ListQueries: 2_000, Seed: 1}
}

func (c *Config) check() error {
	switch {
	case (!c.SkipIngest || !c.SkipWebhooks) && (c.Messages < 1 || c.Concurrency < 1 || c.Authors < 1):
		return care.Errorf(care.EINVALID, "--messages, --concurrency and the number of authors must be at least 1.")
	case !c.SkipList && (c.Conversations < 1 || c.ListQueries < 1 || c.Assignees < 1):
		return care.Errorf(care.EINVALID, "--conversations and --list-queries must be at least 1.")
	}
	return nil
}

// Parley is a running Parley under measurement, on an empty database that
// belongs to the benchmark alone.
type Parley struct {
	// URL is the server's base URL, such as http://127.0.0.1:41234.
	URL   string
	Store care.Store
	// DB is the store's write pool, used to seed history in bulk and to
	// read query plans.
	DB *sql.DB
	// Dialect is "sqlite" or "postgres".
	Dialect string
	// Where names the database: a file or a schema.
	Where string
}

// Starter starts a Parley on a fresh database. stop shuts it down and
// removes the database.
type Starter func(ctx context.Context) (p *Parley, stop func(context.Context) error, err error)

// Run measures what cfg asks for on a Parley from start and returns the
// figures. It fails if any request fails or any message is not threaded:
// figures from a run that lost work would flatter it.
func Run(ctx context.Context, cfg Config, start Starter) (rep *Report, err error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
	rep = &Report{Machine: describeMachine(), Seed: cfg.Seed}
	// Each phase draws from its own stream, so skipping one leaves the
	// others' data unchanged.
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x9a51e7))

	var bodies, warm [][]byte
	if !cfg.SkipIngest {
		now := time.Now()
		if bodies, err = genMessages(cfg.Messages, cfg.Authors, fmt.Sprintf("m%d", cfg.Seed), rng, now); err != nil {
			return nil, err
		}
		if warm, err = genMessages(warmupCount(cfg.Messages), cfg.Authors, fmt.Sprintf("w%d", cfg.Seed), rng, now); err != nil {
			return nil, err
		}
		// The baseline runs before Parley starts, so that none of
		// Parley's background work lands in its CPU time.
		fmt.Fprintf(cfg.Progress, "bare handler: %d messages, %d clients\n", len(bodies), cfg.Concurrency)
		if rep.Bare, err = measureBare(ctx, cfg, bodies, warm); err != nil {
			return nil, err
		}
	}

	p, stop, err := start(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if serr := stop(sctx); serr != nil {
			err = errors.Join(err, fmt.Errorf("bench: stop parley: %w", serr))
		}
	}()
	rep.Store, rep.Where = p.Dialect, p.Where
	wss, err := p.Store.Workspaces(ctx)
	if err != nil {
		return nil, fmt.Errorf("bench: find the default workspace: %w", err)
	}
	if len(wss) == 0 {
		return nil, errors.New("bench: the new Parley has no workspace")
	}
	ws := wss[0].ID
	_, token, err := accounts.CreateToken(ctx, p.Store, ws, 0, "bench", care.RoleAdmin, time.Now())
	if err != nil {
		return nil, fmt.Errorf("bench: create admin token: %w", err)
	}
	s := &session{cfg: cfg, p: p, ws: ws, token: token}

	if !cfg.SkipIngest {
		fmt.Fprintf(cfg.Progress, "parley (%s): %d messages, %d clients\n", p.Dialect, len(bodies), cfg.Concurrency)
		if rep.Ingest, err = s.measureIngest(ctx, bodies, warm); err != nil {
			return nil, err
		}
	}
	if !cfg.SkipWebhooks {
		fmt.Fprintf(cfg.Progress, "parley (%s): %d signed Messenger webhook deliveries, %d clients\n", p.Dialect, cfg.Messages, cfg.Concurrency)
		if rep.Webhooks, err = s.measureWebhooks(ctx); err != nil {
			return nil, err
		}
	}
	if !cfg.SkipList {
		if rep.List, err = s.measureList(ctx); err != nil {
			return nil, err
		}
	}
	rep.Targets = evaluate(rep)
	return rep, nil
}

// session is one run's shared state on a started Parley.
type session struct {
	cfg   Config
	p     *Parley
	ws    care.ID
	token string // an admin API token
}

// profile starts the CPU profile if one was asked for and returns the
// function that stops it.
func (s *session) profile() (stop func(), err error) {
	if s.cfg.CPUProfile == nil {
		return func() {}, nil
	}
	if err := pprof.StartCPUProfile(s.cfg.CPUProfile); err != nil {
		return nil, fmt.Errorf("bench: start cpu profile: %w", err)
	}
	return pprof.StopCPUProfile, nil
}

// warmupCount is how many messages are sent, unmeasured, before a measured
// run: enough to open the connections and fill the caches.
func warmupCount(n int) int { return max(1, min(1000, n/10)) }
