package meta

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// delivery is a webhook POST body: {"object": …, "entry": […]}.
type delivery struct {
	Object string            `json:"object"`
	Entry  []json.RawMessage `json:"entry"`
}

// entry is one account's part of a delivery. Messaging events arrive in
// messaging[] (standby[] when another app owns the thread under Meta's
// handover protocol; they are customers' messages all the same), feed and
// Instagram events in changes[]. With Business Login for Instagram the doc
// examples put one change's field and value on the entry itself
// (developers.facebook.com/docs/instagram-platform/webhooks/examples).
type entry struct {
	ID        graphID           `json:"id"`
	Time      stamp             `json:"time"`
	Messaging []json.RawMessage `json:"messaging"`
	Standby   []json.RawMessage `json:"standby"`
	Changes   []json.RawMessage `json:"changes"`
	Field     string            `json:"field"`
	Value     json.RawMessage   `json:"value"`
}

// change is one item of changes[].
type change struct {
	Field string          `json:"field"`
	Value json.RawMessage `json:"value"`
}

// receiver holds what every item of one delivery is parsed against.
type receiver struct {
	ch      care.Channel // facebook for object "page", instagram for "instagram"
	account string       // the entry's id: Page or Instagram account
	appID   string       // the inbox's app_id credential
	inbox   care.Inbox   // whose api_base, with Meta's CDN, Parley fetches files from
	now     time.Time
	entryAt time.Time // the entry's time, for items without their own
	events  []channel.Event
}

// receive verifies the signature over the raw body, then parses it. A body
// whose object is neither "page" nor "instagram" (a WhatsApp delivery sent
// to the same app, say) has no events for these adapters.
func receive(h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	if !Verify(in.Credentials[CredAppSecret], body, h.Get(SignatureHeader)) {
		return nil, care.Errorf(care.EUNAUTHORIZED, "The X-Hub-Signature-256 signature does not verify with the inbox's app secret.")
	}
	return parse(body, in, now)
}

// parse turns a verified delivery into events. Only an undecodable envelope
// is an error; an item that cannot be understood is skipped, so one odd item
// does not make Meta retry (and re-deliver) the whole batch.
func parse(body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	var d delivery
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, care.Errorf(care.EINVALID, "The delivery is not a Meta webhook notification.")
	}
	var ch care.Channel
	switch d.Object {
	case "page":
		ch = care.ChannelFacebook
	case "instagram":
		ch = care.ChannelInstagram
	default:
		return nil, nil
	}
	var events []channel.Event
	for _, raw := range d.Entry {
		var e entry
		if json.Unmarshal(raw, &e) != nil || e.ID == "" {
			continue
		}
		r := &receiver{ch: ch, account: string(e.ID), appID: in.Credentials[CredAppID], inbox: in, now: now, entryAt: e.Time.either(now)}
		for _, m := range e.Messaging {
			r.messaging(m)
		}
		for _, m := range e.Standby {
			r.messaging(m)
		}
		for _, c := range e.Changes {
			var chg change
			if json.Unmarshal(c, &chg) == nil {
				r.change(chg.Field, chg.Value, c)
			}
		}
		if e.Field != "" && len(e.Value) > 0 {
			r.change(e.Field, e.Value, raw)
		}
		events = append(events, r.events...)
	}
	return events, nil
}

// add records an event for the entry's account. Text and names are anyone's
// to write, so they are cleaned (a NUL, a stray byte) rather than the
// message lost; what still fails the core's validation (an id Parley cannot
// keep as it is) is skipped with a log line, since Receive's callers get
// only events they can store.
func (r *receiver) add(in care.Inbound, raw json.RawMessage) {
	in.Channel = r.ch
	in.Text = channel.CleanText(in.Text, care.MaxTextBytes)
	in.Subject = channel.CleanName(in.Subject, care.MaxNameBytes)
	in.Author.DisplayName = channel.CleanName(in.Author.DisplayName, care.MaxNameBytes)
	in.Author.Handle = channel.CleanName(in.Author.Handle, care.MaxNameBytes)
	in.StatusReason = channel.CleanName(in.StatusReason, care.MaxNameBytes)
	if err := in.Validate(); err != nil {
		slog.Warn("meta: an event of a delivery cannot be stored; skipped", "channel", r.ch, "inbox", r.inbox.ID,
			"platform_id", channel.Cut(in.PlatformID, 80), "err", err)
		return
	}
	r.events = append(r.events, channel.Event{Inbound: in, Account: r.account, Raw: append([]byte(nil), raw...)})
}

func (r *receiver) change(field string, value, raw json.RawMessage) {
	switch {
	case r.ch == care.ChannelFacebook && field == "feed":
		r.feed(value, raw)
	case r.ch == care.ChannelInstagram && (field == "comments" || field == "live_comments"):
		r.igComment(value, raw)
	case r.ch == care.ChannelInstagram && field == "mentions":
		r.igMention(value, raw)
	}
}
