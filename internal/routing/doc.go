// Package routing decides who answers what: which waiting work an agent is
// given, and in which order the queue is served. It is pure: storage loads
// the agents and the queue and calls Dispatch inside a transaction, then
// records the assignments it returns.
//
// # Who may take a piece of work
//
// An agent is Eligible for a piece of work when they are online, have a free
// place for that kind of work (capacity is counted per kind: one call, three
// chats, eight social or email threads), are on its team when it has one,
// speak its language when it is known and the agent lists languages, and
// handle its channel and topic when the agent lists those. An empty list
// means any. A member of a partner team (an outsourced team, who may see only
// their teams' conversations) takes only work of one of their teams: work of
// no team, which any other agent may take, is never theirs.
//
// # Who gets it
//
// Pick gives work back to the agent who already has the customer's open
// conversation (PreferredAgent) when they are eligible by the same rules, a
// partner's included, so a returning customer is not passed around;
// otherwise to the eligible agent with the smallest share of that kind's
// capacity in use, then the one who has waited longest since their last
// assignment, then the lower ID, so the result does not depend on the order
// agents are listed in. Nothing is ever pushed onto a full agent: when
// nobody is eligible the work stays queued.
//
// # In which order
//
// A Queue holds waiting work in dispatch order, the order of the priority
// package: urgent work (near its SLA deadline) first, earliest deadline
// first; then the higher priority; then the longer wait; then the lower ID.
// Dispatch walks it in that order and assigns whatever some agent can take;
// work nobody can take stays where it is and does not hold back the work
// behind it. The package does not import priority: Work carries the Urgent
// flag, deadline and score that priority computed.
//
// Dispatch is built so that one decision with ten thousand waiting and five
// hundred agents stays well under a millisecond: it considers only agents
// with a free place, groups them by kind and team on first use, and
// remembers which combinations of kind, team, language, channel and topic
// have already found nobody in this dispatch, so a long tail of work no one
// can take costs a comparison each.
//
// Strings in Work and Agent (languages, channels, topics) are only ever
// split at "-" and compared, never interpreted, so hostile text in them can
// do no more than fail to match.
package routing
