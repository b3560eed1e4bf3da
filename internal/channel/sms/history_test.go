package sms

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// history is a History over a fixed set of conversations and messages.
type history struct {
	convs []care.Conversation
	msgs  []care.Message
	err   error
	// asked is the filter Conversations was given.
	asked care.ConversationFilter
}

func (h *history) Conversations(ctx context.Context, f care.ConversationFilter) (*care.ConversationPage, error) {
	h.asked = f
	if h.err != nil {
		return nil, h.err
	}
	page := &care.ConversationPage{}
	for _, c := range h.convs {
		if c.InboxID == f.InboxID && c.ContactID == f.ContactID && len(page.Conversations) < f.Limit {
			page.Conversations = append(page.Conversations, c)
		}
	}
	return page, nil
}

func (h *history) RecentMessages(ctx context.Context, ids []care.ID, limit int) ([]care.Message, error) {
	var out []care.Message
	for _, m := range h.msgs {
		if slices.Contains(ids, m.ConversationID) {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b care.Message) int { return int(b.ID - a.ID) })
	return out[:min(len(out), limit)], nil
}

// TestSendOptOutAcrossConversations checks that Send goes by the
// customer's newest keyword in any of their conversations in the inbox,
// as Twilio does, whatever the reply's own conversation shows.
func TestSendOptOutAcrossConversations(t *testing.T) {
	t.Parallel()
	// Conversation 1 is the customer's earlier one; 2, which an agent
	// opened, holds the reply; 3 is with another customer; 4 is the
	// customer's in another inbox.
	convs := []care.Conversation{
		{ID: 1, InboxID: 3, ContactID: 11}, {ID: 2, InboxID: 3, ContactID: 11},
		{ID: 3, InboxID: 3, ContactID: 12}, {ID: 4, InboxID: 5, ContactID: 11},
	}
	in := func(id, conv care.ID, text string) care.Message {
		inbox := care.ID(3)
		if conv == 4 {
			inbox = 5
		}
		return care.Message{ID: id, ConversationID: conv, InboxID: inbox, Direction: care.DirectionIn, Text: text}
	}
	ours := func(id, conv care.ID, text string) care.Message {
		return care.Message{ID: id, ConversationID: conv, InboxID: 3, Direction: care.DirectionOut, Text: text}
	}
	stop, start := "STOP\n\n"+optOutNote, "START\n\n"+optInNote
	tests := []struct {
		name    string
		msgs    []care.Message
		err     error
		refused bool
		// temporary is a history that cannot be read.
		temporary bool
	}{
		{name: "no keyword anywhere", msgs: []care.Message{in(1, 1, "hi"), ours(2, 1, "hello")}},
		{name: "STOP in another conversation", msgs: []care.Message{in(1, 1, "hi"), in(2, 1, stop)}, refused: true},
		{name: "a bare STOP stored before notes", msgs: []care.Message{in(1, 1, "stop")}, refused: true},
		{name: "STOP, then more without START", msgs: []care.Message{in(1, 1, stop), in(2, 1, "why did I get texts"), ours(3, 2, "sorry"), in(4, 2, "ok")}, refused: true},
		{name: "START after STOP elsewhere", msgs: []care.Message{in(1, 1, stop), in(2, 2, start)}},
		{name: "START then STOP", msgs: []care.Message{in(1, 2, start), in(2, 1, stop)}, refused: true},
		{name: "a note or our own message saying STOP counts for nothing", msgs: []care.Message{ours(1, 1, "STOP")}},
		{name: "another customer's STOP", msgs: []care.Message{in(1, 3, stop)}},
		{name: "a STOP to another inbox", msgs: []care.Message{in(1, 4, stop)}},
		{name: "the history cannot be read", err: errors.New("database is locked"), temporary: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			h := &history{convs: convs, msgs: tt.msgs, err: tt.err}
			w.a.History = h
			out := w.outbound("Your order shipped.")
			out.Inbox.WorkspaceID = 1
			out.Conversation = care.Conversation{ID: 2, InboxID: 3, ContactID: 11}
			// The conversation shows no keyword: only the history can.
			out.LastInbound = nil
			_, err := w.a.Send(context.Background(), out)
			if want := (care.ConversationFilter{WorkspaceID: 1, InboxID: 3, ContactID: 11, Sort: care.SortNewest, Limit: historyConversations}); !filterEqual(h.asked, want) {
				t.Errorf("Conversations(%+v), want %+v", h.asked, want)
			}
			var se *channel.SendError
			switch {
			case tt.refused:
				if !errors.As(err, &se) || !se.Permanent || se.Reason != optedOutReason {
					t.Errorf("Send = %v, want a permanent %q", err, optedOutReason)
				}
			case tt.temporary:
				if !errors.As(err, &se) || se.Permanent || !strings.Contains(se.Reason, "opt-out") {
					t.Errorf("Send = %v, want a temporary error about the opt-out check", err)
				}
			default:
				if err != nil {
					t.Errorf("Send = %v, want it sent", err)
				}
			}
			wantSent := 1
			if tt.refused || tt.temporary {
				wantSent = 0
			}
			if n := len(w.fake.Sent()); n != wantSent {
				t.Errorf("the fake accepted %d messages, want %d", n, wantSent)
			}
		})
	}
}

func filterEqual(a, b care.ConversationFilter) bool {
	return a.WorkspaceID == b.WorkspaceID && a.InboxID == b.InboxID && a.ContactID == b.ContactID &&
		a.Sort == b.Sort && a.Limit == b.Limit && len(a.Statuses) == 0
}
