package sqlstore

import (
	"context"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// unnamedIdentityCols are identityCols of the identities aliased i.
var unnamedIdentityCols = "i." + strings.ReplaceAll(identityCols, ", ", ", i.")

// IdentitiesWithoutName lists the people an inbox knows only by their id:
// identities on the inbox's channel with neither a display name nor a
// handle, whose contact has a conversation in the inbox (so that the
// inbox's credentials are the ones that can look them up). They come in id
// order, after afterID, at most limit (100 when limit is not positive); a
// missing inbox has none. Not part of care.Store: only the profile look-up
// worker asks, and the partial index identities_unnamed keeps the question
// cheap however many named people a workspace has.
func (q queries) IdentitiesWithoutName(ctx context.Context, inboxID, afterID care.ID, limit int) ([]care.Identity, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := q.query(ctx, `SELECT `+unnamedIdentityCols+` FROM inboxes b
		JOIN identities i ON i.workspace_id = b.workspace_id AND i.platform = b.channel
		WHERE b.id = ? AND i.display_name = '' AND i.handle = '' AND i.id > ?
		AND EXISTS (SELECT 1 FROM conversations c WHERE c.contact_id = i.contact_id AND c.inbox_id = b.id)
		ORDER BY i.id LIMIT ?`, inboxID, afterID, limit)
	if err != nil {
		return nil, q.wrap(err, "identities")
	}
	return collect(rows, scanIdentity, q, "identities")
}
