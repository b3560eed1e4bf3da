package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testValueReport(t *testing.T, open opener) {
	t.Run("Groups", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		inX, inFB := mustInbox(t, s, ws, care.ChannelX), mustInbox(t, s, ws, care.ChannelFacebook)
		team := mustTeam(t, s, ws, "Billing")
		agent := mustUser(t, s, "ada@acme.test")
		k := mustIdentity(t, s, ws, "k1").ContactID
		from, to := at(0), at(10*time.Hour)
		n := 0
		conv := func(in *care.Inbox, created time.Time, st care.Status, mood care.Mood, teamID care.ID) *care.Conversation {
			c := newConversation(in, k, created)
			c.Status, c.Mood, c.TeamID = st, mood, teamID
			return mustConversation(t, s, c)
		}
		reply := func(c *care.Conversation, vis care.Visibility, when time.Time) {
			m := newMessage(c, care.DirectionOut, vis, when)
			m.AuthorID = agent.ID
			mustMessage(t, s, m)
		}
		// survey sends the survey as the desk does, a private message by
		// nobody at the instant the survey is stored, and answers it
		// (score 0: unanswered).
		survey := func(c *care.Conversation, when time.Time, score int) {
			q := newMessage(c, care.DirectionOut, care.Private, when)
			q.AuthorName = care.SurveyAuthor
			mustMessage(t, s, q)
			n++
			sv := &care.Survey{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, ContactID: c.ContactID, Channel: c.Channel,
				TokenHash: fmt.Appendf(nil, "value-%d", n), SentAt: when}
			must(t, s.CreateSurvey(ctx, sv), "CreateSurvey")
			if score > 0 {
				_, err := s.AnswerSurvey(ctx, sv.ID, score, "", when.Add(time.Hour))
				must(t, err, "AnswerSurvey")
			}
		}

		// Stored in time order, as the pipeline stores them. Before the
		// period: not counted.
		conv(inX, at(-time.Minute), care.StatusResolved, care.MoodNegative, team.ID)

		// Resolved in one reply, for an unhappy customer who was then
		// surveyed: the survey is no second touch. A note is no touch.
		c1 := conv(inX, from, care.StatusResolved, care.MoodNegative, team.ID)
		mustMessage(t, s, newMessage(c1, care.DirectionIn, care.Public, at(0)))
		reply(c1, care.Public, at(time.Minute))
		mustMessage(t, s, newMessage(c1, care.DirectionOut, care.Note, at(2*time.Minute)))
		survey(c1, at(time.Hour), 5)

		// Resolved in two replies, one written outside Parley (an echo,
		// by nobody too, but no survey's).
		c2 := conv(inX, at(time.Hour), care.StatusResolved, care.MoodNeutral, 0)
		reply(c2, care.Private, at(time.Hour+time.Minute))
		mustMessage(t, s, newMessage(c2, care.DirectionOut, care.Private, at(time.Hour+2*time.Minute)))
		survey(c2, at(2*time.Hour), 2)

		// Another workspace's, in the period: never counted.
		oc := newConversation(mustInbox(t, s, other, care.ChannelX), mustIdentity(t, s, other, "k1").ContactID, at(2*time.Hour))
		oc.Status, oc.Mood = care.StatusResolved, care.MoodNegative
		mustConversation(t, s, oc)
		mustMessage(t, s, newMessage(oc, care.DirectionOut, care.Private, at(2*time.Hour)))

		// Unhappy, answered once, not resolved.
		c3 := conv(inX, at(3*time.Hour), care.StatusOpen, care.MoodNegative, 0)
		reply(c3, care.Public, at(3*time.Hour+time.Minute))

		// Unhappy, resolved without a reply (dismissed), surveyed, never
		// answered.
		c4 := conv(inFB, at(4*time.Hour), care.StatusResolved, care.MoodNegative, team.ID)
		survey(c4, at(5*time.Hour), 0)

		// At the end of the period: not counted.
		conv(inFB, to, care.StatusResolved, care.MoodNegative, team.ID)

		teamKey := fmt.Sprint(team.ID)
		tests := []struct {
			name     string
			by       string
			from, to time.Time
			want     []care.ValueReportRow
		}{
			{"Channel", "channel", from, to, []care.ValueReportRow{
				{Key: "x", Contacts: 3, Resolved: 2, OneTouch: 1, Replies: 4, Negative: 2, NegativeResolved: 1, SurveysAnswered: 2, ScoreSum: 7, Satisfied: 1},
				{Key: "facebook", Contacts: 1, Resolved: 1, Negative: 1, NegativeResolved: 1},
			}},
			{"Team", "team", from, to, []care.ValueReportRow{
				{Key: "0", Contacts: 2, Resolved: 1, Replies: 3, Negative: 1, SurveysAnswered: 1, ScoreSum: 2},
				{Key: teamKey, Contacts: 2, Resolved: 2, OneTouch: 1, Replies: 1, Negative: 2, NegativeResolved: 2, SurveysAnswered: 1, ScoreSum: 5, Satisfied: 1},
			}},
			{"FromIsInclusiveToIsNot", "channel", at(time.Hour), at(4 * time.Hour), []care.ValueReportRow{
				{Key: "x", Contacts: 2, Resolved: 1, Replies: 3, Negative: 1, SurveysAnswered: 1, ScoreSum: 2},
			}},
			{"Before", "channel", at(-5 * time.Hour), at(-time.Hour), []care.ValueReportRow{}},
			{"After", "team", at(11 * time.Hour), at(20 * time.Hour), []care.ValueReportRow{}},
			{"EmptyPeriod", "channel", to, from, []care.ValueReportRow{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.ValueReport(ctx, ws.ID, tt.from, tt.to, tt.by)
				must(t, err, "ValueReport")
				if d := diff(tt.want, got); d != "" {
					t.Errorf("ValueReport(%v, %v, %q) mismatch (-want +got):\n%s", tt.from, tt.to, tt.by, d)
				}
			})
		}
		for _, by := range []string{"", "agent", "day", "c.channel", "channel; DROP TABLE conversations"} {
			_, err := s.ValueReport(ctx, ws.ID, from, to, by)
			wantCode(t, err, care.EINVALID, "ValueReport(by %q)", by)
		}
	})

	// A reply is what the customer saw, whoever sent it: a rule's reply
	// sent in the instant the survey is (a rule on resolution) counts, the
	// survey's question does not, and replies held, rejected or failed
	// reached no one.
	t.Run("WhatIsAReply", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		in := mustInbox(t, s, ws, care.ChannelX)
		k := mustIdentity(t, s, ws, "k1").ContactID
		c := newConversation(in, k, at(0))
		c.Status = care.StatusResolved
		mustConversation(t, s, c)
		out := func(name string, st care.DeliveryStatus, when time.Time) {
			m := newMessage(c, care.DirectionOut, care.Private, when)
			m.AuthorName, m.Status = name, st
			mustMessage(t, s, m)
		}
		out("Ada", care.DeliveryPendingApproval, at(time.Minute))
		out("Ada", care.DeliveryRejected, at(2*time.Minute))
		out("Ada", care.DeliveryFailed, at(3*time.Minute))
		out("Automation", care.DeliverySent, at(time.Hour))
		out(care.SurveyAuthor, care.DeliverySent, at(time.Hour))
		must(t, s.CreateSurvey(ctx, &care.Survey{WorkspaceID: ws.ID, ConversationID: c.ID, ContactID: k, Channel: c.Channel,
			TokenHash: []byte("reply-rule"), SentAt: at(time.Hour)}), "CreateSurvey")
		got, err := s.ValueReport(ctx, ws.ID, at(0), at(2*time.Hour), "channel")
		must(t, err, "ValueReport")
		want := []care.ValueReportRow{{Key: "x", Contacts: 1, Resolved: 1, OneTouch: 1, Replies: 1}}
		if d := diff(want, got); d != "" {
			t.Errorf("ValueReport mismatch (-want +got):\n%s", d)
		}
	})

	t.Run("EmptyStore", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		for _, by := range []string{"channel", "team"} {
			got, err := s.ValueReport(ctx, ws.ID, at(0), at(time.Hour), by)
			must(t, err, "ValueReport")
			if got == nil || len(got) != 0 {
				t.Errorf("ValueReport(%q) of an empty store = %#v, want an empty list", by, got)
			}
		}
	})
}
