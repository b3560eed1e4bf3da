package outbox

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// TestHealthReported: every attempt tells the inbox's health line what
// happened: a send's time, or the error the agent would see.
func TestHealthReported(t *testing.T) {
	f := newFixture(t, reply(http.StatusServiceUnavailable, "maintenance"))
	var mu sync.Mutex
	var got []care.HealthUpdate
	f.w.OnHealth = func(inboxID care.ID, h care.HealthUpdate) {
		if inboxID != 3 {
			t.Errorf("health for inbox %d, want 3", inboxID)
		}
		mu.Lock()
		got = append(got, h)
		mu.Unlock()
	}
	f.runOnce(1)
	f.clock.Advance(f.w.maxDelay())
	f.runOnce(1)
	if len(got) != 2 {
		t.Fatalf("%d health updates, want 2", len(got))
	}
	if got[0].Error == "" || !got[0].ErrorAt.Equal(t0) || !got[0].SendAt.IsZero() {
		t.Errorf("after a 503: %+v; want the error and its time", got[0])
	}
	if got[1].SendAt.IsZero() || got[1].Error != "" {
		t.Errorf("after a success: %+v; want the send time", got[1])
	}
}

// recordingSender keeps the Outbound it was given.
type recordingSender struct{ out channel.Outbound }

func (s *recordingSender) Send(_ context.Context, out channel.Outbound) (channel.Result, error) {
	s.out = out
	return channel.Result{Status: care.DeliverySent, RateLimit: "7/15 left"}, nil
}

// TestLastInboundGiven: senders learn the customer's newest message of the
// reply's visibility, from which messaging windows are counted.
func TestLastInboundGiven(t *testing.T) {
	f := newFixture(t)
	f.store.mu.Lock()
	f.store.messages[40] = care.Message{ID: 40, ConversationID: 7, InboxID: 3, Direction: care.DirectionIn, Visibility: care.Public, CreatedAt: t0}
	f.store.messages[41] = care.Message{ID: 41, ConversationID: 7, InboxID: 3, Direction: care.DirectionIn, Visibility: care.Private, CreatedAt: t0}
	f.store.mu.Unlock()
	rs := &recordingSender{}
	f.w.Senders = &channel.Registry{}
	f.w.Senders.Register(care.ChannelAPI, rs)
	var health []care.HealthUpdate
	f.w.OnHealth = func(_ care.ID, h care.HealthUpdate) { health = append(health, h) }
	f.runOnce(1)
	if rs.out.LastInbound == nil || rs.out.LastInbound.ID != 40 {
		t.Errorf("LastInbound = %+v, want message 40 (public, like the reply)", rs.out.LastInbound)
	}
	if len(health) != 1 || health[0].RateLimit != "7/15 left" {
		t.Errorf("health = %+v; want the sender's rate-limit state", health)
	}
}

// revealingSender answers like Facebook's private replies: with the
// customer's Messenger id.
type revealingSender struct{}

func (revealingSender) Send(context.Context, channel.Outbound) (channel.Result, error) {
	return channel.Result{Status: care.DeliverySent, PlatformID: "m_1", RecipientID: "24680135792468"}, nil
}

func TestRecipientRevealed(t *testing.T) {
	f := newFixture(t)
	f.w.Senders = &channel.Registry{}
	f.w.Senders.Register(care.ChannelAPI, revealingSender{})
	var got []string
	f.w.OnRecipient = func(out channel.Outbound, id string) {
		got = append(got, fmt.Sprintf("%d:%s", out.Contact.ID, id))
	}
	f.runOnce(1)
	if len(got) != 1 || got[0] != "11:24680135792468" {
		t.Errorf("OnRecipient calls = %v, want contact 11 told of 24680135792468", got)
	}
	f.checkStatus(42, care.DeliverySent, "", "m_1")
}

// A send the platform bills is counted for the inbox's spend.
func TestChargeRecorded(t *testing.T) {
	f := newFixture(t)
	f.w.Senders = &channel.Registry{}
	f.w.Senders.Register(care.ChannelAPI, senderFunc(func(context.Context, channel.Outbound) (channel.Result, error) {
		return channel.Result{Status: care.DeliverySent, PlatformID: "p1", Charge: "post created"}, nil
	}))
	f.runOnce(1)
	f.checkStatus(42, care.DeliverySent, "", "p1")
	if fmt.Sprint(f.store.charges) != "[42:post created]" {
		t.Errorf("charges = %v, want message 42's post", f.store.charges)
	}
}

// A reply the platform refused on its own account (its window closed, the
// comment it answers is gone) fails without marking the inbox as broken;
// the platform's budget is still reported.
func TestRefusedReplyLeavesHealth(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  *channel.SendError
		want []care.HealthUpdate
	}{
		{"refused", &channel.SendError{Permanent: true, Refused: true, Reason: "outside the messaging window"}, nil},
		{"refused, with the budget", &channel.SendError{Permanent: true, Refused: true, Reason: "gone", RateLimit: "9/10 left"},
			[]care.HealthUpdate{{RateLimit: "9/10 left"}}},
		{"the account's trouble", &channel.SendError{Permanent: true, Reason: "the access token expired"},
			[]care.HealthUpdate{{Error: "the access token expired", ErrorAt: t0}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.w.Senders = &channel.Registry{}
			f.w.Senders.Register(care.ChannelAPI, senderFunc(func(context.Context, channel.Outbound) (channel.Result, error) {
				return channel.Result{}, tt.err
			}))
			var got []care.HealthUpdate
			f.w.OnHealth = func(_ care.ID, h care.HealthUpdate) { got = append(got, h) }
			f.runOnce(1)
			f.checkStatus(42, care.DeliveryFailed, tt.err.Reason, "")
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("health = %+v, want %+v", got, tt.want)
			}
		})
	}
}
