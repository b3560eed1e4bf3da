// Package profile names the customers a platform introduces by id alone.
// Meta's messaging webhooks say who wrote by a PSID or an IGSID and nothing
// more, so a Messenger or Instagram customer would stay "1000000501" to the
// care team. The Worker finds such people (identities with neither a name
// nor a handle, on channels whose adapter is a channel.ProfileFetcher),
// looks each one up at a bounded rate per inbox, and stores the name
// through the same identity refresh ingest uses, which renames a contact
// still called by the bare id.
//
// It runs beside ingest, never in it: a webhook is acknowledged and
// threaded without waiting for Meta, and the name follows within a rescan.
// A profile Meta will not show (no consent, blocked, an account without a
// profile) is not asked for again until RetryUnavailable has passed; that
// memory is the process's, so a restart asks once more. One node at a time
// does the work, under a lease.
package profile

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/faillog"
)

// LeaseName is the lease that lets one node of several look profiles up.
const LeaseName = "profiles"

// Store is what the worker needs of storage. IdentitiesWithoutName is not
// part of care.Store; the SQL stores have it.
type Store interface {
	Workspaces(ctx context.Context) ([]care.Workspace, error)
	Inboxes(ctx context.Context, workspaceID care.ID) ([]care.Inbox, error)
	IdentitiesWithoutName(ctx context.Context, inboxID, afterID care.ID, limit int) ([]care.Identity, error)
	Update(ctx context.Context, fn func(care.Queries) error) error
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Publisher announces stored events to live clients.
type Publisher interface {
	Publish(events ...care.Event)
}

// Defaults of the Worker's settings.
const (
	// DefaultInterval spaces one inbox's look-ups. Meta counts them against
	// the Page's or account's budget, which replies to customers share, so
	// a backlog is worked off slowly rather than at the cost of a reply.
	DefaultInterval = 5 * time.Second
	// DefaultRescan is how often an inbox with nobody left to name is
	// asked again for newcomers, and the inbox list read again.
	DefaultRescan = 15 * time.Second
	// DefaultRetryUnavailable leaves alone a person whose profile Meta
	// would not show: consent comes with their next message, which is
	// seldom within the hour.
	DefaultRetryUnavailable = 24 * time.Hour
	// DefaultPauseBroken rests an inbox that cannot look anyone up (an
	// expired token, a permission the app lacks) until someone fixes it.
	DefaultPauseBroken = time.Hour
)

// Tuning that needs no setting.
const (
	pageSize = 50
	// maxPages bounds the pages one round reads past people who are
	// remembered as unavailable.
	maxPages = 4
	// callTimeout bounds one look-up.
	callTimeout = 30 * time.Second
	// retryFailing is when a person whose look-up failed for a reason
	// Meta called temporary, without saying how long to wait, is asked
	// again: long enough that one broken profile does not hold up the rest.
	retryFailing = time.Hour
)

// Worker looks up the names of people known only by id. Set Store and
// Adapters; the rest is optional. Run it once per process.
type Worker struct {
	Store     Store
	Adapters  *channel.Registry
	Publisher Publisher
	Logger    *slog.Logger
	Now       func() time.Time
	// Holder names this node in the lease; "" means care.NodeName().
	Holder string
	// Interval, Rescan, RetryUnavailable and PauseBroken default, when 0, to the
	// constants of the same names.
	Interval, Rescan, RetryUnavailable, PauseBroken time.Duration

	mu      sync.Mutex
	inboxes []care.Inbox
	listed  time.Time
	state   map[care.ID]*inboxState
	// listing tells of the inbox list failing round after round, as it
	// does while the database is down; made at the first round.
	listing *faillog.Log
}

// inboxState is what the worker remembers of one inbox.
type inboxState struct {
	// after is the keyset cursor into the inbox's unnamed identities, and
	// queue the rest of the page read at it.
	after care.ID
	queue []care.Identity
	// next is when the inbox may be asked again.
	next time.Time
	// unavailable holds, by identity, when a person Meta would not show
	// may be asked for again.
	unavailable map[care.ID]time.Time
	// broken is the reason the inbox is resting, "" when it is not.
	broken string
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.Default()
}

// Run looks profiles up until ctx ends. The lease taken, or the inboxes
// listed, failing the same way round after round, as while the database
// is down, is logged when it starts, once a minute while it lasts, and
// when it ends.
func (w *Worker) Run(ctx context.Context) {
	holder := cmp.Or(w.Holder, care.NodeName())
	interval := cmp.Or(w.Interval, DefaultInterval)
	t := time.NewTicker(interval)
	defer t.Stop()
	leasing := &faillog.Log{Logger: w.logger(), What: "profiles: take the lease"}
	for {
		mine, err := w.Store.AcquireLease(ctx, LeaseName, holder, max(3*interval, time.Minute), w.now())
		switch {
		case err == nil:
			leasing.OK(w.now())
			if mine {
				w.Round(ctx)
			}
		case ctx.Err() == nil:
			leasing.Failed(w.now(), err)
		}
		select {
		case <-ctx.Done():
			// Another node need not wait for the lease to run out; one it
			// does not hold is left alone.
			care.LetGo(ctx, w.Store, LeaseName, holder)
			return
		case <-t.C:
		}
	}
}

// Round asks, for each inbox whose turn it is, for one person's profile.
// Run calls it once per Interval; tests call it directly.
func (w *Worker) Round(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	if w.listing == nil {
		w.listing = &faillog.Log{Logger: w.logger(), What: "profiles: list inboxes"}
	}
	if w.state == nil || !now.Before(w.listed.Add(cmp.Or(w.Rescan, DefaultRescan))) {
		if err := w.list(ctx); err != nil {
			if ctx.Err() == nil {
				w.listing.Failed(now, err)
			}
			return
		}
		w.listing.OK(now)
		w.listed = now
	}
	for _, in := range w.inboxes {
		if ctx.Err() != nil {
			return
		}
		st := w.state[in.ID]
		if now.Before(st.next) {
			continue
		}
		if err := w.lookUpOne(ctx, in, st); err != nil && ctx.Err() == nil {
			w.logger().Error("profiles: name a customer", "inbox", in.ID, "err", err)
			st.next = now.Add(cmp.Or(w.Rescan, DefaultRescan))
		}
	}
}

// list reads the inboxes whose adapter looks profiles up, keeping what is
// remembered of those still there.
func (w *Worker) list(ctx context.Context) error {
	wss, err := w.Store.Workspaces(ctx)
	if err != nil {
		return err
	}
	var inboxes []care.Inbox
	for _, ws := range wss {
		ins, err := w.Store.Inboxes(ctx, ws.ID)
		if err != nil {
			return err
		}
		for _, in := range ins {
			if _, ok := w.Adapters.ProfileFetcher(in.Channel); ok {
				inboxes = append(inboxes, in)
			}
		}
	}
	state := make(map[care.ID]*inboxState, len(inboxes))
	for _, in := range inboxes {
		st := w.state[in.ID]
		if st == nil {
			st = &inboxState{unavailable: map[care.ID]time.Time{}}
		}
		state[in.ID] = st
	}
	w.inboxes, w.state = inboxes, state
	return nil
}

// next returns the inbox's next person to look up, reading pages as
// needed; ok is false when there is nobody for now.
func (w *Worker) next(ctx context.Context, in care.Inbox, st *inboxState, now time.Time) (care.Identity, bool, error) {
	for range maxPages {
		for len(st.queue) > 0 {
			id := st.queue[0]
			st.queue = st.queue[1:]
			if until, ok := st.unavailable[id.ID]; ok {
				if now.Before(until) {
					continue
				}
				delete(st.unavailable, id.ID)
			}
			return id, true, nil
		}
		page, err := w.Store.IdentitiesWithoutName(ctx, in.ID, st.after, pageSize)
		if err != nil {
			return care.Identity{}, false, err
		}
		if len(page) == 0 {
			// The end of the list: start over after a rescan's rest.
			st.after = 0
			st.next = now.Add(cmp.Or(w.Rescan, DefaultRescan))
			return care.Identity{}, false, nil
		}
		st.queue, st.after = page, page[len(page)-1].ID
	}
	return care.Identity{}, false, nil
}

func (w *Worker) lookUpOne(ctx context.Context, in care.Inbox, st *inboxState) error {
	now := w.now()
	id, ok, err := w.next(ctx, in, st, now)
	if err != nil || !ok {
		return err
	}
	f, ok := w.Adapters.ProfileFetcher(in.Channel)
	if !ok {
		return nil
	}
	st.next = now.Add(cmp.Or(w.Interval, DefaultInterval))
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	var a care.Author
	err = channel.Guard(func() (err error) {
		a, err = f.FetchProfile(cctx, in, id.PlatformUserID)
		return err
	})
	cancel()
	if err != nil {
		w.failed(ctx, in, st, id, err, now)
		return nil
	}
	if st.broken != "" {
		w.logger().Info("profiles: looking customers up again", "inbox", in.ID)
		st.broken = ""
	}
	if a.DisplayName == "" && a.Handle == "" {
		// A profile with no name to give (Instagram's name and username
		// are both optional): storing it changes nothing, and without
		// this the person would be asked for again at every rescan.
		st.unavailable[id.ID] = now.Add(cmp.Or(w.RetryUnavailable, DefaultRetryUnavailable))
		return nil
	}
	a.PlatformUserID = id.PlatformUserID
	return w.store(ctx, in, id, a)
}

// failed remembers a failed look-up: the person, the inbox, or nothing,
// as the error concerns one, the other, or only this moment.
func (w *Worker) failed(ctx context.Context, in care.Inbox, st *inboxState, id care.Identity, err error, now time.Time) {
	if ctx.Err() != nil {
		// Shutting down: the person is asked for after the restart.
		st.queue = append([]care.Identity{id}, st.queue...)
		return
	}
	var se *channel.SendError
	if !errors.As(err, &se) {
		se = &channel.SendError{Reason: err.Error(), Err: err}
	}
	switch {
	case se.Permanent && se.Refused:
		st.unavailable[id.ID] = now.Add(cmp.Or(w.RetryUnavailable, DefaultRetryUnavailable))
		w.logger().Debug("profiles: profile unavailable", "inbox", in.ID, "identity", id.ID, "reason", se.Reason)
	case se.Permanent:
		// Nobody can be looked up: the person is not to blame.
		st.queue = append([]care.Identity{id}, st.queue...)
		st.next = now.Add(cmp.Or(w.PauseBroken, DefaultPauseBroken))
		if st.broken != se.Reason {
			w.logger().Warn("profiles: this inbox cannot look customers' names up; trying again later",
				"inbox", in.ID, "channel", in.Channel, "reason", se.Reason, "retry_in", cmp.Or(w.PauseBroken, DefaultPauseBroken), "err", err)
			// The admin who can grant the permission reads the inbox's
			// health line, not the log.
			h := care.HealthUpdate{Error: channel.Cut("Customers' names cannot be looked up: "+se.Reason, care.MaxNameBytes), ErrorAt: now}
			if herr := w.Store.Update(ctx, func(q care.Queries) error { return q.RecordInboxHealth(ctx, in.ID, h) }); herr != nil && ctx.Err() == nil {
				w.logger().Warn("profiles: inbox health not recorded", "inbox", in.ID, "err", herr)
			}
		}
		st.broken = se.Reason
	case se.RetryAfter > 0:
		// Throttled: the budget replies share comes first.
		st.queue = append([]care.Identity{id}, st.queue...)
		st.next = now.Add(max(se.RetryAfter, cmp.Or(w.Interval, DefaultInterval)))
		w.logger().Info("profiles: the platform is throttling look-ups", "inbox", in.ID, "retry_in", se.RetryAfter)
	default:
		st.unavailable[id.ID] = now.Add(retryFailing)
		st.next = now.Add(max(time.Minute, cmp.Or(w.Interval, DefaultInterval)))
		w.logger().Info("profiles: look-up failed", "inbox", in.ID, "identity", id.ID, "err", err)
	}
}

// store saves the profile through the identity refresh ingest uses, which
// renames a contact still called by the bare id, and tells live clients of
// the conversation in the inbox so that lists show the name.
func (w *Worker) store(ctx context.Context, in care.Inbox, id care.Identity, a care.Author) error {
	now := w.now()
	var ev *care.Event
	err := w.Store.Update(ctx, func(q care.Queries) error {
		ev = nil
		ident, _, err := q.ResolveIdentity(ctx, id.WorkspaceID, id.Platform, a, now)
		if err != nil {
			return err
		}
		conv, err := q.ActiveConversation(ctx, in.ID, ident.ContactID)
		if care.ErrorCode(err) == care.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		data, err := json.Marshal(conv)
		if err != nil {
			return err
		}
		ev = &care.Event{WorkspaceID: conv.WorkspaceID, Type: care.EventConversationUpdated, ConversationID: conv.ID,
			InboxID: conv.InboxID, Data: data, CreatedAt: now}
		return q.AppendEvent(ctx, ev)
	})
	if err != nil {
		return err
	}
	if ev != nil && w.Publisher != nil {
		w.Publisher.Publish(*ev)
	}
	return nil
}
