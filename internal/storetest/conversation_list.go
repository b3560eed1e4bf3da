package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// listWorld holds seven conversations in one workspace, chosen so that every
// filter selects a different subset and every sort a different order, with
// ties on LastActivityAt, Priority and WaitingSince; and one more conversation
// in another workspace that would lead every list if it leaked. Two of the
// conversations are escalated to PR and two to their own team, so a team's
// list holds what it owns and what was escalated to it, each once.
type listWorld struct {
	ws, other *care.Workspace
	inX, inFB *care.Inbox
	k1, k2    care.ID // contacts
	u1, u2    care.ID // agents
	team, pr  care.ID
	conv      [8]care.ID // conv[1] to conv[7]; conv[0] is unused
	otherConv care.ID
	newcomers int
}

func mustListWorld(t *testing.T, q care.Queries) *listWorld {
	t.Helper()
	w := &listWorld{}
	w.ws, w.other = mustWorkspace(t, q, "acme"), mustWorkspace(t, q, "other")
	w.inX, w.inFB = mustInbox(t, q, w.ws, care.ChannelX), mustInbox(t, q, w.ws, care.ChannelFacebook)
	w.k1, w.k2 = mustIdentity(t, q, w.ws, "k1").ContactID, mustIdentity(t, q, w.ws, "k2").ContactID
	w.u1, w.u2 = mustUser(t, q, "u1@example.com").ID, mustUser(t, q, "u2@example.com").ID
	w.team, w.pr = mustTeam(t, q, w.ws, "Support").ID, mustTeam(t, q, w.ws, "PR").ID

	specs := []struct {
		inbox    *care.Inbox
		contact  care.ID
		status   care.Status
		assignee care.ID
		team     care.ID
		escalate care.ID
		tags     []string
		priority float64
		activity time.Duration
		waiting  time.Duration // 0: not waiting
	}{
		1: {w.inX, w.k1, care.StatusOpen, w.u1, w.team, 0, []string{"billing"}, 10, 1 * time.Minute, 10 * time.Minute},
		2: {w.inX, w.k2, care.StatusPending, 0, 0, w.team, []string{"billing", "vip"}, 50, 2 * time.Minute, 0},
		3: {w.inFB, w.k1, care.StatusOpen, w.u2, w.team, w.pr, nil, 50, 3 * time.Minute, 5 * time.Minute},
		4: {w.inFB, w.k2, care.StatusSnoozed, w.u1, 0, w.pr, []string{"vip"}, 90, 3 * time.Minute, 5 * time.Minute},
		5: {w.inX, w.k1, care.StatusResolved, w.u2, w.team, 0, nil, 0, 5 * time.Minute, 0},
		6: {w.inX, w.k2, care.StatusOpen, 0, w.team, w.team, []string{"billing"}, 90, 6 * time.Minute, 1 * time.Minute},
		7: {w.inFB, w.k1, care.StatusOpen, 0, 0, 0, nil, 20, 7 * time.Minute, 20 * time.Minute},
	}
	for i, sp := range specs[1:] {
		c := newConversation(sp.inbox, sp.contact, at(sp.activity))
		c.Status, c.AssigneeID, c.TeamID, c.EscalationTeamID, c.Tags, c.Priority = sp.status, sp.assignee, sp.team, sp.escalate, sp.tags, sp.priority
		if sp.waiting != 0 {
			c.WaitingSince = ptr(at(sp.waiting))
		}
		if sp.status == care.StatusSnoozed {
			c.SnoozedUntil = ptr(at(time.Hour))
		}
		w.conv[i+1] = mustConversation(t, q, c).ID
	}

	c := newConversation(mustInbox(t, q, w.other, care.ChannelX), mustIdentity(t, q, w.other, "k1").ContactID, at(time.Hour))
	c.Tags, c.Priority, c.WaitingSince, c.EscalationTeamID = []string{"billing"}, 99, ptr(at(-time.Hour)), w.pr
	w.otherConv = mustConversation(t, q, c).ID
	return w
}

// pick maps conversation numbers to IDs.
func (w *listWorld) pick(nums ...int) []care.ID {
	out := make([]care.ID, len(nums))
	for i, n := range nums {
		out[i] = w.conv[n]
	}
	return out
}

// addNewcomer creates a conversation that comes first in every sort order.
func (w *listWorld) addNewcomer(t *testing.T, q care.Queries) care.ID {
	t.Helper()
	w.newcomers++
	n := time.Duration(w.newcomers)
	c := newConversation(w.inX, w.k1, at(time.Hour+n*time.Minute))
	c.Priority, c.WaitingSince = 100+float64(n), ptr(at(-n*time.Minute))
	return mustConversation(t, q, c).ID
}

// walk lists every page of f and returns each page's IDs.
func walk(t *testing.T, q care.Queries, f care.ConversationFilter) [][]care.ID {
	t.Helper()
	var pages [][]care.ID
	for len(pages) < 1000 {
		p, err := q.Conversations(t.Context(), f)
		must(t, err, "Conversations(page %d)", len(pages)+1)
		if f.Limit > 0 && len(p.Conversations) > f.Limit {
			t.Errorf("page %d has %d conversations, limit %d", len(pages)+1, len(p.Conversations), f.Limit)
		}
		pages = append(pages, ids(p.Conversations))
		if p.Next == "" {
			return pages
		}
		if len(p.Conversations) == 0 {
			t.Fatalf("page %d is empty but has a next cursor %q", len(pages), p.Next)
		}
		f.After = p.Next
	}
	t.Fatal("Conversations() returned a next cursor on 1000 pages")
	return nil
}

func testConversationList(t *testing.T, open opener) {
	t.Run("Filters", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustListWorld(t, s)
		all := w.pick(7, 6, 5, 4, 3, 2, 1)
		tests := []struct {
			name string
			f    care.ConversationFilter
			want []care.ID
		}{
			{"All", care.ConversationFilter{}, all},
			{"StatusOpen", care.ConversationFilter{Statuses: []care.Status{care.StatusOpen}}, w.pick(7, 6, 3, 1)},
			{"StatusOpenOrPending", care.ConversationFilter{Statuses: []care.Status{care.StatusOpen, care.StatusPending}}, w.pick(7, 6, 3, 2, 1)},
			{"StatusResolved", care.ConversationFilter{Statuses: []care.Status{care.StatusResolved}}, w.pick(5)},
			{"Assignee", care.ConversationFilter{AssigneeID: w.u1}, w.pick(4, 1)},
			{"Unassigned", care.ConversationFilter{AssigneeID: -1}, w.pick(7, 6, 2)},
			{"TeamOwnedOrEscalated", care.ConversationFilter{TeamID: w.team}, w.pick(6, 5, 3, 2, 1)},
			{"TeamEscalatedOnly", care.ConversationFilter{TeamID: w.pr}, w.pick(4, 3)},
			{"TeamEscalatedOpen", care.ConversationFilter{TeamID: w.pr, Statuses: []care.Status{care.StatusOpen}}, w.pick(3)},
			{"Inbox", care.ConversationFilter{InboxID: w.inFB.ID}, w.pick(7, 4, 3)},
			{"ChannelX", care.ConversationFilter{Channel: care.ChannelX}, w.pick(6, 5, 2, 1)},
			{"ChannelFacebook", care.ConversationFilter{Channel: care.ChannelFacebook}, w.pick(7, 4, 3)},
			{"Contact", care.ConversationFilter{ContactID: w.k1}, w.pick(7, 5, 3, 1)},
			{"TagBilling", care.ConversationFilter{Tag: "billing"}, w.pick(6, 2, 1)},
			{"TagVIP", care.ConversationFilter{Tag: "vip"}, w.pick(4, 2)},
			{"TagPercentIsLiteral", care.ConversationFilter{Tag: "bill%"}, nil},
			{"TagUnderscoreIsLiteral", care.ConversationFilter{Tag: "v_p"}, nil},
			{"TagPrefixDoesNotMatch", care.ConversationFilter{Tag: "bill"}, nil},
			{"MinPriorityInclusive", care.ConversationFilter{MinPriority: ptr(50.0)}, w.pick(6, 4, 3, 2)},
			{"MaxPriorityInclusive", care.ConversationFilter{MaxPriority: ptr(20.0)}, w.pick(7, 5, 1)},
			{"PriorityRange", care.ConversationFilter{MinPriority: ptr(20.0), MaxPriority: ptr(50.0)}, w.pick(7, 3, 2)},
			{"MinPriorityZero", care.ConversationFilter{MinPriority: ptr(0.0)}, all},
			{"Combined", care.ConversationFilter{Statuses: []care.Status{care.StatusOpen}, TeamID: w.team, AssigneeID: -1}, w.pick(6)},
			{"NoMatch", care.ConversationFilter{Statuses: []care.Status{care.StatusResolved}, AssigneeID: w.u1}, nil},
			{"OtherWorkspace", care.ConversationFilter{WorkspaceID: w.other.ID}, []care.ID{w.otherConv}},
			// A partner's scope: their teams' (owned or escalated) and
			// their own conversations, combined with other filters.
			{"ScopeTeam", care.ConversationFilter{Scope: &care.Scope{UserID: 999, Teams: []care.ID{w.pr}}}, w.pick(4, 3)},
			{"ScopeTeamAndSelf", care.ConversationFilter{Scope: &care.Scope{UserID: w.u1, Teams: []care.ID{w.pr}}}, w.pick(4, 3, 1)},
			{"ScopeTwoTeams", care.ConversationFilter{Scope: &care.Scope{Teams: []care.ID{w.pr, w.team}}}, w.pick(6, 5, 4, 3, 2, 1)},
			{"ScopeSelfOnly", care.ConversationFilter{Scope: &care.Scope{UserID: w.u2}}, w.pick(5, 3)},
			{"ScopeNothing", care.ConversationFilter{Scope: &care.Scope{}}, nil},
			{"ScopeAndStatus", care.ConversationFilter{Scope: &care.Scope{UserID: w.u1, Teams: []care.ID{w.pr}}, Statuses: []care.Status{care.StatusOpen}}, w.pick(3, 1)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := tt.f
				if f.WorkspaceID == 0 {
					f.WorkspaceID = w.ws.ID
				}
				f.Limit = 100
				p, err := s.Conversations(ctx, f)
				must(t, err, "Conversations")
				if d := diff(tt.want, ids(p.Conversations)); d != "" {
					t.Errorf("Conversations(%+v) mismatch (-want +got):\n%s", f, d)
				}
				// The store's scope and Scope.Sees agree on every row.
				if f.Scope != nil {
					all, err := s.Conversations(ctx, care.ConversationFilter{WorkspaceID: f.WorkspaceID, Statuses: f.Statuses, Limit: 100})
					must(t, err, "Conversations(unscoped)")
					var seen []care.ID
					for i := range all.Conversations {
						if f.Scope.Sees(&all.Conversations[i]) {
							seen = append(seen, all.Conversations[i].ID)
						}
					}
					if d := diff(tt.want, seen); d != "" {
						t.Errorf("Scope.Sees disagrees with the store (-store +Sees):\n%s", d)
					}
				}
				if p.Next != "" {
					t.Errorf("Conversations(%+v).Next = %q on the only page, want \"\"", f, p.Next)
				}
				// The count agrees with the list, and stops at its limit;
				// a cursor, sort and page size do not change it.
				f.After, f.Sort, f.Limit = "", care.SortPriority, 1
				n, err := s.CountConversations(ctx, f, 0)
				must(t, err, "CountConversations")
				if n != len(tt.want) {
					t.Errorf("CountConversations(%+v) = %d, want %d", f, n, len(tt.want))
				}
				if len(tt.want) > 2 {
					if n, _ := s.CountConversations(ctx, f, 2); n != 2 {
						t.Errorf("CountConversations(limit 2) = %d, want 2", n)
					}
				}
			})
		}
	})

	t.Run("ReturnsFullConversations", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustListWorld(t, s)
		p, err := s.Conversations(ctx, care.ConversationFilter{WorkspaceID: w.ws.ID, Limit: 100})
		must(t, err, "Conversations")
		for _, got := range p.Conversations {
			want, err := s.Conversation(ctx, got.ID)
			must(t, err, "Conversation(%d)", got.ID)
			if d := diff(want, &got); d != "" {
				t.Errorf("Conversations() entry %d differs from Conversation() (-want +got):\n%s", got.ID, d)
			}
		}
	})

	t.Run("Sorts", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustListWorld(t, s)
		for _, tt := range sortCases(w) {
			t.Run(tt.name, func(t *testing.T) {
				f := tt.f
				f.WorkspaceID, f.Limit = w.ws.ID, 100
				p, err := s.Conversations(ctx, f)
				must(t, err, "Conversations")
				if d := diff(tt.want, ids(p.Conversations)); d != "" {
					t.Errorf("Conversations(%+v) mismatch (-want +got):\n%s", f, d)
				}
			})
		}
	})

	t.Run("Pages", func(t *testing.T) {
		s := open(t)
		w := mustListWorld(t, s)
		for _, tt := range sortCases(w) {
			for _, limit := range []int{1, 2, 3, 7, 10} {
				t.Run(fmt.Sprintf("%s/Limit%d", tt.name, limit), func(t *testing.T) {
					f := tt.f
					f.WorkspaceID, f.Limit = w.ws.ID, limit
					pages := walk(t, s, f)
					if d := diff(tt.want, slices.Concat(pages...)); d != "" {
						t.Errorf("walking pages of %d: mismatch (-want +got):\n%s", limit, d)
					}
					if want := max(1, (len(tt.want)+limit-1)/limit); len(pages) > want+1 {
						t.Errorf("walking pages of %d took %d pages, want at most %d", limit, len(pages), want+1)
					}
					if d := diff(pages, walk(t, s, f)); d != "" {
						t.Errorf("walking again gave other pages (-first +second):\n%s", d)
					}
				})
			}
		}
	})

	t.Run("CursorSurvivesInserts", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustListWorld(t, s)
		for _, sort := range []care.Sort{care.SortNewest, care.SortPriority, care.SortWaiting} {
			t.Run(string(sort), func(t *testing.T) {
				f := care.ConversationFilter{WorkspaceID: w.ws.ID, Sort: sort, Limit: 100}
				p, err := s.Conversations(ctx, f)
				must(t, err, "Conversations")
				want := ids(p.Conversations)

				f.Limit = 2
				first, err := s.Conversations(ctx, f)
				must(t, err, "Conversations(first page)")
				// A conversation that sorts before the cursor arrives between
				// pages: the walk goes on where it was, without repeating.
				w.addNewcomer(t, s)
				f.After = first.Next
				got := slices.Concat(append([][]care.ID{ids(first.Conversations)}, walk(t, s, f)...)...)
				if d := diff(want, got); d != "" {
					t.Errorf("walk across an insert mismatch (-want +got):\n%s", d)
				}
			})
		}
	})

	t.Run("DefaultLimit", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		const n = 101
		want := []care.ID{w.conv.ID}
		must(t, s.Update(ctx, func(q care.Queries) error {
			for i := range n - 1 {
				want = append(want, mustConversation(t, q, newConversation(w.inbox, w.identity.ContactID, at(time.Duration(i+1)*time.Second))).ID)
			}
			return nil
		}), "Update")
		slices.Reverse(want)

		f := care.ConversationFilter{WorkspaceID: w.ws.ID}
		p, err := s.Conversations(ctx, f)
		must(t, err, "Conversations(limit 0)")
		if got := len(p.Conversations); got == 0 || got > 100 {
			t.Errorf("Conversations(limit 0) returned %d of %d conversations, want between 1 and 100", got, n)
		}
		if p.Next == "" {
			t.Errorf("Conversations(limit 0) returned %d of %d conversations and no next cursor", len(p.Conversations), n)
		}
		if d := diff(want, slices.Concat(walk(t, s, f)...)); d != "" {
			t.Errorf("walking with limit 0 mismatch (-want +got):\n%s", d)
		}
	})

	t.Run("InvalidCursor", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		for _, after := range []string{"not a cursor", "%%%", "eyJpZCI6ImFiYyJ9", "\x00\xff", "'; DROP TABLE conversations; --"} {
			_, err := s.Conversations(ctx, care.ConversationFilter{WorkspaceID: w.ws.ID, After: after, Limit: 10})
			wantCode(t, err, care.EINVALID, "Conversations(after %q)", after)
		}
	})
}

// sortCases are the orders of listWorld's conversations under each sort:
// newest by LastActivityAt then ID, both descending; priority descending, ties
// newest ID first; waiting by WaitingSince ascending, ties oldest ID first,
// conversations not waiting last.
func sortCases(w *listWorld) []struct {
	name string
	f    care.ConversationFilter
	want []care.ID
} {
	return []struct {
		name string
		f    care.ConversationFilter
		want []care.ID
	}{
		{"Default", care.ConversationFilter{}, w.pick(7, 6, 5, 4, 3, 2, 1)},
		{"Newest", care.ConversationFilter{Sort: care.SortNewest}, w.pick(7, 6, 5, 4, 3, 2, 1)},
		{"Priority", care.ConversationFilter{Sort: care.SortPriority}, w.pick(6, 4, 3, 2, 7, 1, 5)},
		{"Waiting", care.ConversationFilter{Sort: care.SortWaiting}, w.pick(6, 3, 4, 1, 7, 2, 5)},
		{"WaitingOpen", care.ConversationFilter{Sort: care.SortWaiting, Statuses: []care.Status{care.StatusOpen}}, w.pick(6, 3, 1, 7)},
		{"PriorityUnassigned", care.ConversationFilter{Sort: care.SortPriority, AssigneeID: -1}, w.pick(6, 2, 7)},
		{"NewestTag", care.ConversationFilter{Sort: care.SortNewest, Tag: "billing"}, w.pick(6, 2, 1)},
		{"PriorityTeam", care.ConversationFilter{Sort: care.SortPriority, TeamID: w.team}, w.pick(6, 3, 2, 1, 5)},
		{"WaitingEscalated", care.ConversationFilter{Sort: care.SortWaiting, TeamID: w.pr}, w.pick(3, 4)},
	}
}
