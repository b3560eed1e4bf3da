package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
)

// The People page shows the workspace's members (role, teams, presence,
// whether their account is disabled) and its teams (members, skills,
// partner and escalation marks). Admins add people, change roles, disable
// and enable accounts and manage teams; supervisors read it; members of a
// partner team, whose view of the workspace stops at their teams, do not
// see it. Every form goes through the same methods as the API's users and
// teams routes (api.Server.AddMember, ChangeMember, CreateTeam,
// ChangeTeam, SetTeamMembers), so the rules (never a workspace without an
// enabled admin, who may mark a partner team) are the API's.

type peoplePage struct {
	layout
	CanEdit bool
	People  []personRow
	Teams   []teamRow
	Roles   []care.Role
	// Everyone is every member, for the teams' member checkboxes.
	Everyone []memberOption
	// Added is the person just added, with the password generated for
	// them: shown this once, as `parley user create` prints it.
	Added *addedPerson
	// The add forms, kept when refused.
	PersonForm personForm
	TeamForm   teamForm
}

type personRow struct {
	ID               care.ID
	Name, Email      string
	Role             care.Role
	Teams            []string
	Presence         string
	Disabled, Self   bool
	RoleOptions      []option
	LastEnabledAdmin bool
}

type teamRow struct {
	ID   care.ID
	Name string
	// EditName is the name as the rename field starts: the stored one
	// without hidden characters, empty rather than "Team 12".
	EditName                    string
	Partner, Escalation         bool
	Languages, Channels, Topics string
	MemberNames                 []string
	Members                     []memberOption
}

type memberOption struct {
	ID      care.ID
	Name    string
	Checked bool
}

type addedPerson struct {
	Name, Email, Password string
}

type personForm struct {
	Name, Email string
	Role        care.Role
}

type teamForm struct {
	Name, Languages, Channels, Topics string
	Partner                           bool
}

// seePeople lets supervisors and admins see the page; partner members
// are refused, as for every page about the whole workspace.
func seePeople(a *agent) error {
	return seeWorkspace(a, "Only supervisors and admins see the people page.", "see the workspace's people")
}

// changePeople lets only admins use the page's forms: a supervisor reads
// it (they can still manage teams through the API, as before).
func changePeople(a *agent) error {
	if err := seePeople(a); err != nil {
		return err
	}
	if !a.IsAdmin() {
		return care.Errorf(care.EFORBIDDEN, "Only admins change people and teams here.")
	}
	return nil
}

func (h *Handler) people(w http.ResponseWriter, r *http.Request, a *agent) {
	if err := seePeople(a); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	p := peoplePage{PersonForm: personForm{Role: care.RoleAgent}}
	p.Notice = map[string]string{
		"role":     "The role was changed.",
		"disabled": "The account is disabled: they are signed out and get no new work. Reassign the conversations still assigned to them.",
		"enabled":  "The account is enabled again; they sign in afresh and set themselves online.",
		"created":  "The team was created.",
		"saved":    "The team was saved.",
		"members":  "The team's members were saved.",
	}[r.URL.Query().Get("done")]
	h.showPeople(w, r, a, http.StatusOK, p)
}

func (h *Handler) showPeople(w http.ResponseWriter, r *http.Request, a *agent, status int, p peoplePage) {
	ctx := r.Context()
	members, err := h.Store.Members(ctx, a.WorkspaceID)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	agents, err := h.Store.Agents(ctx, a.WorkspaceID)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	presence := map[care.ID]care.Presence{}
	for _, ag := range agents {
		presence[ag.UserID] = ag.Presence
	}
	teams, err := h.Store.Teams(ctx, a.WorkspaceID)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	teamsOf := map[care.ID][]string{}
	for _, t := range teams {
		for _, id := range t.MemberIDs {
			teamsOf[id] = append(teamsOf[id], shownTeamName(t))
		}
	}
	names := map[care.ID]string{}
	enabledAdmins := 0
	for _, m := range members {
		u, err := h.Store.User(ctx, m.UserID)
		if err != nil {
			h.renderError(w, r, a, err)
			return
		}
		row := personRow{ID: u.ID, Name: plain(u.Name), Email: u.Email, Role: m.Role, Teams: teamsOf[u.ID],
			Disabled: u.Disabled, Self: u.ID == a.UserID}
		if !u.Disabled {
			row.Presence = string(cmp.Or(presence[u.ID], care.PresenceOffline))
			if m.Role == care.RoleAdmin {
				enabledAdmins++
			}
		}
		for _, role := range roles {
			row.RoleOptions = append(row.RoleOptions, option{Value: string(role), Label: string(role), Selected: role == m.Role})
		}
		names[u.ID] = row.Name
		p.People = append(p.People, row)
	}
	slices.SortStableFunc(p.People, func(x, y personRow) int {
		return cmp.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name))
	})
	for i := range p.People {
		// Said beside the row, so the admin knows before trying why its
		// demote and disable buttons would be refused.
		p.People[i].LastEnabledAdmin = enabledAdmins == 1 && p.People[i].Role == care.RoleAdmin && !p.People[i].Disabled
		p.Everyone = append(p.Everyone, memberOption{ID: p.People[i].ID, Name: p.People[i].Name})
	}
	for _, t := range teams {
		row := teamRow{ID: t.ID, Name: shownTeamName(t), EditName: plain(t.Name), Partner: t.Partner, Escalation: t.Escalation,
			Languages: strings.Join(t.Skills.Languages, ", "), Channels: strings.Join(t.Skills.Channels, ", "),
			Topics: strings.Join(t.Skills.Topics, ", ")}
		for _, o := range p.Everyone {
			in := slices.Contains(t.MemberIDs, o.ID)
			row.Members = append(row.Members, memberOption{ID: o.ID, Name: o.Name, Checked: in})
			if in {
				row.MemberNames = append(row.MemberNames, o.Name)
			}
		}
		p.Teams = append(p.Teams, row)
	}
	p.CanEdit, p.Roles = a.IsAdmin(), roles
	p.layout = layout{Title: "People", Page: "people", Agent: a, Error: p.Error, Notice: p.Notice}
	h.render(w, r, status, "people", p)
}

// shownTeamName is a team's name without hidden characters, "Team 12" when
// nothing else is left.
func shownTeamName(t care.Team) string {
	if n := plain(t.Name); n != "" {
		return n
	}
	return "Team " + strconv.FormatInt(t.ID, 10)
}

var roles = []care.Role{care.RoleAgent, care.RoleSupervisor, care.RoleAdmin}

// refusedPeople shows the page again with why a form was refused; an
// internal failure gets the error page.
func (h *Handler) refusedPeople(w http.ResponseWriter, r *http.Request, a *agent, err error, p peoplePage) {
	if httpStatus(err) >= 500 {
		h.renderError(w, r, a, err)
		return
	}
	p.Error = h.safeMessage(r, err)
	if p.PersonForm.Role == "" {
		p.PersonForm.Role = care.RoleAgent
	}
	status := httpStatus(err)
	if status == http.StatusBadRequest {
		status = http.StatusUnprocessableEntity
	}
	h.showPeople(w, r, a, status, p)
}

func peopleDone(w http.ResponseWriter, r *http.Request, done, anchor string) {
	http.Redirect(w, r, "/people?done="+done+anchor, http.StatusSeeOther)
}

// addPerson adds a member. The answer is the page itself, not a
// redirect: a generated password is shown this once.
func (h *Handler) addPerson(w http.ResponseWriter, r *http.Request, a *agent) {
	if err := changePeople(a); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	f := personForm{Name: formValue(r, "name"), Email: strings.TrimSpace(formValue(r, "email")), Role: care.Role(formValue(r, "role"))}
	u, password, err := h.API.AddMember(r.Context(), a.Principal, f.Email, f.Name, f.Role, "")
	if err != nil {
		h.refusedPeople(w, r, a, err, peoplePage{PersonForm: f})
		return
	}
	p := peoplePage{PersonForm: personForm{Role: care.RoleAgent}, Added: &addedPerson{Name: plain(u.Name), Email: u.Email, Password: password}}
	if password == "" {
		p.Notice = u.Email + " already had a Parley account: they sign in with their own password."
	}
	h.showPeople(w, r, a, http.StatusCreated, p)
}

// changePerson changes a member's role ("role") or disables or enables
// their account ("disabled": "true" or "false").
func (h *Handler) changePerson(w http.ResponseWriter, r *http.Request, a *agent) {
	if err := changePeople(a); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	id := positiveID(r.PathValue("id"))
	var change api.MemberPatch
	done := ""
	if v := formValue(r, "role"); v != "" {
		role := care.Role(v)
		change.Role, done = &role, "role"
	}
	switch v := formValue(r, "disabled"); v {
	case "true", "false":
		off := v == "true"
		change.Disabled, done = &off, map[bool]string{true: "disabled", false: "enabled"}[off]
	}
	if done == "" {
		h.refusedPeople(w, r, a, care.Errorf(care.EINVALID, "Choose a role, or disable or enable the account."), peoplePage{})
		return
	}
	if err := h.API.ChangeMember(r.Context(), a.Principal, id, change); err != nil {
		if care.ErrorCode(err) == care.ENOTFOUND {
			h.renderError(w, r, a, err)
			return
		}
		h.refusedPeople(w, r, a, err, peoplePage{})
		return
	}
	peopleDone(w, r, done, "#person-"+strconv.FormatInt(id, 10))
}

// postedSkills reads the skill fields: comma-separated lists, as the page
// shows them. The store cleans them as it cleans an agent's.
func postedSkills(r *http.Request) *care.Skills {
	list := func(name string) []string {
		var out []string
		for v := range strings.SplitSeq(formValue(r, name), ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	return &care.Skills{Languages: list("languages"), Channels: list("channels"), Topics: list("topics")}
}

// postedMembers reads the ticked member checkboxes.
func postedMembers(r *http.Request) []care.ID {
	formValue(r, "member") // parses the form
	ids := []care.ID{}
	for _, v := range r.PostForm["member"] {
		if id := positiveID(v); id != 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func (h *Handler) addTeam(w http.ResponseWriter, r *http.Request, a *agent) {
	if err := changePeople(a); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	f := teamForm{Name: formValue(r, "name"), Languages: formValue(r, "languages"), Channels: formValue(r, "channels"),
		Topics: formValue(r, "topics"), Partner: formValue(r, "partner") != ""}
	t, err := h.API.CreateTeam(r.Context(), a.Principal, api.TeamCreate{Name: f.Name, MemberIDs: postedMembers(r),
		Skills: postedSkills(r), Partner: &f.Partner})
	if err != nil {
		h.refusedPeople(w, r, a, err, peoplePage{TeamForm: f})
		return
	}
	peopleDone(w, r, "created", "#team-"+strconv.FormatInt(t.ID, 10))
}

// editTeam renames a team and sets its skills and marks.
func (h *Handler) editTeam(w http.ResponseWriter, r *http.Request, a *agent) {
	if err := changePeople(a); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	id := positiveID(r.PathValue("id"))
	name := formValue(r, "name")
	partner, escalation := formValue(r, "partner") != "", formValue(r, "escalation") != ""
	_, err := h.API.ChangeTeam(r.Context(), a.Principal, id, api.TeamPatch{Name: &name, Skills: postedSkills(r),
		Partner: &partner, Escalation: &escalation})
	h.teamSaved(w, r, a, err, id, "saved")
}

func (h *Handler) editTeamMembers(w http.ResponseWriter, r *http.Request, a *agent) {
	if err := changePeople(a); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	id := positiveID(r.PathValue("id"))
	_, err := h.API.SetTeamMembers(r.Context(), a.Principal, id, postedMembers(r))
	h.teamSaved(w, r, a, err, id, "members")
}

func (h *Handler) teamSaved(w http.ResponseWriter, r *http.Request, a *agent, err error, id care.ID, done string) {
	switch {
	case care.ErrorCode(err) == care.ENOTFOUND:
		h.renderError(w, r, a, err)
	case err != nil:
		h.refusedPeople(w, r, a, err, peoplePage{})
	default:
		peopleDone(w, r, done, "#team-"+strconv.FormatInt(id, 10))
	}
}
