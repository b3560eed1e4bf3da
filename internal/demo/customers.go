package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// watch reads what the fakes received since it last looked: it counts
// replies and surveys, tells the story, and lets customers answer. It runs
// in the watcher actor, and once more at the end when no actor runs.
// Customers answer only while the play goes on.
func (r *run) watch(ctx context.Context) {
	r.watching.Lock()
	defer r.watching.Unlock()
	for _, k := range []kind{bskyPost, mastoPost} {
		if !r.announced[k] && r.plat.polling(k) {
			r.announced[k] = true
			r.say("-- Parley is now fetching from %s, which has no webhooks; its customers join in --", channelName(k.channel()))
		}
	}
	if held := len(r.plat.yt.Moderations()); held > r.held {
		r.held = held
		r.say("   ↳ YouTube holds the comment for review, at Parley's request: it is off the video")
	}
	sends := r.plat.sends(r.cast)
	// A complaint taken private brings a public note and a private reply
	// at once; the customer answers the private one.
	private := map[*customer]bool{}
	for _, s := range sends {
		if s.private && s.who != nil {
			private[s.who] = true
		}
	}
	for _, s := range sends {
		if s.survey {
			r.tally.survey()
			r.say("   ↳ %s asks %s how it went: a satisfaction survey on %s", brandName, display(s.who), channelName(care.Channel(s.sample.Channel)))
			continue
		}
		r.tally.reply(s.sample)
		if s.who == nil {
			continue
		}
		r.say("   ↳ on %s now, where %s sees it", channelName(care.Channel(s.sample.Channel)), display(s.who))
		if s.private || !private[s.who] {
			r.reading = append(r.reading, reading{s: s})
		}
	}
	r.answerRead(ctx)
}

// reading is a reply a customer has received and may answer once Parley
// has recorded it as sent.
type reading struct {
	s     sent
	looks int
}

// maxLooks bounds how long a reply waits to be recorded as sent: 50 looks
// of the watcher, ten seconds.
const maxLooks = 50

// answerRead lets customers answer the replies Parley has recorded as
// sent. A platform shows a reply to the customer as soon as it accepts it,
// a moment before Parley records the answer and what it revealed (the
// Messenger id of a commenter given a private reply), and no person answers
// within that moment; customers here would, so they wait for the record.
func (r *run) answerRead(ctx context.Context) {
	kept := r.reading[:0]
	for _, rd := range r.reading {
		m, err := r.parley.app.Store.MessageByPlatformID(ctx, rd.s.sample.InboxID, rd.s.sample.PlatformID)
		switch {
		case err == nil && (m.Status == care.DeliverySent || m.Status == care.DeliveryDelivered || m.Status == care.DeliveryRead):
			r.answerBack(rd.s)
		case rd.looks+1 < maxLooks:
			rd.looks++
			kept = append(kept, rd)
		}
	}
	clear(r.reading[len(kept):])
	r.reading = kept
}

// answerBack has a customer who got a reply answer it now and then: a
// thank-you, or one more question first. Each customer answers a bounded
// number of times, so every conversation ends.
func (r *run) answerBack(s sent) {
	who := s.who
	limit, chance := 2, 0.7
	switch {
	case r.opts.Headless && !who.kind.pushed():
		// The few customers aside from the rate answer their first reply,
		// so that a short run shows their threads.
		limit, chance = 1, 1
	case r.opts.Headless:
		limit, chance = 1, 0.5
	}
	if who.kind == gbpReview {
		// A reviewer edits their review once.
		limit = 1
	}
	r.cast.mu.Lock()
	n := who.followUps
	ok := n < limit && r.float() < chance
	if ok {
		who.followUps++
	}
	r.cast.mu.Unlock()
	if !ok {
		return
	}
	in := thanks
	if n == 0 && r.float() < 0.4 {
		in = followUp
	}
	r.mu.Lock()
	m := writes(r.rng, who, in)
	r.mu.Unlock()
	m.replyTo, m.private, m.followUp = s.replyTo, s.private && who.kind.public(), true
	switch {
	case r.opts.Headless && who.kind.prompt() && !who.kind.pushed():
		// Headless load drives webhooks at its rate; the web chat and the
		// care mailbox are outside it, and Parley has what is written
		// there at once, so the wind-down waits for these answers.
		r.spawnAside(func(ctx context.Context) { r.deliverAside(ctx, m) })
		return
	case r.opts.Headless && !who.kind.pushed():
		// On the other platforms Parley polls, an answer arrives at its
		// next poll, if the run lasts that long.
		r.spawnPlayer(func(ctx context.Context) { r.traffic.send(ctx, m) })
		return
	case r.opts.Headless:
		select {
		case r.followUps <- m:
		default: // the driver is behind; this customer stays quiet
		}
		return
	}
	delay := r.sim(10*time.Second + time.Duration(r.float()*30)*time.Second)
	if who.kind == webChat {
		// A visitor with the chat open answers within seconds.
		delay = r.sim(3*time.Second + time.Duration(r.float()*7)*time.Second)
	}
	r.spawnPlayer(func(ctx context.Context) {
		if sleep(ctx, delay) {
			r.post(m)
		}
	})
}

// delivered is told of every inbound delivery, by the worker that made it.
func (r *run) delivered(m message, s Sample, err error) {
	if err != nil {
		r.say("!! %s could not reach Parley on %s: %v", display(m.who), m.who.kind, err)
		return
	}
	if m.takePrivate {
		r.mu.Lock()
		r.takePrivate[s.PlatformID] = true
		r.mu.Unlock()
	}
	if m.who.switched {
		r.links.want(m.who)
	}
	if m.who.chat != nil {
		r.links.suggestion(m.who)
	}
	if !m.who.kind.pushed() && s.PlatformID != "" && r.opts.Headless {
		r.mu.Lock()
		r.asideIn = append(r.asideIn, s)
		r.mu.Unlock()
	}
	if m.who.kind == phoneCall {
		r.say("%s %s: %s", m.who.kind, describe(m.who, m), callStory(callOf(m.who, m)))
		return
	}
	text := stars(m.stars) + m.text
	if m.who.kind == blogPost {
		text = m.subject
	}
	r.say("%s %s: “%s”", m.who.kind, describe(m.who, m), clip(text, 100))
}

// deliverAside delivers a customer's answer outside the rate and the
// count, which headless load keeps for webhooks, as a worker would.
func (r *run) deliverAside(ctx context.Context, m message) {
	s, err := r.plat.deliver(ctx, r.cast, m)
	r.tally.inbound(s, m.followUp, -1, err)
	if err != nil && ctx.Err() == nil {
		r.log.Warn("demo: a delivery failed", "channel", s.Channel, "err", err)
	}
	r.delivered(m, s, err)
}

// describe names the author of a message for the story.
func describe(c *customer, m message) string {
	s := display(c)
	if c.kind == xMention && !m.private {
		s = "@" + c.handle
		if c.followers >= 10000 {
			s += fmt.Sprintf(" (%dk followers)", c.followers/1000)
		}
		if m.engagement > 0 {
			s += fmt.Sprintf(" [%d likes and reposts]", m.engagement+m.engagement/4)
		}
	}
	if m.followUp {
		s += ", answering"
	}
	return s + " (" + c.lang + ")"
}

// display is how the story names a customer.
func display(c *customer) string {
	if c == nil {
		return "a customer"
	}
	return c.name
}
