package desk_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/testdb"
)

// moderator records what the platform was asked.
type moderator struct{ asked []string }

func (m *moderator) Send(context.Context, channel.Outbound) (channel.Result, error) {
	return channel.Result{}, nil
}

func (m *moderator) Moderate(_ context.Context, _ care.Inbox, id string, a channel.ModerationAction) error {
	m.asked = append(m.asked, string(a)+" "+id)
	return nil
}

func TestModerate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := context.Background()
		w := setup(t, s)
		mod := &moderator{}
		w.d.Adapters = &channel.Registry{}
		w.d.Adapters.Register(care.ChannelAPI, mod)
		reply := func(id string, st care.DeliveryStatus) *care.Message {
			m := &care.Message{WorkspaceID: w.conv.WorkspaceID, ConversationID: w.conv.ID, InboxID: w.conv.InboxID, Direction: care.DirectionOut,
				Visibility: care.Public, Text: "Sorry!", PlatformID: id, Status: st}
			if err := s.CreateMessage(ctx, m); err != nil {
				t.Fatal(err)
			}
			return m
		}
		sent, queued := reply("r-1", care.DeliverySent), reply("", care.DeliveryQueued)
		for _, tc := range []struct {
			name string
			id   care.ID
			a    channel.ModerationAction
			ok   bool
		}{
			{"hide the customer's comment", w.inMsg.ID, channel.Hide, true},
			{"hide our own reply", sent.ID, channel.Hide, false},
			{"delete our own sent reply", sent.ID, channel.Delete, true},
			{"delete it again", sent.ID, channel.Delete, false},
			{"delete a reply not yet sent", queued.ID, channel.Delete, false},
		} {
			_, err := w.d.Moderate(ctx, w.agent, tc.id, tc.a)
			if (err == nil) != tc.ok {
				t.Errorf("%s: err = %v, want ok %v", tc.name, err, tc.ok)
			}
		}
		if m, _ := s.Message(ctx, w.inMsg.ID); m.HiddenAt == nil {
			t.Errorf("the hidden comment is not marked hidden")
		}
		if _, err := w.d.Moderate(ctx, w.agent, w.inMsg.ID, channel.Unhide); err != nil {
			t.Fatal(err)
		}
		if m, _ := s.Message(ctx, w.inMsg.ID); m.HiddenAt != nil {
			t.Errorf("the comment shown again is still marked hidden")
		}
		mod.asked = mod.asked[:2]
		if got := len(mod.asked); got != 2 || mod.asked[1] != "delete r-1" {
			t.Errorf("the platform was asked %q, want the hide and one delete of r-1", mod.asked)
		}
		if m, _ := s.Message(ctx, sent.ID); m.DeletedAt == nil {
			t.Errorf("our deleted reply is not marked deleted")
		}
	})
}
