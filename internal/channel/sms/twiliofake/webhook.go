package twiliofake

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Message is a customer's message for the fake to deliver.
type Message struct {
	// SID is the message's SID; a new one (SM…, or MM… with media) when "".
	SID string
	// From is the customer's number in E.164.
	From string
	// To is the account's number written to; the first of Numbers when "".
	To string
	// Body is the text.
	Body string
	// Media are the MMS attachments.
	Media []Media
	// Params are more parameters to send, such as ProfileName; they
	// replace the fake's own of the same name.
	Params map[string]string
}

// Media is an MMS attachment: where Twilio stores it, and its type.
type Media struct {
	URL, ContentType string
}

// Deliver posts m to WebhookURL as Twilio posts an incoming message, signed,
// and returns its SID. A STOP, START or another opt-out or opt-in keyword
// updates the opt-out list first, as Twilio's default handling does, even
// when there is no WebhookURL to post to. It returns an error when the
// webhook does not answer with a 2xx.
func (f *Fake) Deliver(ctx context.Context, m Message) (string, error) {
	if m.From == "" {
		return "", errors.New("twiliofake: a message needs From")
	}
	to := m.To
	if to == "" && len(f.Numbers) > 0 {
		to = f.Numbers[0]
	}
	sid := m.SID
	if sid == "" {
		sid = newSID("SM")
		if len(m.Media) > 0 {
			sid = "MM" + sid[2:]
		}
	}
	p := url.Values{}
	set := func(k, v string) {
		if v != "" {
			p.Set(k, v)
		}
	}
	set("AccountSid", f.AccountSID)
	set("ApiVersion", apiVersion)
	p.Set("Body", m.Body)
	set("From", m.From)
	set("FromCountry", country(m.From))
	set("MessageSid", sid)
	set("MessagingServiceSid", f.ServiceSID)
	set("NumMedia", strconv.Itoa(len(m.Media)))
	set("NumSegments", strconv.Itoa(segmentsOf(m.Body)))
	set("SmsMessageSid", sid)
	set("SmsSid", sid)
	set("SmsStatus", "received")
	set("To", to)
	set("ToCountry", country(to))
	for i, md := range m.Media {
		set("MediaUrl"+strconv.Itoa(i), md.URL)
		set("MediaContentType"+strconv.Itoa(i), md.ContentType)
	}
	kw := keyword(m.Body)
	if f.AdvancedOptOut {
		set("OptOutType", kw)
	}
	for k, v := range m.Params {
		p.Set(k, v)
	}

	f.mu.Lock()
	switch kw {
	case "STOP":
		f.optedOut[m.From] = true
	case "START":
		delete(f.optedOut, m.From)
	}
	f.mu.Unlock()

	// Without a webhook Twilio still receives the message, and still
	// acts on its keyword.
	if f.WebhookURL == "" {
		return sid, nil
	}
	if _, err := f.post(ctx, f.WebhookURL, p); err != nil {
		return "", err
	}
	return sid, nil
}

// keyword is the OptOutType of body under Twilio's default keywords.
func keyword(body string) string {
	switch strings.ToUpper(strings.TrimSpace(body)) {
	case "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT":
		return "STOP"
	case "START", "YES", "UNSTOP":
		return "START"
	case "HELP", "INFO":
		return "HELP"
	}
	return ""
}

func country(number string) string {
	if strings.HasPrefix(number, "+1") {
		return "US"
	}
	return ""
}

// Advance moves every sent message that asked for statuses one step, from
// queued (or accepted) to sent and from sent to delivered, posting each
// status to the message's StatusCallback. It returns how many it posted.
func (f *Fake) Advance(ctx context.Context) (int, error) {
	f.mu.Lock()
	type step struct{ sid, status string }
	var steps []step
	for _, s := range f.sent {
		if s.StatusCallback == "" {
			continue
		}
		switch s.Status {
		case "accepted", "queued", "sending":
			steps = append(steps, step{s.SID, "sent"})
		case "sent":
			steps = append(steps, step{s.SID, "delivered"})
		}
	}
	f.mu.Unlock()
	for i, s := range steps {
		if err := f.Status(ctx, s.sid, s.status, 0); err != nil {
			return i, err
		}
	}
	return len(steps), nil
}

// Status posts a status callback for sent message sid to its
// StatusCallback: status is one of Twilio's (queued, sent, delivered,
// undelivered, failed, read …), errorCode its ErrorCode, 0 for none.
func (f *Fake) Status(ctx context.Context, sid, status string, errorCode int) error {
	f.mu.Lock()
	i := slices.IndexFunc(f.sent, func(s Sent) bool { return s.SID == sid })
	if i < 0 {
		f.mu.Unlock()
		return fmt.Errorf("twiliofake: no sent message %s", sid)
	}
	s := &f.sent[i]
	s.Status = status
	target, from := s.StatusCallback, cmp.Or(s.From, f.firstNumber())
	p := url.Values{"AccountSid": {f.AccountSID}, "ApiVersion": {apiVersion}, "From": {from}, "MessageSid": {sid},
		"MessageStatus": {status}, "SmsSid": {sid}, "SmsStatus": {status}, "To": {s.To}}
	if s.MessagingServiceSid != "" {
		p.Set("MessagingServiceSid", s.MessagingServiceSid)
	}
	if errorCode != 0 {
		p.Set("ErrorCode", strconv.Itoa(errorCode))
	}
	if status == "delivered" {
		p.Set("RawDlrDoneDate", f.now().UTC().Format("0601021504"))
	}
	f.mu.Unlock()
	if target == "" {
		return fmt.Errorf("twiliofake: message %s was sent without a StatusCallback", sid)
	}
	_, err := f.post(ctx, target, p)
	return err
}

func (f *Fake) firstNumber() string {
	if len(f.Numbers) > 0 {
		return f.Numbers[0]
	}
	return ""
}

// Post signs params for target and posts them form-encoded, as Twilio posts
// webhooks. It returns the HTTP status, and an error when the request
// failed or the status was not a 2xx.
func (f *Fake) Post(ctx context.Context, target string, params url.Values) (int, error) {
	return f.post(ctx, target, params)
}

func (f *Fake) post(ctx context.Context, target string, params url.Values) (int, error) {
	if target == "" {
		return 0, errors.New("twiliofake: no URL to post the webhook to")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(params.Encode()))
	if err != nil {
		return 0, fmt.Errorf("twiliofake: webhook request: %w", err)
	}
	signed := target
	if f.SignWithPort {
		signed = withDefaultPort(target)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	req.Header.Set("I-Twilio-Idempotency-Token", newSID("ID")[2:])
	req.Header.Set("X-Twilio-Signature", Sign(f.AuthToken, signed, params))
	resp, err := f.client().Do(req)
	if err != nil {
		return 0, fmt.Errorf("twiliofake: post webhook: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("twiliofake: webhook answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}

// Sign is the X-Twilio-Signature of a webhook to rawURL with params: the
// base64 HMAC-SHA1, keyed with authToken, of the URL followed by each
// parameter's name and value, in order of name and, for a repeated name, of
// value (twilio.com/docs/usage/webhooks/webhooks-security).
func Sign(authToken, rawURL string, params url.Values) string {
	var b strings.Builder
	b.WriteString(rawURL)
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		vs := slices.Clone(params[k])
		slices.Sort(vs)
		for _, v := range slices.Compact(vs) {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// withDefaultPort adds the scheme's default port to rawURL's host when it
// has none.
func withDefaultPort(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Port() != "" || u.Host == "" {
		return rawURL
	}
	port := "80"
	if u.Scheme == "https" {
		port = "443"
	}
	scheme, rest, _ := strings.Cut(rawURL, "://")
	host, path := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		host, path = rest[:i], rest[i:]
	}
	return scheme + "://" + host + ":" + port + path
}
