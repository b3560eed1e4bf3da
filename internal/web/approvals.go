package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
)

// The approvals page is the approvers' queue (see docs/approvals.md): the
// public replies a rule held, oldest first, each with what it answers, who
// wrote it, why it was held and when approvers should have decided. An
// approver sends a reply as written or edited, or rejects it with a reason
// its author reads. Supervisors and admins approve; agents do not see the
// page.

// approvalView is one held reply on the approvals page.
type approvalView struct {
	ID         care.ID
	ConvHref   string
	Customer   string
	Channel    string
	ChannelKey string
	Answers    string // the customer's message the reply answers
	Author     string
	When       string
	WhenTitle  string
	Due        string // "Due in 12m", "Overdue by 3m"
	DueTitle   string
	Overdue    bool
	Reasons    []string
	Text       string
	Rule       countRule
	// Reason is a rejection's reason that was refused, kept in its box;
	// Error says what was wrong with this reply's approval or rejection.
	Reason string
	Error  string
	// Own is the viewer's own reply: a second person approves it, so the
	// page offers only withdrawing it.
	Own bool
}

type approvalsPage struct {
	layout
	Items     []approvalView
	Overdue   int
	MaxReason int // bytes of a rejection's reason
}

// approvalCount counts the replies waiting for approval, for the
// navigation: "" for none, "100+" past countCap. A member of a partner
// team counts those desk.Approvals shows them.
func (h *Handler) approvalCount(ctx context.Context, a *agent) (string, error) {
	var n int
	if a.Scoped() {
		held, err := h.Desk.Approvals(ctx, a.Principal)
		if err != nil {
			return "", err
		}
		n = len(held)
	} else {
		msgs, err := h.Store.PendingApprovals(ctx, a.WorkspaceID, countCap+1)
		if err != nil {
			return "", err
		}
		n = len(msgs)
	}
	switch {
	case n == 0:
		return "", nil
	case n > countCap:
		return strconv.Itoa(countCap) + "+", nil
	}
	return strconv.Itoa(n), nil
}

func mayApprove(a *agent) error {
	if !a.CanApprove() {
		return care.Errorf(care.EFORBIDDEN, "Only supervisors and admins approve replies.")
	}
	return nil
}

func (h *Handler) approvals(w http.ResponseWriter, r *http.Request, a *agent) {
	if err := mayApprove(a); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	p := approvalsPage{layout: layout{Title: "Approvals", Page: "approvals", Agent: a}}
	switch r.URL.Query().Get("done") {
	case "approved":
		p.Notice = "Approved: the reply is on its way."
	case "rejected":
		p.Notice = "Rejected: the reply will not be sent, and its author has a note saying why."
	}
	h.showApprovals(w, r, a, http.StatusOK, p, nil)
}

// showApprovals renders the queue; edit, if set, changes a reply's view
// (to put back a refused edit or reason with what was wrong).
func (h *Handler) showApprovals(w http.ResponseWriter, r *http.Request, a *agent, status int, p approvalsPage, edit func(*approvalView)) {
	ctx := r.Context()
	held, err := h.Desk.Approvals(ctx, a.Principal)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	// The navigation counts what the page shows.
	switch n := len(held); {
	case n > countCap:
		a.Approvals = strconv.Itoa(countCap) + "+"
	case n > 0:
		a.Approvals = strconv.Itoa(n)
	default:
		a.Approvals = ""
	}
	p.MaxReason = desk.MaxReasonBytes
	now := h.now()
	names := map[care.ID]string{a.UserID: "You"}
	convs := map[care.ID]*care.Conversation{}
	customers := map[care.ID]string{}
	for _, ap := range held {
		m := &ap.Message
		v := approvalView{ID: m.ID, ConvHref: "/c/" + strconv.FormatInt(m.ConversationID, 10), Author: h.authorName(ctx, m, names),
			When: ago(m.CreatedAt, now), WhenTitle: stamp(m.CreatedAt), Overdue: ap.Overdue, DueTitle: stamp(ap.Due), Text: m.Text,
			Own: m.AuthorID == a.UserID}
		if ap.Overdue {
			v.Due = "Overdue by " + duration(now.Sub(ap.Due))
			p.Overdue++
		} else {
			v.Due = "Due in " + duration(ap.Due.Sub(now)+time.Minute-1)
		}
		for reason := range strings.SplitSeq(m.StatusReason, "; ") {
			if reason = plain(reason); reason != "" {
				v.Reasons = append(v.Reasons, reason)
			}
		}
		c, ok := convs[m.ConversationID]
		if !ok {
			if c, err = h.Store.Conversation(ctx, m.ConversationID); err != nil {
				h.renderError(w, r, a, err)
				return
			}
			convs[m.ConversationID] = c
		}
		v.Channel, v.ChannelKey = channelName(c.Channel), string(c.Channel)
		v.Rule = composerRules(h.convCapabilities(ctx, c)).ruleFor(m.Visibility)
		if v.Customer, ok = customers[c.ContactID]; !ok {
			v.Customer = "Contact " + strconv.FormatInt(c.ContactID, 10)
			if contact, err := h.Store.Contact(ctx, c.ContactID); err == nil {
				v.Customer = contactName(contact)
			}
			customers[c.ContactID] = v.Customer
		}
		if m.ReplyToPlatformID != "" {
			if parent, err := h.Store.MessageByPlatformID(ctx, m.InboxID, m.ReplyToPlatformID); err == nil {
				v.Answers = excerpt(parent.Text, 280)
			}
		}
		if edit != nil {
			edit(&v)
		}
		p.Items = append(p.Items, v)
	}
	h.render(w, r, status, "approvals", p)
}

// approve sends a held reply, with the approver's edit when the text was
// changed.
func (h *Handler) approve(w http.ResponseWriter, r *http.Request, a *agent) {
	h.decide(w, r, a, func(ctx context.Context, m *care.Message) (func(*approvalView), error) {
		text := formText(r, "text")
		var edit *string
		if text != strings.ReplaceAll(m.Text, "\r\n", "\n") {
			edit = &text
		}
		_, err := h.Desk.Approve(ctx, a.Principal, m.ID, edit)
		return func(v *approvalView) { v.Text = text }, err
	}, "approved")
}

// reject refuses a held reply, with the reason its author will read.
func (h *Handler) reject(w http.ResponseWriter, r *http.Request, a *agent) {
	h.decide(w, r, a, func(ctx context.Context, m *care.Message) (func(*approvalView), error) {
		reason := formText(r, "reason")
		_, err := h.Desk.Reject(ctx, a.Principal, m.ID, reason)
		return func(v *approvalView) { v.Reason = reason }, err
	}, "rejected")
}

// decide runs an approver's decision on the held reply {mid}: back to the
// queue when it is done; the queue again with what was wrong, beside the
// reply, when it is refused.
func (h *Handler) decide(w http.ResponseWriter, r *http.Request, a *agent, fn func(context.Context, *care.Message) (func(*approvalView), error), done string) {
	if err := mayApprove(a); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	ctx := r.Context()
	mid, ok := messageID(r)
	if !ok {
		h.renderError(w, r, a, care.Errorf(care.ENOTFOUND, "Message not found."))
		return
	}
	m, err := h.visibleMessage(ctx, a, mid)
	if care.ErrorCode(err) == care.ENOTFOUND {
		h.renderError(w, r, a, care.MessageNotFound())
		return
	} else if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	keep, err := fn(ctx, m)
	switch care.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/approvals?done="+done, http.StatusSeeOther)
	case care.EINVALID, care.EUNAVAILABLE, care.EFORBIDDEN:
		// Refused for this reply alone (its own author may not approve
		// it): said beside it, with the rest of the queue still workable.
		status := http.StatusUnprocessableEntity
		if care.ErrorCode(err) == care.EFORBIDDEN {
			status = http.StatusForbidden
		}
		msg := h.safeMessage(r, err)
		h.showApprovals(w, r, a, status, approvalsPage{layout: layout{Title: "Approvals", Page: "approvals", Agent: a}},
			func(v *approvalView) {
				if v.ID == mid {
					keep(v)
					v.Error = msg
				}
			})
	case care.ECONFLICT:
		// Another approver decided first: the queue as it is now says so.
		h.showApprovals(w, r, a, http.StatusConflict, approvalsPage{layout: layout{Title: "Approvals", Page: "approvals", Agent: a,
			Error: care.ErrorMessage(err) + " Another approver may have decided on it."}}, nil)
	default:
		h.renderError(w, r, a, err)
	}
}
