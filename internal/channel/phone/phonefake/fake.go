// Package phonefake is a local stand-in for a telephony system, for tests
// and demos: it reports finished calls to a phone inbox's webhook, as call
// records in Parley's format signed with the inbox's webhook secret, or as
// Twilio Voice status callbacks signed with X-Twilio-Signature, and keeps
// what Parley answered. It plays the customers (their calls in) and the
// agents (their calls out); Parley sends nothing back over a phone line.
//
//	f := phonefake.New(parleyURL+"/webhooks/7", inbox.Credentials["webhook_secret"])
//	id, err := f.Report(ctx, phonefake.Call{Customer: "+14155550123", Duration: 4*time.Minute})
//	f.Report(ctx, phonefake.Call{ID: id, Customer: "+14155550123", RecordingURL: "https://…"}) // the recording, later
//	f.TwilioCallback(ctx, phonefake.TwilioCall{From: "+14155550123", Status: "no-answer"})
//	f.Deliveries()                                                       // what Parley answered
package phonefake

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/channel/apiinbox"
	"github.com/parleyhq/parley/internal/channel/sms/twiliofake"
)

// DefaultLine is the brand's number the fake's calls are made to and from.
const DefaultLine = "+14155550100"

// ringTime is how long the fake's calls ring before they are answered.
const ringTime = 8 * time.Second

// Fake is a telephony system reporting to one phone inbox. Set its fields
// before reporting calls; after that, use its methods, which are safe for
// concurrent use.
type Fake struct {
	// WebhookURL is the inbox's webhook URL.
	WebhookURL string
	// Secret is the inbox's webhook_secret, which signs records.
	Secret string
	// Line is the brand's number; New sets DefaultLine.
	Line string
	// Twilio signs Twilio callbacks with its AuthToken, for an inbox whose
	// twilio_auth_token is the same, and names its AccountSID in them;
	// New sets twiliofake's defaults. Its Client posts the callbacks.
	Twilio *twiliofake.Fake
	// Client posts the webhooks; nil means a client with a 10-second
	// timeout.
	Client *http.Client
	// Now is the fake's clock, for call times and signatures; nil means
	// time.Now.
	Now func() time.Time

	mu         sync.Mutex
	seq        int
	deliveries []Delivery
}

// New returns a fake reporting to webhookURL with secret.
func New(webhookURL, secret string) *Fake {
	tw := twiliofake.New()
	return &Fake{WebhookURL: webhookURL, Secret: secret, Line: DefaultLine, Twilio: tw}
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Fake) client() *http.Client {
	if f.Client != nil {
		return f.Client
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// Delivery is one request the fake posted and Parley's answer.
type Delivery struct {
	Header http.Header
	Body   []byte
	// Status is Parley's HTTP status, 0 when the request failed.
	Status int
	// Answer is the start of Parley's response body.
	Answer string
}

// Deliveries returns what the fake posted, oldest first.
func (f *Fake) Deliveries() []Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Delivery(nil), f.deliveries...)
}

// Call is a finished call to report. Zero fields take defaults, noted.
type Call struct {
	// ID is the call's id; "" makes a new one ("call-1", "call-2", …).
	ID string
	// Outbound is true for a call an agent placed.
	Outbound bool
	// Customer is the customer's number; "" for a caller who withheld it.
	Customer   string
	CallerName string
	// Outcome is answered (""), missed, voicemail, busy, failed or
	// abandoned.
	Outcome string
	// Duration is the talk time, or the voicemail's length.
	Duration time.Duration
	// StartedAt is when the call started ringing; zero means the fake's
	// now, less the ringing and Duration.
	StartedAt    time.Time
	RecordingURL string
	Transcript   string
	Agent        string
	Notes        string
	Queue        string
}

// Report posts c as a signed call record and returns its call id. It
// returns an error when Parley does not answer with a 2xx.
func (f *Fake) Report(ctx context.Context, c Call) (string, error) {
	if c.ID == "" {
		f.mu.Lock()
		f.seq++
		c.ID = "call-" + strconv.Itoa(f.seq)
		f.mu.Unlock()
	}
	body, err := json.Marshal(f.Record(c))
	if err != nil {
		return "", err
	}
	if _, err := f.Post(ctx, body); err != nil {
		return "", err
	}
	return c.ID, nil
}

// Record is the record Report posts for c, as a JSON object.
func (f *Fake) Record(c Call) map[string]any {
	outcome := c.Outcome
	if outcome == "" {
		outcome = "answered"
	}
	started := c.StartedAt
	if started.IsZero() {
		started = f.now().Add(-c.Duration - ringTime)
	}
	started = started.UTC().Truncate(time.Second)
	r := map[string]any{"call_id": c.ID, "direction": "inbound", "from": c.Customer, "to": f.Line,
		"started_at": started, "outcome": outcome, "duration_seconds": int64(c.Duration / time.Second)}
	if c.Outbound {
		r["direction"], r["from"], r["to"] = "outbound", f.Line, c.Customer
	}
	switch outcome {
	case "answered":
		r["answered_at"] = started.Add(ringTime)
		r["ended_at"] = started.Add(ringTime + c.Duration)
	case "voicemail":
		r["ended_at"] = started.Add(ringTime + c.Duration)
	default:
		r["ended_at"] = started.Add(ringTime)
		delete(r, "duration_seconds")
	}
	for k, v := range map[string]string{"caller_name": c.CallerName, "recording_url": c.RecordingURL,
		"voicemail_transcript": c.Transcript, "agent": c.Agent, "agent_notes": c.Notes, "queue": c.Queue} {
		if v != "" {
			r[k] = v
		}
	}
	return r
}

// Post signs body with Secret at the fake's now and posts it as a call
// record. It returns Parley's status, and an error when the request failed
// or the status is not a 2xx.
func (f *Fake) Post(ctx context.Context, body []byte) (int, error) {
	return f.PostSigned(ctx, body, apiinbox.Sign([]byte(f.Secret), f.now(), body))
}

// PostSigned posts body with signature as its Parley-Signature header ("" for
// none), to play a forger or a misconfigured system.
func (f *Fake) PostSigned(ctx context.Context, body []byte, signature string) (int, error) {
	h := http.Header{"Content-Type": {"application/json"}, "User-Agent": {"phonefake"}}
	if signature != "" {
		h.Set(apiinbox.SignatureHeader, signature)
	}
	return f.post(ctx, h, body)
}

// TwilioCall is a Voice status callback to post.
type TwilioCall struct {
	// SID is the CallSid; "" makes a new one.
	SID string
	// Direction is inbound (""), outbound-api or outbound-dial.
	Direction string
	// From and To are the parties; "" is the fake's Line on the brand's
	// side.
	From, To string
	// Status is the CallStatus: completed (""), busy, no-answer, failed,
	// canceled, or a progress status such as ringing.
	Status     string
	Duration   time.Duration
	CallerName string
	// AnsweredBy is answering machine detection's verdict (human,
	// machine_start…), "" for none.
	AnsweredBy   string
	RecordingURL string
}

// TwilioCallback posts c as Twilio posts a Voice status callback,
// form-encoded and signed by the Twilio fake, and returns its CallSid. It
// returns an error when Parley does not answer with a 2xx.
func (f *Fake) TwilioCallback(ctx context.Context, c TwilioCall) (string, error) {
	if c.SID == "" {
		b := make([]byte, 16)
		rand.Read(b)
		c.SID = "CA" + hex.EncodeToString(b)
	}
	dir, from, to := c.Direction, c.From, c.To
	if dir == "" {
		dir = "inbound"
	}
	if dir == "inbound" && to == "" {
		to = f.Line
	}
	if dir != "inbound" && from == "" {
		from = f.Line
	}
	status := c.Status
	if status == "" {
		status = "completed"
	}
	p := url.Values{"AccountSid": {f.Twilio.AccountSID}, "ApiVersion": {"2010-04-01"}, "CallSid": {c.SID},
		"CallStatus": {status}, "Direction": {dir}, "From": {from}, "To": {to},
		"CallbackSource": {"call-progress-events"}, "SequenceNumber": {"0"},
		"Timestamp": {f.now().UTC().Format(time.RFC1123Z)}}
	if status == "completed" {
		p["CallDuration"] = []string{strconv.FormatInt(int64(c.Duration/time.Second), 10)}
	}
	for k, v := range map[string]string{"CallerName": c.CallerName, "AnsweredBy": c.AnsweredBy, "RecordingUrl": c.RecordingURL} {
		if v != "" {
			p[k] = []string{v}
		}
	}
	status2, err := f.Twilio.Post(ctx, f.WebhookURL, p)
	f.mu.Lock()
	f.deliveries = append(f.deliveries, Delivery{Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		Body: []byte(p.Encode()), Status: status2})
	f.mu.Unlock()
	if err != nil {
		return "", err
	}
	return c.SID, nil
}

func (f *Fake) post(ctx context.Context, h http.Header, body []byte) (int, error) {
	if f.WebhookURL == "" {
		return 0, errors.New("phonefake: no webhook URL to post to")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("phonefake: request: %w", err)
	}
	req.Header = h
	d := Delivery{Header: h.Clone(), Body: body}
	resp, err := f.client().Do(req)
	if err != nil {
		f.record(d)
		return 0, fmt.Errorf("phonefake: post: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	d.Status, d.Answer = resp.StatusCode, string(answer)
	f.record(d)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("phonefake: webhook answered %s: %s", resp.Status, bytes.TrimSpace(answer))
	}
	return resp.StatusCode, nil
}

func (f *Fake) record(d Delivery) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deliveries = append(f.deliveries, d)
}
