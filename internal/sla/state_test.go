package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/sla"
)

// step applies an event (none when ev is empty) at a London wall time,
// then checks, and expects these alerts from Check.
type step struct {
	at     string
	ev     sla.EventType
	alerts []alert
}

// alert is an sla.Alert with its deadline as a wall time ("" for none).
type alert struct {
	kind  sla.Kind
	level sla.Level
	due   string
}

// due is an sla.Due with wall times. breach is "" for none, "at" for a
// nanosecond after At, and otherwise the wall time a nanosecond before it.
type due struct {
	kind           sla.Kind
	at, warn, brch string
}

// standard targets: first response 1 h, next response 2 h, resolution 16 h
// (two working days), warnings at half.
var standard = sla.Targets{FirstResponse: time.Hour, NextResponse: 2 * time.Hour, Resolution: 16 * time.Hour, WarnAt: 0.5}

func TestState(t *testing.T) {
	t.Parallel()
	cal := officeHours(t)
	for _, tt := range []struct {
		name    string
		targets sla.Targets
		steps   []step
		due     []due // Deadlines after the last step
		used    map[sla.Kind]time.Duration
	}{{
		name: "first response met",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:20", ev: sla.AgentReply},
		},
		// Monday 09:00–17:00 is 7 h, Tuesday 8 h, and the last hour is
		// Wednesday's first; the warning at 8 h falls at 09:00 on Tuesday.
		due:  []due{{sla.Resolution, "2026-11-25 09:00", "2026-11-24 09:00", "at"}},
		used: map[sla.Kind]time.Duration{sla.FirstResponse: 20 * time.Minute},
	}, {
		name: "outside hours start",
		steps: []step{
			{at: "2026-11-28 10:00", ev: sla.CustomerMessage},
			{at: "2026-11-29 23:00"},
			{at: "2026-11-30 08:30", alerts: []alert{{sla.FirstResponse, sla.Warning, "2026-11-30 09:00"}}},
			{at: "2026-11-30 09:00"},
		},
		due: []due{
			{sla.FirstResponse, "2026-11-30 09:00", "", "at"},
			{sla.Resolution, "2026-12-01 17:00", "2026-11-30 17:00", "2026-12-02 08:00"},
		},
	}, {
		name: "warning then breach, once each",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:29"},
			{at: "2026-11-23 09:30", alerts: []alert{{sla.FirstResponse, sla.Warning, "2026-11-23 10:00"}}},
			{at: "2026-11-23 09:45"},
			{at: "2026-11-23 10:00"},
			{at: "2026-11-23 10:01", alerts: []alert{{sla.FirstResponse, sla.Breach, "2026-11-23 10:00"}}},
			{at: "2026-11-23 11:00"},
			{at: "2026-11-23 11:30", ev: sla.AgentReply},
		},
		due:  []due{{sla.Resolution, "2026-11-25 09:00", "2026-11-24 09:00", "at"}},
		used: map[sla.Kind]time.Duration{sla.FirstResponse: 150 * time.Minute},
	}, {
		name: "a late reply is a breach without a timer",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 11:00", ev: sla.AgentReply, alerts: []alert{{sla.FirstResponse, sla.Breach, ""}}},
			{at: "2026-11-23 12:00"},
		},
		due: []due{{sla.Resolution, "2026-11-25 09:00", "2026-11-24 09:00", "at"}},
	}, {
		name: "reply before any customer message",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.AgentReply},
			{at: "2026-11-23 10:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 11:00", alerts: []alert{{sla.NextResponse, sla.Warning, "2026-11-23 12:00"}}},
		},
		// Next response from 10:00: 2.5 h to lunch is enough.
		due: []due{
			{sla.NextResponse, "2026-11-23 12:00", "", "at"},
			{sla.Resolution, "2026-11-25 09:00", "2026-11-24 09:00", "at"},
		},
		used: map[sla.Kind]time.Duration{sla.FirstResponse: 0, sla.NextResponse: time.Hour},
	}, {
		name: "several customer messages before a reply",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:10", ev: sla.AgentReply},
			{at: "2026-11-23 10:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 10:30", ev: sla.CustomerMessage},
			{at: "2026-11-23 11:00", ev: sla.CustomerMessage, alerts: []alert{{sla.NextResponse, sla.Warning, "2026-11-23 12:00"}}},
		},
		due: []due{
			{sla.NextResponse, "2026-11-23 12:00", "", "at"},
			{sla.Resolution, "2026-11-25 09:00", "2026-11-24 09:00", "at"},
		},
	}, {
		name: "each wait for a next response warns and breaches again",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:10", ev: sla.AgentReply},
			{at: "2026-11-23 09:30", ev: sla.CustomerMessage},
			{at: "2026-11-23 10:30", alerts: []alert{{sla.NextResponse, sla.Warning, "2026-11-23 11:30"}}},
			{at: "2026-11-23 11:31", alerts: []alert{{sla.NextResponse, sla.Breach, "2026-11-23 11:30"}}},
			{at: "2026-11-23 11:40", ev: sla.AgentReply},
			{at: "2026-11-23 11:50", ev: sla.CustomerMessage},
			// 40 minutes before lunch, 20 after.
			{at: "2026-11-23 13:50", alerts: []alert{{sla.NextResponse, sla.Warning, "2026-11-23 14:50"}}},
			{at: "2026-11-23 14:51", alerts: []alert{{sla.NextResponse, sla.Breach, "2026-11-23 14:50"}}},
		},
		due: []due{
			{sla.NextResponse, "2026-11-23 14:50", "", ""},
			{sla.Resolution, "2026-11-25 09:00", "2026-11-24 09:00", "at"},
		},
	}, {
		name: "pending, then the customer answers",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:10", ev: sla.AgentReply},
			{at: "2026-11-23 09:10", ev: sla.Pending},
			{at: "2026-11-24 08:59"},
			{at: "2026-11-24 09:00", ev: sla.CustomerMessage},
		},
		// Resolution used 10 minutes before pending, then 7 h from 09:00 on
		// Tuesday, 8 h on Wednesday and the last 50 minutes on Thursday.
		due: []due{
			{sla.NextResponse, "2026-11-24 11:00", "2026-11-24 10:00", "at"},
			{sla.Resolution, "2026-11-26 08:50", "2026-11-25 08:50", "at"},
		},
		used: map[sla.Kind]time.Duration{sla.Resolution: 10 * time.Minute},
	}, {
		name: "pending with the customer unanswered pauses first response",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:20", ev: sla.Pending},
			{at: "2026-11-24 16:00"},
			{at: "2026-11-24 16:00", ev: sla.Open},
		},
		due: []due{
			{sla.FirstResponse, "2026-11-24 16:40", "2026-11-24 16:10", "at"},
			{sla.Resolution, "2026-11-26 15:40", "2026-11-25 15:40", "at"},
		},
	}, {
		name: "resolved, then reopened",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:30", ev: sla.AgentReply},
			{at: "2026-11-23 10:00", ev: sla.Resolved},
			{at: "2026-11-24 09:00", ev: sla.Reopened},
			// 1 h used, 7 h more on Tuesday, so the warning at 8 h falls
			// at closing time, and the deadline at Wednesday's.
			{at: "2026-11-24 16:59"},
			{at: "2026-11-24 17:00", alerts: []alert{{sla.Resolution, sla.Warning, "2026-11-25 17:00"}}},
			{at: "2026-11-25 17:00"},
			{at: "2026-11-25 20:00"},
			{at: "2026-11-26 08:00"},
		},
		due: []due{{sla.Resolution, "2026-11-25 17:00", "", "2026-11-26 08:00"}},
	}, {
		name: "breach at the next opening when the deadline is closing time",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:30", ev: sla.AgentReply},
			{at: "2026-11-23 10:00", ev: sla.Resolved},
			{at: "2026-11-24 09:00", ev: sla.Reopened, alerts: nil},
			{at: "2026-11-24 17:00", alerts: []alert{{sla.Resolution, sla.Warning, "2026-11-25 17:00"}}},
			{at: "2026-11-26 08:01", alerts: []alert{{sla.Resolution, sla.Breach, "2026-11-25 17:00"}}},
		},
		due: []due{{sla.Resolution, "2026-11-25 17:00", "", ""}},
	}, {
		name: "resolved with the customer unanswered, then reopened",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:20", ev: sla.Resolved},
			{at: "2026-11-23 15:00"},
			{at: "2026-11-24 09:00", ev: sla.Reopened},
		},
		due: []due{
			{sla.FirstResponse, "2026-11-24 09:40", "2026-11-24 09:10", "at"},
			{sla.Resolution, "2026-11-26 08:40", "2026-11-25 08:40", "at"},
		},
	}, {
		// The first response was missed at 10:00; closing at 10:30 stops
		// its clock there, so the miss is reported and does not pause
		// into tomorrow. Reopened, only the resolution runs again.
		name: "resolved unanswered after the first response was missed",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:30", alerts: []alert{{sla.FirstResponse, sla.Warning, "2026-11-23 10:00"}}},
			{at: "2026-11-23 10:01", alerts: []alert{{sla.FirstResponse, sla.Breach, "2026-11-23 10:00"}}},
			{at: "2026-11-23 10:30", ev: sla.Resolved},
			{at: "2026-11-24 09:00", ev: sla.Reopened},
		},
		due:  []due{{sla.Resolution, "2026-11-25 16:30", "2026-11-24 16:30", "at"}},
		used: map[sla.Kind]time.Duration{sla.FirstResponse: 90 * time.Minute},
	}, {
		name: "a customer message reopens a resolved conversation",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:10", ev: sla.AgentReply},
			{at: "2026-11-23 09:30", ev: sla.Resolved},
			{at: "2026-11-24 09:00", ev: sla.CustomerMessage},
		},
		due: []due{
			{sla.NextResponse, "2026-11-24 11:00", "2026-11-24 10:00", "at"},
			{sla.Resolution, "2026-11-26 08:30", "2026-11-25 08:30", "at"},
		},
	}, {
		name: "snoozed pauses resolution but not the wait for an answer",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:05", ev: sla.Snoozed},
			{at: "2026-11-23 09:30", alerts: []alert{{sla.FirstResponse, sla.Warning, "2026-11-23 10:00"}}},
			{at: "2026-11-23 10:01", alerts: []alert{{sla.FirstResponse, sla.Breach, "2026-11-23 10:00"}}},
			{at: "2026-11-24 09:00", ev: sla.Open},
		},
		due: []due{
			{sla.FirstResponse, "2026-11-23 10:00", "", ""},
			{sla.Resolution, "2026-11-26 08:55", "2026-11-25 08:55", "at"},
		},
		used: map[sla.Kind]time.Duration{sla.Resolution: 5 * time.Minute},
	}, {
		name:    "no warnings",
		targets: sla.Targets{FirstResponse: time.Hour},
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-11-23 09:59"},
			{at: "2026-11-23 10:01", alerts: []alert{{sla.FirstResponse, sla.Breach, "2026-11-23 10:00"}}},
		},
		due: []due{{sla.FirstResponse, "2026-11-23 10:00", "", ""}},
	}, {
		name:    "no targets",
		targets: sla.Targets{WarnAt: 0.5},
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.CustomerMessage},
			{at: "2026-12-23 09:00"},
		},
		used: map[sla.Kind]time.Duration{sla.FirstResponse: 22 * 8 * time.Hour},
	}, {
		name: "created by an agent, then the customer",
		steps: []step{
			{at: "2026-11-23 09:00", ev: sla.Created},
			{at: "2026-11-23 10:00", ev: sla.CustomerMessage},
		},
		due: []due{
			{sla.FirstResponse, "2026-11-23 11:00", "2026-11-23 10:30", "at"},
			{sla.Resolution, "2026-11-25 09:00", "2026-11-24 09:00", "at"},
		},
	}, {
		name: "unknown event",
		steps: []step{
			{at: "2026-11-23 09:00", ev: "note"},
			{at: "2026-11-23 10:00"},
		},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			targets := tt.targets
			if targets == (sla.Targets{}) {
				targets = standard
			}
			var s sla.State
			var now time.Time
			for _, st := range tt.steps {
				now = at(t, st.at)
				if st.ev != "" {
					s = s.Apply(sla.Event{At: now, Type: st.ev}, targets, cal)
				}
				var got []sla.Alert
				s, got = s.Check(now, targets, cal)
				var want []sla.Alert
				for _, a := range st.alerts {
					want = append(want, sla.Alert{Kind: a.kind, Level: a.level, Due: wallOrZero(t, a.due)})
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("Check at %s after %q (-want +got):\n%s", st.at, st.ev, diff)
				}
			}
			var want []sla.Due
			for _, d := range tt.due {
				w := sla.Due{Kind: d.kind, At: at(t, d.at), WarnAt: wallOrZero(t, d.warn)}
				switch d.brch {
				case "":
				case "at":
					w.BreachAt = w.At.Add(time.Nanosecond)
				default:
					w.BreachAt = at(t, d.brch).Add(time.Nanosecond)
				}
				want = append(want, w)
			}
			if diff := cmp.Diff(want, s.Deadlines(targets, cal)); diff != "" {
				t.Errorf("Deadlines (-want +got):\n%s", diff)
			}
			for k, w := range tt.used {
				var got time.Duration
				if c := s.Clock(k); c != nil {
					got = c.Used(now, cal)
				}
				if got != w {
					t.Errorf("%s used %v, want %v", k, got, w)
				}
			}
		})
	}
}

func wallOrZero(t testing.TB, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	return at(t, s)
}

// Apply and Check leave the state they are called on alone, so a caller
// may keep the stored state while it computes the next.
func TestStateImmutable(t *testing.T) {
	t.Parallel()
	cal := officeHours(t)
	var s sla.State
	for _, e := range []struct {
		at string
		ev sla.EventType
	}{
		{"2026-11-23 09:00", sla.CustomerMessage}, {"2026-11-23 09:10", sla.AgentReply},
		{"2026-11-23 09:20", sla.CustomerMessage}, {"2026-11-23 12:00", ""},
	} {
		if e.ev != "" {
			s = s.Apply(sla.Event{At: at(t, e.at), Type: e.ev}, standard, cal)
		}
		s, _ = s.Check(at(t, e.at), standard, cal)
	}
	before, _ := json.Marshal(s)
	later := s
	for _, ev := range []sla.EventType{sla.Pending, sla.CustomerMessage, sla.AgentReply, sla.Snoozed, sla.Resolved, sla.Reopened, sla.CustomerMessage} {
		later = later.Apply(sla.Event{At: at(t, "2026-11-24 10:00"), Type: ev}, standard, cal)
		later, _ = later.Check(at(t, "2026-11-27 10:00"), standard, cal)
	}
	if after, _ := json.Marshal(s); string(after) != string(before) {
		t.Errorf("the state changed under Apply and Check:\nbefore %s\nafter  %s", before, after)
	}
}

// The state survives its JSON, which is how the conversation stores it.
func TestStateJSON(t *testing.T) {
	t.Parallel()
	cal := officeHours(t)
	s := sla.State{Policy: 3}
	s = s.Apply(sla.Event{At: at(t, "2026-11-23 09:00"), Type: sla.CustomerMessage}, standard, cal)
	s = s.Apply(sla.Event{At: at(t, "2026-11-23 09:10"), Type: sla.AgentReply}, standard, cal)
	s = s.Apply(sla.Event{At: at(t, "2026-11-23 09:20"), Type: sla.CustomerMessage}, standard, cal)
	s = s.Apply(sla.Event{At: at(t, "2026-11-23 09:30"), Type: sla.Pending}, standard, cal)
	s, _ = s.Check(at(t, "2026-11-23 15:00"), standard, cal)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"policy":3,"status":"pending","replied":true,` +
		`"first":{"started":"2026-11-23T09:00:00Z","consumed":600000000000,"stopped":"2026-11-23T09:10:00Z"},` +
		`"next":{"started":"2026-11-23T09:20:00Z","consumed":600000000000},` +
		`"resolution":{"started":"2026-11-23T09:00:00Z","consumed":1800000000000}}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("Marshal (-want +got):\n%s", diff)
	}
	var back sla.State
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if back.Status != care.StatusPending {
		t.Errorf("Status = %q", back.Status)
	}
}
