package triage_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/triage"
)

type fixture struct {
	store care.Store
	ws    *care.Workspace
	inbox *care.Inbox
	tr    *triage.Triager
	p     *ingest.Pipeline
	now   time.Time
	n     int
}

func newFixture(t *testing.T, s care.Store) *fixture {
	t.Helper()
	ctx := t.Context()
	f := &fixture{store: s, now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	f.ws = &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, f.ws); err != nil {
		t.Fatal(err)
	}
	f.inbox = &care.Inbox{WorkspaceID: f.ws.ID, Channel: care.ChannelX, Name: "@acme"}
	if err := s.CreateInbox(ctx, f.inbox); err != nil {
		t.Fatal(err)
	}
	f.tr = &triage.Triager{Store: s}
	f.p = &ingest.Pipeline{Store: s, Triage: f.tr, Now: func() time.Time { return f.now }}
	return f
}

// post threads one customer message and returns its conversation.
func (f *fixture) post(t *testing.T, author care.Author, vis care.Visibility, text string) *care.Conversation {
	t.Helper()
	f.n++
	in := care.Inbound{InboxID: f.inbox.ID, Channel: f.inbox.Channel, PlatformID: fmt.Sprintf("m%d", f.n),
		Visibility: vis, Author: author, Text: text, SentAt: f.now}
	ctx := context.Background()
	if _, err := f.store.AppendRaw(ctx, []care.RawEvent{{InboxID: in.InboxID, WorkspaceID: f.ws.ID,
		DedupeKey: in.DedupeKey(), Payload: []byte(text), Inbound: in, ReceivedAt: f.now}}); err != nil {
		t.Fatal(err)
	}
	for {
		n, err := f.p.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	m, err := f.store.MessageByPlatformID(ctx, f.inbox.ID, in.PlatformID)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.store.Conversation(ctx, m.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTriageInPipeline(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		billing := &care.Team{WorkspaceID: f.ws.ID, Name: "Billing"}
		if err := s.CreateTeam(ctx, billing); err != nil {
			t.Fatal(err)
		}
		doc := `{"topics":[{"topic":"billing","phrases":["charged twice","overcharged"],"team":"billing","severity":0.5,"boost":5},
			{"topic":"praise","phrases":["thank you"],"boost":-2}],"vip":["@bigfan"]}`
		if err := s.SetSetting(ctx, f.ws.ID, triage.SettingName, []byte(doc), f.now); err != nil {
			t.Fatal(err)
		}

		angry := care.Author{PlatformUserID: "1", Handle: "angry", Followers: 38_000}
		c := f.post(t, angry, care.Public, "I was CHARGED TWICE and nobody answers!!! 😡")
		msgs, err := s.Messages(ctx, c.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		tr := msgs[0].Triage
		if tr == nil || tr.Mood != care.MoodNegative || tr.Language != "en" || !slices.Equal(tr.Topics, []string{"billing"}) || tr.Reach <= 0 {
			t.Fatalf("message triage = %+v, want negative, en, billing, some reach", tr)
		}
		if c.Mood != care.MoodNegative || c.Language != "en" || c.TeamID != billing.ID || c.Priority <= 0 {
			t.Errorf("conversation = mood %q lang %q team %d priority %v, want negative en %d >0", c.Mood, c.Language, c.TeamID, c.Priority, billing.ID)
		}
		if c.PriorityInputs.Boost != 5 || c.PriorityInputs.Reach <= 0 || !strings.Contains(c.PriorityInputs.ReachReason, "38") {
			t.Errorf("inputs = %+v, want boost 5 and reach from 38k followers", c.PriorityInputs)
		}
		if len(c.PriorityReasons) == 0 {
			t.Error("priority has no reasons")
		}

		// The same complaint in private has no reach: it ranks lower.
		dm := f.post(t, care.Author{PlatformUserID: "2", Followers: 38_000}, care.Private, "I was CHARGED TWICE and nobody answers!!! 😡")
		if dm.PriorityInputs.Reach != 0 || dm.Priority >= c.Priority {
			t.Errorf("private twin: reach %v priority %v, want 0 and below %v", dm.PriorityInputs.Reach, dm.Priority, c.Priority)
		}

		// A VIP's value is 1.
		vip := f.post(t, care.Author{PlatformUserID: "3", Handle: "BigFan"}, care.Private, "what time do you open tomorrow?")
		if vip.PriorityInputs.Value != 1 {
			t.Errorf("VIP value = %v, want 1", vip.PriorityInputs.Value)
		}

		// Waiting raises the priority as time passes.
		later := f.now.Add(45 * time.Minute)
		seen, changed, err := f.tr.Recompute(ctx, s, later)
		if err != nil {
			t.Fatal(err)
		}
		if seen != 3 || changed == 0 {
			t.Errorf("Recompute saw %d and changed %d, want 3 and some", seen, changed)
		}
		after, err := s.Conversation(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.Priority <= c.Priority || !slices.ContainsFunc(after.PriorityReasons, func(r string) bool { return strings.Contains(r, "45") }) {
			t.Errorf("after 45 min: priority %v (was %v), reasons %q", after.Priority, c.Priority, after.PriorityReasons)
		}
	})
}

func TestParseSettings(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"empty", `{}`, ""},
		{"unknown field", `{"topicz":[]}`, `Unknown field "topicz" in the triage settings; the fields are topics, weights and vip.`},
		{"not an object", `"x"`, "The triage settings must be a JSON object ({...}), not a string."},
		{"unknown weight", `{"weights":{"wait":40}}`, `Unknown field "wait" in weights of the triage settings; the fields are ` +
			"waiting, need, reach, incident, history, value and reach_off."},
		{"weight of the wrong type", `{"weights":{"waiting":"40"}}`, `In the triage settings, "weights.waiting" must be a number, not a string.`},
		{"phrases of the wrong type", `{"topics":[{"topic":"refund","phrases":"refund*"}]}`,
			`In the triage settings, "topics[0].phrases" must be an array, not a string.`},
		{"a VIP of the wrong type", `{"vip":[12345]}`, `In the triage settings, "vip[0]" must be a string, not a number.`},
		{"bad topic", `{"topics":[{"topic":"","phrases":["x"]}]}`, "Topic rules"},
		{"reach above half of waiting", `{"weights":{"waiting":40,"need":25,"reach":30}}`, "reach"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := triage.ParseSettings([]byte(tc.doc))
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("ParseSettings(%s) = %v", tc.doc, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || care.ErrorCode(err) != care.EINVALID):
				t.Errorf("ParseSettings(%s) = %v, want EINVALID mentioning %q", tc.doc, err, tc.want)
			}
		})
	}
}

// TestIncident: when enough different customers raise one topic within the
// window, their conversations are part of an incident (V), named on the
// card; customers spread out over hours, or one customer repeating
// themselves, are not one.
func TestIncident(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		f := newFixture(t, s)
		outage := func(id string) *care.Conversation {
			return f.post(t, care.Author{PlatformUserID: id}, care.Private, "your app is down again, outage since this morning")
		}
		// One customer, many times: no incident.
		for range triage.IncidentCustomers + 1 {
			if c := outage("same"); c.PriorityInputs.Incident != 0 {
				t.Fatalf("one customer repeating made an incident: %+v", c.PriorityInputs)
			}
		}
		// Customers an hour apart: no incident.
		for i := range triage.IncidentCustomers {
			f.now = f.now.Add(time.Hour)
			if c := outage(fmt.Sprint("slow-", i)); c.PriorityInputs.Incident != 0 {
				t.Fatalf("customers an hour apart made an incident: %+v", c.PriorityInputs)
			}
		}
		// Then several at once: the one who completes the count, and those
		// after, are part of it.
		f.now = f.now.Add(time.Hour)
		var last *care.Conversation
		for i := range triage.IncidentCustomers + 1 {
			f.now = f.now.Add(time.Minute)
			last = outage(fmt.Sprint("burst-", i))
			want := i+1 >= triage.IncidentCustomers
			if got := last.PriorityInputs.Incident > 0; got != want {
				t.Errorf("customer %d of the burst: incident %v, want %v", i+1, last.PriorityInputs.Incident, want)
			}
		}
		if last.PriorityInputs.Incident != 1 || !slices.ContainsFunc(last.PriorityReasons, func(r string) bool {
			return strings.Contains(r, "outage: 6 customers in 30 min")
		}) {
			t.Errorf("inputs %+v, reasons %q; want V = outage's severity 1, named", last.PriorityInputs, last.PriorityReasons)
		}
		calm := f.post(t, care.Author{PlatformUserID: "other"}, care.Private, "what time do you open tomorrow?")
		if calm.Priority >= last.Priority || calm.PriorityInputs.Incident != 0 {
			t.Errorf("a question during the incident: %v %+v", calm.Priority, calm.PriorityInputs)
		}
	})
}

// TestPlaceholderIsNoComplaint: the line an adapter writes for a message
// it cannot show ("cannot show yet") is not the customer's mood.
func TestPlaceholderIsNoComplaint(t *testing.T) {
	f := newFixture(t, testdb.SQLite(t))
	c := f.post(t, care.Author{PlatformUserID: "p"}, care.Private, `[A WhatsApp message of type "poll_vote" that Parley cannot show yet]`)
	if c.Mood == care.MoodNegative || c.PriorityInputs.Need != 0 {
		t.Errorf("placeholder read as mood %q, need %v (%q)", c.Mood, c.PriorityInputs.Need, c.PriorityInputs.NeedReason)
	}
}

// TestIncidentIgnoresBackfill: messages sent hours ago and threaded at once
// (a poller catching up, a replay) open no incident.
func TestIncidentIgnoresBackfill(t *testing.T) {
	f := newFixture(t, testdb.SQLite(t))
	sent := f.now
	f.now = f.now.Add(3 * time.Hour)
	for i := range triage.IncidentCustomers + 1 {
		f.n++
		in := care.Inbound{InboxID: f.inbox.ID, Channel: f.inbox.Channel, PlatformID: fmt.Sprintf("old%d", i), Visibility: care.Private,
			Author: care.Author{PlatformUserID: fmt.Sprint("old-", i)}, Text: "your app is down, outage", SentAt: sent}
		if _, err := f.store.AppendRaw(t.Context(), []care.RawEvent{{InboxID: in.InboxID, WorkspaceID: f.ws.ID,
			DedupeKey: in.DedupeKey(), Payload: []byte(in.Text), Inbound: in, ReceivedAt: f.now}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.p.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	page, err := f.store.Conversations(t.Context(), care.ConversationFilter{WorkspaceID: f.ws.ID, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range page.Conversations {
		if c.PriorityInputs.Incident != 0 {
			t.Errorf("conversation %d: incident %v from a backfill", c.ID, c.PriorityInputs.Incident)
		}
	}
	if len(page.Conversations) != triage.IncidentCustomers+1 {
		t.Fatalf("%d conversations threaded, want %d", len(page.Conversations), triage.IncidentCustomers+1)
	}
}
