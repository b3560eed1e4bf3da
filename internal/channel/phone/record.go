package phone

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Record is one finished call in Parley's call record format, which any
// telephony system can post (see the package documentation for the wire
// format and docs/channels/phone.md for examples).
type Record struct {
	CallID          string     `json:"call_id"`
	Direction       Direction  `json:"direction"`
	From            string     `json:"from,omitempty"`
	To              string     `json:"to,omitempty"`
	CallerName      string     `json:"caller_name,omitempty"`
	StartedAt       time.Time  `json:"started_at"`
	AnsweredAt      *time.Time `json:"answered_at,omitempty"`
	EndedAt         *time.Time `json:"ended_at,omitempty"`
	DurationSeconds *int64     `json:"duration_seconds,omitempty"`
	Outcome         Outcome    `json:"outcome"`
	RecordingURL    string     `json:"recording_url,omitempty"`
	// VoicemailTranscript is the text of the voicemail the caller left;
	// only with outcome voicemail, whose recording_url is the voicemail.
	VoicemailTranscript string `json:"voicemail_transcript,omitempty"`
	// Agent is the email address of the agent who took or placed the call.
	Agent      string `json:"agent,omitempty"`
	AgentNotes string `json:"agent_notes,omitempty"`
	Queue      string `json:"queue,omitempty"`
}

// Direction is who placed a call.
type Direction string

// Directions.
const (
	// Inbound: the customer called the brand.
	Inbound Direction = "inbound"
	// Outbound: an agent called the customer.
	Outbound Direction = "outbound"
)

// Outcome is how a call ended.
type Outcome string

// Outcomes.
const (
	// Answered: someone picked up and the call ended normally.
	Answered Outcome = "answered"
	// Missed: nobody picked up, and no voicemail was left.
	Missed Outcome = "missed"
	// Voicemail: the call went to voicemail (the brand's, for an inbound
	// call; the customer's, for an outbound one).
	Voicemail Outcome = "voicemail"
	// Busy: the line was busy.
	Busy Outcome = "busy"
	// Failed: the call could not be connected.
	Failed Outcome = "failed"
	// Abandoned: the caller hung up before anyone answered, typically
	// while waiting in a queue.
	Abandoned Outcome = "abandoned"
)

func (o Outcome) valid() bool {
	switch o {
	case Answered, Missed, Voicemail, Busy, Failed, Abandoned:
		return true
	}
	return false
}

// Bounds of a record.
const (
	// MaxRecordBytes bounds one posted record.
	MaxRecordBytes = 64 << 10
	// maxCallIDBytes leaves room in care.MaxPlatformIDBytes for the
	// suffixes of a call's recording and transcript.
	maxCallIDBytes = 200
	// maxNotesBytes bounds agent notes and a voicemail transcript.
	maxNotesBytes = 16 << 10
	maxQueueBytes = 200
	maxURLBytes   = 2048
	// maxDuration is a week: no call lasts longer, and a larger figure is
	// a unit mistake (milliseconds for seconds).
	maxDuration = 7 * 24 * time.Hour
)

// call is a call as both wire formats describe it, once validated: the
// customer's side by number, the times in UTC.
type call struct {
	id         string
	direction  Direction
	customer   string // E.164; "" when the caller withheld their number
	brand      string // the brand's number, "" when unknown
	callerName string
	started    time.Time
	ended      time.Time     // zero when unknown
	duration   time.Duration // talk time, or the voicemail's length
	durationOK bool
	outcome    Outcome
	recording  string // https URL
	transcript string
	agent      string
	notes      string
	queue      string
}

// DecodeRecord parses and validates one call record posted in Parley's
// format. now bounds started_at: a call cannot start more than a day in
// the future. It returns ETOOLARGE for a body over MaxRecordBytes and
// EINVALID, naming the field, for anything else wrong: unknown fields,
// wrong types, trailing data, a missing or malformed call_id, direction,
// number, time or outcome, an http (not https) recording_url, an agent
// that is not an email address, or a text over its bound.
func DecodeRecord(body []byte, now time.Time) (Record, error) {
	r, _, err := decode(body, now)
	return r, err
}

// decode is DecodeRecord, returning the validated call as well.
func decode(body []byte, now time.Time) (Record, call, error) {
	if len(body) > MaxRecordBytes {
		return Record{}, call{}, care.Errorf(care.ETOOLARGE, "The call record is larger than %d bytes.", MaxRecordBytes)
	}
	var r Record
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Record{}, call{}, care.Errorf(care.EINVALID, "The body is not a call record: %s.", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return Record{}, call{}, care.Errorf(care.EINVALID, "The body must hold exactly one JSON object.")
	}
	c, err := r.call(now)
	if err != nil {
		return Record{}, call{}, err
	}
	return r, c, nil
}

// jsonProblem says what is wrong with a body the decoder refused, without
// echoing more of it than a field name.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var timeErr *time.ParseError
	switch {
	case errors.As(err, &typeErr):
		return fmt.Sprintf("%.64s has the wrong type", typeErr.Field)
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("malformed JSON at byte %d", syntaxErr.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Sprintf("unknown field %.64s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "it is empty or cut short"
	case errors.As(err, &timeErr), strings.Contains(err.Error(), "Time.UnmarshalJSON"):
		return "a time is not in RFC 3339 form, like 2026-11-24T09:58:01Z"
	}
	return "it is not a JSON object of the documented fields"
}

// call validates r into a call.
func (r *Record) call(now time.Time) (call, error) {
	c := call{id: strings.TrimSpace(r.CallID), direction: r.Direction, outcome: r.Outcome}
	switch {
	case c.id == "":
		return call{}, invalid("call_id is required: it is how Parley recognises a record sent twice")
	case len(c.id) > maxCallIDBytes || !printable(c.id):
		return call{}, invalid("call_id must be at most %d bytes of printable text", maxCallIDBytes)
	case c.direction != Inbound && c.direction != Outbound:
		return call{}, invalid("direction must be %q or %q", Inbound, Outbound)
	case !c.outcome.valid():
		return call{}, invalid("outcome must be one of answered, missed, voicemail, busy, failed, abandoned")
	}
	customer, brand, customerField, brandField := r.From, r.To, "from", "to"
	if c.direction == Outbound {
		customer, brand, customerField, brandField = r.To, r.From, "to", "from"
	}
	switch n, ok := normalize(customer); {
	case ok && !withheld(n):
		c.customer = n
	case c.direction == Inbound && withheld(customer):
		// The caller withheld their number: the call is still recorded.
	default:
		return call{}, invalid("%s must be the customer's number in E.164 form, like +14155550123", customerField)
	}
	if brand != "" {
		n, ok := normalize(brand)
		if !ok {
			return call{}, invalid("%s must be a number in E.164 form, like +14155550100, or absent", brandField)
		}
		c.brand = n
	}
	if err := r.times(&c, now); err != nil {
		return call{}, err
	}
	if r.RecordingURL != "" {
		if !httpsURL(r.RecordingURL) {
			return call{}, invalid("recording_url must be an https URL of at most %d bytes", maxURLBytes)
		}
		c.recording = r.RecordingURL
	}
	if r.VoicemailTranscript != "" && c.outcome != Voicemail {
		return call{}, invalid("voicemail_transcript needs outcome voicemail")
	}
	if r.Agent != "" {
		a, ok := email(r.Agent)
		if !ok {
			return call{}, invalid("agent must be the agent's email address")
		}
		c.agent = a
	}
	for _, f := range []struct {
		name  string
		v     string
		max   int
		clean func(string, int) string
		dst   *string
	}{
		{"caller_name", r.CallerName, care.MaxNameBytes, channel.CleanName, &c.callerName},
		{"voicemail_transcript", r.VoicemailTranscript, maxNotesBytes, channel.CleanText, &c.transcript},
		{"agent_notes", r.AgentNotes, maxNotesBytes, channel.CleanText, &c.notes},
		{"queue", r.Queue, maxQueueBytes, channel.CleanName, &c.queue},
	} {
		if len(f.v) > f.max {
			return call{}, invalid("%s is longer than %d bytes", f.name, f.max)
		}
		*f.dst = strings.TrimSpace(f.clean(f.v, f.max))
	}
	return c, nil
}

// times checks the record's times and works out the call's duration:
// duration_seconds when given, else from answer (or, for a voicemail, from
// the start) to the end.
func (r *Record) times(c *call, now time.Time) error {
	c.started = r.StartedAt.UTC()
	switch {
	case c.started.IsZero():
		return invalid("started_at is required")
	case c.started.Year() < 2000 || c.started.After(now.Add(maxFutureSkew)):
		return invalid("started_at is not a plausible time")
	}
	var answered time.Time
	if r.AnsweredAt != nil {
		answered = r.AnsweredAt.UTC()
		if answered.Before(c.started) || answered.Sub(c.started) > maxDuration {
			return invalid("answered_at must be after started_at")
		}
	}
	if r.EndedAt != nil {
		c.ended = r.EndedAt.UTC()
		if c.ended.Before(c.started) || (!answered.IsZero() && c.ended.Before(answered)) || c.ended.Sub(c.started) > maxDuration {
			return invalid("ended_at must be after started_at and answered_at")
		}
	}
	switch {
	case r.DurationSeconds != nil:
		d := *r.DurationSeconds
		if d < 0 || d > int64(maxDuration/time.Second) {
			return invalid("duration_seconds must be between 0 and %d", int64(maxDuration/time.Second))
		}
		c.duration, c.durationOK = time.Duration(d)*time.Second, true
	case !answered.IsZero() && !c.ended.IsZero():
		c.duration, c.durationOK = c.ended.Sub(answered).Truncate(time.Second), true
	case c.outcome == Voicemail && !c.ended.IsZero():
		c.duration, c.durationOK = c.ended.Sub(c.started).Truncate(time.Second), true
	}
	return nil
}

func invalid(format string, args ...any) error {
	return care.Errorf(care.EINVALID, format, args...)
}

// httpsURL reports whether s is an absolute https URL of sane length,
// without credentials, that Parley can show as a link.
func httpsURL(s string) bool {
	if len(s) > maxURLBytes || !utf8.ValidString(s) || strings.ContainsFunc(s, isControl) || strings.ContainsAny(s, " \"<>\\") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil
}

// email returns addr as a bare address when it is one ("sam@acme.example"),
// lower-cased in its domain, which is case-insensitive.
func email(addr string) (string, bool) {
	addr = strings.TrimSpace(addr)
	if len(addr) > 254 {
		return "", false
	}
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || a.Name != "" {
		return "", false
	}
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") {
		return "", false
	}
	return local + "@" + strings.ToLower(domain), true
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, isControl)
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
