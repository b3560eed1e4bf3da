package demo

import (
	"context"
	"slices"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// How long a headless run's wind-down waits for what customers wrote aside
// from the rate, on the platforms Parley polls and in the web chat: to be
// fetched, within 15 seconds of the start unless a poll came just before
// they wrote (Reddit's next comes 30 seconds later); then to be dealt with
// by the agents, who reach them behind the load's queue, slowly on a busy
// machine.
const (
	fetchWait  = 40 * time.Second
	answerWait = 30 * time.Second
)

// awaitAside waits, bounded, until Parley has everything headless
// customers wrote aside from the rate, and the agents have dealt with it. An agent's answer frees their place without waking routing, which
// fills it at its next pass, up to 5 seconds later, so the wait takes a
// pass every half second. It stops early when the queue is longer than the
// agents could answer in the time left, one conversation a tick each: they
// will not get to those conversations.
func (r *run) awaitAside(ctx context.Context) {
	r.waitFor(ctx, fetchWait, "fetching from the platforms Parley polls", func() (bool, error) { return r.asideDone(ctx, false) })
	deadline := time.Now().Add(answerWait)
	var pass time.Time
	err := r.waitUntil(ctx, answerWait, func() (bool, error) {
		if time.Since(pass) > 500*time.Millisecond {
			pass = time.Now()
			if _, err := r.parley.app.Dispatch.DispatchAll(ctx); err != nil {
				return false, err
			}
		}
		if done, err := r.asideDone(ctx, true); done || err != nil {
			return done, err
		}
		queued, err := r.parley.app.Store.CountConversations(ctx, care.ConversationFilter{WorkspaceID: r.parley.ws,
			Statuses: []care.Status{care.StatusOpen}, AssigneeID: -1}, 1000)
		if err != nil {
			return false, err
		}
		reach := int(time.Until(deadline)/r.deskTick()) * len(r.team.agents)
		if queued > reach {
			r.log.Info("demo: the queue is too long for the agents to reach what customers wrote aside from the rate", "queued", queued)
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		r.log.Warn("demo: gave up waiting", "for", "answers to what customers wrote aside from the rate", "after", answerWait, "err", err)
	}
}

// asideDone reports whether Parley has everything headless customers
// wrote aside from the rate (threaded, on the platforms it polls once
// fetched) and, with answered, whether agents have dealt with each
// conversation: answered it (it is no longer open, or waits for no one)
// or resolved it.
func (r *run) asideDone(ctx context.Context, answered bool) (bool, error) {
	r.mu.Lock()
	samples := slices.Clone(r.asideIn)
	r.mu.Unlock()
	for _, smp := range samples {
		m, err := r.parley.app.Store.MessageByPlatformID(ctx, smp.InboxID, smp.PlatformID)
		if err != nil {
			return false, err
		}
		if !answered {
			continue
		}
		c, err := r.parley.app.Store.Conversation(ctx, m.ConversationID)
		if err != nil {
			return false, err
		}
		if c.Status == care.StatusOpen && c.WaitingSince != nil {
			return false, nil
		}
	}
	return true, nil
}
