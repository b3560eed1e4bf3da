package web

import (
	"net/http"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
	"github.com/parleyhq/parley/internal/desk"
)

// templateDraft is the "Send a template" form of a WhatsApp conversation,
// kept as typed when the template is refused.
type templateDraft struct {
	Name, Language, Body, Header string
	Error                        string
}

// sendTemplate sends an approved WhatsApp template, the only message
// WhatsApp delivers outside its 24-hour window. It goes the way of any
// reply (desk.Service.Reply), so the platform's rules, approvals, the
// audit trail and the outbox apply to it alike; the attachment is built by
// the whatsapp package, which owns the template's URL form.
func (h *Handler) sendTemplate(w http.ResponseWriter, r *http.Request, a *agent) {
	id := pathConvID(r)
	d := templateDraft{Name: strings.TrimSpace(formValue(r, "name")), Language: strings.TrimSpace(formValue(r, "language")),
		Body: formText(r, "body"), Header: formValue(r, "header")}
	c, err := h.conversationOf(r.Context(), a, r)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	if c.Channel != care.ChannelWhatsApp {
		h.renderError(w, r, a, care.Errorf(care.EINVALID, "Templates are sent on WhatsApp conversations only."))
		return
	}
	t := whatsapp.Template{Name: d.Name, Language: d.Language, Header: d.Header}
	if body := strings.TrimSpace(d.Body); body != "" {
		for line := range strings.SplitSeq(body, "\n") {
			t.Body = append(t.Body, whatsapp.TemplateParam{Value: line})
		}
	}
	att := t.Attachment()
	// Checked here as well as by the adapter on send, so a mistyped name
	// is refused with WhatsApp's rules even while no adapter is wired in.
	if _, err = whatsapp.ParseTemplate(att); err == nil {
		_, err = h.Desk.Reply(r.Context(), a.Principal, id, desk.Reply{Text: templateText(t), Visibility: care.Private,
			Attachments: []care.Attachment{att}})
	}
	if err != nil {
		d.Error = h.safeMessage(r, err)
		h.refused(w, r, a, err, func(cv *convView) { cv.Template, cv.TemplateOpen = d, true })
		return
	}
	back(w, r, id)
}

// templateText is what the conversation shows for a template: Parley does
// not know the approved wording, so it names the template and the values
// that filled it in.
func templateText(t whatsapp.Template) string {
	var b strings.Builder
	b.WriteString("[Template " + t.Name + " · " + t.Language + "]")
	if t.Header != "" {
		b.WriteString("\n" + t.Header)
	}
	for _, p := range t.Body {
		b.WriteString("\n" + p.Value)
	}
	return b.String()
}
