package deadline_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/deadline"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/testdb"
)

type recorder struct{ events []care.Event }

func (r *recorder) Publish(evs ...care.Event) { r.events = append(r.events, evs...) }

func (r *recorder) count(t care.EventType) int {
	n := 0
	for _, e := range r.events {
		if e.Type == t {
			n++
		}
	}
	return n
}

type world struct {
	s     care.Store
	ws    *care.Workspace
	inbox *care.Inbox
	agent care.Principal
	now   time.Time
	pub   *recorder
	k     *deadline.Keeper
	p     *ingest.Pipeline
	d     *desk.Service
	n     int
}

// Monday 24 November 2025, 09:00 in London (UTC+0 in winter).
var monday = time.Date(2025, 11, 24, 9, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, s care.Store, settings string) *world {
	t.Helper()
	ctx := t.Context()
	w := &world{s: s, now: monday, pub: &recorder{}}
	w.ws = &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, w.ws); err != nil {
		t.Fatal(err)
	}
	w.inbox = &care.Inbox{WorkspaceID: w.ws.ID, Channel: care.ChannelX, Name: "@acme"}
	if err := s.CreateInbox(ctx, w.inbox); err != nil {
		t.Fatal(err)
	}
	u := &care.User{Email: "ana@example.com", Name: "Ana"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMember(ctx, care.Member{WorkspaceID: w.ws.ID, UserID: u.ID, Role: care.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	w.agent = care.Principal{UserID: u.ID, WorkspaceID: w.ws.ID, Role: care.RoleAgent, Name: "Ana"}
	if err := s.SetSetting(ctx, w.ws.ID, deadline.SettingName, []byte(settings), w.now); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return w.now }
	w.k = &deadline.Keeper{Store: s, Publisher: w.pub, Now: clock}
	w.p = &ingest.Pipeline{Store: s, Publisher: w.pub, Clocks: w.k, Now: clock}
	w.d = &desk.Service{Store: s, Publisher: w.pub, Clocks: w.k, Now: clock}
	return w
}

func (w *world) post(t *testing.T, author, text string) *care.Conversation {
	t.Helper()
	return w.postSent(t, author, text, w.now)
}

func (w *world) conv(t *testing.T, id care.ID) *care.Conversation {
	t.Helper()
	c, err := w.s.Conversation(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const london = `{"time_zone":"Europe/London","week":{"mon":[["09:00","17:00"]],"tue":[["09:00","17:00"]],"wed":[["09:00","17:00"]],"thu":[["09:00","17:00"]],"fri":[["09:00","17:00"]]}}`

func TestDeadlines(t *testing.T) {
	settings := `{"hours":` + london + `,"policies":[
		{"id":1,"name":"Social","match":{"channels":["x"]},"first_response":"1h","next_response":"30m","resolution":"8h","warn_at":0.5}]}`
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s, settings)
		ctx := t.Context()

		c := w.post(t, "ana", "my order never arrived")
		if c.FirstResponseDue == nil || !c.FirstResponseDue.Equal(monday.Add(time.Hour)) {
			t.Fatalf("first response due %v, want %v", c.FirstResponseDue, monday.Add(time.Hour))
		}
		if c.ResolutionDue == nil || !c.ResolutionDue.Equal(monday.Add(8*time.Hour)) {
			t.Errorf("resolution due %v, want %v", c.ResolutionDue, monday.Add(8*time.Hour))
		}

		// Half the target: a warning, once.
		w.now = monday.Add(31 * time.Minute)
		for range 2 {
			if err := w.k.Check(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		if n := w.pub.count(care.EventSLAWarning); n != 1 {
			t.Errorf("%d warnings after half the target, want 1", n)
		}
		if n := w.pub.count(care.EventSLABreach); n != 0 {
			t.Errorf("%d breaches before the target, want 0", n)
		}
		// Past the target: a breach, once, stored as an event too.
		w.now = monday.Add(61 * time.Minute)
		if err := w.k.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if err := w.k.Check(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if n := w.pub.count(care.EventSLABreach); n != 1 {
			t.Errorf("%d breaches after the target, want 1", n)
		}
		stored, err := s.EventsAfter(ctx, w.ws.ID, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		breaches := 0
		for _, e := range stored {
			if e.Type == care.EventSLABreach {
				breaches++
				if !strings.Contains(string(e.Data), `"first_response"`) {
					t.Errorf("breach event data %s does not name the first response", e.Data)
				}
			}
		}
		if breaches != 1 {
			t.Errorf("%d breach events stored, want 1", breaches)
		}

		// The late reply stops the clock: an outcome, not met.
		w.now = monday.Add(70 * time.Minute)
		if _, err := w.d.Reply(ctx, w.agent, c.ID, desk.Reply{Text: "Sorry, we got that wrong. How can I help?"}); err != nil {
			t.Fatal(err)
		}
		c = w.conv(t, c.ID)
		if c.FirstResponseDue != nil || c.NextResponseDue != nil {
			t.Errorf("after the reply: first %v next %v, want neither", c.FirstResponseDue, c.NextResponseDue)
		}
		rows, err := s.SLAReport(ctx, w.ws.ID, monday, monday.Add(24*time.Hour), "kind")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Key != "first_response" || rows[0].Total != 1 || rows[0].Met != 0 || rows[0].AvgUsedSeconds != 70*60 {
			t.Errorf("SLA report after a late first response = %+v", rows)
		}
		bands, err := s.SLAReport(ctx, w.ws.ID, monday, monday.Add(24*time.Hour), "band")
		if err != nil {
			t.Fatal(err)
		}
		if len(bands) != 1 || bands[0].Key != "under 1k" {
			t.Errorf("SLA report by band = %+v, want the customer's band", bands)
		}
		// The conversation is unassigned: the response is the replier's.
		if c.AssigneeID != 0 {
			t.Fatalf("the conversation is assigned to %d; the test wants it unassigned", c.AssigneeID)
		}
		agents, err := s.SLAReport(ctx, w.ws.ID, monday, monday.Add(24*time.Hour), "agent")
		if err != nil {
			t.Fatal(err)
		}
		if want := strconv.FormatInt(w.agent.UserID, 10); len(agents) != 1 || agents[0].Key != want {
			t.Errorf("SLA report by agent = %+v, want the replier %s credited", agents, want)
		}

		// The customer writes at 16:50: next response runs 10 minutes
		// today and 20 tomorrow, from 09:00.
		w.now = monday.Add(7*time.Hour + 50*time.Minute)
		c = w.post(t, "ana", "still nothing")
		want := monday.Add(24*time.Hour + 20*time.Minute)
		if c.NextResponseDue == nil || !c.NextResponseDue.Equal(want) {
			t.Errorf("next response due %v, want %v (outside hours paused)", c.NextResponseDue, want)
		}
		// Waiting on the customer pauses every clock.
		pending := care.StatusPending
		if _, err := w.d.Update(ctx, w.agent, c.ID, care.ConversationUpdate{Status: &pending}); err != nil {
			t.Fatal(err)
		}
		c = w.conv(t, c.ID)
		if c.NextResponseDue != nil || c.ResolutionDue != nil {
			t.Errorf("pending: next %v resolution %v, want both paused", c.NextResponseDue, c.ResolutionDue)
		}
		var state map[string]any
		if err := json.Unmarshal(c.SLA, &state); err != nil || state["policy"] != float64(1) {
			t.Errorf("SLA state %s, want policy 1", c.SLA)
		}
		// Resolving records the resolution outcome.
		resolved := care.StatusResolved
		if _, err := w.d.Update(ctx, w.agent, c.ID, care.ConversationUpdate{Status: &resolved}); err != nil {
			t.Fatal(err)
		}
		kinds := w.slaByKind(t)
		if r := kinds["resolution"]; r.Total != 1 || r.Met != 1 {
			t.Errorf("resolution outcome = %+v, want 1 met (under 8 business hours)", r)
		}
	})
}

func TestNoPolicyNoClocks(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t), `{"policies":[{"id":1,"match":{"channels":["email"]},"first_response":"4h"}]}`)
	c := w.post(t, "bo", "hello")
	if c.FirstResponseDue != nil || len(c.SLA) != 0 {
		t.Errorf("a conversation no policy accepts has due %v and state %s", c.FirstResponseDue, c.SLA)
	}
}

func TestParseSettings(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"policies":[{"id":1,"first_response":"1h"}]}`, ""},
		{`{"policies":[{"id":0,"first_response":"1h"}]}`, "id above 0"},
		{`{"policies":[{"id":1},{"id":1}]}`, "unique"},
		{`{"policies":[{"id":1,"first_response":"soon"}]}`, "duration"},
		{`{"policies":[{"id":1,"first_response":"1h","warn_at":1.5}]}`, "warn_at"},
		{`{"hours":{"time_zone":"Mars/Olympus"},"policies":[]}`, "hours"},
		{`{"policy":[]}`, `Unknown field "policy" in the SLA settings; the fields are policies and hours.`},
		{`"x"`, "The SLA settings must be a JSON object ({...}), not a string."},
		{`{"policies":[{"id":1,"bogus":1}]}`, `Unknown field "bogus" in policies[0] of the SLA settings; the fields are id, name, match, ` +
			"first_response, next_response, resolution and warn_at."},
		{`{"policies":[{"id":"1"}]}`, `In the SLA settings, "policies[0].id" must be a whole number, not a string.`},
		{`{"policies":[{"id":1,"first_response":60}]}`, `In the SLA settings, "policies[0].first_response" must be a string, not a number.`},
		{`{"policies":[{"id":1,"match":{"min_priority":"high"}}]}`, `In the SLA settings, "policies[0].match.min_priority" must be a number, not a string.`},
		{`{"policies":{"id":1}}`, `In the SLA settings, "policies" must be an array, not an object.`},
	} {
		_, _, err := deadline.ParseSettings([]byte(tc.doc))
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("ParseSettings(%s) = %v, want %q", tc.doc, err, tc.want)
		}
	}
}

// supervisor adds a supervisor to w's workspace, to approve what the
// agent's rules hold.
func (w *world) supervisor(t *testing.T) care.Principal {
	t.Helper()
	u := &care.User{Email: "sue@example.com", Name: "Sue"}
	if err := w.s.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	if err := w.s.SetMember(t.Context(), care.Member{WorkspaceID: w.ws.ID, UserID: u.ID, Role: care.RoleSupervisor}); err != nil {
		t.Fatal(err)
	}
	return care.Principal{UserID: u.ID, WorkspaceID: w.ws.ID, Role: care.RoleSupervisor, Name: "Sue"}
}

func TestHeldReplyClock(t *testing.T) {
	settings := `{"policies":[{"id":1,"name":"All","match":{},"first_response":"1h","resolution":"8h"}]}`
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s, settings)
		ctx := t.Context()
		if err := s.SetSetting(ctx, w.ws.ID, desk.ApprovalSettingName, []byte(`{"words":["compensation"]}`), w.now); err != nil {
			t.Fatal(err)
		}
		sue := w.supervisor(t)
		c := w.post(t, "ana", "my order never arrived")
		outcomes := func() []care.SLAReportRow {
			t.Helper()
			rows, err := s.SLAReport(ctx, w.ws.ID, monday, monday.Add(24*time.Hour), "kind")
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		reply := func(text string) *care.Message {
			t.Helper()
			m, err := w.d.Reply(ctx, w.agent, c.ID, desk.Reply{Text: text, Visibility: care.Public})
			if err != nil {
				t.Fatal(err)
			}
			if m.Status != care.DeliveryPendingApproval {
				t.Fatalf("reply %q is %s, want held", text, m.Status)
			}
			return m
		}

		// Held, then rejected: the customer has had nothing, so the clock
		// runs on.
		w.now = monday.Add(10 * time.Minute)
		m := reply("We can offer compensation.")
		if c = w.conv(t, c.ID); c.FirstResponseDue == nil || !c.FirstResponseDue.Equal(monday.Add(time.Hour)) {
			t.Errorf("first response due %v after a held reply, want %v", c.FirstResponseDue, monday.Add(time.Hour))
		}
		if _, err := w.d.Reject(ctx, sue, m.ID, "Not in public."); err != nil {
			t.Fatal(err)
		}
		if c = w.conv(t, c.ID); c.FirstResponseDue == nil || len(outcomes()) != 0 {
			t.Errorf("after a rejected reply: first response due %v, outcomes %+v; want the clock running and none", c.FirstResponseDue, outcomes())
		}

		// Held at 09:20, approved at 09:40: answered at the approval.
		w.now = monday.Add(20 * time.Minute)
		m = reply("We can offer compensation by DM.")
		w.now = monday.Add(40 * time.Minute)
		if _, err := w.d.Approve(ctx, sue, m.ID, nil); err != nil {
			t.Fatal(err)
		}
		if c = w.conv(t, c.ID); c.FirstResponseDue != nil {
			t.Errorf("first response due %v after the approval, want stopped", c.FirstResponseDue)
		}
		if rows := outcomes(); len(rows) != 1 || rows[0].Key != "first_response" || rows[0].Met != 1 || rows[0].AvgUsedSeconds != 40*60 {
			t.Errorf("outcomes = %+v, want one first response, met in 40 minutes", rows)
		}
	})
}

func TestTagsAndTeamRecheck(t *testing.T) {
	settings := `{"policies":[
		{"id":2,"name":"Crisis","match":{"tags":["crisis"]},"first_response":"15m","warn_at":0.5},
		{"id":3,"name":"Everything else","match":{},"first_response":"1h","resolution":"8h"}]}`
	afternoons := `{"time_zone":"Europe/London","week":{"mon":[["12:00","17:00"]]}}`
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s, settings)
		ctx := t.Context()
		team := &care.Team{WorkspaceID: w.ws.ID, Name: "Afternoons", Hours: json.RawMessage(afternoons), CreatedAt: w.now}
		if err := s.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		c := w.post(t, "ana", "a question about my bill")
		w.now = monday.Add(5 * time.Minute)
		at := func(d time.Duration) *time.Time { v := monday.Add(d); return &v }
		for _, step := range []struct {
			name       string
			u          care.ConversationUpdate
			first, res *time.Time
			policy     float64
		}{
			{"tagged crisis", care.ConversationUpdate{Tags: &[]string{"crisis"}}, at(15 * time.Minute), nil, 2},
			{"untagged", care.ConversationUpdate{Tags: &[]string{}}, at(time.Hour), at(8 * time.Hour), 3},
			// The team opens at 12:00: nothing counted before it.
			{"moved to a team with hours", care.ConversationUpdate{TeamID: &team.ID}, at(4 * time.Hour), nil, 3},
		} {
			if _, err := w.d.Update(ctx, w.agent, c.ID, step.u); err != nil {
				t.Fatal(err)
			}
			c = w.conv(t, c.ID)
			if !sameTime(c.FirstResponseDue, step.first) || (step.res != nil && !sameTime(c.ResolutionDue, step.res)) {
				t.Errorf("%s: first response due %v, resolution due %v; want %v, %v", step.name, c.FirstResponseDue, c.ResolutionDue, step.first, step.res)
			}
			if step.policy == 2 && c.ResolutionDue != nil {
				t.Errorf("%s: resolution due %v, want none under a policy without one", step.name, c.ResolutionDue)
			}
			var state map[string]any
			if err := json.Unmarshal(c.SLA, &state); err != nil || state["policy"] != step.policy {
				t.Errorf("%s: SLA state %s, want policy %v", step.name, c.SLA, step.policy)
			}
		}

		// Tagged crisis 20 minutes in: past the stricter target at once,
		// a breach the rules on sla.breach see as they see the timer's.
		rules := &ruleRecorder{}
		w.k.Automation = rules
		w.now = monday.Add(20 * time.Minute)
		if _, err := w.d.Update(ctx, w.agent, c.ID, care.ConversationUpdate{TeamID: new(care.ID), Tags: &[]string{"crisis"}}); err != nil {
			t.Fatal(err)
		}
		if n := w.pub.count(care.EventSLABreach); n != 1 {
			t.Errorf("%d breaches after tagging crisis past its target, want 1", n)
		}
		if !slices.ContainsFunc(rules.changes, func(c care.Change) bool {
			return c.Trigger == string(care.EventSLABreach) && c.SLAKind == "first_response"
		}) {
			t.Errorf("automation saw %+v, want the first response's breach", rules.changes)
		}
	})
}

// ruleRecorder is automation that records what it is shown.
type ruleRecorder struct{ changes []care.Change }

func (r *ruleRecorder) Automate(_ context.Context, _ care.Queries, c care.Change) ([]care.Event, error) {
	r.changes = append(r.changes, c)
	return nil, nil
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// TestPolicyByLaterTag: a conversation no policy applied to when the
// customer wrote gets its clocks when a tag makes one apply, counted from
// the customer's first unanswered message.
func TestPolicyByLaterTag(t *testing.T) {
	settings := `{"policies":[{"id":2,"name":"Crisis","match":{"tags":["crisis"]},"first_response":"15m"}]}`
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s, settings)
		ctx := t.Context()
		c := w.post(t, "ana", "your site is down")
		if len(c.SLA) != 0 || c.FirstResponseDue != nil {
			t.Fatalf("no policy applies yet, but SLA %s, due %v", c.SLA, c.FirstResponseDue)
		}
		w.now = monday.Add(5 * time.Minute)
		if _, err := w.d.Update(ctx, w.agent, c.ID, care.ConversationUpdate{Tags: &[]string{"crisis"}}); err != nil {
			t.Fatal(err)
		}
		c = w.conv(t, c.ID)
		if want := monday.Add(15 * time.Minute); !sameTime(c.FirstResponseDue, &want) {
			t.Errorf("first response due %v, want %v: 15 minutes from the customer's message", c.FirstResponseDue, want)
		}
	})
}

// A conversation closed unanswered after its first response was due is a
// miss in the report; one closed before it was due is not counted.
func TestResolvedUnansweredReported(t *testing.T) {
	settings := `{"policies":[{"id":1,"name":"All","match":{},"first_response":"1h","resolution":"8h"}]}`
	testdb.Each(t, func(t *testing.T, s care.Store) {
		w := newWorld(t, s, settings)
		ctx := t.Context()
		resolved := care.StatusResolved
		late := w.post(t, "ana", "my order never arrived")
		early := w.post(t, "bo", "thanks, all sorted!")
		w.now = monday.Add(30 * time.Minute)
		if _, err := w.d.Update(ctx, w.agent, early.ID, care.ConversationUpdate{Status: &resolved}); err != nil {
			t.Fatal(err)
		}
		w.now = monday.Add(90 * time.Minute)
		if _, err := w.d.Update(ctx, w.agent, late.ID, care.ConversationUpdate{Status: &resolved}); err != nil {
			t.Fatal(err)
		}
		kinds := w.slaByKind(t)
		if fr := kinds["first_response"]; fr.Total != 1 || fr.Met != 0 {
			t.Errorf("first response = %+v, want one missed (the late one), the early close not counted", fr)
		}
		if res := kinds["resolution"]; res.Total != 2 || res.Met != 2 {
			t.Errorf("resolution = %+v, want both within target", res)
		}
	})
}

// slaByKind is the SLA report of the world's first day, by kind of clock.
func (w *world) slaByKind(t *testing.T) map[string]care.SLAReportRow {
	t.Helper()
	rows, err := w.s.SLAReport(t.Context(), w.ws.ID, monday, monday.Add(24*time.Hour), "kind")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]care.SLAReportRow{}
	for _, r := range rows {
		kinds[r.Key] = r
	}
	return kinds
}
