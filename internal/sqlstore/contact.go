package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

const identityCols = `id, workspace_id, contact_id, platform, platform_user_id, display_name, handle, followers, verified, updated_at`

func scanIdentity(sc interface{ Scan(...any) error }) (*care.Identity, error) {
	var i care.Identity
	var platform string
	var verified, at int64
	if err := sc.Scan(&i.ID, &i.WorkspaceID, &i.ContactID, &platform, &i.PlatformUserID, &i.DisplayName, &i.Handle, &i.Followers, &verified, &at); err != nil {
		return nil, err
	}
	i.Platform = care.Channel(platform)
	i.Verified = verified != 0
	i.UpdatedAt = fromMicros(at)
	return &i, nil
}

func (q queries) FindIdentity(ctx context.Context, workspaceID care.ID, platform care.Channel, platformUserID string) (*care.Identity, error) {
	id, err := scanIdentity(q.row(ctx, `SELECT `+identityCols+` FROM identities WHERE workspace_id = ? AND platform = ? AND platform_user_id = ?`,
		workspaceID, string(platform), platformUserID))
	return id, q.wrap(err, "identity")
}

func (q queries) FindIdentities(ctx context.Context, workspaceID care.ID, platform care.Channel, platformUserIDs []string) (map[string]*care.Identity, error) {
	found := make(map[string]*care.Identity, len(platformUserIDs))
	err := inChunks(platformUserIDs, func(chunk []string) error {
		var rows *sql.Rows
		var err error
		if q.d.Arrays {
			rows, err = q.query(ctx, `SELECT i.* FROM unnest(?::text[]) AS k(v) CROSS JOIN LATERAL
				(SELECT `+identityCols+` FROM identities WHERE workspace_id = ? AND platform = ? AND platform_user_id = k.v) i`,
				chunk, workspaceID, string(platform))
		} else {
			args, in := inList([]any{workspaceID, string(platform)}, chunk)
			rows, err = q.query(ctx, `SELECT `+identityCols+` FROM identities WHERE workspace_id = ? AND platform = ? AND platform_user_id IN (`+in+`)`, args...)
		}
		if err != nil {
			return q.wrap(err, "identities")
		}
		list, err := collect(rows, scanIdentity, q, "identities")
		for i := range list {
			found[list[i].PlatformUserID] = &list[i]
		}
		return err
	})
	return found, err
}

func (q queries) ResolveIdentity(ctx context.Context, workspaceID care.ID, platform care.Channel, a care.Author, now time.Time) (*care.Identity, bool, error) {
	var ident *care.Identity
	var created bool
	err := q.inTx(ctx, func(q queries) error {
		var err error
		ident, err = scanIdentity(q.row(ctx, `SELECT `+identityCols+` FROM identities WHERE workspace_id = ? AND platform = ? AND platform_user_id = ?`,
			workspaceID, string(platform), a.PlatformUserID))
		switch {
		case err == nil:
			return q.refreshIdentity(ctx, ident, a, now)
		case !errors.Is(err, sql.ErrNoRows):
			return q.wrap(err, "identity")
		}
		name := a.DisplayName
		if name == "" {
			name = a.Handle
		}
		if name == "" {
			name = a.PlatformUserID
		}
		contactID, err := q.insert(ctx, `INSERT INTO contacts (workspace_id, name, created_at) VALUES (?, ?, ?)`, workspaceID, name, micros(now))
		if err != nil {
			return q.wrap(err, "contact")
		}
		q.added("contacts")
		// Two nodes may resolve the same new author at once. ON CONFLICT DO
		// NOTHING waits for the other transaction; if it won, its identity is
		// visible to the next statement (READ COMMITTED) and our contact goes.
		ident = &care.Identity{WorkspaceID: workspaceID, ContactID: contactID, Platform: platform, PlatformUserID: a.PlatformUserID,
			DisplayName: a.DisplayName, Handle: a.Handle, Followers: a.Followers, Verified: a.Verified, UpdatedAt: fromMicros(micros(now))}
		err = q.w.QueryRowContext(ctx, q.bind(`INSERT INTO identities (workspace_id, contact_id, platform, platform_user_id, display_name, handle, followers, verified, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, platform, platform_user_id) DO NOTHING RETURNING id`),
			workspaceID, contactID, string(platform), a.PlatformUserID, a.DisplayName, a.Handle, a.Followers, b2i(a.Verified), micros(now)).Scan(&ident.ID)
		if errors.Is(err, sql.ErrNoRows) {
			if _, err := q.exec(ctx, `DELETE FROM contacts WHERE id = ?`, contactID); err != nil {
				return q.wrap(err, "contact")
			}
			ident, err = scanIdentity(q.row(ctx, `SELECT `+identityCols+` FROM identities WHERE workspace_id = ? AND platform = ? AND platform_user_id = ?`,
				workspaceID, string(platform), a.PlatformUserID))
			if err != nil {
				return q.wrap(err, "identity")
			}
			return q.refreshIdentity(ctx, ident, a, now)
		}
		if err != nil {
			return q.wrap(err, "identity")
		}
		q.added("identities")
		created = true
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return ident, created, nil
}

// refreshIdentity updates profile fields that changed; platforms send the
// current profile with each event, so the newest wins.
func (q queries) refreshIdentity(ctx context.Context, i *care.Identity, a care.Author, now time.Time) error {
	changed := false
	// The name the contact was given from this identity when it was new,
	// before the person said who they are (a web chat visitor who gives
	// their name later).
	derived := i.DisplayName
	if derived == "" {
		derived = i.Handle
	}
	if derived == "" {
		derived = i.PlatformUserID
	}
	if a.DisplayName != "" && a.DisplayName != i.DisplayName {
		i.DisplayName, changed = a.DisplayName, true
	}
	if a.Handle != "" && a.Handle != i.Handle {
		i.Handle, changed = a.Handle, true
	}
	if a.Followers != 0 && a.Followers != i.Followers {
		i.Followers, changed = a.Followers, true
	}
	// A platform that sent no profile (an echo, a bare reply) says nothing
	// about verification; only a profile with a name can change it.
	if a.Verified != i.Verified && (a.DisplayName != "" || a.Handle != "") {
		i.Verified, changed = a.Verified, true
	}
	if !changed {
		return nil
	}
	i.UpdatedAt = fromMicros(micros(now))
	_, err := q.exec(ctx, `UPDATE identities SET display_name = ?, handle = ?, followers = ?, verified = ?, updated_at = ? WHERE id = ?`,
		i.DisplayName, i.Handle, i.Followers, b2i(i.Verified), micros(now), i.ID)
	if err != nil {
		return q.wrap(err, "identity")
	}
	// A contact still called what the identity used to say follows the
	// new name; one a merge or an agent named otherwise keeps its name.
	if a.DisplayName != "" && a.DisplayName != derived {
		_, err = q.exec(ctx, `UPDATE contacts SET name = ? WHERE id = ? AND name = ?`, a.DisplayName, i.ContactID, derived)
	}
	return q.wrap(err, "contact")
}

func (q queries) AttachIdentity(ctx context.Context, contactID care.ID, platform care.Channel, a care.Author, now time.Time) (*care.Identity, error) {
	var ident *care.Identity
	err := q.inTx(ctx, func(q queries) error {
		c, err := q.Contact(ctx, contactID)
		if err != nil {
			return err
		}
		ident, err = scanIdentity(q.row(ctx, `SELECT `+identityCols+` FROM identities WHERE workspace_id = ? AND platform = ? AND platform_user_id = ?`,
			c.WorkspaceID, string(platform), a.PlatformUserID))
		switch {
		case err == nil && ident.ContactID == contactID:
			return nil
		case err == nil:
			return care.Errorf(care.ECONFLICT, "That identity belongs to contact %d; merge the contacts instead.", ident.ContactID)
		case !errors.Is(err, sql.ErrNoRows):
			return q.wrap(err, "identity")
		}
		ident = &care.Identity{WorkspaceID: c.WorkspaceID, ContactID: contactID, Platform: platform, PlatformUserID: a.PlatformUserID,
			DisplayName: a.DisplayName, Handle: a.Handle, Followers: a.Followers, Verified: a.Verified, UpdatedAt: fromMicros(micros(now))}
		ident.ID, err = q.insert(ctx, `INSERT INTO identities (workspace_id, contact_id, platform, platform_user_id, display_name, handle, followers, verified, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.WorkspaceID, contactID, string(platform), a.PlatformUserID, a.DisplayName, a.Handle, a.Followers, b2i(a.Verified), micros(now))
		if err != nil {
			return q.wrap(err, "identity")
		}
		q.added("identities")
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ident, nil
}

func (q queries) Contact(ctx context.Context, id care.ID) (*care.Contact, error) {
	var c care.Contact
	var at int64
	err := q.row(ctx, `SELECT id, workspace_id, name, merged_into, created_at FROM contacts WHERE id = ?`, id).
		Scan(&c.ID, &c.WorkspaceID, &c.Name, &c.MergedInto, &at)
	if err != nil {
		return nil, q.wrap(err, "contact")
	}
	c.CreatedAt = fromMicros(at)
	rows, err := q.query(ctx, `SELECT `+identityCols+` FROM identities WHERE contact_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, q.wrap(err, "identities")
	}
	if c.Identities, err = collect(rows, scanIdentity, q, "identities"); err != nil {
		return nil, err
	}
	return &c, nil
}

func (q queries) MergeContacts(ctx context.Context, workspaceID, winnerID, loserID care.ID, now time.Time) (*care.Merge, error) {
	if winnerID == loserID {
		return nil, care.Errorf(care.EINVALID, "A contact cannot be merged into itself.")
	}
	m := &care.Merge{WorkspaceID: workspaceID, WinnerID: winnerID, LoserID: loserID, CreatedAt: fromMicros(micros(now))}
	err := q.inTx(ctx, func(q queries) error {
		for _, id := range []care.ID{winnerID, loserID} {
			c, err := q.Contact(ctx, id)
			if err != nil {
				return err
			}
			if c.WorkspaceID != workspaceID {
				return care.Errorf(care.EINVALID, "Contact %d is not in this workspace.", id)
			}
			if c.MergedInto != 0 {
				return care.Errorf(care.EINVALID, "Contact %d was already merged into contact %d.", id, c.MergedInto)
			}
		}
		var err error
		if m.IdentityIDs, err = q.ids(ctx, `SELECT id FROM identities WHERE contact_id = ? ORDER BY id`, loserID); err != nil {
			return err
		}
		if m.ConversationIDs, err = q.ids(ctx, `SELECT id FROM conversations WHERE contact_id = ? ORDER BY id`, loserID); err != nil {
			return err
		}
		if err := q.moveContact(ctx, loserID, winnerID, m.IdentityIDs, m.ConversationIDs); err != nil {
			return err
		}
		if _, err := q.exec(ctx, `UPDATE contacts SET merged_into = ? WHERE id = ?`, winnerID, loserID); err != nil {
			return q.wrap(err, "contact")
		}
		idents, _ := json.Marshal(m.IdentityIDs)
		convs, _ := json.Marshal(m.ConversationIDs)
		m.ID, err = q.insert(ctx, `INSERT INTO merges (workspace_id, winner_id, loser_id, identity_ids, conversation_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			workspaceID, winnerID, loserID, string(idents), string(convs), micros(now))
		return q.wrap(err, "merge")
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// moveContact re-points the listed identities, conversations and those
// conversations' inbound messages from one contact to another.
func (q queries) moveContact(ctx context.Context, from, to care.ID, identityIDs, conversationIDs []care.ID) error {
	for _, id := range identityIDs {
		if _, err := q.exec(ctx, `UPDATE identities SET contact_id = ? WHERE id = ? AND contact_id = ?`, to, id, from); err != nil {
			return q.wrap(err, "identity")
		}
	}
	for _, id := range conversationIDs {
		if _, err := q.exec(ctx, `UPDATE conversations SET contact_id = ? WHERE id = ? AND contact_id = ?`, to, id, from); err != nil {
			return q.wrap(err, "conversation")
		}
		if _, err := q.exec(ctx, `UPDATE messages SET contact_id = ? WHERE conversation_id = ? AND contact_id = ?`, to, id, from); err != nil {
			return q.wrap(err, "messages")
		}
	}
	return nil
}

func (q queries) ids(ctx context.Context, query string, args ...any) ([]care.ID, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, q.wrap(err, "ids")
	}
	return collectIDs(rows, q)
}

func (q queries) UndoMerge(ctx context.Context, workspaceID, mergeID care.ID, now time.Time) (*care.Merge, error) {
	var m care.Merge
	err := q.inTx(ctx, func(q queries) error {
		var idents, convs string
		var at int64
		var undone sql.NullInt64
		err := q.row(ctx, `SELECT id, workspace_id, winner_id, loser_id, identity_ids, conversation_ids, created_at, undone_at
			FROM merges WHERE id = ? AND workspace_id = ?`, mergeID, workspaceID).
			Scan(&m.ID, &m.WorkspaceID, &m.WinnerID, &m.LoserID, &idents, &convs, &at, &undone)
		if err != nil {
			return q.wrap(err, "merge")
		}
		if undone.Valid {
			return care.Errorf(care.ECONFLICT, "Merge %d was already undone.", mergeID)
		}
		m.CreatedAt = fromMicros(at)
		if err := json.Unmarshal([]byte(idents), &m.IdentityIDs); err != nil {
			return q.wrap(err, "merge")
		}
		if err := json.Unmarshal([]byte(convs), &m.ConversationIDs); err != nil {
			return q.wrap(err, "merge")
		}
		if err := q.moveContact(ctx, m.WinnerID, m.LoserID, m.IdentityIDs, m.ConversationIDs); err != nil {
			return err
		}
		if _, err := q.exec(ctx, `UPDATE contacts SET merged_into = 0 WHERE id = ?`, m.LoserID); err != nil {
			return q.wrap(err, "contact")
		}
		t := fromMicros(micros(now))
		m.UndoneAt = &t
		_, err = q.exec(ctx, `UPDATE merges SET undone_at = ? WHERE id = ?`, micros(now), m.ID)
		return q.wrap(err, "merge")
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}
