package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
)

// held posts a public reply by the agent that the approval rules hold, and
// returns it.
func held(t *testing.T, f *fixture, c *client, conv *care.Conversation, text string) *care.Message {
	t.Helper()
	if res, body := c.act(convPath(conv, "/reply"), url.Values{"text": {text}, "visibility": {"public"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST reply = %d\n%s", res.StatusCode, body)
	}
	ms := f.messages(conv)
	m := ms[len(ms)-1]
	if m.Status != care.DeliveryPendingApproval {
		t.Fatalf("the agent's public reply is %s, want held for approval", m.Status)
	}
	return &m
}

func TestApprovals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setting(desk.ApprovalSettingName, `{"roles":["agent"],"words":["refund"],"sla":"15m"}`)
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	ana := f.conversation(f.inbox, "Ana <b>Lima</b>", "Your app charged me twice!")
	bo := f.conversation(f.inbox, "Bo", "Still waiting for my parcel")
	agent, supervisor := f.login(), f.loginAs(lee)

	first := held(t, f, agent, ana, "So sorry Ana, a refund is on its way.")
	f.now = f.now.Add(10 * time.Minute)
	second := held(t, f, agent, bo, "It ships tomorrow, promise.")

	// The agent sees the reply waiting, with why; not the queue.
	_, body := agent.get(convPath(ana, ""))
	if want := `Waiting for approval: <bdi>replies by agents are approved first; mentions &#34;refund&#34;</bdi>`; !strings.Contains(body, want) {
		t.Errorf("the held reply does not show %s", want)
	}
	if strings.Contains(body, `href="/approvals"`) || strings.Contains(body, "Review</a>") {
		t.Error("an agent is offered the approvals page")
	}
	if res, body := agent.get("/approvals"); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Only supervisors and admins approve replies.") {
		t.Errorf("GET /approvals as an agent = %d, want 403", res.StatusCode)
	}
	if res, _ := agent.act("/approvals/"+itoa(first.ID)+"/approve", url.Values{"text": {"ok"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST approve as an agent = %d, want 403", res.StatusCode)
	}
	if res, _ := agent.act("/approvals/"+itoa(first.ID)+"/reject", url.Values{"reason": {"no"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST reject as an agent = %d, want 403", res.StatusCode)
	}

	// The supervisor's navigation counts the queue; the queue shows each
	// reply with what it answers, oldest first, the first one overdue.
	f.now = f.now.Add(6 * time.Minute)
	res, body := supervisor.get("/approvals")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /approvals = %d", res.StatusCode)
	}
	if !strings.Contains(body, `<a class="approvals-link" href="/approvals" title="Replies waiting for approval">Approvals <span class="count">2</span></a>`) {
		t.Error("the navigation does not count 2 waiting")
	}
	i, j := strings.Index(body, `id="a`+itoa(first.ID)+`"`), strings.Index(body, `id="a`+itoa(second.ID)+`"`)
	if i < 0 || j < 0 || i > j {
		t.Fatalf("the queue does not list both replies oldest first")
	}
	card := body[i:j]
	for _, want := range []string{
		"Overdue by 1m", "Ana &lt;b&gt;Lima&lt;/b&gt;", `href="/c/` + itoa(ana.ID) + `"`,
		"Your app charged me twice!", "Written by <bdi>Sam Agent</bdi>",
		"Held: <bdi>replies by agents are approved first</bdi>; <bdi>mentions &#34;refund&#34;</bdi>",
		`>So sorry Ana, a refund is on its way.</textarea>`, `action="/approvals/` + itoa(first.ID) + `/approve"`,
		`data-unit="bytes" data-limit="65536"`, `name="reason" required`,
	} {
		if !strings.Contains(card, want) {
			t.Errorf("the first reply's card lacks %s", want)
		}
	}
	if !strings.Contains(body, `<li class="approval overdue" id="a`+itoa(first.ID)+`">`) || !strings.Contains(body, `<li class="approval" id="a`+itoa(second.ID)+`">`) {
		t.Error("the first reply is not marked overdue, or the second is")
	}
	if !strings.Contains(body[j:], "Due in 9m") {
		t.Error("the second reply is not due in 9 minutes")
	}
	checkMarkup(t, "/approvals", body)

	// A conversation shows a supervisor the way to the queue.
	if _, body := supervisor.get(convPath(ana, "")); !strings.Contains(body, `<a href="/approvals#a`+itoa(first.ID)+`">Review</a>`) {
		t.Error("the held reply offers the supervisor no way to review it")
	}

	// Refusals come back beside their reply, with what was written.
	res, body = supervisor.act("/approvals/"+itoa(first.ID)+"/approve", url.Values{"text": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The message is empty.") {
		t.Errorf("approve with an empty edit = %d, want 422", res.StatusCode)
	}
	res, body = supervisor.act("/approvals/"+itoa(second.ID)+"/reject", url.Values{"reason": {" "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Say why the reply is rejected") {
		t.Errorf("reject without a reason = %d, want 422", res.StatusCode)
	}

	// Approve with an edit; reject with a reason.
	edited := "So sorry, Ana.\r\nWe have refunded the second charge."
	res, _ = supervisor.act("/approvals/"+itoa(first.ID)+"/approve", url.Values{"text": {edited}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/approvals?done=approved" {
		t.Fatalf("POST approve = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, _ = supervisor.act("/approvals/"+itoa(second.ID)+"/reject", url.Values{"reason": {"Don't promise dates <ever>."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST reject = %d", res.StatusCode)
	}
	ctx := context.Background()
	if m, err := f.store.Message(ctx, first.ID); err != nil || m.Status != care.DeliveryQueued || m.Text != "So sorry, Ana.\nWe have refunded the second charge." {
		t.Errorf("the approved reply = %+v, %v; want queued with the edit", m, err)
	}
	if m, err := f.store.Message(ctx, second.ID); err != nil || m.Status != care.DeliveryRejected || m.StatusReason != "Don't promise dates <ever>." {
		t.Errorf("the rejected reply = %+v, %v; want rejected with the reason", m, err)
	}
	_, body = agent.get(convPath(bo, ""))
	if !strings.Contains(body, "Rejected: <bdi>Don&#39;t promise dates &lt;ever&gt;.</bdi>") {
		t.Error("the conversation does not show the rejection's reason")
	}

	// Deciding twice, a message of another workspace, a bad id.
	res, body = supervisor.act("/approvals/"+itoa(second.ID)+"/approve", url.Values{"text": {"x"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(html.UnescapeString(body), "This reply is not waiting for approval.") {
		t.Errorf("approving a rejected reply = %d, want 409", res.StatusCode)
	}
	other := f.conversation(f.inbox2, "Zed", "hello")
	for _, path := range []string{"/approvals/" + itoa(f.messages(other)[0].ID) + "/approve", "/approvals/abc/reject", "/approvals/999999/approve"} {
		if res, _ := supervisor.act(path, url.Values{"text": {"x"}, "reason": {"x"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s = %d, want 404", path, res.StatusCode)
		}
	}
	if res, _ := supervisor.post("/approvals/"+itoa(first.ID)+"/approve", url.Values{"text": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST approve without the CSRF token = %d, want 403", res.StatusCode)
	}
	res, body = supervisor.get("/approvals?done=rejected")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Nothing waits for approval.") || !strings.Contains(body, "Rejected: the reply will not be sent") {
		t.Errorf("GET /approvals after deciding = %d, want an empty queue and the notice", res.StatusCode)
	}
	if strings.Contains(body, `<span class="count">`) {
		t.Error("the navigation still counts replies waiting")
	}
}

// TestApproveUnchanged checks that a reply approved as written is not
// recorded as edited: the textarea posts its line breaks as CR LF.
func TestApproveUnchanged(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setting(desk.ApprovalSettingName, `{"roles":["agent"]}`)
	admin := f.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	conv := f.conversation(f.inbox, "Ana", "Hello?")
	m := held(t, f, f.login(), conv, "Line one\nline two")
	c := f.loginAs(admin)
	if res, _ := c.act("/approvals/"+itoa(m.ID)+"/approve", url.Values{"text": {"Line one\r\nline two"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST approve = %d", res.StatusCode)
	}
	entries, err := f.store.Audit(context.Background(), f.ws.ID, "message:"+itoa(m.ID), 10)
	if err != nil {
		t.Fatal(err)
	}
	var approvals []string
	for _, e := range entries {
		if e.Action == "message.approve" {
			approvals = append(approvals, string(e.Details))
		}
	}
	if len(approvals) != 1 || !strings.Contains(approvals[0], `"edited":false`) {
		t.Errorf("audit of the approval = %v, want one, not edited", approvals)
	}
	if got, _ := f.store.Message(context.Background(), m.ID); got.Text != "Line one\nline two" {
		t.Errorf("the approved text = %q, want it as written", got.Text)
	}
}

// TestApproveOwnReply checks that an approver cannot approve a reply of
// their own: the refusal is said beside it, and another approver may.
func TestApproveOwnReply(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setting(desk.ApprovalSettingName, `{"words":["refund"]}`)
	lee := f.user("lee@acme.test", "Lee Supervisor", care.RoleSupervisor)
	ada := f.user("ada@acme.test", "Ada Admin", care.RoleAdmin)
	conv := f.conversation(f.inbox, "Ana", "Charged twice")
	supervisor := f.loginAs(lee)
	m := held(t, f, supervisor, conv, "A refund is on its way.")
	approveForm := `action="/approvals/` + itoa(m.ID) + `/approve"`
	if _, page := supervisor.get("/approvals"); strings.Contains(page, approveForm) || !strings.Contains(page, "Your own reply") {
		t.Error("the approvals page offers its author Approve on their own reply")
	}
	if _, page := f.loginAs(ada).get("/approvals"); !strings.Contains(page, approveForm) {
		t.Error("the approvals page does not offer another approver Approve")
	}

	res, body := supervisor.act("/approvals/"+itoa(m.ID)+"/approve", url.Values{"text": {m.Text}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "You cannot approve your own reply; another supervisor or admin must.") {
		t.Errorf("approving one's own reply = %d, want 403 saying why", res.StatusCode)
	}
	if got, _ := f.store.Message(context.Background(), m.ID); got.Status != care.DeliveryPendingApproval {
		t.Errorf("the reply is %s after its author approved it, want still held", got.Status)
	}
	if res, _ := f.loginAs(ada).act("/approvals/"+itoa(m.ID)+"/approve", url.Values{"text": {m.Text}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another approver approving = %d, want 303", res.StatusCode)
	}
}
