package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

const conversationCols = `id, workspace_id, inbox_id, channel, contact_id, status, snoozed_until, assignee_id, team_id, tags, subject,
	priority, priority_reasons, first_response_due, next_response_due, resolution_due, linked_id, waiting_since,
	last_activity_at, message_count, created_at, updated_at, kind, language, mood, topics, priority_inputs, sla, auto_assigned, escalation_team_id`

func scanConversation(sc interface{ Scan(...any) error }) (*care.Conversation, error) {
	var c care.Conversation
	var ch, status, tags, reasons, kind, mood, topics, inputs, sla string
	var snoozed, frd, nrd, rd, waiting sql.NullInt64
	var last, created, updated, auto int64
	if err := sc.Scan(&c.ID, &c.WorkspaceID, &c.InboxID, &ch, &c.ContactID, &status, &snoozed, &c.AssigneeID, &c.TeamID, &tags, &c.Subject,
		&c.Priority, &reasons, &frd, &nrd, &rd, &c.LinkedID, &waiting, &last, &c.MessageCount, &created, &updated,
		&kind, &c.Language, &mood, &topics, &inputs, &sla, &auto, &c.EscalationTeamID); err != nil {
		return nil, err
	}
	c.Kind, c.Mood, c.AutoAssigned = care.WorkKind(kind), care.Mood(mood), auto != 0
	if sla != "" {
		c.SLA = []byte(sla)
	}
	if err := decodeStrings(topics, &c.Topics); err != nil {
		return nil, fmt.Errorf("decode topics: %w", err)
	}
	if inputs != "{}" {
		if err := json.Unmarshal([]byte(inputs), &c.PriorityInputs); err != nil {
			return nil, fmt.Errorf("decode priority inputs: %w", err)
		}
	}
	c.Channel, c.Status = care.Channel(ch), care.Status(status)
	c.SnoozedUntil, c.FirstResponseDue, c.NextResponseDue, c.ResolutionDue, c.WaitingSince =
		timePtr(snoozed), timePtr(frd), timePtr(nrd), timePtr(rd), timePtr(waiting)
	c.LastActivityAt, c.CreatedAt, c.UpdatedAt = fromMicros(last), fromMicros(created), fromMicros(updated)
	if err := decodeStrings(tags, &c.Tags); err != nil {
		return nil, fmt.Errorf("decode tags: %w", err)
	}
	if err := decodeStrings(reasons, &c.PriorityReasons); err != nil {
		return nil, fmt.Errorf("decode priority reasons: %w", err)
	}
	return &c, nil
}

// decodeStrings decodes a JSON array of strings. Most stored lists are
// empty, and reading a conversation is on every message's path.
func decodeStrings(s string, dst *[]string) error {
	if s == "[]" {
		*dst = []string{}
		return nil
	}
	return json.Unmarshal([]byte(s), dst)
}

// normalizeTags cleans, de-duplicates and sorts tags, rejecting bad ones.
func normalizeTags(in []string) ([]string, error) {
	if len(in) > care.MaxTagsPerItem {
		return nil, care.Errorf(care.EINVALID, "At most %d tags.", care.MaxTagsPerItem)
	}
	seen := map[string]bool{}
	out := []string{}
	for _, t := range in {
		n := care.NormalizeTag(t)
		if n == "" {
			return nil, care.Errorf(care.EINVALID, "Tag %q is empty, too long, or contains a comma or control character.", t)
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}

func jsonStrings(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (q queries) CreateConversation(ctx context.Context, c *care.Conversation) error {
	tags, err := normalizeTags(c.Tags)
	if err != nil {
		return err
	}
	if c.Status == "" {
		c.Status = care.StatusOpen
	}
	if !c.Status.Valid() {
		return care.Errorf(care.EINVALID, "Unknown status %q.", c.Status)
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now()
	}
	c.CreatedAt = fromMicros(micros(c.CreatedAt))
	if c.LastActivityAt.IsZero() {
		c.LastActivityAt = c.CreatedAt
	}
	c.LastActivityAt = fromMicros(micros(c.LastActivityAt))
	c.UpdatedAt = c.CreatedAt
	c.Tags = tags
	if c.PriorityReasons == nil {
		c.PriorityReasons = []string{}
	}
	if c.Topics == nil {
		c.Topics = []string{}
	}
	if c.Kind == "" {
		c.Kind = care.KindOf(c.Channel)
	}
	if !c.Kind.Valid() {
		return care.Errorf(care.EINVALID, "Unknown kind of work %q.", c.Kind)
	}
	inputs, err := encodeInputs(c.PriorityInputs)
	if err != nil {
		return err
	}
	return q.inTx(ctx, func(q queries) error {
		id, err := q.insert(ctx, `INSERT INTO conversations (workspace_id, inbox_id, channel, contact_id, status, snoozed_until, assignee_id, team_id, tags, subject,
			priority, priority_reasons, first_response_due, next_response_due, resolution_due, linked_id, waiting_since, last_activity_at, message_count, created_at, updated_at,
			kind, language, mood, topics, priority_inputs, sla, auto_assigned, escalation_team_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.WorkspaceID, c.InboxID, string(c.Channel), c.ContactID, string(c.Status), nullMicros(c.SnoozedUntil), c.AssigneeID, c.TeamID,
			jsonStrings(tags), c.Subject, c.Priority, jsonStrings(c.PriorityReasons), nullMicros(c.FirstResponseDue), nullMicros(c.NextResponseDue),
			nullMicros(c.ResolutionDue), c.LinkedID, nullMicros(c.WaitingSince), micros(c.LastActivityAt), c.MessageCount, micros(c.CreatedAt), micros(c.UpdatedAt),
			string(c.Kind), c.Language, string(c.Mood), jsonStrings(c.Topics), inputs, string(c.SLA), b2i(c.AutoAssigned), c.EscalationTeamID)
		if err != nil {
			return q.wrap(err, "conversation")
		}
		c.ID = id
		// A new conversation has no tags to replace.
		return q.insertTags(ctx, id, tags)
	})
}

func (q queries) writeTags(ctx context.Context, id care.ID, tags []string) error {
	if _, err := q.exec(ctx, `DELETE FROM conversation_tags WHERE conversation_id = ?`, id); err != nil {
		return q.wrap(err, "tags")
	}
	return q.insertTags(ctx, id, tags)
}

func (q queries) insertTags(ctx context.Context, id care.ID, tags []string) error {
	for _, t := range tags {
		if _, err := q.exec(ctx, `INSERT INTO conversation_tags (conversation_id, tag) VALUES (?, ?)`, id, t); err != nil {
			return q.wrap(err, "tag")
		}
	}
	return nil
}

func (q queries) Conversation(ctx context.Context, id care.ID) (*care.Conversation, error) {
	c, err := scanConversation(q.row(ctx, `SELECT `+conversationCols+` FROM conversations WHERE id = ?`, id))
	return c, q.wrap(err, "conversation")
}

func (q queries) ActiveConversation(ctx context.Context, inboxID, contactID care.ID) (*care.Conversation, error) {
	// MAX(id) over conversations_contact rather than ORDER BY id DESC
	// LIMIT 1, which SQLite sorts in a temporary b-tree: the index orders
	// a contact's conversations by status before id.
	c, err := scanConversation(q.row(ctx, `SELECT `+conversationCols+` FROM conversations WHERE id =
		(SELECT MAX(id) FROM conversations WHERE contact_id = ? AND inbox_id = ? AND status <> 'resolved')`, contactID, inboxID))
	return c, q.wrap(err, "conversation")
}

func (q queries) ActiveConversationsOf(ctx context.Context, inboxID care.ID, contactIDs []care.ID) (map[care.ID]*care.Conversation, error) {
	found := make(map[care.ID]*care.Conversation, len(contactIDs))
	err := inChunks(contactIDs, func(chunk []care.ID) error {
		var rows *sql.Rows
		var err error
		if q.d.Arrays {
			rows, err = q.query(ctx, `SELECT c.* FROM unnest(?::bigint[]) AS k(v) CROSS JOIN LATERAL
				(SELECT `+conversationCols+` FROM conversations WHERE contact_id = k.v AND inbox_id = ? AND status <> 'resolved'
					ORDER BY id DESC LIMIT 1`+q.d.ForUpdate+`) c`, chunk, inboxID)
		} else {
			args, in := inList([]any{inboxID}, chunk)
			rows, err = q.query(ctx, `SELECT `+conversationCols+` FROM conversations WHERE id IN
				(SELECT MAX(id) FROM conversations WHERE inbox_id = ? AND status <> 'resolved' AND contact_id IN (`+in+`) GROUP BY contact_id)`+q.d.ForUpdate, args...)
		}
		if err != nil {
			return q.wrap(err, "conversations")
		}
		list, err := collect(rows, scanConversation, q, "conversations")
		for i := range list {
			found[list[i].ContactID] = &list[i]
		}
		return err
	})
	return found, err
}

// cursor is the position after the last row of a page: the sort key and id.
type cursor struct {
	key float64
	id  care.ID
}

func encodeCursor(s care.Sort, key float64, id care.ID) string {
	raw := string(s) + "|" + strconv.FormatFloat(key, 'g', -1, 64) + "|" + strconv.FormatInt(id, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeCursor(s care.Sort, v string) (cursor, error) {
	bad := care.Errorf(care.EINVALID, "The cursor is not one this list returned; start again without it.")
	if len(v) > 200 {
		return cursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return cursor{}, bad
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 || parts[0] != string(s) {
		return cursor{}, bad
	}
	key, err1 := strconv.ParseFloat(parts[1], 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || math.IsNaN(key) {
		return cursor{}, bad
	}
	return cursor{key, id}, nil
}

// DefaultPageSize and MaxPageSize bound a conversation list page.
const (
	DefaultPageSize = 50
	MaxPageSize     = 100
	// MaxCount is where CountConversations stops counting.
	MaxCount = 1000
)

// noWait sorts conversations nobody is waiting on after all waiting ones.
// Migration 0004 indexes COALESCE(waiting_since, 4611686018427387904): the
// two must stay the same number.
const noWait = int64(1) << 62

func (q queries) Conversations(ctx context.Context, f care.ConversationFilter) (*care.ConversationPage, error) {
	if f.Sort == "" {
		f.Sort = care.SortNewest
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)

	where, args := conversationWhere(f)
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }

	var keyExpr, order string
	switch f.Sort {
	case care.SortNewest:
		keyExpr, order = "last_activity_at", "DESC"
	case care.SortPriority:
		keyExpr, order = "priority", "DESC"
	case care.SortWaiting:
		keyExpr, order = fmt.Sprintf("COALESCE(waiting_since, %d)", noWait), "ASC"
	default:
		return nil, care.Errorf(care.EINVALID, "Unknown sort %q; use newest, priority or waiting.", f.Sort)
	}
	if f.After != "" {
		c, err := decodeCursor(f.Sort, f.After)
		if err != nil {
			return nil, err
		}
		cmp := "<"
		if order == "ASC" {
			cmp = ">"
		}
		// Integer keys are compared as integers so an index on them is used
		// and microsecond values do not round through floating point.
		var key any = c.key
		if f.Sort != care.SortPriority {
			key = int64(c.key)
		}
		add(fmt.Sprintf("(%s %s ? OR (%s = ? AND id %s ?))", keyExpr, cmp, keyExpr, cmp), key, key, c.id)
	}
	query := `SELECT ` + conversationCols + ` FROM conversations WHERE ` + strings.Join(where, " AND ") +
		fmt.Sprintf(" ORDER BY %s %s, id %s LIMIT %d", keyExpr, order, order, limit+1)
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, q.wrap(err, "conversations")
	}
	list, err := collect(rows, scanConversation, q, "conversations")
	if err != nil {
		return nil, err
	}
	page := &care.ConversationPage{Conversations: list}
	if len(list) > limit {
		page.Conversations = list[:limit]
		last := list[limit-1]
		var key float64
		switch f.Sort {
		case care.SortNewest:
			key = float64(micros(last.LastActivityAt))
		case care.SortPriority:
			key = last.Priority
		case care.SortWaiting:
			key = float64(noWait)
			if last.WaitingSince != nil {
				key = float64(micros(*last.WaitingSince))
			}
		}
		page.Next = encodeCursor(f.Sort, key, last.ID)
	}
	return page, nil
}

func (q queries) UpdateConversation(ctx context.Context, id care.ID, u care.ConversationUpdate, now time.Time) (*care.Conversation, error) {
	var out *care.Conversation
	err := q.inTx(ctx, func(q queries) error {
		c, err := q.Conversation(ctx, id)
		if err != nil {
			return err
		}
		if u.Status != nil {
			if !u.Status.Valid() {
				return care.Errorf(care.EINVALID, "Unknown status %q; use open, pending, snoozed or resolved.", *u.Status)
			}
			c.Status = *u.Status
			if c.Status != care.StatusSnoozed {
				c.SnoozedUntil = nil
			}
		}
		if u.SnoozedUntil != nil {
			t := fromMicros(micros(*u.SnoozedUntil))
			c.SnoozedUntil = &t
		}
		if c.Status == care.StatusSnoozed && c.SnoozedUntil == nil {
			return care.Errorf(care.EINVALID, "A snoozed conversation needs snoozed_until.")
		}
		if u.AssigneeID != nil {
			c.AssigneeID = *u.AssigneeID
			c.AutoAssigned = u.AutoAssigned != nil && *u.AutoAssigned && c.AssigneeID != 0
		}
		if u.EscalationTeamID != nil {
			c.EscalationTeamID = *u.EscalationTeamID
		}
		if u.SLA != nil {
			c.SLA = u.SLA.State
			c.FirstResponseDue, c.NextResponseDue, c.ResolutionDue = roundPtr(u.SLA.FirstResponseDue), roundPtr(u.SLA.NextResponseDue), roundPtr(u.SLA.ResolutionDue)
		}
		if u.TeamID != nil {
			c.TeamID = *u.TeamID
		}
		if u.Tags != nil {
			if c.Tags, err = normalizeTags(*u.Tags); err != nil {
				return err
			}
			if err := q.writeTags(ctx, id, c.Tags); err != nil {
				return err
			}
		}
		if u.Status != nil && c.Status != care.StatusOpen {
			// Priority says whom to answer next (triage.Rank), and nobody
			// is to be answered in a conversation that is not open,
			// whoever set its status: an agent, a rule, the API. Without
			// this a rule's resolve kept the old score and its "waiting"
			// reason, which the every-minute recompute never revisits.
			c.Priority, c.PriorityReasons = 0, []string{}
		}
		if u.Priority != nil {
			c.Priority = *u.Priority
		}
		if u.Reasons != nil {
			c.PriorityReasons = *u.Reasons
		}
		c.UpdatedAt = fromMicros(micros(now))
		_, err = q.exec(ctx, `UPDATE conversations SET status = ?, snoozed_until = ?, assignee_id = ?, team_id = ?, tags = ?,
			priority = ?, priority_reasons = ?, updated_at = ?, auto_assigned = ?, escalation_team_id = ?,
			sla = ?, first_response_due = ?, next_response_due = ?, resolution_due = ? WHERE id = ?`,
			string(c.Status), nullMicros(c.SnoozedUntil), c.AssigneeID, c.TeamID, jsonStrings(c.Tags),
			c.Priority, jsonStrings(c.PriorityReasons), micros(c.UpdatedAt), b2i(c.AutoAssigned), c.EscalationTeamID,
			string(c.SLA), nullMicros(c.FirstResponseDue), nullMicros(c.NextResponseDue), nullMicros(c.ResolutionDue), id)
		if err != nil {
			return q.wrap(err, "conversation")
		}
		out = c
		return nil
	})
	return out, err
}

func (q queries) SnoozedDue(ctx context.Context, now time.Time, limit int) ([]care.Conversation, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := q.query(ctx, `SELECT `+conversationCols+` FROM conversations
		WHERE status = 'snoozed' AND snoozed_until <= ? ORDER BY snoozed_until, id LIMIT ?`, micros(now), limit)
	if err != nil {
		return nil, q.wrap(err, "conversations")
	}
	return collect(rows, scanConversation, q, "conversations")
}

func (q queries) LinkConversations(ctx context.Context, publicID, privateID care.ID) error {
	if publicID == privateID {
		return care.Errorf(care.EINVALID, "A conversation cannot be linked to itself.")
	}
	return q.inTx(ctx, func(q queries) error {
		if err := q.affectOne(ctx, "conversation", `UPDATE conversations SET linked_id = ? WHERE id = ?`, privateID, publicID); err != nil {
			return err
		}
		return q.affectOne(ctx, "conversation", `UPDATE conversations SET linked_id = ? WHERE id = ?`, publicID, privateID)
	})
}

// roundPtr keeps a time at the microsecond precision it is stored at, so
// what UpdateConversation returns equals what a later read returns.
func roundPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	r := fromMicros(micros(*t))
	return &r
}

func encodeInputs(in care.PriorityInputs) (string, error) {
	if in == (care.PriorityInputs{}) {
		return "{}", nil
	}
	b, err := care.EncodeJSON(&in)
	if err != nil {
		return "", fmt.Errorf("sqlstore: encode priority inputs: %w", err)
	}
	return string(b), nil
}

// conversationWhere is the WHERE clause of a list's filters, without its
// cursor.
func conversationWhere(f care.ConversationFilter) ([]string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	add("workspace_id = ?", f.WorkspaceID)
	if len(f.Statuses) > 0 {
		ss := make([]any, len(f.Statuses))
		for i, s := range f.Statuses {
			ss[i] = string(s)
		}
		add("status IN ("+placeholders(len(ss))+")", ss...)
	}
	switch {
	case f.AssigneeID == -1:
		add("assignee_id = 0")
	case f.AssigneeID != 0:
		add("assignee_id = ?", f.AssigneeID)
	}
	if f.TeamID != 0 {
		// A team sees what it owns and what was escalated to it. The OR
		// leaves the plan as it was with team_id alone: SQLite and
		// PostgreSQL walk the workspace's status (or priority, or waiting)
		// index in the list's order and test each row, stopping at the page.
		add("(team_id = ? OR escalation_team_id = ?)", f.TeamID, f.TeamID)
	}
	if f.InboxID != 0 {
		add("inbox_id = ?", f.InboxID)
	}
	if f.ContactID != 0 {
		add("contact_id = ?", f.ContactID)
	}
	if f.Channel != "" {
		add("channel = ?", string(f.Channel))
	}
	if f.Tag != "" {
		add("id IN (SELECT conversation_id FROM conversation_tags WHERE tag = ?)", care.NormalizeTag(f.Tag))
	}
	if f.MinPriority != nil {
		add("priority >= ?", *f.MinPriority)
	}
	if f.MaxPriority != nil {
		add("priority <= ?", *f.MaxPriority)
	}
	if sc := f.Scope; sc != nil {
		// A partner's view: their teams' conversations and their own. Like
		// the team filter, a test on each row of the list's index walk.
		var conds []string
		var a []any
		if sc.UserID != 0 {
			conds, a = append(conds, "assignee_id = ?"), append(a, sc.UserID)
		}
		if len(sc.Teams) > 0 {
			in := placeholders(len(sc.Teams))
			conds = append(conds, "team_id IN ("+in+")", "escalation_team_id IN ("+in+")")
			for range 2 {
				for _, t := range sc.Teams {
					a = append(a, t)
				}
			}
		}
		if len(conds) == 0 {
			conds = []string{"1 = 0"}
		}
		add("("+strings.Join(conds, " OR ")+")", a...)
	}
	return where, args
}

func (q queries) CountConversations(ctx context.Context, f care.ConversationFilter, limit int) (int, error) {
	if limit <= 0 || limit > MaxCount {
		limit = MaxCount
	}
	where, args := conversationWhere(f)
	// Counting stops at limit: a view's badge says "1000+" rather than
	// scanning a million rows for a number nobody reads.
	var n int
	err := q.row(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM conversations WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` LIMIT %d) AS c`, limit), args...).Scan(&n)
	return n, q.wrap(err, "conversations")
}
