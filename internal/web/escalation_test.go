package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/automator"
	"github.com/parleyhq/parley/internal/care"
)

// A conversation a rule escalated to PR says so on its page, with the
// rule's note linked to where it sits in the timeline; it is in PR's view
// and counted there, and PR's member finds the notification.
func TestEscalatedConversation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	lead, _, err := accounts.CreateUser(ctx, f.store, f.ws.ID, "pat@acme.test", "Pat", care.RoleSupervisor, password, f.now)
	if err != nil {
		t.Fatal(err)
	}
	careTeam := &care.Team{WorkspaceID: f.ws.ID, Name: "Care"}
	pr := &care.Team{WorkspaceID: f.ws.ID, Name: "PR <team>", Escalation: true}
	for _, tm := range []*care.Team{careTeam, pr} {
		if err := f.store.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.SetTeamMembers(ctx, pr.ID, []care.ID{lead.ID}); err != nil {
		t.Fatal(err)
	}
	f.setting(automator.SettingName, fmt.Sprintf(`{"rules":[{"id":1,"name":"Influencer","enabled":true,"trigger":"message.received",
		"conditions":[{"field":"followers","op":"gte","value":10000}],
		"actions":[{"type":"assign_team","team_id":%d},{"type":"escalate","team_id":%d,"note":"Big account <complaining>"}]}]}`, careTeam.ID, pr.ID))
	loud := f.conversation(f.inbox, "Loud", "Everyone look at this")
	quiet := f.conversation(f.inbox, "Quiet", "Where is my parcel?")
	run := &automator.Runner{Store: f.store}
	err = f.store.Update(ctx, func(q care.Queries) error {
		ms, err := q.Messages(ctx, loud.ID, 0, 10)
		if err != nil {
			return err
		}
		_, err = run.Automate(ctx, q, care.Change{Trigger: "message.received", Conversation: loud, Message: &ms[0],
			Author: &care.Author{Followers: 12345}, At: f.now})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	loud = f.reload(loud)
	if loud.TeamID != careTeam.ID || loud.EscalationTeamID != pr.ID {
		t.Fatalf("conversation team %d, escalation %d; want Care escalated to PR", loud.TeamID, loud.EscalationTeamID)
	}
	var note care.ID
	for _, m := range f.messages(loud) {
		if m.Visibility == care.Note {
			note = m.ID
		}
	}

	c := f.loginAs(lead)
	_, body := c.get(convPath(loud, ""))
	want := `<span class="escalation">Escalated to <bdi class="team-name">PR &lt;team&gt;</bdi>: <a href="#m` + itoa(note) + `"><bdi>Big account &lt;complaining&gt;</bdi></a></span>`
	if !strings.Contains(body, want) {
		t.Errorf("the conversation page lacks %s", want)
	}
	if !strings.Contains(body, `team <bdi class="team-name">Care</bdi>`) {
		t.Errorf("the conversation page no longer shows its own team")
	}
	if _, body := c.get(convPath(quiet, "")); strings.Contains(body, `class="escalation"`) {
		t.Errorf("a conversation nobody escalated says it was")
	}

	_, body = c.get("/?team=" + itoa(pr.ID))
	if !strings.Contains(body, `PR &lt;team&gt;<span class="count">1</span>`) || !strings.Contains(body, `Care<span class="count">1</span>`) {
		t.Errorf("the team views do not count the escalated conversation in both teams")
	}
	if n := strings.Count(body, `class="row-link"`); n != 1 || !strings.Contains(body, `href="/c/`+itoa(loud.ID)) {
		t.Errorf("PR's view shows %d rows, want the escalated conversation alone", n)
	}
	if !strings.Contains(body, `class="escalated" title="Escalated to PR &lt;team&gt;">&uarr; <bdi>PR &lt;team&gt;</bdi>`) {
		t.Errorf("the row does not mark the escalation:\n%s", body)
	}
	if _, all := c.get("/"); strings.Count(all, `class="escalated"`) != 1 {
		t.Errorf("the list marks %d rows as escalated, want 1", strings.Count(all, `class="escalated"`))
	}

	_, body = c.get("/notifications")
	if !strings.Contains(body, "Escalated to PR &lt;team&gt;: Big account &lt;complaining&gt;") {
		t.Errorf("PR's member has no notification of the escalation")
	}
}
