package bluesky

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Polling. Bluesky pushes nothing to a third party, so every inbox is
// polled, from two sources:
//
//  1. app.bsky.notification.listNotifications with reasons mention, reply
//     and quote, 50 a page, newest first, with a cursor that leads to
//     older pages. The order is not the order of arrival: the AppView
//     lists by sortAt, the earlier of the post's createdAt (the author's
//     device clock) and the time it indexed the post, and shows that as
//     the notification's indexedAt (bluesky-social/atproto, packages/bsky:
//     the post table's sortAt is least("createdAt", "indexedAt"),
//     listNotifications selects notif.sortAt as indexedAt). A post from a
//     phone whose clock is behind, or one that reaches the AppView late,
//     is listed below notifications already read. So each poll reads down
//     to lateWindow below the newest indexedAt it has seen, and the cursor
//     remembers the notifications read in that window: what is listed
//     there and not remembered is new, whatever its time; equal times are
//     no exception. A poll reads at most notificationPages pages; a larger
//     burst between two polls keeps its newest part, and says so in the
//     log. The first poll reads only the newest page, and of it only the
//     last day: the inbox starts with the recent past, not the account's
//     history.
//  2. chat.bsky.convo.getLog through the PDS with atproto-proxy
//     did:web:api.bsky.chat#bsky_chat: every change to the account's
//     conversations after a cursor, oldest first. Without a cursor it
//     answers none and the cursor of "now" (atproto issue 2760), which is
//     where the inbox's DMs begin.
//
// Nothing is marked read or seen: the brand's people may use Bluesky's own
// apps beside Parley.
//
// The cursor is JSON, {"v": 1, "n": newest indexedAt, "c": chat log
// cursor, "s": [at:// URIs of the notifications read within lateWindow
// of n, newest first]}. A cursor without "v" (written before "s" was
// kept) is read as it was meant: everything not newer than n was read.
//
// Interval: the PDS allows 3,000 requests per 5 minutes per IP
// (docs.bsky.app/docs/advanced-guides/rate-limits). A quiet poll costs two
// requests (three while every notification the account has is within
// lateWindow: an empty page says the listing ended), a busy one a few
// more (pages, one getProfiles); every 25 seconds that is about 30
// requests per 5 minutes per inbox, so a hundred inboxes polled from one
// address stay within the limit.
const (
	pollInterval      = 25 * time.Second
	notificationLimit = 50
	notificationPages = 4
	chatPages         = 5
	firstPollWindow   = 24 * time.Hour
	// lateWindow is how far below the newest indexedAt seen a notification
	// may still turn up and be read: clock skew of the author's device, and
	// delays between their PDS, the relay and the AppView.
	lateWindow = 15 * time.Minute
	// maxSeen bounds the notifications the cursor remembers: more than one
	// poll reads, so a busy window is remembered whole. Beyond it (more than
	// maxSeen notifications within lateWindow), the oldest are forgotten and
	// may be read again, which the core recognises by their ids.
	maxSeen = notificationPages*notificationLimit + 50
	// maxSeenBytes bounds the remembered URIs together (did:web DIDs can be
	// long); maxCursorBytes bounds a cursor read back.
	maxSeenBytes   = 48 << 10
	maxCursorBytes = 64 << 10
	cursorVersion  = 1
)

// sinceStart is the newest indexedAt of an inbox that has polled and seen
// nothing yet: every notification is newer.
const sinceStart = "1970-01-01T00:00:00Z"

// PollInterval is 25 seconds for every Bluesky inbox: Bluesky has no
// webhooks.
func (a *Adapter) PollInterval(care.Inbox) time.Duration { return pollInterval }

type pollCursor struct {
	V      int      `json:"v,omitempty"`
	Newest string   `json:"n,omitempty"`
	Chat   string   `json:"c,omitempty"`
	Seen   []string `json:"s,omitempty"`
}

func (c pollCursor) valid() bool {
	if c.V < 0 || c.V > cursorVersion || c.Newest != "" && parseTime(c.Newest).IsZero() ||
		len(c.Chat) > 512 || !printable(c.Chat) || len(c.Seen) > maxSeen {
		return false
	}
	for _, s := range c.Seen {
		if _, ok := parsePostURI(s); !ok {
			return false
		}
	}
	return true
}

// Poll returns the customers' mentions, replies, quotes and DMs after
// cursor, notifications first and each source oldest first, and the cursor
// to save once they are stored. Notifications are read first; if the chat
// log then fails, it returns them, a cursor advanced for them only, and the
// error, so one failing source does not hold up the other. Bluesky's
// refusals are *channel.SendError: 429 temporary with RetryAfter at the
// limit's reset, 5xx temporary, the rest permanent; a login that must wait
// (see session.go) fails fast. A cursor it cannot read is logged and
// treated as none.
func (a *Adapter) Poll(ctx context.Context, in care.Inbox, cursor string) ([]channel.Event, string, error) {
	var c pollCursor
	if cursor != "" {
		if len(cursor) > maxCursorBytes || json.Unmarshal([]byte(cursor), &c) != nil || !c.valid() {
			a.logger().Warn("bluesky: poll cursor not understood; starting from now", "inbox", in.ID)
			c = pollCursor{}
		}
	}
	brand, err := a.accountDID(ctx, in)
	if err != nil {
		return nil, cursor, err
	}
	now := a.now()
	notes, newest, seen, err := a.pollNotifications(ctx, in, brand, c, now)
	if err != nil {
		return nil, cursor, err
	}
	c.V, c.Newest, c.Seen = cursorVersion, newest, seen
	// On an error, dms and chat are what the log's first pages held.
	dms, chat, chatErr := a.pollChat(ctx, in, brand, c.Chat, now)
	c.Chat = chat
	pending := append(notes, dms...)
	authors := make([]*care.Author, 0, len(pending))
	for i := range pending {
		if pending[i].in.Kind == care.KindMessage {
			authors = append(authors, &pending[i].in.Author)
		}
	}
	a.complete(ctx, in, authors)
	events := make([]channel.Event, 0, len(pending))
	for _, p := range pending {
		if ev, ok := a.finish(p.in, p.raw); ok {
			events = append(events, ev)
		}
	}
	next, _ := json.Marshal(c)
	return events, string(next), chatErr
}

// pendingEvent is an event found, before its author is completed.
type pendingEvent struct {
	in  care.Inbound
	raw []byte
}

// readNote is a notification a poll read within the window.
type readNote struct {
	uri     string
	indexed time.Time
}

// pollNotifications reads the notifications c has not seen and returns
// them oldest first, with the newest indexedAt now seen and the
// notifications to remember (see the cursor above).
func (a *Adapter) pollNotifications(ctx context.Context, in care.Inbox, brand string, c pollCursor, now time.Time) ([]pendingEvent, string, []string, error) {
	first := c.Newest == ""
	sinceT := parseTime(c.Newest)
	// A cursor written before the window was kept read everything up to
	// its newest time, and only that.
	legacy := !first && c.V == 0
	var floor time.Time // below it, nothing is read
	if !first {
		floor = sinceT.Add(-lateWindow)
	}
	seen := make(map[string]bool, len(c.Seen))
	for _, s := range c.Seen {
		seen[s] = true
	}
	newestT := sinceT
	var found []pendingEvent // newest first
	var read []readNote
	listed := map[string]bool{}
	whole := false // the window was read to its end
	var page string
	for p := 0; p < notificationPages; p++ {
		q := url.Values{"reasons": {"mention", "reply", "quote"}, "limit": {strconv.Itoa(notificationLimit)}}
		if page != "" {
			q.Set("cursor", page)
		}
		var out struct {
			Notifications []json.RawMessage `json:"notifications"`
			Cursor        string            `json:"cursor"`
		}
		if _, err := a.xrpc(ctx, in, call{nsid: "app.bsky.notification.listNotifications", query: q, proxy: appViewProxy},
			"reading notifications", &out); err != nil {
			return nil, c.Newest, c.Seen, err
		}
		reached, fresh := false, false
		for _, raw := range out.Notifications {
			var n notification
			if err := json.Unmarshal(raw, &n); err != nil {
				a.logger().Debug("bluesky: notification skipped", "inbox", in.ID, "why", "not a notification")
				continue
			}
			indexed := parseTime(n.IndexedAt)
			if !floor.IsZero() && !indexed.IsZero() && indexed.Before(floor) {
				reached = true
				break
			}
			if indexed.After(newestT) {
				newestT = indexed
			}
			// A post listed twice (a reply that also mentions the brand)
			// is one message.
			if _, ok := parsePostURI(n.URI); ok {
				if listed[n.URI] {
					continue
				}
				listed[n.URI] = true
				read = append(read, readNote{n.URI, indexed})
				if seen[n.URI] {
					continue
				}
			}
			if legacy && !indexed.IsZero() && !indexed.After(sinceT) {
				continue
			}
			fresh = true
			ib, why := n.inbound(brand, now)
			if first && indexed.Before(now.Add(-firstPollWindow)) {
				why = "older than the inbox"
			}
			if why != "" {
				if why != "the brand's own post" {
					a.logger().Debug("bluesky: notification skipped", "inbox", in.ID, "why", why)
				}
				continue
			}
			found = append(found, pendingEvent{in: ib, raw: raw})
		}
		if reached || out.Cursor == "" || len(out.Notifications) == 0 {
			whole = true
			break
		}
		if first || len(out.Cursor) > 512 {
			break
		}
		if p == notificationPages-1 && fresh {
			a.logger().Warn("bluesky: more new notifications than one poll reads; the oldest of this burst are skipped",
				"inbox", in.ID, "read", len(found))
		}
		page = out.Cursor
	}
	for i, j := 0, len(found)-1; i < j; i, j = i+1, j-1 {
		found[i], found[j] = found[j], found[i]
	}
	newest := sinceStart
	if !newestT.IsZero() {
		newest = newestT.Format(time.RFC3339Nano)
	}
	return found, newest, remember(read, c.Seen, whole, newestT.Add(-lateWindow)), nil
}

// remember returns the notifications the next poll must know it has read:
// those read now at or above floor, newest first, then, when this poll did
// not read the whole window, those remembered before; at most maxSeen of
// them and maxSeenBytes together.
func remember(read []readNote, before []string, whole bool, floor time.Time) []string {
	var out []string
	kept := map[string]bool{}
	for _, r := range read {
		if r.indexed.IsZero() || !r.indexed.Before(floor) {
			out = append(out, r.uri)
			kept[r.uri] = true
		}
	}
	if !whole {
		for _, s := range before {
			if !kept[s] {
				out = append(out, s)
				kept[s] = true
			}
		}
	}
	size := 0
	for i, s := range out {
		if size += len(s) + 3; i == maxSeen || size > maxSeenBytes {
			return out[:i]
		}
	}
	return out
}

// pollChat reads the chat log after cursor ("" on the first poll) and
// returns the customers' messages in it, oldest first, with
// the cursor after them; on an error, those of the pages read before it.
func (a *Adapter) pollChat(ctx context.Context, in care.Inbox, brand, cursor string, now time.Time) ([]pendingEvent, string, error) {
	var found []pendingEvent
	for range chatPages {
		q := url.Values{}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var out struct {
			Logs   []json.RawMessage `json:"logs"`
			Cursor string            `json:"cursor"`
		}
		if _, err := a.xrpc(ctx, in, call{nsid: "chat.bsky.convo.getLog", query: q, proxy: chatProxy},
			"reading direct messages", &out); err != nil {
			return found, cursor, err
		}
		for _, raw := range out.Logs {
			ib, why := logInbound(raw, brand, now)
			if why != "" {
				if why != "the brand's own message" {
					a.logger().Debug("bluesky: chat log entry skipped", "inbox", in.ID, "why", why)
				}
				continue
			}
			found = append(found, pendingEvent{in: ib, raw: raw})
		}
		if out.Cursor == "" || out.Cursor == cursor || len(out.Cursor) > 512 || !printable(out.Cursor) {
			break
		}
		cursor = out.Cursor
		if len(out.Logs) == 0 {
			break
		}
	}
	return found, cursor, nil
}
