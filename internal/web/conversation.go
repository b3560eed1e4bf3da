package web

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/phone"
)

// maxTimeline is how many of a conversation's newest messages the page
// shows; older ones are counted, not rendered.
const maxTimeline = 300

// convView is a rendered conversation.
type convView struct {
	ID        care.ID
	ListQuery string
	BackHref  string
	Name      string
	// Subject is the email's subject or what a comment is on ("Comment
	// on Facebook post …"), "" for chats.
	Subject    string
	Channel    string
	ChannelKey string
	Inbox      string
	Status     string
	StatusKey  string
	Resolved   bool
	Snoozed    string
	Assignee   string
	Colleagues []colleague
	// Team is the conversation's team, "" for none; Teams the teams it
	// can be handed to.
	Team  string
	Teams []colleague
	// Escalation is the second team the conversation was escalated to, ""
	// for none, with the rule's note saying why and a link to it.
	Escalation     string
	EscalationNote string
	EscalationHref string
	AssignedToMe   bool
	// ConfirmResolve asks before resolving while the customer waits for
	// an answer.
	ConfirmResolve bool
	Tags           []tagView
	Priority       string
	Reasons        string
	Waiting        string
	Due            *dueView
	Items          []item
	Earlier        int // messages not shown
	Contact        contactView
	// Composer.
	CanPublic bool
	PublicDef bool // the reply defaults to public
	// Rules are how the channel's platform counts a reply, for the
	// composer's counter.
	Rules replyRules
	// NoReply, on a channel Parley cannot answer, says what to do
	// instead; the composer offers notes only.
	NoReply string
	// PublicRefusal and PrivateRefusal are what the platform's rules say
	// now to any reply of that visibility (a messaging window closed, an
	// opt-out), shown above the composer before the agent writes.
	PublicRefusal, PrivateRefusal string
	// Saved are the saved replies offered on the channel, filled in for
	// the contact and the agent.
	Saved      []savedOption
	Draft      string
	DraftNote  string
	ReplyError string
	NoteError  string
	// Templates offers the "Send a template" form (WhatsApp), open when
	// a free-form reply would be refused or a template just was; Template
	// is a refused one, as typed, with the reason.
	Templates    bool
	TemplateOpen bool
	Template     templateDraft
}

// item is one message of the timeline.
type item struct {
	ID         care.ID
	Kind       string // in, out, note
	Visibility string // public, private, note
	Author     string
	When       string
	WhenTitle  string
	Body       body
	Status     string // delivery, for our replies
	Reason     string
	CanRetry   bool
	Deleted    bool
	Reactions  []string // the customers' emoji, in the order given
	// CanTakePrivate and CanModerate offer "take it private" and
	// hide/unhide/delete on a customer's public message.
	CanTakePrivate bool
	CanModerate    bool
	// CanDelete offers taking back our own public reply on the platform.
	CanDelete bool
	// Hidden: a moderator hid the comment on the platform.
	Hidden bool
	Linked bool // from another conversation: the linked one, or the contact's others
	// Elsewhere names and links the conversation a message comes from when
	// it is not this one.
	Elsewhere *elsewhereView
	Files     []file
	// Formatted is the address of the message's HTML version, shown on
	// demand beside its text; "" when it has none.
	Formatted string
}

type file struct {
	Name, Href string
}

// colleague is someone a conversation can be assigned to, or a team. For
// a person, Note says whether they are there and how much of this kind of
// work they hold, so that whoever assigns by hand sees who has room.
type colleague struct {
	ID   care.ID
	Name string
	Note string
	Full bool
	// here orders online (0), away (1), offline (2); used is the share
	// of places in use.
	here int
	used float64
}

type contactView struct {
	Name       string
	Identities []identityView
	Others     []otherConv

	// The merge form: the conversation it posts to, the search and what it
	// found, and the merge just made (with its undo for supervisors).
	ConvID     care.ID
	CSRF       string
	List       string
	MergeQuery string
	Searched   bool
	Candidates []mergeCandidate
	// Suggested are contacts that are probably this person: the email
	// address a web chat visitor gave is another contact's email.
	Suggested []mergeCandidate
	Merged    care.ID
	CanUndo   bool
	// CanMerge offers merging at all: merging spans the workspace's
	// contacts, which a member of a partner team does not see.
	CanMerge bool
}

type identityView struct {
	// Call is a tel: link for an identity that is a phone number; the
	// template trusts it, as phone.CallLink builds it only from a valid
	// E.164 number.
	Call      template.URL
	Platform  string
	Handle    string
	Name      string
	Followers string
	Verified  bool
}

type otherConv struct {
	Href, Channel, Status, StatusKey, When, Excerpt string
}

type conversationPage struct {
	layout
	List listView
	Conv convView
}

// conversationOf loads the request's conversation {id}; another
// workspace's, or one outside the agent's scope, is not found.
func (h *Handler) conversationOf(ctx context.Context, a *agent, r *http.Request) (*care.Conversation, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, care.ConversationNotFound()
	}
	return h.loadConversation(ctx, a, id)
}

func (h *Handler) conversation(w http.ResponseWriter, r *http.Request, a *agent) {
	h.showConversation(w, r, a, http.StatusOK, nil)
}

// showConversation renders the conversation page; edit, if set, puts a
// refused draft back in the composer with the reason.
func (h *Handler) showConversation(w http.ResponseWriter, r *http.Request, a *agent, status int, edit func(*convView)) {
	ctx := r.Context()
	c, err := h.conversationOf(ctx, a, r)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	if err := h.readConversation(ctx, a, c.ID); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	lp := listFrom(r)
	cv, err := h.convOf(ctx, a, c, lp)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	if cv.Saved, err = h.savedFor(ctx, a, c); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	cv.Contact.ConvID, cv.Contact.CSRF, cv.Contact.List = c.ID, a.CSRF, lp.query()
	cv.Contact.CanMerge = !a.Scoped()
	cv.Contact.CanUndo = a.CanApprove() && cv.Contact.CanMerge
	cv.Contact.Merged = positiveID(r.URL.Query().Get("merged"))
	if q := strings.TrimSpace(r.URL.Query().Get("merge_q")); q != "" && len(q) <= care.MaxSearchQuery && cv.Contact.CanMerge {
		cv.Contact.MergeQuery, cv.Contact.Searched = q, true
		if cv.Contact.Candidates, err = h.mergeCandidates(ctx, a, c.ContactID, q); err != nil {
			h.renderError(w, r, a, err)
			return
		}
	}
	if edit != nil {
		edit(&cv)
	}
	if cv.Templates {
		h.offerTemplates(ctx, c, &cv.Template)
	}
	lv, err := h.listOf(ctx, a, lp, c.ID)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	// The script refreshes the page on the linked conversation's events
	// too; one outside the scope is not named to it.
	linked := c.LinkedID
	if linked != 0 && a.Scoped() {
		if _, err := h.loadConversation(ctx, a, linked); err != nil {
			linked = 0
		}
	}
	h.render(w, r, status, "conversation", conversationPage{
		layout: layout{Title: cv.Name, Page: "conversation", Agent: a, ConvID: c.ID, Linked: linked}, List: lv, Conv: cv})
}

// conversationFragment is the live part of the conversation (header and
// timeline), for refresh when its events arrive.
func (h *Handler) conversationFragment(w http.ResponseWriter, r *http.Request, a *agent) {
	ctx := r.Context()
	c, err := h.conversationOf(ctx, a, r)
	if err != nil {
		http.Error(w, care.ErrorMessage(err), httpStatus(err))
		return
	}
	cv, err := h.convOf(ctx, a, c, listFrom(r))
	if err != nil {
		http.Error(w, h.safeMessage(r, err), httpStatus(err))
		return
	}
	h.renderFragment(w, r, "conversation", "live", conversationPage{layout: layout{Agent: a, ConvID: c.ID}, Conv: cv})
}

// listFrom reads the list parameters a conversation page carries: from the
// query string, or from a form's "list" field.
func listFrom(r *http.Request) listParams {
	if r.Method == http.MethodPost {
		q, _ := url.ParseQuery(formValue(r, "list"))
		return parseListParams(q)
	}
	lp := parseListParams(r.URL.Query())
	lp.Cursor = ""
	return lp
}

// convOf renders a conversation.
func (h *Handler) convOf(ctx context.Context, a *agent, c *care.Conversation, lp listParams) (convView, error) {
	now := h.now()
	cv := convView{ID: c.ID, ListQuery: lp.query(), BackHref: withQuery("/", lp.query()),
		Channel: channelName(c.Channel), ChannelKey: string(c.Channel),
		Status: statusName(c.Status), StatusKey: string(c.Status), Resolved: c.Status == care.StatusResolved,
		Tags: tagViews(c.Tags), Subject: truncate(plain(c.Subject), 200)}
	in, err := h.Store.Inbox(ctx, c.InboxID)
	if err == nil {
		cv.Inbox = plain(in.Name)
	}
	if err != nil || in.Channel != c.Channel {
		in = &care.Inbox{Channel: c.Channel}
	}
	// What the channel can do, as its adapter declares for this inbox.
	caps := h.capabilities(*in)
	cv.CanPublic, cv.Rules, cv.NoReply = caps.PublicAndPrivate, composerRules(caps), caps.NoReply
	if c.Status == care.StatusSnoozed && c.SnoozedUntil != nil {
		cv.Snoozed = c.SnoozedUntil.In(h.location()).Format("Mon 2 Jan 15:04")
	}
	names := map[care.ID]string{a.UserID: "You"}
	if c.AssigneeID != 0 {
		cv.Assignee = h.userName(ctx, c.AssigneeID, names)
		cv.AssignedToMe = c.AssigneeID == a.UserID
	}
	// The teams it can be handed to, for the Team menu. A member of a
	// partner team is offered their own teams only: the workspace's other
	// teams, like its other conversations, are not theirs to see.
	ts, err := h.Store.Teams(ctx, c.WorkspaceID)
	if err == nil {
		for _, t := range ts {
			if t.ID == c.EscalationTeamID {
				cv.Escalation = plain(t.Name)
			}
			if t.ID == c.TeamID {
				cv.Team = plain(t.Name)
				continue
			}
			if a.Scope == nil || slices.Contains(a.Scope.Teams, t.ID) {
				cv.Teams = append(cv.Teams, colleague{ID: t.ID, Name: plain(t.Name)})
			}
		}
	}
	// Colleagues the conversation can be handed to, for the Assign menu:
	// for a member of a partner team, the members of their teams.
	var teammates map[care.ID]bool
	if a.Scope != nil {
		teammates = map[care.ID]bool{}
		for _, t := range inScope(a, ts) {
			for _, id := range t.MemberIDs {
				teammates[id] = true
			}
		}
	}
	// Agents lists only enabled accounts: a disabled one cannot sign in.
	if agents, err := h.Store.Agents(ctx, c.WorkspaceID); err == nil {
		kind := care.KindOf(c.Channel)
		for _, ag := range agents {
			if ag.UserID == a.UserID || ag.UserID == c.AssigneeID || (teammates != nil && !teammates[ag.UserID]) {
				continue
			}
			names[ag.UserID] = plain(ag.Name)
			load, capacity := ag.Load[kind], ag.Capacity[kind]
			cl := colleague{ID: ag.UserID, Name: names[ag.UserID], Full: load >= capacity,
				Note: fmt.Sprintf("%s · %d of %d %s", ag.Presence, load, capacity, kind), here: 2, used: 1}
			switch ag.Presence {
			case care.PresenceOnline:
				cl.here = 0
			case care.PresenceAway:
				cl.here = 1
			}
			if capacity > 0 {
				cl.used = float64(load) / float64(capacity)
			}
			cv.Colleagues = append(cv.Colleagues, cl)
		}
		// Who can take it now comes first: online before away before
		// offline, then the one with the most room.
		slices.SortStableFunc(cv.Colleagues, func(x, y colleague) int {
			return cmp.Or(cmp.Compare(x.here, y.here), cmp.Compare(x.used, y.used))
		})
	}
	if cv.Escalation != "" {
		cv.EscalationNote, cv.EscalationHref = h.escalationNote(ctx, c)
	}
	// A resolved conversation is not ranked any more (only open ones are
	// recomputed): its last priority and "SLA due in" would mislead.
	if c.Priority > 0 && c.Status != care.StatusResolved {
		cv.Priority = strconv.FormatFloat(c.Priority, 'f', 0, 64)
		for i, reason := range c.PriorityReasons {
			if i > 0 {
				cv.Reasons += ", "
			}
			cv.Reasons += plain(reason)
		}
	}
	if c.WaitingSince != nil && c.Status != care.StatusResolved {
		cv.Waiting = duration(now.Sub(*c.WaitingSince))
	}
	cv.Due = slaDue(c, now)
	contact, err := h.Store.Contact(ctx, c.ContactID)
	if err != nil {
		return convView{}, err
	}
	cv.Name = contactName(contact)
	cv.Contact = contactView{Name: cv.Name}
	for _, idn := range contact.Identities {
		cv.Contact.Identities = append(cv.Contact.Identities, identityView{Platform: channelName(idn.Platform),
			Handle: atHandle(plain(idn.Handle)), Name: plain(idn.DisplayName), Followers: followers(idn.Followers, h.capabilities(care.Inbox{Channel: idn.Platform}).Followers), Verified: idn.Verified,
			Call: callLink(idn)})
	}
	// Suggestions name other contacts, and lead to a merge: not for a
	// member of a partner team.
	if !a.Scoped() {
		if cv.Contact.Suggested, err = h.sameEmail(ctx, contact); err != nil {
			return convView{}, err
		}
	}
	others, err := h.Store.Conversations(ctx, care.ConversationFilter{WorkspaceID: a.WorkspaceID, ContactID: c.ContactID, Scope: a.Scope, Limit: 11})
	if err != nil {
		return convView{}, err
	}
	for _, o := range others.Conversations {
		if o.ID == c.ID || len(cv.Contact.Others) == 10 {
			continue
		}
		oc := otherConv{Href: withQuery("/c/"+strconv.FormatInt(o.ID, 10), lp.query()), Channel: channelName(o.Channel),
			Status: statusName(o.Status), StatusKey: string(o.Status), When: ago(o.LastActivityAt, now)}
		if m, err := h.lastMessage(ctx, &o); err == nil && m != nil {
			oc.Excerpt = excerpt(m.Text, 80)
		}
		cv.Contact.Others = append(cv.Contact.Others, oc)
	}

	msgs, earlier, convs, err := h.timeline(ctx, a.Scope, c)
	if err != nil {
		return convView{}, err
	}
	cv.Earlier = earlier
	// defVis is the visibility a reply goes out with when the agent has
	// no choice: the customer's newest message here, as the desk picks it.
	defVis := care.Private
	for i := range msgs {
		m := &msgs[i]
		it := item{ID: m.ID, Kind: string(m.Direction), Visibility: string(m.Visibility), When: ago(m.CreatedAt, now),
			WhenTitle: stamp(m.CreatedAt), Body: renderBody(m.Text), Deleted: m.DeletedAt != nil, Linked: m.ConversationID != c.ID,
			Hidden:    m.HiddenAt != nil && m.DeletedAt == nil,
			Elsewhere: elsewhere(c, convs[m.ConversationID], lp),
			Reactions: reactionEmoji(m.Reactions)}
		switch {
		case m.Visibility == care.Note:
			it.Kind, it.Author = "note", h.authorName(ctx, m, names)
		case m.Direction == care.DirectionOut:
			it.Author = h.authorName(ctx, m, names)
			it.Status, it.Reason = string(m.Status), plain(m.StatusReason)
			it.CanRetry = m.Status == care.DeliveryFailed && !it.Linked
			if h.Desk != nil && m.Visibility == care.Public && m.PlatformID != "" && m.DeletedAt == nil && !it.Linked &&
				(m.Status == care.DeliverySent || m.Status == care.DeliveryDelivered || m.Status == care.DeliveryRead) {
				_, it.CanDelete = h.Desk.Adapters.Moderator(c.Channel)
			}
		default:
			it.Author = cv.Name
			if m.Direction == care.DirectionIn {
				cv.PublicDef = m.Visibility == care.Public
				if !it.Linked {
					defVis = m.Visibility
				}
				public := m.Visibility == care.Public && m.DeletedAt == nil && !it.Linked
				// Taking it private needs a private side to move to:
				// a Google review, a YouTube or WordPress comment has none.
				it.CanTakePrivate = public && cv.CanPublic
				// Hide and Delete act on the customer's words, which
				// some platforms never let a business remove (a Google
				// review): only where the adapter moderates comments.
				if h.Desk != nil {
					_, mod := h.Desk.Adapters.Moderator(c.Channel)
					it.CanModerate = public && mod && caps.Moderation == channel.ModerationComments
				}
			}
		}
		var fetch bool
		if h.Desk != nil {
			_, fetch = h.Desk.Adapters.MediaFetcher(convs[m.ConversationID].Channel)
		}
		for n, f := range m.Attachments {
			if f.Kind == kindHTML {
				// Not a file: the message's own formatting.
				it.Formatted = h.formattedHref(convs[m.ConversationID].Channel, m)
				continue
			}
			fv := fileOf(f)
			if fv.Href == "" && fetch && m.Direction == care.DirectionIn && strings.Contains(f.URL, ":") && !strings.HasPrefix(f.URL, "geo:") {
				// Held by the platform: Parley fetches it for the agent.
				fv.Href = "/c/" + strconv.FormatInt(m.ConversationID, 10) + "/media/" + strconv.FormatInt(m.ID, 10) + "/" + strconv.Itoa(n)
			}
			it.Files = append(it.Files, fv)
		}
		cv.Items = append(cv.Items, it)
	}
	cv.PublicDef = cv.PublicDef && cv.CanPublic
	if cv.NoReply == "" && c.Status != care.StatusResolved {
		// Asked of the adapter's own rules, as a reply would be; a failed
		// read only leaves the hint out, and sending still checks.
		// Only the replies the composer can send are asked about: where
		// there is no Public/Private choice, a warning about the other
		// visibility (a Google review's "private reply would be refused")
		// names something the agent cannot do anyway.
		vis := []care.Visibility{defVis}
		if cv.CanPublic {
			vis = []care.Visibility{care.Private, care.Public}
		}
		if r, err := h.Desk.ReplyRefusals(ctx, a.Principal, c.ID, vis...); err == nil {
			cv.PrivateRefusal, cv.PublicRefusal = r[care.Private], r[care.Public]
		}
	}
	cv.Templates = c.Channel == care.ChannelWhatsApp && cv.NoReply == ""
	cv.TemplateOpen = cv.Templates && cv.PrivateRefusal != ""
	return cv, nil
}

// authorName names who wrote our message or note.
func (h *Handler) authorName(ctx context.Context, m *care.Message, names map[care.ID]string) string {
	if m.AuthorID != 0 {
		return h.userName(ctx, m.AuthorID, names)
	}
	if n := plain(m.AuthorName); n != "" {
		return n
	}
	return "Parley"
}

// fileOf describes an attachment; only an http(s) address becomes a link.
func fileOf(a care.Attachment) file {
	name := plain(a.Name)
	if name == "" {
		name = plain(a.Kind)
	}
	if name == "" {
		name = "attachment"
	}
	f := file{Name: truncate(name, 80)}
	if linkable(a.URL) {
		f.Href = a.URL
	}
	return f
}

// maxHistory is how many of the contact's other conversations the
// timeline draws from, newest first.
const maxHistory = 20

// timeline is the contact's history across every channel, oldest first:
// the newest maxTimeline messages of this conversation, its linked one and
// the contact's other conversations, those the scope sees. It also returns
// how many older ones are left out, and the conversations the messages
// come from.
func (h *Handler) timeline(ctx context.Context, scope *care.Scope, c *care.Conversation) ([]care.Message, int, map[care.ID]care.Conversation, error) {
	convs := map[care.ID]care.Conversation{c.ID: *c}
	ids := []care.ID{c.ID}
	if c.LinkedID != 0 {
		if l, err := h.Store.Conversation(ctx, c.LinkedID); err == nil && l.WorkspaceID == c.WorkspaceID && scope.Sees(l) {
			convs[l.ID] = *l
			ids = append(ids, l.ID)
		}
	}
	page, err := h.Store.Conversations(ctx, care.ConversationFilter{WorkspaceID: c.WorkspaceID, ContactID: c.ContactID, Scope: scope, Limit: maxHistory + 2})
	if err != nil {
		return nil, 0, nil, err
	}
	for _, o := range page.Conversations {
		if _, ok := convs[o.ID]; !ok && len(ids) < maxHistory+2 {
			convs[o.ID] = o
			ids = append(ids, o.ID)
		}
	}
	msgs, err := h.Store.RecentMessages(ctx, ids, maxTimeline)
	if err != nil {
		return nil, 0, nil, err
	}
	total := 0
	for _, cv := range convs {
		total += cv.MessageCount
	}
	slices.SortStableFunc(msgs, func(a, b care.Message) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return msgs, max(total-len(msgs), 0), convs, nil
}

func idTarget(kind string, id care.ID) string { return kind + ":" + strconv.FormatInt(id, 10) }

// reactionEmoji lists the emoji of a message's reactions.
func reactionEmoji(rs []care.Reaction) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Emoji)
	}
	return out
}

// elsewhereView is where a message of the contact's history was written.
type elsewhereView struct {
	Label, Href string
}

// elsewhere describes the conversation o for a message shown in c's
// timeline; nil when o is c.
func elsewhere(c *care.Conversation, o care.Conversation, lp listParams) *elsewhereView {
	if o.ID == 0 || o.ID == c.ID {
		return nil
	}
	label := channelName(o.Channel)
	if o.ID == c.LinkedID {
		label += " · linked conversation"
	} else {
		label += " · " + strings.ToLower(statusName(o.Status)) + " conversation"
	}
	return &elsewhereView{Label: label, Href: withQuery("/c/"+strconv.FormatInt(o.ID, 10), lp.query())}
}

// callLink is a click-to-call link for an identity that is a phone number
// (phone calls and SMS in E.164, WhatsApp as its digits), "" otherwise.
func callLink(idn care.Identity) template.URL {
	switch idn.Platform {
	case care.ChannelPhone, care.ChannelSMS:
		return template.URL(phone.CallLink(idn.PlatformUserID))
	case care.ChannelWhatsApp:
		return template.URL(phone.CallLink("+" + idn.PlatformUserID))
	}
	return ""
}

// escalationAudits is how far back in a conversation's audit trail its
// escalation's note is looked for.
const escalationAudits = 200

// escalationNote is the note of the rule that escalated c to its
// escalation team, and the link to it in the timeline; "" when the trail
// no longer holds it nearby. Only escalated conversations pay for the read.
func (h *Handler) escalationNote(ctx context.Context, c *care.Conversation) (note, href string) {
	entries, err := h.Store.Audit(ctx, c.WorkspaceID, "conversation:"+strconv.FormatInt(c.ID, 10), escalationAudits)
	if err != nil {
		return "", ""
	}
	for _, e := range entries {
		if e.Action != "automation.escalate" {
			continue
		}
		var d struct {
			TeamID    care.ID `json:"team_id"`
			Note      string  `json:"note"`
			MessageID care.ID `json:"message_id"`
		}
		if json.Unmarshal(e.Details, &d) != nil || d.TeamID != c.EscalationTeamID {
			return "", ""
		}
		if d.MessageID != 0 {
			href = "#m" + strconv.FormatInt(d.MessageID, 10)
		}
		return plain(d.Note), href
	}
	return "", ""
}
