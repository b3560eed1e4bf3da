package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
	"github.com/parleyhq/parley/internal/desk"
)

// templateListTimeout bounds reading an account's template list while a
// page waits: past it the form asks for the template by name instead.
const templateListTimeout = 5 * time.Second

// templateDraft is the "Send a template" form of a WhatsApp conversation,
// kept as typed when the template is refused.
type templateDraft struct {
	Name, Language, Body, Header string
	HeaderLink                   string
	Error                        string
	// Values are the parameters typed into a chosen template's fields,
	// by placeholder.
	Values map[string]string

	// Choices are the approved templates of the inbox's WhatsApp Business
	// Account, when Parley can read them; the form then offers them by
	// name rather than asking for one.
	Choices []templateChoice
	// Chosen is set once a template is picked: Fields are its body's
	// parameters, one each, labelled with the parameter's name ({{1}} for
	// a positional one); HeaderField its text header's, if any;
	// MediaHeader the kind of its media header (image, video, document),
	// whose link it needs; Preview its approved wording.
	Chosen      bool
	Fields      []templateField
	HeaderField *templateField
	MediaHeader string
	Preview     string
	// ListError says why the account's templates are not offered.
	ListError string
}

type templateChoice struct {
	Value, Label string
	Selected     bool
}

// templateField is one parameter of a chosen template: Name is its
// placeholder, the form field is "p.Name".
type templateField struct {
	Name, Label, Value string
}

// templateSource is the WhatsApp adapter's template list, nil without one.
func (h *Handler) templateSource() whatsapp.TemplateSource {
	if h.Desk == nil {
		return nil
	}
	snd, ok := h.Desk.Adapters.Sender(care.ChannelWhatsApp)
	if !ok {
		return nil
	}
	src, _ := snd.(whatsapp.TemplateSource)
	return src
}

// templateDraftOf reads the form as posted.
func templateDraftOf(r *http.Request) templateDraft {
	d := templateDraft{Name: strings.TrimSpace(formValue(r, "name")), Language: strings.TrimSpace(formValue(r, "language")),
		Body: formText(r, "body"), Header: formValue(r, "header"), HeaderLink: strings.TrimSpace(formValue(r, "header_link"))}
	for k, vs := range r.PostForm {
		if name, ok := strings.CutPrefix(k, "p."); ok && len(vs) > 0 {
			if d.Values == nil {
				d.Values = map[string]string{}
			}
			d.Values[name] = vs[0]
		}
	}
	return d
}

// sendTemplate sends an approved WhatsApp template, the only message
// WhatsApp delivers outside its 24-hour window. It goes the way of any
// reply (desk.Service.Reply), so the platform's rules, approvals, the
// audit trail and the outbox apply to it alike; the attachment is built by
// the whatsapp package, which owns the template's URL form and checks the
// values against the approved template when it can read the account's.
//
// The form has two steps when the account's templates are known: "choose"
// (step=choose, template=NAME/LANGUAGE) shows the chosen template's fields,
// one per parameter; the second sends it.
func (h *Handler) sendTemplate(w http.ResponseWriter, r *http.Request, a *agent) {
	id := pathConvID(r)
	d := templateDraftOf(r)
	c, err := h.conversationOf(r.Context(), a, r)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	if c.Channel != care.ChannelWhatsApp {
		h.renderError(w, r, a, care.Errorf(care.EINVALID, "Templates are sent on WhatsApp conversations only."))
		return
	}
	if formValue(r, "step") == "choose" {
		name, lang, ok := strings.Cut(formValue(r, "template"), "/")
		d = templateDraft{Name: name, Language: lang}
		status := http.StatusOK
		if !ok {
			d, status = templateDraft{Error: "Choose a template."}, http.StatusUnprocessableEntity
		}
		h.showConversation(w, r, a, status, func(cv *convView) { cv.Template, cv.TemplateOpen = d, true })
		return
	}
	in, err := h.Store.Inbox(r.Context(), c.InboxID)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	v := whatsapp.TemplateValues{Name: d.Name, Language: d.Language, Body: d.Values, Header: d.Header, HeaderLink: d.HeaderLink}
	if v.Body == nil {
		// Typed by hand: one value a line, {{1}}, {{2}}, … in order.
		if body := strings.TrimSpace(d.Body); body != "" {
			v.Body = map[string]string{}
			for i, line := range strings.Split(body, "\n") {
				v.Body[strconv.Itoa(i+1)] = line
			}
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), templateListTimeout)
	t, text, err := whatsapp.FillTemplate(ctx, h.templateSource(), *in, v)
	cancel()
	if err == nil {
		_, err = h.Desk.Reply(r.Context(), a.Principal, id, desk.Reply{Text: text, Visibility: care.Private,
			Attachments: []care.Attachment{t.Attachment()}})
	}
	if err != nil {
		d.Error = h.safeMessage(r, err)
		h.refused(w, r, a, err, func(cv *convView) { cv.Template, cv.TemplateOpen = d, true })
		return
	}
	back(w, r, id)
}

// offerTemplates fills the form with the account's approved templates and,
// once one is chosen, its fields. Without them (no waba_id, or WhatsApp
// does not answer in time) the form asks for the template by name.
func (h *Handler) offerTemplates(ctx context.Context, c *care.Conversation, d *templateDraft) {
	src := h.templateSource()
	if src == nil {
		return
	}
	in, err := h.Store.Inbox(ctx, c.InboxID)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, templateListTimeout)
	defer cancel()
	defs, err := src.Templates(ctx, *in, whatsapp.TemplateMaxAge)
	if err != nil {
		if !errors.Is(err, whatsapp.ErrNoTemplateList) {
			h.logger().WarnContext(ctx, "web: reading WhatsApp templates", "inbox", in.ID, "err", err)
			d.ListError = "WhatsApp did not list this number's templates just now: type the template's name."
		}
		return
	}
	slices.SortFunc(defs, func(x, y whatsapp.TemplateDef) int {
		return strings.Compare(x.Name+"/"+x.Language, y.Name+"/"+y.Language)
	})
	for _, def := range defs {
		if !def.Approved() {
			continue
		}
		value := def.Name + "/" + def.Language
		chosen := def.Name == d.Name && def.Language == d.Language
		d.Choices = append(d.Choices, templateChoice{Value: value, Label: def.Name + " · " + def.Language, Selected: chosen})
		if !chosen {
			continue
		}
		d.Chosen = true
		d.Preview = def.BodyText
		if def.HeaderFormat == "TEXT" {
			d.Preview = def.HeaderText + "\n" + def.BodyText
			if len(def.HeaderParams) > 0 {
				d.HeaderField = &templateField{Name: def.HeaderParams[0], Label: paramLabel(def, def.HeaderParams[0]), Value: d.Header}
			}
		}
		switch kind := strings.ToLower(def.HeaderFormat); kind {
		case "image", "video", "document":
			d.MediaHeader = kind
		}
		for _, p := range def.BodyParams {
			d.Fields = append(d.Fields, templateField{Name: p, Label: paramLabel(def, p), Value: d.Values[p]})
		}
	}
	if len(d.Choices) == 0 {
		d.ListError = "This number has no approved templates yet: type the template's name."
	}
}

// paramLabel labels a parameter's field: its name, or {{1}} for a
// positional one.
func paramLabel(def whatsapp.TemplateDef, p string) string {
	if def.Named() {
		return p
	}
	return "{{" + p + "}}"
}
