package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/savedreply"
)

// savedOption is a saved reply in the composer's picker, its variables
// already filled in for the conversation and the agent.
type savedOption struct {
	ID   int64
	Name string
	Text string
}

// savedSets remembers each workspace's parsed saved replies with the
// document they came from: the document is read on every conversation page,
// parsing it again only when it changed.
type savedSets struct {
	mu sync.Mutex
	m  map[care.ID]savedSet
}

type savedSet struct {
	doc []byte
	set *savedreply.Set
	err error
}

// maxSavedSets bounds the memory of savedSets; past it, it starts over.
const maxSavedSets = 1000

// savedReplies returns the workspace's saved replies, nil if it has none.
// A document that does not parse (written before its check was in place)
// offers none, and is logged once.
func (h *Handler) savedReplies(ctx context.Context, ws care.ID) (*savedreply.Set, error) {
	doc, err := h.Store.Setting(ctx, ws, savedreply.SettingName)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	c := &h.saved
	c.mu.Lock()
	e, ok := c.m[ws]
	c.mu.Unlock()
	if ok && bytes.Equal(e.doc, doc) {
		return e.set, nil
	}
	e = savedSet{doc: doc}
	if e.set, e.err = savedreply.Parse(doc); e.err != nil {
		h.logger().WarnContext(ctx, "web: saved replies do not parse", "workspace", ws, "err", e.err)
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxSavedSets {
		c.m = make(map[care.ID]savedSet)
	}
	c.m[ws] = e
	c.mu.Unlock()
	return e.set, nil
}

// savedVars are the variables' values for a conversation's contact and the
// signed-in agent.
func (h *Handler) savedVars(ctx context.Context, a *agent, contact *care.Contact) savedreply.Vars {
	v := savedreply.Vars{ContactName: personName(contact), AgentName: a.Name}
	if ws, err := h.Store.Workspace(ctx, a.WorkspaceID); err == nil {
		v.Brand = ws.Name
	}
	return v
}

// personName is what a contact is called: their name, else their first
// identity's display name or handle; "" when none is known.
func personName(c *care.Contact) string {
	if n := plain(c.Name); n != "" {
		return n
	}
	for _, id := range c.Identities {
		if n := plain(id.DisplayName); n != "" {
			return n
		}
		if n := atHandle(plain(id.Handle)); n != "" {
			return n
		}
	}
	return ""
}

// atHandle is a handle as people write it, with one "@": some platforms
// store it with its "@" (Mastodon's "@user@host"), and an API inbox passes
// on whatever its caller sent. A phone number (WhatsApp, SMS: "+4477…")
// or an email address (web chat, email) is shown as it is. "" stays "".
func atHandle(h string) string {
	if h == "" || strings.HasPrefix(h, "@") || strings.HasPrefix(h, "+") || strings.Contains(h, "@") {
		return h
	}
	return "@" + h
}

// savedFor returns the saved replies offered on a conversation's channel,
// filled in for its contact and the agent.
func (h *Handler) savedFor(ctx context.Context, a *agent, c *care.Conversation) ([]savedOption, error) {
	set, err := h.savedReplies(ctx, a.WorkspaceID)
	if err != nil || set == nil {
		return nil, err
	}
	replies := set.For(c.Channel)
	if len(replies) == 0 {
		return nil, nil
	}
	contact, err := h.Store.Contact(ctx, c.ContactID)
	if err != nil {
		return nil, err
	}
	v := h.savedVars(ctx, a, contact)
	out := make([]savedOption, 0, len(replies))
	for _, r := range replies {
		out = append(out, savedOption{ID: r.ID, Name: r.Name, Text: savedreply.Render(r.Text, v)})
	}
	return out, nil
}

// insertSaved puts a saved reply into the composer, after what the agent
// had written, for a browser without the script (which inserts it in
// place).
func (h *Handler) insertSaved(w http.ResponseWriter, r *http.Request, a *agent) {
	draft := formText(r, "text")
	vis := care.Visibility(formValue(r, "visibility"))
	id, _ := strconv.ParseInt(formValue(r, "saved"), 10, 64)
	h.showConversation(w, r, a, http.StatusOK, func(cv *convView) {
		var text string
		for _, o := range cv.Saved {
			if o.ID == id {
				text = o.Text
			}
		}
		cv.Draft = draft
		if vis == care.Public || vis == care.Private {
			cv.PublicDef = vis == care.Public && cv.CanPublic
		}
		if text == "" {
			cv.ReplyError = "That saved reply is not offered here any more; choose another."
			return
		}
		if strings.TrimSpace(draft) != "" {
			text = strings.TrimRight(draft, " \t\n") + "\n\n" + text
		}
		cv.Draft = text
	})
}
