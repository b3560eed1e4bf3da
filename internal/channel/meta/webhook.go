package meta

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
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
	log     *slog.Logger
	events  []channel.Event
}

// receive verifies the signature over the raw body, then parses it. A body
// whose object is neither "page" nor "instagram" (a WhatsApp delivery sent
// to the same app, say) has no events for these adapters.
func receive(h http.Header, body []byte, in care.Inbox, now time.Time, log *slog.Logger) ([]channel.Event, error) {
	if !Verify(in.Credentials[CredAppSecret], body, h.Get(SignatureHeader)) {
		return nil, care.Errorf(care.EUNAUTHORIZED, "The X-Hub-Signature-256 signature does not verify with the inbox's app secret.")
	}
	return parse(body, in, now, log)
}

// parse turns a verified delivery into events. Only an undecodable envelope
// is an error; an item that cannot be understood is skipped, so one odd item
// does not make Meta retry (and re-deliver) the whole batch.
func parse(body []byte, in care.Inbox, now time.Time, log *slog.Logger) ([]channel.Event, error) {
	var d delivery
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, care.Errorf(care.EINVALID, "The delivery is not a Meta webhook notification.")
	}
	if log == nil {
		log = slog.Default()
	}
	var ch care.Channel
	switch d.Object {
	case "page":
		ch = care.ChannelFacebook
	case "instagram":
		ch = care.ChannelInstagram
	default:
		// WhatsApp's, say, when one app serves both.
		log.Debug("meta: delivery skipped", "inbox", in.ID, "what", fmt.Sprintf("object %.40q", d.Object))
		return nil, nil
	}
	var events []channel.Event
	for i, raw := range d.Entry {
		var e entry
		if json.Unmarshal(raw, &e) != nil || e.ID == "" {
			log.Info("meta: part of a delivery skipped", "channel", ch, "inbox", in.ID,
				"what", fmt.Sprintf("entry %d, which is not an object with an id", i))
			continue
		}
		r := &receiver{ch: ch, account: string(e.ID), appID: in.Credentials[CredAppID], inbox: in, now: now,
			entryAt: e.Time.either(now), log: log}
		for _, m := range e.Messaging {
			r.messaging(m)
		}
		for _, m := range e.Standby {
			r.messaging(m)
		}
		for _, c := range e.Changes {
			var chg change
			if json.Unmarshal(c, &chg) != nil {
				r.skip(false, "a change that is not an object with a field")
				continue
			}
			r.change(chg.Field, chg.Value, c)
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
		r.log.Warn("meta: an event of a delivery cannot be stored; skipped", "channel", r.ch, "inbox", r.inbox.ID,
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
	default:
		r.skip(false, fmt.Sprintf("field %.40q", field))
	}
}

// skip logs an item of a delivery that becomes no event, so a shape Meta
// starts sending does not vanish unseen. Kinds skipped on purpose (an
// echo of Parley's own send, an opt-in) are logged at debug level, the
// rest at info. what is Parley's wording, with anything taken from the
// delivery quoted and cut short (%.40q).
func (r *receiver) skip(onPurpose bool, what string) {
	level := slog.LevelInfo
	if onPurpose {
		level = slog.LevelDebug
	}
	r.log.Log(context.Background(), level, "meta: part of a delivery skipped", "channel", r.ch, "inbox", r.inbox.ID,
		"account", channel.Cut(r.account, 40), "what", what)
}

// keys names the members of a JSON object other than the envelope's
// (sender, recipient, timestamp): what kind of messaging item it is. At
// most four are named, each quoted and cut short, for a log line.
func keys(raw json.RawMessage) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return "not an object"
	}
	var ks []string
	for k := range m {
		switch k {
		case "sender", "recipient", "timestamp":
		default:
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	out := ""
	for i, k := range ks {
		if i == 4 {
			return out + fmt.Sprintf(" and %d more", len(ks)-i)
		}
		if i > 0 {
			out += " "
		}
		out += fmt.Sprintf("%.40q", k)
	}
	if out == "" {
		return "nothing"
	}
	return out
}
