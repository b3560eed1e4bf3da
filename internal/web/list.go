package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/parleyhq/parley/internal/care"
)

// listParams are a conversation list's view, filters and position, read
// leniently from the query string: an unknown value means the default, so a
// stale bookmark still opens.
type listParams struct {
	View    string // mine, unassigned, all
	Status  string // open, pending, snoozed, resolved, all
	Channel care.Channel
	Team    care.ID // a team's view; 0 for none
	Inbox   care.ID
	Tag     string
	MinPrio int // conversations from this priority up; 0 for all
	Sort    care.Sort
	Cursor  string
}

// prioFloors are the priority filter's choices.
var prioFloors = []int{50, 70, 90}

const (
	defaultView   = "all"
	defaultStatus = "open"
	defaultSort   = care.SortNewest
	pageSize      = 50
)

func parseListParams(q url.Values) listParams {
	lp := listParams{View: defaultView, Status: defaultStatus, Sort: defaultSort, Cursor: q.Get("cursor")}
	switch v := q.Get("view"); v {
	case "mine", "unassigned", "all":
		lp.View = v
	}
	switch s := q.Get("status"); s {
	case "all":
		lp.Status = s
	default:
		if care.Status(s).Valid() {
			lp.Status = s
		}
	}
	if c := care.Channel(q.Get("channel")); c.Valid() {
		lp.Channel = c
	}
	lp.Team, lp.Inbox = positiveID(q.Get("team")), positiveID(q.Get("inbox"))
	lp.Tag = care.NormalizeTag(q.Get("tag"))
	if p, err := strconv.Atoi(q.Get("prio")); err == nil && slices.Contains(prioFloors, p) {
		lp.MinPrio = p
	}
	switch s := care.Sort(q.Get("sort")); s {
	case care.SortNewest, care.SortPriority, care.SortWaiting:
		lp.Sort = s
	}
	if len(lp.Cursor) > 200 {
		lp.Cursor = ""
	}
	return lp
}

// values encodes the parameters, defaults left out, without the cursor.
func (lp listParams) values() url.Values {
	v := url.Values{}
	if lp.View != defaultView {
		v.Set("view", lp.View)
	}
	if lp.Status != defaultStatus {
		v.Set("status", lp.Status)
	}
	if lp.Channel != "" {
		v.Set("channel", string(lp.Channel))
	}
	if lp.Team != 0 {
		v.Set("team", strconv.FormatInt(lp.Team, 10))
	}
	if lp.Inbox != 0 {
		v.Set("inbox", strconv.FormatInt(lp.Inbox, 10))
	}
	if lp.Tag != "" {
		v.Set("tag", lp.Tag)
	}
	if lp.MinPrio != 0 {
		v.Set("prio", strconv.Itoa(lp.MinPrio))
	}
	if lp.Sort != defaultSort {
		v.Set("sort", string(lp.Sort))
	}
	return v
}

// query is the canonical query string of the list, without the cursor.
func (lp listParams) query() string { return lp.values().Encode() }

func withQuery(path, q string) string {
	if q == "" {
		return path
	}
	return path + "?" + q
}

// filter is the store query for the list as seen by a: within a's scope,
// for a member of a partner team, so the list and every count beside it
// leave out what they may not see.
func (lp listParams) filter(a *agent) care.ConversationFilter {
	f := care.ConversationFilter{WorkspaceID: a.WorkspaceID, Channel: lp.Channel, TeamID: lp.Team, InboxID: lp.Inbox,
		Tag: lp.Tag, Sort: lp.Sort, After: lp.Cursor, Limit: pageSize, Scope: a.Scope}
	if lp.MinPrio != 0 {
		p := float64(lp.MinPrio)
		f.MinPriority = &p
	}
	switch lp.View {
	case "mine":
		f.AssigneeID = a.UserID
	case "unassigned":
		f.AssigneeID = -1
	}
	if lp.Status != "all" {
		f.Statuses = []care.Status{care.Status(lp.Status)}
	}
	return f
}

// listView is a rendered conversation list.
type listView struct {
	Query    string // canonical list query, carried by conversation links
	Views    []tab
	Statuses []option
	Channels []option
	Inboxes  []option
	Prios    []option
	Sorts    []option
	Params   listParams
	Rows     []row
	Older    string
	First    string // back to the first page, when paging
	Current  care.ID
	Empty    string
}

type tab struct {
	Label, Count, Href string
	Active             bool
	// Team marks a team's view, after Mine, Unassigned and All.
	Team bool
}

type option struct {
	Value, Label string
	Selected     bool
}

// row is one conversation in the list.
type row struct {
	ID              care.ID
	Href            string
	Name            string
	Channel         string
	ChannelKey      string
	Status          string
	StatusKey       string
	Prefix          string // "You:", "Note:" before the excerpt
	Excerpt         string
	When, WhenTitle string
	Waiting         string
	WaitingTitle    string
	Due             *dueView
	Priority        string
	PriorityReasons string
	High            bool
	Tags            []tagView
	Assignee        string
	Escalated       string // the team it was escalated to, "" for none
	Current         bool
	Unanswered      bool
}

// listOf loads and renders the list for lp.
func (h *Handler) listOf(ctx context.Context, a *agent, lp listParams, current care.ID) (listView, error) {
	page, err := h.Store.Conversations(ctx, lp.filter(a))
	if care.ErrorCode(err) == care.EINVALID && lp.Cursor != "" {
		// A cursor from another sort order or an older build: start over.
		lp.Cursor = ""
		page, err = h.Store.Conversations(ctx, lp.filter(a))
	}
	if err != nil {
		return listView{}, err
	}
	lv := listView{Query: lp.query(), Params: lp, Current: current}
	for _, v := range []struct{ key, label string }{{"mine", "Mine"}, {"unassigned", "Unassigned"}, {"all", "All"}} {
		cp := lp
		cp.View, cp.Team, cp.Cursor = v.key, 0, ""
		n, err := h.countConversations(ctx, cp.filter(a))
		if err != nil {
			return listView{}, err
		}
		lv.Views = append(lv.Views, tab{Label: v.label, Count: n, Href: withQuery("/", cp.query()), Active: lp.Team == 0 && lp.View == v.key})
	}
	teams, err := h.viewTeams(ctx, a)
	if err != nil {
		return listView{}, err
	}
	for _, t := range teams {
		cp := lp
		cp.View, cp.Team, cp.Cursor = defaultView, t.ID, ""
		n, err := h.countConversations(ctx, cp.filter(a))
		if err != nil {
			return listView{}, err
		}
		lv.Views = append(lv.Views, tab{Label: plain(t.Name), Count: n, Href: withQuery("/", cp.query()), Active: lp.Team == t.ID, Team: true})
	}
	inboxes, err := h.Store.Inboxes(ctx, a.WorkspaceID)
	if err != nil {
		return listView{}, err
	}
	lv.Inboxes = append(lv.Inboxes, option{Value: "", Label: "All inboxes", Selected: lp.Inbox == 0})
	for _, in := range inboxes {
		cp := lp
		cp.Inbox, cp.Cursor = in.ID, ""
		n, err := h.countConversations(ctx, cp.filter(a))
		if err != nil {
			return listView{}, err
		}
		lv.Inboxes = append(lv.Inboxes, option{Value: strconv.FormatInt(in.ID, 10),
			Label: plain(in.Name) + " · " + channelName(in.Channel) + " (" + n + ")", Selected: lp.Inbox == in.ID})
	}
	lv.Prios = append(lv.Prios, option{Value: "", Label: "Any priority", Selected: lp.MinPrio == 0})
	for _, p := range prioFloors {
		lv.Prios = append(lv.Prios, option{Value: strconv.Itoa(p), Label: "P" + strconv.Itoa(p) + " and up", Selected: lp.MinPrio == p})
	}
	for _, s := range []string{"open", "pending", "snoozed", "resolved", "all"} {
		label := "All statuses"
		if s != "all" {
			label = statusName(care.Status(s))
		}
		lv.Statuses = append(lv.Statuses, option{Value: s, Label: label, Selected: lp.Status == s})
	}
	lv.Channels = append(lv.Channels, option{Value: "", Label: "All channels", Selected: lp.Channel == ""})
	chans, err := h.channels(ctx, a.WorkspaceID)
	if err != nil {
		return listView{}, err
	}
	if lp.Channel != "" && !slices.Contains(chans, lp.Channel) {
		chans = append(chans, lp.Channel)
	}
	for _, c := range chans {
		lv.Channels = append(lv.Channels, option{Value: string(c), Label: channelName(c), Selected: lp.Channel == c})
	}
	for _, s := range []struct {
		v     care.Sort
		label string
	}{{care.SortNewest, "Newest"}, {care.SortPriority, "Priority"}, {care.SortWaiting, "Waiting longest"}} {
		lv.Sorts = append(lv.Sorts, option{Value: string(s.v), Label: s.label, Selected: lp.Sort == s.v})
	}
	names, teamNames := map[care.ID]string{a.UserID: "You"}, map[care.ID]string{}
	for _, t := range teams {
		if n := plain(t.Name); n != "" {
			teamNames[t.ID] = n
		}
	}
	for _, c := range page.Conversations {
		r, err := h.rowOf(ctx, a, &c, lv.Query, names, teamNames)
		if err != nil {
			return listView{}, err
		}
		r.Current = c.ID == current
		lv.Rows = append(lv.Rows, r)
	}
	if page.Next != "" {
		v := lp.values()
		v.Set("cursor", page.Next)
		lv.Older = withQuery("/", v.Encode())
	}
	if lp.Cursor != "" {
		lv.First = withQuery("/", lv.Query)
	}
	if len(lv.Rows) == 0 {
		lv.Empty = emptyText(lp)
	}
	return lv, nil
}

func emptyText(lp listParams) string {
	switch {
	case lp.Cursor != "":
		return "No older conversations."
	case lp.View == "mine" && lp.Status == "open":
		return "Nothing assigned to you is open. Take one from Unassigned."
	case lp.Status == "open":
		return "No open conversations. New messages appear here as they arrive."
	}
	return "No conversations match these filters."
}

// rowOf renders one conversation of the list; names and teams remember the
// users' and teams' names the list has read.
func (h *Handler) rowOf(ctx context.Context, a *agent, c *care.Conversation, listQuery string, names, teams map[care.ID]string) (row, error) {
	now := h.now()
	r := row{ID: c.ID, Href: withQuery("/c/"+strconv.FormatInt(c.ID, 10), listQuery),
		Channel: channelName(c.Channel), ChannelKey: string(c.Channel),
		Status: statusName(c.Status), StatusKey: string(c.Status),
		When: ago(c.LastActivityAt, now), WhenTitle: stamp(c.LastActivityAt),
		Tags: tagViews(c.Tags)}
	contact, err := h.Store.Contact(ctx, c.ContactID)
	if err != nil {
		return row{}, err
	}
	r.Name = contactName(contact)
	if c.WaitingSince != nil && c.Status != care.StatusResolved {
		r.Waiting = duration(now.Sub(*c.WaitingSince))
		r.WaitingTitle = "Waiting for a reply since " + stamp(*c.WaitingSince)
	}
	r.Due = slaDue(c, now)
	if c.Priority > 0 && c.Status != care.StatusResolved {
		r.Priority = strconv.FormatFloat(c.Priority, 'f', 0, 64)
		r.High = c.Priority >= 70
		for i, reason := range c.PriorityReasons {
			if i > 0 {
				r.PriorityReasons += ", "
			}
			r.PriorityReasons += plain(reason)
		}
	}
	if c.AssigneeID != 0 {
		r.Assignee = h.userName(ctx, c.AssigneeID, names)
	}
	if c.EscalationTeamID != 0 {
		r.Escalated = h.teamName(ctx, c.EscalationTeamID, teams)
	}
	m, err := h.lastMessage(ctx, c)
	if err != nil {
		return row{}, err
	}
	if m != nil {
		r.Excerpt = excerpt(m.Text, 140)
		switch {
		case m.Visibility == care.Note:
			r.Prefix = "Note:"
		case m.Direction == care.DirectionOut:
			r.Prefix = "You:"
			if m.AuthorID != a.UserID && m.AuthorName != "" {
				r.Prefix = plain(m.AuthorName) + ":"
			}
		}
		if r.Excerpt == "" && len(m.Attachments) > 0 {
			r.Excerpt = "Attachment"
		}
	}
	return r, nil
}

// userName is a user's display name, looked up once per render.
func (h *Handler) userName(ctx context.Context, id care.ID, names map[care.ID]string) string {
	if n, ok := names[id]; ok {
		return n
	}
	n := "User " + strconv.FormatInt(id, 10)
	if u, err := h.Store.User(ctx, id); err == nil {
		n = plain(u.Name)
	}
	names[id] = n
	return n
}

// teamName is a team's name for the list, read once per list.
func (h *Handler) teamName(ctx context.Context, id care.ID, teams map[care.ID]string) string {
	if n, ok := teams[id]; ok {
		return n
	}
	n := "Team " + strconv.FormatInt(id, 10)
	if t, err := h.Store.Team(ctx, id); err == nil && plain(t.Name) != "" {
		n = plain(t.Name)
	}
	teams[id] = n
	return n
}

// contactName is what a contact is called: their name, else their first
// identity's display name or handle, else "Contact 12".
func contactName(c *care.Contact) string {
	if n := personName(c); n != "" {
		return n
	}
	return "Contact " + strconv.FormatInt(c.ID, 10)
}

// channels lists the channels of the workspace's inboxes, for the filter.
func (h *Handler) channels(ctx context.Context, workspaceID care.ID) ([]care.Channel, error) {
	ins, err := h.Store.Inboxes(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	var out []care.Channel
	for _, in := range ins {
		if !slices.Contains(out, in.Channel) {
			out = append(out, in.Channel)
		}
	}
	slices.Sort(out)
	return out, nil
}

// countCap is how far the approvals badge counts; viewCap, the views'.
const (
	countCap = 100
	viewCap  = 1000
)

func (h *Handler) countConversations(ctx context.Context, f care.ConversationFilter) (string, error) {
	n, err := h.Store.CountConversations(ctx, f, viewCap)
	if err != nil {
		return "", err
	}
	if n >= viewCap {
		return strconv.Itoa(viewCap) + "+", nil
	}
	return strconv.Itoa(n), nil
}

// viewTeams are the teams whose views an agent sees: their own, or every
// team for supervisors and admins, except a member of a partner team,
// supervisor or not, who sees their own teams only.
func (h *Handler) viewTeams(ctx context.Context, a *agent) ([]care.Team, error) {
	teams, err := h.Store.Teams(ctx, a.WorkspaceID)
	if err != nil {
		return nil, err
	}
	if a.Scoped() {
		return inScope(a, teams), nil
	}
	if a.CanApprove() {
		return teams, nil
	}
	mine := teams[:0]
	for _, t := range teams {
		if slices.Contains(t.MemberIDs, a.UserID) {
			mine = append(mine, t)
		}
	}
	return mine, nil
}

// positiveID reads an id from a query value, 0 for anything else.
func positiveID(s string) care.ID {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

type inboxPage struct {
	layout
	List listView
}

func (h *Handler) inbox(w http.ResponseWriter, r *http.Request, a *agent) {
	lv, err := h.listOf(r.Context(), a, parseListParams(r.URL.Query()), 0)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	h.render(w, r, http.StatusOK, "inbox", inboxPage{layout: layout{Title: "Inbox", Page: "inbox", Agent: a}, List: lv})
}

// listFragment is the list alone, for live refresh. ?current= marks the
// conversation open beside it.
func (h *Handler) listFragment(w http.ResponseWriter, r *http.Request, a *agent) {
	current, _ := strconv.ParseInt(r.URL.Query().Get("current"), 10, 64)
	lv, err := h.listOf(r.Context(), a, parseListParams(r.URL.Query()), current)
	if err != nil {
		http.Error(w, h.safeMessage(r, err), httpStatus(err))
		return
	}
	h.renderFragment(w, r, "inbox", "list", lv)
}

// tagView is a tag as shown (Label) and as stored (Value, for removing it).
type tagView struct {
	Label, Value string
}

func tagViews(tags []string) []tagView {
	out := make([]tagView, 0, len(tags))
	for _, t := range tags {
		out = append(out, tagView{Label: plain(t), Value: t})
	}
	return out
}
