package telegram_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/telegram"
	"github.com/parleyhq/parley/internal/channel/telegram/tgfake"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testdb"
)

// albumPhoto is one part of album group: a photo, with caption if not "".
func albumPhoto(group, fileID, caption string) tgfake.Message {
	content := map[string]any{"media_group_id": group, "photo": []any{
		map[string]any{"file_id": fileID, "file_unique_id": fileID + "-u", "width": 1280, "height": 960, "file_size": 90000}}}
	if caption != "" {
		content["caption"] = caption
	}
	return tgfake.Message{Content: content}
}

// checkAlbum checks that the parts ids are one message of the customer's,
// captioned text, with a photo per part, alone in its conversation.
func checkAlbum(t *testing.T, p *parley, text string, ids ...string) {
	t.Helper()
	m := p.message(ids[0])
	for _, id := range ids[1:] {
		if got := p.message(id); got.ID != m.ID {
			t.Errorf("part %s is message %d; want %d, the album's", id, got.ID, m.ID)
		}
	}
	if m.Text != text || len(m.Attachments) != len(ids) || m.Direction != care.DirectionIn {
		t.Errorf("album message: text %q, %d attachments, %s; want %q, %d, in", m.Text, len(m.Attachments), m.Direction, text, len(ids))
	}
	for _, a := range m.Attachments {
		if a.Kind != "image" {
			t.Errorf("attachment %+v; want an image", a)
		}
	}
	if n := p.count(m.ConversationID); n != 1 {
		t.Errorf("%d messages in the album's conversation; want 1", n)
	}
}

// TestAlbumToWebhook: the photos of an album come to the webhook as
// requests of their own, each acknowledged on its own, and are one message
// with every photo; a reaction to the second photo is shown on it.
func TestAlbumToWebhook(t *testing.T) {
	for _, tc := range []struct {
		name     string
		passEach bool // thread each request before the next arrives
	}{
		{"threaded together", false},
		{"threaded apart", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, s care.Store) {
				p := newParley(t, s, "")
				if err := p.adapter.SetWebhook(p.ctx, *p.inbox, p.hookURL); err != nil {
					t.Fatalf("SetWebhook: %v", err)
				}
				first := p.deliver(albumPhoto("13518", "AgAC-1", "Both arrived broken"))
				if tc.passEach {
					p.drain()
				}
				m := albumPhoto("13518", "AgAC-2", "")
				m.From = ana
				n, err := p.fake.Deliver(p.ctx, m)
				if err != nil {
					t.Fatalf("deliver: %v", err)
				}
				second := telegram.MessageID(ana.ID, n)
				p.drain()
				checkAlbum(t, p, "Both arrived broken", first, second)

				if err := p.fake.React(p.ctx, ana, ana.ID, n, "👍", ""); err != nil {
					t.Fatalf("React: %v", err)
				}
				p.drain()
				if m := p.message(first); len(m.Reactions) != 1 || m.Reactions[0].Emoji != "👍" {
					t.Errorf("reactions %+v; want the 👍 to the second photo", m.Reactions)
				}
			})
		})
	}
}

// TestAlbumAcrossPolls: an album whose parts two polls read is one message
// too.
func TestAlbumAcrossPolls(t *testing.T) {
	p := newParley(t, testdb.SQLite(t), telegram.ModePolling)
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelTelegram, p.adapter)
	runner := &poll.Runner{Store: p.store, Adapters: adapters, Ingest: p.ingest, Now: p.clock.Now, Logger: slog.New(slog.DiscardHandler)}
	first := p.deliver(albumPhoto("13519", "AgAC-1", ""))
	p.clock.Add(10 * time.Second) // old enough not to be waited for
	if _, err := runner.Once(p.ctx, p.inbox.ID); err != nil {
		t.Fatal(err)
	}
	p.drain()
	second := p.deliver(albumPhoto("13519", "AgAC-2", "The second"))
	p.clock.Add(10 * time.Second)
	if _, err := runner.Once(p.ctx, p.inbox.ID); err != nil {
		t.Fatal(err)
	}
	p.drain()
	checkAlbum(t, p, "The second", first, second)
}
