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
	f.now = f.now.Add(12 * time.Minute)
	agent, supervisor := f.login(), f.loginAs(lee)

	if res, _ := agent.get("/queues"); res.StatusCode != http.StatusForbidden {
		t.Errorf("GET /queues as an agent = %d, want 403", res.StatusCode)
	}
	res, body := supervisor.get("/queues")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /queues = %d", res.StatusCode)
	}
	for _, want := range []string{`<a class="queues-link" href="/queues"`, "<bdi>No team</bdi>", "<td>2</td>", "<td>12 min</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the queues page lacks %s", want)
		}
	}
}
