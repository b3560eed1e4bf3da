package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/faillog"
)

// Publisher notifies live subscribers of committed events.
type Publisher interface {
	Publish(events ...care.Event)
}

// Pipeline turns stored raw events into contacts, conversations and messages.
// It runs on events after they are durable and acknowledged; it is
// idempotent, so a crash mid-way or a replay never threads a message twice.
type Pipeline struct {
	Store     care.Store
	Publisher Publisher // may be nil
	Logger    *slog.Logger
	Now       func() time.Time
	// Batch is how many raw events one transaction threads.
	Batch int
	// Wake, when signalled, starts a pass at once instead of at the next
	// poll. If set, it must be signalled after each commit of raw events
	// (as the committer's Committed does): a pass that was not full is not
	// followed by another until then.
	Wake <-chan struct{}
	// Poll is the interval between passes when nothing wakes the pipeline;
	// with PostgreSQL and several nodes, other nodes' events arrive this way.
	Poll time.Duration
	// Threaded, if set, is called with each threaded raw event's receipt
	// time, e.g. to measure end-to-end latency.
	Threaded func(receivedAt time.Time)
	// Triage, if set, reads each customer message and ranks its
	// conversation.
	Triage Triager
	// Clocks, if set, keeps the conversations' SLA clocks.
	Clocks care.Clocks
	// Automation, if set, runs the workspace's rules on new conversations
	// and customer messages.
	Automation care.Automation
	// Screen, if set, applies the workspace's comment moderation rules to
	// public comments.
	Screen Screener
	// Surveys, if set, recognises answers to satisfaction surveys.
	Surveys SurveyAnswers
	// Passed, if set, is called after each pass that threaded events, e.g.
	// to wake routing for the conversations it created.
	Passed func(n int)
}

// Screener judges a customer's public comment inside the transaction that
// stores it (see package screen). after, if not nil, is what to do on the
// platform once the transaction committed: hiding a comment is a call to
// the platform's API, which must not hold the transaction open.
type Screener interface {
	Check(ctx context.Context, q care.Queries, conv *care.Conversation, msg *care.Message, author string, now time.Time) (after func(context.Context), events []care.Event, err error)
}

// SurveyAnswers recognises a customer's message as the answer to the
// satisfaction survey they were sent (see package csat): it records it and
// returns the surveyed conversation, or nil when the message is not one.
type SurveyAnswers interface {
	AnswerInChannel(ctx context.Context, q care.Queries, inbox *care.Inbox, contactID care.ID, text string, now time.Time) (*care.Conversation, error)
}

// Triager reads a customer's message in its conversation (see package
// triage). reopened is true when the message reopened a resolved
// conversation.
type Triager interface {
	Triage(ctx context.Context, q care.Queries, conv *care.Conversation, in *care.Inbound, reopened bool, now time.Time) (*care.Triage, *care.ConversationTriage, error)
}

func (p *Pipeline) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Pipeline) batch() int {
	if p.Batch <= 0 {
		return 256
	}
	return p.Batch
}

func (p *Pipeline) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.Default()
}

// Run processes pending events until ctx ends. A pass that fails is tried
// again at the next poll; the same failure pass after pass, as while the
// database is down, is logged when it starts, once a minute while it lasts,
// and when it ends.
func (p *Pipeline) Run(ctx context.Context) {
	poll := p.Poll
	if poll <= 0 {
		poll = time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	failures := &faillog.Log{Logger: p.logger(), What: "ingest pipeline pass"}
	for {
		for {
			n, err := p.RunOnce(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				failures.Failed(p.now(), err)
				break
			}
			failures.OK(p.now())
			// A pass that was not full took everything pending when it
			// began. With Wake signalled after each commit, what was
			// stored since has woken the pipeline again: another pass now
			// would mostly find nothing, in a transaction of its own.
			if n == 0 || (p.Wake != nil && n < p.batch()) {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-p.Wake:
		case <-t.C:
		}
	}
}

// RunOnce threads one batch of pending events and returns how many it took.
// If the batch fails as a whole, each event is retried in a transaction of
// its own, so one bad event is marked failed without holding up the rest.
func (p *Pipeline) RunOnce(ctx context.Context) (int, error) {
	batch := p.batch()
	var events []care.Event
	var received []time.Time
	var after []func(context.Context)
	var n int
	err := p.Store.Update(ctx, func(q care.Queries) error {
		events, received, after = nil, nil, nil
		pending, err := q.PendingRaw(ctx, batch)
		if err != nil {
			return err
		}
		n = len(pending)
		b := newBatch(true, p.logger())
		defer func() { after = b.after }()
		if err := b.checkKnown(ctx, q, pending, p.now()); err != nil {
			return err
		}
		if err := b.prefetch(ctx, q, pending); err != nil {
			return err
		}
		latest := map[care.ID]time.Time{}
		for i := range pending {
			evs, err := p.threadSafely(ctx, q, &pending[i], b)
			if err != nil {
				return fmt.Errorf("raw event %d: %w", pending[i].ID, err)
			}
			events = append(events, evs...)
			received = append(received, pending[i].ReceivedAt)
			if t := pending[i].ReceivedAt; t.After(latest[pending[i].InboxID]) {
				latest[pending[i].InboxID] = t
			}
		}
		// The batch's events in one statement (or a few), in order: for
		// a busy inbox most of the cost of an event is the statement.
		if err := q.AppendEvents(ctx, events); err != nil {
			return err
		}
		if err := q.MarkRawsProcessed(ctx, b.done, p.now()); err != nil {
			return err
		}
		// Once per inbox per batch: the health line's "last event".
		for id, t := range latest {
			if _, ok := b.inboxes[id]; ok {
				if err := q.RecordInboxHealth(ctx, id, care.HealthUpdate{EventAt: t}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return 0, err
		}
		return p.oneByOne(ctx, batch, err)
	}
	p.publish(events, received)
	p.runAfter(after)
	if p.Passed != nil && n > 0 {
		p.Passed(n)
	}
	return n, nil
}

// oneByOne threads a batch that failed as a whole with batchErr, each event
// in a transaction of its own.
func (p *Pipeline) oneByOne(ctx context.Context, batch int, batchErr error) (int, error) {
	pending, err := p.Store.PendingRaw(ctx, batch)
	if err != nil {
		// The store fails whatever it is asked (the database is down,
		// say), not one event: the pass failed, and Run says so, once
		// for a whole outage rather than twice a pass.
		return 0, fmt.Errorf("ingest: thread a batch: %w; list pending events: %w", batchErr, err)
	}
	p.logger().Warn("ingest batch failed; threading events one by one", "err", batchErr)
	// done counts events settled (threaded, or kept with their error), so a
	// pass that only met transient failures reports 0 and Run waits.
	done := 0
	for i := range pending {
		id := pending[i].ID
		var events []care.Event
		var received time.Time
		var after []func(context.Context)
		err := p.Store.Update(ctx, func(q care.Queries) error {
			// Re-read inside the transaction: another node may have
			// threaded it since the list was read.
			raw, err := q.RawEvent(ctx, id)
			if err != nil || raw.ProcessedAt != nil {
				return err
			}
			received = raw.ReceivedAt
			b := newBatch(false, p.logger())
			if events, err = p.threadSafely(ctx, q, raw, b); err != nil {
				return err
			}
			after = b.after
			return q.AppendEvents(ctx, events)
		})
		switch {
		case err == nil:
			done++
			if !received.IsZero() {
				p.publish(events, []time.Time{received})
			}
			p.runAfter(after)
		case ctx.Err() != nil:
			return done, err
		case care.ErrorCode(err) == care.EINTERNAL:
			// Possibly transient (a lost connection): leave it pending
			// for the next pass rather than give up on it.
			p.logger().Error("ingest: event not threaded; will retry", "raw_event", id, "err", err)
		default:
			// The event itself is wrong for the current state (its inbox
			// is gone, say): keep it, with the reason, for a replay.
			p.logger().Error("ingest: event cannot be threaded; kept for replay", "raw_event", id, "err", err)
			if err := p.Store.MarkRawProcessed(ctx, id, p.now(), truncate(err.Error(), 1000)); err != nil {
				return done, err
			}
			done++
		}
	}
	return done, nil
}

// runAfter carries out, in the background, what committed events asked of
// the platforms (hiding a comment), each within a minute.
func (p *Pipeline) runAfter(after []func(context.Context)) {
	if len(after) == 0 {
		return
	}
	go func() {
		for _, f := range after {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			f(ctx)
			cancel()
		}
	}()
}

func (p *Pipeline) publish(events []care.Event, received []time.Time) {
	if p.Publisher != nil && len(events) > 0 {
		p.Publisher.Publish(events...)
	}
	if p.Threaded != nil {
		for _, t := range received {
			p.Threaded(t)
		}
	}
}

// batch is what one transaction's threading remembers between events: one
// author writing several messages in a burst is resolved, and their
// conversation found, once. Only the pipeline writes inside the transaction,
// so what it remembers stays true until commit.
type batch struct {
	inboxes map[care.ID]*care.Inbox
	idents  map[identKey]*care.Identity
	convs   map[convKey]*care.Conversation
	// byID holds the conversations of convs by id.
	byID map[care.ID]*care.Conversation
	// done collects raw events threaded without error, marked processed in
	// one statement at the end; nil marks each at once.
	done []care.ID
	// after is what to do on the platforms once the batch committed.
	after []func(context.Context)
	many  bool
	// log is the pipeline's logger.
	log *slog.Logger
	// none holds the contacts the batch found to have no active
	// conversation in an inbox, until it opens one (see prefetch).
	none map[convKey]bool
	// fresh holds the contacts the batch created, who have no
	// conversation to look for yet.
	fresh map[care.ID]bool
	// locked holds the contacts whose threading lock the transaction holds.
	locked map[care.ID]bool
	// known, when set, holds per inbox the platform ids of the batch's
	// messages and of the messages they answer, each with the
	// conversation of the inbox's message with that id, or 0 where the
	// inbox has none: checked before threading, and added to as the batch
	// stores messages. An id it holds needs no lookup of its own.
	known map[care.ID]map[string]care.ID
	// gone, when set, holds per inbox the platform ids of the batch's new
	// messages whose deletion came first (see deletedFirst).
	gone map[care.ID]map[string]bool
	// reacted, when set, holds per inbox the reactions that came before
	// the batch's new messages, by the message's platform id (see
	// reactedFirst).
	reacted map[care.ID]map[string][]care.RawEvent
}

type identKey struct {
	workspace care.ID
	platform  care.Channel
	user      string
}

type convKey struct{ inbox, contact care.ID }

func newBatch(many bool, log *slog.Logger) *batch {
	return &batch{inboxes: map[care.ID]*care.Inbox{}, idents: map[identKey]*care.Identity{}, convs: map[convKey]*care.Conversation{},
		byID: map[care.ID]*care.Conversation{}, many: many, log: log}
}

// remember keeps conv as the one the contact's messages in the inbox join,
// in place of any other.
func (b *batch) remember(key convKey, conv *care.Conversation) {
	if old, ok := b.convs[key]; ok {
		delete(b.byID, old.ID)
	}
	b.convs[key] = conv
	b.byID[conv.ID] = conv
}

// stored notes a message the batch stored, for the replay check and for
// replies to it later in the batch.
func (b *batch) stored(m *care.Message) {
	if known, ok := b.known[m.InboxID]; ok && m.PlatformID != "" {
		known[m.PlatformID] = m.ConversationID
	}
}

// checkKnown looks up, one query per inbox, which of the batch's messages
// are already stored (a replay, or the echo of our own send), the
// conversations of the messages they answer, and which of the new ones
// were deleted or reacted to before they came.
func (b *batch) checkKnown(ctx context.Context, q care.Queries, pending []care.RawEvent, now time.Time) error {
	ids := map[care.ID][]string{}
	for i := range pending {
		in := &pending[i].Inbound
		switch in.Kind {
		case "", care.KindMessage, care.KindEcho:
			ids[pending[i].InboxID] = append(ids[pending[i].InboxID], in.PlatformID)
			for _, ref := range append([]string{in.ReplyToPlatformID}, in.References...) {
				if ref != "" {
					ids[pending[i].InboxID] = append(ids[pending[i].InboxID], ref)
				}
			}
		}
	}
	b.known = make(map[care.ID]map[string]care.ID, len(ids))
	for inbox, list := range ids {
		known, err := q.KnownPlatformIDs(ctx, inbox, list)
		if err != nil {
			return err
		}
		for _, id := range list {
			if _, ok := known[id]; !ok {
				known[id] = 0
			}
		}
		b.known[inbox] = known
	}
	// The deletions that came before their message, for the messages not
	// stored yet: one query per inbox, none on a replay.
	keys := map[care.ID]map[string]string{} // per inbox, deletion key → platform id
	for i := range pending {
		in := &pending[i].Inbound
		switch in.Kind {
		case "", care.KindMessage, care.KindEcho:
		default:
			continue
		}
		if in.PlatformID == "" || b.known[pending[i].InboxID][in.PlatformID] != 0 {
			continue
		}
		if keys[pending[i].InboxID] == nil {
			keys[pending[i].InboxID] = map[string]string{}
		}
		keys[pending[i].InboxID][deletionKey(in)] = in.PlatformID
	}
	b.gone = make(map[care.ID]map[string]bool, len(b.known))
	b.reacted = make(map[care.ID]map[string][]care.RawEvent, len(b.known))
	for inbox := range b.known {
		b.gone[inbox] = map[string]bool{}
		b.reacted[inbox] = map[string][]care.RawEvent{}
	}
	for inbox, byKey := range keys {
		list := make([]string, 0, len(byKey))
		ids := make([]string, 0, len(byKey))
		for k, id := range byKey {
			list, ids = append(list, k), append(ids, id)
		}
		found, err := q.RawKeysSince(ctx, inbox, list, now.Add(-care.EarlyKept))
		if err != nil {
			return err
		}
		for k := range found {
			b.gone[inbox][byKey[k]] = true
		}
		// The reactions that came before their message, likewise.
		reactions, err := q.RawReactionsTo(ctx, inbox, ids, now.Add(-care.EarlyKept))
		if err != nil {
			return err
		}
		for _, r := range reactions {
			id := r.Inbound.ReplyToPlatformID
			b.reacted[inbox][id] = append(b.reacted[inbox][id], r)
		}
	}
	return nil
}

// deletionKey is the dedupe key of a deletion of message in.
func deletionKey(in *care.Inbound) string {
	del := care.Inbound{Kind: care.KindDelete, Channel: in.Channel, PlatformID: in.PlatformID}
	return del.DedupeKey()
}

// deletedFirst reports whether the author deleted message in before the
// message reached Parley: the deletion's raw event is then on record, and
// marked processed without a message to delete.
func (b *batch) deletedFirst(ctx context.Context, q care.Queries, inboxID care.ID, in *care.Inbound, now time.Time) (bool, error) {
	if in.PlatformID == "" {
		return false, nil
	}
	if gone, ok := b.gone[inboxID]; ok {
		return gone[in.PlatformID], nil
	}
	// Not checked with a batch: looked up on its own.
	key := deletionKey(in)
	found, err := q.RawKeysSince(ctx, inboxID, []string{key}, now.Add(-care.EarlyKept))
	return found[key], err
}

// reactedFirst returns the reactions to message raw that reached Parley
// before the message did, oldest first: their raw events are on record,
// marked processed without a message to react to (or about to be, earlier
// in the batch). Those still pending after it are threaded after it, in
// their turn. One threaded already though stored after it is among them:
// with several nodes, ids are taken in one order and committed in another.
func (b *batch) reactedFirst(ctx context.Context, q care.Queries, raw *care.RawEvent, now time.Time) ([]care.RawEvent, error) {
	id := raw.Inbound.PlatformID
	if id == "" {
		return nil, nil
	}
	reactions := b.reacted[raw.InboxID][id]
	if _, checked := b.reacted[raw.InboxID]; !checked {
		// Not checked with a batch: looked up on its own.
		var err error
		if reactions, err = q.RawReactionsTo(ctx, raw.InboxID, []string{id}, now.Add(-care.EarlyKept)); err != nil {
			return nil, err
		}
	}
	first := reactions[:0:0]
	for _, r := range reactions {
		if r.ID < raw.ID || r.ProcessedAt != nil {
			first = append(first, r)
		}
	}
	return first, nil
}

// react puts a reaction on message m, as its author's (now or later) only
// one there.
func (b *batch) react(ctx context.Context, q care.Queries, inbox *care.Inbox, m *care.Message, in *care.Inbound, now time.Time) error {
	ident, err := b.identity(ctx, q, inbox.WorkspaceID, in.Channel, in.Author, in.AuthorAliases, now)
	if err != nil {
		return err
	}
	return q.SetReaction(ctx, m.ID, care.Reaction{ContactID: ident.ContactID, Emoji: in.Text, At: in.SentAt})
}

// applyEarly does to m, just stored as raw's message or joined by raw as a
// part, what its author did before raw reached Parley: deleted it
// (deletedFirst), reacted to it (reactedFirst, in the order the reactions
// came, each replacing its author's earlier one, as they would have). It
// reports whether m changed.
func (b *batch) applyEarly(ctx context.Context, q care.Queries, raw *care.RawEvent, inbox *care.Inbox, m *care.Message, now time.Time) (bool, error) {
	gone, err := b.deletedFirst(ctx, q, inbox.ID, &raw.Inbound, now)
	if err != nil {
		return false, err
	}
	if gone && m.DeletedAt == nil {
		if err := q.MarkMessageDeleted(ctx, m.ID, now); err != nil {
			return false, err
		}
		m.DeletedAt = &now
	}
	reactions, err := b.reactedFirst(ctx, q, raw, now)
	if err != nil {
		return false, err
	}
	for i := range reactions {
		if err := b.react(ctx, q, inbox, m, &reactions[i].Inbound, now); err != nil {
			return false, err
		}
	}
	if len(reactions) > 0 {
		stored, err := q.Message(ctx, m.ID)
		if err != nil {
			return false, err
		}
		m.Reactions = stored.Reactions
	}
	return gone || len(reactions) > 0, nil
}

// prefetch reads, in a query per inbox or platform rather than one per
// message, the batch's known authors and their active conversations: what
// threading asks of storage for nearly every message. What it finds is
// remembered as identity and conversation would remember it.
func (b *batch) prefetch(ctx context.Context, q care.Queries, pending []care.RawEvent) error {
	type platform struct {
		workspace care.ID
		channel   care.Channel
	}
	users := map[platform][]string{}
	for i := range pending {
		if in := &pending[i].Inbound; threadsAuthor(in) {
			k := platform{pending[i].WorkspaceID, in.Channel}
			// The aliases too: an author whose contact holds them all
			// is threaded without asking storage about them again.
			users[k] = append(append(users[k], in.Author.PlatformUserID), in.AuthorAliases...)
		}
	}
	for k, ids := range users {
		found, err := q.FindIdentities(ctx, k.workspace, k.channel, ids)
		if err != nil {
			return err
		}
		for uid, ident := range found {
			b.idents[identKey{k.workspace, k.channel, uid}] = ident
		}
	}
	// Each known author's conversations in the inboxes they wrote to.
	contacts := map[care.ID][]care.ID{} // by inbox
	for i := range pending {
		in := &pending[i].Inbound
		if !threadsAuthor(in) {
			continue
		}
		if ident, ok := b.idents[identKey{pending[i].WorkspaceID, in.Channel, in.Author.PlatformUserID}]; ok {
			contacts[pending[i].InboxID] = append(contacts[pending[i].InboxID], ident.ContactID)
		}
	}
	// Where several nodes thread, another may be placing one of these
	// customers' messages: their locks come first, in id order (two
	// passes locking in different orders could deadlock), so what is read
	// next stays true until commit.
	var all []care.ID
	for _, ids := range contacts {
		all = append(all, ids...)
	}
	slices.Sort(all)
	for _, id := range slices.Compact(all) {
		if err := b.lock(ctx, q, id); err != nil {
			return err
		}
	}
	for inbox, ids := range contacts {
		slices.Sort(ids)
		ids = slices.Compact(ids)
		active, err := q.ActiveConversationsOf(ctx, inbox, ids)
		if err != nil {
			return err
		}
		for _, contact := range ids {
			key := convKey{inbox, contact}
			if c, ok := active[contact]; ok {
				b.remember(key, c)
			} else {
				if b.none == nil {
					b.none = map[convKey]bool{}
				}
				b.none[key] = true
			}
		}
	}
	return nil
}

// threadsAuthor reports whether threading in resolves in's author and
// looks for their conversation: messages and echoes do.
func threadsAuthor(in *care.Inbound) bool {
	switch in.Kind {
	case "", care.KindMessage, care.KindEcho:
		return in.Author.PlatformUserID != ""
	}
	return false
}

// lock takes the contact's threading lock (see care.Queries.LockContact)
// once per transaction.
func (b *batch) lock(ctx context.Context, q care.Queries, contact care.ID) error {
	if b.locked[contact] {
		return nil
	}
	if err := q.LockContact(ctx, contact); err != nil {
		return err
	}
	if b.locked == nil {
		b.locked = map[care.ID]bool{}
	}
	b.locked[contact] = true
	return nil
}

// processed marks a raw event threaded, now or at the end of the batch.
func (b *batch) processed(ctx context.Context, q care.Queries, id care.ID, now time.Time) error {
	if b.many {
		b.done = append(b.done, id)
		return nil
	}
	return q.MarkRawProcessed(ctx, id, now, "")
}

// threadSafely is thread with a panic (a bug some text or payload met)
// turned into an error: the batch is then threaded event by event and the
// one event kept, with the error, for a replay once mended. Unrecovered, it
// would end the process, and again at every start while the event waits.
func (p *Pipeline) threadSafely(ctx context.Context, q care.Queries, raw *care.RawEvent, b *batch) (events []care.Event, err error) {
	defer func() {
		if v := recover(); v != nil {
			p.logger().Error("ingest: threading panicked", "raw_event", raw.ID, "panic", v, "stack", string(debug.Stack()))
			events, err = nil, care.Errorf(care.EINVALID, "threading failed on this event (a fault in Parley): %v", v)
		}
	}()
	return p.thread(ctx, q, raw, b)
}

// thread runs the pipeline on one raw event inside a transaction and
// returns its events, for the caller to append with the batch's:
// contact and identity → conversation → message → events.
func (p *Pipeline) thread(ctx context.Context, q care.Queries, raw *care.RawEvent, b *batch) ([]care.Event, error) {
	now := p.now()
	in := raw.Inbound
	inbox, ok := b.inboxes[raw.InboxID]
	if !ok {
		var err error
		if inbox, err = q.Inbox(ctx, raw.InboxID); err != nil {
			return nil, err
		}
		b.inboxes[raw.InboxID] = inbox
	}
	switch in.Kind {
	case care.KindStatus:
		return p.status(ctx, q, raw, inbox, now)
	case care.KindDelete:
		return p.deletion(ctx, q, raw, inbox, now)
	case care.KindReaction:
		return p.reaction(ctx, q, raw, inbox, b, now)
	case care.KindIdentity:
		return p.identityChange(ctx, q, raw, inbox, b, now)
	}
	// A replay, a crash after the message was stored but before the raw
	// event was marked, or the echo of our own send: the message is there,
	// nothing more to do.
	if conv, checked := b.known[inbox.ID][in.PlatformID]; checked && conv == 0 {
		// Checked with the batch: not there.
	} else if _, err := q.MessageByPlatformID(ctx, inbox.ID, in.PlatformID); err == nil {
		return nil, b.processed(ctx, q, raw.ID, now)
	} else if care.ErrorCode(err) != care.ENOTFOUND {
		return nil, err
	}

	ident, err := b.identity(ctx, q, inbox.WorkspaceID, in.Channel, in.Author, in.AuthorAliases, now)
	if err != nil {
		return nil, err
	}
	if err := b.lock(ctx, q, ident.ContactID); err != nil {
		return nil, err
	}
	var group string
	if in.Kind == "" || in.Kind == care.KindMessage {
		group = in.Group
	}
	if group != "" {
		// A part of a message delivered in parts joins the message of
		// an earlier part, if one is stored (see joinPart).
		m, err := groupMessage(ctx, q, inbox.ID, ident.ContactID, &in, now)
		if err != nil {
			return nil, err
		}
		if m != nil {
			return p.joinPart(ctx, q, raw, inbox, m, b, now)
		}
	}
	// A customer answering a satisfaction survey in the channel ("5,
	// thanks!") is recorded on the resolved conversation it asked about,
	// which stays resolved.
	var answered *care.Conversation
	if p.Surveys != nil && in.Kind != care.KindEcho && in.ReplyToPlatformID == "" {
		c, err := p.Surveys.AnswerInChannel(ctx, q, inbox, ident.ContactID, in.Text, now)
		if err != nil {
			return nil, err
		}
		answered = c
	}
	var conv *care.Conversation
	var created, reopened bool
	if answered != nil {
		conv = answered
	} else if conv, created, reopened, err = p.conversationFor(ctx, q, inbox, ident, &in, now, b); err != nil {
		return nil, err
	}
	msg := &care.Message{
		WorkspaceID: inbox.WorkspaceID, ConversationID: conv.ID, InboxID: inbox.ID,
		Direction: care.DirectionIn, Visibility: in.Visibility, ContactID: ident.ContactID,
		AuthorName: firstNonEmpty(in.Author.DisplayName, in.Author.Handle, in.Author.PlatformUserID),
		Text:       in.Text, Attachments: in.Attachments, PlatformID: in.PlatformID,
		ReplyToPlatformID: in.ReplyToPlatformID, Status: care.DeliveryReceived, CreatedAt: now, SentAt: in.SentAt,
	}
	var convTriage *care.ConversationTriage
	if in.Kind == care.KindEcho {
		// Written by the brand in the platform's own tools: ours, sent.
		msg.Direction, msg.ContactID, msg.Status = care.DirectionOut, 0, care.DeliverySent
		msg.AuthorName = inbox.Name + " (outside Parley)"
	} else if p.Triage != nil && answered == nil {
		if msg.Triage, convTriage, err = p.Triage.Triage(ctx, q, conv, &in, reopened, now); err != nil {
			return nil, err
		}
	}
	if convTriage != nil {
		convTriage.Was = conv // read in this transaction, and kept up to date in it
	}
	if err := q.CreateTriagedMessage(ctx, msg, convTriage); err != nil {
		return nil, err
	}
	if group != "" {
		// The first part of its group: the others join it.
		if err := q.AddMessagePart(ctx, msg.ID, group, msg.PlatformID); err != nil {
			return nil, err
		}
	}
	b.stored(msg)
	var earlyEvent []care.Event
	if changed, err := b.applyEarly(ctx, q, raw, inbox, msg, now); err != nil {
		return nil, err
	} else if changed {
		earlyEvent = append(earlyEvent, NewEvent(care.EventMessageUpdated, msg.WorkspaceID, msg.ConversationID, msg.ID, msg.InboxID, msg, now))
	}
	if in.Charge != "" {
		// The platform bills the read that brought this message (X).
		if err := q.RecordCharge(ctx, inbox.ID, msg.ID, in.Charge, now); err != nil {
			return nil, err
		}
	}
	// What CreateMessage did to the conversation, without reading it back.
	conv.MessageCount++
	conv.LastActivityAt, conv.UpdatedAt = msg.CreatedAt, msg.CreatedAt
	if msg.Direction == care.DirectionIn {
		// A survey's answer on a resolved conversation starts no wait.
		if conv.WaitingSince == nil && conv.Status != care.StatusResolved {
			t := msg.SentAt
			conv.WaitingSince = &t
		}
	} else {
		conv.WaitingSince = nil
	}
	if in.Visibility == care.Private && in.Kind != care.KindEcho && slices.Contains(conv.Tags, care.TagTakenPrivate) && !slices.Contains(conv.Tags, care.TagMovedPrivate) {
		// The customer followed a public complaint into private: the
		// outcome "take it private" is judged by.
		tags := append(slices.Clone(conv.Tags), care.TagMovedPrivate)
		updated, err := q.UpdateConversation(ctx, conv.ID, care.ConversationUpdate{Tags: &tags}, now)
		if err != nil {
			return nil, err
		}
		*conv = *updated
	}
	if convTriage != nil {
		conv.Language, conv.Mood, conv.Topics, conv.PriorityInputs = convTriage.Language, convTriage.Mood, convTriage.Topics, convTriage.Inputs
		conv.Priority, conv.PriorityReasons = convTriage.Priority, convTriage.Reasons
		if conv.TeamID == 0 && convTriage.TeamID != nil {
			conv.TeamID = *convTriage.TeamID
		}
	}
	if in.Agent != "" && conv.AssigneeID == 0 {
		if err := assignToAgent(ctx, q, conv, in.Agent, now); err != nil {
			return nil, err
		}
	}
	if in.LinkedPlatformID != "" && conv.LinkedID == 0 {
		if conv.LinkedID, err = p.link(ctx, q, inbox, conv, in.LinkedPlatformID); err != nil {
			return nil, err
		}
	}
	var clockEvents []care.Event
	if p.Clocks != nil && answered == nil {
		var moves []care.ClockEvent
		switch {
		case in.Kind == care.KindEcho:
			moves = []care.ClockEvent{care.ClockAgentReply}
		case created:
			moves = []care.ClockEvent{care.ClockCreated, care.ClockCustomerMessage}
		case reopened:
			moves = []care.ClockEvent{care.ClockReopened, care.ClockCustomerMessage}
		default:
			moves = []care.ClockEvent{care.ClockCustomerMessage}
		}
		for _, m := range moves {
			evs, err := p.Clocks.Observe(ctx, q, conv, m, now)
			if err != nil {
				return nil, err
			}
			clockEvents = append(clockEvents, evs...)
		}
	}
	if p.Screen != nil && in.Kind != care.KindEcho && answered == nil {
		after, evs, err := p.Screen.Check(ctx, q, conv, msg, in.Author.PlatformUserID, now)
		if err != nil {
			return nil, err
		}
		if after != nil {
			b.after = append(b.after, after)
		}
		clockEvents = append(clockEvents, evs...)
	}
	if p.Automation != nil && in.Kind != care.KindEcho && answered == nil {
		triggers := []string{"message.received"}
		if created {
			triggers = []string{"conversation.created", "message.received"}
		}
		for _, t := range triggers {
			evs, err := p.Automation.Automate(ctx, q, care.Change{Trigger: t, Conversation: conv, Message: msg, Author: &in.Author, At: now})
			if err != nil {
				return nil, err
			}
			clockEvents = append(clockEvents, evs...)
		}
	}
	convType := care.EventConversationUpdated
	if created {
		convType = care.EventConversationCreated
	}
	events := []care.Event{
		NewEvent(convType, conv.WorkspaceID, conv.ID, 0, conv.InboxID, conv, now),
		NewEvent(care.EventMessageCreated, conv.WorkspaceID, conv.ID, msg.ID, conv.InboxID, msg, now),
	}
	events = append(events, earlyEvent...)
	events = append(events, clockEvents...)
	return events, b.processed(ctx, q, raw.ID, now)
}

// conversationFor applies the threading rules: a reply to a known message
// joins that message's conversation; otherwise the contact's active
// conversation in the inbox; otherwise a new one. A customer writing again
// reopens a pending, snoozed or resolved conversation it joins.
func (p *Pipeline) conversationFor(ctx context.Context, q care.Queries, inbox *care.Inbox, ident *care.Identity, in *care.Inbound, now time.Time, b *batch) (conv *care.Conversation, created, reopened bool, err error) {
	// The parent first, then the older messages of its thread, newest
	// first: the first one Parley knows places the message.
	for _, ref := range append([]string{in.ReplyToPlatformID}, in.References...) {
		if ref == "" || conv != nil {
			continue
		}
		id, checked := b.known[inbox.ID][ref]
		if checked && id == 0 {
			continue // a message Parley does not have
		}
		if !checked {
			// Not among the batch's: looked up on its own.
			parent, err := q.MessageByPlatformID(ctx, inbox.ID, ref)
			switch {
			case care.ErrorCode(err) == care.ENOTFOUND:
				continue
			case err != nil:
				return nil, false, false, err
			}
			id = parent.ConversationID
		}
		// The batch may hold this conversation, newer than the row.
		if c, ok := b.byID[id]; ok {
			conv = c
		} else if conv, err = q.Conversation(ctx, id); err != nil {
			return nil, false, false, err
		}
	}
	key := convKey{inbox.ID, ident.ContactID}
	if conv == nil && !in.NewThread {
		if c, ok := b.convs[key]; ok {
			// Prefetched, or joined earlier in the batch: pending or
			// snoozed reopens below, as from storage; resolved since is
			// no longer active.
			if c.Active() {
				conv = c
			}
		} else if !b.none[key] && !b.fresh[ident.ContactID] {
			c, err := q.ActiveConversation(ctx, inbox.ID, ident.ContactID)
			switch {
			case err == nil:
				conv = c
				b.remember(key, conv)
			case care.ErrorCode(err) != care.ENOTFOUND:
				return nil, false, false, err
			}
		}
	}
	if conv == nil && in.Subject != "" && !in.NewThread {
		c, err := bySubject(ctx, q, inbox, ident.ContactID, in.Subject, now)
		if err != nil {
			return nil, false, false, err
		}
		if c != nil {
			conv = c
			b.remember(key, conv)
		}
	}
	if conv != nil {
		if conv.Status != care.StatusOpen {
			reopened = conv.Status == care.StatusResolved
			open := care.StatusOpen
			c, err := q.UpdateConversation(ctx, conv.ID, care.ConversationUpdate{Status: &open}, now)
			if err != nil {
				return nil, false, false, err
			}
			*conv = *c
		}
		return conv, false, reopened, nil
	}
	conv = &care.Conversation{
		WorkspaceID: inbox.WorkspaceID, InboxID: inbox.ID, Channel: inbox.Channel, ContactID: ident.ContactID,
		Status: care.StatusOpen, Subject: in.Subject, CreatedAt: now, LastActivityAt: now,
	}
	if err := q.CreateConversation(ctx, conv); err != nil {
		return nil, false, false, err
	}
	b.remember(key, conv)
	return conv, true, false, nil
}

// link joins a private conversation to the public one holding the message
// that led to it (a comment answered privately, a post whose button opened a
// DM). An unknown public message is no error: it may predate Parley.
func (p *Pipeline) link(ctx context.Context, q care.Queries, inbox *care.Inbox, conv *care.Conversation, publicID string) (care.ID, error) {
	pub, err := q.MessageByPlatformID(ctx, inbox.ID, publicID)
	switch {
	case care.ErrorCode(err) == care.ENOTFOUND:
		return 0, nil
	case err != nil:
		return 0, err
	case pub.ConversationID == conv.ID:
		return 0, nil
	}
	return pub.ConversationID, q.LinkConversations(ctx, pub.ConversationID, conv.ID)
}

// status applies a platform's delivery report to our message.
func (p *Pipeline) status(ctx context.Context, q care.Queries, raw *care.RawEvent, inbox *care.Inbox, now time.Time) ([]care.Event, error) {
	in := raw.Inbound
	m, err := q.MessageByPlatformID(ctx, inbox.ID, in.PlatformID)
	if care.ErrorCode(err) == care.ENOTFOUND {
		// The report may have overtaken the answer to our send: this raw
		// event is its record, which the outbox looks for when it records
		// the message's platform id (care.Queries.ApplyStatusReports).
		return nil, q.MarkRawProcessed(ctx, raw.ID, now, "no message with this platform id yet; applied if the outbox records it within 7 days")
	} else if err != nil {
		return nil, err
	}
	var events []care.Event
	if in.ReadUpTo && in.Status == care.DeliveryRead {
		if events, err = readBefore(ctx, q, m, now); err != nil {
			return nil, err
		}
	}
	if m.Direction != care.DirectionOut {
		if in.ReadUpTo {
			// Read up to the customer's own message: what came before it
			// is read, and it has no delivery of its own.
			return events, q.MarkRawProcessed(ctx, raw.ID, now, "")
		}
		// Platforms report the delivery of what the business sent; a
		// status naming a customer's message is a platform's mistake or a
		// forgery, and "failed" on it would mislead the agent.
		return nil, q.MarkRawProcessed(ctx, raw.ID, now, "a delivery status for a customer's message; ignored")
	}
	if in.Charge != "" {
		if err := q.RecordCharge(ctx, inbox.ID, m.ID, in.Charge, now); err != nil {
			return nil, err
		}
	}
	if !in.Status.Outranks(m.Status) {
		return events, q.MarkRawProcessed(ctx, raw.ID, now, "")
	}
	if err := q.SetDelivery(ctx, m.ID, in.Status, in.StatusReason, ""); err != nil {
		return nil, err
	}
	m.Status, m.StatusReason = in.Status, in.StatusReason
	e := NewEvent(care.EventMessageUpdated, m.WorkspaceID, m.ConversationID, m.ID, m.InboxID, m, now)
	return append(events, e), q.MarkRawProcessed(ctx, raw.ID, now, "")
}

// reaction puts a customer's emoji on the message it reacts to. A reaction
// to a message Parley does not have is kept as its raw event, which storing
// the message looks for (see reactedFirst).
func (p *Pipeline) reaction(ctx context.Context, q care.Queries, raw *care.RawEvent, inbox *care.Inbox, b *batch, now time.Time) ([]care.Event, error) {
	in := raw.Inbound
	m, err := q.MessageByPlatformID(ctx, inbox.ID, in.ReplyToPlatformID)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil, q.MarkRawProcessed(ctx, raw.ID, now, "reaction to a message Parley does not have yet; applied if it comes within 7 days")
	} else if err != nil {
		return nil, err
	}
	if m.CreatedAt.After(raw.ReceivedAt.Add(care.EarlyKept)) {
		// Replayed: storing the message, that much later, did not apply
		// the reaction (see reactedFirst), and neither does a replay.
		return nil, q.MarkRawProcessed(ctx, raw.ID, now, "the message came more than 7 days after the reaction; not applied")
	}
	if err := b.react(ctx, q, inbox, m, &in, now); err != nil {
		return nil, err
	}
	if m, err = q.Message(ctx, m.ID); err != nil {
		return nil, err
	}
	e := NewEvent(care.EventMessageUpdated, m.WorkspaceID, m.ConversationID, m.ID, m.InboxID, m, now)
	return []care.Event{e}, b.processed(ctx, q, raw.ID, now)
}

// deletion records that the author deleted a message; its text is kept.
func (p *Pipeline) deletion(ctx context.Context, q care.Queries, raw *care.RawEvent, inbox *care.Inbox, now time.Time) ([]care.Event, error) {
	m, err := q.MessageByPlatformID(ctx, inbox.ID, raw.Inbound.PlatformID)
	if care.ErrorCode(err) == care.ENOTFOUND {
		// The message may come later (its first delivery failed and the
		// platform sends it again): this raw event is the deletion's
		// record, which storing the message looks for (see deletedFirst).
		return nil, q.MarkRawProcessed(ctx, raw.ID, now, "no message with this platform id yet; applied if it comes within 7 days")
	} else if err != nil {
		return nil, err
	}
	if m.DeletedAt != nil {
		return nil, q.MarkRawProcessed(ctx, raw.ID, now, "")
	}
	if m.CreatedAt.After(raw.ReceivedAt.Add(care.EarlyKept)) {
		// Replayed: storing the message, that much later, did not apply
		// the deletion (see deletedFirst), and neither does a replay.
		return nil, q.MarkRawProcessed(ctx, raw.ID, now, "the message came more than 7 days after its deletion; not applied")
	}
	if err := q.MarkMessageDeleted(ctx, m.ID, now); err != nil {
		return nil, err
	}
	m.DeletedAt = &now
	e := NewEvent(care.EventMessageUpdated, m.WorkspaceID, m.ConversationID, m.ID, m.InboxID, m, now)
	return []care.Event{e}, q.MarkRawProcessed(ctx, raw.ID, now, "")
}

// NewEvent builds an event whose data is a snapshot of v.
func NewEvent(t care.EventType, workspaceID, conversationID, messageID, inboxID care.ID, v any, now time.Time) care.Event {
	// Conversations and messages, two events per ingested message, encode
	// themselves to the same bytes without reflection.
	var data []byte
	if a, ok := v.(care.JSONAppender); ok {
		data, _ = care.EncodeJSON(a)
	} else {
		data, _ = json.Marshal(v)
	}
	return care.Event{WorkspaceID: workspaceID, Type: t, ConversationID: conversationID, MessageID: messageID,
		InboxID: inboxID, Data: data, CreatedAt: now}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// subjectWindow is how long after its last activity a resolved
// conversation is still joined by a message with its subject.
const subjectWindow = 30 * 24 * time.Hour

// bySubject finds the contact's recently resolved conversation in the inbox
// with the same subject ("Re:", "Fwd:" and the like aside): the subject
// fallback for mail whose parent Parley does not know, so "Re: Order 4471"
// a week later reopens the order's conversation instead of starting
// another. nil when there is none.
func bySubject(ctx context.Context, q care.Queries, inbox *care.Inbox, contactID care.ID, subject string, now time.Time) (*care.Conversation, error) {
	want := care.BaseSubject(subject)
	if want == "" {
		return nil, nil
	}
	page, err := q.Conversations(ctx, care.ConversationFilter{WorkspaceID: inbox.WorkspaceID, InboxID: inbox.ID, ContactID: contactID,
		Statuses: []care.Status{care.StatusResolved}, Limit: 20})
	if err != nil {
		return nil, err
	}
	for i := range page.Conversations {
		c := &page.Conversations[i]
		if now.Sub(c.LastActivityAt) > subjectWindow {
			break // newest first: the rest are older still
		}
		if care.BaseSubject(c.Subject) == want {
			return c, nil
		}
	}
	return nil, nil
}

// assignToAgent gives an unassigned conversation to the workspace member
// whose email the event names (who took the phone call). An address that
// is no member's is left alone: routing places the conversation.
func assignToAgent(ctx context.Context, q care.Queries, conv *care.Conversation, email string, now time.Time) error {
	u, err := q.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if _, err := q.Member(ctx, conv.WorkspaceID, u.ID); care.ErrorCode(err) == care.ENOTFOUND || u.Disabled {
		return nil
	} else if err != nil {
		return err
	}
	c, err := q.UpdateConversation(ctx, conv.ID, care.ConversationUpdate{AssigneeID: &u.ID}, now)
	if err != nil {
		return err
	}
	*conv = *c
	return nil
}
