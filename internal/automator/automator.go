// Package automator runs each workspace's automation rules (package
// automation decides which fire) and performs their actions inside the
// transaction of the change that triggered them: assigning, tagging,
// setting priority, notes, escalation to another team, notifications,
// snoozing and resolving. Every action is written to the audit trail as
// done by the rule ("rule:7"). A change the actions make is evaluated again
// as conversation.updated, with the chain of rules behind it, so a rule never
// retriggers itself and chains stop after automation.MaxDepth rounds.
package automator

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/automation"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/hours"
	"github.com/parleyhq/parley/internal/savedreply"
	"github.com/parleyhq/parley/internal/wscache"
)

// SettingName is the workspace setting that holds the rule set.
const SettingName = "automation"

// Parse checks a rule set document: strict JSON, every rule valid.
func Parse(doc []byte) (*automation.Engine, error) {
	rs, err := automation.ParseRuleSet(doc)
	if err != nil {
		return nil, err
	}
	return automation.Compile(rs)
}

// Replier queues a reply inside the caller's transaction (desk.Service).
type Replier interface {
	ReplyIn(ctx context.Context, q care.Queries, p care.Principal, conv *care.Conversation, r desk.Reply, now time.Time) (*care.Message, error)
}

// Runner runs rules. Its zero value runs none; set Store to read each
// workspace's rule set.
type Runner struct {
	Store  care.Store
	Clocks care.Clocks // may be nil
	// Replies sends saved replies; nil refuses the saved_reply action.
	Replies Replier
	Logger  *slog.Logger
	// TTL is how long a workspace's rules are used before they are read
	// again; 0 means 30 seconds.
	TTL time.Duration

	cache wscache.Cache[*compiled]
	mu    sync.Mutex // guards checked
	// checked remembers when time-based rules were last evaluated.
	checked time.Time
}

type compiled struct {
	engine *automation.Engine
	timed  bool
}

// Invalidate forgets a workspace's rules after they changed.
func (r *Runner) Invalidate(workspaceID care.ID) { r.cache.Invalidate(workspaceID) }

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

func (r *Runner) rules(ctx context.Context, q care.Queries, ws care.ID, now time.Time) (*compiled, error) {
	return r.cache.Get(ws, now, r.TTL, func() (*compiled, error) { return r.load(ctx, q, ws) })
}

func (r *Runner) load(ctx context.Context, q care.Queries, ws care.ID) (*compiled, error) {
	c := &compiled{}
	doc, err := q.Setting(ctx, ws, SettingName)
	switch {
	case err == nil:
		e, err := Parse(doc)
		if err != nil {
			r.logger().Error("automator: saved rules no longer parse; none run", "workspace", ws, "err", err)
			break
		}
		c.engine = e
		for _, rule := range e.Rules() {
			if rule.Enabled && rule.Trigger.Timed() {
				c.timed = true
			}
		}
	case care.ErrorCode(err) != care.ENOTFOUND:
		return nil, fmt.Errorf("automator: read rules: %w", err)
	}
	return c, nil
}

// Automate implements care.Automation.
func (r *Runner) Automate(ctx context.Context, q care.Queries, ch care.Change) ([]care.Event, error) {
	return r.run(ctx, q, ch, nil)
}

func (r *Runner) run(ctx context.Context, q care.Queries, ch care.Change, cause *automation.Cause) ([]care.Event, error) {
	conv := ch.Conversation
	c, err := r.rules(ctx, q, conv.WorkspaceID, ch.At)
	if err != nil || c.engine == nil {
		return nil, err
	}
	facts, err := r.facts(ctx, q, ch)
	if err != nil {
		return nil, err
	}
	facts.Cause = cause
	fired := c.engine.Evaluate(facts)
	if len(fired) == 0 {
		return nil, nil
	}
	var events []care.Event
	changed := false
	for _, f := range fired {
		for _, a := range f.Actions {
			evs, ch2, err := r.perform(ctx, q, conv, f, a, ch.At)
			if err != nil {
				return nil, fmt.Errorf("automator: rule %d %q, %s: %w", f.RuleID, f.RuleName, a.Type, err)
			}
			events = append(events, evs...)
			changed = changed || ch2
		}
	}
	if changed {
		data, _ := json.Marshal(conv)
		events = append(events, care.Event{WorkspaceID: conv.WorkspaceID, Type: care.EventConversationUpdated,
			ConversationID: conv.ID, InboxID: conv.InboxID, Data: data, CreatedAt: ch.At})
		// The rules see what the rules did, with the chain behind it.
		more, err := r.run(ctx, q, care.Change{Trigger: string(automation.ConversationUpdated), Conversation: conv, At: ch.At},
			automation.NextCause(cause, fired))
		if err != nil {
			return nil, err
		}
		events = append(events, more...)
	}
	return events, nil
}

// facts describes a change for the rules.
func (r *Runner) facts(ctx context.Context, q care.Queries, ch care.Change) (*automation.Facts, error) {
	c := ch.Conversation
	f := &automation.Facts{
		Trigger: automation.Trigger(ch.Trigger), ConversationID: c.ID, Channel: c.Channel, InboxID: c.InboxID,
		Language: c.Language, Sentiment: string(c.Mood), Topics: c.Topics, Influence: c.PriorityInputs.Reach,
		Tags: c.Tags, Status: c.Status, Priority: c.Priority, AssigneeID: c.AssigneeID, TeamID: c.TeamID,
		SLAKind: ch.SLAKind, Now: ch.At, BusinessHours: true,
	}
	if m := ch.Message; m != nil {
		f.Text, f.Visibility = m.Text, m.Visibility
		if t := m.Triage; t != nil {
			f.Language, f.Sentiment, f.SentimentScore, f.Topics, f.Influence = t.Language, string(t.Mood), t.Sentiment, t.Topics, t.Reach
		}
	}
	if a := ch.Author; a != nil {
		f.Followers, f.Verified = a.Followers, a.Verified
	}
	if c.TeamID != 0 {
		t, err := q.Team(ctx, c.TeamID)
		if err != nil && care.ErrorCode(err) != care.ENOTFOUND {
			return nil, err
		}
		if err == nil && len(t.Hours) > 0 {
			if cal, err := hours.Parse(t.Hours); err == nil {
				f.BusinessHours = cal.Open(ch.At)
			}
		}
	}
	// Customer history: the contact's conversations of the last 30 days.
	page, err := q.Conversations(ctx, care.ConversationFilter{WorkspaceID: c.WorkspaceID, ContactID: c.ContactID, Limit: 100})
	if err != nil {
		return nil, err
	}
	for _, o := range page.Conversations {
		if o.CreatedAt.After(ch.At.Add(-30 * 24 * time.Hour)) {
			f.ContactConversations30d++
		}
		if o.Active() {
			f.ContactOpen++
		}
	}
	return f, nil
}

// perform does one action to conv, in place, and reports the events it
// raised and whether it changed the conversation.
func (r *Runner) perform(ctx context.Context, q care.Queries, conv *care.Conversation, f automation.Fired, a automation.Action, now time.Time) ([]care.Event, bool, error) {
	var u care.ConversationUpdate
	var events []care.Event
	details := map[string]any{"rule": f.RuleName}
	switch a.Type {
	case automation.ActionAssignTeam:
		if _, err := workspaceTeam(ctx, q, conv.WorkspaceID, a.TeamID); err != nil {
			return nil, false, err
		}
		u.TeamID, details["team_id"] = &a.TeamID, a.TeamID
	case automation.ActionAssignAgent:
		if _, err := q.Member(ctx, conv.WorkspaceID, a.UserID); err != nil {
			return nil, false, care.Errorf(care.EINVALID, "user %d is not a member of the workspace", a.UserID)
		}
		// Someone whose account was disabled after the rule was written
		// cannot sign in to answer: the conversation is left to routing
		// rather than given to nobody.
		if who, err := q.User(ctx, a.UserID); err != nil {
			return nil, false, err
		} else if who.Disabled {
			return nil, false, nil
		}
		u.AssigneeID, details["assignee_id"] = &a.UserID, a.UserID
	case automation.ActionUnassign:
		zero := care.ID(0)
		u.AssigneeID = &zero
	case automation.ActionAddTag, automation.ActionRemoveTag:
		tag := care.NormalizeTag(a.Tag)
		tags := slices.DeleteFunc(slices.Clone(conv.Tags), func(t string) bool { return t == tag })
		if a.Type == automation.ActionAddTag {
			tags = append(tags, tag)
		}
		if len(tags) == len(conv.Tags) && (a.Type == automation.ActionRemoveTag || slices.Contains(conv.Tags, tag)) {
			return nil, false, nil // nothing to do
		}
		u.Tags, details["tag"] = &tags, tag
	case automation.ActionSetPriority:
		p := conv.Priority
		if a.Points != nil {
			p = *a.Points
		}
		if a.Boost != nil {
			p += *a.Boost
		}
		u.Priority, details["priority"] = &p, p
		reasons := append([]string{"set by rule " + strconv.Quote(f.RuleName)}, conv.PriorityReasons...)
		u.Reasons = &reasons
	case automation.ActionNote:
		ev, err := note(ctx, q, conv, f, a.Text, now)
		return []care.Event{ev}, false, err
	case automation.ActionEscalate:
		team, err := workspaceTeam(ctx, q, conv.WorkspaceID, a.TeamID)
		if err != nil {
			return nil, false, err
		}
		if conv.EscalationTeamID == a.TeamID {
			// A loud customer's every message would otherwise call the
			// team again about a conversation it already sees.
			return nil, false, nil
		}
		u.EscalationTeamID, details["team_id"] = &a.TeamID, a.TeamID
		text, told := a.Note, "Escalated to "+team.Name+": "+a.Note
		if text == "" {
			text = "Escalated by rule " + strconv.Quote(f.RuleName) + "."
			told = "Escalated to " + team.Name + " by rule " + strconv.Quote(f.RuleName) + "."
		}
		ev, err := note(ctx, q, conv, f, text, now)
		if err != nil {
			return nil, false, err
		}
		events = append(events, ev)
		// The conversation page shows why it was escalated from here.
		details["note"], details["message_id"] = text, ev.MessageID
		// The team is told, with the rule's reason, as a notify action
		// would tell it: the view alone is easy to miss.
		users, err := notifyUsers(ctx, q, conv.WorkspaceID, nil, team.ID)
		if err != nil {
			return nil, false, err
		}
		ev, err = notify(ctx, q, conv, f, users, team.ID, told, now)
		if err != nil {
			return nil, false, err
		}
		events = append(events, ev)
	case automation.ActionNotify:
		users, err := notifyUsers(ctx, q, conv.WorkspaceID, a.UserIDs, a.TeamID)
		if err != nil {
			return nil, false, err
		}
		text := a.Text
		if text == "" {
			text = "Rule " + strconv.Quote(f.RuleName) + " needs you here."
		}
		ev, err := notify(ctx, q, conv, f, users, a.TeamID, text, now)
		if err != nil {
			return nil, false, err
		}
		events = append(events, ev)
		details["notify"] = a.Text
		return events, false, audit(ctx, q, conv, f, a.Type, details, now)
	case automation.ActionWebhook:
		// Written now, posted by package hooks after commit, at least once.
		body, _ := json.Marshal(map[string]any{"rule_id": f.RuleID, "rule": f.RuleName, "at": now, "conversation": conv})
		if err := q.EnqueueHook(ctx, &care.HookDelivery{WorkspaceID: conv.WorkspaceID, URL: a.URL, Body: body, CreatedAt: now}); err != nil {
			return nil, false, err
		}
		details["url"] = a.URL
		return nil, false, audit(ctx, q, conv, f, a.Type, details, now)
	case automation.ActionSavedReply:
		ev, err := r.savedReply(ctx, q, conv, f, a.SavedReplyID, now)
		if err != nil {
			return nil, false, err
		}
		return ev, false, nil
	case automation.ActionSnooze:
		d, err := a.For.Parse()
		if err != nil {
			return nil, false, err
		}
		until, snoozed := now.Add(d), care.StatusSnoozed
		u.Status, u.SnoozedUntil, details["snoozed_until"] = &snoozed, &until, until
	case automation.ActionResolve:
		resolved := care.StatusResolved
		u.Status = &resolved
	case automation.ActionRequireApproval:
		// Public replies in a conversation with this tag wait for an
		// approver (see desk.TagNeedsApproval).
		if slices.Contains(conv.Tags, "needs-approval") {
			return nil, false, nil
		}
		tags := append(slices.Clone(conv.Tags), "needs-approval")
		u.Tags, details["reason"] = &tags, a.Reason
	default:
		return nil, false, care.Errorf(care.EINVALID, "%s is not performed by Parley", a.Type)
	}
	before := *conv
	c, err := q.UpdateConversation(ctx, conv.ID, u, now)
	if err != nil {
		return nil, false, err
	}
	*conv = *c
	if e := care.ClockFor(&before, conv); r.Clocks != nil && e != "" {
		alerts, err := r.Clocks.Observe(ctx, q, conv, e, now)
		if err != nil {
			return nil, false, err
		}
		events = append(events, alerts...)
	}
	return events, true, audit(ctx, q, conv, f, a.Type, details, now)
}

// workspaceTeam reads a team a rule names, refusing one of another
// workspace.
func workspaceTeam(ctx context.Context, q care.Queries, ws, team care.ID) (*care.Team, error) {
	t, err := q.Team(ctx, team)
	if err != nil || t.WorkspaceID != ws {
		return nil, care.Errorf(care.EINVALID, "team %d is not a team of the workspace", team)
	}
	return t, nil
}

// notify stores a notification about conv for each of users and returns
// the live event that announces them (see notifyUsers for who they are).
func notify(ctx context.Context, q care.Queries, conv *care.Conversation, f automation.Fired, users []care.ID, teamID care.ID, text string, now time.Time) (care.Event, error) {
	if len(text) > care.MaxNotificationText {
		text = strings.ToValidUTF8(text[:care.MaxNotificationText-3], "") + "…"
	}
	for _, id := range users {
		n := &care.Notification{WorkspaceID: conv.WorkspaceID, UserID: id, Kind: care.NotifyRule, ConversationID: conv.ID, Text: text, CreatedAt: now}
		if err := q.CreateNotification(ctx, n); err != nil {
			return care.Event{}, err
		}
	}
	data, _ := json.Marshal(map[string]any{"kind": care.NotifyRule, "user_ids": users, "team_id": teamID, "text": text,
		"rule_id": f.RuleID, "rule": f.RuleName, "conversation_id": conv.ID})
	return care.Event{WorkspaceID: conv.WorkspaceID, Type: care.EventNotification, ConversationID: conv.ID,
		InboxID: conv.InboxID, Data: data, CreatedAt: now}, nil
}

// note adds an internal note written by the rule.
func note(ctx context.Context, q care.Queries, conv *care.Conversation, f automation.Fired, text string, now time.Time) (care.Event, error) {
	m := &care.Message{WorkspaceID: conv.WorkspaceID, ConversationID: conv.ID, InboxID: conv.InboxID, Direction: care.DirectionOut,
		Visibility: care.Note, AuthorName: "Rule: " + f.RuleName, Text: text, Status: care.DeliveryStored, CreatedAt: now, SentAt: now}
	if err := q.CreateMessage(ctx, m); err != nil {
		return care.Event{}, err
	}
	if err := audit(ctx, q, conv, f, automation.ActionNote, map[string]any{"rule": f.RuleName, "message_id": m.ID}, now); err != nil {
		return care.Event{}, err
	}
	data, _ := json.Marshal(m)
	return care.Event{WorkspaceID: conv.WorkspaceID, Type: care.EventMessageCreated, ConversationID: conv.ID, MessageID: m.ID,
		InboxID: conv.InboxID, Data: data, CreatedAt: now}, nil
}

// audit writes one automatic action to the audit trail, by its rule.
func audit(ctx context.Context, q care.Queries, conv *care.Conversation, f automation.Fired, t automation.ActionType, details map[string]any, now time.Time) error {
	raw, _ := json.Marshal(details)
	return q.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: conv.WorkspaceID, Actor: "rule:" + strconv.FormatInt(f.RuleID, 10),
		Action: "automation." + string(t), Target: "conversation:" + strconv.FormatInt(conv.ID, 10), Details: raw, CreatedAt: now})
}

// Publisher notifies live subscribers of committed events.
type Publisher interface {
	Publish(events ...care.Event)
}

// Tick evaluates the time-based rules ("pending for 48 h") of every
// workspace that has some, for the stretch since the last tick, and
// performs what fires. One node should tick: the stretch is remembered in
// memory.
func (r *Runner) Tick(ctx context.Context, s care.Store, pub Publisher, now time.Time) (fired int, err error) {
	r.mu.Lock()
	last := r.checked
	r.checked = now
	r.mu.Unlock()
	var after care.ID
	for {
		convs, err := s.ActiveConversations(ctx, after, 2000)
		if err != nil {
			return fired, err
		}
		for i := range convs {
			c := &convs[i]
			rules, err := r.rules(ctx, s, c.WorkspaceID, now)
			if err != nil {
				return fired, err
			}
			if rules.engine == nil || !rules.timed {
				continue
			}
			for _, t := range timedTriggers(c) {
				n, err := r.tickOne(ctx, s, pub, c.ID, t, last, now)
				if err != nil {
					return fired, err
				}
				fired += n
			}
		}
		if len(convs) < 2000 {
			return fired, nil
		}
		after = convs[len(convs)-1].ID
	}
}

type timed struct {
	trigger automation.Trigger
	since   time.Time
}

// timedTriggers are the time-based triggers a conversation is in, with when
// it entered each state. Status changes are not timestamped on their own:
// the last update stands for "since", which can only make a timed rule fire
// later, never twice.
func timedTriggers(c *care.Conversation) []timed {
	var out []timed
	switch c.Status {
	case care.StatusPending:
		out = append(out, timed{automation.TimePending, c.UpdatedAt})
	case care.StatusOpen:
		since := c.UpdatedAt
		if c.WaitingSince != nil {
			since = *c.WaitingSince
		}
		out = append(out, timed{automation.TimeOpen, since})
	}
	if c.AssigneeID == 0 {
		out = append(out, timed{automation.TimeUnassigned, c.CreatedAt})
	}
	return out
}

func (r *Runner) tickOne(ctx context.Context, s care.Store, pub Publisher, id care.ID, t timed, last, now time.Time) (int, error) {
	var events []care.Event
	n := 0
	err := s.Update(ctx, func(q care.Queries) error {
		events, n = nil, 0
		conv, err := q.Conversation(ctx, id)
		if err != nil {
			return err
		}
		c, err := r.rules(ctx, q, conv.WorkspaceID, now)
		if err != nil || c.engine == nil {
			return err
		}
		facts, err := r.facts(ctx, q, care.Change{Trigger: string(t.trigger), Conversation: conv, At: now})
		if err != nil {
			return err
		}
		facts.StateSince, facts.LastChecked = t.since, last
		fired := c.engine.Evaluate(facts)
		if len(fired) == 0 {
			return nil
		}
		n = len(fired)
		changed := false
		for _, f := range fired {
			for _, a := range f.Actions {
				evs, ch, err := r.perform(ctx, q, conv, f, a, now)
				if err != nil {
					return err
				}
				events, changed = append(events, evs...), changed || ch
			}
		}
		if changed {
			data, _ := json.Marshal(conv)
			events = append(events, care.Event{WorkspaceID: conv.WorkspaceID, Type: care.EventConversationUpdated,
				ConversationID: conv.ID, InboxID: conv.InboxID, Data: data, CreatedAt: now})
		}
		for i := range events {
			if err := q.AppendEvent(ctx, &events[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if care.ErrorCode(err) == care.ENOTFOUND {
		return 0, nil
	}
	if err == nil && pub != nil && len(events) > 0 {
		pub.Publish(events...)
	}
	return n, err
}

// timeLease lets one node at a time tick the time-based rules.
const timeLease = "automation:time"

// Run ticks the time-based rules every interval until ctx ends. Every node
// may run it: a lease lets one node at a time tick, and the stretch since
// the last tick is that node's, so a rule fires once per stretch.
func (r *Runner) Run(ctx context.Context, s care.Store, pub Publisher, interval time.Duration) {
	holder := care.NodeName()
	t := time.NewTicker(interval)
	defer t.Stop()
	defer care.LetGo(ctx, s, timeLease, holder)
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			mine, err := s.AcquireLease(ctx, timeLease, holder, 3*interval, now)
			if err != nil || !mine {
				if err != nil && ctx.Err() == nil {
					r.logger().Error("automator: lease", "err", err)
				}
				// Another node ticks; start afresh if this one takes over.
				r.mu.Lock()
				r.checked = time.Time{}
				r.mu.Unlock()
				continue
			}
			if _, err := r.Tick(ctx, s, pub, now); err != nil && ctx.Err() == nil {
				r.logger().Error("automator: time-based rules", "err", err)
			}
		}
	}
}

// Dry runs check DefaultDryRunLimit conversations unless asked for another
// number, and at most MaxDryRunLimit, as the API accepts.
const (
	DefaultDryRunLimit = 200
	MaxDryRunLimit     = 1000
)

// DryRun lists the conversations among a workspace's most recent (up to
// limit; 0 or less means DefaultDryRunLimit) that rule would have fired
// for, judged on each one's state now and its customer's newest message,
// and says how many it tried (fewer than limit in a workspace with fewer).
func DryRun(ctx context.Context, q care.Queries, workspaceID care.ID, rule automation.Rule, limit int, now time.Time) (fired []care.ID, checked int, err error) {
	if limit <= 0 {
		limit = DefaultDryRunLimit
	}
	limit = min(limit, MaxDryRunLimit)
	// The store returns a page of at most 100 (fewer than asked without
	// saying so): follow its cursor until the limit is reached.
	var convs []care.Conversation
	f := care.ConversationFilter{WorkspaceID: workspaceID, Limit: limit}
	for len(convs) < limit {
		f.Limit = limit - len(convs)
		page, err := q.Conversations(ctx, f)
		if err != nil {
			return nil, 0, fmt.Errorf("automator: dry run: list conversations: %w", err)
		}
		convs = append(convs, page.Conversations...)
		if page.Next == "" || len(page.Conversations) == 0 {
			break
		}
		f.After = page.Next
	}
	convs = convs[:min(len(convs), limit)]
	r := &Runner{}
	past := make([]automation.Facts, 0, len(convs))
	for i := range convs {
		c := &convs[i]
		ch := care.Change{Trigger: string(rule.Trigger), Conversation: c, At: now}
		msgs, err := q.Messages(ctx, c.ID, 0, 500)
		if err != nil {
			return nil, 0, err
		}
		for j := len(msgs) - 1; j >= 0; j-- {
			if msgs[j].Direction == care.DirectionIn {
				ch.Message = &msgs[j]
				break
			}
		}
		f, err := r.facts(ctx, q, ch)
		if err != nil {
			return nil, 0, err
		}
		if rule.Trigger.Timed() {
			for _, t := range timedTriggers(c) {
				if t.trigger == rule.Trigger {
					f.StateSince = t.since
				}
			}
		}
		past = append(past, *f)
	}
	fired, err = automation.DryRun(rule, past)
	return fired, len(past), err
}

// savedReply sends the workspace's saved reply id in the conversation, its
// variables filled in, through every check an agent's reply passes. A reply
// the platform would refuse (a closed messaging window) is skipped, and the
// audit trail says why: a rule should not fail the customer's message.
func (r *Runner) savedReply(ctx context.Context, q care.Queries, conv *care.Conversation, f automation.Fired, id care.ID, now time.Time) ([]care.Event, error) {
	if r.Replies == nil {
		return nil, care.Errorf(care.EINVALID, "saved replies cannot be sent here")
	}
	text, ok, err := savedreply.Text(ctx, q, conv, id, "")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, audit(ctx, q, conv, f, automation.ActionSavedReply, map[string]any{"rule": f.RuleName, "skipped": "no saved reply " + strconv.FormatInt(id, 10)}, now)
	}
	p := care.Principal{WorkspaceID: conv.WorkspaceID, Role: care.RoleAdmin, Name: "Automation", System: "rule:" + strconv.FormatInt(f.RuleID, 10)}
	m, err := r.Replies.ReplyIn(ctx, q, p, conv, desk.Reply{Text: text}, now)
	switch care.ErrorCode(err) {
	case "":
	case care.EINVALID, care.EFORBIDDEN:
		return nil, audit(ctx, q, conv, f, automation.ActionSavedReply, map[string]any{"rule": f.RuleName, "skipped": care.ErrorMessage(err)}, now)
	default:
		return nil, err
	}
	if err := audit(ctx, q, conv, f, automation.ActionSavedReply, map[string]any{"rule": f.RuleName, "saved_reply_id": id, "message_id": m.ID}, now); err != nil {
		return nil, err
	}
	data, _ := json.Marshal(m)
	return []care.Event{{WorkspaceID: conv.WorkspaceID, Type: care.EventMessageCreated, ConversationID: conv.ID, MessageID: m.ID,
		InboxID: conv.InboxID, Data: data, CreatedAt: now}}, nil
}

// notifyUsers is who a notify action reaches: the users it names and the
// members of its team, each once, only if they belong to the workspace.
func notifyUsers(ctx context.Context, q care.Queries, workspaceID care.ID, userIDs []care.ID, teamID care.ID) ([]care.ID, error) {
	ids := slices.Clone(userIDs)
	if teamID != 0 {
		t, err := q.Team(ctx, teamID)
		switch {
		case care.ErrorCode(err) == care.ENOTFOUND:
		case err != nil:
			return nil, err
		case t.WorkspaceID == workspaceID:
			ids = append(ids, t.MemberIDs...)
		}
	}
	members, err := q.Members(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	var out []care.ID
	for _, id := range ids {
		if slices.Contains(out, id) || !slices.ContainsFunc(members, func(m care.Member) bool { return m.UserID == id }) {
			continue
		}
		// A disabled account reads no notifications.
		if u, err := q.User(ctx, id); err != nil || u.Disabled {
			continue
		}
		out = append(out, id)
	}
	return out, nil
}
