// Package deadline keeps every conversation's service-level clocks: it
// chooses the workspace's SLA policy for the conversation, moves its clocks
// as customers write, agents reply and statuses change (package sla does the
// maths, on the team's business hours from package hours), stores the due
// times on the conversation, records each stopped clock for reports, and
// announces warnings and breaches as events, once each, at the right
// instant.
package deadline

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/enrich/influence"
	"github.com/parleyhq/parley/internal/hours"
	"github.com/parleyhq/parley/internal/priority"
	"github.com/parleyhq/parley/internal/sla"
	"github.com/parleyhq/parley/internal/triage"
	"github.com/parleyhq/parley/internal/wscache"
)

// SettingName is the workspace setting that holds its Settings.
const SettingName = "sla"

// Settings are a workspace's SLA policies, in order: the first whose match
// accepts a conversation applies.
type Settings struct {
	Policies []Policy `json:"policies"`
	// Hours are the business hours of conversations whose team has none
	// (or that have no team); absent means always open.
	Hours json.RawMessage `json:"hours,omitempty"`
}

// Policy is sla.Policy with its targets written as durations of business
// time ("1h", "30m", "24h"), as people write them.
type Policy struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	Match         sla.Match `json:"match"`
	FirstResponse string    `json:"first_response,omitempty"`
	NextResponse  string    `json:"next_response,omitempty"`
	Resolution    string    `json:"resolution,omitempty"`
	// WarnAt is the share of a target at which to warn, e.g. 0.75.
	WarnAt float64 `json:"warn_at,omitempty"`
}

// MaxPolicies bounds a workspace's policies.
const MaxPolicies = 100

// rules is a workspace's settings, ready to use.
type rules struct {
	policies []sla.Policy
	fallback *hours.Calendar
	teams    map[care.ID]*hours.Calendar
	// weights rank a conversation with the due times save writes.
	weights priority.Weights
}

// ParseSettings checks a Settings document and returns its policies, with
// EINVALID naming the first problem.
func ParseSettings(doc []byte) (*Settings, []sla.Policy, error) {
	var s Settings
	if err := care.DecodeSettings(doc, &s, "SLA settings"); err != nil {
		return nil, nil, err
	}
	if len(s.Policies) > MaxPolicies {
		return nil, nil, care.Errorf(care.EINVALID, "At most %d SLA policies.", MaxPolicies)
	}
	if len(s.Hours) > 0 && string(s.Hours) != "null" {
		if _, err := hours.Parse(s.Hours); err != nil {
			return nil, nil, care.Errorf(care.EINVALID, "SLA settings, hours: %s", care.ErrorMessage(err))
		}
	}
	seen := map[int64]bool{}
	out := make([]sla.Policy, 0, len(s.Policies))
	for i, p := range s.Policies {
		name := p.Name
		if name == "" {
			name = "#" + strconv.Itoa(i+1)
		}
		if p.ID <= 0 || seen[p.ID] {
			return nil, nil, care.Errorf(care.EINVALID, "SLA policy %s needs an id above 0, unique in the workspace.", name)
		}
		seen[p.ID] = true
		t := sla.Targets{WarnAt: p.WarnAt}
		for _, f := range []struct {
			what string
			v    string
			to   *time.Duration
		}{{"first_response", p.FirstResponse, &t.FirstResponse}, {"next_response", p.NextResponse, &t.NextResponse}, {"resolution", p.Resolution, &t.Resolution}} {
			if f.v == "" {
				continue
			}
			d, err := time.ParseDuration(f.v)
			if err != nil || d <= 0 {
				return nil, nil, care.Errorf(care.EINVALID, "SLA policy %s: %s is %q; write a duration such as 30m, 4h or 72h.", name, f.what, f.v)
			}
			*f.to = d
		}
		if err := t.Validate(); err != nil {
			return nil, nil, care.Errorf(care.EINVALID, "SLA policy %s: %s", name, care.ErrorMessage(err))
		}
		out = append(out, sla.Policy{ID: p.ID, Name: p.Name, Match: p.Match, Targets: t})
	}
	return &s, out, nil
}

// Publisher notifies live subscribers of committed events.
type Publisher interface {
	Publish(events ...care.Event)
}

// Keeper keeps the clocks. Observe is called by whatever changes a
// conversation; Run announces warnings and breaches on time. Several nodes
// may run Keepers over one database: an alert is announced by the
// transaction that first records it in the conversation's state.
type Keeper struct {
	Store     care.Store
	Publisher Publisher // may be nil
	Logger    *slog.Logger
	Now       func() time.Time
	// TTL is how long a workspace's settings (its SLA policies and
	// priority weights) and team hours are used before they are read
	// again; 0 means 30 seconds.
	TTL time.Duration
	// Automation, if set, runs the workspace's rules on the warnings and
	// breaches the timer announces.
	Automation care.Automation

	mu    sync.Mutex // guards timer
	cache wscache.Cache[*rules]
	timer *sla.Timer
}

func (k *Keeper) now() time.Time {
	if k.Now != nil {
		return k.Now()
	}
	return time.Now()
}

func (k *Keeper) logger() *slog.Logger {
	if k.Logger != nil {
		return k.Logger
	}
	return slog.Default()
}

// Invalidate forgets a workspace's settings, after they or its teams'
// hours changed.
func (k *Keeper) Invalidate(workspaceID care.ID) { k.cache.Invalidate(workspaceID) }

func (k *Keeper) rulesFor(ctx context.Context, q care.Queries, ws care.ID, now time.Time) (*rules, error) {
	return k.cache.Get(ws, now, k.TTL, func() (*rules, error) { return k.load(ctx, q, ws) })
}

func (k *Keeper) load(ctx context.Context, q care.Queries, ws care.ID) (*rules, error) {
	r := &rules{teams: map[care.ID]*hours.Calendar{}}
	var err error
	if r.weights, err = triage.ReadWeights(ctx, q, ws); err != nil {
		return nil, fmt.Errorf("deadline: %w", err)
	}
	doc, err := q.Setting(ctx, ws, SettingName)
	switch {
	case err == nil:
		s, policies, err := ParseSettings(doc)
		if err != nil {
			// Saved settings were checked when saved; if they stopped
			// parsing, keep the clocks still rather than stop the desk.
			k.logger().Error("deadline: SLA settings no longer parse; no SLA applies", "workspace", ws, "err", err)
			break
		}
		r.policies = policies
		if len(s.Hours) > 0 && string(s.Hours) != "null" {
			r.fallback, _ = hours.Parse(s.Hours)
		}
	case care.ErrorCode(err) != care.ENOTFOUND:
		return nil, fmt.Errorf("deadline: read SLA settings: %w", err)
	}
	teams, err := q.Teams(ctx, ws)
	if err != nil {
		return nil, fmt.Errorf("deadline: read teams: %w", err)
	}
	for _, t := range teams {
		if len(t.Hours) == 0 {
			continue
		}
		cal, err := hours.Parse(t.Hours)
		if err != nil {
			k.logger().Error("deadline: team hours no longer parse; the team counts as always open", "team", t.ID, "err", err)
			continue
		}
		r.teams[t.ID] = cal
	}
	return r, nil
}

// calendar is the business hours a conversation's clocks run on: its team's,
// else the workspace's, else always open.
func (r *rules) calendar(c *care.Conversation) *hours.Calendar {
	if cal := r.teams[c.TeamID]; cal != nil {
		return cal
	}
	if r.fallback != nil {
		return r.fallback
	}
	return hours.AlwaysOpen()
}

// policy is the policy that applies to c now, and whether any does.
func (r *rules) policy(c *care.Conversation) (sla.Policy, bool) {
	return sla.Select(r.policies, sla.Subject{Channel: string(c.Channel), TeamID: c.TeamID, Priority: c.Priority, Tags: c.Tags})
}

func decodeState(c *care.Conversation) (sla.State, error) {
	var s sla.State
	if len(c.SLA) == 0 {
		return s, nil
	}
	if err := json.Unmarshal(c.SLA, &s); err != nil {
		return s, fmt.Errorf("deadline: conversation %d: decode SLA state: %w", c.ID, err)
	}
	return s, nil
}

// Observe implements care.Clocks.
func (k *Keeper) Observe(ctx context.Context, q care.Queries, c *care.Conversation, e care.ClockEvent, at time.Time) ([]care.Event, error) {
	// A recheck moves no clock: only the policy and hours change.
	ev, apply := sla.Event{At: at, Type: sla.EventType(e)}, e != care.ClockRecheck
	if e == care.ClockRecheck && len(c.SLA) == 0 {
		// No clock has started: no policy applied when the customer
		// wrote. If one applies now (a tag, a team) while they wait, the
		// clocks start as if it had applied at their first unanswered
		// message.
		if c.WaitingSince == nil || c.Status != care.StatusOpen {
			return nil, nil
		}
		ev, apply = sla.Event{At: *c.WaitingSince, Type: sla.CustomerMessage}, true
	}
	r, err := k.rulesFor(ctx, q, c.WorkspaceID, at)
	if err != nil {
		return nil, err
	}
	before, err := decodeState(c)
	if err != nil {
		return nil, err
	}
	p, ok := r.policy(c)
	if !ok && len(c.SLA) == 0 {
		return nil, nil // no SLA applies, and none ever did
	}
	cal := r.calendar(c)
	st := before
	if apply {
		st = before.Apply(ev, p.Targets, cal)
	}
	st.Policy = p.ID
	if err := k.recordStops(ctx, q, c, before, st, p, cal, at); err != nil {
		return nil, err
	}
	events, err := k.save(ctx, q, c, st, p.Targets, cal, r.weights, at)
	if err != nil {
		return nil, err
	}
	// A deadline found passed here (a policy that applies only now, a
	// node that missed its timer) is as much a breach as one the timer
	// finds: the rules on sla.warning and sla.breach run for it too.
	return k.automate(ctx, q, c, events, at)
}

// automate runs the automation rules on each SLA alert in events and
// returns them followed by what the rules did.
func (k *Keeper) automate(ctx context.Context, q care.Queries, c *care.Conversation, events []care.Event, at time.Time) ([]care.Event, error) {
	if k.Automation == nil {
		return events, nil
	}
	for _, ev := range slices.Clone(events) {
		var alert struct {
			Kind string `json:"kind"`
		}
		json.Unmarshal(ev.Data, &alert)
		more, err := k.Automation.Automate(ctx, q, care.Change{Trigger: string(ev.Type), Conversation: c, SLAKind: alert.Kind, At: at})
		if err != nil {
			return nil, err
		}
		events = append(events, more...)
	}
	return events, nil
}

// recordStops writes an outcome for each clock the event stopped: a
// response given, a conversation resolved.
func (k *Keeper) recordStops(ctx context.Context, q care.Queries, c *care.Conversation, before, after sla.State, p sla.Policy, cal *hours.Calendar, at time.Time) error {
	if p.ID == 0 {
		return nil
	}
	// One reply often stops two clocks (first and next response): the
	// band and the replier are read once, when the first one stops.
	band, replied, read := "", care.ID(0), false
	for _, kind := range []sla.Kind{sla.FirstResponse, sla.NextResponse, sla.Resolution} {
		target := p.Targets.Target(kind)
		was, now := before.Clock(kind), after.Clock(kind)
		if target == 0 || was == nil || now == nil || !was.Stopped.IsZero() || now.Stopped.IsZero() {
			continue
		}
		used := now.Used(at, cal)
		if !read {
			var err error
			if band, err = followerBand(ctx, q, c); err != nil {
				return err
			}
			read = true
		}
		agent := c.AssigneeID
		if kind != sla.Resolution {
			// A response is the work of whoever sent it, assigned or not.
			if replied == 0 {
				var err error
				if replied, err = replier(ctx, q, c); err != nil {
					return err
				}
			}
			agent = replied
		}
		o := &care.SLAOutcome{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, PolicyID: p.ID, Kind: string(kind),
			Channel: c.Channel, TeamID: c.TeamID, AssigneeID: agent, Band: band, Met: used <= target, Used: used, Target: target, At: at}
		if err := q.RecordSLAOutcome(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// replier is the agent whose reply stopped a response clock: the author of
// the conversation's newest reply, else its assignee (a reply written
// outside Parley, an automated one).
func replier(ctx context.Context, q care.Queries, c *care.Conversation) (care.ID, error) {
	msgs, err := q.RecentMessages(ctx, []care.ID{c.ID}, 20)
	if err != nil {
		return 0, err
	}
	for _, m := range msgs {
		if m.Direction == care.DirectionOut && m.Visibility != care.Note {
			if m.AuthorID != 0 {
				return m.AuthorID, nil
			}
			break
		}
	}
	return c.AssigneeID, nil
}

// followerBand is the band of the customer's audience on the
// conversation's channel: the largest of their identities there.
func followerBand(ctx context.Context, q care.Queries, c *care.Conversation) (string, error) {
	contact, err := q.Contact(ctx, c.ContactID)
	if err != nil {
		if care.ErrorCode(err) == care.ENOTFOUND {
			return "", nil
		}
		return "", err
	}
	var followers int64
	for _, id := range contact.Identities {
		if id.Platform == c.Channel {
			followers = max(followers, id.Followers)
		}
	}
	return string(influence.BandOf(followers)), nil
}

// save checks st for alerts due by now, stores it with the due times on the
// conversation, and the priority ranked with them (by weights w), and
// schedules the next ones. It returns the alerts as events for the caller
// to append.
func (k *Keeper) save(ctx context.Context, q care.Queries, c *care.Conversation, st sla.State, t sla.Targets, cal *hours.Calendar, w priority.Weights, now time.Time) ([]care.Event, error) {
	st, alerts := st.Check(now, t, cal)
	doc, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("deadline: encode SLA state: %w", err)
	}
	dues := st.Deadlines(t, cal)
	u := &care.SLAUpdate{State: doc}
	for _, d := range dues {
		at := d.At
		switch d.Kind {
		case sla.FirstResponse:
			u.FirstResponseDue = &at
		case sla.NextResponse:
			u.NextResponseDue = &at
		case sla.Resolution:
			u.ResolutionDue = &at
		}
	}
	cu := care.ConversationUpdate{SLA: u}
	// The priority measures the wait against these due times ("SLA due in
	// 13 min"), so it is written with them, in the same update. Ranked
	// only before the clocks started (at ingest, triage runs first), a
	// message delivered days late scored its wait against the 60-minute
	// default, thousands of points, until the recompute found its SLA.
	ranked := *c
	ranked.FirstResponseDue, ranked.NextResponseDue = u.FirstResponseDue, u.NextResponseDue
	if score, reasons := triage.Rank(&ranked, c.PriorityInputs, w, now); score != c.Priority || !slices.Equal(reasons, c.PriorityReasons) {
		if reasons == nil {
			reasons = []string{}
		}
		cu.Priority, cu.Reasons = &score, &reasons
	}
	updated, err := q.UpdateConversation(ctx, c.ID, cu, now)
	if err != nil {
		return nil, err
	}
	*c = *updated
	events := make([]care.Event, 0, len(alerts))
	for _, a := range alerts {
		typ := care.EventSLAWarning
		if a.Level == sla.Breach {
			typ = care.EventSLABreach
		}
		data, _ := json.Marshal(map[string]any{"kind": a.Kind, "level": a.Level, "due": a.Due, "policy_id": st.Policy, "conversation": c})
		events = append(events, care.Event{WorkspaceID: c.WorkspaceID, Type: typ, ConversationID: c.ID, InboxID: c.InboxID, Data: data, CreatedAt: now})
	}
	k.schedule(c.ID, dues)
	return events, nil
}

func (k *Keeper) schedule(id care.ID, dues []sla.Due) {
	k.mu.Lock()
	t := k.timer
	k.mu.Unlock()
	if t == nil {
		return
	}
	if len(dues) == 0 {
		t.Cancel(id)
		return
	}
	t.Schedule(id, dues)
}

// Run announces warnings and breaches at their instants until ctx ends. It
// first schedules every unresolved conversation's deadlines.
func (k *Keeper) Run(ctx context.Context) error {
	fired := make(chan care.ID, 1024)
	timer := sla.NewTimer(func(id int64, _ sla.Alert) {
		select {
		case fired <- id:
		default:
			// Full: the sweep below catches it up.
		}
	})
	k.mu.Lock()
	k.timer = timer
	k.mu.Unlock()
	defer func() {
		k.mu.Lock()
		k.timer = nil
		k.mu.Unlock()
		timer.Stop()
	}()
	if err := k.Sweep(ctx); err != nil && ctx.Err() == nil {
		k.logger().Error("deadline: first sweep", "err", err)
	}
	// A sweep every few minutes is the safety net for a full channel, a
	// lost timer, or a deadline written by another node.
	sweep := time.NewTicker(5 * time.Minute)
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case id := <-fired:
			if err := k.Check(ctx, id); err != nil && ctx.Err() == nil {
				k.logger().Error("deadline: check", "conversation", id, "err", err)
			}
		case <-sweep.C:
			if err := k.Sweep(ctx); err != nil && ctx.Err() == nil {
				k.logger().Error("deadline: sweep", "err", err)
			}
		}
	}
}

// Sweep checks every unresolved conversation with an SLA for alerts due now
// and schedules its deadlines.
func (k *Keeper) Sweep(ctx context.Context) error {
	var after care.ID
	for {
		convs, err := k.Store.ActiveConversations(ctx, after, 2000)
		if err != nil {
			return err
		}
		for i := range convs {
			if len(convs[i].SLA) == 0 {
				continue
			}
			if err := k.Check(ctx, convs[i].ID); err != nil {
				return err
			}
		}
		if len(convs) < 2000 {
			return nil
		}
		after = convs[len(convs)-1].ID
	}
}

// Check announces a conversation's warnings and breaches due by now, in a
// transaction of its own, and schedules what comes next.
func (k *Keeper) Check(ctx context.Context, id care.ID) error {
	var events []care.Event
	err := k.Store.Update(ctx, func(q care.Queries) error {
		events = nil
		c, err := q.Conversation(ctx, id)
		if err != nil {
			return err
		}
		if len(c.SLA) == 0 {
			return nil
		}
		st, err := decodeState(c)
		if err != nil {
			return err
		}
		now := k.now()
		r, err := k.rulesFor(ctx, q, c.WorkspaceID, now)
		if err != nil {
			return err
		}
		t := r.targets(st.Policy)
		cal := r.calendar(c)
		if _, alerts := st.Check(now, t, cal); len(alerts) == 0 {
			k.schedule(c.ID, st.Deadlines(t, cal))
			return nil
		}
		if events, err = k.save(ctx, q, c, st, t, cal, r.weights, now); err != nil {
			return err
		}
		if events, err = k.automate(ctx, q, c, events, now); err != nil {
			return err
		}
		for i := range events {
			if err := q.AppendEvent(ctx, &events[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil
	}
	if err == nil && k.Publisher != nil && len(events) > 0 {
		k.Publisher.Publish(events...)
	}
	return err
}

// targets are the targets of policy id, none if it no longer exists.
func (r *rules) targets(id int64) sla.Targets {
	for _, p := range r.policies {
		if p.ID == id {
			return p.Targets
		}
	}
	return sla.Targets{}
}
