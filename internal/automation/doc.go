// Package automation is the pure part of Parley's automation rules: their
// definition, validation and evaluation against the facts of an event. It
// decides what to do and does none of it; the caller assigns, tags, sends
// and writes each action to the audit trail under the rule that fired it.
//
// # Rules
//
// A workspace keeps its rules as one RuleSet in JSON. A rule listens to one
// Trigger, tests its conditions (all of them, or any with "match": "any"),
// and lists actions to perform:
//
//	{
//	  "id": 12, "name": "Refund complaints from influencers", "enabled": true,
//	  "position": 1, "trigger": "message.received",
//	  "conditions": [
//	    {"field": "text", "op": "matches", "value": "(?i)\\brefund(s|ed)?\\b"},
//	    {"field": "influence", "op": "gte", "value": 0.7},
//	    {"field": "channel", "op": "in", "value": ["x", "instagram"]}
//	  ],
//	  "actions": [
//	    {"type": "add_tag", "tag": "refund"},
//	    {"type": "set_priority", "boost": 20},
//	    {"type": "escalate", "team_id": 4, "note": "Influencer complaint"}
//	  ],
//	  "stop": true
//	}
//
// Time-based triggers (time.pending, time.open, time.unassigned) need
// "after", a Go duration such as "48h"; no other trigger takes it. A rule
// with no conditions matches every event of its trigger.
//
// Fields and the ops they accept (labels compare case-insensitively):
//
//	text                                   eq, neq, in, not_in, contains, not_contains, matches
//	channel, language, sentiment, status,  eq, neq, in, not_in
//	  visibility, sla.kind
//	inbox_id, assignee_id, team_id         eq, neq, in, not_in (0: none)
//	followers, contact.conversations_30d,  eq, neq, gt, gte, lt, lte (integers)
//	  contact.open_conversations
//	sentiment_score, influence, priority   eq, neq, gt, gte, lt, lte (numbers)
//	tags, topic                            has, not_has, in (has any of), not_in (has none of)
//	verified, business_hours               is_true, is_false (no value)
//
// "contains" looks for the value anywhere in the lower-cased text, words
// or not. "matches" takes an RE2 regular expression of at most 512 bytes,
// run on the text as written: start it with (?i) to ignore case. sla.kind
// is known only to the sla.warning and sla.breach triggers. The Action
// type lists the actions and their parameters.
//
// # Evaluation
//
// Compile validates a RuleSet, refusing it whole with an error that names
// the rule and the field at fault, and compiles it once: regexps compiled,
// labels lower-cased, each rule's conditions ordered cheapest first.
// Evaluate allocates little: the text is lower-cased once per event, on
// demand. Regexps are its main cost (microseconds each in Go's RE2
// engine), so each runs only when the text holds the literal words every
// match needs, and a pattern several rules share runs once per event.
//
// Rules run by position. In mode "all" (the default) every matching rule
// fires, until one with "stop" matches; in mode "first" the first matching
// rule is the only one.
//
// # Loops
//
// Actions cause events: adding a tag updates the conversation, which may
// match rules again. The caller passes NextCause(parent, fired) as the
// Cause of the events it raises while performing fired, and Evaluate then
// refuses (1) a rule that already fired in that chain, and (2) any rule at
// all once the chain is MaxDepth (3) rounds deep. A rule that adds a tag
// and listens to conversation.updated with "tags has" that tag therefore
// fires once, and a ring of rules that feed one another stops after three
// rounds.
//
// # Time-based rules
//
// The caller's scheduler raises time triggers with Facts.StateSince set to
// when the conversation entered the watched state and LastChecked to its
// previous look at that conversation: a rule fires when its deadline falls
// between the two looks, so once per stretch in the state. DryRun answers
// which past conversations a draft rule would have fired for.
package automation
