package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// The inboxes pages let admins connect accounts and see how each is doing:
// the health line (last event, last send, last error, the platform's rate
// budget, billed messages), the webhook URL and the values to paste into
// the platform's console. Creating an inbox goes through the same code as
// POST /api/v1/inboxes.

type inboxRow struct {
	ID                        care.ID
	Name, Channel, ChannelKey string
	ExternalID                string
	LastEvent, LastSend       string
	LastError, LastErrorAt    string
	// ErrorPast is an error the inbox has worked since: a send or an
	// event came after it. It stays listed, not alarming.
	ErrorPast        bool
	RateLimit, Spend string
}

type inboxesPage struct {
	layout
	Inboxes  []inboxRow
	Channels []option
	// The connect form, kept when refused.
	Form connectForm
	// Shown after creating or opening one inbox.
	Detail *inboxDetail
	// X is the "Connect an X account" form (xconnect.go).
	X xConnectView
}

type connectForm struct {
	Channel, Name, ExternalID, WebhookURL, Credentials string
}

type inboxDetail struct {
	inboxRow
	WebhookURL    string
	Instructions  []channel.Instruction
	Token         string // an API inbox's, shown once
	WebhookSecret string // an API inbox's, shown once
	// An API inbox takes no platform's webhooks: a developer needs where
	// to post customers' messages and where agents' replies go ("" when
	// the admin gave no webhook URL, and replies cannot be delivered).
	API                  bool
	IntakeURL, RepliesTo string
}

// detailOf is an inbox's page: its health and how to finish connecting it,
// from the same setup the API serves at /api/v1/inboxes/{id}/setup.
func (h *Handler) detailOf(in *care.Inbox) *inboxDetail {
	d := &inboxDetail{inboxRow: h.inboxRowOf(in)}
	if h.API != nil {
		d.WebhookURL, d.Instructions = h.API.SetupOf(in)
	}
	if in.Channel == care.ChannelAPI {
		d.API, d.RepliesTo = true, in.WebhookURL
		// The setup's webhook URL is where platforms push events, which an
		// API inbox has none of: its messages come in through the API.
		if h.API != nil {
			d.IntakeURL = strings.TrimRight(h.API.PublicURL, "/")
		}
		d.IntakeURL += "/api/v1/inboxes/" + strconv.FormatInt(in.ID, 10) + "/messages"
	}
	return d
}

func (h *Handler) adminOnly(w http.ResponseWriter, r *http.Request, a *agent) bool {
	if !a.Role.AtLeast(care.RoleAdmin) {
		h.renderError(w, r, a, care.Errorf(care.EFORBIDDEN, "Only admins connect and manage inboxes."))
		return false
	}
	return true
}

func (h *Handler) inboxes(w http.ResponseWriter, r *http.Request, a *agent) {
	if !h.adminOnly(w, r, a) {
		return
	}
	h.showInboxes(w, r, a, http.StatusOK, inboxesPage{Form: connectForm{Channel: string(care.ChannelAPI)}})
}

func (h *Handler) showInboxes(w http.ResponseWriter, r *http.Request, a *agent, status int, p inboxesPage) {
	ctx := r.Context()
	ins, err := h.Store.Inboxes(ctx, a.WorkspaceID)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	for i := range ins {
		if h.API != nil {
			if err := h.API.FillSpend(ctx, &ins[i]); err != nil {
				h.renderError(w, r, a, err)
				return
			}
		}
		p.Inboxes = append(p.Inboxes, h.inboxRowOf(&ins[i]))
	}
	if h.Desk != nil {
		for _, ch := range h.Desk.Adapters.Channels() {
			p.Channels = append(p.Channels, option{Value: string(ch), Label: channelName(ch), Selected: string(ch) == p.Form.Channel})
		}
	}
	h.fillXConnect(&p)
	p.layout = layout{Title: "Inboxes", Page: "inboxes", Agent: a, Error: p.Error}
	h.render(w, r, status, "inboxes", p)
}

func (h *Handler) inboxRowOf(in *care.Inbox) inboxRow {
	now := h.now()
	row := inboxRow{ID: in.ID, Name: plain(in.Name), Channel: channelName(in.Channel), ChannelKey: string(in.Channel),
		ExternalID: plain(in.ExternalID), LastError: plain(in.Health.LastError), RateLimit: plain(in.Health.RateLimit), Spend: in.Health.Spend}
	if t := in.Health.LastEventAt; t != nil {
		row.LastEvent = ago(*t, now)
	}
	if t := in.Health.LastSendAt; t != nil {
		row.LastSend = ago(*t, now)
	}
	if t := in.Health.LastErrorAt; t != nil {
		row.LastErrorAt = ago(*t, now)
		after := func(u *time.Time) bool { return u != nil && u.After(*t) }
		row.ErrorPast = after(in.Health.LastSendAt) || after(in.Health.LastEventAt)
	}
	return row
}

// inboxPage shows one inbox: its health and how to finish connecting it.
func (h *Handler) inboxPage(w http.ResponseWriter, r *http.Request, a *agent) {
	if !h.adminOnly(w, r, a) {
		return
	}
	in, err := h.Store.Inbox(r.Context(), positiveID(r.PathValue("id")))
	if care.ErrorCode(err) == care.ENOTFOUND || err == nil && in.WorkspaceID != a.WorkspaceID {
		h.renderError(w, r, a, care.Errorf(care.ENOTFOUND, "Inbox not found."))
		return
	} else if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	h.showInboxes(w, r, a, http.StatusOK, inboxesPage{Detail: h.detailOf(in), Form: connectForm{Channel: string(care.ChannelAPI)}})
}

// connect creates an inbox from the form. The answer is the new inbox's
// page itself, not a redirect: an API inbox's token and webhook secret are
// shown this once.
func (h *Handler) connect(w http.ResponseWriter, r *http.Request, a *agent) {
	if !h.adminOnly(w, r, a) {
		return
	}
	f := connectForm{Channel: formValue(r, "channel"), Name: formValue(r, "name"), ExternalID: strings.TrimSpace(formValue(r, "external_id")),
		WebhookURL: strings.TrimSpace(formValue(r, "webhook_url")), Credentials: formText(r, "credentials")}
	creds, err := parseCredentials(f.Credentials)
	if err == nil {
		var d *inboxDetail
		if d, err = h.connectInbox(r, a, f, creds); err == nil {
			h.showInboxes(w, r, a, http.StatusCreated, inboxesPage{Detail: d, Form: connectForm{Channel: string(care.ChannelAPI)}})
			return
		}
	}
	if httpStatus(err) >= 500 {
		h.renderError(w, r, a, err)
		return
	}
	f.Credentials = "" // never echo secrets back into the page
	p := inboxesPage{Form: f}
	p.Error = h.safeMessage(r, err)
	h.showInboxes(w, r, a, http.StatusUnprocessableEntity, p)
}

func (h *Handler) connectInbox(r *http.Request, a *agent, f connectForm, creds map[string]string) (*inboxDetail, error) {
	if h.API == nil {
		return nil, care.Errorf(care.EUNAVAILABLE, "Connecting inboxes is not available here.")
	}
	res, err := h.API.ConnectInbox(r.Context(), a.Principal, care.Channel(f.Channel), f.Name, f.ExternalID, f.WebhookURL, creds)
	if err != nil {
		return nil, err
	}
	d := h.detailOf(res.Inbox)
	d.Token, d.WebhookSecret = res.Token, res.WebhookSecret
	return d, nil
}

// parseCredentials reads "key = value" lines; blank lines and lines
// starting with # are skipped.
func parseCredentials(text string) (map[string]string, error) {
	out := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, care.Errorf(care.EINVALID, "Credentials line %s is not key = value.", strconv.Itoa(i+1))
		}
		if _, dup := out[k]; dup {
			return nil, care.Errorf(care.EINVALID, "Credential %q is given twice.", k)
		}
		out[k] = v
	}
	return out, nil
}
