// Package sla is the deadline arithmetic of service-level agreements: which
// policy applies to a conversation, the clocks that measure its targets in
// business time, the deadlines and alerts they imply, and a Timer that fires
// those alerts on time. It is pure code, with no storage and no clock of its
// own besides the Timer's; business hours come from package hours.
//
// # Policies
//
// A workspace has policies, each with a Match (any of some channels, any of
// some teams, a minimum priority, any of some tags; an empty field accepts
// anything) and Targets in business time: first response, next response and
// resolution, any of them 0 for none, and WarnAt, the share of a target at
// which to warn. Select returns the first policy, in the workspace's order,
// that accepts the conversation. The business hours are those of the
// conversation's team, or hours.AlwaysOpen.
//
// # Clocks
//
// Each target is measured by a Clock, a small value stored with the
// conversation that holds the business time used before it last started
// running. Recomputing a deadline therefore needs the clock and the
// calendar, never the message history. A clock runs, pauses and resumes,
// and stops when its target is met. A breach is more business time used
// than the target (Used > target); a warning is Used ≥ WarnAt · target.
//
// Every clock runs whatever the targets, so that a policy chosen later, when
// the conversation reaches a team or its priority rises, applies at once.
//
// # Events
//
// State.Apply drives the clocks from a conversation's events:
//
//   - Resolution starts when the conversation is created (its first event)
//     and stops when it is resolved. A reopened conversation continues the
//     clock where it stopped rather than starting from zero: the customer's
//     problem was not solved, and restarting would reward resolving too
//     early. Most help desks count it the same way.
//   - First response starts at the first customer message and stops at the
//     first agent reply, public or private; an internal note answers
//     nobody and is no event. When an agent writes first, as in an outbound
//     conversation, no first-response clock starts: nobody was kept waiting
//     for a first answer, and the customer's answer is measured by next
//     response.
//   - Next response starts at a customer message after an agent reply and
//     stops at the next agent reply. Further customer messages before that
//     reply do not restart it: the wait is measured from the first
//     unanswered message. Each new wait may warn and breach again.
//   - Pending (waiting on the customer) pauses every clock, as does
//     resolving, which stops resolution and pauses the response clocks
//     (nothing is owed until the conversation is reopened, and an
//     unanswered customer is not counted as answered). A customer message
//     makes the conversation need an answer again: it reopens a resolved
//     conversation, ends pending and snoozed, and resumes the clocks. Open
//     resumes them too.
//   - Snoozed pauses resolution but not the response clocks. A snooze is the
//     team's choice to set work aside until later, unlike pending, where the
//     customer has the ball; a customer left unanswered is still waiting,
//     and a snooze must not hide that wait, while the resolution of a case
//     parked for a third party or a date is fairly paused.
//
// # Deadlines and alerts
//
// State.Deadlines gives the due time of each running clock whose kind has a
// target, to store on the conversation (paused and stopped clocks have
// none), with the instants its warning and breach fall due. State.Check
// announces the warnings and breaches due by now, each once: the state
// remembers what it announced. Call Check after every Apply, so that a reply
// that stops a clock past its target is a breach even if no timer fired, and
// whenever a Timer fires. Recomputing a conversation is therefore: Select
// its policy, Apply the event, Check, store the state and the Deadlines, and
// Schedule them on the Timer.
//
// The breach instant is the first at which Check agrees the target is
// exceeded: when a deadline falls exactly at closing time, no business time
// passes until the next opening, and the breach fires then.
package sla
