package email

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// PollLimit is the most messages one poll fetches; a backlog comes in over
// the following polls, oldest first.
const PollLimit = 50

// ResumeWindow is how far back a poll reaches when it has no position in
// the mailbox: the first time, and after the server changed the mailbox's
// UIDVALIDITY (a restore, a migration), which makes every saved UID
// meaningless. Re-importing the whole mailbox would reopen years of
// resolved mail; messages of the last day are read again instead, and
// Message-IDs make those Parley already has harmless.
const ResumeWindow = 24 * time.Hour

// maxRawBytes bounds the copy of a message kept as its event's raw payload:
// the header and text of nearly every message, without the bulk of large
// attachments, whose bytes Parley does not store.
const maxRawBytes = 1 << 20

// cursor is an inbox's position in its mailbox: the mailbox's UIDVALIDITY
// and the highest UID read. UIDs only grow while UIDVALIDITY stays the same
// (RFC 9051 §2.3.1.1).
type cursor struct {
	UIDValidity uint32 `json:"uidvalidity"`
	UID         uint32 `json:"uid"`
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}

func parseCursor(s string) (cursor, bool) {
	var c cursor
	if s == "" || json.Unmarshal([]byte(s), &c) != nil || c.UIDValidity == 0 {
		return cursor{}, false
	}
	return c, true
}

// Poll reads the messages that arrived in the inbox's mailbox since cursor,
// at most PollLimit of them, oldest first, and returns one event for each
// customer message, echo or delivery report among them (see package doc
// for what is skipped). The mailbox is opened read-only (EXAMINE) and
// bodies fetched with BODY.PEEK, so flags stay as they are: Poll cannot
// know when its events are durably stored, so it does not mark anything
// \Seen, and people reading the same mailbox see it unchanged. It returns
// a *channel.SendError: permanent for credentials that do not work,
// temporary for everything else. After a failure part-way through it
// returns the events before it, with the cursor after them.
func (a *Adapter) Poll(ctx context.Context, in care.Inbox, cur string) ([]channel.Event, string, error) {
	s, err := imapSettingsOf(in)
	if err != nil {
		return nil, cur, channel.Permanent(care.ErrorMessage(err), err)
	}
	var me identity
	if from, err := parseFrom(in.Credentials[CredFrom]); err == nil {
		me = identity{address: from.Address, domain: domainOf(from.Address)}
	}
	me.authserv = authservIDs(in.Credentials[CredAuthservID])
	c, err := a.dialIMAP(ctx, s, nil)
	if err != nil {
		return nil, cur, err
	}
	defer c.close()
	sel, err := c.Select(s.mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return nil, cur, imapFailure(s, "EXAMINE "+s.mailbox, err)
	}

	prev, ok := parseCursor(cur)
	var criteria imap.SearchCriteria
	next := cursor{UIDValidity: sel.UIDValidity}
	if ok && prev.UIDValidity == sel.UIDValidity {
		next.UID = prev.UID
		criteria.UID = []imap.UIDSet{{{Start: imap.UID(prev.UID + 1), Stop: 0}}}
	} else {
		if ok {
			a.logger().Warn("email: the mailbox's UIDVALIDITY changed; reading the last day's messages again",
				"inbox", in.ID, "mailbox", s.mailbox, "was", prev.UIDValidity, "now", sel.UIDValidity)
		}
		criteria.Since = a.now().Add(-ResumeWindow)
	}
	data, err := c.UIDSearch(&criteria, nil).Wait()
	if err != nil {
		return nil, cur, imapFailure(s, "UID SEARCH", err)
	}
	uids := newUIDs(data, next.UID)
	if len(uids) == 0 {
		if next.UID == 0 && sel.UIDNext > 1 {
			// Nothing recent: start after everything there is.
			next.UID = uint32(sel.UIDNext) - 1
		}
		return nil, next.String(), nil
	}
	uids = uids[:min(len(uids), PollLimit)]
	events, last, err := a.fetch(c, in, me, s.mailbox, sel.UIDValidity, uids)
	if last > 0 {
		next.UID = uint32(last)
	}
	if err != nil {
		return events, next.String(), imapFailure(s, "UID FETCH", err)
	}
	return events, next.String(), nil
}

// newUIDs returns the UIDs of a search result above after, ascending. A
// UID range n:* also matches the last message when every UID is below n
// (RFC 9051 §6.4.8), hence the filter.
func newUIDs(data *imap.SearchData, after uint32) []imap.UID {
	set, ok := data.All.(imap.UIDSet)
	if !ok {
		return nil
	}
	all, ok := set.Nums()
	if !ok {
		return nil // "*" in a search result: a broken server
	}
	uids := make([]imap.UID, 0, len(all))
	for _, u := range all {
		if uint32(u) > after {
			uids = append(uids, u)
		}
	}
	slices.Sort(uids)
	return slices.Compact(uids)
}

// fetched is one message as the server returned it.
type fetched struct {
	mailbox     string
	uidValidity uint32
	uid         imap.UID
	received    time.Time
	size        int64
	raw         []byte
}

// fetch reads the messages uids, at most MaxMessageBytes of each, and
// turns them into events in UID order. last is the highest UID up to which
// every message was read (or found gone), so a poll cut short by a lost
// connection resumes after it.
func (a *Adapter) fetch(c *imapConn, in care.Inbox, me identity, mailbox string, uidValidity uint32, uids []imap.UID) (events []channel.Event, last imap.UID, err error) {
	body := &imap.FetchItemBodySection{Peek: true, Partial: &imap.SectionPartial{Offset: 0, Size: MaxMessageBytes}}
	cmd := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
		UID: true, InternalDate: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{body},
	})
	got := map[imap.UID][]channel.Event{}
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		var f fetched
		for item := msg.Next(); item != nil; item = msg.Next() {
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				f.uid = it.UID
			case imapclient.FetchItemDataInternalDate:
				f.received = it.Time
			case imapclient.FetchItemDataRFC822Size:
				f.size = it.Size
			case imapclient.FetchItemDataBodySection:
				if it.Literal != nil {
					// Never trust the server to honour the partial
					// fetch: read no more than asked.
					f.raw = readUpTo(it.Literal, MaxMessageBytes)
				}
			}
		}
		if f.raw == nil || !slices.Contains(uids, f.uid) {
			continue // a FETCH for flags changed elsewhere, say
		}
		f.mailbox, f.uidValidity = mailbox, uidValidity
		got[f.uid] = a.event(in, me, &f)
	}
	err = cmd.Close()
	for _, uid := range uids {
		evs, ok := got[uid]
		if !ok && err != nil {
			break
		}
		// A UID the server did not return was expunged since the search.
		events = append(events, evs...)
		last = uid
	}
	return events, last, err
}

// event turns a fetched message into its event; none when it is skipped,
// with a log line saying why.
func (a *Adapter) event(in care.Inbox, me identity, f *fetched) []channel.Event {
	received := f.received
	if received.IsZero() {
		received = a.now()
	}
	p, err := parse(f.raw, me, received)
	if err != nil {
		a.logger().Warn("email: unreadable message skipped", "inbox", in.ID, "uid", f.uid, "err", err)
		return nil
	}
	if p.skip != "" {
		a.logger().Info("email: message skipped", "inbox", in.ID, "uid", f.uid, "message_id", p.in.PlatformID, "reason", p.skip)
		return nil
	}
	p.locate(f.mailbox, f.uidValidity, uint32(f.uid))
	if f.size > MaxMessageBytes && p.in.Kind != care.KindStatus {
		note := fmt.Sprintf("\n\n[This email is %.1f MB; Parley read its first %d MB. Open it in the mailbox for the rest.]", float64(f.size)/(1<<20), MaxMessageBytes>>20)
		p.in.Text = cutText(p.in.Text, care.MaxTextBytes-len(note)) + note
	}
	raw := f.raw
	if len(raw) > maxRawBytes {
		raw = raw[:maxRawBytes]
	}
	return []channel.Event{{Inbound: p.in, Raw: raw}}
}
