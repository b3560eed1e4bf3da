package poll

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/listen"
)

// Listening runs beside polling: for every inbox whose platform can search
// (channel.Searcher), each of the workspace's listening subjects is
// searched at the adapter's interval, and the posts that really are about
// a subject are stored as found posts, never as conversations. The account
// connected as the inbox does the searching, within its own limits, so a
// workspace with an X and a Bluesky inbox listens on both.

// idleSearch is how often an inbox that could search, in a workspace that
// has no listening subjects, looks at the settings again: a subject an
// admin adds is searched within this.
const idleSearch = time.Minute

// searchCursorPrefix names a subject's search position among the inbox's
// cursors. The position is keyed by the query, not the subject's name: a
// changed query starts afresh from the newest page instead of resuming a
// position that meant other posts.
const searchCursorPrefix = "listen:"

// searchCursor names the saved position of q's search.
func searchCursor(q care.ListenQuery) string {
	h := sha256.New()
	for _, t := range q.Terms {
		fmt.Fprintf(h, "+%d:%s", len(t), t)
	}
	for _, t := range q.Exclude {
		fmt.Fprintf(h, "-%d:%s", len(t), t)
	}
	return searchCursorPrefix + hex.EncodeToString(h.Sum(nil)[:12])
}

// searchLoop searches one inbox's subjects until ctx ends or the inbox can
// no longer search.
func (r *Runner) searchLoop(ctx context.Context, inboxID care.ID) {
	defer care.LetGo(ctx, r.Store, searchLease(inboxID), r.holder())
	r.every(ctx, inboxID, "listening search failed", r.SearchOnce, nil)
}

// SearchOnce runs one round of an inbox's listening searches, one per
// subject of its workspace, storing each subject's posts before saving its
// cursor. It returns how long to wait before the next round (0: the inbox
// cannot search).
func (r *Runner) SearchOnce(ctx context.Context, inboxID care.ID) (time.Duration, error) {
	in, err := r.Store.Inbox(ctx, inboxID)
	if err != nil {
		return retryLater(err)
	}
	s, ok := r.Adapters.Searcher(in.Channel)
	if !ok {
		return 0, nil
	}
	interval := s.SearchInterval(*in)
	if interval <= 0 {
		return 0, nil
	}
	st, err := listen.Load(ctx, r.Store, in.WorkspaceID)
	subjects := st.Subjects
	if err != nil || len(subjects) == 0 {
		return min(interval, idleSearch), err
	}
	// One node searches for an inbox, as one polls it.
	lease := searchLease(in.ID)
	mine, err := r.Store.AcquireLease(ctx, lease, r.holder(), max(3*interval, time.Minute), r.now())
	if err != nil || !mine {
		return interval, err
	}
	m := listen.NewMatcher(subjects)
	var errs []error
	wait := interval
	// Each round starts one subject further on, so that when the budget
	// runs out part-way the same subjects are not always the ones left.
	first := r.nextRound(in.ID) % len(subjects)
	for i := range subjects {
		sub := subjects[(first+i)%len(subjects)]
		w, err := r.searchSubject(ctx, in, s, m, sub)
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if err == nil {
			continue
		}
		errs = append(errs, fmt.Errorf("subject %q: %w", sub.Name, err))
		if w > 0 {
			// The account is out of budget: the other subjects would be
			// refused too, and asking again costs more of it. A query
			// that one platform cannot take (too long, too many
			// hashtags) or a refused scope stops only its own subject.
			wait = max(wait, w)
			break
		}
	}
	if wait > interval {
		// Keep the lease through the wait, or another node would take it
		// and be refused in turn.
		if _, err := r.Store.AcquireLease(ctx, lease, r.holder(), wait+interval, r.now()); err != nil {
			errs = append(errs, err)
		}
	}
	return wait, errors.Join(errs...)
}

// nextRound counts an inbox's listening rounds.
func (r *Runner) nextRound(inboxID care.ID) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rounds == nil {
		r.rounds = map[care.ID]int{}
	}
	n := r.rounds[inboxID]
	r.rounds[inboxID] = n + 1
	return n
}

// retryLater is what a loop does when it cannot read its inbox: stop when
// the inbox is gone, else try again in a minute (a busy database must not
// end a loop that nothing restarts).
func retryLater(err error) (time.Duration, error) {
	if care.ErrorCode(err) == care.ENOTFOUND {
		return 0, err
	}
	return time.Minute, err
}

// searchSubject runs one subject's search from its saved position and
// stores what is really about a subject, then saves the new position.
func (r *Runner) searchSubject(ctx context.Context, in *care.Inbox, s channel.Searcher, m *listen.Matcher, sub listen.Subject) (time.Duration, error) {
	q := sub.Query()
	name := searchCursor(q)
	cursor, err := r.Store.InboxCursor(ctx, in.ID, name)
	if err != nil {
		return 0, err
	}
	now := r.now()
	var posts []care.ListenPost
	var next string
	err = channel.Guard(func() (err error) {
		posts, next, err = s.Search(ctx, *in, q, cursor)
		return err
	})
	if err != nil {
		var se *channel.SendError
		reason, wait := "search failed", time.Duration(0)
		if errors.As(err, &se) {
			wait = se.RetryAfter
			if se.Reason != "" {
				reason = se.Reason
			}
			if se.RateLimit != "" {
				r.health(ctx, in.ID, care.HealthUpdate{RateLimit: se.RateLimit})
			}
		}
		r.health(ctx, in.ID, care.HealthUpdate{Error: "listening: " + reason, ErrorAt: now})
		return wait, err
	}
	kept := listen.Prepare(posts, m, listen.Origin{WorkspaceID: in.WorkspaceID, InboxID: in.ID, Source: in.Channel, OwnID: in.ExternalID}, now)
	if len(kept) > 0 {
		if _, err := r.Store.AddListenPosts(ctx, kept); err != nil {
			return 0, err
		}
	}
	if next != cursor {
		return 0, r.Store.SetInboxCursor(ctx, in.ID, name, next, now)
	}
	return 0, nil
}

// pruneBatch bounds one delete of found posts past their retention.
const pruneBatch = 1000

// pruneFound deletes, at most once an hour, every workspace's found posts
// older than care.ListenRetention. Imported posts too: whatever found
// them, they are strangers' words kept for counting. With several nodes
// each prunes; deleting what is gone is harmless.
func (r *Runner) pruneFound(ctx context.Context, wss []care.Workspace) {
	now := r.now()
	r.mu.Lock()
	due := now.Sub(r.pruned) >= time.Hour
	if due {
		r.pruned = now
	}
	r.mu.Unlock()
	if !due {
		return
	}
	before := now.Add(-care.ListenRetention)
	for _, ws := range wss {
		for {
			n, err := r.Store.PruneListenPosts(ctx, ws.ID, before, pruneBatch)
			if err != nil {
				if ctx.Err() == nil {
					r.logger().Error("listening: delete found posts past their retention", "workspace", ws.ID, "err", err)
				}
				return
			}
			if n > 0 {
				r.logger().Info("listening: deleted found posts past their retention", "workspace", ws.ID, "posts", n)
			}
			if n < pruneBatch || ctx.Err() != nil {
				break
			}
		}
	}
}

// searchLease lets one node at a time search for an inbox.
func searchLease(inboxID care.ID) string { return fmt.Sprintf("listen:%d", inboxID) }
