package demo

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
)

// agentSpec is one of the brand's agents as the demo creates them.
type agentSpec struct {
	first, last, email string
	languages          []string
}

// crew are the care team. Every language has at least one speaker, and
// German and Portuguese only one each, so routing by language shows.
var crew = []agentSpec{
	{"Ana", "Souza", "ana@demo.parley", []string{"en", "pt", "es"}},
	{"Ben", "Keller", "ben@demo.parley", []string{"en", "de", "fr"}},
	{"Chloé", "Martin", "chloe@demo.parley", []string{"fr", "es", "en"}},
}

// socialCapacity is how many social conversations an agent holds at once;
// lower than Parley's default of 8 so that queues form in a short demo.
const socialCapacity = 6

// agent is a seeded agent: their login, and the client their tools use.
type agent struct {
	spec  agentSpec
	id    care.ID
	login login
	api   *client
}

// seeded is the brand's data once seeded.
type seeded struct {
	agents     []*agent
	careTeam   care.ID
	prTeam     care.ID
	agentNames map[care.ID]string
}

// seed creates the brand's people, teams, routing profiles and settings
// through the API, as an admin would.
func seed(ctx context.Context, p *parley, admin *client) (*seeded, error) {
	s := &seeded{agentNames: map[care.ID]string{}}
	var ids []care.ID
	for _, spec := range crew {
		var created struct {
			User     struct{ ID care.ID } `json:"user"`
			Password string               `json:"password"`
		}
		req := map[string]any{"email": spec.email, "name": spec.first + " " + spec.last, "role": "agent"}
		if err := admin.call(ctx, "POST", "/api/v1/users", req, &created, http.StatusCreated); err != nil {
			return nil, fmt.Errorf("demo: create agent %s: %w", spec.first, err)
		}
		// Agents' own tools act as them: a token bound to each, made the
		// way `parley token create` makes one. Its name is the name their
		// replies are signed with.
		_, token, err := accounts.CreateToken(ctx, p.app.Store, p.ws, created.User.ID, spec.first+" "+spec.last, care.RoleAgent, time.Now())
		if err != nil {
			return nil, fmt.Errorf("demo: token for %s: %w", spec.first, err)
		}
		a := &agent{spec: spec, id: created.User.ID, api: &client{base: admin.base, token: token, hc: admin.hc},
			login: login{Email: spec.email, Password: created.Password, Role: "agent", Note: languageNames(spec.languages)}}
		s.agents = append(s.agents, a)
		s.agentNames[a.id] = spec.first
		ids = append(ids, a.id)
	}

	var team care.Team
	if err := admin.call(ctx, "POST", "/api/v1/teams", map[string]any{"name": "Care", "member_ids": ids}, &team, http.StatusCreated); err != nil {
		return nil, fmt.Errorf("demo: create the care team: %w", err)
	}
	s.careTeam = team.ID
	if err := admin.call(ctx, "PATCH", "/api/v1/teams/"+strconv.FormatInt(team.ID, 10), map[string]any{"hours": rawJSON(alwaysOpen),
		"skills": care.Skills{Languages: []string{"en", "es", "fr", "de", "pt"}}}, nil, http.StatusOK); err != nil {
		return nil, fmt.Errorf("demo: care team's hours: %w", err)
	}
	if err := admin.call(ctx, "POST", "/api/v1/teams", map[string]any{"name": "PR & Marketing", "member_ids": []care.ID{p.adminID}}, &team, http.StatusCreated); err != nil {
		return nil, fmt.Errorf("demo: create the PR team: %w", err)
	}
	s.prTeam = team.ID
	if err := admin.call(ctx, "PATCH", "/api/v1/teams/"+strconv.FormatInt(team.ID, 10),
		map[string]any{"escalation": true, "hours": rawJSON(officeHours)}, nil, http.StatusOK); err != nil {
		return nil, fmt.Errorf("demo: PR team's settings: %w", err)
	}

	for _, a := range s.agents {
		profile := map[string]any{"skills": care.Skills{Languages: a.spec.languages},
			"capacity": map[care.WorkKind]int{care.WorkSocial: socialCapacity, care.WorkChat: 3, care.WorkEmail: 8, care.WorkCall: 1}}
		if err := admin.call(ctx, "PATCH", "/api/v1/agents/"+strconv.FormatInt(a.id, 10), profile, nil, http.StatusOK); err != nil {
			return nil, fmt.Errorf("demo: %s's routing profile: %w", a.spec.first, err)
		}
	}
	for _, d := range settingDocs(s.prTeam) {
		if err := admin.call(ctx, "PUT", "/api/v1/settings/"+d.name, d.doc, nil); err != nil {
			return nil, fmt.Errorf("demo: %s settings: %w", d.name, err)
		}
	}
	return s, nil
}

// online has each agent come online from their own desk, which hands them
// waiting work at once.
func (s *seeded) online(ctx context.Context) error {
	for _, a := range s.agents {
		if err := a.api.call(ctx, "PUT", "/api/v1/me/presence", map[string]any{"presence": care.PresenceOnline}, nil, http.StatusOK); err != nil {
			return fmt.Errorf("demo: %s comes online: %w", a.spec.first, err)
		}
	}
	return nil
}

// rawJSON lets a JSON document ride inside a request body as itself.
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

// languageNames lists languages by their own names, for the printed logins.
func languageNames(codes []string) string {
	own := map[string]string{"en": "English", "es": "Español", "fr": "Français", "de": "Deutsch", "pt": "Português"}
	s := ""
	for i, c := range codes {
		if i > 0 {
			s += ", "
		}
		s += own[c]
	}
	return s
}
