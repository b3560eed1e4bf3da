package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestPeoplePage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.user("root@acme.test", "Root Admin", care.RoleAdmin)
	c := f.loginAs(admin)
	agentSession := f.login()

	res, body := c.get("/people")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /people = %d", res.StatusCode)
	}
	for _, want := range []string{"Sam Agent", "sam@acme.test", "Root Admin", `action="/people/users"`, `action="/people/teams"`,
		`action="/people/users/` + itoa(f.agent.ID) + `"`, "offline", "the last enabled admin", `href="/people"`} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /people lacks %s", want)
		}
	}
	// No form changes the admin's own row.
	if strings.Contains(body, `action="/people/users/`+itoa(admin.ID)+`"`) {
		t.Error("the page offers the admin forms for their own account")
	}

	// Add a person: the generated password is shown once, and works.
	res, body = c.act("/people/users", url.Values{"name": {"Lee <Chan>"}, "email": {" Lee@Acme.test "}, "role": {"supervisor"}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("add person = %d:\n%s", res.StatusCode, regexpFind(t, body, `(?s)<main.*</main>`))
	}
	m := regexp.MustCompile(`class="new-password">([^<]+)<`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "shown this once") || !strings.Contains(body, "Lee &lt;Chan&gt;") {
		t.Fatalf("the page after adding lacks the password shown once")
	}
	lee, err := f.store.UserByEmail(ctx, "lee@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	if mem, _ := f.store.Member(ctx, f.ws.ID, lee.ID); mem == nil || mem.Role != care.RoleSupervisor {
		t.Errorf("Lee's membership = %+v, want supervisor", mem)
	}
	if res, _ := f.client().post("/login", url.Values{"email": {"lee@acme.test"}, "password": {m[1]}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signing in with the shown password = %d", res.StatusCode)
	}
	if _, body := c.get("/people"); strings.Contains(body, m[1]) {
		t.Error("the password is shown again")
	}
	// Refused: the reason and the form kept.
	res, body = c.act("/people/users", url.Values{"name": {"Nobody"}, "email": {"not an address"}, "role": {"agent"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "not an email address") || !strings.Contains(body, `value="Nobody"`) {
		t.Errorf("a refused add = %d, or lost its reason or fields", res.StatusCode)
	}
	if res, body := c.act("/people/users", url.Values{"name": {"Sam"}, "email": {"sam@acme.test"}, "role": {"agent"}}); res.StatusCode != http.StatusConflict || !strings.Contains(body, "already a member") {
		t.Errorf("adding a member twice = %d", res.StatusCode)
	}

	// Change a role.
	if res, _ := c.act("/people/users/"+itoa(f.agent.ID), url.Values{"role": {"supervisor"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change role = %d", res.StatusCode)
	}
	if mem, _ := f.store.Member(ctx, f.ws.ID, f.agent.ID); mem.Role != care.RoleSupervisor {
		t.Errorf("Sam's role = %s, want supervisor", mem.Role)
	}
	c.act("/people/users/"+itoa(f.agent.ID), url.Values{"role": {"agent"}})

	// Disable: Sam's open session ends at once; enable again.
	if res, _ := agentSession.get("/"); res.StatusCode != http.StatusOK {
		t.Fatalf("Sam's session before = %d", res.StatusCode)
	}
	res, _ = c.act("/people/users/"+itoa(f.agent.ID), url.Values{"disabled": {"true"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/people?done=disabled") {
		t.Fatalf("disable = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if u, _ := f.store.User(ctx, f.agent.ID); !u.Disabled {
		t.Error("Sam is not disabled")
	}
	if res, _ := agentSession.get("/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("a disabled user's session answered %d, want a redirect to sign in", res.StatusCode)
	}
	if res, _ := f.client().post("/login", url.Values{"email": {"sam@acme.test"}, "password": {password}}); res.StatusCode == http.StatusSeeOther {
		t.Error("a disabled user signed in")
	}
	_, body = c.get("/people?done=disabled")
	row := regexpFind(t, body, `(?s)<tr id="person-`+itoa(f.agent.ID)+`".*?</tr>`)
	if !strings.Contains(row, "Disabled") || !strings.Contains(row, `value="false"`) || !strings.Contains(body, "Reassign") {
		t.Errorf("Sam's row does not show the account disabled with Enable:\n%s", row)
	}
	c.act("/people/users/"+itoa(f.agent.ID), url.Values{"disabled": {"false"}})
	if u, _ := f.store.User(ctx, f.agent.ID); u.Disabled {
		t.Error("Sam is still disabled")
	}
	// The API's rules: no lowering or disabling oneself; a bad role.
	for _, form := range []url.Values{{"disabled": {"true"}}, {"role": {"agent"}}} {
		if res, _ := c.act("/people/users/"+itoa(admin.ID), form); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("changing oneself with %v = %d, want 422", form, res.StatusCode)
		}
	}
	if res, _ := c.act("/people/users/"+itoa(f.agent.ID), url.Values{"role": {"owner"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("role owner = %d", res.StatusCode)
	}
	if res, _ := c.act("/people/users/999999", url.Values{"disabled": {"true"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("a stranger = %d, want 404", res.StatusCode)
	}
	// The CSRF token is checked, as for every form.
	if res, _ := c.post("/people/users/"+itoa(f.agent.ID), url.Values{"disabled": {"true"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a form without the CSRF token = %d", res.StatusCode)
	}

	// Teams: create with skills, partner mark and a member; rename; members.
	res, _ = c.act("/people/teams", url.Values{"name": {"Care"}, "languages": {"EN, de"}, "channels": {"whatsapp"}, "topics": {""},
		"partner": {"1"}, "member": {itoa(f.agent.ID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create team = %d", res.StatusCode)
	}
	teams, _ := f.store.Teams(ctx, f.ws.ID)
	if len(teams) != 1 || teams[0].Name != "Care" || !teams[0].Partner || !slices.Equal(teams[0].Skills.Languages, []string{"de", "en"}) ||
		!slices.Equal(teams[0].Skills.Channels, []string{"whatsapp"}) || !slices.Equal(teams[0].MemberIDs, []care.ID{f.agent.ID}) {
		t.Fatalf("teams = %+v", teams)
	}
	team := itoa(teams[0].ID)
	res, _ = c.act("/people/teams/"+team, url.Values{"name": {"Care EU"}, "languages": {"fr"}, "escalation": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit team = %d", res.StatusCode)
	}
	res, _ = c.act("/people/teams/"+team+"/members", url.Values{"member": {itoa(admin.ID), itoa(lee.ID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("team members = %d", res.StatusCode)
	}
	got, _ := f.store.Team(ctx, teams[0].ID)
	if got.Name != "Care EU" || got.Partner || !got.Escalation || !slices.Equal(got.Skills.Languages, []string{"fr"}) || len(got.Skills.Channels) != 0 ||
		!slices.Equal(got.MemberIDs, []care.ID{admin.ID, lee.ID}) {
		t.Errorf("edited team = %+v", got)
	}
	_, body = c.get("/people")
	card := regexpFind(t, body, `(?s)<section class="team-card" id="team-`+team+`".*?</section>`)
	for _, want := range []string{"Care EU", "escalation", "Root Admin", "Lee &lt;Chan&gt;", "fr"} {
		if !strings.Contains(card, want) {
			t.Errorf("the team's card lacks %s", want)
		}
	}
	// Refused by the store's rules, with the reason.
	res, body = c.act("/people/teams", url.Values{"name": {"Long"}, "topics": {strings.Repeat("x", 65)}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "1 to 64 characters") || !strings.Contains(body, `value="Long"`) {
		t.Errorf("a refused team = %d", res.StatusCode)
	}
	if res, _ := c.act("/people/teams", url.Values{"name": {"Care EU"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("a second team of the same name = %d, want 409", res.StatusCode)
	}
	if res, _ := c.act("/people/teams/"+team+"/members", url.Values{"member": {"999999"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a stranger as a member = %d", res.StatusCode)
	}
	// Another workspace's team is not found.
	other := &care.Team{WorkspaceID: f.other.ID, Name: "Globex care"}
	if err := f.store.CreateTeam(ctx, other); err != nil {
		t.Fatal(err)
	}
	if res, _ := c.act("/people/teams/"+itoa(other.ID), url.Values{"name": {"Mine now"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("another workspace's team = %d, want 404", res.StatusCode)
	}
}

// Supervisors read the page; agents and members of a partner team do not
// see it, and only admins' forms are taken.
func TestPeoplePageRoles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sup := f.user("sue@acme.test", "Sue Supervisor", care.RoleSupervisor)
	partnerSup := f.user("pat@acme.test", "Pat Partner", care.RoleSupervisor)
	if err := f.store.CreateTeam(ctx, &care.Team{WorkspaceID: f.ws.ID, Name: "Outsourced", Partner: true, MemberIDs: []care.ID{partnerSup.ID}}); err != nil {
		t.Fatal(err)
	}

	s := f.loginAs(sup)
	res, body := s.get("/people")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Sam Agent") || !strings.Contains(body, "Outsourced") {
		t.Fatalf("a supervisor's GET /people = %d", res.StatusCode)
	}
	if strings.Contains(body, `action="/people`) {
		t.Error("a supervisor is offered the page's forms")
	}
	for _, post := range []struct {
		path string
		form url.Values
	}{
		{"/people/users", url.Values{"name": {"X"}, "email": {"x@acme.test"}, "role": {"agent"}}},
		{"/people/users/" + itoa(f.agent.ID), url.Values{"disabled": {"true"}}},
		{"/people/teams", url.Values{"name": {"Mine"}}},
	} {
		if res, _ := s.act(post.path, post.form); res.StatusCode != http.StatusForbidden {
			t.Errorf("a supervisor's POST %s = %d, want 403", post.path, res.StatusCode)
		}
	}
	if u, _ := f.store.User(ctx, f.agent.ID); u.Disabled {
		t.Error("a supervisor disabled someone")
	}

	for _, u := range []*care.User{f.agent, partnerSup} {
		c := f.loginAs(u)
		if res, _ := c.get("/people"); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s's GET /people = %d, want 403", u.Name, res.StatusCode)
		}
		if _, body := c.get("/"); strings.Contains(body, `href="/people"`) {
			t.Errorf("%s's navigation links the people page", u.Name)
		}
	}
}

// Names on the page drop hidden characters, as on every other page.
func TestPeopleHiddenCharacters(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.user("root@acme.test", "Root"+hiddenChars+"Admin", care.RoleAdmin)
	for _, tm := range []*care.Team{{WorkspaceID: f.ws.ID, Name: "Tier" + hiddenChars + " one", MemberIDs: []care.ID{admin.ID}},
		{WorkspaceID: f.ws.ID, Name: hiddenChars}} {
		if err := f.store.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
	}
	_, body := f.loginAs(admin).get("/people")
	for _, want := range []string{"<bdi>RootAdmin</bdi>", "<bdi>Tier one</bdi>", "<bdi>Team "} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /people lacks %s", want)
		}
	}
	body = hiddenInput.ReplaceAllString(body, "")
	if i := strings.IndexAny(body, hiddenChars); i >= 0 {
		t.Errorf("GET /people keeps a hidden character: %+q", body[max(0, i-40):min(len(body), i+40)])
	}
}
