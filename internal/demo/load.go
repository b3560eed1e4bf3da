package demo

import (
	"context"
	"math/rand/v2"
	"time"
)

// drive sends inbound messages at the run's rate until ctx ends or the
// count is spent: customers' answers to replies first, when there are any,
// then new messages from the plan.
func (r *run) drive(ctx context.Context) {
	plan := newPlan(r.cast, r.opts.Seed)
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
// every such channel; some returning customers; and WhatsApp customers who
// write again by SMS.
type plan struct {
	c         *cast
	r         *rand.Rand
	order     []kind
	i         int
	switchers []*customer
	wa        int
}

func newPlan(c *cast, seed int64) *plan {
	p := &plan{c: c, r: rand.New(rand.NewPCG(uint64(seed), 0x10ad))}
	for k := range numKinds {
		if !k.polled() {
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
		return message{who: who, text: pick(p.r, said[who.lang][followUp])}
	}
	who, isNew := p.c.someone(k, 0.3)
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
	m := message{who: who, text: pick(p.r, said[who.lang][in])}
	if !isNew && k.public() {
		m.replyTo = p.c.anchorOf(who)
	}
	return m
}
