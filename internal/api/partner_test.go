package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/care"
)

// partnerWorld is workspace 1 with an in-house team A (agent a1) and a
// partner team P (agent p1, supervisor ps1, admin pa), and a conversation
// each: owned by A, owned by P, owned by A but escalated to P, and assigned
// to p1 with no team. Each conversation has a contact of its own.
type partnerWorld struct {
	*testApp
	admin, supervisor string // tokens of workspace 1 tied to no user

	a1, p1, ps1, pa             care.ID // users
	a1Tok, p1Tok, ps1Tok, paTok string  // their tokens
	teamA, teamP                care.ID
	inbox                       apiInbox

	convA, convP, convEsc, convMine *care.Message // each conversation's first message
}

func newPartnerWorld(t *testing.T) *partnerWorld {
	t.Helper()
	ctx := context.Background()
	w := &partnerWorld{testApp: startApp(t)}
	w.admin = w.token(t, workspace1, care.RoleAdmin)
	w.supervisor = w.token(t, workspace1, care.RoleSupervisor)

	user := func(name string, role care.Role) (care.ID, string) {
		u, _, err := accounts.CreateUser(ctx, w.Store, workspace1, name+"@example.com", name, role, "", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		_, secret, err := accounts.CreateToken(ctx, w.Store, workspace1, u.ID, name+"'s token", role, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return u.ID, secret
	}
	w.a1, w.a1Tok = user("a1", care.RoleAgent)
	w.p1, w.p1Tok = user("p1", care.RoleAgent)
	w.ps1, w.ps1Tok = user("ps1", care.RoleSupervisor)
	w.pa, w.paTok = user("pa", care.RoleAdmin)

	var team care.Team
	w.must(t, http.StatusCreated, w.admin, "POST", "/api/v1/teams", jsonBody(map[string]any{"name": "A", "member_ids": []care.ID{w.a1}}), &team)
	w.teamA = team.ID
	w.must(t, http.StatusCreated, w.admin, "POST", "/api/v1/teams",
		jsonBody(map[string]any{"name": "P", "member_ids": []care.ID{w.p1, w.ps1, w.pa}, "partner": true}), &team)
	if !team.Partner {
		t.Fatalf("team P = %+v, want a partner team", team)
	}
	w.teamP = team.ID

	w.inbox = w.createAPIInbox(t, w.admin, "Shop")
	w.convA = w.ingest(t, w.inbox, "a-1", "cust-a", "My parcel alpha is late")
	w.convP = w.ingest(t, w.inbox, "p-1", "cust-p", "My parcel bravo is late")
	w.convEsc = w.ingest(t, w.inbox, "esc-1", "cust-esc", "My parcel charlie is late")
	w.convMine = w.ingest(t, w.inbox, "mine-1", "cust-mine", "My parcel delta is late")
	// Through the API, so the moves are events the live stream hears of.
	w.patch(t, w.convA, map[string]any{"team_id": w.teamA})
	w.patch(t, w.convP, map[string]any{"team_id": w.teamP})
	w.patch(t, w.convEsc, map[string]any{"team_id": w.teamA})
	w.patch(t, w.convMine, map[string]any{"assignee_id": w.p1})
	// Escalating is a rule's action; the store stands in for it.
	if _, err := w.Store.UpdateConversation(ctx, w.convEsc.ConversationID, care.ConversationUpdate{EscalationTeamID: &w.teamP}, time.Now()); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *partnerWorld) patch(t *testing.T, m *care.Message, body map[string]any) {
	t.Helper()
	w.must(t, http.StatusOK, w.admin, "PATCH", fmt.Sprintf("/api/v1/conversations/%d", m.ConversationID), jsonBody(body), nil)
}

// visible is what the scope of a member of P sees: P's conversations, and
// p1's own.
func (w *partnerWorld) visible(user care.ID) []care.ID {
	ids := []care.ID{w.convP.ConversationID, w.convEsc.ConversationID}
	if user == w.p1 {
		ids = append(ids, w.convMine.ConversationID)
	}
	return sortedIDs(ids...)
}

func (w *partnerWorld) all() []care.ID {
	return sortedIDs(w.convA.ConversationID, w.convP.ConversationID, w.convEsc.ConversationID, w.convMine.ConversationID)
}

func sortedIDs(ids ...care.ID) []care.ID {
	slices.Sort(ids)
	return ids
}

// listed returns the ids of the conversations token lists.
func (w *partnerWorld) listed(t *testing.T, token string) []care.ID {
	t.Helper()
	var page care.ConversationPage
	w.must(t, http.StatusOK, token, "GET", "/api/v1/conversations?limit=100", "", &page)
	var ids []care.ID
	for _, c := range page.Conversations {
		ids = append(ids, c.ID)
	}
	return sortedIDs(ids...)
}

// sameProblem checks two problems read alike but for the path they name.
func sameProblem(t *testing.T, what string, got, want problem) {
	t.Helper()
	got.Instance, want.Instance = "", ""
	if got != want {
		t.Errorf("%s = %+v, want the same as a missing one's %+v", what, got, want)
	}
}

func TestPartnerScope(t *testing.T) {
	w := newPartnerWorld(t)
	ctx := context.Background()
	convA := fmt.Sprintf("/api/v1/conversations/%d", w.convA.ConversationID)
	convP := fmt.Sprintf("/api/v1/conversations/%d", w.convP.ConversationID)
	const missingConv, missingContact = "/api/v1/conversations/999999", "/api/v1/contacts/999999"
	scoped := []struct {
		name, token string
		user        care.ID
	}{{"p1", w.p1Tok, w.p1}, {"ps1", w.ps1Tok, w.ps1}}

	t.Run("conversations", func(t *testing.T) {
		for _, p := range scoped {
			if got := w.listed(t, p.token); slices.Compare(got, w.visible(p.user)) != 0 {
				t.Errorf("%s lists %v, want %v", p.name, got, w.visible(p.user))
			}
			var filtered care.ConversationPage
			w.must(t, http.StatusOK, p.token, "GET", fmt.Sprintf("/api/v1/conversations?team=%d", w.teamA), "", &filtered)
			for _, c := range filtered.Conversations {
				if c.ID == w.convA.ConversationID {
					t.Errorf("%s filtering by team A lists A's conversation", p.name)
				}
			}
			for _, suffix := range []string{"", "/messages", "/survey"} {
				missing := w.call(t, p.token, "GET", missingConv+suffix, "").problem(t, http.StatusNotFound)
				hidden := w.call(t, p.token, "GET", convA+suffix, "").problem(t, http.StatusNotFound)
				sameProblem(t, p.name+" GET A's conversation"+suffix, hidden, missing)
			}
			for _, id := range w.visible(p.user) {
				w.must(t, http.StatusOK, p.token, "GET", fmt.Sprintf("/api/v1/conversations/%d", id), "", nil)
				w.must(t, http.StatusOK, p.token, "GET", fmt.Sprintf("/api/v1/conversations/%d/messages", id), "", nil)
			}
			// Linking to a conversation outside the scope would confirm it.
			link := jsonBody(map[string]any{"private_conversation_id": w.convA.ConversationID})
			hidden := w.call(t, p.token, "POST", convP+"/link", link).problem(t, http.StatusNotFound)
			missing := w.call(t, p.token, "GET", missingConv, "").problem(t, http.StatusNotFound)
			sameProblem(t, p.name+" linking to A's conversation", hidden, missing)
		}
	})

	t.Run("links to hidden conversations are hidden", func(t *testing.T) {
		if err := w.Store.LinkConversations(ctx, w.convP.ConversationID, w.convA.ConversationID); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/conversations/%d", w.convP.ConversationID)
		var c care.Conversation
		w.must(t, http.StatusOK, w.p1Tok, "GET", path, "", &c)
		if c.LinkedID != 0 {
			t.Errorf("p1 sees P's conversation linked to %d, a conversation outside their scope", c.LinkedID)
		}
		var page care.ConversationPage
		w.must(t, http.StatusOK, w.p1Tok, "GET", "/api/v1/conversations", "", &page)
		for _, c := range page.Conversations {
			if c.LinkedID != 0 {
				t.Errorf("p1's list shows conversation %d linked to %d", c.ID, c.LinkedID)
			}
		}
		w.must(t, http.StatusOK, w.admin, "GET", path, "", &c)
		if c.LinkedID != w.convA.ConversationID {
			t.Errorf("an admin sees linked_id %d, want %d", c.LinkedID, w.convA.ConversationID)
		}
	})

	t.Run("contacts", func(t *testing.T) {
		for _, p := range scoped {
			for _, suffix := range []string{"", "/identities"} {
				missing := w.call(t, p.token, "GET", missingContact+suffix, "").problem(t, http.StatusNotFound)
				hidden := w.call(t, p.token, "GET", fmt.Sprintf("/api/v1/contacts/%d%s", w.convA.ContactID, suffix), "").problem(t, http.StatusNotFound)
				sameProblem(t, p.name+" GET the contact of A's conversation"+suffix, hidden, missing)
				for _, m := range []*care.Message{w.convP, w.convEsc, w.convMine} {
					want := http.StatusNotFound
					if slices.Contains(w.visible(p.user), m.ConversationID) {
						want = http.StatusOK
					}
					w.must(t, want, p.token, "GET", fmt.Sprintf("/api/v1/contacts/%d%s", m.ContactID, suffix), "", nil)
				}
			}
		}
		// An unscoped agent still sees every contact.
		w.must(t, http.StatusOK, w.a1Tok, "GET", fmt.Sprintf("/api/v1/contacts/%d", w.convA.ContactID), "", nil)
	})

	t.Run("search", func(t *testing.T) {
		for _, tc := range []struct {
			name, token string
			want        []care.ID
		}{
			{"p1", w.p1Tok, w.visible(w.p1)},
			{"ps1", w.ps1Tok, w.visible(w.ps1)},
			{"a1", w.a1Tok, w.all()},
			{"pa", w.paTok, w.all()},
		} {
			var out struct {
				Hits []care.SearchHit `json:"hits"`
			}
			w.must(t, http.StatusOK, tc.token, "GET", "/api/v1/search?q=parcel&limit=10", "", &out)
			var got []care.ID
			for _, h := range out.Hits {
				if !slices.Contains(got, h.ConversationID) {
					got = append(got, h.ConversationID)
				}
			}
			if slices.Compare(sortedIDs(got...), tc.want) != 0 {
				t.Errorf("%s searching finds conversations %v, want %v", tc.name, sortedIDs(got...), tc.want)
			}
			// The limit holds after filtering.
			w.must(t, http.StatusOK, tc.token, "GET", "/api/v1/search?q=parcel&limit=1", "", &out)
			if len(out.Hits) != 1 {
				t.Errorf("%s searching with limit 1 finds %d hits, want 1", tc.name, len(out.Hits))
			}
		}
		// A contact hit of A's customer is not theirs either.
		for _, tc := range []struct {
			name, token string
			want        bool
		}{{"a1", w.a1Tok, true}, {"p1", w.p1Tok, false}} {
			var out struct {
				Hits []care.SearchHit `json:"hits"`
			}
			w.must(t, http.StatusOK, tc.token, "GET", "/api/v1/search?q=customer", "", &out)
			found := false
			for _, h := range out.Hits {
				found = found || (h.MessageID == 0 && h.ContactID == w.convA.ContactID)
			}
			if found != tc.want {
				t.Errorf("%s finds the contact of A's conversation: %v, want %v (hits %+v)", tc.name, found, tc.want, out.Hits)
			}
		}
	})

	t.Run("approvals", func(t *testing.T) {
		held := map[care.ID]care.ID{} // held reply → its conversation
		for _, m := range []*care.Message{w.convA, w.convP} {
			r := &care.Message{WorkspaceID: workspace1, ConversationID: m.ConversationID, InboxID: w.inbox.ID, Direction: care.DirectionOut,
				Visibility: care.Public, AuthorName: "a1", Text: "A held reply", Status: care.DeliveryPendingApproval, CreatedAt: time.Now()}
			if err := w.Store.CreateMessage(ctx, r); err != nil {
				t.Fatal(err)
			}
			held[r.ID] = m.ConversationID
		}
		for _, tc := range []struct {
			name, token string
			want        []care.ID
		}{
			{"ps1", w.ps1Tok, []care.ID{w.convP.ConversationID}},
			{"admin", w.admin, sortedIDs(w.convA.ConversationID, w.convP.ConversationID)},
		} {
			var out struct {
				Approvals []struct {
					Message care.Message `json:"message"`
				} `json:"approvals"`
			}
			w.must(t, http.StatusOK, tc.token, "GET", "/api/v1/approvals", "", &out)
			var got []care.ID
			for _, a := range out.Approvals {
				got = append(got, a.Message.ConversationID)
			}
			if slices.Compare(sortedIDs(got...), tc.want) != 0 {
				t.Errorf("%s's approvals are in conversations %v, want %v", tc.name, got, tc.want)
			}
		}
	})

	t.Run("notifications", func(t *testing.T) {
		var ids []care.ID
		for _, m := range []*care.Message{w.convA, w.convP} {
			n := &care.Notification{WorkspaceID: workspace1, UserID: w.p1, Kind: care.NotifyMention, ConversationID: m.ConversationID,
				Text: "a1 mentioned you", CreatedAt: time.Now()}
			if err := w.Store.CreateNotification(ctx, n); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, n.ID)
		}
		// Marking read tells a hidden notification from a missing one by
		// nothing, and leaves it as it was.
		var read struct{ Read, Unread int }
		for _, id := range []care.ID{ids[0], 999999} {
			w.must(t, http.StatusOK, w.p1Tok, "POST", "/api/v1/me/notifications/read", fmt.Sprintf(`{"ids":[%d]}`, id), &read)
			if read.Read != 0 || read.Unread != 1 {
				t.Errorf("p1 marking notification %d read = %+v, want read 0, unread 1", id, read)
			}
		}
		if n, _ := w.Store.UnreadNotifications(ctx, workspace1, w.p1); n != 2 {
			t.Errorf("p1 has %d unread notifications in the store, want both still unread", n)
		}
		var out struct {
			Notifications []care.Notification `json:"notifications"`
			Unread        int                 `json:"unread"`
		}
		w.must(t, http.StatusOK, w.p1Tok, "GET", "/api/v1/me/notifications", "", &out)
		if len(out.Notifications) != 1 || out.Notifications[0].ConversationID != w.convP.ConversationID || out.Unread != 1 {
			t.Errorf("p1's notifications = %+v, want only the one about P's conversation, unread", out)
		}
		w.must(t, http.StatusOK, w.p1Tok, "POST", "/api/v1/me/notifications/read", `{}`, &read)
		if read.Read != 1 || read.Unread != 0 {
			t.Errorf("p1 marking all read = %+v, want read 1 (theirs), unread 0", read)
		}
		if n, _ := w.Store.UnreadNotifications(ctx, workspace1, w.p1); n != 1 {
			t.Errorf("after p1 marked all read, %d unread in the store, want the hidden one", n)
		}
	})

	t.Run("queues", func(t *testing.T) {
		var out struct {
			Queues []care.QueueStats `json:"queues"`
		}
		w.must(t, http.StatusOK, w.ps1Tok, "GET", "/api/v1/queues", "", &out)
		if len(out.Queues) != 1 || out.Queues[0].TeamID != w.teamP {
			t.Errorf("ps1's queues = %+v, want team P's only", out.Queues)
		}
		w.must(t, http.StatusOK, w.supervisor, "GET", "/api/v1/queues", "", &out)
		if len(out.Queues) < 3 {
			t.Errorf("an in-house supervisor's queues = %+v, want team 0, A and P", out.Queues)
		}
	})

	t.Run("agents", func(t *testing.T) {
		body := `{"capacity":{"social":3}}`
		missing := w.call(t, w.ps1Tok, "PATCH", "/api/v1/agents/999999", body).problem(t, http.StatusNotFound)
		hidden := w.call(t, w.ps1Tok, "PATCH", fmt.Sprintf("/api/v1/agents/%d", w.a1), body).problem(t, http.StatusNotFound)
		sameProblem(t, "ps1 changing a1", hidden, missing)
		w.must(t, http.StatusOK, w.ps1Tok, "PATCH", fmt.Sprintf("/api/v1/agents/%d", w.p1), body, nil)
		w.must(t, http.StatusOK, w.ps1Tok, "PATCH", fmt.Sprintf("/api/v1/agents/%d", w.ps1), body, nil)
	})

	t.Run("teams name but do not list the brand's staff", func(t *testing.T) {
		var out struct{ Teams []care.Team }
		w.must(t, http.StatusOK, w.p1Tok, "GET", "/api/v1/teams", "", &out)
		for _, tm := range out.Teams {
			if tm.ID == w.teamA && len(tm.MemberIDs) != 0 || tm.ID == w.teamP && len(tm.MemberIDs) != 3 {
				t.Errorf("p1 sees team %d (%s) with members %v", tm.ID, tm.Name, tm.MemberIDs)
			}
		}
		var one care.Team
		w.must(t, http.StatusOK, w.p1Tok, "GET", fmt.Sprintf("/api/v1/teams/%d", w.teamA), "", &one)
		if one.Name != "A" || len(one.MemberIDs) != 0 {
			t.Errorf("p1's GET of team A = %+v, want its name and no members", one)
		}
		w.must(t, http.StatusOK, w.a1Tok, "GET", fmt.Sprintf("/api/v1/teams/%d", w.teamA), "", &one)
		if len(one.MemberIDs) != 1 {
			t.Errorf("a1's GET of team A = %+v, want its member", one)
		}
	})

	t.Run("inboxes without the brand's health line", func(t *testing.T) {
		if err := w.Store.RecordInboxHealth(ctx, w.inbox.ID, care.HealthUpdate{Error: "token expired", ErrorAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		var list struct{ Inboxes []care.Inbox }
		w.must(t, http.StatusOK, w.p1Tok, "GET", "/api/v1/inboxes", "", &list)
		for _, in := range list.Inboxes {
			if in.Health != (care.InboxHealth{}) {
				t.Errorf("p1 sees inbox %d's health %+v", in.ID, in.Health)
			}
		}
		var one care.Inbox
		w.must(t, http.StatusOK, w.p1Tok, "GET", fmt.Sprintf("/api/v1/inboxes/%d", w.inbox.ID), "", &one)
		if one.Name != "Shop" || one.Health != (care.InboxHealth{}) {
			t.Errorf("p1's inbox = %+v, want its name and no health line", one)
		}
		w.must(t, http.StatusOK, w.a1Tok, "GET", fmt.Sprintf("/api/v1/inboxes/%d", w.inbox.ID), "", &one)
		if one.Health.LastError != "token expired" {
			t.Errorf("an in-house agent's inbox health = %+v, want the error", one.Health)
		}
	})

	t.Run("people lists hold their colleagues", func(t *testing.T) {
		var users struct{ Users []struct{ ID care.ID } }
		w.must(t, http.StatusOK, w.p1Tok, "GET", "/api/v1/users", "", &users)
		var got []care.ID
		for _, u := range users.Users {
			got = append(got, u.ID)
		}
		slices.Sort(got)
		want := []care.ID{w.p1, w.ps1, w.pa}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("p1's users = %v, want P's members %v", got, want)
		}
		var agents struct{ Agents []care.Agent }
		w.must(t, http.StatusOK, w.p1Tok, "GET", "/api/v1/agents", "", &agents)
		for _, a := range agents.Agents {
			if !slices.Contains(want, a.UserID) {
				t.Errorf("p1's agents include user %d, not of team P", a.UserID)
			}
		}
		w.must(t, http.StatusOK, w.a1Tok, "GET", "/api/v1/users", "", &users)
		if len(users.Users) < 4 {
			t.Errorf("an in-house agent sees %d users, want everyone", len(users.Users))
		}
	})

	t.Run("workspace-wide is forbidden", func(t *testing.T) {
		merge := jsonBody(map[string]any{"contact_id": w.convMine.ContactID})
		forbidden := []struct{ token, method, path, body string }{
			{w.ps1Tok, "GET", "/api/v1/reports/sla", ""},
			{w.ps1Tok, "GET", "/api/v1/settings/automation", ""},
			{w.ps1Tok, "GET", "/api/v1/reports/csat", ""},
			{w.ps1Tok, "GET", "/api/v1/reports/staffing", ""},
			{w.ps1Tok, "GET", "/api/v1/reports/value", ""},
			{w.ps1Tok, "GET", "/api/v1/listening/report", ""},
			{w.ps1Tok, "GET", "/api/v1/listening/posts", ""},
			{w.ps1Tok, "GET", "/api/v1/audit", ""},
			{w.ps1Tok, "POST", "/api/v1/automation/dry-run", `{"id":1,"name":"x","enabled":true,"trigger":"message.received","conditions":[],"actions":[{"type":"add_tag","tag":"x"}]}`},
			{w.p1Tok, "POST", fmt.Sprintf("/api/v1/contacts/%d/merge", w.convP.ContactID), merge},
			{w.ps1Tok, "POST", fmt.Sprintf("/api/v1/contacts/%d/merge", w.convP.ContactID), merge},
			{w.ps1Tok, "POST", "/api/v1/merges/1/undo", ""},
			{w.ps1Tok, "POST", "/api/v1/teams", `{"name":"Mine"}`},
			{w.ps1Tok, "PATCH", fmt.Sprintf("/api/v1/teams/%d", w.teamP), `{"partner":false}`},
			{w.ps1Tok, "PATCH", fmt.Sprintf("/api/v1/teams/%d", w.teamP), `{"name":"P2"}`},
			{w.ps1Tok, "PUT", fmt.Sprintf("/api/v1/teams/%d/members", w.teamA), jsonBody(map[string]any{"member_ids": []care.ID{w.a1, w.ps1}})},
		}
		for _, f := range forbidden {
			pr := w.call(t, f.token, f.method, f.path, f.body).problem(t, http.StatusForbidden)
			if !strings.Contains(pr.Detail, "partner team") {
				t.Errorf("%s %s: 403 detail %q does not say why", f.method, f.path, pr.Detail)
			}
		}
		var a care.Team
		w.must(t, http.StatusOK, w.admin, "GET", fmt.Sprintf("/api/v1/teams/%d", w.teamA), "", &a)
		if slices.Contains(a.MemberIDs, w.ps1) {
			t.Error("ps1 joined team A")
		}
		// Reading teams stays open.
		w.must(t, http.StatusOK, w.ps1Tok, "GET", "/api/v1/teams", "", nil)
		w.must(t, http.StatusOK, w.p1Tok, "GET", fmt.Sprintf("/api/v1/teams/%d", w.teamA), "", nil)
	})

	t.Run("partner flag", func(t *testing.T) {
		for _, tc := range []struct {
			name, method, path, body string
		}{
			{"create", "POST", "/api/v1/teams", `{"name":"Outsourced","partner":true}`},
			{"create, not partner", "POST", "/api/v1/teams", `{"name":"Outsourced","partner":false}`},
			{"lift", "PATCH", fmt.Sprintf("/api/v1/teams/%d", w.teamP), `{"partner":false}`},
			{"set", "PATCH", fmt.Sprintf("/api/v1/teams/%d", w.teamA), `{"partner":true}`},
		} {
			pr := w.call(t, w.supervisor, tc.method, tc.path, tc.body).problem(t, http.StatusForbidden)
			if pr.Detail != "Only an admin can mark a team as a partner team." {
				t.Errorf("supervisor, %s: detail %q", tc.name, pr.Detail)
			}
		}
		var p care.Team
		w.must(t, http.StatusOK, w.admin, "GET", fmt.Sprintf("/api/v1/teams/%d", w.teamP), "", &p)
		if !p.Partner {
			t.Fatal("a supervisor lifted team P's partner flag")
		}
		var made care.Team
		w.must(t, http.StatusCreated, w.admin, "POST", "/api/v1/teams", `{"name":"Outsourced","partner":true}`, &made)
		if !made.Partner {
			t.Errorf("created %+v, want a partner team", made)
		}
		w.must(t, http.StatusOK, w.admin, "PATCH", fmt.Sprintf("/api/v1/teams/%d", made.ID), `{"partner":false}`, &made)
		if made.Partner {
			t.Errorf("patched %+v, want no longer a partner team", made)
		}
		var audit struct {
			Entries []care.AuditEntry `json:"entries"`
		}
		w.must(t, http.StatusOK, w.admin, "GET", "/api/v1/audit?target="+fmt.Sprintf("team:%d", made.ID), "", &audit)
		if len(audit.Entries) != 2 || !strings.Contains(string(audit.Entries[0].Details), `"partner":false`) {
			t.Errorf("audit of the new team = %+v, want its creation and the change of partner", audit.Entries)
		}
		// An in-house supervisor still manages teams without the flag.
		w.must(t, http.StatusOK, w.supervisor, "PATCH", fmt.Sprintf("/api/v1/teams/%d", w.teamA), `{"name":"A (in-house)"}`, nil)
	})

	t.Run("admin in P sees all", func(t *testing.T) {
		if got := w.listed(t, w.paTok); slices.Compare(got, w.all()) != 0 {
			t.Errorf("pa lists %v, want %v", got, w.all())
		}
		w.must(t, http.StatusOK, w.paTok, "GET", convA, "", nil)
		w.must(t, http.StatusOK, w.paTok, "GET", "/api/v1/audit", "", nil)
	})

	t.Run("events", func(t *testing.T) {
		// A note on P's conversation is the last event the stream is read to.
		w.must(t, http.StatusCreated, w.admin, "POST", convA+"/notes", `{"text":"A's own business"}`, nil)
		w.must(t, http.StatusCreated, w.admin, "POST", convP+"/notes", `{"text":"for P"}`, nil)
		newest, err := w.Store.LatestEventID(ctx, workspace1)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, token string
			want        []care.ID
		}{
			{"p1", w.p1Tok, w.visible(w.p1)},
			{"pa", w.paTok, w.all()},
		} {
			got := map[care.ID]bool{}
			for _, e := range w.events(t, tc.token, newest) {
				if e.ConversationID == 0 && tc.name == "p1" {
					t.Errorf("p1 got event %d %s of no conversation", e.ID, e.Type)
				}
				got[e.ConversationID] = true
			}
			if got[w.convA.ConversationID] != slices.Contains(tc.want, w.convA.ConversationID) || !got[w.convP.ConversationID] || !got[w.convMine.ConversationID] {
				t.Errorf("%s got events of conversations %v, want those of %v", tc.name, got, tc.want)
			}
		}
	})

	// Last: it changes the world. The scope is read on every request.
	t.Run("leaving P", func(t *testing.T) {
		w.must(t, http.StatusOK, w.admin, "PUT", fmt.Sprintf("/api/v1/teams/%d/members", w.teamP), jsonBody(map[string]any{"member_ids": []care.ID{w.ps1, w.pa}}), nil)
		if got := w.listed(t, w.p1Tok); slices.Compare(got, w.all()) != 0 {
			t.Errorf("p1 out of P lists %v, want %v", got, w.all())
		}
		w.must(t, http.StatusOK, w.p1Tok, "GET", convA, "", nil)
		w.must(t, http.StatusOK, w.p1Tok, "GET", fmt.Sprintf("/api/v1/contacts/%d", w.convA.ContactID), "", nil)
		w.call(t, w.ps1Tok, "GET", convA, "").problem(t, http.StatusNotFound)
	})
}

// events reads the event stream as token from the start up to the event
// with id last, and returns the events it got.
func (w *partnerWorld) events(t *testing.T, token string, last care.ID) []care.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", w.base+"/api/v1/events?last_event_id=0", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := w.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/events = %d", resp.StatusCode)
	}
	var out []care.Event
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if id, ok := strings.CutPrefix(line, "id: "); ok {
			if n, _ := strconv.ParseInt(id, 10, 64); n > last {
				t.Fatalf("read past event %d without seeing it", last)
			}
			continue
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			continue
		}
		var e care.Event
		if err := json.Unmarshal([]byte(data), &e); err != nil {
			t.Fatalf("event data %q: %v", data, err)
		}
		out = append(out, e)
		if e.ID == last {
			return out
		}
	}
	t.Fatalf("the stream ended before event %d: %v", last, sc.Err())
	return nil
}
