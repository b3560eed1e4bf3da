package email

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// idPrefix starts the left-hand side of every Message-ID Parley writes,
// "<parley.…@from-domain>", so its own messages are recognised when they
// come back: copied into the mailbox, bounced, or echoed by a list.
const idPrefix = "parley."

// ours reports whether id is a Message-ID Parley wrote for an inbox whose
// from address is in domain.
func ours(id, domain string) bool {
	id = strings.ToLower(id)
	return domain != "" && strings.HasPrefix(id, idPrefix) && strings.HasSuffix(id, "@"+domain)
}

// automatic returns why a message was written by a program rather than a
// person, "" when nothing says so. Answering such mail is how two
// autoresponders end up writing to each other forever (RFC 3834 §2).
func automatic(h mail.Header) string {
	if v := token(h.Get("Auto-Submitted")); v != "" && v != "no" {
		// auto-replied (vacation notices), auto-generated (notifications,
		// DSNs), auto-notified (RFC 5436).
		return "automatic message (Auto-Submitted: " + v + ")"
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder"} {
		if v := h.Get(k); v != "" && token(v) != "no" {
			return "automatic reply (" + k + ")"
		}
	}
	switch v := token(h.Get("Precedence")); v {
	case "bulk", "junk", "list", "auto_reply":
		// A mailing list sets List-Id and, in most cases, Precedence:
		// list; List-Id alone is not enough, since a support address may
		// itself be a group that sets it on every customer's mail.
		return "bulk or list mail (Precedence: " + v + ")"
	}
	if from, ok := firstAddress(h, "From"); ok {
		local, _, _ := strings.Cut(from.PlatformUserID, "@")
		if local == "mailer-daemon" || local == "postmaster" {
			return "a bounce from " + local + " that is not a delivery status notification"
		}
	}
	if strings.TrimSpace(h.Get("Return-Path")) == "<>" {
		return "a message with an empty return path (a bounce or an automatic notice)"
	}
	return ""
}

// token returns the first word of a structured field, lower-cased: "no"
// of "No (a comment)", "auto-replied" of "auto-replied; owner-email=…".
func token(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, " \t;("); i >= 0 {
		v = v[:i]
	}
	return strings.ToLower(channel.Cut(v, 64))
}

// isReport reports whether a message is a delivery status notification
// (RFC 3464): multipart/report; report-type=delivery-status.
func isReport(h message.Header) bool {
	t, params, _ := h.ContentType()
	rt := strings.ToLower(params["report-type"])
	return strings.EqualFold(t, "multipart/report") && (rt == "delivery-status" || rt == "global-delivery-status")
}

// bounce reads a delivery status notification as a status event of the
// message it reports on, if that message is one of Parley's: failed with
// the remote server's diagnostic, or delivered. Anything else (a delay
// notice, a report on mail Parley did not send) is skipped.
func (p *parsed) bounce(b *body, me identity) {
	action, reason := dsnOutcome(b.status)
	orig := returnedID(b.returned)
	switch {
	case orig == "":
		p.skip = "a delivery status notification without the returned message's Message-ID"
		return
	case !ours(orig, me.domain):
		p.skip = "a delivery status notification about a message Parley did not send (" + orig + ")"
		return
	}
	var status care.DeliveryStatus
	switch action {
	case "failed":
		status = care.DeliveryFailed
		reason = "bounced: " + reason
	case "delivered", "relayed", "expanded":
		status, reason = care.DeliveryDelivered, ""
	default:
		p.skip = "a delivery status notification with action " + action + " (a delay, not a failure)"
		return
	}
	p.in = care.Inbound{Kind: care.KindStatus, PlatformID: orig, Status: status, SentAt: p.in.SentAt,
		StatusReason: channel.Cut(reason, care.MaxNameBytes)}
}

// dsnOutcome reads the message/delivery-status part: groups of fields, the
// first about the message, one per recipient after it (RFC 3464 §2). It
// returns the action of the first failed recipient (else the first
// recipient) and a reason: the diagnostic code without its type ("smtp;"),
// else the status code.
func dsnOutcome(status []byte) (action, reason string) {
	if status == nil {
		return "", ""
	}
	r := bufio.NewReader(bytes.NewReader(append(status, "\r\n\r\n"...)))
	for i := 0; i < 50; i++ {
		h, err := textproto.ReadHeader(r)
		if err != nil {
			break
		}
		a := token(h.Get("Action"))
		if a == "" {
			continue // the per-message group, or an empty one
		}
		why := h.Get("Diagnostic-Code")
		if _, after, ok := strings.Cut(why, ";"); ok {
			why = after
		}
		why = channel.Excerpt([]byte(why), 300)
		if why == "" {
			why = "status " + channel.Excerpt([]byte(h.Get("Status")), 20)
		}
		if action == "" || a == "failed" && action != "failed" {
			action, reason = a, why
		}
		if a == "failed" {
			break
		}
	}
	return action, reason
}

// returnedID returns the Message-ID of the message a DSN returns (its
// message/rfc822 or text/rfc822-headers part).
func returnedID(returned []byte) string {
	if returned == nil {
		return ""
	}
	// text/rfc822-headers need not end with the blank line that ends a
	// header; add one.
	e, _ := message.Read(bytes.NewReader(append(returned, "\r\n\r\n"...)))
	if e == nil {
		return ""
	}
	h := mail.Header{Header: e.Header}
	id, err := h.MessageID()
	if err != nil || !validID(id) {
		if ids := looseIDs(h.Get("Message-Id")); len(ids) > 0 && validID(ids[0]) {
			return ids[0]
		}
		return ""
	}
	return id
}
