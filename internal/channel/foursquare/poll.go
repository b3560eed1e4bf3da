package foursquare

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Polling: one Get Place Tips call per venue, sort=NEWEST, limit=50 (see
// fetchTips). The endpoint has no cursor, no "since" and no offset, and
// the Places API has no push: the newest page is all a poll can see.
//
// Cursor: for each venue, when Parley first polled it ("since", Unix
// seconds) and the ids of the tips on its newest page then ("seen"). A
// tip on a later page that is not in seen, and was written at or after
// since, is new. Remembering ids rather than a newest time means a tip
// that reaches the API late, after newer ones (Foursquare's place data is
// refreshed in batches), is still read, and two tips of the same second
// are both read. The first poll of a venue reads nothing and records the
// page: the inbox starts now, not years back. A tip written before since
// that surfaces later is never read: it predates the inbox.
//
// Limit: more than 50 new tips at one place between two polls lose the
// oldest of them, which no request can reach.

// venueCursor is one venue's part of the cursor.
type venueCursor struct {
	Since int64    `json:"since"`
	Seen  []string `json:"seen"`
}

// cursor is the poll position of an inbox.
type cursor struct {
	V      int                    `json:"v"`
	Venues map[string]venueCursor `json:"venues"`
}

const cursorVersion = 1

// maxCursorBytes bounds a cursor read back: 100 venues of 50 ids.
const maxCursorBytes = 1 << 20

// parseCursor reads a saved cursor; ok is false for one that is not
// Parley's.
func parseCursor(s string) (cursor, bool) {
	var c cursor
	if len(s) > maxCursorBytes || json.Unmarshal([]byte(s), &c) != nil || c.V != cursorVersion || c.Venues == nil {
		return cursor{}, false
	}
	for id, v := range c.Venues {
		if !placeID(id) || v.Since <= 0 || len(v.Seen) > pageLimit {
			return cursor{}, false
		}
	}
	return c, true
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// PollInterval is the inbox's poll_minutes, an hour by default: each poll
// costs a billed call per venue, and tips are few.
func (a *Adapter) PollInterval(in care.Inbox) time.Duration {
	n, _ := pollMinutes(in)
	return time.Duration(n) * time.Minute
}

// Poll returns the tips written at the inbox's venues since cursor, oldest
// first, and the cursor to save once they are stored. A venue that fails
// (an unknown place, a page it cannot read) does not stop the others: Poll
// returns what they read, the cursor after it, and the error. A refusal
// every venue shares (the key, the plan's credits, the rate limit) stops
// the poll there. Errors are *channel.SendError: 401, 402 and 403
// permanent, 429 and 5xx temporary with Foursquare's Retry-After. A
// cursor it cannot read is logged and treated as none.
func (a *Adapter) Poll(ctx context.Context, in care.Inbox, cur string) ([]channel.Event, string, error) {
	key, err := keyOf(in)
	if err != nil {
		return nil, cur, err
	}
	venues, err := parseVenues(in.Credentials[CredVenues])
	if err != nil {
		return nil, cur, channel.Permanent(care.ErrorMessage(err), err)
	}
	base, err := a.baseURL(in)
	if err != nil {
		return nil, cur, channel.Permanent(care.ErrorMessage(err), err)
	}
	prev, ok := parseCursor(cur)
	if !ok && cur != "" {
		a.logger().Warn("foursquare: poll cursor not understood; starting from now", "inbox", in.ID)
	}
	now := a.now()
	next := cursor{V: cursorVersion, Venues: map[string]venueCursor{}}
	var events []channel.Event
	var firstErr error
	for i, v := range venues {
		pc, known := prev.Venues[v.id]
		tips, err := a.fetchTips(ctx, base, key, v.id)
		if err != nil {
			if known {
				next.Venues[v.id] = pc
			}
			if firstErr == nil {
				firstErr = err
			}
			if fatal(err) {
				// Keep what the venues not reached had.
				for _, rest := range venues[i+1:] {
					if pc, ok := prev.Venues[rest.id]; ok {
						next.Venues[rest.id] = pc
					}
				}
				break
			}
			continue
		}
		if !known {
			pc = venueCursor{Since: now.Unix()}
		} else {
			// The page is newest first; reading it backwards keeps tips
			// of the same time in the order they were written.
			for _, t := range slices.Backward(tips) {
				if slices.Contains(pc.Seen, t.id()) || !t.CreatedAt.IsZero() && t.CreatedAt.Unix() < pc.Since {
					continue
				}
				ev, ok := event(t, v, now, t.raw)
				if !ok {
					a.logger().Warn("foursquare: skipped a tip without a usable id", "inbox", in.ID, "venue", v.id)
					continue
				}
				events = append(events, ev)
			}
		}
		pc.Seen = pc.Seen[:0:0]
		for _, t := range tips {
			if id := t.id(); tipID(id) && !slices.Contains(pc.Seen, id) && len(pc.Seen) < pageLimit {
				pc.Seen = append(pc.Seen, id)
			}
		}
		next.Venues[v.id] = pc
	}
	slices.SortStableFunc(events, func(x, y channel.Event) int { return x.Inbound.SentAt.Compare(y.Inbound.SentAt) })
	return events, next.String(), firstErr
}
