package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

const surveyCols = `id, workspace_id, conversation_id, contact_id, agent_id, team_id, channel, token_hash, sent_at, score, comment, answered_at`

func scanSurvey(sc interface{ Scan(...any) error }) (*care.Survey, error) {
	var s care.Survey
	var ch string
	var sent int64
	var answered sql.NullInt64
	if err := sc.Scan(&s.ID, &s.WorkspaceID, &s.ConversationID, &s.ContactID, &s.AgentID, &s.TeamID, &ch, &s.TokenHash,
		&sent, &s.Score, &s.Comment, &answered); err != nil {
		return nil, err
	}
	s.Channel, s.SentAt, s.AnsweredAt = care.Channel(ch), fromMicros(sent), timePtr(answered)
	return &s, nil
}

func (q queries) CreateSurvey(ctx context.Context, sv *care.Survey) error {
	if len(sv.TokenHash) == 0 {
		return care.Errorf(care.EINVALID, "A survey needs a token.")
	}
	sv.SentAt = fromMicros(micros(sv.SentAt))
	id, err := q.insert(ctx, `INSERT INTO surveys (workspace_id, conversation_id, contact_id, agent_id, team_id, channel, token_hash, sent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, sv.WorkspaceID, sv.ConversationID, sv.ContactID, sv.AgentID, sv.TeamID, string(sv.Channel), sv.TokenHash, micros(sv.SentAt))
	if err != nil {
		return q.wrap(err, "survey")
	}
	sv.ID = id
	return nil
}

func (q queries) SurveyByToken(ctx context.Context, hash []byte) (*care.Survey, error) {
	s, err := scanSurvey(q.row(ctx, `SELECT `+surveyCols+` FROM surveys WHERE token_hash = ?`, hash))
	return s, q.wrap(err, "survey")
}

func (q queries) OpenSurvey(ctx context.Context, workspaceID, contactID care.ID, channel care.Channel, since time.Time) (*care.Survey, error) {
	s, err := scanSurvey(q.row(ctx, `SELECT `+surveyCols+` FROM surveys WHERE workspace_id = ? AND contact_id = ? AND channel = ?
		AND answered_at IS NULL AND sent_at >= ? ORDER BY sent_at DESC, id DESC LIMIT 1`, workspaceID, contactID, string(channel), micros(since)))
	return s, q.wrap(err, "survey")
}

func (q queries) ConversationSurvey(ctx context.Context, conversationID care.ID) (*care.Survey, error) {
	s, err := scanSurvey(q.row(ctx, `SELECT `+surveyCols+` FROM surveys WHERE conversation_id = ? ORDER BY id DESC LIMIT 1`, conversationID))
	return s, q.wrap(err, "survey")
}

func (q queries) AnswerSurvey(ctx context.Context, id care.ID, score int, comment string, at time.Time) (*care.Survey, error) {
	comment = strings.TrimSpace(comment)
	switch {
	case score < 1 || score > 5:
		return nil, care.Errorf(care.EINVALID, "A score is from 1 to 5.")
	case len(comment) > care.MaxSurveyComment || !utf8.ValidString(comment) || strings.IndexByte(comment, 0) >= 0:
		return nil, care.Errorf(care.EINVALID, "A comment is text of at most %d bytes.", care.MaxSurveyComment)
	}
	var out *care.Survey
	err := q.inTx(ctx, func(q queries) error {
		res, err := q.exec(ctx, `UPDATE surveys SET score = ?, comment = ?, answered_at = ? WHERE id = ? AND answered_at IS NULL`,
			score, comment, micros(at), id)
		if err != nil {
			return q.wrap(err, "survey")
		}
		n, err := res.RowsAffected()
		if err != nil {
			return q.wrap(err, "survey")
		}
		s, err := scanSurvey(q.row(ctx, `SELECT `+surveyCols+` FROM surveys WHERE id = ?`, id))
		if err != nil {
			return q.wrap(err, "survey")
		}
		if n == 0 {
			return care.Errorf(care.ECONFLICT, "This survey was already answered.")
		}
		out = s
		return nil
	})
	return out, err
}

func (q queries) LastSurveyAt(ctx context.Context, workspaceID, contactID care.ID) (*time.Time, error) {
	var v sql.NullInt64
	if err := q.row(ctx, `SELECT MAX(sent_at) FROM surveys WHERE workspace_id = ? AND contact_id = ?`, workspaceID, contactID).Scan(&v); err != nil {
		return nil, q.wrap(err, "survey")
	}
	return timePtr(v), nil
}

var csatGroups = map[string]string{
	"agent":   "agent_id",
	"team":    "team_id",
	"channel": "channel",
	"day":     "sent_at / 86400000000",
}

func (q queries) CSATReport(ctx context.Context, workspaceID care.ID, from, to time.Time, by string) ([]care.CSATReportRow, error) {
	col, ok := csatGroups[by]
	if !ok {
		return nil, care.Errorf(care.EINVALID, "A satisfaction report groups by agent, team, channel or day, not %q.", by)
	}
	order := "COUNT(*) DESC, 1"
	if by == "day" {
		order = "1"
	}
	rows, err := q.query(ctx, `SELECT `+col+`, COUNT(*), COUNT(answered_at), COALESCE(SUM(score), 0),
		SUM(CASE WHEN score >= 4 THEN 1 ELSE 0 END) FROM surveys
		WHERE workspace_id = ? AND sent_at >= ? AND sent_at < ? GROUP BY `+col+` ORDER BY `+order,
		workspaceID, micros(from), micros(to))
	if err != nil {
		return nil, q.wrap(err, "satisfaction report")
	}
	defer rows.Close()
	out := []care.CSATReportRow{}
	for rows.Next() {
		var key any
		var r care.CSATReportRow
		var sum, happy int64
		if err := rows.Scan(&key, &r.Sent, &r.Answered, &sum, &happy); err != nil {
			return nil, q.wrap(err, "satisfaction report")
		}
		r.Key = groupKey(key, by == "day")
		if r.Answered > 0 {
			r.AvgScore = float64(sum) / float64(r.Answered)
			r.Satisfied = float64(happy) / float64(r.Answered)
		}
		out = append(out, r)
	}
	return out, q.wrap(rows.Err(), "satisfaction report")
}

// groupKey renders a report's group value: a day number as its date.
func groupKey(key any, day bool) string {
	var s string
	switch k := key.(type) {
	case []byte:
		s = string(k)
	case string:
		s = k
	default:
		s = fmt.Sprint(k)
	}
	if day {
		var n int64
		fmt.Sscan(s, &n)
		s = time.Unix(n*86400, 0).UTC().Format(time.DateOnly)
	}
	return s
}
