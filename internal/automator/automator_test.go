package automator_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/automation"
	"github.com/parleyhq/parley/internal/automator"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/deadline"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/triage"
)

type world struct {
	s       care.Store
	ws      *care.Workspace
	inbox   *care.Inbox
	billing *care.Team
	pr      *care.Team
	agent   care.Principal
	now     time.Time
	run     *automator.Runner
	keeper  *deadline.Keeper
	p       *ingest.Pipeline
	d       *desk.Service
	n       int
}

var start = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, s care.Store, rules func(w *world) string) *world {
	t.Helper()
	ctx := t.Context()
	w := &world{s: s, now: start}
	w.ws = &care.Workspace{Slug: "acme", Name: "Acme"}
	must(t, s.CreateWorkspace(ctx, w.ws))
	w.inbox = &care.Inbox{WorkspaceID: w.ws.ID, Channel: care.ChannelX, Name: "@acme"}
	must(t, s.CreateInbox(ctx, w.inbox))
	w.billing = &care.Team{WorkspaceID: w.ws.ID, Name: "Billing"}
	must(t, s.CreateTeam(ctx, w.billing))
	w.pr = &care.Team{WorkspaceID: w.ws.ID, Name: "PR", Escalation: true}
	must(t, s.CreateTeam(ctx, w.pr))
	u := &care.User{Email: "ana@example.com", Name: "Ana"}
	must(t, s.CreateUser(ctx, u))
	must(t, s.SetMember(ctx, care.Member{WorkspaceID: w.ws.ID, UserID: u.ID, Role: care.RoleAgent}))
	w.agent = care.Principal{UserID: u.ID, WorkspaceID: w.ws.ID, Role: care.RoleAgent, Name: "Ana"}
	doc := rules(w)
	if _, err := automator.Parse([]byte(doc)); err != nil {
		t.Fatalf("rules do not parse: %v", err)
	}
	must(t, s.SetSetting(ctx, w.ws.ID, automator.SettingName, []byte(doc), w.now))
	must(t, s.SetSetting(ctx, w.ws.ID, deadline.SettingName, []byte(`{"policies":[{"id":1,"name":"All","match":{},"first_response":"1h"}]}`), w.now))
	clock := func() time.Time { return w.now }
	w.run = &automator.Runner{Store: s}
	w.keeper = &deadline.Keeper{Store: s, Now: clock, Automation: w.run}
	w.run.Clocks = w.keeper
	w.p = &ingest.Pipeline{Store: s, Now: clock, Triage: &triage.Triager{Store: s}, Clocks: w.keeper, Automation: w.run}
	w.d = &desk.Service{Store: s, Now: clock, Clocks: w.keeper, Automation: w.run}
	w.run.Replies = w.d
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (w *world) post(t *testing.T, author, text string) *care.Conversation {
	t.Helper()
	w.n++
	in := care.Inbound{InboxID: w.inbox.ID, Channel: care.ChannelX, PlatformID: fmt.Sprintf("p%d", w.n), Visibility: care.Public,
		Author: care.Author{PlatformUserID: author, Followers: 500}, Text: text, SentAt: w.now}
	ctx := context.Background()
	_, err := w.s.AppendRaw(ctx, []care.RawEvent{{InboxID: w.inbox.ID, WorkspaceID: w.ws.ID, DedupeKey: in.DedupeKey(),
		Payload: []byte(text), Inbound: in, ReceivedAt: w.now}})
	must(t, err)
	for {
		n, err := w.p.RunOnce(ctx)
		must(t, err)
		if n == 0 {
			break
		}
	}
	m, err := w.s.MessageByPlatformID(ctx, w.inbox.ID, in.PlatformID)
	must(t, err)
	return w.conv(t, m.ConversationID)
}

func (w *world) conv(t *testing.T, id care.ID) *care.Conversation {
	t.Helper()
	c, err := w.s.Conversation(t.Context(), id)
	must(t, err)
	return c
}

func (w *world) audit(t *testing.T, c *care.Conversation) []care.AuditEntry {
	t.Helper()
	a, err := w.s.Audit(t.Context(), w.ws.ID, fmt.Sprintf("conversation:%d", c.ID), 100)
	must(t, err)
	return a
}

func TestMessageRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s, func(w *world) string {
			return fmt.Sprintf(`{"mode":"all","rules":[
				{"id":1,"name":"Refunds to billing","enabled":true,"position":1,"trigger":"message.received",
				 "conditions":[{"field":"text","op":"contains","value":"refund"}],
				 "actions":[{"type":"add_tag","tag":"refund"},{"type":"assign_team","team_id":%d}]},
				{"id":2,"name":"Refund tag bumps priority","enabled":true,"position":2,"trigger":"conversation.updated",
				 "conditions":[{"field":"tags","op":"has","value":"refund"}],
				 "actions":[{"type":"set_priority","boost":10},{"type":"add_tag","tag":"bumped"}]},
				{"id":3,"name":"Angry","enabled":true,"position":3,"trigger":"message.received",
				 "conditions":[{"field":"sentiment","op":"eq","value":"negative"}],
				 "actions":[{"type":"note","text":"Customer is upset: answer first."}]},
				{"id":4,"name":"Off","enabled":false,"position":4,"trigger":"message.received","actions":[{"type":"resolve"}]}
			]}`, w.billing.ID)
		})
		c := w.post(t, "ana", "I want a refund, this is terrible!!!")
		if c.TeamID != w.billing.ID || !slices.Contains(c.Tags, "refund") || !slices.Contains(c.Tags, "bumped") {
			t.Errorf("conversation = team %d tags %v, want billing with refund and bumped", c.TeamID, c.Tags)
		}
		if c.Status != care.StatusOpen {
			t.Error("a disabled rule resolved the conversation")
		}
		// Rule 2 changes the conversation it triggers on; it must fire
		// once, not loop.
		by := map[string]int{}
		for _, a := range w.audit(t, c) {
			by[a.Actor+" "+a.Action]++
		}
		want := map[string]int{"rule:1 automation.add_tag": 1, "rule:1 automation.assign_team": 1,
			"rule:2 automation.set_priority": 1, "rule:2 automation.add_tag": 1, "rule:3 automation.note": 1}
		for k, n := range want {
			if by[k] != n {
				t.Errorf("audit %q = %d, want %d (all: %v)", k, by[k], n, by)
			}
		}
		msgs, err := s.Messages(t.Context(), c.ID, 0, 10)
		must(t, err)
		if len(msgs) != 2 || msgs[1].Visibility != care.Note || !strings.HasPrefix(msgs[1].AuthorName, "Rule: ") {
			t.Errorf("messages = %+v, want the customer's and the rule's note", msgs)
		}
	})
}

// A breach of the first-response target escalates to PR, end to end: the
// SLA timer's check announces the breach and the rule acts on it.
func TestBreachEscalates(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s, func(w *world) string {
			return fmt.Sprintf(`{"rules":[{"id":7,"name":"Breach to PR","enabled":true,"trigger":"sla.breach",
				"conditions":[{"field":"sla.kind","op":"eq","value":"first_response"}],
				"actions":[{"type":"escalate","team_id":%d,"note":"First response missed: PR, please watch this one."},
				           {"type":"notify","team_id":%d,"text":"SLA breached"}]}]}`, w.pr.ID, w.pr.ID)
		})
		must(t, s.SetTeamMembers(t.Context(), w.pr.ID, []care.ID{w.agent.UserID}))
		c := w.post(t, "bo", "Your app deleted all my photos")
		if c.EscalationTeamID != 0 {
			t.Fatal("escalated before any breach")
		}
		w.now = start.Add(61 * time.Minute)
		must(t, w.keeper.Check(t.Context(), c.ID))
		c = w.conv(t, c.ID)
		if c.EscalationTeamID != w.pr.ID {
			t.Fatalf("after the breach, escalation team = %d, want PR (%d)", c.EscalationTeamID, w.pr.ID)
		}
		events, err := s.EventsAfter(t.Context(), w.ws.ID, 0, 1000)
		must(t, err)
		kinds := map[care.EventType]int{}
		for _, e := range events {
			kinds[e.Type]++
		}
		if kinds[care.EventSLABreach] != 1 || kinds[care.EventNotification] != 2 {
			t.Errorf("events = %v, want one breach and two notifications (the escalation's and the notify action's)", kinds)
		}
		// The PR team's member finds both waiting, even if she was away.
		ns, err := s.Notifications(t.Context(), w.ws.ID, w.agent.UserID, true, 10)
		must(t, err)
		var texts []string
		for _, n := range ns {
			if n.Kind != care.NotifyRule || n.ConversationID != c.ID {
				t.Errorf("notification %+v, want a rule's about conversation %d", n, c.ID)
			}
			texts = append(texts, n.Text)
		}
		slices.Sort(texts)
		want := []string{"Escalated to PR: First response missed: PR, please watch this one.", "SLA breached"}
		if !slices.Equal(texts, want) {
			t.Errorf("PR member's notifications = %q, want %q", texts, want)
		}
		// Checking again announces nothing new and escalates nothing twice.
		must(t, w.keeper.Check(t.Context(), c.ID))
		n := 0
		for _, a := range w.audit(t, c) {
			if a.Action == "automation.escalate" && a.Actor == "rule:7" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("escalated %d times, want 1", n)
		}
	})
}

// An escalation tells the escalation team's members, with the rule's note,
// once per conversation however often the customer writes; the
// conversation keeps its own team and shows in the escalation team's list.
func TestEscalateNotifiesTeam(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s, func(w *world) string {
			return fmt.Sprintf(`{"rules":[
				{"id":1,"name":"Refunds to billing","enabled":true,"position":1,"trigger":"message.received",
				 "conditions":[{"field":"text","op":"contains","value":"refund"}],"actions":[{"type":"assign_team","team_id":%d}]},
				{"id":2,"name":"Going public","enabled":true,"position":2,"trigger":"message.received",
				 "conditions":[{"field":"text","op":"contains","value":"everyone"}],
				 "actions":[{"type":"escalate","team_id":%d,"note":"Big account complaining"}]},
				{"id":3,"name":"Quiet escalation","enabled":true,"position":3,"trigger":"message.received",
				 "conditions":[{"field":"text","op":"contains","value":"quietly"}],"actions":[{"type":"escalate","team_id":%d}]}]}`,
				w.billing.ID, w.pr.ID, w.pr.ID)
		})
		ctx := t.Context()
		lead := &care.User{Email: "pat@example.com", Name: "Pat"}
		must(t, s.CreateUser(ctx, lead))
		must(t, s.SetMember(ctx, care.Member{WorkspaceID: w.ws.ID, UserID: lead.ID, Role: care.RoleSupervisor}))
		outsider := &care.User{Email: "eve@example.com", Name: "Eve"}
		must(t, s.CreateUser(ctx, outsider))
		// Eve left the workspace but is still listed in the team: she is
		// told nothing about its conversations.
		must(t, s.SetTeamMembers(ctx, w.pr.ID, []care.ID{lead.ID, outsider.ID}))

		c := w.post(t, "bo", "I want a refund and everyone should know")
		if c.TeamID != w.billing.ID || c.EscalationTeamID != w.pr.ID {
			t.Fatalf("conversation team %d, escalation team %d; want billing (%d) escalated to PR (%d)", c.TeamID, c.EscalationTeamID, w.billing.ID, w.pr.ID)
		}
		ns, err := s.Notifications(ctx, w.ws.ID, lead.ID, true, 10)
		must(t, err)
		if len(ns) != 1 || ns[0].Kind != care.NotifyRule || ns[0].ConversationID != c.ID || ns[0].Text != "Escalated to PR: Big account complaining" {
			t.Fatalf("PR lead's notifications = %+v, want one about the escalation with its note", ns)
		}
		ns, err = s.Notifications(ctx, w.ws.ID, w.agent.UserID, true, 10)
		must(t, err)
		if len(ns) != 0 {
			t.Errorf("an agent outside PR was notified: %+v", ns)
		}
		events, err := s.EventsAfter(ctx, w.ws.ID, 0, 1000)
		must(t, err)
		var live []care.Event
		for _, e := range events {
			if e.Type == care.EventNotification {
				live = append(live, e)
			}
		}
		if len(live) != 1 || !strings.Contains(string(live[0].Data), fmt.Sprintf(`"user_ids":[%d]`, lead.ID)) ||
			!strings.Contains(string(live[0].Data), `"text":"Escalated to PR: Big account complaining"`) {
			t.Errorf("notification events = %+v, want one for the PR lead with the note", live)
		}

		// The customer goes on: the team already sees the conversation.
		w.post(t, "bo", "everyone look at this refund mess")
		w.post(t, "bo", "and quietly too")
		ns, err = s.Notifications(ctx, w.ws.ID, lead.ID, false, 10)
		must(t, err)
		if len(ns) != 1 {
			t.Errorf("PR lead has %d notifications after more messages, want 1", len(ns))
		}

		page, err := s.Conversations(ctx, care.ConversationFilter{WorkspaceID: w.ws.ID, TeamID: w.pr.ID})
		must(t, err)
		if len(page.Conversations) != 1 || page.Conversations[0].ID != c.ID {
			t.Errorf("PR's list = %v, want the escalated conversation", page.Conversations)
		}

		// Without a note, the notification names the rule.
		c2 := w.post(t, "cy", "please look quietly")
		ns, err = s.Notifications(ctx, w.ws.ID, lead.ID, true, 10)
		must(t, err)
		if len(ns) != 2 || ns[0].ConversationID != c2.ID || ns[0].Text != `Escalated to PR by rule "Quiet escalation".` {
			t.Errorf("PR lead's newest notification = %+v, want the quiet escalation's", ns[0])
		}
	})
}

func TestTimeRules(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t), func(*world) string {
		return `{"rules":[{"id":9,"name":"Close silent pending","enabled":true,"trigger":"time.pending","after":"48h",
			"actions":[{"type":"note","text":"No answer for two days; closing."},{"type":"resolve"}]}]}`
	})
	c := w.post(t, "cy", "hello?")
	pending := care.StatusPending
	_, err := w.d.Update(t.Context(), w.agent, c.ID, care.ConversationUpdate{Status: &pending})
	must(t, err)
	ctx := t.Context()
	if n, err := w.run.Tick(ctx, w.s, nil, start.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("tick after 1 h: %d fired, %v", n, err)
	}
	if n, err := w.run.Tick(ctx, w.s, nil, start.Add(49*time.Hour)); err != nil || n != 1 {
		t.Fatalf("tick after 49 h: %d fired, %v; want 1", n, err)
	}
	if c := w.conv(t, c.ID); c.Status != care.StatusResolved {
		t.Errorf("status after 48 h pending = %s, want resolved", c.Status)
	}
}

func TestDryRun(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t), func(*world) string { return `{"rules":[]}` })
	refund := w.post(t, "dee", "still waiting for my refund")
	w.post(t, "eve", "love the new store!")
	rule := automation.Rule{ID: 1, Name: "refunds", Enabled: true, Trigger: automation.MessageReceived,
		Conditions: []automation.Condition{{Field: "text", Op: "contains", Value: []byte(`"refund"`)}},
		Actions:    []automation.Action{{Type: automation.ActionAddTag, Tag: "refund"}}}
	ids, checked, err := automator.DryRun(t.Context(), w.s, w.ws.ID, rule, 100, w.now)
	must(t, err)
	if !slices.Equal(ids, []care.ID{refund.ID}) || checked != 2 {
		t.Errorf("DryRun = %v, %d checked; want [%d], 2 checked", ids, checked, refund.ID)
	}
}

// A rule requiring approval holds every public reply in the conversation
// until an approver lets it go.
func TestRequireApproval(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t), func(*world) string {
		return `{"rules":[{"id":5,"name":"Legal threats need approval","enabled":true,"trigger":"message.received",
			"conditions":[{"field":"text","op":"contains","value":"lawyer"}],
			"actions":[{"type":"require_approval","reason":"legal threat"}]}]}`
	})
	c := w.post(t, "fay", "My lawyer will hear about this")
	if !slices.Contains(c.Tags, desk.TagNeedsApproval) {
		t.Fatalf("tags %v, want %s", c.Tags, desk.TagNeedsApproval)
	}
	m, err := w.d.Reply(t.Context(), w.agent, c.ID, desk.Reply{Text: "We're sorry to hear that.", Visibility: care.Public})
	must(t, err)
	if m.Status != care.DeliveryPendingApproval {
		t.Errorf("public reply status %s, want pending_approval", m.Status)
	}
	// The approver reads why: the rule's reason is on the held reply.
	if !strings.Contains(m.StatusReason, "the conversation needs approval (legal threat)") {
		t.Errorf("held for %q, want the rule's reason named", m.StatusReason)
	}
}

// A rule's webhook is stored with the change, for package hooks to post.
func TestWebhookAction(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t), func(*world) string {
		return `{"rules":[{"id":6,"name":"Tell the incident channel","enabled":true,"trigger":"message.received",
			"conditions":[{"field":"text","op":"contains","value":"outage"}],
			"actions":[{"type":"webhook","url":"https://hooks.example/incident"}]}]}`
	})
	w.post(t, "gil", "Is there an outage? Nothing loads")
	due, err := w.s.LeaseHooks(t.Context(), w.now.Add(time.Hour), time.Minute, 10)
	must(t, err)
	if len(due) != 1 || due[0].URL != "https://hooks.example/incident" || !strings.Contains(string(due[0].Body), `"rule":"Tell the incident channel"`) {
		t.Errorf("hook deliveries = %+v", due)
	}
}

// A saved reply is sent by the rule, its variables filled in for the
// customer, through the same checks as an agent's reply.
func TestSavedReplyAction(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t), func(*world) string {
		return `{"rules":[{"id":8,"name":"Acknowledge outages","enabled":true,"trigger":"message.received",
			"conditions":[{"field":"text","op":"contains","value":"down"}],
			"actions":[{"type":"saved_reply","saved_reply_id":1}]}]}`
	})
	must(t, w.s.SetSetting(t.Context(), w.ws.ID, "saved_replies",
		[]byte(`{"replies":[{"id":1,"name":"Outage","text":"Hi {{contact.first_name}}, we know, and we're on it. {{workspace.name}}"}]}`), w.now))
	w.n++
	in := care.Inbound{InboxID: w.inbox.ID, Channel: care.ChannelX, PlatformID: "sr-1", Visibility: care.Public,
		Author: care.Author{PlatformUserID: "ana", DisplayName: "Ana Lima"}, Text: "Is the site down again?", SentAt: w.now}
	_, err := w.s.AppendRaw(t.Context(), []care.RawEvent{{InboxID: w.inbox.ID, WorkspaceID: w.ws.ID, DedupeKey: in.DedupeKey(),
		Payload: []byte("x"), Inbound: in, ReceivedAt: w.now}})
	must(t, err)
	_, err = w.p.RunOnce(t.Context())
	must(t, err)
	m, err := w.s.MessageByPlatformID(t.Context(), w.inbox.ID, "sr-1")
	must(t, err)
	msgs, err := w.s.Messages(t.Context(), m.ConversationID, 0, 10)
	must(t, err)
	last := msgs[len(msgs)-1]
	if last.Direction != care.DirectionOut || last.Text != "Hi Ana, we know, and we're on it. Acme" || last.Status != care.DeliveryQueued {
		t.Errorf("last message = %q (%s, %s), want the rendered saved reply, queued", last.Text, last.Direction, last.Status)
	}
}

// TestTagRechecksPolicy: a rule's tag chooses the SLA policy at once, as an
// agent's would: tagged crisis, the conversation is due in 15 minutes, not
// the hour it was due under the default policy.
func TestTagRechecksPolicy(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s, func(w *world) string {
			return `{"mode":"all","rules":[{"id":1,"name":"Outage","enabled":true,"position":1,"trigger":"message.received",
				"conditions":[{"field":"text","op":"contains","value":"down"}],"actions":[{"type":"add_tag","tag":"crisis"}]}]}`
		})
		must(t, s.SetSetting(t.Context(), w.ws.ID, deadline.SettingName, []byte(`{"policies":[
			{"id":2,"name":"Crisis","match":{"tags":["crisis"]},"first_response":"15m"},
			{"id":1,"name":"All","match":{},"first_response":"1h"}]}`), w.now))
		c := w.post(t, "ana", "your site is down")
		if want := start.Add(15 * time.Minute); c.FirstResponseDue == nil || !c.FirstResponseDue.Equal(want) {
			t.Errorf("first response due %v, want %v under the crisis policy the rule's tag chose", c.FirstResponseDue, want)
		}
	})
}

// A rule written for someone whose account was disabled since neither
// assigns nor notifies them: the conversation is left to routing, and the
// message is threaded as ever.
func TestDisabledAgentSkipped(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s, func(w *world) string {
			return fmt.Sprintf(`{"mode":"all","rules":[
				{"id":1,"name":"Ana takes everything","enabled":true,"position":1,"trigger":"message.received",
				 "actions":[{"type":"assign_agent","user_id":%d},{"type":"notify","user_ids":[%d],"text":"New message"}]}
			]}`, w.agent.UserID, w.agent.UserID)
		})
		must(t, s.SetUserDisabled(t.Context(), w.agent.UserID, true))
		c := w.post(t, "bo", "Hello, anyone there?")
		if c.AssigneeID != 0 {
			t.Errorf("assignee = %d, want none: the account is disabled", c.AssigneeID)
		}
		n, err := s.Notifications(t.Context(), w.ws.ID, w.agent.UserID, false, 10)
		must(t, err)
		if len(n) != 0 {
			t.Errorf("notifications = %+v, want none for a disabled account", n)
		}
	})
}
