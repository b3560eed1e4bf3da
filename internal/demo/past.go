package demo

import (
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// The desk's past: four weeks of conversations Orbit's agents answered
// before the demo starts, stored through the store as Parley would have
// stored them. Without them a fresh demo's staffing plan has no arrivals
// to forecast from, and the reports no surveys and no service levels.
// Four weeks is what the staffing plan reads by default.
const (
	pastDays = 28
	// pastGap keeps the newest of the past this long before the demo's
	// own traffic, so every stored row is older than the live ones.
	pastGap = time.Hour
	// pastPerWeight is the conversations an hour brings per unit of
	// hourWeights on a weekday: about 30 a day, a small brand's desk.
	// More would slow the demo's start, on a loaded machine by seconds.
	pastPerWeight = 0.16
	// pastCustomers are the people who wrote in those weeks; some wrote
	// more than once.
	pastCustomers = 250
	// surveyAnswered is the share of surveys customers answered.
	surveyAnswered = 0.4
)

// pastChannels are where the past conversations came in, and how often.
// Only channels where an agent answers in writing, and none whose
// identities a live customer could share (the phone numbers of the cast
// have no 9 after their prefix), so the past never joins the story.
var pastChannels = []struct {
	ch     care.Channel
	vis    care.Visibility
	weight float64
}{
	{care.ChannelX, care.Public, 30}, {care.ChannelFacebook, care.Private, 20}, {care.ChannelInstagram, care.Private, 15},
	{care.ChannelWhatsApp, care.Private, 20}, {care.ChannelEmail, care.Private, 10}, {care.ChannelTelegram, care.Private, 5},
}

// pastPolicy is the SLA policy (see slaSettings) a past conversation fell
// under, with its targets.
type pastPolicy struct {
	id                     care.ID
	firstReply, resolution time.Duration
}

func policyOf(ch care.Channel, in intent) pastPolicy {
	switch {
	case ch == care.ChannelX && in == complaint:
		return pastPolicy{1, 15 * time.Minute, 8 * time.Hour}
	case ch == care.ChannelWhatsApp || ch == care.ChannelTelegram:
		return pastPolicy{2, 30 * time.Minute, 24 * time.Hour}
	}
	return pastPolicy{3, time.Hour, 48 * time.Hour}
}

// pastComments are what some English-speaking customers wrote with their
// score, by score.
var pastComments = map[int][]string{
	1: {"Three days and still no refund.", "Nobody read what I wrote."},
	2: {"Took far too long to get an answer.", "Fixed in the end, but I had to ask twice."},
	3: {"OK, but I had to explain it all again.", "Fine."},
	4: {"Quick and friendly, thanks.", "Sorted the same day."},
	5: {"Brilliant, sorted in minutes!", "Really helpful, thank you.", "Best support I've had from a phone company."},
}

// pastCustomer is one of the people who wrote in the past weeks.
type pastCustomer struct {
	name, lang string
	n          int
}

// pastConv is one past conversation as planned, before it is stored.
type pastConv struct {
	who     *pastCustomer
	ch      care.Channel
	inbox   care.ID
	vis     care.Visibility
	in      intent
	ask     string // the customer's message
	thanks  string // their thanks, "" for none
	agent   *agent
	policy  pastPolicy
	opened  time.Time // the customer's message
	replied time.Time // the agent's answer
	thanked time.Time // the customer's thanks, zero for none
	closed  time.Time // resolved (after the agent's goodbye, if thanked)
	score   int       // 0 for no answer to the survey
	comment string
	conv    *care.Conversation
}

// Past is what the demo stored of the desk's past.
type Past struct {
	// Until is when the past ends: the demo's own conversations are all
	// newer.
	Until                          time.Time
	Conversations, Messages        int
	Surveys, Answered, SLAOutcomes int
}

// seedPast stores the past weeks ending pastGap before now in the
// brand's inboxes (by channel), answered by the team's agents, through
// the store's own calls: conversations, then messages, each in the order
// of their times, as Parley stamps them (the staffing plan's count of
// arrivals relies on ids growing with creation times), then the surveys
// and the SLA clocks that stopped.
func seedPast(ctx context.Context, store care.Store, ws care.ID, team *seeded, inboxes map[care.Channel]care.ID, seed int64, now time.Time) (Past, error) {
	plan := planPast(rand.New(rand.NewPCG(uint64(seed), 0x9a57)), team, inboxes, now)
	past := Past{Until: now.Add(-pastGap), Conversations: len(plan)}
	err := inChunks(ctx, store, len(plan), func(q care.Queries, i int) error {
		p := plan[i]
		contact, err := pastContact(ctx, q, ws, p)
		if err != nil {
			return err
		}
		p.conv = &care.Conversation{WorkspaceID: ws, InboxID: p.inbox, Channel: p.ch, ContactID: contact, Status: care.StatusResolved,
			AssigneeID: p.agent.id, TeamID: team.careTeam, Language: p.who.lang, Mood: moodOf(p.in),
			CreatedAt: p.opened, LastActivityAt: p.opened}
		if p.ch == care.ChannelEmail {
			p.conv.Subject = clip(p.ask, 60)
		}
		if err := q.CreateConversation(ctx, p.conv); err != nil {
			return fmt.Errorf("demo: the past: conversation: %w", err)
		}
		return nil
	})
	if err != nil {
		return past, err
	}

	msgs := pastMessages(plan)
	err = inChunks(ctx, store, len(msgs), func(q care.Queries, i int) error {
		if err := q.CreateMessage(ctx, msgs[i]); err != nil {
			return fmt.Errorf("demo: the past: message: %w", err)
		}
		return nil
	})
	if err != nil {
		return past, err
	}
	past.Messages = len(msgs)

	// Surveys and stopped clocks in the order they happened, as the
	// surveyor and the SLA keeper would have stored them.
	byClose := slices.Clone(plan)
	slices.SortStableFunc(byClose, func(a, b *pastConv) int { return a.closed.Compare(b.closed) })
	err = inChunks(ctx, store, len(byClose), func(q care.Queries, i int) error {
		p := byClose[i]
		hash := sha256.Sum256([]byte("demo past survey " + strconv.FormatInt(p.conv.ID, 10)))
		sv := &care.Survey{WorkspaceID: ws, ConversationID: p.conv.ID, ContactID: p.conv.ContactID, AgentID: p.agent.id,
			TeamID: team.careTeam, Channel: p.ch, TokenHash: hash[:], SentAt: p.closed}
		if err := q.CreateSurvey(ctx, sv); err != nil {
			return fmt.Errorf("demo: the past: survey: %w", err)
		}
		if p.score > 0 {
			if _, err := q.AnswerSurvey(ctx, sv.ID, p.score, p.comment, p.closed.Add(20*time.Minute)); err != nil {
				return fmt.Errorf("demo: the past: survey answer: %w", err)
			}
		}
		for _, o := range []struct {
			kind       string
			used, goal time.Duration
			at         time.Time
		}{
			{"first_response", p.replied.Sub(p.opened), p.policy.firstReply, p.replied},
			{"resolution", p.closed.Sub(p.opened), p.policy.resolution, p.closed},
		} {
			out := &care.SLAOutcome{WorkspaceID: ws, ConversationID: p.conv.ID, PolicyID: p.policy.id, Kind: o.kind, Channel: p.ch,
				TeamID: team.careTeam, AssigneeID: p.agent.id, Band: "under 1k", Met: o.used <= o.goal, Used: o.used, Target: o.goal, At: o.at}
			if err := q.RecordSLAOutcome(ctx, out); err != nil {
				return fmt.Errorf("demo: the past: SLA outcome: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return past, err
	}
	// Counted here, not as stored: a transaction may run again.
	past.Surveys, past.SLAOutcomes = len(plan), 2*len(plan)
	for _, p := range plan {
		if p.score > 0 {
			past.Answered++
		}
	}
	return past, nil
}

// pastChunk bounds the rows of one transaction: the demo's Parley is
// running, its pollers already at work, and one long transaction would
// hold their writes up past their waits.
const pastChunk = 100

// inChunks calls fn for each of n items, in order, in transactions of at
// most pastChunk items.
func inChunks(ctx context.Context, store care.Store, n int, fn func(q care.Queries, i int) error) error {
	for lo := 0; lo < n; lo += pastChunk {
		err := store.Update(ctx, func(q care.Queries) error {
			for i := lo; i < min(lo+pastChunk, n); i++ {
				if err := fn(q, i); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// planPast draws the past's conversations, oldest first: arrivals by the
// hour of the day (few at night, most in the evening) and fewer at
// weekends, each answered by one of the agents who speak the customer's
// language, mostly within the SLA's target, some late.
func planPast(r *rand.Rand, team *seeded, inboxes map[care.Channel]care.ID, now time.Time) []*pastConv {
	until := now.Add(-pastGap)
	// From the hour the staffing plan's four weeks start.
	from := now.Truncate(time.Hour).AddDate(0, 0, -pastDays)
	speakers := map[string][]*agent{}
	for _, a := range team.agents {
		for _, l := range a.spec.languages {
			speakers[l] = append(speakers[l], a)
		}
	}
	people := make([]*pastCustomer, pastCustomers)
	for i := range people {
		lang := pickLanguage(r)
		nm := names[lang]
		people[i] = &pastCustomer{name: pick(r, nm.first) + " " + pick(r, nm.last), lang: lang, n: i + 1}
	}
	total := 0.0
	for _, c := range pastChannels {
		if inboxes[c.ch] != 0 {
			total += c.weight
		}
	}
	var plan []*pastConv
	for h := from; h.Before(until); h = h.Add(time.Hour) {
		rate := hourWeights[h.Hour()] * pastPerWeight
		if wd := h.Weekday(); wd == time.Saturday || wd == time.Sunday {
			rate *= weekendShare
		}
		// A whole number of arrivals with the rate as its mean.
		n := int(rate + r.Float64())
		for range n {
			at := h.Add(time.Duration(r.Int64N(int64(time.Hour))))
			if !at.Before(until) || total == 0 {
				continue
			}
			x := r.Float64() * total
			var pc = pastChannels[0]
			for _, c := range pastChannels {
				if inboxes[c.ch] == 0 {
					continue
				}
				pc = c
				if x < c.weight {
					break
				}
				x -= c.weight
			}
			who := pick(r, people)
			p := &pastConv{who: who, ch: pc.ch, inbox: inboxes[pc.ch], vis: pc.vis, in: pickIntent(r), opened: at}
			p.ask = pick(r, said[who.lang][p.in])
			if s := speakers[who.lang]; len(s) > 0 {
				p.agent = pick(r, s)
			} else {
				p.agent = team.agents[0]
			}
			p.policy = policyOf(p.ch, p.in)
			p.time(r, until)
			if !p.thanked.IsZero() {
				p.thanks = pick(r, said[who.lang][thanks])
			}
			p.survey(r)
			plan = append(plan, p)
		}
	}
	slices.SortStableFunc(plan, func(a, b *pastConv) int { return a.opened.Compare(b.opened) })
	return plan
}

// time draws when the agent answered, whether the customer thanked them,
// and when the conversation was resolved: most first replies well within
// the target, a tail past it. A conversation that would end after until
// is played faster.
func (p *pastConv) time(r *rand.Rand, until time.Time) {
	reply := time.Duration(float64(p.policy.firstReply) * (0.1 + r.ExpFloat64()*0.35))
	var thank, bye time.Duration
	if p.in != praise && r.Float64() < 0.35 {
		thank = time.Duration(5+r.IntN(55)) * time.Minute
		bye = time.Duration(2+r.IntN(8)) * time.Minute
	}
	settle := time.Duration(10+r.IntN(6*60)) * time.Minute
	if thank > 0 {
		settle = bye
	}
	span := reply + thank + settle
	if room := until.Sub(p.opened); span >= room {
		f := float64(room) / float64(span) * 0.9
		reply, thank, settle = scaled(reply, f), scaled(thank, f), scaled(settle, f)
	}
	p.replied = p.opened.Add(max(reply, time.Second))
	if thank > 0 {
		p.thanked = p.replied.Add(max(thank, time.Second))
		p.closed = p.thanked.Add(max(settle, time.Second))
	} else {
		p.closed = p.replied.Add(max(settle, time.Second))
	}
}

func scaled(d time.Duration, f float64) time.Duration { return time.Duration(float64(d) * f) }

// survey draws the customer's answer to the survey sent on resolution, if
// any: praise scores high, a complaint answered late low.
func (p *pastConv) survey(r *rand.Rand) {
	if r.Float64() >= surveyAnswered {
		return
	}
	mean := 4.3
	switch {
	case p.in == praise:
		mean = 4.8
	case p.in == complaint:
		mean = 3.6
	}
	if late := p.replied.Sub(p.opened) > p.policy.firstReply; late {
		mean -= 1.2
	}
	p.score = min(max(int(math.Round(mean+r.NormFloat64()*0.9)), 1), 5)
	if p.who.lang == "en" && r.Float64() < 0.4 {
		p.comment = pick(r, pastComments[p.score])
	}
}

// pastContact finds or creates the customer's contact on p's channel, with
// an identity of the kind the platform gives, in ranges the cast's never
// reach.
func pastContact(ctx context.Context, q care.Queries, ws care.ID, p *pastConv) (care.ID, error) {
	n := int64(p.who.n)
	a := care.Author{DisplayName: p.who.name}
	f := fold(firstName(p.who.name))
	handle := f[:min(len(f), 7)] + strconv.FormatInt(90000+n, 10)
	switch p.ch {
	case care.ChannelX:
		a.PlatformUserID, a.Handle = strconv.FormatInt(1690000000000000000+n, 10), handle
	case care.ChannelFacebook:
		a.PlatformUserID = strconv.FormatInt(6000000000000000+n, 10)
	case care.ChannelInstagram:
		a.PlatformUserID, a.Handle = strconv.FormatInt(17830000000000000+n, 10), handle
	case care.ChannelWhatsApp:
		a.PlatformUserID = countryCode[p.who.lang] + fmt.Sprintf("9%05d", n)
	case care.ChannelTelegram:
		a.PlatformUserID = strconv.FormatInt(4000000000+n, 10)
	case care.ChannelEmail:
		first, last, _ := cutLast(p.who.name)
		a.PlatformUserID = address(first, last, int(90000+n))
	default:
		a.PlatformUserID = "past-" + strconv.FormatInt(n, 10)
	}
	id, _, err := q.ResolveIdentity(ctx, ws, p.ch, a, p.opened)
	if err != nil {
		return 0, fmt.Errorf("demo: the past: contact: %w", err)
	}
	return id.ContactID, nil
}

// cutLast splits a name at its last space.
func cutLast(name string) (first, last string, ok bool) {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == ' ' {
			return name[:i], name[i+1:], true
		}
	}
	return name, "", false
}

func moodOf(in intent) care.Mood {
	switch in {
	case complaint:
		return care.MoodNegative
	case praise:
		return care.MoodPositive
	}
	return care.MoodNeutral
}

// pastMessages are the messages of the planned conversations, in the
// order of their times: the customer's message, the agent's answer and,
// when the customer thanked them, the thanks and the agent's goodbye.
func pastMessages(plan []*pastConv) []*care.Message {
	var msgs []*care.Message
	for i, p := range plan {
		c := p.conv
		in := func(text string, at time.Time, k int) *care.Message {
			return &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionIn,
				Visibility: p.vis, ContactID: c.ContactID, Text: text, PlatformID: fmt.Sprintf("past-%d-%d", c.ID, k),
				Status: care.DeliveryReceived, CreatedAt: at, SentAt: at}
		}
		out := func(a answer, at time.Time, k int) *care.Message {
			return &care.Message{WorkspaceID: c.WorkspaceID, ConversationID: c.ID, InboxID: c.InboxID, Direction: care.DirectionOut,
				Visibility: p.vis, AuthorID: p.agent.id, AuthorName: p.agent.spec.first + " " + p.agent.spec.last,
				Text: phrase(p.who.lang, a, p.who.name, p.agent.spec.first, 40000+i), PlatformID: fmt.Sprintf("past-%d-%d", c.ID, k),
				Status: care.DeliveryDelivered, CreatedAt: at, SentAt: at}
		}
		first := aQuestion
		switch p.in {
		case complaint:
			first = aComplaint
		case praise:
			first = aPraise
		}
		msgs = append(msgs, in(p.ask, p.opened, 1), out(first, p.replied, 2))
		if p.thanks != "" {
			msgs = append(msgs, in(p.thanks, p.thanked, 3), out(aGoodbye, p.closed.Add(-time.Second), 4))
		}
	}
	slices.SortStableFunc(msgs, func(a, b *care.Message) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ConversationID, b.ConversationID))
	})
	return msgs
}
