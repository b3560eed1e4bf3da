package email

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Defaults of an Idler.
const (
	// DefaultIdleRenew is how long one IDLE command lasts. RFC 2177 has
	// servers log out clients idle for 30 minutes and asks clients to
	// re-issue IDLE at least every 29; NAT boxes drop quiet connections
	// sooner, so Parley renews well before.
	DefaultIdleRenew = 20 * time.Minute
	// MaxIdleRenew is the longest renewal interval an Idler accepts.
	MaxIdleRenew      = 29 * time.Minute
	defaultMinBackoff = time.Second
	defaultMaxBackoff = 5 * time.Minute
	// idleDoneTimeout bounds the wait for the server to end an IDLE: a
	// connection that does not answer DONE is dead.
	idleDoneTimeout = 30 * time.Second
)

// ErrNoIdle is returned by Idler.Run when the server does not support
// IDLE; the inbox is then only polled, every PollEvery.
var ErrNoIdle = errors.New("email: the IMAP server does not support IDLE")

// Idler keeps an IMAP IDLE connection (RFC 2177) open on an inbox's
// mailbox and reports new mail as it arrives, so it is polled at once
// instead of at the next PollEvery. It reads nothing itself: Poll does,
// on its own connection.
type Idler struct {
	// Adapter dials the server, with its TLS configuration; nil means the
	// zero Adapter.
	Adapter *Adapter
	// Renew is how long one IDLE lasts before it is ended and issued
	// again; 0 means DefaultIdleRenew, and more than MaxIdleRenew is
	// MaxIdleRenew.
	Renew time.Duration
	// MinBackoff and MaxBackoff bound the wait before reconnecting after
	// the connection failed; it doubles from MinBackoff (default 1 s) up
	// to MaxBackoff (default 5 min) while reconnecting keeps failing.
	MinBackoff, MaxBackoff time.Duration
	// Logger notes lost connections; nil means the adapter's.
	Logger *slog.Logger
}

func (i *Idler) adapter() *Adapter {
	if i.Adapter != nil {
		return i.Adapter
	}
	return &Adapter{}
}

func (i *Idler) logger() *slog.Logger {
	if i.Logger != nil {
		return i.Logger
	}
	return i.adapter().logger()
}

func (i *Idler) renew() time.Duration {
	switch {
	case i.Renew <= 0:
		return DefaultIdleRenew
	case i.Renew > MaxIdleRenew:
		return MaxIdleRenew
	}
	return i.Renew
}

// Run holds an IDLE connection to in's mailbox until ctx ends and calls
// wake whenever the server reports new messages (EXISTS), and each time it
// (re)starts IDLE, since mail may have arrived while it was away. wake
// must not block for long; a poll it triggers should run elsewhere. A lost
// connection is reopened after a backoff. Run returns nil when ctx ends,
// EINVALID when the credentials cannot work, and ErrNoIdle when the server
// has no IDLE.
func (i *Idler) Run(ctx context.Context, in care.Inbox, wake func()) error {
	s, err := imapSettingsOf(in)
	if err != nil {
		return err
	}
	minB, maxB := i.MinBackoff, i.MaxBackoff
	if minB <= 0 {
		minB = defaultMinBackoff
	}
	if maxB < minB {
		maxB = max(defaultMaxBackoff, minB)
	}
	backoff := minB
	for {
		connected, err := i.session(ctx, s, wake)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, ErrNoIdle) {
			return err
		}
		if connected {
			backoff = minB
		}
		i.logger().Warn("email: IDLE connection lost; reconnecting", "inbox", in.ID, "err", err, "retry_in", backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(2*backoff, maxB)
	}
}

// session is one connection: log in, open the mailbox, IDLE until the
// connection fails or ctx ends. connected reports whether it got as far
// as IDLE, which resets the backoff.
func (i *Idler) session(ctx context.Context, s *imapSettings, wake func()) (connected bool, err error) {
	arrived := make(chan struct{}, 1)
	opts := &imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			// Called on the client's reader: signal, never block.
			if d.NumMessages != nil {
				select {
				case arrived <- struct{}{}:
				default:
				}
			}
		},
	}}
	c, err := i.adapter().dialIMAP(ctx, s, opts)
	if err != nil {
		return false, err
	}
	defer c.close()
	if caps := c.Caps(); !caps.Has(imap.CapIdle) && !caps.Has(imap.CapIMAP4rev2) {
		return false, ErrNoIdle
	}
	if _, err := c.Select(s.mailbox, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return false, fmt.Errorf("email: examine %s: %w", s.mailbox, err)
	}
	// The SELECT's own EXISTS is not news.
	select {
	case <-arrived:
	default:
	}
	for {
		idle, err := c.Idle()
		if err != nil {
			return connected, fmt.Errorf("email: start IDLE: %w", err)
		}
		connected = true
		// Woken only once IDLE runs, the poll sees whatever arrived
		// before it: while disconnected, or between two IDLEs, when some
		// servers hold their news until the next change.
		wake()
		renew := time.NewTimer(i.renew())
	waiting:
		for {
			select {
			case <-arrived:
				wake()
			case <-renew.C:
				break waiting
			case <-ctx.Done():
				renew.Stop()
				_ = idle.Close()
				return connected, ctx.Err()
			case <-c.Closed():
				renew.Stop()
				return connected, errors.New("email: the server closed the connection")
			}
		}
		if err := endIdle(c, idle); err != nil {
			return connected, err
		}
	}
}

// endIdle ends an IDLE and waits for the server's answer, closing the
// connection if none comes: that is how a connection that died silently
// is found.
func endIdle(c *imapConn, idle *imapclient.IdleCommand) error {
	if err := idle.Close(); err != nil {
		return fmt.Errorf("email: end IDLE: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- idle.Wait() }()
	t := time.NewTimer(idleDoneTimeout)
	defer t.Stop()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("email: end IDLE: %w", err)
		}
		return nil
	case <-t.C:
		_ = c.Client.Close()
		<-done
		return errors.New("email: the server did not answer DONE; the connection is dead")
	}
}

// Notify holds an IDLE connection for the poll runner (channel.Notifier):
// wake is called when new mail arrives. A server without IDLE is
// channel.ErrNoNotify: the minute's poll serves it alone.
func (a *Adapter) Notify(ctx context.Context, in care.Inbox, wake func()) error {
	err := (&Idler{Adapter: a, Logger: a.Logger}).Run(ctx, in, wake)
	if errors.Is(err, ErrNoIdle) {
		return channel.ErrNoNotify
	}
	return err
}
