package sse

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/inmem"
)

// Fixtures of the scoped tests: a member (user 5) of team 7, in workspace 1.
const (
	scopeUser care.ID = 5
	ownTeam   care.ID = 7
	otherTeam care.ID = 8
)

var partnerScope = &care.Scope{UserID: scopeUser, Teams: []care.ID{ownTeam}}

// appendConv stores an event of a conversation.
func (s *store) appendConv(typ care.EventType, convID care.ID, data json.RawMessage) care.Event {
	s.mu.Lock()
	id := care.ID(len(s.events) + 1)
	if data == nil {
		data = json.RawMessage(`{"n":` + strconv.FormatInt(id, 10) + `}`)
	}
	e := care.Event{ID: id, WorkspaceID: 1, Type: typ, ConversationID: convID, Data: data,
		CreatedAt: time.Date(2026, 3, 1, 9, 0, int(id), 0, time.UTC)}
	s.events = append(s.events, e)
	s.mu.Unlock()
	s.bus.Publish(e)
	return e
}

// convStore is a store whose conversations can be looked up, counting the
// lookups.
type convStore struct {
	*store
	mu      sync.Mutex
	convs   map[care.ID]care.Conversation
	lookups map[care.ID]int
	err     error
}

func newConvStore(bus *inmem.Bus, convs ...care.Conversation) *convStore {
	cs := &convStore{store: newStore(bus), convs: map[care.ID]care.Conversation{}, lookups: map[care.ID]int{}}
	for _, c := range convs {
		cs.convs[c.ID] = c
	}
	return cs
}

func (cs *convStore) Conversation(ctx context.Context, id care.ID) (*care.Conversation, error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.lookups[id]++
	if cs.err != nil {
		return nil, cs.err
	}
	c, ok := cs.convs[id]
	if !ok {
		return nil, care.Errorf(care.ENOTFOUND, "Conversation not found.")
	}
	return &c, nil
}

// move puts a stored conversation in another team, and stores the event
// that says so.
func (cs *convStore) move(t *testing.T, id, team care.ID) care.Event {
	t.Helper()
	cs.mu.Lock()
	c := cs.convs[id]
	c.TeamID = team
	cs.convs[id] = c
	cs.mu.Unlock()
	return cs.appendConv(care.EventConversationUpdated, id, conv(t, c))
}

func (cs *convStore) lookupsOf() map[care.ID]int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	out := map[care.ID]int{}
	for id, n := range cs.lookups {
		out[id] = n
	}
	return out
}

// conv returns a conversation of workspace 1 as an event's data.
func conv(t *testing.T, c care.Conversation) json.RawMessage {
	t.Helper()
	c.WorkspaceID = 1
	data, err := json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// serveScoped runs st on a real HTTP server at /events, limited to scope.
func serveScoped(t *testing.T, st *Stream, scope *care.Scope) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /events", func(w http.ResponseWriter, r *http.Request) {
		st.ServeScoped(w, r, 1, scope)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestServeScoped checks which events a member of a partner team gets, in
// the backfill, live, and on resuming.
func TestServeScoped(t *testing.T) {
	bus := inmem.NewBus()
	st := newConvStore(bus,
		care.Conversation{ID: 1, WorkspaceID: 1, TeamID: ownTeam},
		care.Conversation{ID: 2, WorkspaceID: 1, TeamID: otherTeam},
		care.Conversation{ID: 3, WorkspaceID: 1, AssigneeID: scopeUser},
		care.Conversation{ID: 4, WorkspaceID: 1, TeamID: otherTeam, EscalationTeamID: ownTeam},
		care.Conversation{ID: 5, WorkspaceID: 2, TeamID: ownTeam}, // another workspace's
	)
	st.appendConv(care.EventConversationCreated, 1, conv(t, care.Conversation{ID: 1, TeamID: ownTeam})) // 1: seen
	st.appendConv(care.EventMessageCreated, 1, nil)                                                     // 2: seen, remembered
	st.appendConv(care.EventMessageCreated, 2, nil)                                                     // 3: another team's
	st.appendConv(care.EventMessageCreated, 2, nil)                                                     // 4: remembered
	st.appendConv(care.EventMessageCreated, 3, nil)                                                     // 5: assigned to them
	st.appendData(1, care.EventContactMerged, json.RawMessage(`{"winner_id":1}`))                       // 6: no conversation
	st.appendConv(care.EventNotification, 2, nil)                                                       // 7: about another team's
	st.appendConv(care.EventMessageUpdated, 4, nil)                                                     // 8: escalated to them
	st.appendConv(care.EventMessageCreated, 5, nil)                                                     // 9: another workspace's id
	st.appendConv(care.EventMessageCreated, 99, nil)                                                    // 10: gone
	srv := serveScoped(t, &Stream{Source: st, Bus: bus}, partnerScope)

	c := connect(t, srv, "/events", "0")
	if diff := cmp.Diff([]care.ID{1, 2, 5, 8}, c.ids(t, 4)); diff != "" {
		t.Errorf("backfilled ids (-want +got):\n%s", diff)
	}
	// Events 9 and 10 send nothing, so the stream may still be judging
	// them when event 8 arrives: wait for their lookups.
	// Replayed events are judged by their conversation as it is now, so
	// conversation 1 is looked up too.
	wantLookups := map[care.ID]int{1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 99: 1}
	for deadline := time.Now().Add(waitFor); ; time.Sleep(5 * time.Millisecond) {
		diff := cmp.Diff(wantLookups, st.lookupsOf())
		if diff == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lookups per conversation (-want +got):\n%s", diff)
		}
	}

	// Conversation 2 moves to their team: it streams from the move on.
	// Conversation 1 moves away: it stops, the move included.
	st.move(t, 2, ownTeam)                          // 11
	st.appendConv(care.EventMessageCreated, 2, nil) // 12
	st.move(t, 1, otherTeam)                        // 13
	st.appendConv(care.EventMessageCreated, 1, nil) // 14
	st.appendConv(care.EventMessageCreated, 3, nil) // 15
	if diff := cmp.Diff([]care.ID{11, 12, 15}, c.ids(t, 3)); diff != "" {
		t.Errorf("live ids (-want +got):\n%s", diff)
	}
	if n := st.lookupsOf()[2]; n != 1 {
		t.Errorf("conversation 2 looked up %d times, want once: its conversation.updated says where it is", n)
	}

	// Replay judges by the conversations as they are now, which is where
	// the live stream's events left them.
	again := connect(t, srv, "/events", "9")
	if diff := cmp.Diff([]care.ID{11, 12, 15}, again.ids(t, 3)); diff != "" {
		t.Errorf("replayed ids (-want +got):\n%s", diff)
	}
}

// TestServeUnscopedUnfiltered: a nil scope sees every event, as Serve does.
func TestServeUnscopedUnfiltered(t *testing.T) {
	bus := inmem.NewBus()
	st := newConvStore(bus, care.Conversation{ID: 2, WorkspaceID: 1, TeamID: otherTeam})
	st.appendConv(care.EventMessageCreated, 2, nil)
	st.appendData(1, care.EventContactMerged, nil)
	srv := serveScoped(t, &Stream{Source: st, Bus: bus}, nil)
	c := connect(t, srv, "/events", "0")
	if diff := cmp.Diff([]care.ID{1, 2}, c.ids(t, 2)); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if n := len(st.lookupsOf()); n != 0 {
		t.Errorf("an unscoped stream looked up %d conversations, want none", n)
	}
}

// TestServeScopedConversations: the Conversations field is used before the
// Source, and without either only conversation events can be judged.
func TestServeScopedConversations(t *testing.T) {
	bus := inmem.NewBus()
	st := newStore(bus)
	st.appendConv(care.EventMessageCreated, 3, nil)
	st.appendConv(care.EventConversationUpdated, 1, conv(t, care.Conversation{ID: 1, TeamID: ownTeam}))
	st.appendConv(care.EventConversationUpdated, 1, json.RawMessage(`{"not":"a conversation"}`))

	t.Run("no lookup", func(t *testing.T) {
		srv := serveScoped(t, &Stream{Source: st, Bus: bus}, partnerScope)
		c := connect(t, srv, "/events", "0")
		if diff := cmp.Diff([]care.ID{2, 3}, c.ids(t, 2)); diff != "" {
			t.Errorf("ids (-want +got):\n%s", diff)
		}
	})
	t.Run("Conversations field", func(t *testing.T) {
		lookup := newConvStore(bus, care.Conversation{ID: 3, WorkspaceID: 1, AssigneeID: scopeUser},
			care.Conversation{ID: 1, WorkspaceID: 1, TeamID: ownTeam})
		srv := serveScoped(t, &Stream{Source: st, Bus: bus, Conversations: lookup}, partnerScope)
		c := connect(t, srv, "/events", "0")
		if diff := cmp.Diff([]care.ID{1, 2, 3}, c.ids(t, 3)); diff != "" {
			t.Errorf("ids (-want +got):\n%s", diff)
		}
	})
}

// TestServeScopedLookupError: a lookup that fails ends the stream before
// the event, which the client gets on resuming once storage answers.
func TestServeScopedLookupError(t *testing.T) {
	bus := inmem.NewBus()
	st := newConvStore(bus, care.Conversation{ID: 3, WorkspaceID: 1, AssigneeID: scopeUser})
	st.appendConv(care.EventMessageCreated, 3, nil)
	st.err = errors.New("disk on fire")
	srv := serveScoped(t, &Stream{Source: st, Bus: bus}, partnerScope)

	c := connect(t, srv, "/events", "0")
	for f := range c.frames {
		if f.Data != "" {
			t.Errorf("got event %+v, want none", f)
		}
	}
	st.mu.Lock()
	st.err = nil
	st.mu.Unlock()
	if e := connect(t, srv, "/events", "0").event(t); e.ID != 1 {
		t.Errorf("after resuming, event %d, want 1", e.ID)
	}
}

// TestServeScopedSignals: a scoped stream gets only the signals of the
// conversations it sees.
func TestServeScopedSignals(t *testing.T) {
	bus := inmem.NewBus()
	st := newConvStore(bus,
		care.Conversation{ID: 1, WorkspaceID: 1, TeamID: ownTeam},
		care.Conversation{ID: 2, WorkspaceID: 1, TeamID: otherTeam})
	sigs := make(chan Signal, 8)
	srv := serveScoped(t, &Stream{Source: st, Bus: bus, Signals: func(care.ID) (<-chan Signal, func()) {
		return sigs, func() {}
	}}, partnerScope)
	c := connect(t, srv, "/events", "")
	first := st.appendConv(care.EventMessageCreated, 1, nil)
	if e := c.event(t); e.ID != first.ID {
		t.Fatalf("event %d, want %d", e.ID, first.ID)
	}
	sigs <- Signal{Type: "presence", Data: []byte(`{"conversation_id":2,"viewers":[{"name":"Ana"}]}`)}
	sigs <- Signal{Type: "presence", Data: []byte(`{"viewers":[]}`)}
	sigs <- Signal{Type: "presence", Data: []byte(`{"conversation_id":1,"viewers":[]}`)}
	f := c.next(t)
	for f.Data == "" {
		f = c.next(t)
	}
	if f.Event != "presence" || f.Data != `{"conversation_id":1,"viewers":[]}` {
		t.Errorf("first signal delivered = %+v, want conversation 1's", f)
	}
}

func TestScopeFilterRemembersBoundedly(t *testing.T) {
	f := newScopeFilter(partnerScope, 1, nil)
	for id := range care.ID(maxRemembered + 10) {
		f.remember(id+1, true)
	}
	if len(f.seen) != maxRemembered {
		t.Errorf("remembered %d conversations, want at most %d", len(f.seen), maxRemembered)
	}
	f.remember(maxRemembered+10, false)
	if seen, ok := f.seen[maxRemembered+10]; !ok || seen {
		t.Errorf("a new verdict on a remembered conversation = %v, %v; want false, true", seen, ok)
	}
}

// TestServeScopedHidesLinks: a conversation the scope sees keeps its link
// to a linked conversation only when the scope sees that one too.
func TestServeScopedHidesLinks(t *testing.T) {
	bus := inmem.NewBus()
	st := newConvStore(bus,
		care.Conversation{ID: 2, WorkspaceID: 1, TeamID: otherTeam},
		care.Conversation{ID: 4, WorkspaceID: 1, TeamID: ownTeam},
		care.Conversation{ID: 1, WorkspaceID: 1, TeamID: ownTeam, LinkedID: 2},
		care.Conversation{ID: 3, WorkspaceID: 1, TeamID: ownTeam, LinkedID: 4},
	)
	st.appendConv(care.EventConversationUpdated, 1, conv(t, care.Conversation{ID: 1, TeamID: ownTeam, LinkedID: 2}))
	st.appendConv(care.EventConversationUpdated, 3, conv(t, care.Conversation{ID: 3, TeamID: ownTeam, LinkedID: 4}))
	srv := serveScoped(t, &Stream{Source: st, Bus: bus}, partnerScope)
	c := connect(t, srv, "/events", "0")
	for _, want := range []care.ID{0, 4} {
		e := c.event(t)
		var got care.Conversation
		if err := json.Unmarshal(e.Data, &got); err != nil {
			t.Fatal(err)
		}
		if got.LinkedID != want || got.ID != e.ConversationID || got.TeamID != ownTeam {
			t.Errorf("event %d's conversation = %+v, want linked_id %d and the rest kept", e.ID, got, want)
		}
	}
}

// TestServeScopedReplayAfterMove: a partner member who resumes after a
// conversation left their team's hands gets none of its events, though
// each was theirs when it happened; REST answers 404 for it by then. One
// moved to their team is replayed whole, as REST shows it whole.
func TestServeScopedReplayAfterMove(t *testing.T) {
	bus := inmem.NewBus()
	st := newConvStore(bus,
		care.Conversation{ID: 1, WorkspaceID: 1, TeamID: ownTeam},
		care.Conversation{ID: 2, WorkspaceID: 1, TeamID: otherTeam},
		care.Conversation{ID: 3, WorkspaceID: 1, AssigneeID: scopeUser})
	st.appendConv(care.EventConversationCreated, 1, conv(t, care.Conversation{ID: 1, TeamID: ownTeam}))   // 1
	st.appendConv(care.EventMessageCreated, 1, nil)                                                       // 2
	st.appendConv(care.EventConversationCreated, 2, conv(t, care.Conversation{ID: 2, TeamID: otherTeam})) // 3
	st.appendConv(care.EventMessageCreated, 2, nil)                                                       // 4
	st.appendConv(care.EventMessageUpdated, 1, nil)                                                       // 5
	st.move(t, 1, otherTeam)                                                                              // 6
	st.move(t, 2, ownTeam)                                                                                // 7
	st.appendConv(care.EventMessageCreated, 3, nil)                                                       // 8
	srv := serveScoped(t, &Stream{Source: st, Bus: bus}, partnerScope)

	for _, from := range []string{"0", "1"} {
		c := connect(t, srv, "/events", from)
		if diff := cmp.Diff([]care.ID{3, 4, 7, 8}, c.ids(t, 4)); diff != "" {
			t.Errorf("replayed from %s (-want +got):\n%s", from, diff)
		}
		// Live, a conversation.* event decides again: conversation 1 comes
		// back to the team and streams from there.
		if from == "0" {
			st.move(t, 1, ownTeam)                          // 9
			st.appendConv(care.EventMessageCreated, 1, nil) // 10
			if diff := cmp.Diff([]care.ID{9, 10}, c.ids(t, 2)); diff != "" {
				t.Errorf("live (-want +got):\n%s", diff)
			}
			st.move(t, 1, otherTeam) // 11
		}
	}
	if n := st.lookupsOf()[1]; n != 2 {
		t.Errorf("conversation 1 looked up %d times, want once per replay", n)
	}
}
