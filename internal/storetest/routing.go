package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// mustAgent makes a member of w's workspace with the presence and the
// capacity for social work given.
func mustAgent(t *testing.T, s care.Store, ws *care.Workspace, email string, p care.Presence, social int) *care.User {
	t.Helper()
	u := mustUser(t, s, email)
	must(t, s.SetMember(t.Context(), care.Member{WorkspaceID: ws.ID, UserID: u.ID, Role: care.RoleAgent}), "SetMember")
	_, err := s.UpdateAgent(t.Context(), ws.ID, u.ID, care.AgentUpdate{Presence: &p, Capacity: map[care.WorkKind]int{care.WorkSocial: social}}, at(0))
	must(t, err, "UpdateAgent(%s)", email)
	return u
}

func testRouting(t *testing.T, open opener) {
	t.Run("AgentProfile", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		u := mustUser(t, s, "ana@example.com")
		_, err := s.UpdateAgent(ctx, w.ws.ID, u.ID, care.AgentUpdate{}, at(0))
		wantCode(t, err, care.ENOTFOUND, "UpdateAgent(not a member)")
		_, err = s.AgentPresence(ctx, w.ws.ID, u.ID)
		wantCode(t, err, care.ENOTFOUND, "AgentPresence(not a member)")
		must(t, s.SetMember(ctx, care.Member{WorkspaceID: w.ws.ID, UserID: u.ID, Role: care.RoleAgent}), "SetMember")
		if p, err := s.AgentPresence(ctx, w.ws.ID, u.ID); err != nil || p != care.PresenceOffline {
			t.Errorf("AgentPresence of a new member = %q, %v; want offline", p, err)
		}
		tm := mustTeam(t, s, w.ws, "Care")
		must(t, s.SetTeamMembers(ctx, tm.ID, []care.ID{u.ID}), "SetTeamMembers")

		agents, err := s.Agents(ctx, w.ws.ID)
		must(t, err, "Agents")
		// Never online and never given work: zero times, not the epoch.
		want := []care.Agent{{WorkspaceID: w.ws.ID, UserID: u.ID, Name: u.Name, Role: care.RoleAgent, Presence: care.PresenceOffline,
			Capacity: care.DefaultCapacity(), TeamIDs: []care.ID{tm.ID}, Load: map[care.WorkKind]int{}}}
		if d := diff(want, agents); d != "" {
			t.Errorf("Agents of a new member (-want +got):\n%s", d)
		}

		online := care.PresenceOnline
		a, err := s.UpdateAgent(ctx, w.ws.ID, u.ID, care.AgentUpdate{Presence: &online,
			Skills:   &care.Skills{Languages: []string{" EN", "es", "en"}, Channels: []string{"x"}},
			Capacity: map[care.WorkKind]int{care.WorkChat: 2}}, at(time.Minute))
		must(t, err, "UpdateAgent")
		if p, err := s.AgentPresence(ctx, w.ws.ID, u.ID); err != nil || p != online {
			t.Errorf("AgentPresence after going online = %q, %v", p, err)
		}
		wantCap := care.DefaultCapacity()
		wantCap[care.WorkChat] = 2
		if a.Presence != online || !a.PresenceAt.Equal(micro(at(time.Minute))) || !slices.Equal(a.Skills.Languages, []string{"en", "es"}) ||
			diff(wantCap, a.Capacity) != "" {
			t.Errorf("UpdateAgent = %+v, want online since %v, languages [en es], capacity %v", a, at(time.Minute), wantCap)
		}
		// Presence unchanged keeps its time.
		a, err = s.UpdateAgent(ctx, w.ws.ID, u.ID, care.AgentUpdate{Presence: &online}, at(time.Hour))
		must(t, err, "UpdateAgent(same presence)")
		if !a.PresenceAt.Equal(micro(at(time.Minute))) {
			t.Errorf("PresenceAt = %v after setting the same presence, want %v", a.PresenceAt, micro(at(time.Minute)))
		}
		for name, u2 := range map[string]care.AgentUpdate{
			"presence": {Presence: ptr(care.Presence("busy"))},
			"kind":     {Capacity: map[care.WorkKind]int{"fax": 1}},
			"capacity": {Capacity: map[care.WorkKind]int{care.WorkChat: -1}},
			"skill":    {Skills: &care.Skills{Topics: []string{""}}},
		} {
			_, err := s.UpdateAgent(ctx, w.ws.ID, u.ID, u2, at(0))
			wantCode(t, err, care.EINVALID, "UpdateAgent(bad %s)", name)
		}
	})

	t.Run("TeamProfile", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		tm := mustTeam(t, s, w.ws, "PR")
		tm.Skills = care.Skills{Languages: []string{"en"}, Topics: []string{"going-public"}}
		tm.Hours = []byte(`{"time_zone":"Europe/London"}`)
		tm.Escalation = true
		tm.Name = "PR and marketing"
		must(t, s.UpdateTeam(ctx, tm), "UpdateTeam")
		got, err := s.Team(ctx, tm.ID)
		must(t, err, "Team")
		if d := diff(tm, got); d != "" {
			t.Errorf("Team after UpdateTeam (-want +got):\n%s", d)
		}
		wantCode(t, s.UpdateTeam(ctx, &care.Team{ID: missingID, WorkspaceID: w.ws.ID, Name: "x"}), care.ENOTFOUND, "UpdateTeam(missing)")
	})

	t.Run("WaitingAndClaim", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		ana := mustAgent(t, s, w.ws, "ana@example.com", care.PresenceOnline, 1)
		bo := mustAgent(t, s, w.ws, "bo@example.com", care.PresenceAway, 8)
		low := w.conv
		p := 50.0
		_, err := s.UpdateConversation(ctx, low.ID, care.ConversationUpdate{Priority: ptr(10.0)}, at(0))
		must(t, err, "UpdateConversation")
		other := mustIdentity(t, s, w.ws, "other")
		high := newConversation(w.inbox, other.ContactID, at(time.Minute))
		high.Priority, high.Language, high.Topics = p, "en", []string{"refund"}
		high.FirstResponseDue = ptr(at(time.Hour))
		mustConversation(t, s, high)

		waiting, err := s.WaitingConversations(ctx, w.ws.ID, 0)
		must(t, err, "WaitingConversations")
		if len(waiting) != 2 || waiting[0].ConversationID != high.ID || waiting[1].ConversationID != low.ID {
			t.Fatalf("WaitingConversations = %+v, want [%d %d] (highest priority first)", waiting, high.ID, low.ID)
		}
		if h := waiting[0]; h.Kind != care.WorkSocial || h.Language != "en" || !slices.Equal(h.Topics, []string{"refund"}) ||
			h.Due == nil || !h.Due.Equal(micro(at(time.Hour))) || !h.Since.Equal(micro(at(time.Minute))) {
			t.Errorf("WaitingConversations[0] = %+v", h)
		}

		_, err = s.ClaimConversation(ctx, high.ID, bo.ID, at(2*time.Minute))
		wantCode(t, err, care.ECONFLICT, "ClaimConversation(away agent)")
		c, err := s.ClaimConversation(ctx, high.ID, ana.ID, at(2*time.Minute))
		must(t, err, "ClaimConversation")
		if c.AssigneeID != ana.ID || !c.AutoAssigned {
			t.Errorf("ClaimConversation = assignee %d auto %v, want %d true", c.AssigneeID, c.AutoAssigned, ana.ID)
		}
		_, err = s.ClaimConversation(ctx, high.ID, ana.ID, at(2*time.Minute))
		wantCode(t, err, care.ECONFLICT, "ClaimConversation(again)")
		_, err = s.ClaimConversation(ctx, low.ID, ana.ID, at(2*time.Minute))
		wantCode(t, err, care.ECONFLICT, "ClaimConversation(agent full)")
		_, err = s.ClaimConversation(ctx, missingID, ana.ID, at(0))
		wantCode(t, err, care.ENOTFOUND, "ClaimConversation(missing)")

		agents, err := s.Agents(ctx, w.ws.ID)
		must(t, err, "Agents")
		if agents[0].Load[care.WorkSocial] != 1 || !agents[0].LastAssignedAt.Equal(micro(at(2*time.Minute))) {
			t.Errorf("Agents[0] = load %v last assigned %v, want social 1 at %v", agents[0].Load, agents[0].LastAssignedAt, at(2*time.Minute))
		}

		// The same customer writes on another channel: its agent is preferred.
		fb := mustInbox(t, s, w.ws, care.ChannelFacebook)
		again := mustConversation(t, s, newConversation(fb, other.ContactID, at(3*time.Minute)))
		waiting, err = s.WaitingConversations(ctx, w.ws.ID, 0)
		must(t, err, "WaitingConversations")
		for _, wc := range waiting {
			want := care.ID(0)
			if wc.ConversationID == again.ID {
				want = ana.ID
			}
			if wc.PreferredAgent != want {
				t.Errorf("conversation %d: PreferredAgent = %d, want %d", wc.ConversationID, wc.PreferredAgent, want)
			}
		}

		// A person's assignment is not routing's: it is never released.
		manual, err := s.UpdateConversation(ctx, low.ID, care.ConversationUpdate{AssigneeID: &ana.ID}, at(4*time.Minute))
		must(t, err, "UpdateConversation(assign)")
		if manual.AutoAssigned {
			t.Error("a person's assignment is marked AutoAssigned")
		}
		// The claimed one waits for an answer; release it.
		must(t, s.CreateMessage(ctx, newMessage(high, care.DirectionIn, care.Public, at(time.Minute))), "CreateMessage")
		ids, err := s.ReleaseConversations(ctx, w.ws.ID, ana.ID, at(5*time.Minute))
		must(t, err, "ReleaseConversations")
		if !slices.Equal(ids, []care.ID{high.ID}) {
			t.Errorf("ReleaseConversations = %v, want [%d]", ids, high.ID)
		}
		c, err = s.Conversation(ctx, high.ID)
		must(t, err, "Conversation")
		if c.AssigneeID != 0 || c.AutoAssigned {
			t.Errorf("released conversation: assignee %d auto %v, want 0 false", c.AssigneeID, c.AutoAssigned)
		}
	})

	// Many claims at once for few places: nobody gets a conversation twice
	// and no agent goes over capacity, on every engine.
	t.Run("ConcurrentClaims", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		const agents, capacity, convs = 3, 2, 12
		var users []*care.User
		for i := range agents {
			users = append(users, mustAgent(t, s, w.ws, fmt.Sprintf("a%d@example.com", i), care.PresenceOnline, capacity))
		}
		ids := []care.ID{w.conv.ID}
		for i := 1; i < convs; i++ {
			id := mustIdentity(t, s, w.ws, fmt.Sprintf("c%d", i))
			ids = append(ids, mustConversation(t, s, newConversation(w.inbox, id.ContactID, at(0))).ID)
		}
		var (
			mu  sync.Mutex
			won = map[care.ID][]care.ID{} // conversation → agents that claimed it
			wg  sync.WaitGroup
		)
		for g := range 8 {
			wg.Go(func() {
				for i := range convs {
					conv, agent := ids[(i+g)%convs], users[(i*g+g)%agents]
					c, err := s.ClaimConversation(ctx, conv, agent.ID, at(0))
					switch {
					case err == nil:
						mu.Lock()
						won[conv] = append(won[conv], c.AssigneeID)
						mu.Unlock()
					case care.ErrorCode(err) != care.ECONFLICT:
						t.Errorf("ClaimConversation: %v", err)
					}
				}
			})
		}
		wg.Wait()
		load := map[care.ID]int{}
		for conv, by := range won {
			if len(by) != 1 {
				t.Errorf("conversation %d claimed %d times: %v", conv, len(by), by)
			}
			load[by[0]]++
		}
		for _, u := range users {
			if load[u.ID] > capacity {
				t.Errorf("agent %d holds %d conversations, capacity %d", u.ID, load[u.ID], capacity)
			}
		}
		if got := len(won); got != agents*capacity {
			t.Errorf("%d conversations claimed, want %d (every place filled)", got, agents*capacity)
		}
	})

	t.Run("Triage", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		tm := mustTeam(t, s, w.ws, "Billing")
		m := newMessage(w.conv, care.DirectionIn, care.Public, at(0))
		m.Triage = &care.Triage{Language: "en", Sentiment: -0.6, Mood: care.MoodNegative, Intensity: 0.7, Topics: []string{"refund"}, Reach: 0.3, Cues: []string{"ALL CAPS"}}
		mustMessage(t, s, m)
		got, err := s.Message(ctx, m.ID)
		must(t, err, "Message")
		if d := diff(m.Triage, got.Triage); d != "" {
			t.Errorf("Message.Triage (-want +got):\n%s", d)
		}
		plain := mustMessage(t, s, newMessage(w.conv, care.DirectionOut, care.Public, at(time.Minute)))
		if got, _ := s.Message(ctx, plain.ID); got.Triage != nil {
			t.Errorf("Message without triage has %+v", got.Triage)
		}

		tr := care.ConversationTriage{Language: "en", Mood: care.MoodNegative, Topics: []string{"refund"},
			Inputs: care.PriorityInputs{Need: 0.7, NeedReason: "negative"}, TeamID: &tm.ID, Priority: 33.5, Reasons: []string{"negative", "waiting 3 min"}}
		must(t, s.SetTriage(ctx, w.conv.ID, tr, at(time.Hour)), "SetTriage")
		c, err := s.Conversation(ctx, w.conv.ID)
		must(t, err, "Conversation")
		if c.Language != "en" || c.Mood != care.MoodNegative || !slices.Equal(c.Topics, tr.Topics) || c.PriorityInputs != tr.Inputs ||
			c.Priority != 33.5 || !slices.Equal(c.PriorityReasons, tr.Reasons) || c.TeamID != tm.ID || !c.UpdatedAt.Equal(micro(at(time.Hour))) {
			t.Errorf("after SetTriage: %+v", c)
		}
		// A team already set stays.
		other := mustTeam(t, s, w.ws, "Other")
		tr.TeamID = &other.ID
		must(t, s.SetTriage(ctx, w.conv.ID, tr, at(time.Hour)), "SetTriage")
		if c, _ := s.Conversation(ctx, w.conv.ID); c.TeamID != tm.ID {
			t.Errorf("SetTriage replaced team %d with %d", tm.ID, c.TeamID)
		}
		wantCode(t, s.SetTriage(ctx, missingID, tr, at(0)), care.ENOTFOUND, "SetTriage(missing)")

		must(t, s.SetPriorities(ctx, []care.PriorityChange{{ConversationID: w.conv.ID, Priority: 40, Reasons: []string{"waiting 20 min"}}}), "SetPriorities")
		active, err := s.ActiveConversations(ctx, 0, 10)
		must(t, err, "ActiveConversations")
		if len(active) != 1 || active[0].Priority != 40 || !slices.Equal(active[0].PriorityReasons, []string{"waiting 20 min"}) {
			t.Errorf("ActiveConversations = %+v", active)
		}
		resolved := care.StatusResolved
		_, err = s.UpdateConversation(ctx, w.conv.ID, care.ConversationUpdate{Status: &resolved}, at(0))
		must(t, err, "resolve")
		if active, _ := s.ActiveConversations(ctx, 0, 10); len(active) != 0 {
			t.Errorf("ActiveConversations lists a resolved conversation: %+v", active)
		}
	})

	t.Run("SLAState", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		due := at(time.Hour)
		c, err := s.UpdateConversation(ctx, w.conv.ID, care.ConversationUpdate{SLA: &care.SLAUpdate{State: []byte(`{"first":{}}`), FirstResponseDue: &due}}, at(0))
		must(t, err, "UpdateConversation(SLA)")
		got, err := s.Conversation(ctx, w.conv.ID)
		must(t, err, "Conversation")
		if d := diff(c, got); d != "" {
			t.Errorf("UpdateConversation's result differs from the stored conversation (-returned +stored):\n%s", d)
		}
		if string(got.SLA) != `{"first":{}}` || got.FirstResponseDue == nil || !got.FirstResponseDue.Equal(micro(due)) || got.NextResponseDue != nil {
			t.Errorf("SLA state %s, due %v %v", got.SLA, got.FirstResponseDue, got.NextResponseDue)
		}
	})

	t.Run("Settings", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		_, err := s.Setting(ctx, w.ws.ID, "topics")
		wantCode(t, err, care.ENOTFOUND, "Setting(unset)")
		must(t, s.SetSetting(ctx, w.ws.ID, "topics", []byte(`[{"topic":"refund"}]`), at(0)), "SetSetting")
		must(t, s.SetSetting(ctx, w.ws.ID, "topics", []byte(`[{"topic":"outage"}]`), at(0)), "SetSetting(replace)")
		v, err := s.Setting(ctx, w.ws.ID, "topics")
		must(t, err, "Setting")
		if string(v) != `[{"topic":"outage"}]` {
			t.Errorf("Setting = %s", v)
		}
		wantCode(t, s.SetSetting(ctx, w.ws.ID, "Bad Name", []byte(`{}`), at(0)), care.EINVALID, "SetSetting(bad name)")
		wantCode(t, s.SetSetting(ctx, w.ws.ID, "x", []byte(`{`), at(0)), care.EINVALID, "SetSetting(bad JSON)")
	})
}
