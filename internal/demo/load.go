package demo

import (
	"context"
	"math/rand/v2"
	"time"
)

// drive sends inbound messages at the run's rate until ctx ends or the
// count is spent: customers' answers to replies first, when there are any,
// then new messages from the plan. First, outside the rate and the count,
// a few customers write on the platforms Parley polls and in the web chat
// (aside), and strangers publish the story's posts for listening to find,
// all at once.
func (r *run) drive(ctx context.Context) {
	plan := newPlan(r.cast, r.opts.Seed)
	for _, m := range plan.aside() {
		if !r.traffic.send(ctx, m) {
			return
		}
	}
	for i := range overheardPosts {
		r.overhear(i)
	}
	r.plat.hurrySearch(ctx)
	b := newBucket(r.opts.Rate)
	for {
		if !sleep(ctx, b.reserve(time.Now())) || !r.admit() {
			return
		}
		var m message
		select {
		case m = <-r.followUps:
		default:
			m = plan.next()
		}
		r.send(m)
	}
}

// plan is the headless stream of customers: every way to write through a
// webhook in turn, in an order shuffled by the seed, so a short run covers
// every such channel; some returning customers; WhatsApp customers who
// write again by SMS; and texters who call the care line.
type plan struct {
	c         *cast
	r         *rand.Rand
	order     []kind
	i         int
	switchers []*customer
	wa        int
	callers   []*customer // texters who will call
	sms       int
}

// asidePerKind is how many customers write once on each platform Parley
// polls, and in the web chat, at the start of a headless run: enough to
// see each channel at work, few enough that the agents reach them all
// before the run ends.
const asidePerKind = 1

// aside is what a few customers write where no webhook takes it, as a
// headless run starts: on the platforms Parley polls (Bluesky, Mastodon,
// YouTube, Google reviews, Reddit, Foursquare, a blog, WordPress, the care
// mailbox), which it fetches at its next polls whatever the rate, and in
// the web chat. The first visitor gives their email address in the chat,
// and writes from it by email too. The load itself drives webhooks, which
// acknowledge what they are sent.
func (p *plan) aside() []message {
	var out []message
	for _, k := range asideKinds {
		for i := range asidePerKind {
			var who *customer
			if k == webChat && i == 0 {
				who = p.c.chatWithEmail("")
			} else {
				who = p.c.newCustomer(k, "")
			}
			out = append(out, writes(p.r, who, pickIntent(p.r)))
			if who.email != "" {
				out = append(out, writes(p.r, p.c.byEmail(who), pickIntent(p.r)))
			}
		}
	}
	return out
}

// asideKinds are the kinds no webhook takes, those Parley polls least
// often first: what is written after Parley's first scheduled poll of an
// inbox waits for the next, five minutes later on a blog or Foursquare.
var asideKinds = []kind{blogPost, fsqTip, wpComment, redditComment, redditDM, bskyPost, bskyDM, ytComment, gbpReview, mastoPost,
	emailMessage, webChat}

func newPlan(c *cast, seed int64) *plan {
	p := &plan{c: c, r: rand.New(rand.NewPCG(uint64(seed), 0x10ad))}
	for k := range numKinds {
		if k.pushed() {
			p.order = append(p.order, k)
		}
	}
	p.r.Shuffle(len(p.order), func(i, j int) { p.order[i], p.order[j] = p.order[j], p.order[i] })
	return p
}

// next returns the next message of the plan.
func (p *plan) next() message {
	k := p.order[p.i%len(p.order)]
	p.i++
	if p.i%len(p.order) == 0 {
		p.r.Shuffle(len(p.order), func(i, j int) { p.order[i], p.order[j] = p.order[j], p.order[i] })
	}
	if k == smsMessage && len(p.switchers) > 0 {
		wa := p.switchers[0]
		p.switchers = p.switchers[1:]
		who := p.c.switchToSMS(wa)
		p.texted(who)
		return writes(p.r, who, followUp)
	}
	if k == phoneCall && len(p.callers) > 0 {
		who := p.c.caller(p.callers[0])
		p.callers = p.callers[1:]
		return writes(p.r, who, followUp)
	}
	who, isNew := p.c.someone(k, 0.3)
	if k == smsMessage && isNew {
		p.texted(who)
	}
	if k == waMessage && isNew {
		// The first WhatsApp customer, and one in four after, will write by
		// SMS too.
		if p.wa == 0 || p.r.Float64() < 0.25 {
			p.switchers = append(p.switchers, who)
		}
		p.wa++
	}
	if isNew && k == xMention && p.r.Float64() < 0.02 {
		who.followers, who.verified = 100000+p.r.Int64N(900000), true
	}
	in := pickIntent(p.r)
	if !isNew && p.r.Float64() < 0.5 {
		in = followUp
	}
	m := writes(p.r, who, in)
	if !isNew && k.public() {
		m.replyTo = p.c.anchorOf(who)
	}
	return m
}

// texted notes a new texter: the first, and one in four after, will call
// the care line from the same number.
func (p *plan) texted(who *customer) {
	if p.sms == 0 || p.r.Float64() < 0.25 {
		p.callers = append(p.callers, who)
	}
	p.sms++
}
