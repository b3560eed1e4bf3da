package api_test

import (
	"context"
	"encoding/json"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// TestStaffingPlanRaisesDrop plans next week for a queue of 40
// conversations every Monday at 10:00, but for the Monday two weeks ago,
// when its inbox was down and none came: that hour forecasts 40, not the
// 32.3 of the plain mean, and the history says one hour was raised.
func TestStaffingPlanRaisesDrop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)
	s, store, ws := stoppedServer(t, now)
	sup := care.Principal{WorkspaceID: ws.ID, Role: care.RoleSupervisor, Name: "Lee"}
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelX, Name: "@acme", Credentials: map[string]string{}}
	if err := store.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	monday := now.Truncate(time.Hour).Add(-24 * time.Hour)
	for back := 3; back >= 0; back-- { // oldest first, as ids grow with time
		if back == 2 {
			continue // the outage
		}
		at := monday.Add(-time.Duration(back) * 7 * 24 * time.Hour)
		ident, _, err := store.ResolveIdentity(ctx, ws.ID, in.Channel, care.Author{PlatformUserID: "9", DisplayName: "Vera"}, at)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 40 {
			when := at.Add(time.Duration(i) * time.Minute)
			c := &care.Conversation{WorkspaceID: ws.ID, InboxID: in.ID, Channel: in.Channel, ContactID: ident.ContactID,
				Status: care.StatusResolved, CreatedAt: when, LastActivityAt: when, UpdatedAt: when}
			if err := store.CreateConversation(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep, err := s.StaffingPlan(ctx, sup, url.Values{"channel": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.History.Raised != 1 || rep.History.Capped != 0 {
		t.Errorf("history %+v, want 1 hour raised and none capped", rep.History)
	}
	for _, h := range rep.Hours {
		want := 0.0
		if h.Start.Weekday() == time.Monday && h.Start.Hour() == 10 {
			want = 40
		}
		if math.Abs(h.Contacts-want) > 1e-9 {
			t.Errorf("%v forecasts %g, want %g", h.Start, h.Contacts, want)
		}
	}
	body, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), `"capped":0,"raised":1}`) {
		t.Errorf("the report's history does not say one hour was raised: %.300s", body)
	}
}
