package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
)

// world is a workspace with one of everything, made through the API.
type world struct {
	*testApp
	admin, supervisor, agent string // API tokens of workspace 1

	inbox     apiInbox      // where customers write
	inbox2    apiInbox      // a second API inbox, same customers
	rotatable care.ID       // an API inbox the tests may rotate
	in        *care.Message // an inbound message: its conversation and contact
	in2       *care.Message // the same customer in inbox2: a second conversation
	reply     care.ID       // an agent's reply in in's conversation
	team      care.ID
	member    care.ID // a user who is an agent of workspace 1
	tokenID   care.ID // an API token of workspace 1 that nobody uses
	merge     care.ID // a merge of two contacts of workspace 1
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{testApp: startApp(t)}
	w.admin = w.token(t, workspace1, care.RoleAdmin)
	w.supervisor = w.token(t, workspace1, care.RoleSupervisor)
	w.agent = w.token(t, workspace1, care.RoleAgent)

	w.inbox = w.createAPIInbox(t, w.admin, "Shop")
	w.inbox2 = w.createAPIInbox(t, w.admin, "Shop, second line")
	w.rotatable = w.createAPIInbox(t, w.admin, "Rotatable").ID
	w.in = w.ingest(t, w.inbox, "m-1", "cust-1", "Where is my order?")
	w.in2 = w.ingest(t, w.inbox2, "m-2", "cust-1", "Sent you a DM too")
	if w.in.ContactID != w.in2.ContactID || w.in.ConversationID == w.in2.ConversationID {
		t.Fatalf("fixtures: want one contact in two conversations, got %+v and %+v", w.in, w.in2)
	}

	var m care.Message
	w.must(t, http.StatusCreated, w.admin, "POST", fmt.Sprintf("/api/v1/conversations/%d/messages", w.in.ConversationID), `{"text":"On its way!"}`, &m)
	w.reply = m.ID

	var team care.Team
	w.must(t, http.StatusCreated, w.admin, "POST", "/api/v1/teams", `{"name":"Tier 1"}`, &team)
	w.team = team.ID

	u, _, err := accounts.CreateUser(context.Background(), w.Store, workspace1, "agent@example.com", "Agnes", care.RoleAgent, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	w.member = u.ID

	var tok struct {
		Token care.Token `json:"token"`
	}
	w.must(t, http.StatusCreated, w.admin, "POST", "/api/v1/tokens", `{"name":"unused","role":"agent"}`, &tok)
	w.tokenID = tok.Token.ID

	w.merge = w.newMerge(t)
	return w
}

// newMerge merges two new contacts and returns the merge id.
func (w *world) newMerge(t *testing.T) care.ID {
	t.Helper()
	a, b := w.newConversation(t, w.inbox), w.newConversation(t, w.inbox)
	var m care.Merge
	w.must(t, http.StatusOK, w.admin, "POST", fmt.Sprintf("/api/v1/contacts/%d/merge", a.ContactID), jsonBody(map[string]any{"contact_id": b.ContactID}), &m)
	return m.ID
}

// fixed is a request that is the same every time.
func fixed(path, body string) func(*testing.T) (string, string) {
	return func(*testing.T) (string, string) { return path, body }
}

// TestRoleMatrix calls every route as every kind of caller: no credentials,
// a bogus token, and tokens of each role. Callers below the route's role
// must be refused, and callers at or above it let through.
func TestRoleMatrix(t *testing.T) {
	w := newWorld(t)
	conv := fmt.Sprintf("/api/v1/conversations/%d", w.in.ConversationID)
	contact := fmt.Sprintf("/api/v1/contacts/%d", w.in.ContactID)

	// want is the status for callers with the role; 0 accepts anything that
	// is not an authentication, authorisation or missing-fixture failure.
	cases := map[string]struct {
		want int
		req  func(*testing.T) (path, body string)
	}{
		"GET /api/v1/session":    {200, fixed("/api/v1/session", "")},
		"DELETE /api/v1/session": {204, fixed("/api/v1/session", "")},
		// A token has no password to change.
		"PUT /api/v1/me/password": {400, fixed("/api/v1/me/password", `{"current_password":"old password 1","new_password":"new password 2"}`)},

		"GET /api/v1/conversations":        {200, fixed("/api/v1/conversations?status=open,pending&sort=priority", "")},
		"GET /api/v1/conversations/{id}":   {200, fixed(conv, "")},
		"PATCH /api/v1/conversations/{id}": {200, fixed(conv, `{"tags":["vip"]}`)},
		"GET /api/v1/conversations/{id}/survey": {200, func(t *testing.T) (string, string) {
			sv := &care.Survey{WorkspaceID: workspace1, ConversationID: w.in.ConversationID, ContactID: w.in.ContactID,
				Channel: care.ChannelAPI, TokenHash: []byte(fmt.Sprintf("token-%d", w.next())), SentAt: time.Now()}
			if err := w.Store.CreateSurvey(context.Background(), sv); err != nil {
				t.Fatal(err)
			}
			return conv + "/survey", ""
		}},
		"POST /api/v1/conversations/{id}/dismiss": {200, func(t *testing.T) (string, string) {
			in := w.ingest(t, w.inbox, fmt.Sprintf("d-%d", w.next()), fmt.Sprintf("dismiss-%d", w.next()), "first!!")
			return fmt.Sprintf("/api/v1/conversations/%d/dismiss", in.ConversationID), `{"reason":"a fan's greeting, nothing to answer"}`
		}},
		"POST /api/v1/conversations/{id}/link":     {200, fixed(conv+"/link", jsonBody(map[string]any{"private_conversation_id": w.in2.ConversationID}))},
		"GET /api/v1/conversations/{id}/messages":  {200, fixed(conv+"/messages", "")},
		"POST /api/v1/conversations/{id}/messages": {201, fixed(conv+"/messages", `{"text":"Thanks for writing"}`)},
		"POST /api/v1/conversations/{id}/notes":    {201, fixed(conv+"/notes", `{"text":"Customer is a regular"}`)},
		// Templates are WhatsApp's: 400 on the API inbox's conversation.
		"POST /api/v1/conversations/{id}/template": {400, fixed(conv+"/template", `{"name":"order_update","language":"en_US","parameters":["#1"]}`)},
		// 200 once the reply has failed, 400 while it is still queued.
		"POST /api/v1/messages/{id}/retry": {0, fixed(fmt.Sprintf("/api/v1/messages/%d/retry", w.reply), "")},
		"POST /api/v1/conversations/{id}/take-private": {201, func(t *testing.T) (string, string) {
			n := w.next()
			m := w.ingestPublic(t, w.inbox, fmt.Sprintf("pub-%d", n), fmt.Sprintf("fan-%d", n), "Your service is awful")
			return fmt.Sprintf("/api/v1/conversations/%d/take-private", m.ConversationID),
				jsonBody(map[string]any{"message_id": m.ID, "public_text": "Sorry! We sent you a DM.", "private_text": "What is your order number?"})
		}},
		// The API channel has no comments to moderate: 400 says so.
		"POST /api/v1/messages/{id}/moderate": {400, fixed(fmt.Sprintf("/api/v1/messages/%d/moderate", w.in.ID), `{"action":"hide"}`)},

		"GET /api/v1/contacts/{id}":            {200, fixed(contact, "")},
		"GET /api/v1/contacts/{id}/identities": {200, fixed(contact+"/identities", "")},
		"POST /api/v1/contacts/{id}/merge": {200, func(t *testing.T) (string, string) {
			a, b := w.newConversation(t, w.inbox), w.newConversation(t, w.inbox)
			return fmt.Sprintf("/api/v1/contacts/%d/merge", a.ContactID), jsonBody(map[string]any{"contact_id": b.ContactID})
		}},
		"POST /api/v1/merges/{id}/undo": {200, func(t *testing.T) (string, string) {
			return fmt.Sprintf("/api/v1/merges/%d/undo", w.newMerge(t)), ""
		}},

		"GET /api/v1/inboxes": {200, fixed("/api/v1/inboxes", "")},
		"POST /api/v1/inboxes": {201, func(*testing.T) (string, string) {
			return "/api/v1/inboxes", jsonBody(map[string]any{"channel": "api", "name": fmt.Sprintf("Matrix %d", w.next())})
		}},
		"GET /api/v1/inboxes/{id}":         {200, fixed(fmt.Sprintf("/api/v1/inboxes/%d", w.inbox.ID), "")},
		"PATCH /api/v1/inboxes/{id}":       {200, fixed(fmt.Sprintf("/api/v1/inboxes/%d", w.inbox.ID), `{"name":"Shop (renamed)"}`)},
		"POST /api/v1/inboxes/{id}/rotate": {200, fixed(fmt.Sprintf("/api/v1/inboxes/%d/rotate", w.rotatable), "")},
		"GET /api/v1/inboxes/{id}/setup":   {200, fixed(fmt.Sprintf("/api/v1/inboxes/%d/setup", w.inbox.ID), "")},
		// An API inbox has no templates: 400 says so.
		"GET /api/v1/inboxes/{id}/templates": {400, fixed(fmt.Sprintf("/api/v1/inboxes/%d/templates", w.inbox.ID), "")},

		"GET /api/v1/users": {200, fixed("/api/v1/users", "")},
		"POST /api/v1/users": {201, func(*testing.T) (string, string) {
			return "/api/v1/users", jsonBody(map[string]any{"email": fmt.Sprintf("new%d@example.com", w.next()), "name": "New", "role": "agent"})
		}},
		"PATCH /api/v1/users/{id}": {200, fixed(fmt.Sprintf("/api/v1/users/%d", w.member), `{"role":"agent"}`)},
		"DELETE /api/v1/users/{id}": {204, func(t *testing.T) (string, string) {
			u, _, err := accounts.CreateUser(context.Background(), w.Store, workspace1, fmt.Sprintf("leaving%d@example.com", w.next()), "Leaving", care.RoleAgent, "", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/users/%d", u.ID), ""
		}},

		"GET /api/v1/teams": {200, fixed("/api/v1/teams", "")},
		"POST /api/v1/teams": {201, func(*testing.T) (string, string) {
			return "/api/v1/teams", jsonBody(map[string]any{"name": fmt.Sprintf("Team %d", w.next())})
		}},
		"GET /api/v1/teams/{id}":         {200, fixed(fmt.Sprintf("/api/v1/teams/%d", w.team), "")},
		"PUT /api/v1/teams/{id}/members": {200, fixed(fmt.Sprintf("/api/v1/teams/%d/members", w.team), jsonBody(map[string]any{"member_ids": []care.ID{w.member}}))},
		"PATCH /api/v1/teams/{id}":       {200, fixed(fmt.Sprintf("/api/v1/teams/%d", w.team), `{"skills":{"languages":["en"]}}`)},

		"GET /api/v1/agents":        {200, fixed("/api/v1/agents", "")},
		"PATCH /api/v1/agents/{id}": {200, fixed(fmt.Sprintf("/api/v1/agents/%d", w.member), `{"capacity":{"social":5}}`)},
		// The matrix calls with tokens, which are nobody: presence is a person's.
		"PUT /api/v1/me/presence": {400, fixed("/api/v1/me/presence", `{"presence":"online"}`)},
		"GET /api/v1/queues":      {200, fixed("/api/v1/queues", "")},
		// So are notifications.
		"GET /api/v1/me/notifications":       {400, fixed("/api/v1/me/notifications", "")},
		"POST /api/v1/me/notifications/read": {400, fixed("/api/v1/me/notifications/read", `{"ids":[]}`)},

		"GET /api/v1/settings/{name}":           {200, fixed("/api/v1/settings/sla", "")},
		"PUT /api/v1/settings/{name}":           {200, fixed("/api/v1/settings/sla", `{"policies":[{"id":1,"name":"Social","match":{"channels":["x"]},"first_response":"1h"}]}`)},
		"GET /api/v1/reports/sla":               {200, fixed("/api/v1/reports/sla?by=team", "")},
		"GET /api/v1/approvals":                 {200, fixed("/api/v1/approvals", "")},
		"GET /api/v1/automation/webhook-secret": {200, fixed("/api/v1/automation/webhook-secret", "")},
		"POST /api/v1/messages/{id}/approve": {200, func(t *testing.T) (string, string) {
			return fmt.Sprintf("/api/v1/messages/%d/approve", w.held(t)), `{"text":"Edited by the approver"}`
		}},
		"POST /api/v1/messages/{id}/reject": {200, func(t *testing.T) (string, string) {
			return fmt.Sprintf("/api/v1/messages/%d/reject", w.held(t)), `{"reason":"Not our tone"}`
		}},
		"GET /api/v1/reports/csat":     {200, fixed("/api/v1/reports/csat?by=channel", "")},
		"GET /api/v1/reports/staffing": {200, fixed("/api/v1/reports/staffing?model=workload", "")},
		"GET /api/v1/reports/value":    {200, fixed("/api/v1/reports/value?by=team&hourly_cost=28", "")},
		"GET /api/v1/listening/report": {200, fixed("/api/v1/listening/report?step=day&tz=Europe/London", "")},
		"GET /api/v1/listening/posts":  {200, fixed("/api/v1/listening/posts?limit=10", "")},
		// 400 until the workspace has subjects: the matrix checks the role.
		"POST /api/v1/listening/posts": {0, fixed("/api/v1/listening/posts", `{"posts":[{"source":"news","platform_id":"n-1","text":"acme again","posted_at":"2026-01-01T00:00:00Z"}]}`)},
		"POST /api/v1/automation/dry-run": {200, fixed("/api/v1/automation/dry-run",
			`{"id":1,"name":"Orders","enabled":true,"trigger":"message.received","conditions":[{"field":"text","op":"contains","value":"order"}],"actions":[{"type":"add_tag","tag":"order"}]}`)},

		"GET /api/v1/tokens": {200, fixed("/api/v1/tokens", "")},
		"POST /api/v1/tokens": {201, func(*testing.T) (string, string) {
			return "/api/v1/tokens", jsonBody(map[string]any{"name": fmt.Sprintf("ci %d", w.next()), "role": "agent"})
		}},
		"DELETE /api/v1/tokens/{id}": {204, func(t *testing.T) (string, string) {
			var tok struct {
				Token care.Token `json:"token"`
			}
			w.must(t, http.StatusCreated, w.admin, "POST", "/api/v1/tokens", jsonBody(map[string]any{"name": fmt.Sprintf("doomed %d", w.next()), "role": "agent"}), &tok)
			return fmt.Sprintf("/api/v1/tokens/%d", tok.Token.ID), ""
		}},

		"GET /api/v1/search": {200, fixed("/api/v1/search?q=order&limit=5", "")},
		"GET /api/v1/audit":  {200, fixed("/api/v1/audit?limit=10", "")},
		"GET /api/v1/events": {200, fixed("/api/v1/events", "")},
	}
	// Routes that authenticate by their own means have tests of their own.
	public := map[string]bool{"POST /api/v1/session": true, "POST /api/v1/inboxes/{id}/messages": true}

	// partnerWant is the status for an agent of a partner team, who sees
	// none of the fixtures' conversations and contacts, on the routes an
	// agent may call. partnerUnchecked are the agent routes it leaves out:
	// changes to a conversation or message, which the desk checks and
	// answers for, and the password, which the token's user has none of.
	partnerWant := map[string]int{
		"GET /api/v1/session":                     200,
		"DELETE /api/v1/session":                  204,
		"GET /api/v1/conversations":               200,
		"GET /api/v1/conversations/{id}":          404,
		"GET /api/v1/conversations/{id}/survey":   404,
		"GET /api/v1/conversations/{id}/messages": 404,
		"POST /api/v1/conversations/{id}/link":    404,
		"GET /api/v1/contacts/{id}":               404,
		"GET /api/v1/contacts/{id}/identities":    404,
		"POST /api/v1/contacts/{id}/merge":        403,
		"GET /api/v1/inboxes":                     200,
		"GET /api/v1/inboxes/{id}":                200,
		"GET /api/v1/users":                       200,
		"GET /api/v1/teams":                       200,
		"GET /api/v1/teams/{id}":                  200,
		"GET /api/v1/agents":                      200,
		"PUT /api/v1/me/presence":                 200,
		"GET /api/v1/me/notifications":            200,
		"POST /api/v1/me/notifications/read":      200,
		"GET /api/v1/search":                      200,
		"GET /api/v1/events":                      200,

		// Templates: an API inbox has none, and the conversation is not theirs.
		"GET /api/v1/inboxes/{id}/templates":       400,
		"POST /api/v1/conversations/{id}/template": 404,
	}
	partnerUnchecked := map[string]bool{
		"PATCH /api/v1/conversations/{id}":             true,
		"POST /api/v1/conversations/{id}/dismiss":      true,
		"POST /api/v1/conversations/{id}/messages":     true,
		"POST /api/v1/conversations/{id}/notes":        true,
		"POST /api/v1/conversations/{id}/take-private": true,
		"POST /api/v1/messages/{id}/retry":             true,
		"POST /api/v1/messages/{id}/moderate":          true,
		"PUT /api/v1/me/password":                      true,
	}

	principals := []struct {
		name    string
		token   string
		role    care.Role // "" for no valid credentials
		partner bool      // a member of a partner team: see partnerWant
	}{
		{"no credentials", "", "", false},
		{"bogus token", "prl_not-a-real-token", "", false},
		{"agent", w.agent, care.RoleAgent, false},
		{"supervisor", w.supervisor, care.RoleSupervisor, false},
		{"admin", w.admin, care.RoleAdmin, false},
		{"partner agent", w.partnerAgent(t), care.RoleAgent, true},
	}

	for _, rt := range (&api.Server{}).Routes() {
		key := rt.Method + " " + rt.Pattern
		if rt.Role == "" {
			if !public[key] {
				t.Errorf("%s authenticates by its own means; give it a test and list it in public", key)
			}
			continue
		}
		c, ok := cases[key]
		if !ok {
			t.Errorf("%s has no case in the role matrix", key)
			continue
		}
		partner, hasPartner := partnerWant[key]
		if rt.Role == care.RoleAgent && !hasPartner && !partnerUnchecked[key] {
			t.Errorf("%s has no status for a partner agent in partnerWant", key)
		}
		t.Run(key, func(t *testing.T) {
			for _, p := range principals {
				if p.partner && rt.Role == care.RoleAgent && !hasPartner {
					continue
				}
				path, body := c.req(t)
				res := w.call(t, p.token, rt.Method, path, body)
				switch {
				case p.role == "":
					res.problem(t, http.StatusUnauthorized)
					if !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
						t.Errorf("%s: 401 without a WWW-Authenticate: Bearer challenge", p.name)
					}
				case !p.role.AtLeast(rt.Role):
					if pr := res.problem(t, http.StatusForbidden); !strings.Contains(pr.Detail, string(rt.Role)) {
						t.Errorf("%s: 403 detail %q does not name the %s role needed", p.name, pr.Detail, rt.Role)
					}
				case p.partner:
					if res.status != partner {
						t.Errorf("%s: %s %s = %s, want %d", p.name, rt.Method, path, res, partner)
					}
				case c.want != 0:
					if res.status != c.want {
						t.Errorf("%s: %s %s = %s, want %d", p.name, rt.Method, path, res, c.want)
					}
				default:
					switch {
					case res.status == http.StatusUnauthorized, res.status == http.StatusForbidden,
						res.status == http.StatusNotFound, res.status >= 500:
						t.Errorf("%s: %s %s = %s, want it let through", p.name, rt.Method, path, res)
					}
				}
			}
		})
	}
	for key := range cases {
		found := false
		for _, rt := range (&api.Server{}).Routes() {
			found = found || rt.Method+" "+rt.Pattern == key
		}
		if !found {
			t.Errorf("the role matrix has a case for %s, which is not a route", key)
		}
	}
	for key := range partnerWant {
		if _, ok := cases[key]; !ok || partnerUnchecked[key] {
			t.Errorf("partnerWant names %s, which has no case or is in partnerUnchecked too", key)
		}
	}
	for key := range partnerUnchecked {
		if _, ok := cases[key]; !ok {
			t.Errorf("partnerUnchecked names %s, which has no case", key)
		}
	}

	t.Run("POST /api/v1/session", func(t *testing.T) {
		if _, _, err := accounts.CreateUser(context.Background(), w.Store, workspace1, "sam@example.com", "Sam", care.RoleAgent, "correct horse battery", time.Now()); err != nil {
			t.Fatal(err)
		}
		// Whatever credentials ride along, only the password counts.
		for _, p := range principals {
			res := w.call(t, p.token, "POST", "/api/v1/session", `{"email":"sam@example.com","password":"wrong password"}`)
			res.problem(t, http.StatusUnauthorized)
		}
		unknown := w.call(t, "", "POST", "/api/v1/session", `{"email":"nobody@example.com","password":"wrong password"}`)
		wrong := w.call(t, "", "POST", "/api/v1/session", `{"email":"sam@example.com","password":"wrong password"}`)
		if a, b := unknown.problem(t, 401).Detail, wrong.problem(t, 401).Detail; a != b {
			t.Errorf("unknown email says %q but wrong password %q; they must not differ", a, b)
		}
		w.must(t, http.StatusCreated, "", "POST", "/api/v1/session", `{"email":"SAM@example.com ","password":"correct horse battery"}`, nil)
	})

	t.Run("POST /api/v1/inboxes/{id}/messages", func(t *testing.T) {
		path := fmt.Sprintf("/api/v1/inboxes/%d/messages", w.inbox.ID)
		// API tokens, even an admin's, are not the inbox's token.
		for _, p := range principals {
			res := w.call(t, p.token, "POST", path, `{"id":"matrix-denied","author":{"id":"cust-9"},"text":"hi"}`)
			res.problem(t, http.StatusUnauthorized)
		}
		w.ingest(t, w.inbox, "matrix-allowed", "cust-9", "hi")
		if _, err := w.Store.MessageByPlatformID(context.Background(), w.inbox.ID, "matrix-denied"); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("a refused message was stored (err %v)", err)
		}
	})
}

// TestWorkspaceIsolation checks that an admin of another workspace can
// neither see nor change workspace 1's objects: they are not found.
func TestWorkspaceIsolation(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	ws2 := &care.Workspace{Slug: "second", Name: "Second brand", CreatedAt: time.Now()}
	if err := w.Store.CreateWorkspace(ctx, ws2); err != nil {
		t.Fatal(err)
	}
	other := w.token(t, ws2.ID, care.RoleAdmin)
	otherInbox := w.createAPIInbox(t, other, "Second brand shop")
	otherIn := w.ingest(t, otherInbox, "ws2-m-1", "cust-1", "Hello from the other brand")
	if otherIn.ContactID == w.in.ContactID {
		t.Fatal("the same platform user id in two workspaces must be two contacts")
	}

	conv := fmt.Sprintf("/api/v1/conversations/%d", w.in.ConversationID)
	contact := fmt.Sprintf("/api/v1/contacts/%d", w.in.ContactID)
	inbox := fmt.Sprintf("/api/v1/inboxes/%d", w.inbox.ID)
	team := fmt.Sprintf("/api/v1/teams/%d", w.team)
	hidden := []struct{ method, path, body string }{
		{"GET", conv, ""},
		{"PATCH", conv, `{"status":"resolved"}`},
		{"GET", conv + "/messages", ""},
		{"POST", conv + "/messages", `{"text":"leak"}`},
		{"POST", conv + "/notes", `{"text":"leak"}`},
		{"POST", conv + "/link", jsonBody(map[string]any{"private_conversation_id": w.in2.ConversationID})},
		{"POST", fmt.Sprintf("/api/v1/messages/%d/retry", w.reply), ""},
		{"GET", contact, ""},
		{"GET", contact + "/identities", ""},
		{"POST", contact + "/merge", jsonBody(map[string]any{"contact_id": otherIn.ContactID})},
		// Merging a contact of workspace 1 into one's own is not found
		// either, rather than an error that confirms the contact exists.
		{"POST", fmt.Sprintf("/api/v1/contacts/%d/merge", otherIn.ContactID), jsonBody(map[string]any{"contact_id": w.in.ContactID})},
		{"POST", fmt.Sprintf("/api/v1/merges/%d/undo", w.merge), ""},
		{"GET", inbox, ""},
		{"PATCH", inbox, `{"name":"taken over"}`},
		{"POST", inbox + "/rotate", ""},
		{"GET", team, ""},
		{"PUT", team + "/members", `{"member_ids":[]}`},
		{"PATCH", fmt.Sprintf("/api/v1/users/%d", w.member), `{"role":"admin"}`},
		{"DELETE", fmt.Sprintf("/api/v1/users/%d", w.member), ""},
		{"DELETE", fmt.Sprintf("/api/v1/tokens/%d", w.tokenID), ""},
	}
	for _, h := range hidden {
		t.Run(h.method+" "+h.path, func(t *testing.T) {
			w.call(t, other, h.method, h.path, h.body).problem(t, http.StatusNotFound)
		})
	}

	t.Run("lists", func(t *testing.T) {
		lists := []struct{ path, key string }{
			{"/api/v1/conversations", "conversations"},
			{"/api/v1/inboxes", "inboxes"},
			{"/api/v1/teams", "teams"},
			{"/api/v1/tokens", "tokens"},
			{"/api/v1/audit", "entries"},
		}
		for _, l := range lists {
			var out map[string]json.RawMessage
			w.must(t, http.StatusOK, other, "GET", l.path, "", &out)
			var items []struct {
				WorkspaceID care.ID `json:"workspace_id"`
			}
			if err := json.Unmarshal(out[l.key], &items); err != nil {
				t.Fatalf("GET %s: %q: %v", l.path, l.key, err)
			}
			if len(items) == 0 && l.key != "teams" {
				t.Errorf("GET %s with workspace 2's token listed nothing; want workspace 2's own", l.path)
			}
			for _, item := range items {
				if item.WorkspaceID != ws2.ID {
					t.Errorf("GET %s with workspace 2's token listed an item of workspace %d", l.path, item.WorkspaceID)
				}
			}
		}
		var users struct {
			Users []struct {
				ID care.ID `json:"id"`
			} `json:"users"`
		}
		w.must(t, http.StatusOK, other, "GET", "/api/v1/users", "", &users)
		if len(users.Users) != 0 {
			t.Errorf("workspace 2 has no members, but GET /api/v1/users listed %v", users.Users)
		}
	})

	t.Run("nothing changed", func(t *testing.T) {
		var c care.Conversation
		w.must(t, http.StatusOK, w.admin, "GET", conv, "", &c)
		if c.Status != care.StatusOpen || c.LinkedID != 0 || c.MessageCount != 2 {
			t.Errorf("conversation after workspace 2's attempts = status %s, linked %d, %d messages; want open, unlinked, 2",
				c.Status, c.LinkedID, c.MessageCount)
		}
		var in care.Inbox
		w.must(t, http.StatusOK, w.admin, "GET", inbox, "", &in)
		if in.Name != "Shop" {
			t.Errorf("inbox name = %q, want Shop", in.Name)
		}
		w.ingest(t, w.inbox, "still-works", "cust-1", "the inbox token was not rotated")
		var tm care.Team
		w.must(t, http.StatusOK, w.admin, "GET", team, "", &tm)
		var m care.Merge
		w.must(t, http.StatusOK, w.supervisor, "POST", fmt.Sprintf("/api/v1/merges/%d/undo", w.merge), "", &m)
		w.must(t, http.StatusNoContent, w.admin, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", w.tokenID), "", nil)
		mem, err := w.Store.Member(ctx, workspace1, w.member)
		if err != nil || mem.Role != care.RoleAgent {
			t.Errorf("member after workspace 2's attempt = %+v, %v; want still an agent", mem, err)
		}
	})

	t.Run("inbox tokens do not cross", func(t *testing.T) {
		path := fmt.Sprintf("/api/v1/inboxes/%d/messages", otherInbox.ID)
		w.call(t, w.inbox.Token, "POST", path, `{"id":"cross","author":{"id":"x"},"text":"hi"}`).problem(t, http.StatusUnauthorized)
	})
}

// TestSessionCookie signs in as a browser does and checks the CSRF and
// cross-site defences of cookie-authenticated requests.
func TestSessionCookie(t *testing.T) {
	w := newWorld(t)
	if _, _, err := accounts.CreateUser(context.Background(), w.Store, workspace1, "sam@example.com", "Sam", care.RoleAgent, "correct horse battery", time.Now()); err != nil {
		t.Fatal(err)
	}
	res := w.call(t, "", "POST", "/api/v1/session", `{"email":"sam@example.com","password":"correct horse battery"}`)
	if res.status != http.StatusCreated {
		t.Fatalf("login = %s, want 201", res)
	}
	var sess struct {
		User        care.User     `json:"user"`
		WorkspaceID care.ID       `json:"workspace_id"`
		Role        care.Role     `json:"role"`
		Workspaces  []care.Member `json:"workspaces"`
		CSRFToken   string        `json:"csrf_token"`
		ExpiresAt   time.Time     `json:"expires_at"`
	}
	res.decode(t, &sess)
	if sess.User.Email != "sam@example.com" || sess.WorkspaceID != workspace1 || sess.Role != care.RoleAgent || sess.CSRFToken == "" || len(sess.Workspaces) != 1 {
		t.Fatalf("login answer = %+v", sess)
	}
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == api.SessionCookie {
			cookie = c
		}
	}
	if cookie == nil || cookie.Value == "" || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("login set cookie %+v, want an HttpOnly SameSite=Lax %s", cookie, api.SessionCookie)
	}

	headers := func(kv ...string) http.Header {
		h := http.Header{"Cookie": {api.SessionCookie + "=" + cookie.Value}}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	conv := fmt.Sprintf("/api/v1/conversations/%d", w.in.ConversationID)
	patch := `{"tags":["from-browser"]}`

	if res := w.send(t, "GET", "/api/v1/session", "", headers()); res.status != http.StatusOK {
		t.Errorf("GET with the cookie and no CSRF header = %s, want 200 (safe methods need none)", res)
	}
	if pr := w.send(t, "PATCH", conv, patch, headers()).problem(t, http.StatusForbidden); !strings.Contains(pr.Detail, api.CSRFHeader) {
		t.Errorf("403 detail %q does not name the %s header", pr.Detail, api.CSRFHeader)
	}
	w.send(t, "PATCH", conv, patch, headers(api.CSRFHeader, "wrong")).problem(t, http.StatusForbidden)
	var c care.Conversation
	w.must(t, http.StatusOK, w.admin, "GET", conv, "", &c)
	for _, tag := range c.Tags {
		if tag == "from-browser" {
			t.Fatal("a PATCH refused for its CSRF header changed the conversation")
		}
	}
	if res := w.send(t, "PATCH", conv, patch, headers(api.CSRFHeader, sess.CSRFToken)); res.status != http.StatusOK {
		t.Errorf("PATCH with the CSRF header = %s, want 200", res)
	}

	// A cross-site request is refused before anything else, CSRF token or not.
	if res := w.send(t, "POST", conv+"/notes", `{"text":"cross-site"}`, headers(api.CSRFHeader, sess.CSRFToken, "Sec-Fetch-Site", "cross-site")); res.status != http.StatusForbidden {
		t.Errorf("cross-site POST = %s, want 403", res)
	}
	if res := w.send(t, "POST", conv+"/notes", `{"text":"same-origin"}`, headers(api.CSRFHeader, sess.CSRFToken, "Sec-Fetch-Site", "same-origin")); res.status != http.StatusCreated {
		t.Errorf("same-origin POST = %s, want 201", res)
	}

	// An agent's cookie carries an agent's rights, no more.
	w.send(t, "POST", "/api/v1/tokens", `{"name":"escalate","role":"admin"}`, headers(api.CSRFHeader, sess.CSRFToken)).problem(t, http.StatusForbidden)
	// A workspace the user is not a member of cannot be chosen.
	w.send(t, "GET", "/api/v1/session", "", headers(api.WorkspaceHeader, "2")).problem(t, http.StatusForbidden)

	// Changing the password needs the current one.
	w.send(t, "PUT", "/api/v1/me/password", `{"current_password":"not it","new_password":"another fine phrase"}`,
		headers(api.CSRFHeader, sess.CSRFToken)).problem(t, http.StatusForbidden)
	if res := w.send(t, "PUT", "/api/v1/me/password", `{"current_password":"correct horse battery","new_password":"another fine phrase"}`,
		headers(api.CSRFHeader, sess.CSRFToken)); res.status != http.StatusNoContent {
		t.Errorf("change password = %s, want 204", res)
	}

	if res := w.send(t, "DELETE", "/api/v1/session", "", headers(api.CSRFHeader, sess.CSRFToken)); res.status != http.StatusNoContent {
		t.Fatalf("logout = %s, want 204", res)
	}
	w.send(t, "GET", "/api/v1/session", "", headers()).problem(t, http.StatusUnauthorized)
	w.must(t, http.StatusUnauthorized, "", "POST", "/api/v1/session", `{"email":"sam@example.com","password":"correct horse battery"}`, nil)
	w.must(t, http.StatusCreated, "", "POST", "/api/v1/session", `{"email":"sam@example.com","password":"another fine phrase"}`, nil)
}

// partnerAgent returns the token of an agent in a new partner team, which
// owns none of the world's conversations.
func (w *world) partnerAgent(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	u, _, err := accounts.CreateUser(ctx, w.Store, workspace1, "partner@example.com", "Pat", care.RoleAgent, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	w.must(t, http.StatusCreated, w.admin, "POST", "/api/v1/teams", jsonBody(map[string]any{"name": "Outsourced", "partner": true, "member_ids": []care.ID{u.ID}}), nil)
	_, secret, err := accounts.CreateToken(ctx, w.Store, workspace1, u.ID, "Pat's token", care.RoleAgent, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// held stores a public reply held for approval in the fixture conversation.
func (w *world) held(t *testing.T) care.ID {
	t.Helper()
	m := &care.Message{WorkspaceID: workspace1, ConversationID: w.in.ConversationID, InboxID: w.inbox.ID, Direction: care.DirectionOut,
		Visibility: care.Public, AuthorName: "Agnes", Text: "A held reply", Status: care.DeliveryPendingApproval, CreatedAt: time.Now()}
	if err := w.Store.CreateMessage(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	return m.ID
}
