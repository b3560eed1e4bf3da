package mastodon

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Streaming (docs.joinmastodon.org/methods/streaming): a long-lived GET
// whose answer is server-sent events. Parley follows the user stream,
// GET /api/v1/streaming/user, rather than user/notification: both carry
// notification events, but only the user stream carries delete, and a
// deleted mention reaches its mentioned accounts' user stream
// (RemoveStatusService#remove_from_mentions publishes the delete to
// "timeline:<account id>"). The stream's update and status.update events,
// the home timeline, are ignored; so are deletes of posts Parley never
// stored, by the core, which finds no message to mark.
//
// What a stream brings is not replayed, and it does not bring everything:
// mentions that the account's notification policy filters (4.3+, e.g.
// private mentions from strangers, docs.joinmastodon.org/entities/NotificationPolicy)
// are not streamed.
// So the stream is for speed, and polling for completeness: each
// connection starts by polling the notifications after the cursor, and
// polls again every PollEvery while it lasts. Only polls move the cursor,
// which they do without gaps (see Poll); a mention the stream brings is
// emitted at once with the cursor unchanged, and read again by the next
// poll, which the core recognises as a repeat. The poll runs after the
// connection is open, so nothing published between the two is lost.

// Defaults of a Streamer.
const (
	defaultMinBackoff  = time.Second
	defaultMaxBackoff  = 5 * time.Minute
	defaultIdleTimeout = 90 * time.Second
	defaultPollEvery   = time.Minute
	// healthyAfter is how long a connection must last for the next
	// reconnection to start again from MinBackoff.
	healthyAfter = time.Minute
)

// Streams a Streamer can follow.
const (
	StreamUser         = "user"
	StreamNotification = "user/notification"
)

// Streamer follows one inbox's streaming API and hands what it brings to
// emit, reconnecting with backoff until its context ends. Its zero value
// is ready to use (with a zero Adapter); set fields before Run, which may
// run for several inboxes at once.
type Streamer struct {
	Adapter *Adapter
	// Stream is StreamUser (the default, which carries deletions) or
	// StreamNotification.
	Stream string
	// MinBackoff and MaxBackoff bound the wait before reconnecting, which
	// doubles from MinBackoff after each failure (default 1s and 5m) and
	// is never shorter than the retry the stream asked for.
	MinBackoff, MaxBackoff time.Duration
	// IdleTimeout is how long a connection may be silent before it is
	// taken for dead; Mastodon sends a heartbeat comment every 15 seconds.
	// 0 means 90 seconds.
	IdleTimeout time.Duration
	// PollEvery is how often notifications are polled while the stream is
	// open, for what it does not carry; 0 means a minute.
	PollEvery time.Duration
	// Rand jitters the backoff; nil means math/rand/v2.
	Rand func() float64
}

// Streaming reports whether the inbox follows the streaming API: mode
// stream, the default.
func (a *Adapter) Streaming(in care.Inbox) bool {
	m := in.Credentials[CredMode]
	return m == "" || m == ModeStream
}

// Stream runs a Streamer with the adapter's defaults; see Streamer.Run.
func (a *Adapter) Stream(ctx context.Context, in care.Inbox, cursor string, emit func([]channel.Event, string) error) error {
	return (&Streamer{Adapter: a}).Run(ctx, in, cursor, emit)
}

// Run follows inbox in's stream from cursor, a poll cursor, until ctx
// ends. It calls emit, never concurrently, with events to store and the
// cursor to save once they are stored: the mentions each poll reads, with
// the cursor after them, and each mention and deletion the stream brings,
// with the cursor unchanged. It returns ctx's error when ctx ends, emit's
// error when emit fails (nothing more is emitted), and a permanent
// *channel.SendError when the instance refuses the token, which no
// reconnection can mend; every other failure (the instance unreachable or
// rate limited, the stream cut or silent) is retried after a backoff,
// polling meanwhile.
func (s *Streamer) Run(ctx context.Context, in care.Inbox, cursor string, emit func([]channel.Event, string) error) error {
	if s.Adapter == nil {
		cp := *s
		cp.Adapter = &Adapter{}
		s = &cp
	}
	a := s.Adapter
	failures := 0
	for {
		conn, err := s.connect(ctx, in)
		// Catch up, whether or not the stream opened: polling keeps
		// mentions coming while the streaming server is down.
		var caught error
		cursor, caught = s.catchUp(ctx, in, cursor, emit)
		if stop := final(ctx, caught); stop != nil {
			conn.close()
			return stop
		}
		var wait time.Duration
		if err != nil {
			if permanent(err) {
				return err
			}
			failures++
			wait = s.backoff(failures, max(retryAfter(err), retryAfter(caught)), 0)
			a.logger().Warn("mastodon: streaming API unavailable; polling until it is back", "inbox", in.ID, "err", err, "retry_in", wait)
		} else {
			if caught != nil {
				a.logger().Warn("mastodon: catching up failed; following the stream meanwhile", "inbox", in.ID, "err", caught)
			}
			started := time.Now()
			var serr error
			cursor, serr = s.follow(ctx, in, conn, cursor, retryAfter(caught), emit)
			if stop := final(ctx, serr); stop != nil {
				return stop
			}
			if time.Since(started) >= healthyAfter {
				failures = 0
			}
			failures++
			wait = s.backoff(failures, retryAfter(serr), conn.sse.Retry)
			a.logger().Info("mastodon: stream ended; reconnecting", "inbox", in.ID, "err", serr, "retry_in", wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// final returns the error that ends Run, if err is one: the context's end,
// emit's failure, or a permanent refusal.
func final(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case isEmitError(err):
		return unwrapEmit(err)
	case permanent(err):
		return err
	}
	return nil
}

// catchUp polls until nothing is left after cursor, emitting what it
// reads. Nearing the rate limit stops it with a temporary error asking to
// wait for the reset.
func (s *Streamer) catchUp(ctx context.Context, in care.Inbox, cursor string, emit func([]channel.Event, string) error) (string, error) {
	for {
		events, next, more, resume, err := s.Adapter.poll(ctx, in, cursor, maxPages)
		if len(events) > 0 || next != cursor {
			if eerr := emit(events, next); eerr != nil {
				return cursor, emitError{eerr}
			}
			cursor = next
		}
		switch {
		case err != nil:
			return cursor, err
		case !more:
			return cursor, nil
		case resume > 0:
			return cursor, channel.Temporary("Mastodon's rate limit is nearly spent; catching up after it resets", resume, nil)
		}
	}
}

// connection is an open stream.
type connection struct {
	body  io.ReadCloser
	sse   *sseReader
	stop  context.CancelFunc
	timer *time.Timer
	idle  time.Duration
	once  sync.Once
}

func (c *connection) close() {
	if c == nil {
		return
	}
	c.once.Do(func() {
		c.timer.Stop()
		c.stop()
		c.body.Close()
	})
}

// connect opens the stream. A refusal is a *channel.SendError as for the
// REST API; a 404 means the streaming API is served elsewhere.
func (s *Streamer) connect(ctx context.Context, in care.Inbox) (*connection, error) {
	a := s.Adapter
	base, err := streamingURL(in)
	if err != nil {
		return nil, channel.Permanent(care.ErrorMessage(err), err)
	}
	token := in.Credentials[CredAccessToken]
	if token == "" {
		return nil, channel.Permanent("the inbox has no access_token", nil)
	}
	stream := s.Stream
	if stream != StreamNotification {
		stream = StreamUser
	}
	cctx, stop := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, base+"/api/v1/streaming/"+stream, nil)
	if err != nil {
		stop()
		return nil, channel.Permanent("the inbox's streaming address is not usable", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Cache-Control", "no-cache")
	// A stream never ends by itself: the client's timeout, meant for
	// requests, must not cut it. Silence is caught by the idle timer.
	client := a.client()
	client.Timeout = 0
	idle := s.IdleTimeout
	if idle <= 0 {
		idle = defaultIdleTimeout
	}
	timer := time.AfterFunc(idle, stop)
	resp, err := client.Do(req)
	if err != nil {
		timer.Stop()
		stop()
		return nil, channel.Temporary("the streaming API could not be reached", 0, err)
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		timer.Stop()
		stop()
		e := apiError(&response{status: resp.StatusCode, header: resp.Header, body: body, rate: parseRateLimit(resp.Header)}, a.now())
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode >= 300 && resp.StatusCode <= 399 {
			e.Permanent = false
			e.Reason = "the streaming API is not at " + base + ": set the inbox's streaming_url, or use mode poll"
		}
		return nil, e
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "text/event-stream") {
		resp.Body.Close()
		timer.Stop()
		stop()
		return nil, channel.Temporary("the streaming API answered "+channel.Excerpt([]byte(ct), 64)+", not server-sent events", 0, nil)
	}
	c := &connection{body: resp.Body, stop: stop, timer: timer, idle: idle}
	c.sse = newSSEReader(&activity{r: resp.Body, timer: timer, idle: idle})
	return c, nil
}

// follow reads the stream until it ends, emitting mentions and deletions
// as they come and polling every PollEvery, the first time after delay
// when positive; the connection is closed when it returns. It returns the
// cursor after the polls, and what ended the stream.
func (s *Streamer) follow(ctx context.Context, in care.Inbox, c *connection, cursor string, delay time.Duration,
	emit func([]channel.Event, string) error) (string, error) {
	// The stream was not read while catching up; it was not idle.
	c.timer.Reset(c.idle)
	events := make(chan sseEvent)
	ended := make(chan error, 1)
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		for {
			ev, err := c.sse.Next()
			if err != nil {
				ended <- err
				return
			}
			select {
			case events <- ev:
			case <-done:
				return
			}
		}
	}()
	defer func() {
		close(done)
		c.close()
		<-exited
	}()
	every := s.PollEvery
	if every <= 0 {
		every = defaultPollEvery
	}
	tick := time.NewTimer(max(every, delay))
	defer tick.Stop()
	a := s.Adapter
	for {
		select {
		case <-ctx.Done():
			return cursor, ctx.Err()
		case err := <-ended:
			return cursor, err
		case <-tick.C:
			var err error
			cursor, err = s.catchUp(ctx, in, cursor, emit)
			if stop := final(ctx, err); stop != nil {
				return cursor, stop
			}
			if err != nil {
				a.logger().Warn("mastodon: polling beside the stream failed", "inbox", in.ID, "err", err)
			}
			tick.Reset(max(every, retryAfter(err)))
		case ev := <-events:
			evs := s.streamed(in, ev)
			if len(evs) == 0 {
				continue
			}
			if err := emit(evs, cursor); err != nil {
				return cursor, emitError{err}
			}
		}
	}
}

// streamed maps one streamed event: a mention notification to its message,
// a delete to a deletion; everything else to nothing.
func (s *Streamer) streamed(in care.Inbox, ev sseEvent) []channel.Event {
	a := s.Adapter
	switch ev.Type {
	case "notification":
		m, err := mapNotification(in, []byte(ev.Data), a.now())
		if err != nil {
			a.logger().Warn("mastodon: skipped a streamed notification that is not one", "inbox", in.ID, "err", err)
			return nil
		}
		if m.skipped != "" {
			a.logger().Debug("mastodon: skipped on purpose", "inbox", in.ID, "notification", m.id, "what", m.skipped)
		}
		return m.events
	case "delete":
		if d, ok := deletion(ev.Data, a.now()); ok {
			return []channel.Event{d}
		}
	}
	// update and status.update (the home timeline), filters_changed,
	// announcements, notifications_merged.
	return nil
}

// backoff is the wait before the attempt after failures failures: doubling
// from MinBackoff to MaxBackoff, jittered by up to a fifth, and at least
// what the instance asked for (a rate limit's reset, the stream's retry).
func (s *Streamer) backoff(failures int, asked, retry time.Duration) time.Duration {
	lo, hi := s.MinBackoff, s.MaxBackoff
	if lo <= 0 {
		lo = defaultMinBackoff
	}
	if hi <= 0 {
		hi = defaultMaxBackoff
	}
	d := lo
	for i := 1; i < failures && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	r := s.Rand
	if r == nil {
		r = rand.Float64
	}
	d += time.Duration(r() * float64(d) / 5)
	return max(d, asked, retry)
}

// activity passes reads through, restarting the idle timer whenever bytes
// arrive (a heartbeat included).
type activity struct {
	r     io.Reader
	timer *time.Timer
	idle  time.Duration
}

func (a *activity) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.timer.Reset(a.idle)
	}
	return n, err
}

// emitError marks the error of the caller's emit, which ends Run.
type emitError struct{ err error }

func (e emitError) Error() string { return e.err.Error() }

func isEmitError(err error) bool {
	var e emitError
	return errors.As(err, &e)
}

func unwrapEmit(err error) error {
	var e emitError
	if errors.As(err, &e) {
		return e.err
	}
	return err
}

// permanent reports whether err is a *channel.SendError that retrying
// cannot mend.
func permanent(err error) bool {
	var se *channel.SendError
	return errors.As(err, &se) && se.Permanent
}

// retryAfter is the wait a *channel.SendError asks for.
func retryAfter(err error) time.Duration {
	var se *channel.SendError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}
