package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// Merging contacts from the contact panel: the agent searches for the same
// person under another identity (the email customer who also wrote on X),
// merges them into the conversation's contact with all their history, and
// can undo it from the notice that follows.

// mergeCandidate is a contact the agent may merge into this one.
type mergeCandidate struct {
	ID         care.ID
	Name       string
	Identities string
}

// mergeCandidateLimit bounds the candidates the panel lists.
const mergeCandidateLimit = 8

// mergeCandidates finds contacts other than contactID matching query.
func (h *Handler) mergeCandidates(ctx context.Context, a *agent, contactID care.ID, query string) ([]mergeCandidate, error) {
	if _, err := care.CheckSearch(query, 0); err != nil {
		return nil, nil // the panel says nothing matched; the box keeps the text
	}
	hits, err := h.Store.Search(ctx, a.WorkspaceID, query, 50)
	if err != nil {
		return nil, err
	}
	var out []mergeCandidate
	seen := map[care.ID]bool{contactID: true}
	for _, hit := range hits {
		if seen[hit.ContactID] || len(out) == mergeCandidateLimit {
			continue
		}
		seen[hit.ContactID] = true
		c, err := h.Store.Contact(ctx, hit.ContactID)
		if care.ErrorCode(err) == care.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if c.WorkspaceID != a.WorkspaceID {
			continue
		}
		var ids []string
		for _, idn := range c.Identities {
			s := channelName(idn.Platform)
			if idn.Handle != "" {
				s += " @" + plain(idn.Handle)
			}
			ids = append(ids, s)
		}
		out = append(out, mergeCandidate{ID: c.ID, Name: contactName(c), Identities: strings.Join(ids, ", ")})
	}
	return out, nil
}

// merge folds the chosen contact into the conversation's contact.
func (h *Handler) merge(w http.ResponseWriter, r *http.Request, a *agent) {
	ctx := r.Context()
	c, err := h.conversationOf(ctx, a, r)
	if err == nil {
		// Merging reaches contacts, and conversations, beyond their teams'.
		err = a.Scope.Refuse("merge contacts")
	}
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	other := positiveID(formValue(r, "other"))
	if other == 0 {
		h.renderError(w, r, a, care.Errorf(care.EINVALID, "Choose the contact to merge."))
		return
	}
	m, err := h.Desk.Merge(ctx, a.Principal, c.ContactID, other)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	q := listFrom(r).values()
	q.Set("merged", strconv.FormatInt(m.ID, 10))
	http.Redirect(w, r, withQuery("/c/"+strconv.FormatInt(c.ID, 10), q.Encode()), http.StatusSeeOther)
}

// unmerge undoes a merge made from this conversation's panel.
func (h *Handler) unmerge(w http.ResponseWriter, r *http.Request, a *agent) {
	if err := a.Scope.Refuse("undo contact merges"); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	if !a.CanApprove() {
		h.renderError(w, r, a, care.Errorf(care.EFORBIDDEN, "Only supervisors and admins undo merges."))
		return
	}
	ctx := r.Context()
	c, err := h.conversationOf(ctx, a, r)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	if _, err := h.Desk.Unmerge(ctx, a.Principal, positiveID(formValue(r, "merge"))); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	back(w, r, c.ID)
}

// sameEmail suggests merging the contacts whose email identity is an
// address this contact gave on another channel (a web chat visitor who
// typed their email). The address is the visitor's claim, not proof, so
// Parley suggests and an agent decides.
func (h *Handler) sameEmail(ctx context.Context, c *care.Contact) ([]mergeCandidate, error) {
	var out []mergeCandidate
	for _, idn := range c.Identities {
		addr := strings.ToLower(strings.TrimSpace(idn.Handle))
		if idn.Platform == care.ChannelEmail || !looksLikeEmail(addr) {
			continue
		}
		other, err := h.Store.FindIdentity(ctx, c.WorkspaceID, care.ChannelEmail, addr)
		if care.ErrorCode(err) == care.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if other.ContactID == c.ID || slices.ContainsFunc(out, func(m mergeCandidate) bool { return m.ID == other.ContactID }) {
			continue
		}
		oc, err := h.Store.Contact(ctx, other.ContactID)
		if err != nil {
			return nil, err
		}
		out = append(out, mergeCandidate{ID: oc.ID, Name: contactName(oc), Identities: "Email " + addr + ", as given on " + channelName(idn.Platform)})
	}
	return out, nil
}

// looksLikeEmail is a cheap check that s could be an address: one "@"
// with something before it and a dot after it.
func looksLikeEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && at == strings.LastIndexByte(s, '@') && strings.Contains(s[at+1:], ".") && len(s) <= 254
}
