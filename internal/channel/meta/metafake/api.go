package metafake

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Messaging windows as Meta enforces them.
const (
	standardWindow = 24 * time.Hour
	humanWindow    = 7 * 24 * time.Hour
	privateWindow  = 7 * 24 * time.Hour
)

// graphError writes Meta's error body
// ({"error":{"message","type","code","error_subcode","fbtrace_id"}}).
func graphError(w http.ResponseWriter, fl Failure) {
	for k, vs := range fl.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if fl.Code == 0 && fl.Message == "" {
		// Not Meta's API answering: a proxy or load balancer's page.
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(fl.Status)
		io.WriteString(w, "<html><body>"+http.StatusText(fl.Status)+"</body></html>")
		return
	}
	if fl.Type == "" {
		fl.Type = "OAuthException"
	}
	e := map[string]any{"message": fl.Message, "type": fl.Type, "code": fl.Code, "fbtrace_id": "AFakeTraceId0000"}
	if fl.Subcode != 0 {
		e["error_subcode"] = fl.Subcode
	}
	if fl.Status >= 500 || fl.Code == 1 || fl.Code == 2 {
		e["is_transient"] = true
	}
	writeJSON(w, fl.Status, map[string]any{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func invalid(msg string) Failure {
	return Failure{Status: http.StatusBadRequest, Code: 100, Type: "OAuthException", Message: "(#100) " + msg}
}

func noObject(id string) Failure {
	return Failure{Status: http.StatusBadRequest, Code: 100, Subcode: 33, Type: "GraphMethodException",
		Message: fmt.Sprintf("Unsupported post request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", id)}
}

// begin authenticates a call and applies any injected failure. It returns
// the account acting, with f.mu held; on false it has answered and released
// the lock.
func (f *Fake) begin(w http.ResponseWriter, r *http.Request) (*account, params, bool) {
	p, err := readParams(r)
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if tok == "" {
		tok = p.str("access_token")
	}
	f.mu.Lock()
	acct := f.tokens[tok]
	var fl Failure
	switch failed, ok := f.popFailure(); {
	case ok:
		fl = failed
	case tok == "" || acct == nil:
		fl = Failure{Status: http.StatusBadRequest, Code: 190, Type: "OAuthException", Message: "Invalid OAuth access token - Cannot parse access token"}
	case err != nil:
		fl = invalid(err.Error())
	default:
		return acct, p, true
	}
	f.mu.Unlock()
	graphError(w, fl)
	return nil, nil, false
}

// params are a call's parameters from its query, form or JSON body, each
// as the raw JSON of its value or a form string.
type params map[string]string

func readParams(r *http.Request) (params, error) {
	p := params{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return p, err
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case len(body) == 0:
	case ct == "application/json":
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(body, &obj); err != nil {
			return p, fmt.Errorf("the body is not a JSON object")
		}
		for k, v := range obj {
			var s string
			if json.Unmarshal(v, &s) == nil {
				p[k] = s
			} else {
				p[k] = string(v)
			}
		}
	default:
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return p, fmt.Errorf("the body is not a form")
		}
		for k, v := range form {
			p[k] = v[0]
		}
	}
	return p, nil
}

func (p params) str(k string) string { return p[k] }

// obj decodes a parameter holding a JSON object (recipient, message).
func (p params) obj(k string, v any) error {
	s, ok := p[k]
	if !ok {
		return fmt.Errorf("param %s must be non-empty", k)
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("param %s must be a JSON object", k)
	}
	return nil
}

func (p params) boolean(k string) (v, ok bool) {
	switch p[k] {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// sendMessage is the Send API: POST /{page-id|ig-id|me}/messages.
func (f *Fake) sendMessage(w http.ResponseWriter, r *http.Request) {
	acct, p, ok := f.begin(w, r)
	if !ok {
		return
	}
	defer f.mu.Unlock()
	if id := r.PathValue("id"); id != "me" && id != acct.id {
		graphError(w, noObject(id))
		return
	}
	var rcp struct {
		ID        string `json:"id"`
		CommentID string `json:"comment_id"`
	}
	var msg struct {
		Text       string `json:"text"`
		Metadata   string `json:"metadata"`
		Attachment *struct {
			Type    string `json:"type"`
			Payload struct {
				URL string `json:"url"`
			} `json:"payload"`
		} `json:"attachment"`
	}
	if err := p.obj("recipient", &rcp); err != nil {
		graphError(w, invalid(err.Error()))
		return
	}
	if err := p.obj("message", &msg); err != nil {
		graphError(w, invalid(err.Error()))
		return
	}
	s := Sent{Account: acct.id, Path: r.URL.Path, RecipientID: rcp.ID, CommentID: rcp.CommentID,
		MessagingType: p.str("messaging_type"), Tag: p.str("tag"), Text: msg.Text, Metadata: msg.Metadata, At: f.now()}
	if msg.Attachment != nil {
		s.AttachmentURL = msg.Attachment.Payload.URL
	}
	switch {
	case msg.Text == "" && s.AttachmentURL == "":
		graphError(w, invalid("Message cannot be empty, must provide valid attachment or text"))
		return
	case msg.Text != "" && msg.Attachment != nil:
		graphError(w, invalid("Cannot send both text and attachment in one message"))
		return
	case !acct.instagram && utf8.RuneCountInString(msg.Text) > 2000:
		graphError(w, invalid("Param message[text] must be at most 2000 characters long."))
		return
	case acct.instagram && len(msg.Text) > 1000:
		graphError(w, invalid("Param message[text] must be at most 1000 bytes long."))
		return
	}
	now := f.now()
	switch {
	case rcp.CommentID != "":
		c := f.comments[rcp.CommentID]
		switch {
		case c == nil || c.account != acct.id:
			graphError(w, invalid("Invalid parameter: comment_id"))
			return
		case c.replied:
			graphError(w, Failure{Status: http.StatusBadRequest, Code: 10900, Type: "OAuthException", Message: "(#10900) Activity already replied to"})
			return
		case c.deleted || c.byAccount || now.Sub(c.at) > privateWindow:
			graphError(w, Failure{Status: http.StatusBadRequest, Code: 10903, Type: "OAuthException", Message: "(#10903) This activity can't be replied to"})
			return
		}
		c.replied = true
		s.Customer = c.psid
	case rcp.ID != "":
		last, known := f.windows[pair{acct.id, rcp.ID}]
		age := now.Sub(last)
		switch {
		case !known:
			graphError(w, Failure{Status: http.StatusBadRequest, Code: 100, Subcode: 2018001, Type: "OAuthException", Message: "(#100) No matching user found"})
			return
		case s.MessagingType == "MESSAGE_TAG" && s.Tag != "HUMAN_AGENT":
			graphError(w, invalid("Param tag must be one of {CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE, ACCOUNT_UPDATE, HUMAN_AGENT}"))
			return
		case s.MessagingType == "MESSAGE_TAG" && age <= humanWindow, s.MessagingType != "MESSAGE_TAG" && age <= standardWindow:
		case acct.instagram:
			// Instagram's own subcode and exception type.
			graphError(w, Failure{Status: http.StatusForbidden, Code: 10, Subcode: 2534022, Type: "IGApiException",
				Message: "This message is sent outside of allowed window."})
			return
		default:
			graphError(w, Failure{Status: http.StatusBadRequest, Code: 10, Subcode: 2018278, Type: "OAuthException",
				Message: "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview"})
			return
		}
		s.Customer = rcp.ID
	default:
		graphError(w, invalid("param recipient must be non-empty"))
		return
	}
	s.ID = f.messageID(acct.instagram)
	f.sent = append(f.sent, s)
	f.messages[s.ID] = s
	f.notify(s)
	writeJSON(w, http.StatusOK, map[string]string{"recipient_id": s.Customer, "message_id": s.ID})
}

// replyComment is POST /{comment-id}/comments on a Page's comment.
func (f *Fake) replyComment(w http.ResponseWriter, r *http.Request) {
	acct, p, ok := f.begin(w, r)
	if !ok {
		return
	}
	defer f.mu.Unlock()
	c := f.comments[r.PathValue("id")]
	if c == nil || c.account != acct.id || acct.instagram || c.deleted {
		graphError(w, noObject(r.PathValue("id")))
		return
	}
	if p.str("message") == "" && p.str("attachment_url") == "" {
		graphError(w, invalid("Missing message or attachment"))
		return
	}
	id := fmt.Sprintf("%s_%d", lastPart(c.post), 900000+f.next())
	f.comments[id] = &comment{id: id, account: acct.id, post: c.post, parent: c.id, text: p.str("message"), from: acct.id, at: f.now(), byAccount: true}
	s := Sent{Account: acct.id, Path: r.URL.Path, CommentID: c.id, Text: p.str("message"),
		AttachmentURL: p.str("attachment_url"), ID: id, At: f.now()}
	f.sent = append(f.sent, s)
	f.notify(s)
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

// replyIGComment is POST /{ig-comment-id}/replies.
func (f *Fake) replyIGComment(w http.ResponseWriter, r *http.Request) {
	acct, p, ok := f.begin(w, r)
	if !ok {
		return
	}
	defer f.mu.Unlock()
	c := f.comments[r.PathValue("id")]
	switch {
	case c == nil || c.account != acct.id || !acct.instagram || c.deleted:
		graphError(w, noObject(r.PathValue("id")))
		return
	case c.hidden:
		graphError(w, invalid("You cannot reply to a hidden comment"))
		return
	case p.str("message") == "":
		graphError(w, invalid("The parameter message is required"))
		return
	}
	// Replies to a reply are added to the top-level comment.
	top := c
	if c.parent != "" && f.comments[c.parent] != nil {
		top = f.comments[c.parent]
	}
	id := fmt.Sprintf("%d", 17900000000000000+f.next())
	f.comments[id] = &comment{id: id, account: acct.id, post: c.post, parent: top.id, text: p.str("message"), from: acct.id, at: f.now(), byAccount: true}
	s := Sent{Account: acct.id, Path: r.URL.Path, CommentID: top.id, Text: p.str("message"), ID: id, At: f.now()}
	f.sent = append(f.sent, s)
	f.notify(s)
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

// replyMention is POST /{ig-user-id}/mentions: a reply to a comment or
// caption that mentions the account.
func (f *Fake) replyMention(w http.ResponseWriter, r *http.Request) {
	acct, p, ok := f.begin(w, r)
	if !ok {
		return
	}
	defer f.mu.Unlock()
	switch {
	case r.PathValue("id") != acct.id || !acct.instagram:
		graphError(w, noObject(r.PathValue("id")))
		return
	case p.str("media_id") == "" || p.str("message") == "":
		graphError(w, invalid("media_id and message are required"))
		return
	}
	id := fmt.Sprintf("%d", 17900000000000000+f.next())
	s := Sent{Account: acct.id, Path: r.URL.Path, CommentID: p.str("comment_id"), Text: p.str("message"), ID: id, At: f.now()}
	f.sent = append(f.sent, s)
	f.notify(s)
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

// updateComment is POST /{comment-id} with is_hidden (Facebook) or hide
// (Instagram).
func (f *Fake) updateComment(w http.ResponseWriter, r *http.Request) {
	acct, p, ok := f.begin(w, r)
	if !ok {
		return
	}
	defer f.mu.Unlock()
	c := f.comments[r.PathValue("id")]
	if c == nil || c.account != acct.id || c.deleted {
		graphError(w, noObject(r.PathValue("id")))
		return
	}
	param := "is_hidden"
	if acct.instagram {
		param = "hide"
	}
	v, ok := p.boolean(param)
	if !ok {
		graphError(w, invalid("param "+param+" must be a boolean"))
		return
	}
	c.hidden = v
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}

// deleteComment is DELETE /{comment-id}.
func (f *Fake) deleteComment(w http.ResponseWriter, r *http.Request) {
	acct, _, ok := f.begin(w, r)
	if !ok {
		return
	}
	defer f.mu.Unlock()
	c := f.comments[r.PathValue("id")]
	if c == nil || c.account != acct.id || c.deleted {
		graphError(w, Failure{Status: http.StatusBadRequest, Code: 100, Subcode: 33, Type: "GraphMethodException",
			Message: fmt.Sprintf("Unsupported delete request. Object with ID '%s' does not exist.", r.PathValue("id"))})
		return
	}
	c.deleted = true
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}

func lastPart(id string) string {
	if i := strings.LastIndexByte(id, '_'); i >= 0 {
		return id[i+1:]
	}
	return id
}
