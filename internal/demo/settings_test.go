package demo

import (
	"testing"

	"github.com/parleyhq/parley/internal/automation"
	"github.com/parleyhq/parley/internal/automator"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/csat"
	"github.com/parleyhq/parley/internal/deadline"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/hours"
	lsn "github.com/parleyhq/parley/internal/listen"
	"github.com/parleyhq/parley/internal/savedreply"
	"github.com/parleyhq/parley/internal/screen"
	"github.com/parleyhq/parley/internal/triage"
)

// The seeded settings must pass the validators Parley runs when they are
// saved; a document Parley refuses would stop the demo at start.
func TestSettingsParse(t *testing.T) {
	t.Parallel()
	validators := map[string]func([]byte) error{
		"triage":     func(b []byte) error { _, err := triage.ParseSettings(b); return err },
		"sla":        func(b []byte) error { _, _, err := deadline.ParseSettings(b); return err },
		"automation": func(b []byte) error { _, err := automator.Parse(b); return err },
		"moderation": func(b []byte) error { _, err := screen.Parse(b); return err },
		"desk":       func(b []byte) error { _, err := desk.ParseSettings(b); return err },
		"csat":       func(b []byte) error { _, _, err := csat.ParseSettings(b); return err },
		"approvals":  func(b []byte) error { _, _, err := desk.ParseApprovalSettings(b); return err },
		lsn.SettingName: func(b []byte) error {
			st, err := lsn.ParseSettings(b)
			if err == nil && (len(st.Subjects) != 3 || !st.Subjects[0].Own || st.Subjects[0].Name != brandName) {
				t.Errorf("listening subjects %+v; want Orbit Mobile, its own, and two competitors", st.Subjects)
			}
			return err
		},
		savedreply.SettingName: func(b []byte) error {
			set, err := savedreply.Parse(b)
			if err == nil && len(set.Replies) != len(languages)*int(numAnswers) {
				t.Errorf("%d saved replies, want every answer in every language", len(set.Replies))
			}
			return err
		},
	}
	docs := settingDocs(7)
	if len(docs) != len(validators) {
		t.Errorf("%d setting documents, want one for each of %d settings", len(docs), len(validators))
	}
	for _, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			validate, ok := validators[d.name]
			if !ok {
				t.Fatalf("no validator for setting %q", d.name)
			}
			if err := validate(d.doc); err != nil {
				t.Errorf("%s setting refused: %v", d.name, err)
			}
		})
	}
	for name, doc := range map[string]string{"always open": alwaysOpen, "office hours": officeHours} {
		t.Run(name, func(t *testing.T) {
			if _, err := hours.Parse([]byte(doc)); err != nil {
				t.Errorf("hours.Parse(%s) = %v", name, err)
			}
		})
	}
}

// Thanks must lower a conversation's priority and do nothing else: a topic
// with a severity is a need, and 5 customers raising it open an incident
// ("praise: 32 customers in 30 min").
func TestSettingsPraiseIsNoNeed(t *testing.T) {
	t.Parallel()
	st, err := triage.ParseSettings([]byte(triageSettings))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range st.Topics {
		if r.Boost < 0 && r.Severity != 0 {
			t.Errorf("topic %q lowers the priority (boost %v) but has severity %v: a need, and an incident when customers agree",
				r.Topic, r.Boost, r.Severity)
		}
		found = found || r.Topic == "praise"
	}
	if !found {
		t.Error("no praise topic")
	}
}

// An escalation notifies the team it escalates to; a notify action for the
// same team would tell its members twice about one post.
func TestSettingsEscalateIsNotNotifiedTwice(t *testing.T) {
	t.Parallel()
	const pr = 7
	rs, err := automation.ParseRuleSet([]byte(automationSettings(pr)))
	if err != nil {
		t.Fatal(err)
	}
	escalates := false
	for _, r := range rs.Rules {
		teams := map[care.ID]bool{}
		for _, a := range r.Actions {
			if a.Type == automation.ActionEscalate {
				teams[a.TeamID] = true
				escalates = escalates || a.TeamID == pr
			}
		}
		for _, a := range r.Actions {
			if a.Type == automation.ActionNotify && teams[a.TeamID] {
				t.Errorf("rule %q escalates to team %d and notifies it too", r.Name, a.TeamID)
			}
		}
	}
	if !escalates {
		t.Error("no rule escalates to PR")
	}
}
