package sla

import (
	"slices"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/hours"
)

// EventType is what happened to a conversation, as far as its SLA cares.
type EventType string

// Event types. An internal note is not an event: it answers nobody.
const (
	Created         EventType = "created"          // the conversation was created
	CustomerMessage EventType = "customer_message" // the customer wrote
	AgentReply      EventType = "agent_reply"      // an agent replied, publicly or privately
	Pending         EventType = "pending"          // status set to pending: waiting on the customer
	Open            EventType = "open"             // status set to open
	Snoozed         EventType = "snoozed"          // status set to snoozed
	Resolved        EventType = "resolved"         // status set to resolved
	Reopened        EventType = "reopened"         // a resolved conversation was reopened
)

// Event is one change to a conversation.
type Event struct {
	At   time.Time `json:"at"`
	Type EventType `json:"type"`
}

// State is the SLA of one conversation: its clocks, and the alerts already
// announced so that each fires once. It is stored as JSON with the
// conversation. Apply and Check return a new State and never modify the
// clocks or slices of the one they are called on.
type State struct {
	// Policy is the ID of the policy whose targets apply; the caller sets
	// it, with Select, and passes that policy's Targets.
	Policy int64 `json:"policy,omitempty"`

	// Status is the conversation's status as the events told it; empty
	// before the first.
	Status care.Status `json:"status,omitempty"`

	// Replied is set once an agent has replied, after which a customer
	// message starts a next-response clock rather than the first-response
	// one.
	Replied bool `json:"replied,omitempty"`

	First      *Clock `json:"first,omitempty"`
	Next       *Clock `json:"next,omitempty"`
	Resolution *Clock `json:"resolution,omitempty"`

	// Warned and Breached are the kinds whose warning and breach were
	// announced. A new next-response clock clears its kind from both.
	Warned   []Kind `json:"warned,omitempty"`
	Breached []Kind `json:"breached,omitempty"`
}

// Clock returns the clock of kind k, nil when it has not started.
func (s State) Clock(k Kind) *Clock {
	switch k {
	case FirstResponse:
		return s.First
	case NextResponse:
		return s.Next
	case Resolution:
		return s.Resolution
	}
	return nil
}

// Apply returns the state after e, measured on cal. Clocks run whatever the
// targets, so a policy chosen later (the conversation reached a team, its
// priority rose) applies at once; t is needed only to close a conversation,
// which stops the response clocks already past their targets. An event of an
// unknown type changes nothing. Call Check after Apply: a late reply stops
// a clock past its target, and Check announces that breach.
func (s State) Apply(e Event, t Targets, cal *hours.Calendar) State {
	at := e.At.Round(0)
	switch e.Type {
	case Created, CustomerMessage, AgentReply, Pending, Open, Snoozed, Resolved, Reopened:
	default:
		return s
	}
	if s.Resolution == nil {
		s.Resolution = ptr(Start(at))
	}
	switch e.Type {
	case CustomerMessage:
		// The customer writing makes the conversation need us again, even
		// when it was resolved, pending or snoozed.
		s = s.reopen()
		s.Status = care.StatusOpen
		switch {
		case !s.Replied:
			if s.First == nil {
				s.First = ptr(Start(at))
			}
		case s.Next == nil || !s.Next.Stopped.IsZero():
			// A new wait for an answer; an unanswered earlier message
			// keeps the one already running.
			s.Next = ptr(Start(at))
			s.Warned = without(s.Warned, NextResponse)
			s.Breached = without(s.Breached, NextResponse)
		}
	case AgentReply:
		s.Replied = true
		if s.First != nil {
			s.First = ptr(s.First.Stop(at, cal))
		}
		if s.Next != nil {
			s.Next = ptr(s.Next.Stop(at, cal))
		}
	case Pending:
		s = s.reopen()
		s.Status = care.StatusPending
	case Snoozed:
		s = s.reopen()
		s.Status = care.StatusSnoozed
	case Open, Reopened:
		s = s.reopen()
		s.Status = care.StatusOpen
	case Resolved:
		s.Status = care.StatusResolved
		s.Resolution = ptr(s.Resolution.Stop(at, cal))
		// A wait for an answer already past its target when the
		// conversation is closed unanswered stops there, so the miss is
		// reported: it happened, whatever the closing says. One still
		// within its target only pauses (a conversation closed with
		// nothing to answer misses nothing) and resumes if reopened.
		for _, c := range []struct {
			kind  Kind
			clock **Clock
		}{{FirstResponse, &s.First}, {NextResponse, &s.Next}} {
			if cl := *c.clock; cl != nil && cl.Stopped.IsZero() && t.Target(c.kind) > 0 && cl.Used(at, cal) > t.Target(c.kind) {
				*c.clock = ptr(cl.Stop(at, cal))
			}
		}
	}
	return s.settle(at, cal)
}

// reopen turns a resolved state's stopped resolution clock into a paused
// one, which settle then resumes: a reopened conversation continues its
// resolution time rather than starting afresh.
func (s State) reopen() State {
	if s.Status != care.StatusResolved {
		return s
	}
	if s.Resolution != nil && !s.Resolution.Stopped.IsZero() {
		r := *s.Resolution
		r.Stopped = time.Time{}
		s.Resolution = &r
	}
	return s
}

// settle pauses and resumes the clocks that have not stopped to match the
// status: all run while open; none while pending (the customer has the
// ball) or resolved; while snoozed, the response clocks run and resolution
// pauses.
func (s State) settle(at time.Time, cal *hours.Calendar) State {
	run := func(k Kind) bool {
		switch s.Status {
		case care.StatusPending, care.StatusResolved:
			return false
		case care.StatusSnoozed:
			return k != Resolution
		}
		return true
	}
	for _, c := range []struct {
		kind  Kind
		clock **Clock
	}{{FirstResponse, &s.First}, {NextResponse, &s.Next}, {Resolution, &s.Resolution}} {
		cl := *c.clock
		if cl == nil || !cl.Stopped.IsZero() {
			continue
		}
		switch {
		case run(c.kind) && !cl.Running():
			*c.clock = ptr(cl.Resume(at))
		case !run(c.kind) && cl.Running():
			*c.clock = ptr(cl.Pause(at, cal))
		}
	}
	return s
}

func ptr(c Clock) *Clock { return &c }

// without returns kinds without k, in a new slice when k was there.
func without(kinds []Kind, k Kind) []Kind {
	if !slices.Contains(kinds, k) {
		return kinds
	}
	out := make([]Kind, 0, len(kinds)-1)
	for _, x := range kinds {
		if x != k {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
