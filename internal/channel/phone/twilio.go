package phone

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Twilio's Voice status callback (www.twilio.com/docs/voice/api/call-resource,
// "statusCallback"; www.twilio.com/docs/usage/webhooks/voice-webhooks, "Call
// status callbacks") is posted form-encoded to the call's StatusCallback
// URL, by default once the call has ended, with the call's standard
// parameters (CallSid, AccountSid, From, To, CallStatus, Direction,
// CallerName…) and, at the end, CallDuration in seconds, Timestamp (RFC
// 2822) and, for a call created with Record=true, RecordingUrl. Only
// terminal statuses make an event:
//
//	completed  answered (voicemail when AnsweredBy says a machine answered
//	           an outbound call)
//	busy       busy
//	no-answer  missed
//	failed     failed
//	canceled   abandoned
//
// queued, initiated, ringing and in-progress, sent when the call's
// StatusCallbackEvent asks for them, are acknowledged and skipped.
//
// For an inbound call Twilio counts a call that TwiML answered (an IVR, a
// voicemail prompt) as completed; a telephony application that knows who
// answered should post Parley's own record instead, with the CallSid as
// call_id, so both dedupe.

// maxTwilioParams bounds the parameters of one callback: Twilio sends a
// few dozen, and every one is signed.
const maxTwilioParams = 256

// receiveTwilio authenticates a Twilio Voice status callback posted to
// rawURL with the adapter's TwilioVerify and the inbox's
// twilio_auth_token, and returns the call's events. It returns
// EUNAUTHORIZED when the signature does not verify, when no verifier or
// auth token is configured, or when the callback is for another account
// than twilio_account_sid; EINVALID for a body that is not form-encoded or
// a terminal callback without a valid CallSid. Callbacks Parley does not
// record (a call still ringing, a leg of a <Dial>, a call from a browser
// client) are skipped with a log line.
func (a *Adapter) receiveTwilio(rawURL string, h http.Header, body []byte, in care.Inbox, now time.Time) ([]channel.Event, error) {
	token := in.Credentials[CredTwilioAuthToken]
	switch {
	case a.TwilioVerify == nil:
		return nil, care.Errorf(care.EUNAUTHORIZED, "this Parley cannot verify Twilio signatures; post call records in Parley's format instead")
	case token == "":
		return nil, care.Errorf(care.EUNAUTHORIZED, "the inbox has no twilio_auth_token to verify Twilio's callbacks with")
	case len(body) > MaxRecordBytes:
		return nil, care.Errorf(care.ETOOLARGE, "the callback is larger than %d bytes", MaxRecordBytes)
	}
	params, err := parseForm(body)
	if err != nil {
		return nil, err
	}
	if err := a.TwilioVerify(token, h.Get(TwilioSignatureHeader), rawURL, params); err != nil {
		if care.ErrorCode(err) != care.EUNAUTHORIZED {
			err = &care.Error{Code: care.EUNAUTHORIZED, Message: "X-Twilio-Signature does not verify", Err: err}
		}
		return nil, err
	}
	if want, got := in.Credentials[CredTwilioAccountSID], params.Get("AccountSid"); want != "" && got != want {
		return nil, care.Errorf(care.EUNAUTHORIZED, "the callback is for Twilio account %.40q, not the inbox's twilio_account_sid", got)
	}
	c, skipped, err := twilioCall(params, now)
	if err != nil {
		return nil, err
	}
	if skipped != "" {
		a.logger().Info("phone: Twilio callback skipped", "inbox", in.ID, "reason", skipped)
		return nil, nil
	}
	return events(c, body), nil
}

// twilioCall reads a verified callback's parameters; skipped says, for
// the log, why a callback makes no call.
func twilioCall(p url.Values, now time.Time) (c call, skipped string, err error) {
	status := strings.ToLower(strings.TrimSpace(p.Get("CallStatus")))
	switch status {
	case "completed":
		c.outcome = Answered
	case "busy":
		c.outcome = Busy
	case "no-answer":
		c.outcome = Missed
	case "failed":
		c.outcome = Failed
	case "canceled":
		c.outcome = Abandoned
	case "":
		if p.Get("RecordingStatus") != "" {
			return call{}, "a recording status callback, which names no caller: create the call with Record=true so its status callback carries RecordingUrl", nil
		}
		return call{}, "", care.Errorf(care.EINVALID, "the callback has no CallStatus: it is not a Twilio Voice status callback")
	default:
		return call{}, "call status " + strconv.Quote(channel.Cut(status, 40)), nil
	}
	c.id = p.Get("CallSid")
	if !callSID(c.id) {
		return call{}, "", care.Errorf(care.EINVALID, "the callback has no valid CallSid")
	}
	from, to := p.Get("From"), p.Get("To")
	switch dir := strings.ToLower(p.Get("Direction")); dir {
	case "inbound":
		c.direction = Inbound
		switch n, ok := normalize(from); {
		case ok && !withheld(n):
			c.customer = n
		case withheld(from):
		default:
			// client:alice, sip:…: a caller without a phone number.
			return call{}, "inbound call " + c.id + " from something other than a phone number", nil
		}
		c.brand, _ = normalize(to)
	case "outbound-api":
		c.direction = Outbound
		n, ok := normalize(to)
		if !ok || withheld(n) {
			return call{}, "outbound call " + c.id + " to something other than a phone number", nil
		}
		c.customer = n
		c.brand, _ = normalize(from)
		if c.outcome == Answered && strings.HasPrefix(strings.ToLower(p.Get("AnsweredBy")), "machine") {
			c.outcome = Voicemail
		}
	default:
		// outbound-dial is a leg a <Dial> created: its To may be an
		// agent's phone the call was forwarded to rather than the
		// customer, who is on the parent call, reported separately.
		return call{}, "call " + c.id + " of direction " + strconv.Quote(channel.Cut(dir, 40)), nil
	}
	c.callerName = channel.CleanName(p.Get("CallerName"), care.MaxNameBytes)
	if d, err := strconv.ParseInt(strings.TrimSpace(p.Get("CallDuration")), 10, 64); err == nil && d >= 0 && d <= int64(maxDuration/time.Second) {
		c.duration, c.durationOK = time.Duration(d)*time.Second, true
	}
	c.ended = now.UTC()
	if t, ok := rfc2822(p.Get("Timestamp")); ok && !t.After(now.Add(maxFutureSkew)) && t.Year() >= 2000 {
		c.ended = t
	}
	c.started = c.ended.Add(-c.duration)
	if u := cmp.Or(p.Get("RecordingUrl"), p.Get("RecordingURL")); httpsURL(u) {
		c.recording = u
	}
	return c, "", nil
}

// rfc2822 parses Twilio's Timestamp, "Mon, 16 Aug 2010 03:45:01 +0000".
func rfc2822(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// callSID reports whether s is a Call SID: "CA" and 32 hexadecimal
// digits.
func callSID(s string) bool {
	if len(s) != 34 || !strings.HasPrefix(s, "CA") {
		return false
	}
	for i := 2; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// parseForm decodes an application/x-www-form-urlencoded body, keeping
// every value of a repeated name, since the signature covers them all. It
// reads ";" as part of a value, as Twilio's validators do (url.ParseQuery
// would refuse it), and returns EINVALID for a malformed escape or more
// than maxTwilioParams parameters.
func parseForm(body []byte) (url.Values, error) {
	v := url.Values{}
	s := string(body)
	for n := 0; s != ""; {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		if n++; n > maxTwilioParams {
			return nil, care.Errorf(care.EINVALID, "the callback has more than %d parameters", maxTwilioParams)
		}
		name, value, _ := strings.Cut(pair, "=")
		name, err1 := url.QueryUnescape(name)
		value, err2 := url.QueryUnescape(value)
		if err1 != nil || err2 != nil {
			return nil, care.Errorf(care.EINVALID, "the callback is not form-encoded")
		}
		v[name] = append(v[name], value)
	}
	return v, nil
}
