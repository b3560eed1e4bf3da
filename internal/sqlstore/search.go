package sqlstore

import (
	"context"
	"sort"

	"github.com/parleyhq/parley/internal/care"
)

func (q queries) Search(ctx context.Context, workspaceID care.ID, query string, limit int) ([]care.SearchHit, error) {
	limit, err := care.CheckSearch(query, limit)
	if err != nil {
		return nil, err
	}
	if q.d.SearchMessages == "" || q.d.SearchContacts == "" || q.d.SearchQuery == nil {
		return nil, care.Errorf(care.EUNAVAILABLE, "Search is not available on %s.", q.d.Name)
	}
	match := q.d.SearchQuery(query)
	if match == "" {
		return []care.SearchHit{}, nil
	}
	type hit struct {
		care.SearchHit
		text string
		at   int64
	}
	var hits []hit
	for _, stmt := range []string{q.d.SearchMessages, q.d.SearchContacts} {
		rows, err := q.query(ctx, stmt, workspaceID, match, limit)
		if err != nil {
			return nil, q.wrap(err, "search")
		}
		for rows.Next() {
			var h hit
			if err := rows.Scan(&h.ConversationID, &h.MessageID, &h.ContactID, &h.text, &h.at); err != nil {
				rows.Close()
				return nil, q.wrap(err, "search")
			}
			hits = append(hits, h)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, q.wrap(err, "search")
		}
	}
	// Newest first; a message before its contact at the same moment.
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].at != hits[j].at {
			return hits[i].at > hits[j].at
		}
		if hits[i].ConversationID != hits[j].ConversationID {
			return hits[i].ConversationID > hits[j].ConversationID
		}
		return hits[i].MessageID > hits[j].MessageID
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]care.SearchHit, len(hits))
	for i, h := range hits {
		h.Snippet = care.Snippet(h.text, query)
		out[i] = h.SearchHit
	}
	return out, nil
}
