package youtube_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/youtube"
	"github.com/parleyhq/parley/internal/channel/youtube/ytfake"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testdb"
)

// restart replaces the adapter, and everything that holds it, with a new
// one over the same store: what a restarted Parley has.
func (p *parley) restart() {
	p.t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	p.adapter = &youtube.Adapter{Client: p.adapter.Client, Now: p.clock.Now, Logger: quiet, State: p.store}
	adapters := &channel.Registry{}
	adapters.Register(care.ChannelYouTube, p.adapter)
	p.runner = &poll.Runner{Store: p.store, Adapters: adapters, Ingest: p.ingest, Now: p.clock.Now, Logger: quiet}
	p.desk = &desk.Service{Store: p.store, Now: p.clock.Now, Adapters: adapters}
	p.worker.Senders = adapters
}

// pollsUntilRefused polls until the polling budget is spent and returns
// how many polls went through.
func (p *parley) pollsUntilRefused() int {
	p.t.Helper()
	for n := 0; n <= 100; n++ {
		if _, err := p.poll(); err != nil {
			if !strings.Contains(err.Error(), "polling budget for today is spent") {
				p.t.Fatalf("poll %d: %v, want the budget spent", n+1, err)
			}
			return n
		}
	}
	p.t.Fatal("polling never stopped")
	return 0
}

// TestQuotaAcrossRestarts checks that the units an inbox spent are not
// forgotten when Parley restarts on the same Pacific day: a new adapter
// over the same store continues the day's count, and a new day starts at
// zero. It runs on SQLite, and on PostgreSQL when
// PARLEY_TEST_DATABASE_URL is set.
func TestQuotaAcrossRestarts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		// 104 units a day, 52 of them for polling; a poll costs 1, a reply 50.
		p := newParley(t, s, map[string]string{youtube.CredDailyQuota: "104", youtube.CredWriteShare: "50"})
		p.mustPoll()
		top := p.fake.Comment(ana, ytfake.DefaultVideoID, "Do you ship to Canada?")
		for range 9 {
			p.mustPoll()
		}
		in := p.message(top)
		if m := p.reply(in.ConversationID, desk.Reply{Text: "We do!", ReplyToMessageID: in.ID}); m.Status != care.DeliverySent {
			t.Fatalf("reply = %s %q, want sent", m.Status, m.StatusReason)
		}
		if q := p.fake.QuotaUsed(); q != 60 {
			t.Fatalf("the fake charged %d units before the restart, want 60", q)
		}

		p.restart()
		if n := p.pollsUntilRefused(); n != 42 {
			t.Errorf("after the restart %d polls went through, want 42: 52 for polling less the 10 spent before", n)
		}
		if h := p.health(); !strings.Contains(h.RateLimit, "102/104 units today (polling 52/52)") {
			t.Errorf("health after the restart = %+v, want the day's 102 units counted", h)
		}
		// Only the reply reserve is left, 2 units: a second reply after
		// another restart must wait for the reset, not spend past the day.
		p.restart()
		m, err := p.desk.Reply(p.ctx, p.agent, in.ConversationID, desk.Reply{Text: "Tracked, too.", ReplyToMessageID: in.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.send(m.ID); got.Status != care.DeliveryQueued || !strings.Contains(got.StatusReason, "quota for today is spent") {
			t.Errorf("reply past the day's quota after a restart = %s %q, want queued until the reset", got.Status, got.StatusReason)
		}
		if q := p.fake.QuotaUsed(); q != 102 {
			t.Errorf("the fake charged %d units, want 102: nothing past the day's quota", q)
		}

		// The next Pacific day starts at zero.
		p.clock.Add(24 * time.Hour)
		p.restart()
		if n := p.pollsUntilRefused(); n != 52 {
			t.Errorf("on the next day %d polls went through, want 52", n)
		}
	})
}
