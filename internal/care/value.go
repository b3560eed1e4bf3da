package care

// ValueReportRow is one group of the business case report: what became of
// the conversations opened in a period. It holds counts only, sums that
// add up across groups, so that a total is exact and the money put on them
// (which depends on what the business tells) stays out of the store.
type ValueReportRow struct {
	Key      string `json:"key"` // a channel, or a team id ("0" for none)
	Contacts int    `json:"contacts"`
	// Resolved are those resolved now; OneTouch those of them that took
	// exactly one reply.
	Resolved int `json:"resolved"`
	OneTouch int `json:"one_touch"`
	// Replies are the messages the customers were sent: outbound and not
	// notes, the satisfaction survey left out.
	Replies int `json:"replies"`
	// Negative are those whose mood is MoodNegative; NegativeResolved
	// those of them that are resolved.
	Negative         int `json:"negative"`
	NegativeResolved int `json:"negative_resolved"`
	// SurveysAnswered counts their answered surveys, ScoreSum adds up their
	// scores and Satisfied counts the 4s and 5s.
	SurveysAnswered int `json:"surveys_answered"`
	ScoreSum        int `json:"score_sum"`
	Satisfied       int `json:"satisfied"`
}
