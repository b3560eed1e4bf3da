package webchat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Email is an agent's reply as emailed to a visitor.
type Email struct {
	To, ToName string
	Subject    string
	Text       string
	// Key is the same for every attempt to email one reply, so the copies
	// a lost answer and a retry make can be told to be one.
	Key string
}

// Mailer submits an email through the SMTP settings in a web chat inbox's
// credentials (package email's SubmitNotice does, wired in internal/app).
// A *channel.SendError says whether trying again can help; any other
// error is taken as temporary.
type Mailer interface {
	Mail(ctx context.Context, in care.Inbox, e Email) error
}

// Defaults of the mailer's timing.
const (
	// DefaultMailAfter is how long a reply waits to be seen in a widget
	// before it is emailed.
	DefaultMailAfter = 2 * time.Minute
	// DefaultMailPoll is how often the mailer looks for replies to email.
	DefaultMailPoll = 15 * time.Second
)

const (
	// MailCursor names the inbox cursor that holds the event id the mailer
	// has read up to.
	MailCursor = "webchat_mail"
	// mailLease lets one node at a time email replies.
	mailLease = "webchat-mail"
	// mailMaxAge bounds how old a reply may be and still be emailed: one
	// queued for a day, or found after an outage as long, is left to the
	// widget.
	mailMaxAge = 24 * time.Hour
	// mailInboxesEvery is how often the mailer looks for inboxes whose
	// SMTP settings were added or changed.
	mailInboxesEvery = time.Minute
	// mailPages bounds the pages of events one pass reads per inbox.
	mailPages = 10
	// mailTimeout bounds one submission.
	mailTimeout = 20 * time.Second
	// mailLeaseTTL is how long the lease lasts unless renewed, at least;
	// a pass starts no email after a third of it, so the lease never runs
	// out while one is being sent and another node sends it too.
	mailLeaseTTL = 90 * time.Second
)

// mailer emails agents' replies to visitors who are not connected: one
// goroutine per Server, doing work only on the node that holds the lease.
//
// It reads the message events of each inbox with SMTP settings after the
// inbox's MailCursor. A private reply there is due DefaultMailAfter after
// it was written: if by then it is still only sent (no widget showed it,
// on any node, which would have recorded it delivered), its visitor has
// an email (identify, the offline form) and no socket on this node, and
// neither the address nor the visitor had mailPerHour emails in the last
// hour, word of it is emailed (composeEmail), and the fact is recorded as the reply's delivered status,
// "emailed to <address>", through the durable status path a widget's
// receipt takes. A reply is emailed at most once unless Parley stops
// between the server's "250 OK" and that status being applied: the next
// node then reads the reply as only sent and emails it again (with the
// same Message-ID). The cursor is saved at the oldest reply still
// waiting, so a restart or another node takes up where this one stopped.
type mailer struct {
	srv    *Server
	holder string
	// leased says this node had the lease at the last pass.
	leased bool

	inboxes   map[care.ID]care.Inbox
	inboxesAt time.Time
	cursors   map[care.ID]care.ID
	saved     map[care.ID]care.ID
	pending   map[care.ID]*pendingMail
	// budget outlives reset: a lease lost and taken back does not renew
	// the addresses' allowance.
	budget mailBudget
}

// pendingMail is a reply the mailer waits on.
type pendingMail struct {
	inbox    care.ID
	message  care.ID
	event    care.ID // the first event that showed it
	due      time.Time
	attempts int
	// emailed is set once the email went out and the status is still to
	// be recorded.
	emailed string
}

func (s *Server) mailAfter() time.Duration {
	if s.MailAfter > 0 {
		return s.MailAfter
	}
	return DefaultMailAfter
}

func (s *Server) mailPoll() time.Duration {
	if s.MailPoll > 0 {
		return s.MailPoll
	}
	return DefaultMailPoll
}

// runMail runs the mailer until ctx ends, then gives up its lease.
func (s *Server) runMail(ctx context.Context) {
	b := make([]byte, 6)
	rand.Read(b)
	m := &mailer{srv: s, holder: care.NodeName() + "/" + hex.EncodeToString(b), budget: mailBudget{}}
	m.reset()
	t := time.NewTicker(s.mailPoll())
	defer t.Stop()
	for {
		if err := m.pass(ctx); err != nil && ctx.Err() == nil {
			s.logger().Error("webchat: email replies", "err", err)
		}
		select {
		case <-ctx.Done():
			if m.leased {
				m.release(ctx)
			}
			return
		case <-t.C:
		}
	}
}

// release gives up the lease, so another node need not wait for it to
// run out, and forgets what was read.
func (m *mailer) release(ctx context.Context) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if err := m.srv.Store.ReleaseLease(rctx, mailLease, m.holder); err != nil {
		m.srv.logger().Warn("webchat: release the mail lease", "err", err)
	}
	m.leased = false
	m.reset()
}

// reset forgets what was read: after losing the lease, the node that
// took it over may have moved on.
func (m *mailer) reset() {
	m.cursors, m.saved = map[care.ID]care.ID{}, map[care.ID]care.ID{}
	m.pending = map[care.ID]*pendingMail{}
}

// pass finds the inboxes with SMTP settings; when there are any, it takes
// or renews the lease, reads new events and emails what is due.
func (m *mailer) pass(ctx context.Context) error {
	s := m.srv
	now := s.now()
	if m.inboxes == nil || now.Sub(m.inboxesAt) >= mailInboxesEvery {
		if err := m.loadInboxes(ctx, now); err != nil {
			return err
		}
	}
	if len(m.inboxes) == 0 {
		// Nothing to email: no lease to hold, no write every pass.
		if m.leased {
			m.release(ctx)
		}
		return nil
	}
	// Not cut short by shutdown: a lease taken after runMail released it
	// would keep other nodes waiting for it to run out.
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	ttl := max(3*s.mailPoll(), mailLeaseTTL)
	ok, err := s.Store.AcquireLease(lctx, mailLease, m.holder, ttl, now)
	cancel()
	if err != nil {
		return fmt.Errorf("webchat: mail lease: %w", err)
	}
	if !ok {
		if m.leased {
			m.reset()
		}
		m.leased = false
		return nil
	}
	m.leased = true
	m.budget.prune(now)
	var errs []error
	for _, in := range m.inboxes {
		if err := m.read(ctx, in); err != nil {
			errs = append(errs, err)
		}
	}
	for id, p := range m.pending {
		if ctx.Err() != nil || s.now().Sub(now) >= ttl/3 {
			break // the rest in the next pass, under a renewed lease
		}
		if !s.now().Before(p.due) {
			if err := m.settle(ctx, p); err != nil {
				errs = append(errs, fmt.Errorf("webchat: email reply %d: %w", id, err))
			}
		}
	}
	errs = append(errs, m.saveCursors(ctx, now))
	return errors.Join(errs...)
}

// loadInboxes finds the web chat inboxes with SMTP settings.
func (m *mailer) loadInboxes(ctx context.Context, now time.Time) error {
	wss, err := m.srv.Store.Workspaces(ctx)
	if err != nil {
		return fmt.Errorf("webchat: workspaces: %w", err)
	}
	found := map[care.ID]care.Inbox{}
	for _, ws := range wss {
		ins, err := m.srv.Store.Inboxes(ctx, ws.ID)
		if err != nil {
			return fmt.Errorf("webchat: inboxes of workspace %d: %w", ws.ID, err)
		}
		for _, in := range ins {
			if in.Channel != care.ChannelWebChat {
				continue
			}
			if cfg, err := ConfigOf(in); err == nil && cfg.Mail {
				found[in.ID] = in
			}
		}
	}
	for id := range m.cursors {
		if _, ok := found[id]; !ok {
			delete(m.cursors, id)
			delete(m.saved, id)
		}
	}
	for id, p := range m.pending {
		if _, ok := found[p.inbox]; !ok {
			delete(m.pending, id)
		}
	}
	m.inboxes, m.inboxesAt = found, now
	return nil
}

// read takes the inbox's new message events: a reply still on its way
// becomes pending, one shown or failed stops being.
func (m *mailer) read(ctx context.Context, in care.Inbox) error {
	s := m.srv
	after, ok := m.cursors[in.ID]
	if !ok {
		v, err := s.Store.InboxCursor(ctx, in.ID, MailCursor)
		if err != nil {
			return fmt.Errorf("webchat: mail cursor of inbox %d: %w", in.ID, err)
		}
		if after, err = strconv.ParseInt(v, 10, 64); err != nil || after < 0 {
			// Never read, or not understood: from now on; replies written
			// before the SMTP settings are not emailed.
			if after, err = s.Store.LatestEventID(ctx, in.WorkspaceID); err != nil {
				return fmt.Errorf("webchat: latest event of workspace %d: %w", in.WorkspaceID, err)
			}
		} else {
			m.saved[in.ID] = after
		}
		m.cursors[in.ID] = after
	}
	for range mailPages {
		page, err := s.Store.EventsAfter(ctx, in.WorkspaceID, after, watchPage)
		if err != nil {
			return fmt.Errorf("webchat: events after %d: %w", after, err)
		}
		for _, e := range page {
			after = e.ID
			if e.InboxID != in.ID || (e.Type != care.EventMessageCreated && e.Type != care.EventMessageUpdated) {
				continue
			}
			msg, err := s.messageOf(ctx, e)
			if err != nil {
				return err
			}
			m.note(in, e.ID, msg)
		}
		m.cursors[in.ID] = after
		if len(page) < watchPage {
			break
		}
	}
	return nil
}

// note keeps track of a reply from one of its events.
func (m *mailer) note(in care.Inbox, eventID care.ID, msg *care.Message) {
	if msg.Direction != care.DirectionOut || msg.Visibility != care.Private {
		return
	}
	p := m.pending[msg.ID]
	switch msg.Status {
	case care.DeliveryQueued, care.DeliverySent:
		if p == nil && m.srv.now().Sub(msg.CreatedAt) < mailMaxAge {
			m.pending[msg.ID] = &pendingMail{inbox: in.ID, message: msg.ID, event: eventID, due: msg.CreatedAt.Add(m.srv.mailAfter())}
		}
	default:
		// Shown in a widget, read, failed or held for approval: nothing
		// to email (an approved reply comes back queued).
		if p != nil && p.emailed == "" {
			delete(m.pending, msg.ID)
		}
	}
}

// settle emails a due reply, or decides it needs no email, or waits on.
func (m *mailer) settle(ctx context.Context, p *pendingMail) error {
	s := m.srv
	now := s.now()
	in, ok := m.inboxes[p.inbox]
	if !ok {
		delete(m.pending, p.message)
		return nil
	}
	msg, err := s.Store.Message(ctx, p.message)
	if care.ErrorCode(err) == care.ENOTFOUND {
		delete(m.pending, p.message)
		return nil
	} else if err != nil {
		return err
	}
	if p.emailed != "" {
		return m.record(ctx, in, p, msg)
	}
	switch {
	case now.Sub(msg.CreatedAt) >= mailMaxAge:
		delete(m.pending, p.message)
		return nil
	case msg.Status == care.DeliveryQueued:
		// Not confirmed by the outbox yet.
		p.due = now.Add(s.mailPoll())
		return nil
	case msg.Status != care.DeliverySent || msg.PlatformID == "":
		delete(m.pending, p.message)
		return nil
	}
	conv, err := s.Store.Conversation(ctx, msg.ConversationID)
	if err != nil {
		return err
	}
	contact, err := s.Store.Contact(ctx, conv.ContactID)
	if err != nil {
		return err
	}
	ident, ok := (&channel.Outbound{Inbox: in, Contact: *contact}).Recipient()
	// The name the visitor gave goes nowhere near the email (see
	// composeEmail), and an address that carries one is not taken.
	visitor, isVisitor := strings.CutPrefix(ident.PlatformUserID, visitorPrefix)
	addr, err := mail.ParseAddress(ident.Handle)
	if !ok || !isVisitor || err != nil || addr.Name != "" {
		// Nobody to email: the widget shows the reply when they return.
		delete(m.pending, p.message)
		return nil
	}
	if s.connected(in, visitor) {
		// Their widget shows the reply and reports it delivered; should
		// it not (another conversation), ask again later.
		p.due = now.Add(s.mailAfter())
		return nil
	}
	cfg, err := ConfigOf(in)
	if err != nil {
		delete(m.pending, p.message)
		return nil
	}
	// Lower-cased as the email channel addresses its customers.
	to := strings.ToLower(addr.Address)
	// Anyone can type anyone's address, and a new visitor costs nothing:
	// the address is bounded, whichever visitors gave it, and so is each
	// visitor, whichever addresses they gave.
	spend := []string{"to " + to, "visitor " + strconv.FormatInt(in.ID, 10) + " " + visitor}
	if !m.budget.allow(now, spend...) {
		s.logger().Info("webchat: reply not emailed: the address or the visitor had their emails for the hour", "inbox", in.ID, "message", msg.ID)
		delete(m.pending, p.message)
		return nil
	}
	e := composeEmail(cfg, msg, to)
	mctx, cancel := context.WithTimeout(ctx, mailTimeout)
	err = s.Mail.Mail(mctx, in, e)
	cancel()
	if err != nil {
		var se *channel.SendError
		if errors.As(err, &se) && se.Permanent {
			s.logger().Warn("webchat: reply not emailed", "inbox", in.ID, "message", msg.ID, "reason", se.Reason, "err", err)
			delete(m.pending, p.message)
			return nil
		}
		p.attempts++
		p.due = now.Add(min(s.mailPoll()<<min(p.attempts, 7), 30*time.Minute))
		s.logger().Warn("webchat: reply not emailed; will retry", "inbox", in.ID, "message", msg.ID, "attempt", p.attempts, "err", err)
		return nil
	}
	p.emailed = to
	m.budget.spend(now, spend...)
	s.logger().Info("webchat: reply emailed", "inbox", in.ID, "message", msg.ID)
	return m.record(ctx, in, p, msg)
}

// record stores that the reply was emailed as its delivered status, the
// receipt a widget sends when it shows a reply, so it is not emailed
// again here or on another node. A receipt that arrived meanwhile makes
// it a duplicate, which changes nothing.
func (m *mailer) record(ctx context.Context, in care.Inbox, p *pendingMail, msg *care.Message) error {
	now := m.srv.now()
	st := care.Inbound{Kind: care.KindStatus, InboxID: in.ID, Channel: care.ChannelWebChat, PlatformID: msg.PlatformID,
		Status: care.DeliveryDelivered, StatusReason: channel.Cut("emailed to "+p.emailed, care.MaxNameBytes), SentAt: now}
	payload, _ := json.Marshal(map[string]any{"type": "emailed", "platform_id": msg.PlatformID, "to": p.emailed})
	actx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	if _, err := m.srv.Ingest.AppendAll(actx, []care.RawEvent{{InboxID: in.ID, WorkspaceID: in.WorkspaceID,
		DedupeKey: st.DedupeKey(), Payload: payload, Inbound: st, ReceivedAt: now}}); err != nil {
		// Emailed but not recorded: try the record again, not the email.
		return fmt.Errorf("record the email of reply %d: %w", msg.ID, err)
	}
	delete(m.pending, p.message)
	return nil
}

// saveCursors saves each inbox's cursor where it changed: at the oldest
// event of a reply still pending, else where reading stopped.
func (m *mailer) saveCursors(ctx context.Context, now time.Time) error {
	at := map[care.ID]care.ID{}
	for id, c := range m.cursors {
		at[id] = c
	}
	for _, p := range m.pending {
		if c, ok := at[p.inbox]; ok && p.event-1 < c {
			at[p.inbox] = p.event - 1
		}
	}
	var errs []error
	for id, c := range at {
		if m.saved[id] == c {
			continue
		}
		if err := m.srv.Store.SetInboxCursor(ctx, id, MailCursor, strconv.FormatInt(c, 10), now); err != nil {
			errs = append(errs, fmt.Errorf("webchat: save mail cursor of inbox %d: %w", id, err))
			continue
		}
		m.saved[id] = c
	}
	return errors.Join(errs...)
}

// messageOf is the message an event carries, read from the store should
// the event not carry it.
func (s *Server) messageOf(ctx context.Context, e care.Event) (*care.Message, error) {
	var m care.Message
	if err := json.Unmarshal(e.Data, &m); err == nil && m.ID != 0 && m.ID == e.MessageID {
		return &m, nil
	}
	stored, err := s.Store.Message(ctx, e.MessageID)
	if err != nil {
		return nil, fmt.Errorf("webchat: message %d of event %d: %w", e.MessageID, e.ID, err)
	}
	return stored, nil
}

// connected reports whether the visitor has a widget open on this node.
func (s *Server) connected(in care.Inbox, visitor string) bool {
	s.mu.Lock()
	w := s.watchers[in.WorkspaceID]
	s.mu.Unlock()
	if w == nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.visitors[visitorKey{in.ID, visitor}]) > 0
}

// composeEmail writes the email telling a visitor of reply: who answered
// and where the chat is, and nothing more.
//
// The address is whatever the visitor typed, never confirmed, so the email
// may reach someone who never opened the chat. It therefore carries no
// text a visitor controls: not the name they gave (not even in the To
// header), not their message, and not the reply, which may quote them or
// answer a question worded to be forwarded. Otherwise a stranger could
// have the brand's server send their text, under its DKIM signature, to
// whomever they chose. The reply waits in the chat, on page_url.
func composeEmail(cfg Config, reply *care.Message, to string) Email {
	who := cfg.Title
	if first, _, _ := strings.Cut(strings.TrimSpace(reply.AuthorName), " "); reply.AuthorID != 0 && first != "" {
		who = first + " from " + cfg.Title
	}
	where := "on our site"
	if cfg.PageURL != "" {
		where = "on " + cfg.PageURL
	}
	text := "You have a reply from " + who + " in the chat " + where + ".\n\n" +
		"Open the chat there to read it and to answer.\n\n" +
		"This address was given in that chat. If that was not you, you can ignore this email.\n"
	return Email{To: to, Subject: "You have a reply from " + cfg.Title, Text: text,
		Key: "webchat-" + strconv.FormatInt(reply.InboxID, 10) + "-reply-" + strconv.FormatInt(reply.ID, 10)}
}
