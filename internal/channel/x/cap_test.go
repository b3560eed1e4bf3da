package x_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
	"github.com/parleyhq/parley/internal/poll"
	"github.com/parleyhq/parley/internal/testdb"
)

// TestUsageCapStopsReading runs polling and listening for a poll-mode
// inbox when X answers with its usage-capped problem: each stops for a day
// (X names no reset for the monthly cap, so it is asked daily), says why on
// the inbox's health line, and keeps its lease through the wait, so that
// another node does not take the inbox over minutes later only to be
// refused in turn.
func TestUsageCapStopsReading(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	s := testdb.SQLite(t)
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, ws); err != nil {
		t.Fatal(err)
	}
	in := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelX, Name: "Acme on X", ExternalID: brandID,
		Credentials: map[string]string{x.CredAccessToken: brandToken, x.CredAPIBase: w.srv.URL, x.CredMode: x.ModePoll}}
	if err := s.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, ws.ID, "listening", []byte(`{"subjects":[{"name":"Acme","own":true,"terms":["acme"]},{"name":"Rival","terms":["rival"]}]}`), t0); err != nil {
		t.Fatal(err)
	}
	reg := &channel.Registry{}
	reg.Register(care.ChannelX, w.a)
	runner := func(holder string) *poll.Runner {
		return &poll.Runner{Store: s, Adapters: reg, Now: w.clock.Now, Holder: holder, Logger: w.a.Logger}
	}
	a, b := runner("node-a"), runner("node-b")
	aDay := 24 * time.Hour // a day: X names no reset

	w.fake.CapUsage(2)
	wait, err := a.Once(ctx, in.ID)
	if err == nil || wait != aDay {
		t.Fatalf("Once = %v, %v; want to wait %v, until the cap's reset", wait, err, aDay)
	}
	got, err := s.Inbox(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if h := got.Health.LastError; !strings.HasPrefix(h, "poll: X's monthly usage cap for the App is used up") || !strings.Contains(h, "once a day, next at "+t0.Add(aDay).UTC().Format("2 January 15:04 UTC")) {
		t.Errorf("health after the poll = %q, want the usage cap and when polling resumes", h)
	}

	wait, err = a.SearchOnce(ctx, in.ID)
	if err == nil || wait != aDay {
		t.Fatalf("SearchOnce = %v, %v; want to wait %v", wait, err, aDay)
	}
	if got, _ := s.Inbox(ctx, in.ID); !strings.HasPrefix(got.Health.LastError, "listening: X's monthly usage cap") {
		t.Errorf("health after the search = %q", got.Health.LastError)
	}
	if n := w.fake.Calls(xfake.SearchRecent); n != 1 {
		t.Errorf("%d searches, want 1: the second subject is not searched once the cap refused the first", n)
	}

	// An hour on, X would answer (the fake's cap is spent), but the other
	// node leaves the inbox to the one that waits.
	w.clock.Advance(time.Hour)
	if _, err := b.Once(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SearchOnce(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if reads, searches := w.fake.Calls(xfake.Mentions), w.fake.Calls(xfake.SearchRecent); reads != 1 || searches != 1 {
		t.Errorf("%d more mentions reads and %d more searches after the cap, want none", reads-1, searches-1)
	}
}
