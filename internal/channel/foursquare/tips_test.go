package foursquare

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

type goldenEvent struct {
	Inbound care.Inbound `json:"inbound"`
}

type golden struct {
	Events []goldenEvent `json:"events"`
	// Skipped counts the tips of the page that make no event.
	Skipped int `json:"skipped,omitempty"`
}

// TestTipsGolden maps every page in testdata/tips and compares the events
// with testdata/golden (go test -update rewrites them). Every event must
// pass the core's validation and carry its tip as its raw payload.
func TestTipsGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/tips/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no pages in testdata/tips: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			tips, err := parseTips(body)
			if err != nil {
				t.Fatalf("parseTips: %v", err)
			}
			var raws []json.RawMessage
			if json.Unmarshal(body, &raws) != nil {
				var env struct{ Results []json.RawMessage }
				json.Unmarshal(body, &env)
				raws = env.Results
			}
			got := golden{Skipped: len(raws)}
			for _, tp := range tips {
				ev, ok := event(tp, sohoVenue, testNow, tp.raw)
				if !ok {
					continue
				}
				got.Skipped--
				checkEvent(t, ev)
				got.Events = append(got.Events, goldenEvent{Inbound: ev.Inbound})
			}
			path := filepath.Join("testdata/golden", name)
			if *updateGolden {
				b, _ := json.MarshalIndent(got, "", "  ")
				if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			var want golden
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("events of %s (-want +got):\n%s", name, diff)
			}
		})
	}
}

// checkEvent asserts what the core relies on: the event validates once the
// core fills in inbox and channel, is public, is its tip's, and carries
// the tip as its payload.
func checkEvent(t testing.TB, ev channel.Event) {
	t.Helper()
	in := ev.Inbound
	in.InboxID, in.Channel = 1, care.ChannelFoursquare
	if err := in.Validate(); err != nil {
		t.Errorf("event %q does not validate: %v", in.PlatformID, err)
	}
	if in.Visibility != care.Public || in.Author.PlatformUserID != authorPrefix+in.PlatformID || !tipID(in.PlatformID) {
		t.Errorf("event %q: visibility %q, author %q", in.PlatformID, in.Visibility, in.Author.PlatformUserID)
	}
	if !json.Valid(ev.Raw) || !bytes.Contains(ev.Raw, []byte(in.PlatformID)) && !bytes.Contains(ev.Raw, []byte(`"id"`)) {
		t.Errorf("event %q: raw payload %s is not its tip", in.PlatformID, ev.Raw)
	}
	if ev.Account != "" {
		t.Errorf("event %q: account %q, want the inbox's own", in.PlatformID, ev.Account)
	}
}

// TestEvent spells out a tip's message.
func TestEvent(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/tips/newest_CONSTRUCTED.json")
	if err != nil {
		t.Fatal(err)
	}
	tips, err := parseTips(body)
	if err != nil || len(tips) != 3 {
		t.Fatalf("parseTips = %d tips, %v", len(tips), err)
	}
	ev, ok := event(tips[0], sohoVenue, testNow, tips[0].raw)
	want := care.Inbound{Kind: care.KindMessage, PlatformID: "6740a1c2e5b1d04f3a9c7e21", Visibility: care.Public,
		Author:      care.Author{PlatformUserID: "tip:6740a1c2e5b1d04f3a9c7e21", DisplayName: "Foursquare user"},
		Text:        "The oat flat white is great, but the queue at 8am is 20 minutes and the card reader kept failing.",
		Attachments: []care.Attachment{{Kind: "image", URL: "https://fastly.4sqi.net/img/general/original/5301_queue_morning.jpg"}},
		Subject:     "Foursquare tip on Acme Soho", SentAt: time.Date(2026, 11, 24, 9, 12, 44, 0, time.UTC), Engagement: 5}
	if diff := cmp.Diff(want, ev.Inbound); !ok || diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if ev2, _ := event(tips[1], sohoVenue, testNow, nil); !strings.HasSuffix(ev2.Inbound.Text, "\n\nhttps://foursquare.com/item/673f5b10c0ffee0123456789") {
		t.Errorf("the tip's link is not after its text: %q", ev2.Inbound.Text)
	}
}

func TestParseTips(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body string
		n    int
		ok   bool
	}{
		{`[]`, 0, true},
		{` [{"fsq_tip_id":"a"}] `, 1, true},
		{`{"results":[{"fsq_tip_id":"a"},{"fsq_tip_id":"b"}]}`, 2, true},
		{`[{"fsq_tip_id":"a"}, 1, null, "x", []]`, 1, true},
		{`{"message":"Invalid request token."}`, 0, true},
		{`null`, 0, false},
		{`[{"fsq_tip_id":"a"}`, 0, false},
		{``, 0, false},
	} {
		tips, err := parseTips([]byte(tt.body))
		if (err == nil) != tt.ok || len(tips) != tt.n {
			t.Errorf("parseTips(%s) = %d tips, %v; want %d, ok %v", tt.body, len(tips), err, tt.n, tt.ok)
		}
	}
}

func TestFlexTime(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 24, 9, 12, 44, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{`"2026-11-24T09:12:44.000Z"`, at},
		{`"2026-11-24T10:12:44+01:00"`, at},
		{`1795511564`, at},
		{`"1795511564"`, at},
		{`"24 Nov 2026"`, time.Time{}},
		{`-1`, time.Time{}},
		{`1e10`, time.Time{}},
		{`null`, time.Time{}},
		{`{}`, time.Time{}},
	} {
		var ft flexTime
		if err := json.Unmarshal([]byte(tt.in), &ft); err != nil || !ft.Equal(tt.want) {
			t.Errorf("flexTime(%s) = %v, %v; want %v", tt.in, ft.Time, err, tt.want)
		}
	}
}
