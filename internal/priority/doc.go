// Package priority ranks waiting conversations: one score per conversation,
// recomputed whenever the queue is consulted, and the order in which work is
// dispatched. It is pure: no storage, no clock of its own (now is passed in).
//
// # Score
//
// A conversation's score S is a sum of points, each component scaled to
// [0,1] except waiting:
//
//	S = 40·W + 25·U + 15·R + 10·V + 10·H + value·C + boost
//
//	W  waiting: time waited / the SLA target (on the SLA's business-hours
//	   clock), uncapped, so an old message keeps rising
//	U  need: the stronger of negative sentiment and the severity of the
//	   topic (safety, legal, fraud, outage 1.0; threat to go public 0.8;
//	   churn 0.7; billing 0.5; question 0.2; praise 0.1)
//	R  reach of this post: 0 for anything private, computed by package enrich/influence
//	V  incident: severity/10 of an open incident the conversation belongs to
//	H  history: repeat contacts on the same matter, reopens
//	C  customer value; its weight is 0 until a workspace chooses otherwise
//
// Boost is points from a topic rule or an automation, bounded to ±50 so a
// rule can lift a conversation but not bury the rest of the queue. The
// weights are Weights; DefaultWeights are the proposals above, to be tuned
// with real data.
//
// # Reach without two tiers of service
//
// Follower count is a poor proxy for influence, and who starts a cascade is
// hard to predict; how fast this one post gathers engagement early is what
// predicts spread. So the author's audience counts for at most half of R
// (at most 7.5 points, about a fifth of an SLA's worth of waiting), the
// post's engagement velocity for all of it, and Weights.Validate refuses a
// reach weight above half the waiting weight: reach alone can never move a
// message ahead of one that has waited more than 15/40 of the SLA longer.
// Weights.ReachOff turns the boost off, and OvertakeByReach tells the caller
// which overtakes to log.
//
// # Dispatch order
//
// Less orders Items: anything that has waited 80% of its SLA (Urgent) goes
// first, earliest deadline first, so no message near its deadline is passed
// by a fresher one however loud; then the highest score; ties go to the
// message that arrived first.
//
// Every Result explains itself: Parts give each component's points ("waiting
// 20/60 min: 13.3") and Reasons the short words for the conversation card
// ("38k followers", "negative", "waiting 41 min", "SLA due in 6 min"), with
// no "waiting" when nobody has waited at all. The reasons are ordered by
// the points behind them, so the card leads with what actually ranked the
// conversation; the SLA deadline comes first once the conversation is
// urgent, since that is then what places it, and last before. Reasons taken from the input (NeedReason, ReachReason) are
// cleaned of control and format characters and cut to 40 characters.
package priority
