package automation

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
)

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	valid := tagRule(1, MessageReceived, "a")
	with := func(edit func(*Rule)) RuleSet {
		r := tagRule(1, MessageReceived, "a")
		edit(&r)
		return RuleSet{Rules: []Rule{valid, func() Rule { r.ID = 2; return r }()}}
	}
	tooMany := RuleSet{}
	for i := range MaxRules + 1 {
		tooMany.Rules = append(tooMany.Rules, tagRule(care.ID(i+1), MessageReceived, "a"))
	}
	for _, tt := range []struct {
		name string
		rs   RuleSet
		want string
	}{
		{"mode", RuleSet{Mode: "some"}, `Mode must be "all" or "first", not "some".`},
		{"too many rules", tooMany, "A workspace has at most 500 rules, not 501."},
		{"zero id", RuleSet{Rules: []Rule{{Name: "x"}}}, `Rule 1 "x": id must be positive, not 0.`},
		{"duplicate id", RuleSet{Rules: []Rule{valid, valid}}, `Rule 2 "tag a": id 1 is also rule 1's.`},
		{"no name", with(func(r *Rule) { r.Name = "" }), `Rule 2 "": a rule needs a name.`},
		{"long name", with(func(r *Rule) { r.Name = strings.Repeat("n", 1001) }), "the name is longer than 1000 bytes"},
		{"invalid UTF-8 name", with(func(r *Rule) { r.Name = "\xff" }), "the name is not valid UTF-8"},
		{"unknown trigger", with(func(r *Rule) { r.Trigger = "message.sent" }), `Rule 2 "tag a": unknown trigger "message.sent" (triggers are message.received, conversation.created,`},
		{"match", with(func(r *Rule) { r.Match = "none" }), `match must be "all" or "any", not "none"`},
		{"no actions", with(func(r *Rule) { r.Actions = nil }), "a rule needs at least one action"},
		{"too many actions", with(func(r *Rule) { r.Actions = make([]Action, 21) }), "at most 20 actions, not 21"},
		{"too many conditions", with(func(r *Rule) { r.Conditions = make([]Condition, 51) }), "at most 50 conditions, not 51"},
		{"time trigger without after", with(func(r *Rule) { r.Trigger = TimePending }), `trigger time.pending needs after, such as "48h"`},
		{"after on message", with(func(r *Rule) { r.After = "1h" }), "after is only for the time triggers, not message.received"},
		{"bad after", with(func(r *Rule) { r.Trigger, r.After = TimeOpen, "2 days" }), `after: "2 days" is not a duration such as "48h" or "90m"`},
		{"after too long", with(func(r *Rule) { r.Trigger, r.After = TimeOpen, "10000h" }), "after: \"10000h\" is outside 1m to 366 days"},
		{"after absurdly long", with(func(r *Rule) { r.Trigger, r.After = TimeOpen, Duration(strings.Repeat("9", 40)) }), "is not a duration"},
		{"condition", with(func(r *Rule) { r.Conditions = []Condition{cnd("text", "contains", "a"), cnd("txt", "eq", "a")} }),
			`Rule 2 "tag a": condition 2: unknown field "txt"`},
		{"action", with(func(r *Rule) { r.Actions = append(r.Actions, Action{Type: ActionWebhook, URL: "ftp://x"}) }),
			`Rule 2 "tag a": action 2: url "ftp://x" is not an http or https URL.`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := Compile(tt.rs)
			if e != nil || care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
				t.Errorf("Compile = %v, %v, want EINVALID containing %q", e, err, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	draft := tagRule(0, MessageReceived, "refund", cnd("text", "contains", "refund"))
	if err := draft.Validate(); err != nil {
		t.Errorf("Validate(draft with id 0) = %v, want nil", err)
	}
	draft.ID = -1
	if err := draft.Validate(); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("Validate(id -1) = %v, want EINVALID", err)
	}
	bad := tagRule(0, MessageReceived, "refund", cnd("text", "matches", "("))
	if err := bad.Validate(); !strings.Contains(care.ErrorMessage(err), `Rule "tag refund": condition 1: text matches: bad regular expression`) {
		t.Errorf("Validate(bad regexp) = %v", err)
	}
}

func TestEvaluateModes(t *testing.T) {
	t.Parallel()
	refund := tagRule(1, MessageReceived, "refund", cnd("text", "contains", "refund"))
	order := tagRule(2, MessageReceived, "order", cnd("text", "matches", `#\d+`))
	refundStop := refund
	refundStop.Stop = true
	disabled := tagRule(3, MessageReceived, "off")
	disabled.Enabled = false
	other := tagRule(4, ConversationCreated, "new")
	never := tagRule(5, MessageReceived, "cancel", cnd("text", "contains", "cancel"))
	neverFirst := never
	neverFirst.Position = 0
	early := tagRule(6, MessageReceived, "early")
	early.Position = -1
	for _, tt := range []struct {
		name string
		rs   RuleSet
		want []care.ID
	}{
		{"all", RuleSet{Rules: []Rule{refund, order}}, []care.ID{1, 2}},
		{"all is the default", RuleSet{Mode: ModeAll, Rules: []Rule{refund, order}}, []care.ID{1, 2}},
		{"first", RuleSet{Mode: ModeFirst, Rules: []Rule{refund, order}}, []care.ID{1}},
		{"first skips rules that do not match", RuleSet{Mode: ModeFirst, Rules: []Rule{order, refund, neverFirst}}, []care.ID{1}},
		{"stop", RuleSet{Rules: []Rule{refundStop, order}}, []care.ID{1}},
		{"stop only when matched", RuleSet{Rules: []Rule{never, refund, order}}, []care.ID{1, 2}},
		{"disabled rules do not fire", RuleSet{Rules: []Rule{disabled, order}}, []care.ID{2}},
		{"other triggers do not fire", RuleSet{Rules: []Rule{other, order}}, []care.ID{2}},
		{"position orders rules", RuleSet{Mode: ModeFirst, Rules: []Rule{refund, early}}, []care.ID{6}},
		{"nothing matches", RuleSet{Rules: []Rule{never}}, nil},
		{"no rules", RuleSet{}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := Compile(tt.rs)
			if err != nil {
				t.Fatal(err)
			}
			f := Facts{Trigger: MessageReceived, Text: "Refund for order #123"}
			if diff := cmp.Diff(tt.want, firedIDs(e.Evaluate(&f))); diff != "" {
				t.Errorf("Evaluate (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEvaluateMatch(t *testing.T) {
	t.Parallel()
	conds := []Condition{cnd("channel", "eq", "x"), cnd("text", "contains", "refund")}
	for _, tt := range []struct {
		name    string
		match   string
		conds   []Condition
		channel care.Channel
		text    string
		want    bool
	}{
		{"all: both", "", conds, care.ChannelX, "refund", true},
		{"all: one", MatchAll, conds, care.ChannelX, "hello", false},
		{"all: none", MatchAll, conds, care.ChannelEmail, "hello", false},
		{"any: both", MatchAny, conds, care.ChannelX, "refund", true},
		{"any: one", MatchAny, conds, care.ChannelEmail, "refund", true},
		{"any: none", MatchAny, conds, care.ChannelEmail, "hello", false},
		{"no conditions", MatchAll, nil, care.ChannelEmail, "", true},
		{"any with no conditions", MatchAny, nil, care.ChannelEmail, "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := tagRule(1, MessageReceived, "t", tt.conds...)
			r.Match = tt.match
			e, err := Compile(RuleSet{Rules: []Rule{r}})
			if err != nil {
				t.Fatal(err)
			}
			f := Facts{Trigger: MessageReceived, Channel: tt.channel, Text: tt.text}
			if got := len(e.Evaluate(&f)) == 1; got != tt.want {
				t.Errorf("fired = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEvaluateReturnsActions(t *testing.T) {
	t.Parallel()
	boost := 20.0
	r := Rule{ID: 12, Name: "Influencer refunds", Enabled: true, Trigger: MessageReceived,
		Conditions: []Condition{cnd("influence", "gte", 0.7)},
		Actions: []Action{{Type: ActionAddTag, Tag: "Refund"}, {Type: ActionSetPriority, Boost: &boost},
			{Type: ActionEscalate, TeamID: 4, Note: "PR"}}}
	e, err := Compile(RuleSet{Rules: []Rule{r}})
	if err != nil {
		t.Fatal(err)
	}
	boost = 99 // the engine keeps its own copy
	want := []Fired{{RuleID: 12, RuleName: "Influencer refunds", Actions: []Action{
		{Type: ActionAddTag, Tag: "refund"}, {Type: ActionSetPriority, Boost: new(20.0)},
		{Type: ActionEscalate, TeamID: 4, Note: "PR"}}}}
	f := Facts{Trigger: MessageReceived, Influence: 0.9}
	if diff := cmp.Diff(want, e.Evaluate(&f)); diff != "" {
		t.Errorf("Evaluate (-want +got):\n%s", diff)
	}
}

func TestRules(t *testing.T) {
	t.Parallel()
	a := tagRule(1, MessageReceived, "A", cnd("text", "contains", "x"))
	a.Position = 5
	b := tagRule(2, SLABreach, "b")
	b.Position = 1
	b.Enabled = false
	e, err := Compile(RuleSet{Rules: []Rule{a, b}})
	if err != nil {
		t.Fatal(err)
	}
	a.Actions[0].Tag = "changed by the caller"
	a.Conditions[0].Value[1] = 'y'
	wantA := tagRule(1, MessageReceived, "a", cnd("text", "contains", "x"))
	wantA.Position = 5
	wantA.Name = "tag A"
	want := []Rule{b, wantA}
	got := e.Rules()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Rules (-want +got):\n%s", diff)
	}
	got[1].Actions[0].Tag = "changed again"
	if diff := cmp.Diff(want, e.Rules()); diff != "" {
		t.Errorf("Rules after changing a copy (-want +got):\n%s", diff)
	}
}

// TestLoopProtection follows a chain of events the way the caller raises
// them: each round's actions cause the next event, with NextCause.
func TestLoopProtection(t *testing.T) {
	t.Parallel()
	// Rule 1 tags "urgent" conversations "escalated"; the tag makes an
	// update that matches rule 1 again.
	self := tagRule(1, ConversationUpdated, "escalated", cnd("tags", "has", "urgent"))
	e, err := Compile(RuleSet{Rules: []Rule{self}})
	if err != nil {
		t.Fatal(err)
	}
	f := Facts{Trigger: ConversationUpdated, Tags: []string{"urgent"}}
	fired := e.Evaluate(&f)
	if diff := cmp.Diff([]care.ID{1}, firedIDs(fired)); diff != "" {
		t.Fatalf("first update (-want +got):\n%s", diff)
	}
	f.Tags = append(f.Tags, "escalated")
	f.Cause = NextCause(nil, fired)
	if got := e.Evaluate(&f); got != nil {
		t.Errorf("update caused by rule 1 fired %v, want nothing", firedIDs(got))
	}

	// A ring: rule 10 adds b when a is there, 11 adds c when b is, 12 adds
	// d when c is, 13 adds e when d is. Each fires once; the fourth round
	// is beyond MaxDepth.
	ring, err := Compile(RuleSet{Rules: []Rule{
		tagRule(10, ConversationUpdated, "b", cnd("tags", "has", "a")),
		tagRule(11, ConversationUpdated, "c", cnd("tags", "has", "b")),
		tagRule(12, ConversationUpdated, "d", cnd("tags", "has", "c")),
		tagRule(13, ConversationUpdated, "e", cnd("tags", "has", "d")),
	}})
	if err != nil {
		t.Fatal(err)
	}
	f = Facts{Trigger: ConversationUpdated, Tags: []string{"a"}}
	var rounds [][]care.ID
	for range 6 {
		fired := ring.Evaluate(&f)
		if len(fired) == 0 {
			break
		}
		rounds = append(rounds, firedIDs(fired))
		for _, fr := range fired {
			f.Tags = append(f.Tags, fr.Actions[0].Tag)
		}
		f.Cause = NextCause(f.Cause, fired)
	}
	want := [][]care.ID{{10}, {11}, {12}}
	if diff := cmp.Diff(want, rounds); diff != "" {
		t.Errorf("rounds (-want +got):\n%s", diff)
	}
	if f.Cause.Depth != MaxDepth {
		t.Errorf("depth after the chain = %d, want %d", f.Cause.Depth, MaxDepth)
	}
}

func TestLoopProtectionKeepsFirstMatch(t *testing.T) {
	t.Parallel()
	// In mode first, rule 1 held back by the chain still decides: rule 2,
	// which rule 1 shadows, must not fire in its place.
	e, err := Compile(RuleSet{Mode: ModeFirst, Rules: []Rule{
		tagRule(1, ConversationUpdated, "x"),
		tagRule(2, ConversationUpdated, "y"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	f := Facts{Trigger: ConversationUpdated, Cause: &Cause{RuleIDs: []care.ID{1}, Depth: 1}}
	if got := e.Evaluate(&f); got != nil {
		t.Errorf("Evaluate = %v, want nothing", firedIDs(got))
	}
	f.Cause = &Cause{RuleIDs: []care.ID{7}, Depth: 1}
	if diff := cmp.Diff([]care.ID{1}, firedIDs(e.Evaluate(&f))); diff != "" {
		t.Errorf("Evaluate with another rule in the chain (-want +got):\n%s", diff)
	}
}

func TestNextCause(t *testing.T) {
	t.Parallel()
	first := NextCause(nil, []Fired{{RuleID: 1}, {RuleID: 2}})
	if diff := cmp.Diff(&Cause{RuleIDs: []care.ID{1, 2}, Depth: 1}, first); diff != "" {
		t.Errorf("NextCause(nil) (-want +got):\n%s", diff)
	}
	second := NextCause(first, []Fired{{RuleID: 3}})
	if diff := cmp.Diff(&Cause{RuleIDs: []care.ID{1, 2, 3}, Depth: 2}, second); diff != "" {
		t.Errorf("NextCause(first) (-want +got):\n%s", diff)
	}
	third := NextCause(first, []Fired{{RuleID: 4}})
	if diff := cmp.Diff([]care.ID{1, 2, 3}, second.RuleIDs); diff != "" {
		t.Errorf("a sibling chain changed second (-want +got):\n%s\n%v", diff, third)
	}
}

func TestTimeTriggers(t *testing.T) {
	t.Parallel()
	r := tagRule(1, TimePending, "stale")
	r.After = "48h"
	e, err := Compile(RuleSet{Rules: []Rule{r}})
	if err != nil {
		t.Fatal(err)
	}
	since := testNow.Add(-72 * time.Hour) // the rule falls due 24 hours before testNow
	due := since.Add(48 * time.Hour)
	for _, tt := range []struct {
		name             string
		trigger          Trigger
		since, last, now time.Time
		want             bool
	}{
		{"due, first look", TimePending, since, time.Time{}, testNow, true},
		{"due since the last look", TimePending, since, due.Add(-time.Minute), testNow, true},
		{"due exactly now", TimePending, since, due.Add(-time.Minute), due, true},
		{"due exactly at the last look", TimePending, since, due, testNow, false},
		{"already due at the last look", TimePending, since, due.Add(time.Hour), testNow, false},
		{"not yet due", TimePending, testNow.Add(-47 * time.Hour), time.Time{}, testNow, false},
		{"no state start", TimePending, time.Time{}, time.Time{}, testNow, false},
		{"no clock", TimePending, since, time.Time{}, time.Time{}, false},
		{"another time trigger", TimeOpen, since, time.Time{}, testNow, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := Facts{Trigger: tt.trigger, StateSince: tt.since, LastChecked: tt.last, Now: tt.now}
			if got := len(e.Evaluate(&f)) == 1; got != tt.want {
				t.Errorf("fired = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEvaluateBounds(t *testing.T) {
	t.Parallel()
	e, err := Compile(RuleSet{Rules: []Rule{
		tagRule(1, MessageReceived, "late", cnd("text", "contains", "needle")),
		tagRule(2, MessageReceived, "tagged", cnd("tags", "has", "needle")),
		tagRule(3, MessageReceived, "matched", cnd("text", "matches", "needle$")),
	}})
	if err != nil {
		t.Fatal(err)
	}
	tags := make([]string, maxFactList)
	f := Facts{Trigger: MessageReceived, Text: strings.Repeat("é", MaxTextBytes/2) + "needle", Tags: append(tags, "needle")}
	if got := e.Evaluate(&f); got != nil {
		t.Errorf("Evaluate saw past the bounds: %v", firedIDs(got))
	}
	for _, f := range []*Facts{nil, {Trigger: "unknown"}, {}} {
		if got := e.Evaluate(f); got != nil {
			t.Errorf("Evaluate(%+v) = %v, want nil", f, got)
		}
	}
	var nilEngine *Engine
	if got := nilEngine.Evaluate(&Facts{Trigger: MessageReceived}); got != nil {
		t.Errorf("nil Engine: Evaluate = %v, want nil", got)
	}
}

// TestSharedRegexps checks that rules sharing a pattern, whose outcome is
// remembered within one evaluation, still each see the right outcome.
func TestSharedRegexps(t *testing.T) {
	t.Parallel()
	e, err := Compile(RuleSet{Rules: []Rule{
		tagRule(1, MessageReceived, "a", cnd("text", "matches", `#\d{5}`)),
		tagRule(2, MessageReceived, "b", cnd("channel", "eq", "sms"), cnd("text", "matches", `#\d{5}`)),
		tagRule(3, MessageReceived, "c", cnd("text", "matches", `#\d{5}`)),
		tagRule(4, MessageReceived, "d", cnd("text", "matches", `(?i)order`)),
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text string
		want []care.ID
	}{
		{"Order #12345", []care.ID{1, 3, 4}},
		{"no number", nil},
		{"#12345", []care.ID{1, 3}},
	} {
		f := Facts{Trigger: MessageReceived, Channel: care.ChannelX, Text: tt.text}
		if diff := cmp.Diff(tt.want, firedIDs(e.Evaluate(&f))); diff != "" {
			t.Errorf("Evaluate(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
}
