// Package hooks delivers the webhooks automation rules call: each call is
// written in the transaction of the change that fired the rule, then posted
// here, at least once, signed like Parley's other outbound webhooks
// (Parley-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">) with the
// workspace's hook secret, retried with backoff on failure. Receivers
// dedupe by the Parley-Delivery header.
package hooks

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
	"github.com/parleyhq/parley/internal/faillog"
	"github.com/parleyhq/parley/internal/netguard"
)

// SecretSetting holds a workspace's hook secret, made on first use.
const SecretSetting = "hook_secret"

// Secret returns the workspace's hook secret, creating it the first time.
func Secret(ctx context.Context, s care.Store, ws care.ID) (string, error) {
	doc, err := s.Setting(ctx, ws, SecretSetting)
	if err == nil {
		var v struct{ Secret string }
		if json.Unmarshal(doc, &v) == nil && v.Secret != "" {
			return v.Secret, nil
		}
	} else if care.ErrorCode(err) != care.ENOTFOUND {
		return "", err
	}
	b := make([]byte, 32)
	if _, err := crand.Read(b); err != nil {
		return "", err
	}
	secret := "whsec_" + hex.EncodeToString(b)
	doc, _ = json.Marshal(map[string]string{"secret": secret})
	// Two nodes racing both write; the later wins and both then read it.
	if err := s.SetSetting(ctx, ws, SecretSetting, doc, time.Now()); err != nil {
		return "", err
	}
	return Secret(ctx, s, ws)
}

// Worker posts due deliveries until its context ends.
type Worker struct {
	Store  care.Store
	Client *http.Client // nil: PublicOnly(nil, 10 s)
	Logger *slog.Logger
	Now    func() time.Time
	// MaxAttempts gives up after this many; 0 means 12 (about a day).
	MaxAttempts int
	// Wake, when signalled, starts a pass at once.
	Wake <-chan struct{}
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.Default()
}

// PublicOnly is a client that refuses to connect to loopback, private,
// link-local and other non-public addresses, except those guard allows
// (nil: none), so a rule cannot make Parley call into the network it
// runs in. It follows no redirect: a receiver answers where it is called.
func PublicOnly(guard *netguard.Guard, timeout time.Duration) *http.Client {
	c := guard.Client(timeout)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// Run delivers until ctx ends. A pass that fails is tried again at the
// next tick; the same failure pass after pass, as while the database is
// down, is logged when it starts, once a minute while it lasts, and when
// it ends.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	failures := &faillog.Log{Logger: w.logger(), What: "hooks: pass"}
	for {
		for {
			n, err := w.RunOnce(ctx)
			switch {
			case err == nil:
				failures.OK(w.now())
			case ctx.Err() == nil:
				failures.Failed(w.now(), err)
			}
			if n == 0 || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-w.Wake:
		case <-t.C:
		}
	}
}

// RunOnce delivers what is due and returns how many it tried.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	due, err := w.Store.LeaseHooks(ctx, w.now(), time.Minute, 20)
	if err != nil {
		return 0, err
	}
	client := w.Client
	if client == nil {
		client = PublicOnly(nil, 10*time.Second)
	}
	maxAttempts := w.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = 12
	}
	for _, h := range due {
		err := w.post(ctx, client, h)
		now := w.now()
		var perm *permanent
		switch {
		case err == nil:
			err = w.Store.CompleteHook(ctx, h.ID, now)
		case errors.As(err, &perm) || h.Attempts+1 >= maxAttempts:
			w.logger().Warn("hooks: giving up", "delivery", h.ID, "url", h.URL, "err", err)
			err = w.Store.RetryHook(ctx, h.ID, now.AddDate(100, 0, 0), "gave up: "+err.Error())
		default:
			err = w.Store.RetryHook(ctx, h.ID, now.Add(backoff(h.Attempts)), err.Error())
		}
		if err != nil {
			return len(due), err
		}
	}
	return len(due), nil
}

type permanent struct{ msg string }

func (p *permanent) Error() string { return p.msg }

// backoff is full jitter over 2^attempts seconds, capped at an hour.
func backoff(attempts int) time.Duration {
	ceiling := time.Hour
	if attempts < 12 {
		ceiling = min(ceiling, time.Duration(1<<attempts)*time.Second)
	}
	return time.Second + time.Duration(rand.Int64N(int64(ceiling)))
}

func (w *Worker) post(ctx context.Context, client *http.Client, h care.HookDelivery) error {
	secret, err := Secret(ctx, w.Store, h.WorkspaceID)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(h.Body))
	if err != nil {
		return &permanent{"bad URL: " + err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Parley-Hooks/1")
	req.Header.Set("Parley-Delivery", strconv.FormatInt(h.ID, 10))
	req.Header.Set(apiinbox.SignatureHeader, apiinbox.Sign([]byte(secret), w.now(), h.Body))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("%s", resp.Status)
	}
	return &permanent{resp.Status}
}
