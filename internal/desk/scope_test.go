package desk_test

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/testdb"
)

// partners is the world with an in-house team and two partner teams:
// Pat is on both partner teams, Pia on the first, Ina in house.
type partners struct {
	*world
	inHouse, p, p2 care.ID
	pat, pia, ina  care.ID
	// patAgent and patLead are Pat as an agent and as a supervisor, with
	// the scope authentication gives them.
	patAgent, patLead care.Principal
	n                 int // messages made, for their platform ids
}

func setupPartners(t *testing.T, s care.Store) *partners {
	t.Helper()
	ctx := t.Context()
	w := &partners{world: setup(t, s)}
	ws := w.agent.WorkspaceID
	user := func(name string, role care.Role) care.ID {
		u := &care.User{Email: name + "@acme.test", Name: name}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMember(ctx, care.Member{WorkspaceID: ws, UserID: u.ID, Role: role}); err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	w.pat, w.pia, w.ina = user("Pat Moss", care.RoleAgent), user("Pia Vela", care.RoleAgent), user("Ina Holm", care.RoleAgent)
	team := func(name string, partner bool, members ...care.ID) care.ID {
		tm := &care.Team{WorkspaceID: ws, Name: name, Partner: partner}
		if err := s.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
		if err := s.SetTeamMembers(ctx, tm.ID, members); err != nil {
			t.Fatal(err)
		}
		return tm.ID
	}
	w.inHouse = team("Care", false, w.ina)
	w.p = team("Outsourced", true, w.pat, w.pia)
	w.p2 = team("Outsourced nights", true, w.pat)
	theirs, err := s.TeamsOfMember(ctx, ws, w.pat)
	if err != nil {
		t.Fatal(err)
	}
	w.patAgent = care.Principal{UserID: w.pat, WorkspaceID: ws, Role: care.RoleAgent, Name: "Pat Moss",
		Scope: care.ScopeFor(w.pat, care.RoleAgent, theirs)}
	w.patLead = w.patAgent
	w.patLead.Role = care.RoleSupervisor
	if w.patAgent.Scope == nil {
		t.Fatal("Pat has no scope")
	}
	return w
}

// conversation makes a conversation of the world's customer with the given
// team, assignee and escalation team (0: none), and a public customer
// message in it.
func (w *partners) conversation(t *testing.T, team, assignee, escalation care.ID) (*care.Conversation, *care.Message) {
	t.Helper()
	ctx := t.Context()
	c := &care.Conversation{WorkspaceID: w.conv.WorkspaceID, InboxID: w.conv.InboxID, Channel: w.conv.Channel, ContactID: w.conv.ContactID}
	if err := w.s.CreateConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	c, err := w.s.UpdateConversation(ctx, c.ID, care.ConversationUpdate{TeamID: &team, AssigneeID: &assignee, EscalationTeamID: &escalation}, w.now)
	if err != nil {
		t.Fatal(err)
	}
	m := &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionIn,
		Visibility: care.Public, ContactID: c.ContactID, Text: "Still waiting", PlatformID: "p-" + itoa(c.ID), Status: care.DeliveryReceived}
	if err := w.s.CreateMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	return c, m
}

// outbound stores one of our replies in c with the given status.
func (w *partners) outbound(t *testing.T, c *care.Conversation, st care.DeliveryStatus) *care.Message {
	t.Helper()
	w.n++
	m := &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionOut,
		Visibility: care.Public, AuthorID: w.ina, AuthorName: "Ina Holm", Text: "On it", PlatformID: "r-" + itoa(care.ID(w.n)), Status: st}
	if err := w.s.CreateMessage(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Whatever a partner member does to a conversation outside their teams
// answers exactly as if it did not exist.
func TestScopeHidesConversations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		w := setupPartners(t, s)
		w.d.Adapters = &channel.Registry{}
		w.d.Adapters.Register(care.ChannelAPI, &moderator{})
		const missing = care.ID(999999)

		ofA, inA := w.conversation(t, w.inHouse, 0, 0)
		ofNone, inNone := w.conversation(t, 0, 0, 0)
		ofP, inP := w.conversation(t, w.p, 0, 0)
		mine, _ := w.conversation(t, w.inHouse, w.pat, 0)    // seen: assigned to Pat
		escalated, _ := w.conversation(t, w.inHouse, 0, w.p) // seen: escalated to Pat's team
		failedA, failedP := w.outbound(t, ofA, care.DeliveryFailed), w.outbound(t, ofP, care.DeliveryFailed)
		heldA, heldP := w.outbound(t, ofA, care.DeliveryPendingApproval), w.outbound(t, ofP, care.DeliveryPendingApproval)
		heldP2 := w.outbound(t, ofP, care.DeliveryPendingApproval) // approve and reject each need one

		snoozed, future := care.StatusSnoozed, w.now.Add(time.Hour)
		ops := []struct {
			name string
			// run acts on conversation c, whose customer wrote in, the
			// failed reply failed and the held reply held (all 0 for a
			// missing one).
			run       func(p care.Principal, c, in, failed, held care.ID) error
			onMessage bool // its "not found" is the message's
			byLead    bool // needs a supervisor
		}{
			{name: "reply", run: func(p care.Principal, c, _, _, _ care.ID) error {
				_, err := w.d.Reply(ctx, p, c, desk.Reply{Text: "Sorry!", Visibility: care.Private})
				return err
			}},
			{name: "note", run: func(p care.Principal, c, _, _, _ care.ID) error {
				_, err := w.d.Note(ctx, p, c, "checking")
				return err
			}},
			{name: "update", run: func(p care.Principal, c, _, _, _ care.ID) error {
				_, err := w.d.Update(ctx, p, c, care.ConversationUpdate{Status: &snoozed, SnoozedUntil: &future})
				return err
			}},
			{name: "take private", run: func(p care.Principal, c, in, _, _ care.ID) error {
				_, err := w.d.TakePrivate(ctx, p, c, desk.TakePrivate{MessageID: in, PublicText: "DM sent", PrivateText: "Your order?"})
				return err
			}},
			{name: "link", run: func(p care.Principal, c, _, _, _ care.ID) error {
				return w.d.Link(ctx, p, c, mine.ID)
			}},
			{name: "link, the other way", run: func(p care.Principal, c, _, _, _ care.ID) error {
				return w.d.Link(ctx, p, mine.ID, c)
			}},
			{name: "retry", onMessage: true, run: func(p care.Principal, _, _, failed, _ care.ID) error {
				_, err := w.d.Retry(ctx, p, failed)
				return err
			}},
			{name: "moderate", onMessage: true, run: func(p care.Principal, _, in, _, _ care.ID) error {
				_, err := w.d.Moderate(ctx, p, in, channel.Hide)
				return err
			}},
			{name: "approve", onMessage: true, byLead: true, run: func(p care.Principal, _, _, _, held care.ID) error {
				_, err := w.d.Approve(ctx, p, held, nil)
				return err
			}},
			{name: "reject", onMessage: true, byLead: true, run: func(p care.Principal, _, _, _, held care.ID) error {
				_, err := w.d.Reject(ctx, p, held, "tone")
				return err
			}},
			// Last: it resolves the conversations it is allowed to.
			{name: "dismiss", run: func(p care.Principal, c, _, _, _ care.ID) error {
				_, err := w.d.Dismiss(ctx, p, c, "spam")
				return err
			}},
		}
		for _, op := range ops {
			t.Run(op.name, func(t *testing.T) {
				p, want := w.patAgent, "Conversation not found."
				if op.byLead {
					p = w.patLead
				}
				if op.onMessage {
					want = "Message not found."
				}
				// The missing one first: what Pat must not tell apart.
				if err := op.run(p, missing, missing, missing, missing); care.ErrorCode(err) != care.ENOTFOUND || care.ErrorMessage(err) != want {
					t.Fatalf("on a missing one = %v, want ENOTFOUND %q", err, want)
				}
				for _, tc := range []struct {
					name         string
					c, in        care.ID
					failed, held care.ID
				}{
					{"an in-house team's", ofA.ID, inA.ID, failedA.ID, heldA.ID},
					{"no team's", ofNone.ID, inNone.ID, 0, 0},
				} {
					if op.onMessage && tc.in == inNone.ID && op.name != "moderate" {
						continue // no such message in it
					}
					err := op.run(p, tc.c, tc.in, tc.failed, tc.held)
					if care.ErrorCode(err) != care.ENOTFOUND || care.ErrorMessage(err) != want {
						t.Errorf("on %s conversation = %v, want ENOTFOUND %q", tc.name, err, want)
					}
				}
				// Their team's work is theirs to act on.
				held := heldP.ID
				if op.name == "reject" {
					held = heldP2.ID
				}
				if err := op.run(p, ofP.ID, inP.ID, failedP.ID, held); err != nil {
					t.Errorf("on their team's conversation = %v, want it done", err)
				}
			})
		}
		// What is assigned or escalated to them is theirs as well.
		for _, c := range []*care.Conversation{mine, escalated} {
			if _, err := w.d.Note(ctx, w.patAgent, c.ID, "seen"); err != nil {
				t.Errorf("note on conversation %d (team %d, assignee %d, escalated to %d) = %v", c.ID, c.TeamID, c.AssigneeID, c.EscalationTeamID, err)
			}
		}
		// Nothing out of scope was changed.
		for _, c := range []*care.Conversation{ofA, ofNone} {
			got, err := s.Conversation(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != care.StatusOpen || len(got.Tags) != 0 || got.LinkedID != 0 {
				t.Errorf("conversation %d was changed: %+v", c.ID, got)
			}
			msgs, err := s.Messages(ctx, c.ID, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				if m.Direction == care.DirectionOut && m.AuthorID == w.pat || m.HiddenAt != nil {
					t.Errorf("conversation %d has %+v", c.ID, m)
				}
			}
		}
		for id, want := range map[care.ID]care.DeliveryStatus{failedA.ID: care.DeliveryFailed, heldA.ID: care.DeliveryPendingApproval} {
			if m, _ := s.Message(ctx, id); m.Status != want {
				t.Errorf("message %d is %s, want %s", id, m.Status, want)
			}
		}
	})
}

// What a partner member may change in their teams' conversations, and
// what they may not.
func TestScopeUpdate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		w := setupPartners(t, s)
		id := func(v care.ID) *care.ID { return &v }
		resolved, snoozed, future := care.StatusResolved, care.StatusSnoozed, w.now.Add(time.Hour)
		tags := []string{"vip"}
		for _, tt := range []struct {
			name                       string
			team, assignee, escalation care.ID // the conversation before
			u                          care.ConversationUpdate
			code                       string // "" for allowed
		}{
			{name: "status", team: w.p, u: care.ConversationUpdate{Status: &resolved}},
			{name: "snooze", team: w.p, u: care.ConversationUpdate{Status: &snoozed, SnoozedUntil: &future}},
			{name: "tags", team: w.p, u: care.ConversationUpdate{Tags: &tags}},
			{name: "to another of their teams", team: w.p, u: care.ConversationUpdate{TeamID: id(w.p2)}},
			{name: "to an in-house team", team: w.p, u: care.ConversationUpdate{TeamID: id(w.inHouse)}, code: care.EFORBIDDEN},
			{name: "to a team that does not exist", team: w.p, u: care.ConversationUpdate{TeamID: id(9999)}, code: care.EFORBIDDEN},
			{name: "assign to themselves", team: w.p, u: care.ConversationUpdate{AssigneeID: id(w.pat)}},
			{name: "assign to a teammate", team: w.p, u: care.ConversationUpdate{AssigneeID: id(w.pia)}},
			{name: "assign in house", team: w.p, u: care.ConversationUpdate{AssigneeID: id(w.ina)}, code: care.EFORBIDDEN},
			{name: "assign to someone in no team", team: w.p, u: care.ConversationUpdate{AssigneeID: id(w.agent.UserID)}, code: care.EFORBIDDEN},
			{name: "assign to a stranger", team: w.p, u: care.ConversationUpdate{AssigneeID: id(4242)}, code: care.EFORBIDDEN},
			{name: "unassign themselves", team: w.p, assignee: w.pat, u: care.ConversationUpdate{AssigneeID: id(0)}},
			{name: "unassign themselves from in-house work", team: w.inHouse, assignee: w.pat, u: care.ConversationUpdate{AssigneeID: id(0)}},
			{name: "escalate", team: w.p, u: care.ConversationUpdate{EscalationTeamID: id(w.inHouse)}, code: care.EFORBIDDEN},
			{name: "escalate to their own team", team: w.p, u: care.ConversationUpdate{EscalationTeamID: id(w.p2)}, code: care.EFORBIDDEN},
			{name: "end an escalation to them", team: w.inHouse, escalation: w.p, u: care.ConversationUpdate{EscalationTeamID: id(0)}},
			{name: "end an escalation to an in-house team", team: w.p, escalation: w.inHouse, u: care.ConversationUpdate{EscalationTeamID: id(0)}, code: care.EFORBIDDEN},
			{name: "end no escalation", team: w.p, u: care.ConversationUpdate{EscalationTeamID: id(0)}},
			{name: "clear the team", team: w.p, u: care.ConversationUpdate{TeamID: id(0)}, code: care.EFORBIDDEN},
			{name: "clear the team, assigned to a teammate", team: w.p, assignee: w.pia, u: care.ConversationUpdate{TeamID: id(0)}, code: care.EFORBIDDEN},
			{name: "clear the team and unassign", team: w.p, assignee: w.pat, u: care.ConversationUpdate{TeamID: id(0), AssigneeID: id(0)}, code: care.EFORBIDDEN},
			{name: "clear the team, assigned to them", team: w.p, assignee: w.pat, u: care.ConversationUpdate{TeamID: id(0)}},
			{name: "clear the team and take it", team: w.p, u: care.ConversationUpdate{TeamID: id(0), AssigneeID: id(w.pat)}},
			{name: "clear the team, escalated to them", team: w.p, escalation: w.p2, u: care.ConversationUpdate{TeamID: id(0)}},
			{name: "clear the team and end the escalation", team: w.p, escalation: w.p2, u: care.ConversationUpdate{TeamID: id(0), EscalationTeamID: id(0)}, code: care.EFORBIDDEN},
			{name: "clear the in-house team of their work", team: w.inHouse, assignee: w.pat, u: care.ConversationUpdate{TeamID: id(0)}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				c, _ := w.conversation(t, tt.team, tt.assignee, tt.escalation)
				got, err := w.d.Update(ctx, w.patAgent, c.ID, tt.u)
				if care.ErrorCode(err) != tt.code {
					t.Fatalf("Update = %v, want code %q", err, tt.code)
				}
				after, err2 := s.Conversation(ctx, c.ID)
				if err2 != nil {
					t.Fatal(err2)
				}
				if tt.code != "" {
					if after.TeamID != c.TeamID || after.AssigneeID != c.AssigneeID || after.EscalationTeamID != c.EscalationTeamID || after.Status != c.Status {
						t.Errorf("refused update changed the conversation: %+v", after)
					}
					if msg := care.ErrorMessage(err); msg == "" || msg == "Conversation not found." {
						t.Errorf("refusal %q does not say why", msg)
					}
					return
				}
				if u := tt.u; u.TeamID != nil && got.TeamID != *u.TeamID || u.AssigneeID != nil && got.AssigneeID != *u.AssigneeID ||
					u.EscalationTeamID != nil && got.EscalationTeamID != *u.EscalationTeamID || u.Status != nil && got.Status != *u.Status {
					t.Errorf("Update = %+v, want %+v applied", got, tt.u)
				}
			})
		}
		// The rules are the partner's: an in-house agent moves work freely.
		c, _ := w.conversation(t, w.p, 0, 0)
		if _, err := w.d.Update(ctx, w.agent, c.ID, care.ConversationUpdate{TeamID: id(0), AssigneeID: id(w.ina)}); err != nil {
			t.Errorf("in-house Update = %v", err)
		}
	})
}

// Contact merges reach every conversation of both contacts: not for a
// partner team.
func TestScopeMerge(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		w := setupPartners(t, s)
		id2, _, err := s.ResolveIdentity(ctx, w.agent.WorkspaceID, care.ChannelX, care.Author{PlatformUserID: "x-ana"}, w.now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.d.Merge(ctx, w.patAgent, w.conv.ContactID, id2.ContactID); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Errorf("Merge by a partner = %v, want EFORBIDDEN", err)
		}
		m, err := w.d.Merge(ctx, w.agent, w.conv.ContactID, id2.ContactID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.d.Unmerge(ctx, w.patAgent, m.ID); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Errorf("Unmerge by a partner = %v, want EFORBIDDEN", err)
		}
	})
}

// A partner supervisor's approval queue holds only their teams' replies.
func TestScopeApprovals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		w := setupPartners(t, s)
		ofA, _ := w.conversation(t, w.inHouse, 0, 0)
		ofP, _ := w.conversation(t, w.p, 0, 0)
		heldA, heldP := w.outbound(t, ofA, care.DeliveryPendingApproval), w.outbound(t, ofP, care.DeliveryPendingApproval)
		for _, tc := range []struct {
			name string
			p    care.Principal
			want []care.ID
		}{
			{"partner", w.patLead, []care.ID{heldP.ID}},
			{"in house", care.Principal{UserID: w.ina, WorkspaceID: w.agent.WorkspaceID, Role: care.RoleSupervisor}, []care.ID{heldA.ID, heldP.ID}},
		} {
			got, err := w.d.Approvals(ctx, tc.p)
			if err != nil {
				t.Fatal(err)
			}
			var ids []care.ID
			for _, a := range got {
				ids = append(ids, a.Message.ID)
			}
			if len(ids) != len(tc.want) || len(ids) > 0 && (ids[0] != tc.want[0] || ids[len(ids)-1] != tc.want[len(tc.want)-1]) {
				t.Errorf("%s approvals = %v, want %v", tc.name, ids, tc.want)
			}
		}
	})
}

// A note mentioning a partner member tells them only of their teams'
// conversations: the notification carries the note's text.
func TestScopeMentions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		w := setupPartners(t, s)
		ofA, _ := w.conversation(t, w.inHouse, 0, 0)
		ofP, _ := w.conversation(t, w.p, 0, 0)
		for _, tc := range []struct {
			c        *care.Conversation
			pat, ina int
		}{
			{ofA, 0, 1},
			{ofP, 1, 2},
		} {
			if _, err := w.d.Note(ctx, w.agent, tc.c.ID, "@pat @ina have a look"); err != nil {
				t.Fatal(err)
			}
			for who, want := range map[care.ID]int{w.pat: tc.pat, w.ina: tc.ina} {
				if n, _ := s.UnreadNotifications(ctx, w.agent.WorkspaceID, who); n != want {
					t.Errorf("after the note in conversation %d, user %d has %d notifications, want %d", tc.c.ID, who, n, want)
				}
			}
		}
	})
}

// A partner agent refused a reply while only the assignee replies is not
// told who, outside their teams, holds the conversation; a teammate is
// named.
func TestScopeAssigneeName(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		w := setupPartners(t, s)
		if err := s.SetSetting(ctx, w.agent.WorkspaceID, desk.SettingName, []byte(`{"only_assignee_replies":true}`), w.now); err != nil {
			t.Fatal(err)
		}
		inHouse, _ := w.conversation(t, w.p, w.ina, 0)
		_, err := w.d.Reply(ctx, w.patAgent, inHouse.ID, desk.Reply{Text: "Hello"})
		if care.ErrorCode(err) != care.EFORBIDDEN || strings.Contains(err.Error(), "Ina") || !strings.Contains(err.Error(), "its assignee") {
			t.Errorf("reply to a conversation held in house = %v; want refused without naming Ina", err)
		}
		mate, _ := w.conversation(t, w.p, w.pia, 0)
		_, err = w.d.Reply(ctx, w.patAgent, mate.ID, desk.Reply{Text: "Hello"})
		if care.ErrorCode(err) != care.EFORBIDDEN || !strings.Contains(err.Error(), "Pia Vela") {
			t.Errorf("reply to a teammate's conversation = %v; want refused naming Pia", err)
		}
	})
}
