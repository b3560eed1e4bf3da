package care

import "time"

// SurveyAuthor is the author name of the message that asks a survey's
// question: written by nobody (author 0), it is Parley's, and reports tell
// it from the team's replies by it.
const SurveyAuthor = "Survey"

// Survey is a satisfaction survey sent to a customer after their
// conversation was resolved, and their answer.
type Survey struct {
	ID             ID         `json:"id"`
	WorkspaceID    ID         `json:"workspace_id"`
	ConversationID ID         `json:"conversation_id"`
	ContactID      ID         `json:"contact_id"`
	AgentID        ID         `json:"agent_id"`
	TeamID         ID         `json:"team_id"`
	Channel        Channel    `json:"channel"`
	TokenHash      []byte     `json:"-"`
	SentAt         time.Time  `json:"sent_at"`
	Score          int        `json:"score,omitempty"` // 1–5; 0 unanswered
	Comment        string     `json:"comment,omitempty"`
	AnsweredAt     *time.Time `json:"answered_at,omitempty"`
}

// MaxSurveyComment bounds a survey comment.
const MaxSurveyComment = 2000

// CSATReportRow is one group of a satisfaction report.
type CSATReportRow struct {
	Key      string  `json:"key"` // an agent or team id, a channel, or a day
	Sent     int     `json:"sent"`
	Answered int     `json:"answered"`
	AvgScore float64 `json:"avg_score"` // of the answered
	// Satisfied is the share of answers scoring 4 or 5: the usual CSAT.
	Satisfied float64 `json:"satisfied"`
}
