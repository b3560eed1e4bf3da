package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

// partnerWorld is a workspace with an outsourced team: Sam (the fixture's
// agent) and Kim work in "Outsource Co", a partner team; Lou supervises
// it; Ina works in the in-house team "Acme Care". Of its conversations,
// Sam's scope sees own (the partner team's), escalated (Acme Care's,
// escalated to the partner team) and assigned (Acme Care's, assigned to
// Sam); not hidden (Acme Care's), loose (no team) nor history (another
// conversation of own's customer, Acme Care's).
type partnerWorld struct {
	*fixture
	partner, inhouse                        *care.Team
	kim, lou, ina, ada                      *care.User
	own, escalated, assigned, hidden, loose *care.Conversation
	history                                 *care.Conversation
	historyMsg                              *care.Message
	sam, kimC, louC, adaC                   *client
	visible, invisible                      []*care.Conversation
	hiddenHeld, ownHeld                     *care.Message
}

func newPartnerWorld(t *testing.T) *partnerWorld {
	t.Helper()
	f := newFixture(t)
	w := &partnerWorld{fixture: f}
	ctx := context.Background()
	w.kim = f.user("kim@outsource.test", "Kim Partner", care.RoleAgent)
	w.lou = f.user("lou@outsource.test", "Lou Partnerlead", care.RoleSupervisor)
	w.ina = f.user("ina@acme.test", "Ina Inhouse", care.RoleAgent)
	w.ada = f.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	w.partner = &care.Team{WorkspaceID: f.ws.ID, Name: "Outsource Co", Partner: true}
	w.inhouse = &care.Team{WorkspaceID: f.ws.ID, Name: "Acme Care"}
	for _, tm := range []*care.Team{w.partner, w.inhouse} {
		if err := f.store.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.SetTeamMembers(ctx, w.partner.ID, []care.ID{f.agent.ID, w.kim.ID, w.lou.ID}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetTeamMembers(ctx, w.inhouse.ID, []care.ID{w.ina.ID}); err != nil {
		t.Fatal(err)
	}
	set := func(c *care.Conversation, u care.ConversationUpdate) *care.Conversation {
		t.Helper()
		out, err := f.store.UpdateConversation(ctx, c.ID, u, f.now)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	id := func(v care.ID) *care.ID { return &v }
	w.own = set(f.conversation(f.inbox, "Olga", "Where is my parcel? ours"), care.ConversationUpdate{TeamID: id(w.partner.ID)})
	w.escalated = set(f.conversation(f.inbox, "Eve", "The parcel escalated"),
		care.ConversationUpdate{TeamID: id(w.inhouse.ID), EscalationTeamID: id(w.partner.ID)})
	w.assigned = set(f.conversation(f.inbox, "Ann", "A parcel for Sam"),
		care.ConversationUpdate{TeamID: id(w.inhouse.ID), AssigneeID: id(f.agent.ID)})
	w.hidden = set(f.conversation(f.inbox, "Hugo Secretname", "The parcel and my secret refund"), care.ConversationUpdate{TeamID: id(w.inhouse.ID)})
	w.loose = f.conversation(f.inbox, "Lena", "A parcel nobody owns")
	// Olga wrote again; Acme Care has that one.
	w.history = set(f.conversation(f.inbox, "Olga", "Olga's confidential history"), care.ConversationUpdate{TeamID: id(w.inhouse.ID)})
	if w.history.ContactID != w.own.ContactID {
		t.Fatalf("the second conversation of Olga has contact %d, want %d", w.history.ContactID, w.own.ContactID)
	}
	w.historyMsg = &f.messages(w.history)[0]
	w.visible = []*care.Conversation{w.own, w.escalated, w.assigned}
	w.invisible = []*care.Conversation{w.hidden, w.loose, w.history}

	heldIn := func(c *care.Conversation, author *care.User, text string) *care.Message {
		t.Helper()
		m := &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionOut,
			Visibility: care.Public, ContactID: c.ContactID, Text: text, AuthorID: author.ID, Status: care.DeliveryPendingApproval,
			StatusReason: "replies by agents are approved first", CreatedAt: f.now}
		if err := f.store.CreateMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	w.ownHeld = heldIn(w.own, w.kim, "Held reply in our own conversation")
	w.hiddenHeld = heldIn(w.hidden, w.ina, "Held reply about the secret refund")
	notify := func(c *care.Conversation, text string) {
		t.Helper()
		n := &care.Notification{WorkspaceID: f.ws.ID, UserID: f.agent.ID, Kind: care.NotifyMention, ConversationID: c.ID,
			Text: text, CreatedAt: f.now}
		if err := f.store.CreateNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	notify(w.own, "Kim mentioned you: look at Olga")
	notify(w.hidden, "Ina mentioned you: the secret refund")

	w.sam, w.kimC, w.louC, w.adaC = f.login(), f.loginAs(w.kim), f.loginAs(w.lou), f.loginAs(w.ada)
	return w
}

var rowHref = regexp.MustCompile(`class="row-link" href="/c/(\d+)`)

// rows lists the conversation ids a list page shows.
func rows(body string) map[string]bool {
	out := map[string]bool{}
	for _, m := range rowHref.FindAllStringSubmatch(body, -1) {
		out[m[1]] = true
	}
	return out
}

func TestPartnerInbox(t *testing.T) {
	t.Parallel()
	w := newPartnerWorld(t)

	// The admin sees the whole workspace: the fixture hides nothing by
	// itself.
	if _, body := w.adaC.get("/"); len(rows(body)) != 6 {
		t.Fatalf("the admin's inbox shows %d conversations, want 6", len(rows(body)))
	}

	res, body := w.sam.get("/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d", res.StatusCode)
	}
	got := rows(body)
	for _, c := range w.visible {
		if !got[itoa(c.ID)] {
			t.Errorf("the partner agent's inbox lacks conversation %d", c.ID)
		}
	}
	for _, c := range w.invisible {
		if got[itoa(c.ID)] {
			t.Errorf("the partner agent's inbox shows conversation %d, outside their scope", c.ID)
		}
	}
	for _, want := range []string{
		`>Mine<span class="count">1</span>`,
		`>Unassigned<span class="count">2</span>`,
		`>All<span class="count">3</span>`,
		`>Outsource Co<span class="count">2</span>`,
		`Web form · API (3)`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the partner agent's inbox lacks %s", want)
		}
	}
	if strings.Contains(body, "Acme Care") {
		t.Error("the view switcher offers a partner agent the in-house team's view")
	}
	// The in-house team's view, asked for by hand, holds only what the
	// scope sees of it.
	_, body = w.sam.get("/?team=" + itoa(w.inhouse.ID))
	if got := rows(body); len(got) != 2 || !got[itoa(w.escalated.ID)] || !got[itoa(w.assigned.ID)] {
		t.Errorf("the in-house team's view shows a partner agent %v, want the escalated and assigned conversations", got)
	}
	// The live refresh of the list is the same list.
	if _, body := w.sam.get("/list?view=all"); rows(body)[itoa(w.hidden.ID)] || len(rows(body)) != 3 {
		t.Errorf("the list fragment shows a partner agent %v", rows(body))
	}
}

func TestPartnerConversation(t *testing.T) {
	t.Parallel()
	w := newPartnerWorld(t)
	_, missing := w.sam.get("/c/999999")
	for _, c := range w.invisible {
		res, body := w.sam.get(convPath(c, ""))
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Conversation not found.") {
			t.Errorf("GET %s outside the scope = %d, want 404", convPath(c, ""), res.StatusCode)
		}
		// The page's own address (where the presence menu returns) is the
		// one difference: it is what the person asked for.
		if strings.ReplaceAll(body, convPath(c, ""), "/c/999999") != missing {
			t.Errorf("the 404 of %s differs from a missing conversation's", convPath(c, ""))
		}
		if res, _ := w.sam.get(convPath(c, "/live")); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", convPath(c, "/live"), res.StatusCode)
		}
	}
	for _, c := range w.visible {
		if res, body := w.sam.get(convPath(c, "")); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s in the scope = %d\n%s", convPath(c, ""), res.StatusCode, body)
		}
	}

	// Actions on a conversation outside the scope are "not found", and
	// change nothing.
	for _, a := range []struct {
		path string
		form url.Values
	}{
		{"/note", url.Values{"text": {"peek"}}},
		{"/reply", url.Values{"text": {"peek"}, "visibility": {"public"}}},
		{"/status", url.Values{"status": {"resolved"}}},
		{"/assign", url.Values{"assignee": {"me"}}},
		{"/team", url.Values{"team": {itoa(w.partner.ID)}}},
		{"/tags", url.Values{"add": {"mine"}}},
		{"/presence", url.Values{"typing": {"1"}}},
		{"/merge", url.Values{"other": {itoa(w.own.ContactID)}}},
		{"/messages/" + itoa(w.hiddenHeld.ID) + "/retry", nil},
		{"/messages/" + itoa(w.hiddenHeld.ID) + "/moderate", url.Values{"action": {"hide"}}},
		{"/messages/" + itoa(w.hiddenHeld.ID) + "/private", url.Values{"public_text": {"a"}, "private_text": {"b"}}},
	} {
		if res, _ := w.sam.act(convPath(w.hidden, a.path), a.form); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s outside the scope = %d, want 404", a.path, res.StatusCode)
		}
	}
	if h := w.reload(w.hidden); h.Status != care.StatusOpen || h.AssigneeID != 0 || h.TeamID != w.inhouse.ID || len(h.Tags) != 0 ||
		len(w.messages(h)) != 2 {
		t.Errorf("actions outside the scope changed the conversation: %+v", h)
	}
	// A message outside the scope through a conversation inside it.
	for _, p := range []string{"/messages/" + itoa(w.historyMsg.ID) + "/html", "/media/" + itoa(w.historyMsg.ID) + "/0"} {
		if res, body := w.sam.get(convPath(w.own, p)); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "no such message") {
			t.Errorf("GET %s of a message outside the scope = %d %q", p, res.StatusCode, body)
		}
	}
	if res, _ := w.sam.act(convPath(w.own, "/messages/"+itoa(w.hiddenHeld.ID)+"/retry"), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("retrying a message outside the scope through one inside = %d, want 404", res.StatusCode)
	}

	// The conversation in scope: its customer's other conversation, which
	// Acme Care has, is neither in the timeline nor in the panel; merging
	// is not offered, nor another team, nor colleagues outside the team.
	_, body := w.sam.get(convPath(w.own, ""))
	if strings.Contains(body, "confidential history") || strings.Contains(body, `href="`+convPath(w.history, "")) {
		t.Error("the conversation shows a partner agent the customer's conversation outside their scope")
	}
	if strings.Contains(body, "/merge") || strings.Contains(body, "Same person elsewhere") {
		t.Error("a partner agent is offered to merge contacts")
	}
	if strings.Contains(body, "Acme Care") || strings.Contains(body, "Ina Inhouse") || strings.Contains(body, "Ada Admin") {
		t.Error("the conversation's menus offer a partner agent teams or colleagues outside their teams")
	}
	if !strings.Contains(body, "Kim Partner") {
		t.Error("the Assign menu does not offer the partner agent's teammate")
	}
	if res, body := w.sam.act(convPath(w.own, "/merge"), url.Values{"other": {itoa(w.hidden.ContactID)}}); res.StatusCode != http.StatusForbidden ||
		!strings.Contains(body, "Members of a partner team cannot merge contacts") {
		t.Errorf("POST merge as a partner agent = %d, want 403", res.StatusCode)
	}
	// Their customer's own page, for someone who sees the whole workspace,
	// still shows both.
	if _, body := w.adaC.get(convPath(w.own, "")); !strings.Contains(body, "confidential history") || !strings.Contains(body, "Same person elsewhere") {
		t.Error("the admin no longer sees the customer's whole history and the merge form")
	}

	// Letting go of a conversation that was theirs only by assignment
	// takes them back to the list, not to a "not found".
	res, _ := w.sam.act(convPath(w.assigned, "/assign"), url.Values{"assignee": {"none"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/" {
		t.Errorf("unassigning a conversation that leaves the scope = %d to %q, want 303 to /", res.StatusCode, loc)
	}
	if res, _ := w.sam.get(convPath(w.assigned, "")); res.StatusCode != http.StatusNotFound {
		t.Errorf("the conversation the agent let go is still open to them: %d", res.StatusCode)
	}
}

func TestPartnerSearch(t *testing.T) {
	t.Parallel()
	w := newPartnerWorld(t)
	_, body := w.sam.get("/search?q=parcel")
	for _, c := range w.visible {
		if !strings.Contains(body, `href="`+convPath(c, "")+`"`) {
			t.Errorf("search does not find conversation %d in the scope", c.ID)
		}
	}
	for _, c := range w.invisible {
		if strings.Contains(body, `href="`+convPath(c, "")+`"`) {
			t.Errorf("search finds conversation %d outside the scope", c.ID)
		}
	}
	if strings.Contains(body, "secret") {
		t.Error("search shows words of a conversation outside the scope")
	}
	if _, body := w.sam.get("/search?q=secretname"); !strings.Contains(body, "Nothing matches") {
		t.Error("search finds a partner agent a contact they do not see")
	}
	if _, body := w.sam.get("/search?q=confidential"); !strings.Contains(body, "Nothing matches") {
		t.Error("search finds a partner agent a message outside their scope")
	}
	// Olga is seen through her conversation in the scope, and leads there.
	_, body = w.sam.get("/search?q=olga")
	if !strings.Contains(body, `href="`+convPath(w.own, "")+`"`) || strings.Contains(body, `href="`+convPath(w.history, "")+`"`) {
		t.Errorf("search for a contact in the scope does not lead to their conversation in it:\n%s", body)
	}
	// Everyone else still finds everything.
	if _, body := w.adaC.get("/search?q=parcel"); !strings.Contains(body, `href="`+convPath(w.hidden, "")+`"`) {
		t.Error("the admin's search no longer finds every conversation")
	}
}

func TestPartnerWorkspacePages(t *testing.T) {
	t.Parallel()
	w := newPartnerWorld(t)

	// The partner team's supervisor: no queues, and only their teams'
	// held replies.
	res, body := w.louC.get("/approvals")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /approvals as the partner supervisor = %d", res.StatusCode)
	}
	if !strings.Contains(body, "Held reply in our own conversation") || strings.Contains(body, "secret refund") {
		t.Error("the approvals page shows the partner supervisor held replies outside their scope, or not theirs")
	}
	if !strings.Contains(body, `Approvals <span class="count">1</span>`) {
		t.Error("the navigation does not count the one held reply in the scope")
	}
	if strings.Contains(body, `href="/queues"`) {
		t.Error("a partner supervisor is offered the workspace's queues")
	}
	if res, body := w.louC.get("/queues"); res.StatusCode != http.StatusForbidden ||
		!strings.Contains(body, "Members of a partner team cannot see the workspace&#39;s queues") {
		t.Errorf("GET /queues as the partner supervisor = %d, want 403", res.StatusCode)
	}
	for _, d := range []string{"approve", "reject"} {
		res, _ := w.louC.act("/approvals/"+itoa(w.hiddenHeld.ID)+"/"+d, url.Values{"text": {"ok"}, "reason": {"no"}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s of a held reply outside the scope = %d, want 404", d, res.StatusCode)
		}
	}
	if m, err := w.store.Message(context.Background(), w.hiddenHeld.ID); err != nil || m.Status != care.DeliveryPendingApproval {
		t.Errorf("the held reply outside the scope was decided on: %v, %v", m, err)
	}
	if _, body := w.adaC.get("/approvals"); !strings.Contains(body, "secret refund") || !strings.Contains(body, `href="/queues"`) {
		t.Error("the admin no longer sees every held reply and the queues")
	}

	// Notifications about a conversation outside the scope are not shown
	// nor counted.
	_, body = w.sam.get("/notifications")
	if !strings.Contains(body, "look at Olga") || strings.Contains(body, "secret refund") {
		t.Error("the notifications show a partner agent a conversation outside their scope, or not theirs")
	}
	if !strings.Contains(body, `id="notify-count">1</span>`) {
		t.Error("the navigation does not count the one notification in the scope")
	}
}
