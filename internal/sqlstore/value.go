package sqlstore

import (
	"context"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// valueGroups are the columns a business case report groups by; the map
// keeps user input out of the SQL.
var valueGroups = map[string]string{
	"channel": "c.channel",
	"team":    "c.team_id",
}

func (q queries) ValueReport(ctx context.Context, workspaceID care.ID, from, to time.Time, by string) ([]care.ValueReportRow, error) {
	col, ok := valueGroups[by]
	if !ok {
		return nil, care.Errorf(care.EINVALID, "A business case report groups by channel or team, not %.40q.", by)
	}
	out := []care.ValueReportRow{}
	if !to.After(from) {
		return out, nil
	}
	// The period's conversations lie between two bisected ids, so a
	// report on last quarter reads last quarter, not the table from there
	// on. Ids below the upper bound's own bisection by up to idSlack may
	// still be older than to (firstIDFrom widens by it downwards), hence
	// twice the slack above.
	lo, err := q.firstIDFrom(ctx, "conversations", from)
	if err != nil {
		return nil, err
	}
	hi, err := q.firstIDFrom(ctx, "conversations", to)
	if err != nil {
		return nil, err
	}
	hi += 2 * idSlack

	// One row per conversation, its replies counted through the messages'
	// conversation index. A reply is what the customer saw: not a note,
	// nor a reply held for approval, rejected or failed. The survey is an
	// outbound private message too, written by nobody (author 0, named
	// care.SurveyAuthor) at the instant its survey was stored; it is the
	// question, not a reply, and would make every surveyed conversation
	// look like two touches. (A rule's reply sent in the same instant is
	// author 0 as well, but under the rule's name.) The conversations are first
	// grouped with their count of replies, so that the count is taken
	// once per conversation: SQLite would otherwise take it once for each
	// sum that reads it.
	rows, err := q.query(ctx, `SELECT k, SUM(n), SUM(res * n), SUM(CASE WHEN res = 1 AND replies = 1 THEN n ELSE 0 END),
		SUM(replies * n), SUM(neg * n), SUM(res * neg * n)
		FROM (SELECT k, res, neg, replies, COUNT(*) AS n
			FROM (SELECT `+col+` AS k,
				CASE WHEN c.status = 'resolved' THEN 1 ELSE 0 END AS res,
				CASE WHEN c.mood = 'negative' THEN 1 ELSE 0 END AS neg,
				(SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'out' AND m.visibility <> 'note'
					AND m.status NOT IN ('pending_approval', 'rejected', 'failed')
					AND NOT (m.author_id = 0 AND m.author_name = ? AND EXISTS (SELECT 1 FROM surveys s WHERE s.workspace_id = m.workspace_id
						AND s.sent_at = m.created_at AND s.conversation_id = m.conversation_id))) AS replies
				FROM conversations c
				WHERE c.id >= ? AND c.id < ? AND +c.workspace_id = ? AND c.created_at >= ? AND c.created_at < ?) t
			GROUP BY k, res, neg, replies) g
		GROUP BY k ORDER BY SUM(n) DESC, 1`,
		care.SurveyAuthor, lo, hi, workspaceID, micros(from), micros(to))
	if err != nil {
		return nil, q.wrap(err, "business case report")
	}
	defer rows.Close()
	index := map[string]int{}
	for rows.Next() {
		var key any
		var r care.ValueReportRow
		if err := rows.Scan(&key, &r.Contacts, &r.Resolved, &r.OneTouch, &r.Replies, &r.Negative, &r.NegativeResolved); err != nil {
			return nil, q.wrap(err, "business case report")
		}
		r.Key = groupKey(key, false)
		index[r.Key] = len(out)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, q.wrap(err, "business case report")
	}
	rows.Close()

	// Surveys have no index by conversation, but one by time, and a
	// survey is sent when its conversation is resolved, after it was
	// created: the period's conversations' surveys were all sent since
	// from. CROSS JOIN keeps SQLite reading surveys first.
	srows, err := q.query(ctx, `SELECT `+col+`, COUNT(*), COALESCE(SUM(s.score), 0), SUM(CASE WHEN s.score >= 4 THEN 1 ELSE 0 END)
		FROM surveys s CROSS JOIN conversations c
		WHERE s.workspace_id = ? AND s.sent_at >= ? AND s.answered_at IS NOT NULL
			AND c.id = s.conversation_id AND +c.workspace_id = ? AND c.created_at >= ? AND c.created_at < ?
		GROUP BY `+col,
		workspaceID, micros(from), workspaceID, micros(from), micros(to))
	if err != nil {
		return nil, q.wrap(err, "business case report")
	}
	defer srows.Close()
	for srows.Next() {
		var key any
		var answered, sum, happy int
		if err := srows.Scan(&key, &answered, &sum, &happy); err != nil {
			return nil, q.wrap(err, "business case report")
		}
		// A group the first read did not see (its conversations were
		// stored between the two reads) is left out, not shown with
		// surveys and no contacts.
		if i, ok := index[groupKey(key, false)]; ok {
			out[i].SurveysAnswered, out[i].ScoreSum, out[i].Satisfied = answered, sum, happy
		}
	}
	return out, q.wrap(srows.Err(), "business case report")
}
