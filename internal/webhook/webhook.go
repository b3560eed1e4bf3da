// Package webhook receives platforms' pushes at /webhooks/{inbox}: it answers
// their verification handshakes, hands each delivery to the inbox's channel
// adapter to authenticate and parse, routes every event to the inbox of the
// account it is for, and acknowledges only once all of them are durably
// stored. A delivery whose signature does not verify stores nothing.
package webhook

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// MaxBodyBytes bounds one delivery. WhatsApp documents webhook payloads of
// up to 3 MB (developers.facebook.com/docs/whatsapp/cloud-api/webhooks), and
// a delivery refused as too large is retried, unchanged, for days.
const MaxBodyBytes = 4 << 20

// Ingester makes a delivery's events durable before they are acknowledged.
type Ingester interface {
	AppendAll(ctx context.Context, evs []care.RawEvent) ([]care.AppendResult, error)
}

// Observer counts deliveries' outcomes: stored, duplicate, rejected, error.
type Observer func(ch care.Channel, outcome string, events int, started time.Time)

// Handler serves /webhooks/{inbox}.
type Handler struct {
	Store    care.Store
	Adapters *channel.Registry
	Ingest   Ingester
	Logger   *slog.Logger
	Now      func() time.Time
	Observe  Observer // may be nil
	// PublicURL is the scheme and host platforms reach Parley at
	// ("https://care.example.com"); "" means the request's own. Platforms
	// that sign the URL (channel.URLSigned) signed this one.
	PublicURL string
}

// Routes mounts the handler's routes on mux.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /webhooks/{inbox}", h.handshake)
	mux.HandleFunc("POST /webhooks/{inbox}", h.receive)
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

// adapter finds the inbox of the URL and its channel's webhook adapter. An
// unknown inbox and an inbox without one look the same from outside.
func (h *Handler) adapter(r *http.Request) (*care.Inbox, channel.Webhook, bool) {
	id, err := strconv.ParseInt(r.PathValue("inbox"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, false
	}
	in, err := h.Store.Inbox(r.Context(), id)
	if err != nil {
		if care.ErrorCode(err) != care.ENOTFOUND {
			h.logger().Error("webhook: load inbox", "inbox", id, "err", err)
		}
		return nil, nil, false
	}
	wh, ok := h.Adapters.Webhook(in.Channel)
	return in, wh, ok
}

// requestURL is the URL the platform posted to, as it knows it.
func (h *Handler) requestURL(r *http.Request) string {
	if h.PublicURL != "" {
		return strings.TrimSuffix(h.PublicURL, "/") + r.URL.RequestURI()
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.RequestURI()
}

func (h *Handler) handshake(w http.ResponseWriter, r *http.Request) {
	in, wh, ok := h.adapter(r)
	if !ok {
		refuseHandshake(w)
		return
	}
	answerHandshake(w, r, wh, in)
}

func (h *Handler) receive(w http.ResponseWriter, r *http.Request) {
	started := h.now()
	// The body is read before the inbox is looked up, so a delivery too
	// large or cut short is answered alike whether or not the inbox exists.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "delivery too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "could not read the delivery", http.StatusBadRequest)
		return
	}
	in, wh, ok := h.adapter(r)
	if !ok {
		refuseDelivery(w)
		return
	}
	outcome, n := "rejected", 0
	defer func() {
		if h.Observe != nil {
			h.Observe(in.Channel, outcome, n, started)
		}
	}()
	var events []channel.Event
	if us, ok := wh.(channel.URLSigned); ok {
		events, err = us.ReceiveURL(h.requestURL(r), r.Header, body, *in, started)
	} else {
		events, err = wh.Receive(r.Header, body, *in, started)
	}
	if err != nil {
		switch care.ErrorCode(err) {
		case care.EUNAUTHORIZED:
			// Logged at warn: a wrong app secret after a rotation shows up here.
			h.logger().Warn("webhook: signature rejected", "inbox", in.ID, "channel", in.Channel, "err", err)
			refuseDelivery(w)
		case care.EINVALID, care.ETOOLARGE:
			h.logger().Warn("webhook: delivery not understood", "inbox", in.ID, "channel", in.Channel, "err", err)
			http.Error(w, care.ErrorMessage(err), http.StatusBadRequest)
		default:
			h.logger().Error("webhook: receive", "inbox", in.ID, "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
		return
	}
	raws, err := Route(r.Context(), h.Store, h.logger(), in, events, body, started, sameSecret(wh, in))
	if err != nil {
		outcome = "error"
		h.logger().Error("webhook: route events", "inbox", in.ID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	n = len(raws)
	outcome = "stored"
	if len(raws) > 0 {
		results, err := h.Ingest.AppendAll(r.Context(), raws)
		if err != nil {
			outcome = "error"
			status := http.StatusInternalServerError
			if care.ErrorCode(err) == care.EUNAVAILABLE {
				status = http.StatusServiceUnavailable
			}
			h.logger().Error("webhook: store events", "inbox", in.ID, "err", err)
			http.Error(w, "could not store the delivery; retry", status)
			return
		}
		if allDuplicates(results) {
			outcome = "duplicate"
		}
	}
	w.WriteHeader(http.StatusOK)
}

func allDuplicates(rs []care.AppendResult) bool {
	for _, r := range rs {
		if !r.Duplicate {
			return false
		}
	}
	return true
}

// InboxFinder finds the inbox of a platform account.
type InboxFinder interface {
	InboxByExternalID(ctx context.Context, workspaceID care.ID, channel care.Channel, externalID string) (*care.Inbox, error)
}

// sameSecret is Route's trust check for a delivery verified with arrived's
// secret: another inbox may receive its events only if the adapter says
// what its deliveries are verified with and that is the same, non-empty,
// secret (see channel.SharedSecret).
func sameSecret(wh channel.Webhook, arrived *care.Inbox) func(*care.Inbox) bool {
	ss, ok := wh.(channel.SharedSecret)
	if !ok {
		return func(*care.Inbox) bool { return false }
	}
	a := []byte(ss.WebhookSecret(*arrived))
	return func(other *care.Inbox) bool {
		return len(a) > 0 && subtle.ConstantTimeCompare(a, []byte(ss.WebhookSecret(*other))) == 1
	}
}

// Route turns an adapter's events into raw events for the inboxes they
// belong to; body is the payload kept for events that carry no Raw of their
// own. An event for an account with no inbox in the workspace is skipped:
// one app subscription can serve pages nobody connected to Parley. Pollers
// route their events the same way.
//
// trusted, if not nil, decides whether an event may go to an inbox other
// than arrived: a webhook delivery was verified with arrived's secret only.
// Pollers pass nil: what they fetched came from the platform's API.
func Route(ctx context.Context, store InboxFinder, log *slog.Logger, arrived *care.Inbox, events []channel.Event, body []byte, now time.Time, trusted func(*care.Inbox) bool) ([]care.RawEvent, error) {
	type key struct {
		ch      care.Channel
		account string
	}
	inboxes := map[key]*care.Inbox{{arrived.Channel, ""}: arrived, {arrived.Channel, arrived.ExternalID}: arrived}
	var raws []care.RawEvent
	for _, ev := range events {
		// One Meta app's subscription carries Page and Instagram events
		// alike; the adapter says which channel each event belongs to.
		ch := ev.Inbound.Channel
		if ch == "" {
			ch = arrived.Channel
		}
		k := key{ch, ev.Account}
		in, ok := inboxes[k]
		if !ok {
			found, err := store.InboxByExternalID(ctx, arrived.WorkspaceID, ch, ev.Account)
			switch {
			case err == nil && found.ID != arrived.ID && trusted != nil && !trusted(found):
				log.Warn("webhook: event for an inbox that verifies with another secret than the one this delivery was signed with; skipped",
					"arrived_inbox", arrived.ID, "inbox", found.ID, "channel", ch)
			case err == nil:
				in = found
			case care.ErrorCode(err) == care.ENOTFOUND:
				log.Info("webhook: event for an account without an inbox; skipped", "channel", ch, "account", ev.Account)
			default:
				return nil, err
			}
			inboxes[k] = in
		}
		if in == nil {
			continue
		}
		ib := ev.Inbound
		ib.InboxID = in.ID
		if ib.Channel == "" {
			ib.Channel = in.Channel
		}
		if err := ib.Validate(); err != nil {
			log.Warn("webhook: adapter produced an invalid event; skipped", "channel", in.Channel, "err", err)
			continue
		}
		raw := ev.Raw
		if raw == nil {
			raw = body
		}
		raws = append(raws, care.RawEvent{InboxID: in.ID, WorkspaceID: in.WorkspaceID, DedupeKey: ib.DedupeKey(),
			Payload: raw, Inbound: ib, ReceivedAt: now})
	}
	return raws, nil
}
