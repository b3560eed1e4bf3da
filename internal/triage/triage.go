// Package triage reads every customer message as it is threaded and ranks
// its conversation: the language it is in, how the customer feels, what it
// is about by the workspace's topic rules, how far a public post may reach,
// and from those the conversation's priority with its reasons. As the
// customer waits, Recompute raises the priority again.
//
// Everything is local and fast (no external service): the readings come
// from the enrich packages, the score from package priority.
package triage

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/enrich/influence"
	"github.com/parleyhq/parley/internal/enrich/language"
	"github.com/parleyhq/parley/internal/enrich/sentiment"
	"github.com/parleyhq/parley/internal/enrich/topic"
	"github.com/parleyhq/parley/internal/priority"
	"github.com/parleyhq/parley/internal/wscache"
)

// SettingName is the workspace setting that holds a workspace's Settings.
const SettingName = "triage"

// Settings are a workspace's triage rules, stored as JSON.
type Settings struct {
	// Topics are the topic rules; nil means topic.Defaults(), an empty list
	// none at all.
	Topics []TopicRule `json:"topics"`
	// Weights are the priority weights; nil means the defaults.
	Weights *Weights `json:"weights,omitempty"`
	// VIP lists customers whose value is 1: "x:12345" (channel and
	// platform user id) or "@handle" on any channel.
	VIP []string `json:"vip,omitempty"`
}

// TopicRule is topic.Rule in JSON.
type TopicRule struct {
	Topic    string   `json:"topic"`
	Phrases  []string `json:"phrases"`
	Team     string   `json:"team,omitempty"` // a team's name
	Boost    float64  `json:"boost,omitempty"`
	Severity float64  `json:"severity,omitempty"`
}

// Weights are priority.Weights in JSON.
type Weights struct {
	Waiting  float64 `json:"waiting"`
	Need     float64 `json:"need"`
	Reach    float64 `json:"reach"`
	Incident float64 `json:"incident"`
	History  float64 `json:"history"`
	Value    float64 `json:"value"`
	ReachOff bool    `json:"reach_off,omitempty"`
}

func (w Weights) priority() priority.Weights {
	return priority.Weights{Waiting: w.Waiting, Need: w.Need, Reach: w.Reach, Incident: w.Incident, History: w.History, Value: w.Value, ReachOff: w.ReachOff}
}

// MaxVIP bounds a workspace's VIP list.
const MaxVIP = 10000

// ParseSettings decodes and checks a Settings document, with EINVALID
// naming what is wrong.
func ParseSettings(doc []byte) (*Settings, error) {
	var s Settings
	if err := care.DecodeSettings(doc, &s, "triage settings"); err != nil {
		return nil, err
	}
	if _, err := topic.Compile(s.topicRules()); err != nil {
		return nil, care.Errorf(care.EINVALID, "Topic rules: %s", care.ErrorMessage(err))
	}
	if s.Weights != nil {
		if err := s.Weights.priority().Validate(); err != nil {
			return nil, err
		}
	}
	if len(s.VIP) > MaxVIP {
		return nil, care.Errorf(care.EINVALID, "At most %d VIPs.", MaxVIP)
	}
	return &s, nil
}

func (s *Settings) topicRules() []topic.Rule {
	if s.Topics == nil {
		return topic.Defaults()
	}
	rules := make([]topic.Rule, len(s.Topics))
	for i, r := range s.Topics {
		rules[i] = topic.Rule{Topic: r.Topic, Phrases: r.Phrases, Team: r.Team, Boost: r.Boost, Severity: r.Severity}
	}
	return rules
}

// rules is a workspace's Settings ready to use.
type rules struct {
	topics  *topic.Matcher
	weights priority.Weights
	vip     map[string]bool
	teams   map[string]care.ID // lower-cased team name → id
}

// Triager triages messages. Its zero value uses the default rules for every
// workspace; with Store set it reads each workspace's settings, again after
// TTL. It is safe for concurrent use.
type Triager struct {
	Store care.Store
	// TTL is how long a workspace's settings are used before they are read
	// again; 0 means 30 seconds.
	TTL time.Duration

	cache     wscache.Cache[*rules]
	incidents incidents
}

// Invalidate forgets a workspace's settings, after they changed.
func (t *Triager) Invalidate(workspaceID care.ID) { t.cache.Invalidate(workspaceID) }

func (t *Triager) rulesFor(ctx context.Context, q care.Queries, ws care.ID, now time.Time) (*rules, error) {
	return t.cache.Get(ws, now, t.TTL, func() (*rules, error) { return t.load(ctx, q, ws) })
}

func (t *Triager) load(ctx context.Context, q care.Queries, ws care.ID) (*rules, error) {
	s := &Settings{}
	if q != nil {
		doc, err := q.Setting(ctx, ws, SettingName)
		switch {
		case err == nil:
			if s, err = ParseSettings(doc); err != nil {
				// Saved settings were checked; if they no longer parse
				// (an older version's), rank with the defaults rather
				// than stop threading.
				s = &Settings{}
			}
		case care.ErrorCode(err) != care.ENOTFOUND:
			return nil, fmt.Errorf("triage: read settings: %w", err)
		}
	}
	r := &rules{weights: priority.DefaultWeights(), vip: map[string]bool{}, teams: map[string]care.ID{}}
	m, err := topic.Compile(s.topicRules())
	if err != nil {
		return nil, fmt.Errorf("triage: compile topics: %w", err)
	}
	r.topics = m
	if s.Weights != nil {
		r.weights = s.Weights.priority()
	}
	for _, v := range s.VIP {
		r.vip[strings.ToLower(strings.TrimSpace(v))] = true
	}
	if q != nil {
		teams, err := q.Teams(ctx, ws)
		if err != nil {
			return nil, fmt.Errorf("triage: read teams: %w", err)
		}
		for _, tm := range teams {
			r.teams[strings.ToLower(tm.Name)] = tm.ID
		}
	}
	return r, nil
}

func (r *rules) isVIP(ch care.Channel, a care.Author) bool {
	if len(r.vip) == 0 {
		return false
	}
	if r.vip[strings.ToLower(string(ch)+":"+a.PlatformUserID)] {
		return true
	}
	h := strings.ToLower(strings.TrimPrefix(a.Handle, "@"))
	return h != "" && r.vip["@"+h]
}

// maxTopics bounds the topics a conversation collects.
const maxTopics = 20

// Triage reads a customer's message in conv and returns its reading and the
// conversation's new reading with its priority. reopened is true when the
// message reopened a resolved conversation: a repeat contact.
func (t *Triager) Triage(ctx context.Context, q care.Queries, conv *care.Conversation, in *care.Inbound, reopened bool, now time.Time) (*care.Triage, *care.ConversationTriage, error) {
	r, err := t.rulesFor(ctx, q, conv.WorkspaceID, now)
	if err != nil {
		return nil, nil, err
	}
	tr := &care.Triage{}
	words := customerWords(in.Text)
	lang := language.Detect(words)
	tr.Language = lang.Code
	feel := sentiment.WithRating(sentiment.Analyze(words), in.Rating)
	tr.Sentiment, tr.Mood, tr.Intensity = round(feel.Score), care.Mood(feel.Label), round(feel.Intensity)
	tr.Cues = append(tr.Cues, feel.Cues...)
	matches := r.topics.Match(in.Text)
	vip := r.isVIP(in.Channel, in.Author)
	ii := influence.Input{
		Public: in.Visibility == care.Public, Followers: in.Author.Followers, Verified: in.Author.Verified,
		Engagement: in.Engagement, PostedAt: in.SentAt, VIP: vip,
	}
	if in.Author.AccountCreated != nil {
		ii.AccountCreated = *in.Author.AccountCreated
	}
	reach := influence.Compute(ii, now)
	tr.Reach = round(reach.Reach)

	ct := &care.ConversationTriage{Language: conv.Language, Mood: tr.Mood, Topics: slices.Clone(conv.Topics), Inputs: conv.PriorityInputs}
	if tr.Language != "" {
		ct.Language = tr.Language
	}
	// What the customer needs is measured over what is still unanswered:
	// after our reply, a calm follow-up lowers it again.
	in0 := &ct.Inputs
	if conv.WaitingSince == nil {
		in0.Need, in0.NeedReason = 0, ""
		in0.Incident, in0.IncidentReason = 0, ""
	}
	if neg := -feel.Score; neg > in0.Need {
		in0.Need, in0.NeedReason = round(neg), moodReason(feel)
	}
	var boost float64
	for _, m := range matches {
		tr.Topics = append(tr.Topics, m.Topic)
		if !slices.Contains(ct.Topics, m.Topic) && len(ct.Topics) < maxTopics {
			ct.Topics = append(ct.Topics, m.Topic)
		}
		if m.Severity > in0.Need {
			in0.Need, in0.NeedReason = m.Severity, m.Topic
		}
		// A message older than the window (a backfill after downtime, a
		// replay) says nothing about what is happening now.
		if m.Severity > 0 && conv.ContactID != 0 && now.Sub(in.SentAt) <= IncidentWindow {
			if n := t.incidents.raise(conv.WorkspaceID, m.Topic, conv.ContactID, now); n >= IncidentCustomers && m.Severity >= in0.Incident {
				in0.Incident, in0.IncidentReason = round(m.Severity), incidentReason(m.Topic, n)
			}
		}
		boost = math.Max(boost, m.Boost)
		if ct.TeamID == nil && m.Team != "" {
			if id, ok := r.teams[strings.ToLower(m.Team)]; ok {
				ct.TeamID = &id
			}
		}
	}
	if boost > in0.Boost {
		in0.Boost = boost
	}
	if reach.Reach > in0.Reach {
		in0.Reach, in0.ReachReason = round(reach.Reach), reach.Reason
		if reach.Reach > 0 {
			tr.Cues = append(tr.Cues, in0.ReachReason)
		}
	}
	if vip {
		in0.Value = 1
	}
	if reopened {
		in0.History = math.Min(1, in0.History+0.5)
	}
	// The message makes the customer wait, if they were not already: the
	// pipeline has reopened the conversation, and starts the wait at the
	// message's sending time once it is stored.
	waiting := *conv
	if waiting.WaitingSince == nil {
		waiting.WaitingSince = &in.SentAt
	}
	ct.Priority, ct.Reasons = Rank(&waiting, *in0, r.weights, now)
	return tr, ct, nil
}

// moodReason names the need that negative sentiment expresses.
func moodReason(r sentiment.Result) string {
	switch {
	case r.Score <= -0.6 && r.Intensity >= 0.6:
		return "angry"
	case r.Score <= -0.6:
		return "very negative"
	}
	return "negative"
}

// Waiting reports whether a customer is waiting on c for an answer: the
// last word was theirs and the conversation is open. A pending conversation
// waits on the customer, a snoozed one on time, a resolved one on nothing.
func Waiting(c *care.Conversation) bool {
	return c.WaitingSince != nil && c.Status == care.StatusOpen
}

// Rank computes a conversation's priority from its inputs as of now: the
// time waited counts against the SLA deadline when there is one.
//
// A conversation nobody is waiting on ranks 0 with no reasons, below every
// waiting one: the priority says whom to answer next, and its need and
// incident are measured over what is unanswered (see Triage), so once
// answered nothing of them is left to rank.
func Rank(c *care.Conversation, in care.PriorityInputs, w priority.Weights, now time.Time) (float64, []string) {
	if !Waiting(c) {
		return 0, nil
	}
	p := priority.Input{
		Need: in.Need, NeedReason: in.NeedReason, Reach: in.Reach, ReachReason: in.ReachReason,
		Incident: in.Incident, IncidentReason: in.IncidentReason,
		History: in.History, Value: in.Value, Boost: in.Boost,
		Waited: now.Sub(*c.WaitingSince),
	}
	due := c.FirstResponseDue
	if c.NextResponseDue != nil && (due == nil || c.NextResponseDue.Before(*due)) {
		due = c.NextResponseDue
	}
	if due != nil {
		p.Due = due
		// The target is the time from the wait's start to the deadline,
		// so "waited / target" reads as the share of the SLA used.
		if t := due.Sub(*c.WaitingSince); t > 0 {
			p.Target = t
		}
	}
	res := priority.Compute(p, w, now)
	return round(res.Score), res.Reasons
}

// Rerank is Rank for a change made outside the pipeline (an agent's reply,
// a new status), in the caller's transaction: the conversation's priority
// and reasons as of now, and whether they differ from what is stored. The
// workspace's weights are read only when someone waits.
func Rerank(ctx context.Context, q care.Queries, c *care.Conversation, now time.Time) (float64, []string, bool, error) {
	score, reasons := 0.0, []string(nil)
	if Waiting(c) {
		w, err := ReadWeights(ctx, q, c.WorkspaceID)
		if err != nil {
			return 0, nil, false, err
		}
		score, reasons = Rank(c, c.PriorityInputs, w, now)
	}
	return score, reasons, score != c.Priority || !slices.Equal(reasons, c.PriorityReasons), nil
}

// ReadWeights reads a workspace's priority weights: the defaults when it
// has set none, and when its settings no longer parse, as load does.
func ReadWeights(ctx context.Context, q care.Queries, workspaceID care.ID) (priority.Weights, error) {
	w := priority.DefaultWeights()
	doc, err := q.Setting(ctx, workspaceID, SettingName)
	switch {
	case err == nil:
		if s, err := ParseSettings(doc); err == nil && s.Weights != nil {
			w = s.Weights.priority()
		}
	case care.ErrorCode(err) != care.ENOTFOUND:
		return w, fmt.Errorf("triage: read settings: %w", err)
	}
	return w, nil
}

func round(v float64) float64 { return math.Round(v*100) / 100 }

// Recompute ranks every unresolved conversation again as of now, so that
// waiting raises priority and reasons read "waiting 41 min" rather than the
// minute the message came in, and a conversation answered, pending or
// snoozed since drops to 0 however it got there (a reply outside Parley, an
// automation's). It saves only what changed and returns how many
// conversations it looked at and how many changed.
func (t *Triager) Recompute(ctx context.Context, s care.Store, now time.Time) (seen, changed int, err error) {
	const page = 2000
	var after care.ID
	for {
		convs, err := s.ActiveConversations(ctx, after, page)
		if err != nil {
			return seen, changed, err
		}
		if len(convs) == 0 {
			return seen, changed, nil
		}
		var ps []care.PriorityChange
		for i := range convs {
			c := &convs[i]
			r, err := t.rulesFor(ctx, s, c.WorkspaceID, now)
			if err != nil {
				return seen, changed, err
			}
			score, reasons := Rank(c, c.PriorityInputs, r.weights, now)
			if score != c.Priority || !slices.Equal(reasons, c.PriorityReasons) {
				ps = append(ps, care.PriorityChange{ConversationID: c.ID, Priority: score, Reasons: reasons})
			}
		}
		seen += len(convs)
		if len(ps) > 0 {
			if err := s.SetPriorities(ctx, ps); err != nil {
				return seen, changed, err
			}
			changed += len(ps)
		}
		after = convs[len(convs)-1].ID
		if len(convs) < page {
			return seen, changed, nil
		}
	}
}

// Run recomputes priorities every interval until ctx ends.
//
// Every node may run it: a lease lets one node at a time recompute, so the
// scores are written once, not once per node.
func (t *Triager) Run(ctx context.Context, s care.Store, interval time.Duration, logf func(msg string, args ...any)) {
	const lease = "triage:recompute"
	tick := time.NewTicker(interval)
	defer tick.Stop()
	defer care.LetGo(ctx, s, lease, care.NodeName())
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		mine, err := s.AcquireLease(ctx, lease, care.NodeName(), 3*interval, time.Now())
		if err != nil || !mine {
			if err != nil && ctx.Err() == nil && logf != nil {
				logf("triage: lease", "err", err)
			}
			continue
		}
		if _, _, err := t.Recompute(ctx, s, time.Now()); err != nil && ctx.Err() == nil && logf != nil {
			logf("triage: recompute priorities", "err", err)
		}
	}
}

// customerWords is text without the lines adapters write for what they
// cannot show ("[A WhatsApp message of type "poll" that Parley cannot
// show yet]", "[tapped a button]", "[A Messenger template: Order #99]"):
// whole lines in square brackets are the platform's or Parley's words, not
// the customer's, and "cannot show" is no complaint. Sentiment and language
// read the rest; topics read everything, since a template's title may name
// the order.
func customerWords(text string) string {
	if strings.IndexByte(text, '[') < 0 {
		return text
	}
	var b strings.Builder
	for line := range strings.Lines(text) {
		t := strings.TrimSpace(line)
		if len(t) >= 2 && t[0] == '[' && t[len(t)-1] == ']' {
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}
