package youtube

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// QuotaStore keeps each inbox's quota usage of the Pacific day across
// restarts, as one of the inbox's named cursors. care.Store satisfies it.
type QuotaStore interface {
	InboxCursor(ctx context.Context, inboxID care.ID, name string) (string, error)
	SetInboxCursor(ctx context.Context, inboxID care.ID, name, value string, now time.Time) error
}

// QuotaCursor names the inbox cursor that holds the day's usage.
const QuotaCursor = "youtube_quota"

// quotaIOTimeout bounds one read or write of the stored usage. A save runs
// after the request that spent the units, even when that request's
// context has ended.
const quotaIOTimeout = 5 * time.Second

// savedUsage is the stored form of an inbox's usage in one Pacific day.
type savedUsage struct {
	Day       string `json:"day"`
	Reads     int    `json:"reads"`
	Writes    int    `json:"writes"`
	Exhausted bool   `json:"exhausted,omitempty"`
	Polls     int    `json:"polls,omitempty"`
	PollUnits int    `json:"poll_units,omitempty"`
}

// spending is what this process counted and has not yet saved. A refund
// after a save makes it negative.
type spending struct {
	reads, writes    int
	polls, pollUnits int
	exhausted        bool
}

func (s spending) zero() bool { return s == spending{} }

// plus is the stored usage with d added, never below zero.
func (u savedUsage) plus(d spending) savedUsage {
	u.Reads = max(u.Reads+d.reads, 0)
	u.Writes = max(u.Writes+d.writes, 0)
	u.Polls = max(u.Polls+d.polls, 0)
	u.PollUnits = max(u.PollUnits+d.pollUnits, 0)
	u.Exhausted = u.Exhausted || d.exhausted
	return u
}

// loadQuota adds the inbox's stored usage of the day to what this process
// counted, once per inbox and day, before the first request spends from
// it. A store that cannot be read is logged, and tried again on the next
// request; meanwhile the meter counts from what it has.
func (a *Adapter) loadQuota(ctx context.Context, id care.ID) {
	if a.State == nil || a.quota.loaded(id, a.now()) {
		return
	}
	mu := a.quota.io(id)
	mu.Lock()
	defer mu.Unlock()
	now := a.now()
	if a.quota.loaded(id, now) {
		return
	}
	stored, err := a.readQuota(ctx, id, now)
	if err != nil {
		if ctx.Err() == nil {
			a.logger().Warn("youtube: read the day's quota usage; counting from memory", "inbox", id, "err", err)
		}
		return
	}
	a.quota.absorb(id, stored, spending{})
}

// saveQuota writes what the inbox spent since the last save, added to the
// stored usage of the day. It runs once at the end of every poll, reply
// and moderation that spent units, so a poll of several pages is one
// write, and the writes are bounded by the quota itself: at most one per
// unit, in practice one per poll and one per reply. Saves of one inbox
// take turns; one that finds its units already written by the one before
// writes nothing. What a process counted is added to, not written over,
// what the store holds, so nodes sharing an inbox add up their spending
// (two saves at the same instant on two nodes may still lose one's).
//
// A crash loses the units of the requests in flight, whose save had not
// run: at most a poll's pages and a reply's or moderation's 50 units each.
// A failed save is logged and its units are written by the next one.
func (a *Adapter) saveQuota(ctx context.Context, id care.ID) {
	if a.State == nil {
		return
	}
	mu := a.quota.io(id)
	mu.Lock()
	defer mu.Unlock()
	now := a.now()
	d, day, ok := a.quota.unsaved(id, now)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*quotaIOTimeout)
	defer cancel()
	stored, err := a.readQuota(ctx, id, now)
	if err == nil && stored.Day != day {
		stored = savedUsage{Day: day}
	}
	if err == nil {
		stored = stored.plus(d)
		var b []byte
		if b, err = json.Marshal(stored); err == nil {
			wctx, done := context.WithTimeout(ctx, quotaIOTimeout)
			err = a.State.SetInboxCursor(wctx, id, QuotaCursor, string(b), now)
			done()
		}
	}
	if err != nil {
		a.logger().Warn("youtube: save the day's quota usage; the next save carries it", "inbox", id, "err", err)
		return
	}
	a.quota.absorb(id, stored, d)
}

// readQuota returns the inbox's stored usage; a zero one of now's day when
// there is none, it is another day's, or it cannot be understood.
func (a *Adapter) readQuota(ctx context.Context, id care.ID, now time.Time) (savedUsage, error) {
	ctx, cancel := context.WithTimeout(ctx, quotaIOTimeout)
	defer cancel()
	day := pacificDay(now)
	v, err := a.State.InboxCursor(ctx, id, QuotaCursor)
	if err != nil {
		return savedUsage{}, fmt.Errorf("youtube: read quota usage of inbox %d: %w", id, err)
	}
	var u savedUsage
	if v == "" {
		return savedUsage{Day: day}, nil
	}
	if err := json.Unmarshal([]byte(v), &u); err != nil || u.Day != day {
		if err != nil {
			a.logger().Warn("youtube: stored quota usage not understood; starting the day from memory", "inbox", id, "err", err)
		}
		return savedUsage{Day: day}, nil
	}
	return savedUsage{Day: day}.plus(spending{reads: u.Reads, writes: u.Writes, polls: u.Polls, pollUnits: u.PollUnits, exhausted: u.Exhausted}), nil
}
