package reddit

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Edits. Reddit tells no one of an edit, and the inbox listing shows a
// comment's current body without saying it changed: r2's
// MessageJsonTemplate, which renders inbox items, has no "edited". A
// comment's own JSON has it: false, or when its author last edited it, in
// Unix seconds (r2's CommentJsonTemplate; the "Comment" schema of
// github.com/Pyprohly/reddit-api-doc-notes). So the poll cursor keeps the
// customers' comments read in the last editWindow, at most maxWatch of
// them, and every editCheckInterval one GET /api/info?id=<fullnames>
// (scope read; it takes up to 100 names) reads them again as comments.
// That is 0.2 requests a minute on top of an inbox's 2, skipped while
// Reddit's budget is low. A comment edited since Parley read it becomes a
// message of its own, "[Edited] …", answering it and named
// "<fullname>:edit:<edited>", as Telegram's and YouTube's edits are; the
// same edit read again has the same name, and the core keeps it once. A
// comment already edited when first read is one message with its current
// text. Messages (t4) cannot be edited.
const (
	editWindow        = 24 * time.Hour
	editCheckInterval = 5 * time.Minute
	maxWatch          = 100
	editedPrefix      = "[Edited] "
)

// watched is a comment whose edits the poll looks for.
type watched struct {
	Name string `json:"n"`
	// Read is when Parley first read it; Edited the "edited" time of the
	// last edit reported, 0 for none. An edit is new when it is later
	// than both.
	Read   int64 `json:"r"`
	Edited int64 `json:"e,omitempty"`
}

// EditID is the platform id of the event reporting that comment name was
// edited at t: "<fullname>:edit:<unix seconds>".
func EditID(name string, t time.Time) string {
	return name + ":edit:" + strconv.FormatInt(t.Unix(), 10)
}

// watch adds the customers' comments among events to c's list, newest
// last, keeping the maxWatch newest.
func (c *pollCursor) watch(events []channel.Event, now time.Time) {
	for _, ev := range events {
		in := &ev.Inbound
		if in.Kind != "" && in.Kind != care.KindMessage || kindOf(in.PlatformID) != kindComment {
			continue
		}
		if slices.ContainsFunc(c.Watch, func(w watched) bool { return w.Name == in.PlatformID }) {
			continue
		}
		c.Watch = append(c.Watch, watched{Name: in.PlatformID, Read: now.Unix()})
	}
	if len(c.Watch) > maxWatch {
		c.Watch = slices.Delete(c.Watch, 0, len(c.Watch)-maxWatch)
	}
}

// checkEdits runs after a poll that read events and returned cursor: it
// adds the comments among events to the cursor's watch list and, when
// check is set and editCheckInterval has passed since the last check,
// returns the edits of the watched comments. It never fails the poll: an
// edit check Reddit refuses is logged and tried again at the next
// interval.
func (a *Adapter) checkEdits(ctx context.Context, in care.Inbox, events []channel.Event, cursor string, check bool) ([]channel.Event, string) {
	var c pollCursor
	if cursor == "" || json.Unmarshal([]byte(cursor), &c) != nil {
		return nil, cursor
	}
	now := a.now()
	before, checked := slices.Clone(c.Watch), c.Checked
	c.watch(events, now)
	c.Watch = slices.DeleteFunc(c.Watch, func(w watched) bool { return now.Sub(time.Unix(w.Read, 0)) > editWindow })
	if c.Checked == 0 && len(c.Watch) > 0 {
		// The comments were just read: the first check can wait its turn.
		c.Checked = now.Unix()
	}
	changed := !slices.Equal(before, c.Watch) || c.Checked != checked
	if _, low := a.lowUntil(in); !check || len(c.Watch) == 0 || low || now.Sub(time.Unix(c.Checked, 0)) < editCheckInterval {
		if changed {
			return nil, c.String()
		}
		return nil, cursor
	}
	c.Checked = now.Unix()
	edits, err := a.edits(ctx, in, c.Watch, now)
	if err != nil {
		a.logger().Warn("reddit: could not look for edits of recent comments; trying again later", "inbox", in.ID, "err", err)
	}
	return edits, c.String()
}

// edits reads the watched comments with /api/info and returns an event
// for each edit not reported yet, updating watch.
func (a *Adapter) edits(ctx context.Context, in care.Inbox, watch []watched, now time.Time) ([]channel.Event, error) {
	names := make([]string, len(watch))
	for i, w := range watch {
		names[i] = w.Name
	}
	r, err := a.call(ctx, in, request{method: http.MethodGet, path: "/api/info",
		query: url.Values{"id": {strings.Join(names, ",")}, "raw_json": {"1"}}})
	if err != nil {
		return nil, err
	}
	if !r.ok() {
		return nil, apiError(r, now)
	}
	var l listing
	if err := json.Unmarshal(r.body, &l); err != nil || l.Kind != "Listing" {
		return nil, errors.New("reddit: /api/info did not answer a Listing")
	}
	var events []channel.Event
	for _, raw := range l.Data.Children {
		ev, name, edited, ok := editOf(in, raw, now)
		if !ok {
			continue
		}
		i := slices.IndexFunc(watch, func(w watched) bool { return w.Name == name })
		if i < 0 || edited <= max(watch[i].Read, watch[i].Edited) {
			continue
		}
		watch[i].Edited = edited
		events = append(events, ev)
	}
	return events, nil
}

// editOf maps one comment of an /api/info Listing to the event of its
// latest edit; ok is false when it was never edited, is deleted or
// removed, or is not a customer's comment.
func editOf(in care.Inbox, raw []byte, now time.Time) (ev channel.Event, name string, edited int64, ok bool) {
	var t struct {
		Kind string `json:"kind"`
		Data struct {
			Edited looseFloat `json:"edited"`
		} `json:"data"`
	}
	if json.Unmarshal(raw, &t) != nil || t.Kind != kindComment {
		return channel.Event{}, "", 0, false
	}
	at := t.Data.Edited.time()
	m, err := mapThing(in, raw, now)
	if err != nil || m.skipped != "" || at.IsZero() || at.After(now.Add(maxFuture)) {
		return channel.Event{}, "", 0, false
	}
	e := m.event.Inbound
	text := e.Text
	e.PlatformID, e.ReplyToPlatformID = EditID(m.name, at), m.name
	e.Text = channel.CleanText(editedPrefix+text, care.MaxTextBytes)
	// The edit answers the comment, which carries the thread's subject,
	// link and score.
	e.Subject, e.Attachments, e.Engagement, e.SentAt = "", nil, 0, at
	return channel.Event{Inbound: e, Raw: raw}, m.name, at.Unix(), true
}
