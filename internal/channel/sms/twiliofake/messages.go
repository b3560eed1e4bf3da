package twiliofake

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// apiVersion is the REST API version of the Messages resource.
const apiVersion = "2010-04-01"

// createMessage serves POST /2010-04-01/Accounts/{account}/Messages.json.
func (f *Fake) createMessage(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(f.AccountSID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(f.AuthToken)) != 1 {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if r.PathValue("account") != f.AccountSID {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, 21602, "Message body is required.")
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		writeError(w, http.StatusBadRequest, 20001, "Unable to parse the request body")
		return
	}

	f.mu.Lock()
	switch {
	case f.serverErrors > 0:
		f.serverErrors--
		f.mu.Unlock()
		writeError(w, http.StatusInternalServerError, 20500, "An internal server error has occurred")
		return
	case f.throttle > 0:
		f.throttle--
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		f.mu.Unlock()
		writeError(w, http.StatusTooManyRequests, 20429, "Too Many Requests")
		return
	}
	f.mu.Unlock()

	if status, code, msg := f.validate(form); code != 0 {
		writeError(w, status, code, msg)
		return
	}
	to := form.Get("To")

	f.mu.Lock()
	if f.optedOut[to] {
		f.mu.Unlock()
		writeError(w, http.StatusBadRequest, 21610, "Attempt to send to unsubscribed recipient")
		return
	}
	now := f.now()
	s := Sent{SID: newSID("SM"), To: to, From: form.Get("From"), MessagingServiceSid: form.Get("MessagingServiceSid"),
		Body: form.Get("Body"), MediaURLs: form["MediaUrl"], StatusCallback: form.Get("StatusCallback"),
		Status: "queued", Form: form, At: now}
	if len(s.MediaURLs) > 0 {
		s.SID = "MM" + s.SID[2:]
	}
	segments := strconv.Itoa(segmentsOf(s.Body))
	if s.MessagingServiceSid != "" {
		// "When using a Messaging Service … num_segments will always be
		// 0 in Twilio's response to your API request."
		s.Status, segments = "accepted", "0"
	}
	f.sent = append(f.sent, s)
	f.mu.Unlock()

	date := now.UTC().Format(http.TimeFormat)
	date = strings.Replace(date, "GMT", "+0000", 1)
	uri := "/" + apiVersion + "/Accounts/" + f.AccountSID + "/Messages/" + s.SID
	writeJSON(w, http.StatusCreated, map[string]any{
		"account_sid": f.AccountSID, "api_version": apiVersion, "body": s.Body,
		"date_created": date, "date_sent": nil, "date_updated": date, "direction": "outbound-api",
		"error_code": nil, "error_message": nil, "from": nullable(s.From),
		"messaging_service_sid": nullable(s.MessagingServiceSid), "num_media": strconv.Itoa(len(s.MediaURLs)),
		"num_segments": segments, "price": nil, "price_unit": "USD", "sid": s.SID, "status": s.Status,
		"subresource_uris": map[string]string{"media": uri + "/Media.json"}, "to": s.To, "uri": uri + ".json",
	})
}

// validate checks a send as Twilio does, returning the HTTP status, error
// code and message of the first problem, or code 0.
func (f *Fake) validate(form url.Values) (status, code int, msg string) {
	to, from, service := form.Get("To"), form.Get("From"), form.Get("MessagingServiceSid")
	body, media := form.Get("Body"), form["MediaUrl"]
	switch {
	case to == "":
		return http.StatusBadRequest, 21604, "A 'To' phone number is required."
	case !e164(to):
		return http.StatusBadRequest, 21211, fmt.Sprintf("Invalid 'To' Phone Number: %.40s", to)
	case from == "" && service == "":
		return http.StatusBadRequest, 21603, "A 'From' phone number is required."
	case service != "" && service != f.ServiceSID:
		return http.StatusBadRequest, 21701, fmt.Sprintf("The Messaging Service Sid %.40s is invalid.", service)
	case from != "" && !slices.Contains(f.Numbers, from):
		return http.StatusBadRequest, 21606, fmt.Sprintf("The From phone number %.40s is not a valid, SMS-capable inbound phone number or short code for your account.", from)
	case body == "" && len(media) == 0:
		return http.StatusBadRequest, 21602, "Message body is required."
	case len(utf16.Encode([]rune(body))) > 1600:
		return http.StatusBadRequest, 21617, "The concatenated message body exceeds the 1600 character limit."
	case len(media) > 10:
		return http.StatusBadRequest, 21623, "Number of media files exceeds allowed limit."
	}
	for _, m := range media {
		if u, err := url.Parse(m); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return http.StatusBadRequest, 21620, "Invalid media URL(s)."
		}
	}
	if cb := form.Get("StatusCallback"); cb != "" {
		if u, err := url.Parse(cb); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return http.StatusBadRequest, 21609, "Invalid StatusCallback url."
		}
	}
	return 0, 0, ""
}

// e164 reports whether s is "+" and 8 to 15 digits.
func e164(s string) bool {
	d, ok := strings.CutPrefix(s, "+")
	if !ok || len(d) < 8 || len(d) > 15 {
		return false
	}
	return strings.Trim(d, "0123456789") == ""
}

// gsm holds the GSM 7-bit default alphabet and, after the escape, its
// extension table, whose characters take two septets.
const (
	gsmBasic     = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "\f^{}\\[~]|€"
)

// segmentsOf is the num_segments Twilio reports for body.
func segmentsOf(body string) int {
	units, single, multi := 0, 160, 153
	for _, r := range body {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			units++
		case strings.ContainsRune(gsmExtension, r):
			units += 2
		default:
			units, single, multi = len(utf16.Encode([]rune(body))), 70, 67
			return count(units, single, multi)
		}
	}
	return count(units, single, multi)
}

func count(units, single, multi int) int {
	if units <= single {
		return 1
	}
	return (units + multi - 1) / multi
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// writeError answers with the REST API's error body.
func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{
		"code": code, "message": msg, "more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code), "status": status,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
