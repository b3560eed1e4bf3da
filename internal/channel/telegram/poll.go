package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Polling, for inboxes in mode "polling": getUpdates
// (core.telegram.org/bots/api#getupdates) with timeout 0, a short poll, so
// one poll never holds a connection open.
//
// Cursor: "<offset>:<unix seconds>", the offset to ask for next (one more
// than the highest update_id received) and when an update was last
// received. Telegram confirms, and forgets, every update below the offset
// of a getUpdates call, so the offset is only sent in the poll after the
// events were stored: each poll reads one page, never two. "If there are no
// new updates for at least a week, then identifier of the next update will
// be chosen randomly instead of sequentially" (#update), possibly below the
// saved offset; after six quiet days Parley therefore asks without an
// offset, for every unconfirmed update, which were all confirmed by the
// poll after they were stored (or are recognised as duplicates).
const (
	pollInterval = 3 * time.Second
	pollLimit    = 100
	idleReset    = 6 * 24 * time.Hour
	// maxUpdatesBytes bounds one page of updates. A page larger than that
	// (a hundred long messages quoting long messages) is fetched again one
	// update at a time.
	maxUpdatesBytes = 16 << 20
	// conflictWait spaces polls refused because of a webhook or another
	// poller: the operator has to act, and the log should not fill up.
	conflictWait = time.Minute
)

type getUpdatesRequest struct {
	Offset         int64    `json:"offset,omitempty"`
	Limit          int      `json:"limit"`
	Timeout        int      `json:"timeout"`
	AllowedUpdates []string `json:"allowed_updates"`
}

// PollInterval is 3 seconds for an inbox in mode "polling" and 0 (not
// polled) otherwise. Telegram documents no rate limit on getUpdates.
func (a *Adapter) PollInterval(in care.Inbox) time.Duration {
	if in.Credentials[CredMode] == ModePolling {
		return pollInterval
	}
	return 0
}

// Poll returns the events of the updates after cursor, in update order,
// and the cursor to save once they are stored. Telegram's refusals are
// *channel.SendError: flood control temporary with its retry_after, 409
// Conflict temporary for a minute with what to do (Telegram refuses
// getUpdates while the bot has a webhook, and serves one poller at a time),
// a bad token permanent. A cursor it cannot read is logged and treated as
// none.
func (a *Adapter) Poll(ctx context.Context, in care.Inbox, cursor string) ([]channel.Event, string, error) {
	now := a.now()
	offset, seen, ok := parseCursor(cursor)
	if cursor != "" && !ok {
		a.logger().Warn("telegram: poll cursor not understood; asking for every unconfirmed update", "inbox", in.ID)
	}
	req := getUpdatesRequest{Limit: pollLimit, AllowedUpdates: AllowedUpdates}
	if ok && now.Sub(seen) < idleReset {
		req.Offset = offset
	}
	result, err := a.call(ctx, in, "getUpdates", req, maxUpdatesBytes)
	if errors.Is(err, errTooLarge) {
		req.Limit = 1
		result, err = a.call(ctx, in, "getUpdates", req, maxUpdatesBytes)
	}
	if err != nil {
		return nil, cursor, pollError(err)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(result, &raws); err != nil {
		return nil, cursor, channel.Temporary("Telegram's list of updates was not understood", 0, err)
	}
	keys, dates := make([]string, len(raws)), make([]int64, len(raws))
	for i, raw := range raws {
		keys[i], dates[i] = album(raw)
	}
	// An album still arriving is left unconfirmed, for the next poll
	// (album.go).
	raws = raws[:holdAlbum(keys, dates, now)]
	p := newParser(in, now)
	var page []polled
	var last int64
	for i, raw := range raws {
		evs, id, err := p.update(raw)
		if err != nil {
			p.skip("an update that is not one: %v", err)
		}
		p.log(a, in, id)
		for _, ev := range evs {
			page = append(page, polled{ev: ev, album: keys[i], raw: raw})
		}
		last = max(last, min(id, math.MaxInt64-1))
	}
	events := joinAlbums(page)
	if last == 0 {
		return events, cursor, nil
	}
	return events, formatCursor(last+1, now), nil
}

// pollError explains getUpdates' conflicts, the one refusal an operator
// of a polled bot meets and must resolve.
func pollError(err error) error {
	var se *channel.SendError
	if !errors.As(err, &se) || se.Status != http.StatusConflict {
		return err
	}
	se.Permanent, se.RetryAfter = false, conflictWait
	se.Reason = "another program is reading this bot's updates (Telegram serves one at a time); stop it, or give Parley its own bot"
	if strings.Contains(strings.ToLower(se.Err.Error()), "webhook") {
		se.Reason = "Telegram refuses getUpdates while the bot has a webhook: set the inbox's mode to webhook, or remove the webhook with deleteWebhook"
	}
	return se
}

// maxCursorBytes bounds a cursor: two decimal int64s and a colon.
const maxCursorBytes = 41

func formatCursor(offset int64, seen time.Time) string {
	return strconv.FormatInt(offset, 10) + ":" + strconv.FormatInt(seen.Unix(), 10)
}

// parseCursor reads a cursor made by formatCursor; ok is false for "" and
// anything else.
func parseCursor(c string) (offset int64, seen time.Time, ok bool) {
	o, s, found := strings.Cut(c, ":")
	if !found || len(c) > maxCursorBytes || !isDigits(o) || !isDigits(s) {
		return 0, time.Time{}, false
	}
	offset, err1 := strconv.ParseInt(o, 10, 64)
	secs, err2 := strconv.ParseInt(s, 10, 64)
	if err1 != nil || err2 != nil || offset <= 0 {
		return 0, time.Time{}, false
	}
	return offset, time.Unix(secs, 0).UTC(), true
}
