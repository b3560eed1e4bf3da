package desk

import (
	"context"
	"fmt"
	"slices"

	"github.com/parleyhq/parley/internal/care"
)

// Reads that span conversations, kept here so that the API and the web
// give a member of a partner team the same share of them.

// scopedOverfetch is how many more hits a scoped search asks the index
// for than it returns, since hits outside the scope are dropped. The index
// caps a search at care.MaxSearchLimit all the same, so a scope that sees
// little of a busy workspace may get fewer hits than asked for.
const scopedOverfetch = 4

// maxScopedUnread bounds how many unread notifications are read back to
// count those a scoped principal sees; any beyond are counted as seen.
const maxScopedUnread = 500

// Search finds the workspace's messages and contacts by words, at most
// limit. A member of a partner team gets only hits in conversations they
// see; a contact hit names the contact's newest conversation, so one whose
// newest is outside the scope is linked to the newest the scope sees, or
// dropped.
func (s *Service) Search(ctx context.Context, p care.Principal, q string, limit int) ([]care.SearchHit, error) {
	if p.Scope == nil {
		return s.Store.Search(ctx, p.WorkspaceID, q, limit)
	}
	hits, err := s.Store.Search(ctx, p.WorkspaceID, q, min(limit*scopedOverfetch, care.MaxSearchLimit))
	if err != nil {
		return nil, err
	}
	sight := s.sight(p)
	out := hits[:0]
	for _, hit := range hits {
		if len(out) == limit {
			break
		}
		ok, err := sight.Sees(ctx, hit.ConversationID)
		if err != nil {
			return nil, fmt.Errorf("desk: search hit in conversation %d: %w", hit.ConversationID, err)
		}
		if !ok && hit.MessageID == 0 {
			id, err := s.ContactConversation(ctx, p, hit.ContactID)
			if err != nil {
				return nil, err
			}
			hit.ConversationID, ok = id, id != 0
		}
		if ok {
			out = append(out, hit)
		}
	}
	return out, nil
}

// ContactConversation returns the newest conversation of the contact that
// p sees, 0 for none: a member of a partner team sees a contact through
// its conversations in their scope.
func (s *Service) ContactConversation(ctx context.Context, p care.Principal, contactID care.ID) (care.ID, error) {
	page, err := s.Store.Conversations(ctx, care.ConversationFilter{WorkspaceID: p.WorkspaceID, ContactID: contactID, Scope: p.Scope, Limit: 1})
	if err != nil || len(page.Conversations) == 0 {
		return 0, err
	}
	return page.Conversations[0].ID, nil
}

// Notifications lists p's notifications, newest first; a member of a
// partner team gets those about conversations they see, and those about
// none. They may have been @mentioned in, or a rule may have told their
// team of, a conversation since moved out of their scope.
func (s *Service) Notifications(ctx context.Context, p care.Principal, unreadOnly bool, limit int) ([]care.Notification, error) {
	list, err := s.Store.Notifications(ctx, p.WorkspaceID, p.UserID, unreadOnly, limit)
	if err != nil || p.Scope == nil {
		return list, err
	}
	sight := s.sight(p)
	kept := list[:0]
	for _, n := range list {
		if n.ConversationID != 0 {
			ok, err := sight.Sees(ctx, n.ConversationID)
			if err != nil {
				return nil, fmt.Errorf("desk: notification %d: %w", n.ID, err)
			}
			if !ok {
				continue
			}
		}
		kept = append(kept, n)
	}
	return kept, nil
}

// UnreadNotifications counts p's unread notifications that Notifications
// would list, so the count matches the list.
func (s *Service) UnreadNotifications(ctx context.Context, p care.Principal) (int, error) {
	n, err := s.Store.UnreadNotifications(ctx, p.WorkspaceID, p.UserID)
	if err != nil || p.Scope == nil || n == 0 {
		return n, err
	}
	unread, err := s.Notifications(ctx, p, true, min(n, maxScopedUnread))
	if err != nil {
		return 0, err
	}
	return len(unread) + max(n-maxScopedUnread, 0), nil
}

// ReadableNotifications narrows the ids p marks read (none: all of
// theirs) to the unread ones they see. Unscoped, it is ids itself; scoped,
// it is never nil, and empty when nothing is left, since the store reads
// an empty list as "all". Otherwise marking a hidden notification's id
// read would answer differently from a missing one.
func (s *Service) ReadableNotifications(ctx context.Context, p care.Principal, ids []care.ID) ([]care.ID, error) {
	if p.Scope == nil {
		return ids, nil
	}
	unread, err := s.Notifications(ctx, p, true, maxScopedUnread)
	if err != nil {
		return nil, err
	}
	out := []care.ID{}
	for _, n := range unread {
		if len(ids) == 0 || slices.Contains(ids, n.ID) {
			out = append(out, n.ID)
		}
	}
	return out, nil
}

// sight is p's care.Sight over the store.
func (s *Service) sight(p care.Principal) *care.Sight { return care.NewSight(p, s.Store.Conversation) }
