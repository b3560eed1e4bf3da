package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func TestQueues(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	f.conversation(f.inbox, "Ana", "Where is my order?")
	f.conversation(f.inbox, "Bo", "Still waiting for my parcel")
	// Kim, in no team, is online with one social place, taken, and three
	// chat places: the social work waiting cannot go to her.
	kim := f.user("kim@acme.test", "Kim", care.RoleAgent)
	online := care.PresenceOnline
	if _, err := f.store.UpdateAgent(t.Context(), f.ws.ID, kim.ID, care.AgentUpdate{Presence: &online,
		Capacity: map[care.WorkKind]int{care.WorkSocial: 1, care.WorkChat: 3, care.WorkCall: 0, care.WorkEmail: 0}}, f.now); err != nil {
		t.Fatal(err)
	}
	held := f.conversation(f.inbox, "Cy", "Hello?")
	if _, err := f.store.UpdateConversation(t.Context(), held.ID, care.ConversationUpdate{AssigneeID: &kim.ID}, f.now); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(12 * time.Minute)
	agent, supervisor := f.login(), f.loginAs(lee)

	if res, _ := agent.get("/queues"); res.StatusCode != http.StatusForbidden {
		t.Errorf("GET /queues as an agent = %d, want 403", res.StatusCode)
	}
	res, body := supervisor.get("/queues")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /queues = %d", res.StatusCode)
	}
	for _, want := range []string{`<a class="queues-link" href="/queues"`, "<bdi>No team</bdi>", "<td>2</td>", "<td>12 min</td>",
		"<td>1</td>", `<tr class="full">`, `<div class="kind">chat: 0 / 3</div>`,
		`<div class="kind">social: 1 / 1, 2 waiting <span class="badge">full</span></div>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the queues page lacks %s", want)
		}
	}
}
