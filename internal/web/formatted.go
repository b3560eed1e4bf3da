package web

import (
	"context"
	"html"
	"net/http"
	"strconv"

	"github.com/parleyhq/parley/internal/care"
)

// An email's text is what the timeline shows; its HTML version, when it
// has one, is an attachment of kind "html" that the timeline offers as
// "Show original formatting". The adapter fetches it from the mailbox and
// sanitises it (only simple structure, links and the message's own images
// remain); Parley serves it on its own route, in a sandboxed frame, under a
// CSP that allows no script, no connection and no image but data:, so even
// a flaw in the sanitiser runs nothing and loads nothing as the agent.

// kindHTML is the kind of the attachment that stands for a message's HTML
// version (internal/channel/email's KindHTML).
const kindHTML = "html"

// htmlFetcher is implemented by adapters whose messages have an HTML
// version: FetchHTML returns it, by its attachment's URL, as sanitised
// markup.
type htmlFetcher interface {
	FetchHTML(ctx context.Context, in care.Inbox, ref string) (string, error)
}

// formattedCSP is the policy of the formatted view: nothing but its own
// inline style and data: images, framed by Parley's pages only, sandboxed
// even when opened on its own. Links may open a new window (target=_blank,
// without opener), where they leave the sandbox.
const formattedCSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; " +
	"form-action 'none'; sandbox allow-popups allow-popups-to-escape-sandbox"

// formattedHref is the address of a message's formatted view, "" when its
// channel's adapter cannot show one.
func (h *Handler) formattedHref(ch care.Channel, m *care.Message) string {
	if h.Desk == nil || m.Direction != care.DirectionIn {
		return ""
	}
	if s, ok := h.Desk.Adapters.Sender(ch); ok {
		if _, ok := s.(htmlFetcher); ok {
			return "/c/" + strconv.FormatInt(m.ConversationID, 10) + "/messages/" + strconv.FormatInt(m.ID, 10) + "/html"
		}
	}
	return ""
}

// formatted answers GET /c/{id}/messages/{mid}/html with the message's
// HTML version, sanitised by its adapter, as a page of its own for the
// timeline's frame. Failures are shown in the frame, in words.
func (h *Handler) formatted(w http.ResponseWriter, r *http.Request, a *agent) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", formattedCSP)
	hd.Set("X-Frame-Options", "SAMEORIGIN")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "private, no-store")
	hd.Set("Content-Type", "text/html; charset=utf-8")
	body, err := h.formattedBody(r.Context(), a, r)
	status := http.StatusOK
	if err != nil {
		status = httpStatus(err)
		if status >= 500 {
			h.logger().WarnContext(r.Context(), "web: formatted email", "path", r.URL.Path, "err", err)
		}
		body = `<p class="error">` + html.EscapeString(care.ErrorMessage(err)) + `</p>`
	}
	w.WriteHeader(status)
	w.Write([]byte(formattedPage + body + "</body></html>\n"))
}

func (h *Handler) formattedBody(ctx context.Context, a *agent, r *http.Request) (string, error) {
	m, in, err := h.timelineMessage(ctx, a, r)
	if err != nil {
		return "", err
	}
	notFound := care.Errorf(care.ENOTFOUND, "This message has no original formatting to show.")
	if m.Direction != care.DirectionIn {
		// As for media: only the platform's messages hold its references.
		return "", notFound
	}
	ref := ""
	for _, att := range m.Attachments {
		if att.Kind == kindHTML {
			ref = att.URL
			break
		}
	}
	if ref == "" || h.Desk == nil {
		return "", notFound
	}
	s, ok := h.Desk.Adapters.Sender(in.Channel)
	if !ok {
		return "", notFound
	}
	f, ok := s.(htmlFetcher)
	if !ok {
		return "", notFound
	}
	return f.FetchHTML(ctx, *in, ref)
}

// formattedPage begins the formatted view: the email's own look is gone
// with its styles, so it gets plain, readable defaults.
const formattedPage = `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">` +
	`<style>body{margin:8px;font:14px/1.5 system-ui,sans-serif;color:#1f2328;background:#fff;overflow-wrap:anywhere}` +
	`img{max-width:100%;height:auto}table{border-collapse:collapse;max-width:100%}td,th{padding:2px 6px;vertical-align:top}` +
	`blockquote{margin:0 0 0 4px;padding-left:10px;border-left:3px solid #d0d7de;color:#57606a}pre{white-space:pre-wrap}` +
	`.image{color:#57606a;font-size:12px}.error{color:#9a3412}</style></head><body>`
