package tgfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// botUser is the bot as a User object. Callers may hold f.mu.
func (f *Fake) botUser() map[string]any {
	id, _, _ := strings.Cut(f.Token, ":")
	n, _ := strconv.ParseInt(id, 10, 64)
	return map[string]any{"id": n, "is_bot": true, "first_name": f.FirstName, "username": f.Username}
}

func (f *Fake) getMe(w http.ResponseWriter, _ params, _ []byte) {
	me := f.botUser()
	me["can_join_groups"] = true
	me["can_read_all_group_messages"] = false
	me["supports_inline_queries"] = false
	writeOK(w, me, "")
}

// sendMessage checks a request as Telegram does, in the order that makes
// its errors realistic, and records and answers the sent Message.
func (f *Fake) sendMessage(w http.ResponseWriter, p params, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.serverErrors > 0:
		f.serverErrors--
		writeError(w, http.StatusInternalServerError, "Internal Server Error")
		return
	case f.throttle > 0:
		f.throttle--
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"ok": false, "error_code": 429,
			"description": fmt.Sprintf("Too Many Requests: retry after %d", f.retryAfter),
			"parameters":  map[string]any{"retry_after": f.retryAfter}})
		return
	}
	if !p.has("chat_id") {
		writeError(w, http.StatusBadRequest, "Bad Request: chat_id is empty")
		return
	}
	chatID, ok := p.int("chat_id")
	s := f.chats[chatID]
	if !ok || s == nil {
		writeError(w, http.StatusBadRequest, "Bad Request: chat not found")
		return
	}
	if s.migratedTo != 0 {
		// core.telegram.org/bots/api#responseparameters
		writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400,
			"description": "Bad Request: group chat was upgraded to a supergroup chat",
			"parameters":  map[string]any{"migrate_to_chat_id": s.migratedTo}})
		return
	}
	text := p.str("text")
	switch mode := p.str("parse_mode"); {
	case strings.TrimSpace(text) == "":
		writeError(w, http.StatusBadRequest, "Bad Request: message text is empty")
		return
	case utf8.RuneCountInString(strings.TrimSpace(text)) > MaxTextChars:
		writeError(w, http.StatusBadRequest, "Bad Request: message is too long")
		return
	case mode != "" && mode != "HTML" && mode != "Markdown" && mode != "MarkdownV2":
		writeError(w, http.StatusBadRequest, "Bad Request: unsupported parse_mode")
		return
	}
	if s.blocked {
		writeError(w, http.StatusForbidden, "Forbidden: bot was blocked by the user")
		return
	}
	var reply struct {
		MessageID                int64 `json:"message_id"`
		AllowSendingWithoutReply bool  `json:"allow_sending_without_reply"`
	}
	if p.has("reply_parameters") {
		if err := p.obj("reply_parameters", &reply); err != nil {
			writeError(w, http.StatusBadRequest, "Bad Request: can't parse reply parameters JSON object")
			return
		}
	} else if id, ok := p.int("reply_to_message_id"); ok {
		reply.MessageID = id
	}
	replied, found := f.replied(s, reply.MessageID)
	if reply.MessageID != 0 && !found && !reply.AllowSendingWithoutReply {
		writeError(w, http.StatusBadRequest, "Bad Request: message to be replied not found")
		return
	}

	now := f.now()
	s.lastID++
	id := s.lastID
	s.messages[id] = stored{bot: true, date: now.Unix(), text: text}
	f.sent = append(f.sent, Sent{ChatID: chatID, MessageID: id, Text: text, ParseMode: p.str("parse_mode"),
		ReplyTo: reply.MessageID, Body: body, At: now})
	msg := map[string]any{"message_id": id, "from": f.botUser(), "chat": s.json(), "date": now.Unix(), "text": text}
	if found {
		msg["reply_to_message"] = replied
	}
	writeOK(w, msg, "")
}

// maxSecretToken and the alphabet are setWebhook's rule for secret_token.
const maxSecretToken = 256

func validSecret(s string) bool {
	if s == "" || len(s) > maxSecretToken {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func (f *Fake) setWebhook(w http.ResponseWriter, p params, _ []byte) {
	if !p.has("url") {
		writeError(w, http.StatusBadRequest, "Bad Request: parameter \"url\" is required")
		return
	}
	u := p.str("url")
	if u == "" {
		f.deleteWebhook(w, p, nil)
		return
	}
	secret := p.str("secret_token")
	if p.has("secret_token") && !validSecret(secret) {
		writeError(w, http.StatusBadRequest, "Bad Request: secret token contains unallowed characters")
		return
	}
	var list []string
	if p.has("allowed_updates") {
		if err := p.obj("allowed_updates", &list); err != nil {
			writeError(w, http.StatusBadRequest, "Bad Request: can't parse allowed updates JSON array")
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !p.has("allowed_updates") {
		// "If not specified, the previous setting will be used."
		list = f.webhook.AllowedUpdates
	}
	f.webhook = WebhookInfo{URL: u, SecretToken: secret, AllowedUpdates: list}
	writeOK(w, true, "Webhook was set")
}

func (f *Fake) deleteWebhook(w http.ResponseWriter, p params, _ []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	desc := "Webhook is already deleted"
	if f.webhook.URL != "" {
		desc = "Webhook was deleted"
	}
	f.webhook.URL, f.webhook.SecretToken = "", ""
	if p.str("drop_pending_updates") == "true" {
		f.queue = nil
	}
	writeOK(w, true, desc)
}

func (f *Fake) getWebhookInfo(w http.ResponseWriter, _ params, _ []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	info := map[string]any{"url": f.webhook.URL, "has_custom_certificate": false, "pending_update_count": len(f.queue)}
	if len(f.webhook.AllowedUpdates) > 0 {
		info["allowed_updates"] = f.webhook.AllowedUpdates
	}
	writeOK(w, info, "")
}

// getUpdates confirms the queued updates below offset and returns those
// from it on, up to limit. It never waits: timeout is accepted and ignored.
func (f *Fake) getUpdates(w http.ResponseWriter, p params, _ []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.webhook.URL != "" {
		writeError(w, http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
		return
	}
	limit := int64(100)
	if n, ok := p.int("limit"); ok && n >= 1 && n <= 100 {
		limit = n
	}
	if p.has("allowed_updates") {
		var list []string
		if err := p.obj("allowed_updates", &list); err != nil {
			writeError(w, http.StatusBadRequest, "Bad Request: can't parse allowed updates JSON array")
			return
		}
		f.pollAllowed = list
	}
	if offset, ok := p.int("offset"); ok && offset > 0 {
		kept := f.queue[:0]
		for _, q := range f.queue {
			if q.id >= offset {
				kept = append(kept, q)
			}
		}
		f.queue = kept
	}
	out := []json.RawMessage{}
	for _, q := range f.queue {
		if int64(len(out)) == limit {
			break
		}
		if q.typ == "" || allowed(f.pollAllowed, q.typ) {
			out = append(out, q.body)
		}
	}
	writeOK(w, out, "")
}
