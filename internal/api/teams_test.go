package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

// A team is created with the skills PATCH takes, cleaned as an agent's
// are, and a list where an object belongs says which field is wrong.
func TestTeamSkills(t *testing.T) {
	ta := startApp(t)
	admin := ta.token(t, workspace1, care.RoleAdmin)
	supervisor := ta.token(t, workspace1, care.RoleSupervisor)

	var team care.Team
	ta.must(t, http.StatusCreated, supervisor, "POST", "/api/v1/teams",
		`{"name":"Care","skills":{"languages":[" EN","de","en"],"channels":["whatsapp"],"topics":["refund"]}}`, &team)
	want := care.Skills{Languages: []string{"de", "en"}, Channels: []string{"whatsapp"}, Topics: []string{"refund"}}
	if !slices.Equal(team.Skills.Languages, want.Languages) || !slices.Equal(team.Skills.Channels, want.Channels) || !slices.Equal(team.Skills.Topics, want.Topics) {
		t.Errorf("created team's skills = %+v, want %+v", team.Skills, want)
	}
	path := fmt.Sprintf("/api/v1/teams/%d", team.ID)
	var patched care.Team
	ta.must(t, http.StatusOK, admin, "PATCH", path, `{"skills":{"languages":["FR"]}}`, &patched)
	if !slices.Equal(patched.Skills.Languages, []string{"fr"}) || len(patched.Skills.Channels) != 0 {
		t.Errorf("patched team's skills = %+v, want only languages [fr]", patched.Skills)
	}

	pr := ta.call(t, admin, "POST", "/api/v1/teams", `{"name":"Lists","skills":["en"]}`).problem(t, http.StatusBadRequest)
	if !strings.Contains(pr.Detail, `"skills"`) {
		t.Errorf("skills as a list: detail %q does not name the field", pr.Detail)
	}
	ta.call(t, admin, "POST", "/api/v1/teams", `{"name":"Blank","skills":{"topics":[" "]}}`).problem(t, http.StatusBadRequest)
	ta.call(t, admin, "PATCH", path, `{"skills":{"topics":[""]}}`).problem(t, http.StatusBadRequest)
	var teams struct{ Teams []care.Team }
	ta.must(t, http.StatusOK, admin, "GET", "/api/v1/teams", "", &teams)
	if len(teams.Teams) != 1 {
		t.Errorf("%d teams stored, want only the valid one", len(teams.Teams))
	}
	// Created without skills: any work.
	var plain care.Team
	ta.must(t, http.StatusCreated, admin, "POST", "/api/v1/teams", `{"name":"Anything"}`, &plain)
	if len(plain.Skills.Languages)+len(plain.Skills.Channels)+len(plain.Skills.Topics) != 0 {
		t.Errorf("a team made without skills has %+v", plain.Skills)
	}
	// An agent manages no team.
	ta.call(t, ta.token(t, workspace1, care.RoleAgent), "POST", "/api/v1/teams", `{"name":"Mine","skills":{}}`).problem(t, http.StatusForbidden)
}
