package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/desk"
)

// Every action answers with a redirect to the conversation (post, redirect,
// get), so reloading the page never sends a form twice. A refused reply or
// note comes back in its composer with the reason.

// back redirects to the conversation the form was posted from, keeping the
// list beside it as it was.
func back(w http.ResponseWriter, r *http.Request, id care.ID) {
	target := withQuery("/c/"+strconv.FormatInt(id, 10), listFrom(r).query())
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func pathConvID(r *http.Request) care.ID {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

func (h *Handler) reply(w http.ResponseWriter, r *http.Request, a *agent) {
	id, text := pathConvID(r), formText(r, "text")
	vis := care.Visibility(formValue(r, "visibility"))
	if vis != care.Public && vis != care.Private {
		vis = ""
	}
	if err := h.checkScope(r.Context(), a, r); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	files, err := h.uploads(r, a)
	if err == nil {
		_, err = h.Desk.Reply(r.Context(), a.Principal, id, desk.Reply{Text: text, Visibility: vis, Attachments: files})
	}
	if err != nil {
		h.refused(w, r, a, err, func(cv *convView) {
			cv.Draft, cv.ReplyError = text, h.safeMessage(r, err)
			if vis != "" {
				cv.PublicDef = vis == care.Public
			}
		})
		return
	}
	back(w, r, id)
}

func (h *Handler) note(w http.ResponseWriter, r *http.Request, a *agent) {
	id, text := pathConvID(r), formText(r, "text")
	if err := h.checkScope(r.Context(), a, r); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	if _, err := h.Desk.Note(r.Context(), a.Principal, id, text); err != nil {
		h.refused(w, r, a, err, func(cv *convView) { cv.DraftNote, cv.NoteError = text, h.safeMessage(r, err) })
		return
	}
	back(w, r, id)
}

// refused shows the conversation again with the refused text in place; an
// error that is not about the text (a conversation of another workspace)
// gets the error page.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, a *agent, err error, edit func(*convView)) {
	if care.ErrorCode(err) != care.EINVALID && care.ErrorCode(err) != care.EUNAVAILABLE {
		h.renderError(w, r, a, err)
		return
	}
	h.showConversation(w, r, a, http.StatusUnprocessableEntity, edit)
}

// update applies a change to the conversation and goes back to it; to
// the list, when the change took it out of the agent's scope (a partner
// member let go of one that was theirs by assignment alone), where it
// would only be "not found" now.
func (h *Handler) update(w http.ResponseWriter, r *http.Request, a *agent, u care.ConversationUpdate) {
	id := pathConvID(r)
	if err := h.checkScope(r.Context(), a, r); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	c, err := h.Desk.Update(r.Context(), a.Principal, id, u)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	if !a.Scope.Sees(c) {
		http.Redirect(w, r, withQuery("/", listFrom(r).query()), http.StatusSeeOther)
		return
	}
	back(w, r, id)
}

func (h *Handler) setStatus(w http.ResponseWriter, r *http.Request, a *agent) {
	s := care.Status(formValue(r, "status"))
	if s != care.StatusOpen && s != care.StatusPending && s != care.StatusResolved {
		h.renderError(w, r, a, care.Errorf(care.EINVALID, "Choose open, pending or resolved."))
		return
	}
	if s == care.StatusResolved && formValue(r, "confirm") != "1" {
		c, err := h.conversationOf(r.Context(), a, r)
		if err != nil {
			h.renderError(w, r, a, err)
			return
		}
		// Resolving stops the customer's wait without an answer: the web
		// asks first, the API (a deliberate call) does not.
		if c.Status == care.StatusOpen && c.WaitingSince != nil {
			h.showConversation(w, r, a, http.StatusConflict, func(cv *convView) { cv.ConfirmResolve = true })
			return
		}
	}
	h.update(w, r, a, care.ConversationUpdate{Status: &s})
}

// snooze hides the conversation for an hour or until nine tomorrow morning.
func (h *Handler) snooze(w http.ResponseWriter, r *http.Request, a *agent) {
	now := h.now().In(h.location())
	var until time.Time
	switch formValue(r, "until") {
	case "1h":
		until = now.Add(time.Hour)
	case "tomorrow":
		y, m, d := now.AddDate(0, 0, 1).Date()
		until = time.Date(y, m, d, 9, 0, 0, 0, now.Location())
	case "at":
		// A datetime-local field is a wall-clock time without a zone: the
		// script sends the browser's own zone beside it, so 9:00 means the
		// agent's 9:00; without it, the server's.
		loc := now.Location()
		if tz := formValue(r, "tz"); tz != "" && len(tz) < 64 {
			if l, err := time.LoadLocation(tz); err == nil {
				loc = l
			}
		}
		t, err := time.ParseInLocation("2006-01-02T15:04", formValue(r, "at"), loc)
		if err != nil {
			h.renderError(w, r, a, care.Errorf(care.EINVALID, "Choose the day and time to snooze until."))
			return
		}
		until = t
	default:
		h.renderError(w, r, a, care.Errorf(care.EINVALID, "Snooze for an hour, until tomorrow or until a time you choose."))
		return
	}
	s := care.StatusSnoozed
	h.update(w, r, a, care.ConversationUpdate{Status: &s, SnoozedUntil: &until})
}

// assign takes the conversation ("me"), lets it go ("none"), or hands it to
// a colleague (their user id; the desk checks they are a member).
func (h *Handler) assign(w http.ResponseWriter, r *http.Request, a *agent) {
	var to care.ID
	switch v := formValue(r, "assignee"); v {
	case "me":
		to = a.UserID
	case "none":
	default:
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			h.renderError(w, r, a, care.Errorf(care.EINVALID, "Assign to yourself, a colleague or nobody."))
			return
		}
		to = id
	}
	h.update(w, r, a, care.ConversationUpdate{AssigneeID: &to})
}

// team hands the conversation to a team (its id) or to none ("none"); the
// desk checks the team is the workspace's.
func (h *Handler) team(w http.ResponseWriter, r *http.Request, a *agent) {
	var to care.ID
	if v := formValue(r, "team"); v != "none" {
		if to = positiveID(v); to == 0 {
			h.renderError(w, r, a, care.Errorf(care.EINVALID, "Choose a team, or none."))
			return
		}
	}
	h.update(w, r, a, care.ConversationUpdate{TeamID: &to})
}

// tag adds the tags in "add" (comma-separated) and removes the one in
// "remove".
func (h *Handler) tag(w http.ResponseWriter, r *http.Request, a *agent) {
	c, err := h.conversationOf(r.Context(), a, r)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	tags := slices.Clone(c.Tags)
	for t := range strings.SplitSeq(formValue(r, "add"), ",") {
		if strings.TrimSpace(t) == "" {
			continue
		}
		n := care.NormalizeTag(t)
		if n == "" {
			h.renderError(w, r, a, care.Errorf(care.EINVALID, "A tag is up to 64 bytes, without commas or control characters."))
			return
		}
		if !slices.Contains(tags, n) {
			tags = append(tags, n)
		}
	}
	if rm := care.NormalizeTag(formValue(r, "remove")); rm != "" {
		tags = slices.DeleteFunc(tags, func(t string) bool { return t == rm })
	}
	h.update(w, r, a, care.ConversationUpdate{Tags: &tags})
}

// retry queues a failed reply again.
func (h *Handler) retry(w http.ResponseWriter, r *http.Request, a *agent) {
	mid, err := strconv.ParseInt(r.PathValue("mid"), 10, 64)
	if err != nil || mid <= 0 {
		h.renderError(w, r, a, care.MessageNotFound())
		return
	}
	if err := h.checkMessageScope(r.Context(), a, r); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	if _, err := h.Desk.Retry(r.Context(), a.Principal, mid); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	back(w, r, pathConvID(r))
}

// messageID reads the {mid} of a message action.
func messageID(r *http.Request) (care.ID, bool) {
	mid, err := strconv.ParseInt(r.PathValue("mid"), 10, 64)
	return mid, err == nil && mid > 0
}

// takePrivate answers a public message with a public acknowledgement and a
// private message, in one step.
func (h *Handler) takePrivate(w http.ResponseWriter, r *http.Request, a *agent) {
	mid, ok := messageID(r)
	if !ok {
		h.renderError(w, r, a, care.Errorf(care.ENOTFOUND, "Message not found."))
		return
	}
	id := pathConvID(r)
	if err := h.checkMessageScope(r.Context(), a, r); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	t := desk.TakePrivate{MessageID: mid, PublicText: formText(r, "public_text"), PrivateText: formText(r, "private_text")}
	if _, err := h.Desk.TakePrivate(r.Context(), a.Principal, id, t); err != nil {
		h.refused(w, r, a, err, func(cv *convView) { cv.ReplyError = h.safeMessage(r, err) })
		return
	}
	back(w, r, id)
}

// moderate hides, unhides or deletes a public comment on its platform.
func (h *Handler) moderate(w http.ResponseWriter, r *http.Request, a *agent) {
	mid, ok := messageID(r)
	if !ok {
		h.renderError(w, r, a, care.MessageNotFound())
		return
	}
	if err := h.checkMessageScope(r.Context(), a, r); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	if _, err := h.Desk.Moderate(r.Context(), a.Principal, mid, channel.ModerationAction(formValue(r, "action"))); err != nil {
		h.refused(w, r, a, err, func(cv *convView) { cv.ReplyError = h.safeMessage(r, err) })
		return
	}
	back(w, r, pathConvID(r))
}
