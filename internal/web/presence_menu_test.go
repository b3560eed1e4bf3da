package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

// TestPresenceMenu: an agent who works in the browser goes online, away
// and offline from the top bar, since routing gives work only to agents
// online; the change returns to the page it was made on, and signing out
// goes offline, so no work is given to someone who has left.
func TestPresenceMenu(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	sam := f.user("kim@acme.test", "Kim Agent", care.RoleAgent)
	c := f.loginAs(sam)
	presence := func() care.Presence {
		t.Helper()
		p, err := f.store.AgentPresence(context.Background(), f.ws.ID, sam.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	_, body := c.get("/?status=open")
	if !strings.Contains(body, `<select id="presence-menu" name="presence" class="presence-offline">`) ||
		!strings.Contains(body, `<option value="offline" selected>`) || !strings.Contains(body, `name="next" value="/?status=open"`) {
		t.Fatalf("the top bar has no presence menu showing offline:\n%.3000s", body)
	}

	res, _ := c.act("/presence", url.Values{"presence": {"online"}, "next": {"/?status=open"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/?status=open" {
		t.Fatalf("POST /presence = %d to %q, want 303 back to the page", res.StatusCode, res.Header.Get("Location"))
	}
	if p := presence(); p != care.PresenceOnline {
		t.Errorf("presence after choosing online = %q", p)
	}
	if _, body = c.get("/"); !strings.Contains(body, `<option value="online" selected>`) {
		t.Error("the menu does not show the agent online")
	}

	// Somewhere else than Parley is not a place to return to.
	res, _ = c.act("/presence", url.Values{"presence": {"away"}, "next": {"//evil.example/"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" || presence() != care.PresenceAway {
		t.Errorf("POST /presence away = %d to %q, presence %q; want 303 to /, away", res.StatusCode, res.Header.Get("Location"), presence())
	}
	res, body = c.act("/presence", url.Values{"presence": {"busy"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Choose online, away or offline.") || presence() != care.PresenceAway {
		t.Errorf("POST /presence busy = %d, presence %q; want 400 saying what to choose, unchanged", res.StatusCode, presence())
	}

	c.act("/presence", url.Values{"presence": {"online"}})
	if res, _ := c.act("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /logout = %d", res.StatusCode)
	}
	if p := presence(); p != care.PresenceOffline {
		t.Errorf("presence after signing out = %q, want offline", p)
	}
}
