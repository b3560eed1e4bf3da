package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func (q queries) Agents(ctx context.Context, workspaceID care.ID) ([]care.Agent, error) {
	rows, err := q.query(ctx, `SELECT m.user_id, u.name, m.role, m.presence, m.presence_at, m.skills, m.capacity, m.last_assigned_at
		FROM members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ? AND u.disabled = 0 ORDER BY m.user_id`, workspaceID)
	if err != nil {
		return nil, q.wrap(err, "agents")
	}
	agents, err := collect(rows, func(sc interface{ Scan(...any) error }) (*care.Agent, error) {
		a := care.Agent{WorkspaceID: workspaceID, TeamIDs: []care.ID{}, Load: map[care.WorkKind]int{}}
		var role, presence, skills, capacity string
		var at, last int64
		if err := sc.Scan(&a.UserID, &a.Name, &role, &presence, &at, &skills, &capacity, &last); err != nil {
			return nil, err
		}
		a.Role, a.Presence = care.Role(role), care.Presence(presence)
		// 0 is never: the zero time, which the API leaves out, not 1970.
		if at != 0 {
			a.PresenceAt = fromMicros(at)
		}
		if last != 0 {
			a.LastAssignedAt = fromMicros(last)
		}
		if err := decodeProfile(skills, capacity, &a); err != nil {
			return nil, err
		}
		return &a, nil
	}, q, "agents")
	if err != nil {
		return nil, err
	}
	byID := make(map[care.ID]*care.Agent, len(agents))
	for i := range agents {
		byID[agents[i].UserID] = &agents[i]
	}
	// "> 0", not "<> 0": a range the queue index can seek, so the
	// unassigned open conversations (the queue, possibly thousands) are
	// not read to count the assigned ones. Routing asks after every
	// ingest pass.
	rows, err = q.query(ctx, `SELECT assignee_id, kind, COUNT(*) FROM conversations
		WHERE workspace_id = ? AND status = 'open' AND assignee_id > 0 GROUP BY assignee_id, kind`, workspaceID)
	if err != nil {
		return nil, q.wrap(err, "agent load")
	}
	defer rows.Close()
	for rows.Next() {
		var id care.ID
		var kind string
		var n int
		if err := rows.Scan(&id, &kind, &n); err != nil {
			return nil, q.wrap(err, "agent load")
		}
		if a := byID[id]; a != nil {
			a.Load[care.WorkKind(kind)] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, q.wrap(err, "agent load")
	}
	rows, err = q.query(ctx, `SELECT tm.user_id, tm.team_id FROM team_members tm JOIN teams t ON t.id = tm.team_id
		WHERE t.workspace_id = ? ORDER BY tm.team_id`, workspaceID)
	if err != nil {
		return nil, q.wrap(err, "agent teams")
	}
	defer rows.Close()
	for rows.Next() {
		var user, team care.ID
		if err := rows.Scan(&user, &team); err != nil {
			return nil, q.wrap(err, "agent teams")
		}
		if a := byID[user]; a != nil {
			a.TeamIDs = append(a.TeamIDs, team)
		}
	}
	return agents, q.wrap(rows.Err(), "agent teams")
}

// decodeProfile reads a member's skills and capacity; a capacity never set
// is the default one.
func decodeProfile(skills, capacity string, a *care.Agent) error {
	if err := json.Unmarshal([]byte(skills), &a.Skills); err != nil {
		return fmt.Errorf("decode skills: %w", err)
	}
	a.Capacity = care.DefaultCapacity()
	if capacity != "{}" {
		if err := json.Unmarshal([]byte(capacity), &a.Capacity); err != nil {
			return fmt.Errorf("decode capacity: %w", err)
		}
	}
	return nil
}

// maxSkills bounds each list of a skill set.
const maxSkills = 50

// normalizeSkills lower-cases, trims, de-duplicates and bounds a skill set.
func normalizeSkills(s care.Skills) (care.Skills, error) {
	clean := func(what string, in []string) ([]string, error) {
		if len(in) > maxSkills {
			return nil, care.Errorf(care.EINVALID, "At most %d %s.", maxSkills, what)
		}
		out := []string{}
		for _, v := range in {
			v = strings.ToLower(strings.TrimSpace(v))
			if v == "" || len(v) > 64 {
				return nil, care.Errorf(care.EINVALID, "Each of the %s must be 1 to 64 characters.", what)
			}
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		slices.Sort(out)
		return out, nil
	}
	var err error
	if s.Languages, err = clean("languages", s.Languages); err != nil {
		return s, err
	}
	if s.Channels, err = clean("channels", s.Channels); err != nil {
		return s, err
	}
	s.Topics, err = clean("topics", s.Topics)
	return s, err
}

func (q queries) AgentPresence(ctx context.Context, workspaceID, userID care.ID) (care.Presence, error) {
	var presence string
	err := q.row(ctx, `SELECT presence FROM members WHERE workspace_id = ? AND user_id = ?`, workspaceID, userID).Scan(&presence)
	if err != nil {
		return "", q.wrap(err, "member")
	}
	return care.Presence(presence), nil
}

func (q queries) UpdateAgent(ctx context.Context, workspaceID, userID care.ID, u care.AgentUpdate, now time.Time) (*care.Agent, error) {
	if u.Presence != nil && !u.Presence.Valid() {
		return nil, care.Errorf(care.EINVALID, "Unknown presence %q; use online, away or offline.", *u.Presence)
	}
	for k, n := range u.Capacity {
		if !k.Valid() {
			return nil, care.Errorf(care.EINVALID, "Unknown kind of work %q; use call, chat, social or email.", k)
		}
		if n < 0 || n > 100 {
			return nil, care.Errorf(care.EINVALID, "Capacity for %s must be between 0 and 100.", k)
		}
	}
	var skills care.Skills
	if u.Skills != nil {
		var err error
		if skills, err = normalizeSkills(*u.Skills); err != nil {
			return nil, err
		}
	}
	err := q.inTx(ctx, func(q queries) error {
		var presence, skillsJSON, capacityJSON string
		var at int64
		err := q.row(ctx, `SELECT presence, presence_at, skills, capacity FROM members WHERE workspace_id = ? AND user_id = ?`+q.d.ForUpdate,
			workspaceID, userID).Scan(&presence, &at, &skillsJSON, &capacityJSON)
		if err != nil {
			return q.wrap(err, "member")
		}
		if u.Presence != nil && string(*u.Presence) != presence {
			presence, at = string(*u.Presence), micros(now)
		}
		if u.Skills != nil {
			b, _ := json.Marshal(skills)
			skillsJSON = string(b)
		}
		if u.Capacity != nil {
			a := care.Agent{}
			if err := decodeProfile("{}", capacityJSON, &a); err != nil {
				return err
			}
			for k, n := range u.Capacity {
				a.Capacity[k] = n
			}
			b, _ := json.Marshal(a.Capacity)
			capacityJSON = string(b)
		}
		_, err = q.exec(ctx, `UPDATE members SET presence = ?, presence_at = ?, skills = ?, capacity = ? WHERE workspace_id = ? AND user_id = ?`,
			presence, at, skillsJSON, capacityJSON, workspaceID, userID)
		return q.wrap(err, "member")
	})
	if err != nil {
		return nil, err
	}
	agents, err := q.Agents(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	for i := range agents {
		if agents[i].UserID == userID {
			return &agents[i], nil
		}
	}
	return nil, care.Errorf(care.ENOTFOUND, "Member not found.")
}

func (q queries) WaitingConversations(ctx context.Context, workspaceID care.ID, limit int) ([]care.Waiting, error) {
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	// The preferred agent is whoever has the same customer's other open
	// conversation (they wrote on another channel): one person, one agent.
	rows, err := q.query(ctx, `SELECT c.id, c.kind, c.channel, c.team_id, c.language, c.topics, c.priority,
		c.first_response_due, c.next_response_due, COALESCE(c.waiting_since, c.created_at),
		COALESCE((SELECT o.assignee_id FROM conversations o WHERE o.contact_id = c.contact_id AND o.status <> 'resolved'
			AND o.assignee_id <> 0 AND o.id <> c.id ORDER BY o.last_activity_at DESC LIMIT 1), 0)
		FROM conversations c WHERE c.workspace_id = ? AND c.status = 'open' AND c.assignee_id = 0
		ORDER BY c.priority DESC, c.id LIMIT ?`, workspaceID, limit)
	if err != nil {
		return nil, q.wrap(err, "waiting conversations")
	}
	defer rows.Close()
	out := []care.Waiting{}
	for rows.Next() {
		w := care.Waiting{WorkspaceID: workspaceID}
		var kind, ch, topics string
		var frd, nrd sql.NullInt64
		var since int64
		if err := rows.Scan(&w.ConversationID, &kind, &ch, &w.TeamID, &w.Language, &topics, &w.Priority, &frd, &nrd, &since, &w.PreferredAgent); err != nil {
			return nil, q.wrap(err, "waiting conversations")
		}
		w.Kind, w.Channel, w.Since = care.WorkKind(kind), care.Channel(ch), fromMicros(since)
		if topics != "[]" {
			if err := json.Unmarshal([]byte(topics), &w.Topics); err != nil {
				return nil, fmt.Errorf("decode topics: %w", err)
			}
		}
		w.Due = earliest(timePtr(frd), timePtr(nrd))
		out = append(out, w)
	}
	return out, q.wrap(rows.Err(), "waiting conversations")
}

func earliest(a, b *time.Time) *time.Time {
	switch {
	case a == nil:
		return b
	case b == nil || a.Before(*b):
		return a
	}
	return b
}

func (q queries) ClaimConversation(ctx context.Context, conversationID, userID care.ID, now time.Time) (*care.Conversation, error) {
	var out *care.Conversation
	err := q.inTx(ctx, func(q queries) error {
		c, err := scanConversation(q.row(ctx, `SELECT `+conversationCols+` FROM conversations WHERE id = ?`+q.d.ForUpdate, conversationID))
		if err != nil {
			return q.wrap(err, "conversation")
		}
		if c.Status != care.StatusOpen || c.AssigneeID != 0 {
			return care.Errorf(care.ECONFLICT, "The conversation is no longer waiting.")
		}
		// Locking the agent's row serialises every claim for them across
		// nodes, so the count below cannot be outrun by another claim.
		var presence, capacity string
		err = q.row(ctx, `SELECT presence, capacity FROM members WHERE workspace_id = ? AND user_id = ?`+q.d.ForUpdate,
			c.WorkspaceID, userID).Scan(&presence, &capacity)
		if err != nil {
			return q.wrap(err, "member")
		}
		if care.Presence(presence) != care.PresenceOnline {
			return care.Errorf(care.ECONFLICT, "The agent is not online.")
		}
		a := care.Agent{}
		if err := decodeProfile("{}", capacity, &a); err != nil {
			return err
		}
		var load int
		if err := q.row(ctx, `SELECT COUNT(*) FROM conversations WHERE workspace_id = ? AND assignee_id = ? AND status = 'open' AND kind = ?`,
			c.WorkspaceID, userID, string(c.Kind)).Scan(&load); err != nil {
			return q.wrap(err, "agent load")
		}
		if load >= a.Capacity[c.Kind] {
			return care.Errorf(care.ECONFLICT, "The agent has no room for more %s work.", c.Kind)
		}
		at := micros(now)
		res, err := q.exec(ctx, `UPDATE conversations SET assignee_id = ?, auto_assigned = 1, updated_at = ?
			WHERE id = ? AND assignee_id = 0 AND status = 'open'`, userID, at, conversationID)
		if err != nil {
			return q.wrap(err, "conversation")
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return care.Errorf(care.ECONFLICT, "The conversation is no longer waiting.")
		}
		if _, err := q.exec(ctx, `UPDATE members SET last_assigned_at = ? WHERE workspace_id = ? AND user_id = ?`, at, c.WorkspaceID, userID); err != nil {
			return q.wrap(err, "member")
		}
		c.AssigneeID, c.AutoAssigned, c.UpdatedAt = userID, true, fromMicros(at)
		out = c
		return nil
	})
	return out, err
}

func (q queries) ReleaseConversations(ctx context.Context, workspaceID, userID care.ID, now time.Time) ([]care.ID, error) {
	var ids []care.ID
	err := q.inTx(ctx, func(q queries) error {
		rows, err := q.query(ctx, `SELECT id FROM conversations WHERE workspace_id = ? AND assignee_id = ? AND status = 'open'
			AND auto_assigned = 1 AND waiting_since IS NOT NULL ORDER BY id`+q.d.ForUpdate, workspaceID, userID)
		if err != nil {
			return q.wrap(err, "conversations")
		}
		if ids, err = collectIDs(rows, q); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := q.exec(ctx, `UPDATE conversations SET assignee_id = 0, auto_assigned = 0, updated_at = ? WHERE id = ?`, micros(now), id); err != nil {
				return q.wrap(err, "conversation")
			}
		}
		return nil
	})
	return ids, err
}

func (q queries) SetTriage(ctx context.Context, conversationID care.ID, t care.ConversationTriage, now time.Time) error {
	inputs, err := encodeInputs(t.Inputs)
	if err != nil {
		return err
	}
	var team care.ID
	if t.TeamID != nil {
		team = *t.TeamID
	}
	return q.affectOne(ctx, "conversation", `UPDATE conversations SET language = ?, mood = ?, topics = ?, priority_inputs = ?,
		priority = ?, priority_reasons = ?, team_id = CASE WHEN team_id = 0 THEN ? ELSE team_id END, updated_at = ? WHERE id = ?`,
		t.Language, string(t.Mood), jsonStrings(t.Topics), inputs, t.Priority, jsonStrings(t.Reasons), team, micros(now), conversationID)
}

func (q queries) ActiveConversations(ctx context.Context, afterID care.ID, limit int) ([]care.Conversation, error) {
	if limit <= 0 || limit > 5000 {
		limit = 5000
	}
	rows, err := q.query(ctx, `SELECT `+conversationCols+` FROM conversations WHERE id > ? AND status <> 'resolved' ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, q.wrap(err, "conversations")
	}
	return collect(rows, scanConversation, q, "conversations")
}

func (q queries) SetPriorities(ctx context.Context, ps []care.PriorityChange) error {
	return q.inTx(ctx, func(q queries) error {
		for _, p := range ps {
			if _, err := q.exec(ctx, `UPDATE conversations SET priority = ?, priority_reasons = ? WHERE id = ?`,
				p.Priority, jsonStrings(p.Reasons), p.ConversationID); err != nil {
				return q.wrap(err, "priority")
			}
		}
		return nil
	})
}

// validSettingName bounds setting names to what Parley itself uses.
func validSettingName(n string) bool {
	if n == "" || len(n) > 64 {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// maxSettingBytes bounds one setting document.
const maxSettingBytes = 1 << 20

func (q queries) Setting(ctx context.Context, workspaceID care.ID, name string) ([]byte, error) {
	var v string
	if err := q.row(ctx, `SELECT value FROM settings WHERE workspace_id = ? AND name = ?`, workspaceID, name).Scan(&v); err != nil {
		return nil, q.wrap(err, "setting")
	}
	return []byte(v), nil
}

func (q queries) SetSetting(ctx context.Context, workspaceID care.ID, name string, value []byte, now time.Time) error {
	if !validSettingName(name) {
		return care.Errorf(care.EINVALID, "Setting name %q is not valid.", name)
	}
	if len(value) > maxSettingBytes || !json.Valid(value) {
		return care.Errorf(care.EINVALID, "A setting must be a JSON document of at most %d bytes.", maxSettingBytes)
	}
	_, err := q.exec(ctx, `INSERT INTO settings (workspace_id, name, value, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (workspace_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		workspaceID, name, string(value), micros(now))
	return q.wrap(err, "setting")
}
