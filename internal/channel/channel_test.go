package channel

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func TestRecipient(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ident := func(id care.ID, p care.Channel, user string, updated time.Time) care.Identity {
		return care.Identity{ID: id, Platform: p, PlatformUserID: user, UpdatedAt: updated}
	}
	tests := []struct {
		name       string
		identities []care.Identity
		want       string
		wantOK     bool
	}{
		{"none", nil, "", false},
		{"other channels only", []care.Identity{ident(1, care.ChannelX, "x1", t0)}, "", false},
		{"one match", []care.Identity{ident(1, care.ChannelX, "x1", t0), ident(2, care.ChannelAPI, "a2", t0)}, "a2", true},
		{"most recently updated wins", []care.Identity{
			ident(1, care.ChannelAPI, "old", t0), ident(2, care.ChannelAPI, "new", t0.Add(time.Hour)),
			ident(3, care.ChannelAPI, "older", t0.Add(-time.Hour)),
		}, "new", true},
		{"tie goes to the lowest id", []care.Identity{
			ident(5, care.ChannelAPI, "five", t0), ident(4, care.ChannelAPI, "four", t0),
		}, "four", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Outbound{Inbox: care.Inbox{Channel: care.ChannelAPI}, Contact: care.Contact{Identities: tt.identities}}
			got, ok := out.Recipient()
			if got.PlatformUserID != tt.want || ok != tt.wantOK {
				t.Errorf("Recipient() = %q, %v, want %q, %v", got.PlatformUserID, ok, tt.want, tt.wantOK)
			}
		})
	}
}
