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
//     and quote, 50 a page. It lists newest first, with a cursor that
//     leads to older pages, so Poll remembers the newest indexedAt it has
//     seen and reads pages until it reaches it (at most notificationPages
//     of them; a larger burst between two polls keeps its newest part, and
//     says so in the log). The first poll reads only the newest page, and
//     of it only the last day: the inbox starts with the recent past, not
//     the account's history.
//  2. chat.bsky.convo.getLog through the PDS with atproto-proxy
//     did:web:api.bsky.chat#bsky_chat: every change to the account's
//     conversations after a cursor, oldest first. Without a cursor it
//     answers none and the cursor of "now" (atproto issue 2760), which is
//     where the inbox's DMs begin.
//
// Nothing is marked read or seen: the brand's people may use Bluesky's own
// apps beside Parley.
//
// The cursor is JSON, {"n": newest indexedAt, "c": chat log cursor}.
//
// Interval: the PDS allows 3,000 requests per 5 minutes per IP
// (docs.bsky.app/docs/advanced-guides/rate-limits). A quiet poll costs two
// requests, a busy one a few more (pages, one getProfiles); every 25
// seconds that is about 30 requests per 5 minutes per inbox, so a hundred
// inboxes polled from one address stay within the limit.
const (
	pollInterval      = 25 * time.Second
	notificationLimit = 50
	notificationPages = 4
	chatPages         = 5
	maxCursorBytes    = 4096
	firstPollWindow   = 24 * time.Hour
)

// sinceStart is the newest indexedAt of an inbox that has polled and seen
// nothing yet: every notification is newer.
const sinceStart = "1970-01-01T00:00:00Z"

// PollInterval is 25 seconds for every Bluesky inbox: Bluesky has no
// webhooks.
func (a *Adapter) PollInterval(care.Inbox) time.Duration { return pollInterval }

type pollCursor struct {
	Newest string `json:"n,omitempty"`
	Chat   string `json:"c,omitempty"`
}

func (c pollCursor) valid() bool {
	return (c.Newest == "" || !parseTime(c.Newest).IsZero()) && len(c.Chat) <= 512 && printable(c.Chat)
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
	notes, newest, err := a.pollNotifications(ctx, in, brand, c.Newest, now)
	if err != nil {
		return nil, cursor, err
	}
	c.Newest = newest
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

// pollNotifications reads the notifications newer than since (an
// indexedAt; "" on the first poll) and returns them oldest first, with the
// newest indexedAt now seen.
func (a *Adapter) pollNotifications(ctx context.Context, in care.Inbox, brand, since string, now time.Time) ([]pendingEvent, string, error) {
	first := since == ""
	sinceT := parseTime(since)
	newestT := sinceT
	var found []pendingEvent // newest first
	seen := map[string]bool{}
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
			return nil, since, err
		}
		reached := false
		for _, raw := range out.Notifications {
			ib, indexed, why := notificationInbound(raw, brand, now)
			if !indexed.IsZero() && !sinceT.IsZero() && !indexed.After(sinceT) {
				reached = true
				break
			}
			if indexed.After(newestT) {
				newestT = indexed
			}
			if first && indexed.Before(now.Add(-firstPollWindow)) {
				why = "older than the inbox"
			}
			if why != "" {
				if why != "the brand's own post" {
					a.logger().Debug("bluesky: notification skipped", "inbox", in.ID, "why", why)
				}
				continue
			}
			if !seen[ib.PlatformID] {
				seen[ib.PlatformID] = true
				found = append(found, pendingEvent{in: ib, raw: raw})
			}
		}
		if first || reached || out.Cursor == "" || len(out.Notifications) == 0 || len(out.Cursor) > 512 {
			break
		}
		if p == notificationPages-1 {
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
	return found, newest, nil
}

// pollChat reads the chat log after cursor ("" on the first poll) and
// returns the customers' messages and deletions in it, oldest first, with
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
