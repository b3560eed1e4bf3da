package care

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// The snapshots events carry (a conversation, a message, an inbound event),
// and the triage values the store keeps, encode themselves here without
// reflection: encoding/json spends more on reflection, and on compacting
// what time.Time.MarshalJSON returns, than on the bytes. Clients are
// promised encoding/json's bytes, so each appender writes exactly what
// json.Marshal writes for the same value: field order, omitempty, HTML-safe
// string escaping, float and time formats. Where json.Marshal fails (a NaN
// or infinite float, a time RFC 3339 cannot hold) the appender returns nil,
// and EncodeJSON falls back to json.Marshal for its error.
//
// These are deliberately not MarshalJSON methods: encoding/json would then
// validate and compact their output, costing what they save.

// JSONAppender is a value that encodes itself as json.Marshal would (see
// above), or returns nil where json.Marshal fails.
type JSONAppender interface {
	AppendJSON(b []byte) []byte
}

// EncodeJSON is json.Marshal for a JSONAppender: its own bytes, without
// reflection, and json.Marshal's error for a value json.Marshal refuses.
func EncodeJSON(v JSONAppender) ([]byte, error) {
	if b := v.AppendJSON(nil); b != nil {
		return b, nil
	}
	return json.Marshal(v)
}

// AppendJSON appends c as json.Marshal encodes it, or returns nil when
// json.Marshal would fail.
func (c *Conversation) AppendJSON(b []byte) []byte {
	w := jsonWriter{b: b}
	if c != nil {
		// one allocation, not one per doubling, for the usual snapshot
		w.b = slices.Grow(b, 640+len(c.Subject)+stringsLen(c.Tags)+stringsLen(c.PriorityReasons)+stringsLen(c.Topics)+
			len(c.PriorityInputs.NeedReason)+len(c.PriorityInputs.ReachReason)+len(c.PriorityInputs.IncidentReason))
	}
	w.conversation(c)
	return w.result()
}

// AppendJSON appends m as json.Marshal encodes it, or returns nil when
// json.Marshal would fail.
func (m *Message) AppendJSON(b []byte) []byte {
	w := jsonWriter{b: b}
	if m != nil {
		n := 352 + len(m.AuthorName) + len(m.Text) + len(m.PlatformID) + len(m.ReplyToPlatformID) + len(m.StatusReason) +
			len(m.Attachments)*64 + len(m.Reactions)*96
		for i := range m.Attachments {
			n += len(m.Attachments[i].URL) + len(m.Attachments[i].Name)
		}
		if m.Triage != nil {
			n += 128 + stringsLen(m.Triage.Topics) + stringsLen(m.Triage.Cues)
		}
		w.b = slices.Grow(b, n)
	}
	w.message(m)
	return w.result()
}

// AppendJSON appends in as json.Marshal encodes it, or returns nil when
// json.Marshal would fail.
func (in *Inbound) AppendJSON(b []byte) []byte {
	w := jsonWriter{b: b}
	if in != nil {
		w.b = slices.Grow(b, 256+len(in.Text)+len(in.Subject)+len(in.Author.DisplayName)+stringsLen(in.AuthorAliases)+stringsLen(in.References)+len(in.Attachments)*64)
	}
	w.inbound(in)
	return w.result()
}

// AppendJSON appends t as json.Marshal encodes it, or returns nil when
// json.Marshal would fail.
func (t *Triage) AppendJSON(b []byte) []byte {
	w := jsonWriter{b: b}
	if t == nil {
		w.b = append(w.b, "null"...)
		return w.b
	}
	w.b = slices.Grow(b, 128+len(t.Language)+len(t.Mood)+stringsLen(t.Topics)+stringsLen(t.Cues))
	w.triage(t)
	return w.result()
}

// AppendJSON appends p as json.Marshal encodes it, or returns nil when
// json.Marshal would fail.
func (p *PriorityInputs) AppendJSON(b []byte) []byte {
	w := jsonWriter{b: b}
	if p == nil {
		w.b = append(w.b, "null"...)
		return w.b
	}
	w.b = slices.Grow(b, 192+len(p.NeedReason)+len(p.ReachReason))
	w.priorityInputs(p)
	return w.result()
}

// jsonWriter appends JSON to b. Fields are written with field, which puts
// the comma before every field but an object's first, so omitted fields
// need no bookkeeping.
type jsonWriter struct {
	b []byte
	// bad is set by a value json.Marshal refuses.
	bad bool
}

// stringsLen is about what ss takes in JSON, escapes aside.
func stringsLen(ss []string) int {
	n := 0
	for _, s := range ss {
		n += len(s) + 3
	}
	return n
}

func (w *jsonWriter) result() []byte {
	if w.bad {
		return nil
	}
	return w.b
}

// field starts an object member; name needs no escaping.
func (w *jsonWriter) field(name string) {
	if w.b[len(w.b)-1] != '{' {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, '"', ':')
}

func (w *jsonWriter) conversation(c *Conversation) {
	if c == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '{')
	w.field("id")
	w.int(c.ID)
	w.field("workspace_id")
	w.int(c.WorkspaceID)
	w.field("inbox_id")
	w.int(c.InboxID)
	w.field("channel")
	w.string(string(c.Channel))
	w.field("contact_id")
	w.int(c.ContactID)
	w.field("status")
	w.string(string(c.Status))
	w.timePtrOmit("snoozed_until", c.SnoozedUntil)
	w.intOmit("assignee_id", c.AssigneeID)
	w.intOmit("team_id", c.TeamID)
	w.field("tags")
	w.strings(c.Tags)
	w.stringOmit("subject", c.Subject)
	w.field("priority")
	w.float(c.Priority)
	w.field("priority_reasons")
	w.strings(c.PriorityReasons)
	w.field("priority_inputs")
	w.priorityInputs(&c.PriorityInputs)
	w.field("kind")
	w.string(string(c.Kind))
	w.stringOmit("language", c.Language)
	w.stringOmit("mood", string(c.Mood))
	w.field("topics")
	w.strings(c.Topics)
	w.field("auto_assigned")
	w.bool(c.AutoAssigned)
	w.intOmit("escalation_team_id", c.EscalationTeamID)
	w.timePtrOmit("first_response_due", c.FirstResponseDue)
	w.timePtrOmit("next_response_due", c.NextResponseDue)
	w.timePtrOmit("resolution_due", c.ResolutionDue)
	w.intOmit("linked_id", c.LinkedID)
	w.timePtrOmit("waiting_since", c.WaitingSince)
	w.field("last_activity_at")
	w.time(c.LastActivityAt)
	w.field("message_count")
	w.int(int64(c.MessageCount))
	w.field("created_at")
	w.time(c.CreatedAt)
	w.field("updated_at")
	w.time(c.UpdatedAt)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) priorityInputs(p *PriorityInputs) {
	w.b = append(w.b, '{')
	w.floatOmit("need", p.Need)
	w.stringOmit("need_reason", p.NeedReason)
	w.floatOmit("reach", p.Reach)
	w.stringOmit("reach_reason", p.ReachReason)
	w.floatOmit("incident", p.Incident)
	w.stringOmit("incident_reason", p.IncidentReason)
	w.floatOmit("history", p.History)
	w.floatOmit("value", p.Value)
	w.floatOmit("boost", p.Boost)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) message(m *Message) {
	if m == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '{')
	w.field("id")
	w.int(m.ID)
	w.field("workspace_id")
	w.int(m.WorkspaceID)
	w.field("conversation_id")
	w.int(m.ConversationID)
	w.field("inbox_id")
	w.int(m.InboxID)
	w.field("direction")
	w.string(string(m.Direction))
	w.field("visibility")
	w.string(string(m.Visibility))
	w.intOmit("contact_id", m.ContactID)
	w.intOmit("author_id", m.AuthorID)
	w.stringOmit("author_name", m.AuthorName)
	w.field("text")
	w.string(m.Text)
	w.field("attachments")
	w.attachments(m.Attachments)
	w.stringOmit("platform_id", m.PlatformID)
	w.stringOmit("reply_to_platform_id", m.ReplyToPlatformID)
	w.field("status")
	w.string(string(m.Status))
	w.stringOmit("status_reason", m.StatusReason)
	w.field("created_at")
	w.time(m.CreatedAt)
	w.field("sent_at")
	w.time(m.SentAt)
	w.timePtrOmit("deleted_at", m.DeletedAt)
	w.timePtrOmit("hidden_at", m.HiddenAt)
	if len(m.Reactions) > 0 {
		w.field("reactions")
		w.b = append(w.b, '[')
		for i := range m.Reactions {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			r := &m.Reactions[i]
			w.b = append(w.b, '{')
			w.field("contact_id")
			w.int(r.ContactID)
			w.field("emoji")
			w.string(r.Emoji)
			w.field("at")
			w.time(r.At)
			w.b = append(w.b, '}')
		}
		w.b = append(w.b, ']')
	}
	if m.Triage != nil {
		w.field("triage")
		w.triage(m.Triage)
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) attachments(as []Attachment) {
	if as == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '[')
	for i := range as {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		a := &as[i]
		w.b = append(w.b, '{')
		w.field("kind")
		w.string(a.Kind)
		w.stringOmit("url", a.URL)
		w.stringOmit("mime_type", a.MimeType)
		w.stringOmit("name", a.Name)
		w.intOmit("size", a.Size)
		w.b = append(w.b, '}')
	}
	w.b = append(w.b, ']')
}

func (w *jsonWriter) triage(t *Triage) {
	w.b = append(w.b, '{')
	w.stringOmit("language", t.Language)
	w.field("sentiment")
	w.float(t.Sentiment)
	w.stringOmit("mood", string(t.Mood))
	w.floatOmit("intensity", t.Intensity)
	if len(t.Topics) > 0 {
		w.field("topics")
		w.strings(t.Topics)
	}
	w.floatOmit("reach", t.Reach)
	if len(t.Cues) > 0 {
		w.field("cues")
		w.strings(t.Cues)
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) inbound(in *Inbound) {
	if in == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '{')
	w.stringOmit("kind", string(in.Kind))
	w.field("inbox_id")
	w.int(in.InboxID)
	w.field("channel")
	w.string(string(in.Channel))
	w.field("platform_id")
	w.string(in.PlatformID)
	w.stringOmit("reply_to_platform_id", in.ReplyToPlatformID)
	w.field("visibility")
	w.string(string(in.Visibility))
	w.field("author")
	w.author(&in.Author)
	w.field("text")
	w.string(in.Text)
	if len(in.Attachments) > 0 {
		w.field("attachments")
		w.attachments(in.Attachments)
	}
	w.stringOmit("subject", in.Subject)
	w.field("sent_at")
	w.time(in.SentAt)
	if len(in.AuthorAliases) > 0 {
		w.field("author_aliases")
		w.strings(in.AuthorAliases)
	}
	w.stringOmit("status", string(in.Status))
	w.stringOmit("status_reason", in.StatusReason)
	w.stringOmit("charge", in.Charge)
	w.stringOmit("linked_platform_id", in.LinkedPlatformID)
	w.intOmit("engagement", in.Engagement)
	w.intOmit("rating", int64(in.Rating))
	if len(in.References) > 0 {
		w.field("references")
		w.strings(in.References)
	}
	w.stringOmit("agent", in.Agent)
	if in.NewThread {
		w.field("new_thread")
		w.bool(true)
	}
	w.stringOmit("group", in.Group)
	if in.ReadUpTo {
		w.field("read_up_to")
		w.bool(true)
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) author(a *Author) {
	w.b = append(w.b, '{')
	w.field("platform_user_id")
	w.string(a.PlatformUserID)
	w.stringOmit("display_name", a.DisplayName)
	w.stringOmit("handle", a.Handle)
	w.intOmit("followers", a.Followers)
	if a.Verified {
		w.field("verified")
		w.bool(true)
	}
	w.timePtrOmit("account_created", a.AccountCreated)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) int(v int64) { w.b = strconv.AppendInt(w.b, v, 10) }

func (w *jsonWriter) intOmit(name string, v int64) {
	if v != 0 {
		w.field(name)
		w.int(v)
	}
}

func (w *jsonWriter) bool(v bool) { w.b = strconv.AppendBool(w.b, v) }

// float writes f as encoding/json writes a float64: like ES6's number to
// string conversion, exponents unpadded.
func (w *jsonWriter) float(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		w.bad = true
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	w.b = strconv.AppendFloat(w.b, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9
		b := w.b
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			w.b = b[:n-1]
		}
	}
}

// floatOmit leaves out 0 and -0, as omitempty does.
func (w *jsonWriter) floatOmit(name string, f float64) {
	if f != 0 {
		w.field(name)
		w.float(f)
	}
}

// time writes t as time.Time.MarshalJSON does, which fails where
// AppendText fails (a year outside [0,9999], a zone offset of a day or
// more).
func (w *jsonWriter) time(t time.Time) {
	w.b = append(w.b, '"')
	b, err := t.AppendText(w.b)
	if err != nil {
		w.bad = true
		return
	}
	w.b = append(b, '"')
}

func (w *jsonWriter) timePtrOmit(name string, t *time.Time) {
	if t != nil {
		w.field(name)
		w.time(*t)
	}
}

func (w *jsonWriter) strings(ss []string) {
	if ss == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '[')
	for i, s := range ss {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.string(s)
	}
	w.b = append(w.b, ']')
}

func (w *jsonWriter) stringOmit(name, s string) {
	if s != "" {
		w.field(name)
		w.string(s)
	}
}

// string writes s as encoding/json does with HTML escaping on: <, > and &
// escaped, as are U+2028 and U+2029, and each byte of invalid UTF-8
// replaced by U+FFFD.
func (w *jsonWriter) string(s string) {
	const hex = "0123456789abcdef"
	b := append(w.b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	w.b = append(b, '"')
}

// jsonSafe holds the ASCII bytes encoding/json copies into a string as
// they are when it escapes HTML.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
