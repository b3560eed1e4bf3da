package outbox

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// fakeStore keeps the outbox and the records around it in maps. It follows
// the semantics Store documents; the real stores are held to the same by
// their own conformance suite.
type fakeStore struct {
	mu            sync.Mutex
	messages      map[care.ID]care.Message
	inboxes       map[care.ID]care.Inbox
	conversations map[care.ID]care.Conversation
	contacts      map[care.ID]care.Contact
	entries       map[care.ID]care.OutboxEntry
	nextID        care.ID

	// afterLease, if set, runs after LeaseOutbox has leased entries.
	afterLease func()
	// leaseErr, if set, runs first in LeaseOutbox; an error it returns
	// fails the lease.
	leaseErr func() error
	// errMessage, if set, is returned by Message.
	errMessage error
	// conflictOnPlatformID makes SetDelivery reject any non-empty platform id.
	conflictOnPlatformID bool
	// charges are the billed sends recorded, "message id:category".
	charges []string
}

func newFakeStore() *fakeStore {
	return &fakeStore{
		messages:      map[care.ID]care.Message{},
		inboxes:       map[care.ID]care.Inbox{},
		conversations: map[care.ID]care.Conversation{},
		contacts:      map[care.ID]care.Contact{},
		entries:       map[care.ID]care.OutboxEntry{},
	}
}

func (s *fakeStore) enqueue(e care.OutboxEntry) care.ID {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	e.ID = s.nextID
	s.entries[e.ID] = e
	return e.ID
}

func (s *fakeStore) entry(id care.ID) (care.OutboxEntry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	return e, ok
}

func (s *fakeStore) message(id care.ID) care.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messages[id]
}

func (s *fakeStore) LeaseOutbox(_ context.Context, now time.Time, lease time.Duration, limit int) ([]care.OutboxEntry, error) {
	if s.leaseErr != nil {
		if err := s.leaseErr(); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	var due []care.OutboxEntry
	for _, e := range s.entries {
		if !e.NextAttemptAt.After(now) && (e.LeasedUntil == nil || !e.LeasedUntil.After(now)) {
			due = append(due, e)
		}
	}
	slices.SortFunc(due, func(a, b care.OutboxEntry) int { return int(a.ID - b.ID) })
	due = due[:min(len(due), limit)]
	until := now.Add(lease)
	for i := range due {
		due[i].LeasedUntil = &until
		s.entries[due[i].ID] = due[i]
	}
	after := s.afterLease
	s.mu.Unlock()
	if after != nil {
		after()
	}
	return due, nil
}

func (s *fakeStore) CompleteOutbox(_ context.Context, id care.ID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.entries[id]; !ok {
		return care.Errorf(care.ENOTFOUND, "outbox entry not found")
	}
	delete(s.entries, id)
	return nil
}

func (s *fakeStore) RetryOutbox(_ context.Context, id care.ID, next time.Time, lastErr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok {
		return care.Errorf(care.ENOTFOUND, "outbox entry not found")
	}
	e.Attempts++
	e.NextAttemptAt = next
	e.LeasedUntil = nil
	e.LastError = lastErr
	s.entries[id] = e
	return nil
}

func (s *fakeStore) ReleaseOutbox(_ context.Context, id care.ID, leasedUntil time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok || e.LeasedUntil == nil || !e.LeasedUntil.Equal(leasedUntil) {
		return false, nil
	}
	e.LeasedUntil = nil
	s.entries[id] = e
	return true, nil
}

func get[T any](s *fakeStore, m map[care.ID]T, id care.ID) (*T, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := m[id]
	if !ok {
		return nil, care.Errorf(care.ENOTFOUND, "not found")
	}
	return &v, nil
}

func (s *fakeStore) Message(_ context.Context, id care.ID) (*care.Message, error) {
	if s.errMessage != nil {
		return nil, s.errMessage
	}
	return get(s, s.messages, id)
}

func (s *fakeStore) Inbox(_ context.Context, id care.ID) (*care.Inbox, error) {
	return get(s, s.inboxes, id)
}

func (s *fakeStore) Conversation(_ context.Context, id care.ID) (*care.Conversation, error) {
	return get(s, s.conversations, id)
}

func (s *fakeStore) Contact(_ context.Context, id care.ID) (*care.Contact, error) {
	return get(s, s.contacts, id)
}

func (s *fakeStore) RecordCharge(_ context.Context, _, messageID care.ID, category string, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.charges = append(s.charges, fmt.Sprintf("%d:%s", messageID, category))
	return nil
}

func (s *fakeStore) SetDelivery(_ context.Context, messageID care.ID, status care.DeliveryStatus, reason, platformID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[messageID]
	if !ok {
		return care.Errorf(care.ENOTFOUND, "message not found")
	}
	if platformID != "" && s.conflictOnPlatformID {
		return care.Errorf(care.ECONFLICT, "platform id taken")
	}
	m.Status, m.StatusReason = status, reason
	if platformID != "" {
		m.PlatformID = platformID
	}
	s.messages[messageID] = m
	return nil
}

func (s *fakeStore) RecordSent(ctx context.Context, messageID care.ID, status care.DeliveryStatus, platformID string, _ time.Time) ([]care.Event, error) {
	if err := s.SetDelivery(ctx, messageID, status, "", platformID); err != nil {
		return nil, err
	}
	return nil, nil
}

// ApplyStatusReports has no raw events to look in: the real stores do, and
// the tests with one (early_test.go) hold them to it.
func (s *fakeStore) ApplyStatusReports(context.Context, care.ID, time.Time, time.Time) ([]care.Event, error) {
	return nil, nil
}

func (s *fakeStore) Messages(_ context.Context, conversationID care.ID, afterID care.ID, limit int) ([]care.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []care.Message
	for _, m := range s.messages {
		if m.ConversationID == conversationID && m.ID > afterID {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b care.Message) int { return cmp.Compare(a.ID, b.ID) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

var _ Store = (*fakeStore)(nil)
