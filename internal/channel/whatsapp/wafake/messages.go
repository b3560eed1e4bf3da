package wafake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// window is WhatsApp's customer service window.
const window = 24 * time.Hour

var versionRE = regexp.MustCompile(`^v[0-9]+\.[0-9]+$`)

// request is what the fake reads of a send request.
type request struct {
	MessagingProduct string `json:"messaging_product"`
	To               string `json:"to"`
	Recipient        string `json:"recipient"`
	Type             string `json:"type"`
	Context          *struct {
		MessageID string `json:"message_id"`
	} `json:"context"`
	BizOpaqueCallbackData string `json:"biz_opaque_callback_data"`
	Text                  *struct {
		Body string `json:"body"`
	} `json:"text"`
	Image    *mediaObject `json:"image"`
	Video    *mediaObject `json:"video"`
	Audio    *mediaObject `json:"audio"`
	Document *mediaObject `json:"document"`
	Sticker  *mediaObject `json:"sticker"`
	Location *struct {
		Latitude  *float64 `json:"latitude"`
		Longitude *float64 `json:"longitude"`
	} `json:"location"`
	Template *struct {
		Name     string `json:"name"`
		Language struct {
			Code string `json:"code"`
		} `json:"language"`
		Components []component `json:"components"`
	} `json:"template"`
}

type mediaObject struct {
	ID      string `json:"id"`
	Link    string `json:"link"`
	Caption string `json:"caption"`
}

// messages serves POST /{phone}/messages.
func (f *Fake) messages(w http.ResponseWriter, r *http.Request) {
	if v := r.PathValue("version"); v != "" && !versionRE.MatchString(v) {
		writeError(w, http.StatusBadRequest, 100, "Unknown path components", "The version must look like v26.0.")
		return
	}
	phone := r.PathValue("phone")
	if phone == "" || strings.Trim(phone, "0123456789") != "" {
		writeError(w, http.StatusBadRequest, 100, "Invalid parameter", fmt.Sprintf("Object with ID '%s' does not exist.", phone))
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.AccessToken {
		writeError(w, http.StatusUnauthorized, 190, "Invalid OAuth access token - Cannot parse access token", "")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, 100, "Invalid parameter", "The request body could not be read.")
		return
	}

	f.mu.Lock()
	switch {
	case f.serverErrors > 0:
		f.serverErrors--
		f.mu.Unlock()
		writeError(w, http.StatusInternalServerError, 131000, "Something went wrong", "Something went wrong. Please try again later.")
		return
	case f.throttle > 0:
		f.throttle--
		f.mu.Unlock()
		writeError(w, http.StatusBadRequest, 130429, "Rate limit hit", "Cloud API message throughput has been reached.")
		return
	case len(f.refusals) > 0:
		r := f.refusals[0]
		f.refusals = f.refusals[1:]
		f.mu.Unlock()
		writeError(w, http.StatusBadRequest, r.code, r.title, r.details)
		return
	}
	f.mu.Unlock()

	var req request
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, 100, "Invalid parameter", "The request body is not a JSON object.")
		return
	}
	if status, code, title, details := validate(&req); code != 0 {
		writeError(w, status, code, title, details)
		return
	}

	f.mu.Lock()
	now := f.now()
	pair := customer{phone, strings.TrimPrefix(req.To, "+") + "|" + req.Recipient}
	if last, ok := f.lastSent[pair]; ok && f.PairInterval > 0 && now.Sub(last) < f.PairInterval {
		f.mu.Unlock()
		writeError(w, http.StatusBadRequest, 131056, "(Business Account, Consumer Account) pair rate limit hit",
			"Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.")
		return
	}
	s := Sent{PhoneNumberID: phone, To: req.To, Recipient: req.Recipient, Type: req.Type, Opaque: req.BizOpaqueCallbackData,
		Body: body, At: now, category: "service"}
	if req.Context != nil {
		s.ReplyTo = req.Context.MessageID
	}
	switch {
	case req.Text != nil:
		s.Text = req.Text.Body
	case req.media() != nil:
		s.Text = req.media().Caption
	}
	if req.Type == "template" {
		t, ok := f.templates[req.Template.Name+"/"+req.Template.Language.Code]
		if !ok || t.Status != "APPROVED" {
			f.mu.Unlock()
			writeError(w, http.StatusNotFound, 132001, "Template name does not exist in the translation",
				fmt.Sprintf("template name (%s) does not exist in %s", req.Template.Name, req.Template.Language.Code))
			return
		}
		if code, title, details := t.check(req.Template.Components); code != 0 {
			f.mu.Unlock()
			writeError(w, http.StatusBadRequest, code, title, details)
			return
		}
		s.Template, s.category = req.Template.Name, strings.ToLower(t.Category)
	} else if !f.inWindow(phone, req.To, req.Recipient, now) {
		if !f.DeferWindowErrors {
			f.mu.Unlock()
			writeError(w, http.StatusBadRequest, 131047, "Re-engagement message",
				"Message failed to send because more than 24 hours have passed since the customer last replied to this number.")
			return
		}
		s.failWindow = true
	}
	s.ID = f.nextID()
	f.sent = append(f.sent, s)
	f.lastSent[pair] = now
	f.mu.Unlock()

	input := req.To
	if input == "" {
		input = req.Recipient
	}
	resp := map[string]any{
		"messaging_product": "whatsapp",
		"contacts":          []map[string]string{{"input": input, "wa_id": strings.TrimPrefix(req.To, "+")}},
		"messages":          []map[string]string{{"id": s.ID}},
	}
	if req.Type == "template" {
		resp["messages"] = []map[string]string{{"id": s.ID, "message_status": "accepted"}}
	}
	writeJSON(w, http.StatusOK, resp)
}

// inWindow reports whether the customer addressed by to or recipient wrote
// within the last 24 hours. The caller holds f.mu.
func (f *Fake) inWindow(phone, to, recipient string, now time.Time) bool {
	for _, id := range []string{strings.TrimPrefix(to, "+"), recipient} {
		if t, ok := f.lastInbound[customer{phone, id}]; ok && now.Sub(t) < window {
			return true
		}
	}
	return false
}

func (r *request) media() *mediaObject {
	switch r.Type {
	case "image":
		return r.Image
	case "video":
		return r.Video
	case "audio":
		return r.Audio
	case "document":
		return r.Document
	case "sticker":
		return r.Sticker
	}
	return nil
}

// validate checks a request as the Cloud API does, returning the HTTP
// status, error code, title and details of the first problem, or code 0.
func validate(r *request) (status, code int, title, details string) {
	bad := func(details string) (int, int, string, string) {
		return http.StatusBadRequest, 100, "Invalid parameter", details
	}
	switch {
	case r.MessagingProduct != "whatsapp":
		return bad("The parameter messaging_product is required and must be whatsapp.")
	case r.To == "" && r.Recipient == "":
		return bad("The parameter to or recipient is required.")
	}
	switch r.Type {
	case "text":
		if r.Text == nil || strings.TrimSpace(r.Text.Body) == "" {
			return http.StatusBadRequest, 131008, "Required parameter is missing", "The parameter text['body'] is required."
		}
		if utf8.RuneCountInString(r.Text.Body) > 4096 {
			return bad("Param text['body'] must be at most 4096 characters long.")
		}
	case "image", "video", "audio", "document", "sticker":
		m := r.media()
		if m == nil || (m.ID == "") == (m.Link == "") {
			return http.StatusBadRequest, 131008, "Required parameter is missing", fmt.Sprintf("The parameter %s['id'] or %s['link'] is required.", r.Type, r.Type)
		}
		if utf8.RuneCountInString(m.Caption) > 1024 {
			return bad("Param caption must be at most 1024 characters long.")
		}
	case "location":
		if r.Location == nil || r.Location.Latitude == nil || r.Location.Longitude == nil {
			return http.StatusBadRequest, 131008, "Required parameter is missing", "The parameters location['latitude'] and location['longitude'] are required."
		}
	case "template":
		if r.Template == nil || r.Template.Name == "" || r.Template.Language.Code == "" {
			return http.StatusBadRequest, 131008, "Required parameter is missing", "The parameters template['name'] and template['language']['code'] are required."
		}
	case "":
		return bad("The parameter type is required.")
	default:
		return bad(fmt.Sprintf("The fake does not send messages of type %q.", r.Type))
	}
	return 0, 0, "", ""
}

// writeError answers with a Graph API error body
// (".../whatsapp/support/error-codes").
func writeError(w http.ResponseWriter, status, code int, title, details string) {
	e := map[string]any{
		"message":    fmt.Sprintf("(#%d) %s", code, title),
		"type":       "OAuthException",
		"code":       code,
		"fbtrace_id": "AwakeFakeTrace",
	}
	if details != "" {
		e["error_data"] = map[string]string{"messaging_product": "whatsapp", "details": details}
	}
	writeJSON(w, status, map[string]any{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
