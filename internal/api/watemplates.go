package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
	"github.com/parleyhq/parley/internal/desk"
)

// templateTimeout bounds reading a WhatsApp account's template list for a
// request.
const templateTimeout = 15 * time.Second

// templateSource is the WhatsApp adapter's template list, nil when none is
// registered.
func (s *Server) templateSource() whatsapp.TemplateSource {
	snd, ok := s.Adapters.Sender(care.ChannelWhatsApp)
	if !ok {
		return nil
	}
	src, _ := snd.(whatsapp.TemplateSource)
	return src
}

// listTemplates lists a WhatsApp inbox's message templates with the
// parameters each takes: by name ({{first_name}}) or in order ({{1}}).
func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request) {
	in, err := s.inboxOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if in.Channel != care.ChannelWhatsApp {
		writeError(w, r, care.Errorf(care.EINVALID, "Message templates are WhatsApp's; inbox %d is a %s inbox.", in.ID, in.Channel))
		return
	}
	src := s.templateSource()
	if src == nil {
		writeError(w, r, care.Errorf(care.EUNAVAILABLE, "This Parley sends no WhatsApp messages."))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), templateTimeout)
	defer cancel()
	defs, err := src.Templates(ctx, *in, whatsapp.TemplateMaxAge)
	switch {
	case errors.Is(err, whatsapp.ErrNoTemplateList):
		err = care.Errorf(care.EINVALID, "Set the inbox's waba_id credential (the WhatsApp Business Account id) so Parley can read its templates.")
	case err != nil && care.ErrorCode(err) != care.EINVALID:
		s.logger().Warn("api: reading WhatsApp templates", "inbox", in.ID, "err", err)
		err = care.Errorf(care.EUNAVAILABLE, "WhatsApp did not list the templates: %s", templateFailure(err))
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	if defs == nil {
		defs = []whatsapp.TemplateDef{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"templates": defs})
}

// templateFailure is the part of a failure to read templates an agent can
// act on: WhatsApp's reason when it gave one.
func templateFailure(err error) string {
	var se *channel.SendError
	if errors.As(err, &se) && se.Reason != "" {
		return se.Reason
	}
	return "it could not be reached."
}

type templateRequest struct {
	Name     string `json:"name"`
	Language string `json:"language"`
	// Parameters are the body's values: an object by placeholder
	// ({"first_name": "Ana"}, or {"1": "Ana"}), or an array in order for a
	// positional template.
	Parameters       json.RawMessage `json:"parameters"`
	Header           string          `json:"header"`
	HeaderKind       string          `json:"header_kind"`
	HeaderLink       string          `json:"header_link"`
	Buttons          []string        `json:"buttons"`
	Text             string          `json:"text"`
	ReplyToMessageID care.ID         `json:"reply_to_message_id"`
}

// bodyValues reads parameters: an object of strings by placeholder, or an
// array of strings, numbered from 1.
func bodyValues(raw json.RawMessage) (map[string]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] == '[' {
		var list []string
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, care.Errorf(care.EINVALID, "parameters must be an object of strings by parameter name, or an array of strings in order.")
		}
		m := make(map[string]string, len(list))
		for i, v := range list {
			m[strconv.Itoa(i+1)] = v
		}
		return m, nil
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, care.Errorf(care.EINVALID, "parameters must be an object of strings by parameter name, or an array of strings in order.")
	}
	return m, nil
}

// sendTemplate sends an approved WhatsApp template as a reply, its
// parameters given by name or in order as the template takes them, and
// checked against the template in the inbox's WhatsApp Business Account
// when Parley can read it. It goes the way of any reply (desk.Service.Reply).
func (s *Server) sendTemplate(w http.ResponseWriter, r *http.Request) {
	c, err := s.conversationOf(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req templateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	body, err := bodyValues(req.Parameters)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if c.Channel != care.ChannelWhatsApp {
		writeError(w, r, care.Errorf(care.EINVALID, "Templates are sent on WhatsApp conversations only; this one is on %s.", c.Channel))
		return
	}
	in, err := s.Store.Inbox(r.Context(), c.InboxID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), templateTimeout)
	tmpl, text, err := whatsapp.FillTemplate(ctx, s.templateSource(), *in, whatsapp.TemplateValues{Name: req.Name, Language: req.Language,
		Body: body, Header: req.Header, HeaderKind: req.HeaderKind, HeaderLink: req.HeaderLink, Buttons: req.Buttons})
	cancel()
	if err != nil {
		writeError(w, r, err)
		return
	}
	if req.Text != "" {
		text = req.Text
	}
	m, err := s.Desk.Reply(r.Context(), principal(r), c.ID, desk.Reply{Text: text, Visibility: care.Private,
		Attachments: []care.Attachment{tmpl.Attachment()}, ReplyToMessageID: req.ReplyToMessageID})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}
