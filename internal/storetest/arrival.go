package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testArrivals(t *testing.T, open opener) {
	t.Run("PerHour", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws, other := mustWorkspace(t, s, "acme"), mustWorkspace(t, s, "other")
		inX, inFB := mustInbox(t, s, ws, care.ChannelX), mustInbox(t, s, ws, care.ChannelFacebook)
		team := mustTeam(t, s, ws, "Billing")
		k := mustIdentity(t, s, ws, "k1").ContactID
		// Hours from a whole UTC hour; at(0) is 12:00:00.123 local, 10:00 UTC.
		h0 := time.Date(2025, time.June, 1, 10, 0, 0, 0, time.UTC)
		hour := func(n int, min int) time.Time {
			return h0.Add(time.Duration(n)*time.Hour + time.Duration(min)*time.Minute)
		}

		// Stored in time order, as the pipeline stores them.
		c1 := newConversation(inX, k, hour(0, 5))
		c1.CreatedAt = hour(0, 5)
		mustConversation(t, s, c1)
		mustMessage(t, s, newMessage(c1, care.DirectionIn, care.Private, hour(0, 5)))
		mustMessage(t, s, newMessage(c1, care.DirectionIn, care.Private, hour(0, 40)))
		mustMessage(t, s, newMessage(c1, care.DirectionOut, care.Private, hour(0, 45))) // a reply: not work arriving
		mustMessage(t, s, newMessage(c1, care.DirectionIn, care.Note, hour(0, 50)))     // a note: neither

		c2 := newConversation(inFB, k, hour(1, 10))
		c2.CreatedAt, c2.TeamID = hour(1, 10), team.ID
		mustConversation(t, s, c2)
		mustMessage(t, s, newMessage(c2, care.DirectionIn, care.Public, hour(1, 10)))
		mustMessage(t, s, newMessage(c1, care.DirectionIn, care.Private, hour(1, 59)))

		// Another workspace's, in the same hour: never counted.
		oc := newConversation(mustInbox(t, s, other, care.ChannelX), mustIdentity(t, s, other, "k1").ContactID, hour(1, 20))
		oc.CreatedAt = hour(1, 20)
		mustConversation(t, s, oc)
		mustMessage(t, s, newMessage(oc, care.DirectionIn, care.Private, hour(1, 20)))

		// Three hours later, escalated to the team.
		c3 := newConversation(inX, k, hour(4, 0))
		c3.CreatedAt, c3.EscalationTeamID = hour(4, 0), team.ID
		mustConversation(t, s, c3)
		mustMessage(t, s, newMessage(c3, care.DirectionIn, care.Private, hour(4, 0)))

		tests := []struct {
			name     string
			from, to time.Time
			f        care.ArrivalFilter
			want     []care.HourCount
		}{
			{"All", hour(0, 0), hour(5, 0), care.ArrivalFilter{}, []care.HourCount{
				{Hour: hour(0, 0), Conversations: 1, Messages: 2},
				{Hour: hour(1, 0), Conversations: 1, Messages: 2},
				{Hour: hour(4, 0), Conversations: 1, Messages: 1},
			}},
			{"FromIsInclusiveToIsNot", hour(0, 40), hour(4, 0), care.ArrivalFilter{}, []care.HourCount{
				{Hour: hour(0, 0), Messages: 1},
				{Hour: hour(1, 0), Conversations: 1, Messages: 2},
			}},
			{"Channel", hour(0, 0), hour(5, 0), care.ArrivalFilter{Channel: care.ChannelFacebook}, []care.HourCount{
				{Hour: hour(1, 0), Conversations: 1, Messages: 1},
			}},
			{"TeamOwnedOrEscalated", hour(0, 0), hour(5, 0), care.ArrivalFilter{TeamID: team.ID}, []care.HourCount{
				{Hour: hour(1, 0), Conversations: 1, Messages: 1},
				{Hour: hour(4, 0), Conversations: 1, Messages: 1},
			}},
			{"Before", hour(-5, 0), hour(0, 0), care.ArrivalFilter{}, []care.HourCount{}},
			{"After", hour(5, 0), hour(9, 0), care.ArrivalFilter{}, []care.HourCount{}},
			{"EmptyPeriod", hour(2, 0), hour(1, 0), care.ArrivalFilter{}, []care.HourCount{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.Arrivals(ctx, ws.ID, tt.from, tt.to, tt.f)
				must(t, err, "Arrivals")
				if d := diff(tt.want, got); d != "" {
					t.Errorf("Arrivals(%v, %v, %+v) mismatch (-want +got):\n%s", tt.from, tt.to, tt.f, d)
				}
				for _, c := range got {
					checkUTC(t, "HourCount.Hour", c.Hour)
				}
			})
		}
	})

	t.Run("EmptyStore", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		ws := mustWorkspace(t, s, "acme")
		got, err := s.Arrivals(ctx, ws.ID, at(0), at(time.Hour), care.ArrivalFilter{})
		must(t, err, "Arrivals")
		if len(got) != 0 {
			t.Errorf("Arrivals of an empty store = %v, want none", got)
		}
	})
}
