package web

import (
	"context"
	"sync"

	"github.com/parleyhq/parley/internal/care"
)

// lastMessages remembers each conversation's newest message with the
// message count it was read at. The store lists messages oldest first, so a
// conversation seen before is brought up to date by reading only the
// messages after the remembered one.
type lastMessages struct {
	mu sync.Mutex
	m  map[care.ID]lastMessage
}

type lastMessage struct {
	count int
	msg   care.Message
}

// maxRemembered bounds the memory of lastMessages; past it, it starts over.
const maxRemembered = 20_000

func (l *lastMessages) get(id care.ID) (lastMessage, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.m[id]
	return e, ok
}

func (l *lastMessages) put(id care.ID, e lastMessage) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil || len(l.m) >= maxRemembered {
		l.m = make(map[care.ID]lastMessage)
	}
	// Keep only what the list shows; a 64 KiB text is not worth holding.
	if len(e.msg.Text) > 4096 {
		e.msg.Text = e.msg.Text[:4096]
	}
	e.msg.Attachments = e.msg.Attachments[:min(len(e.msg.Attachments), 1)]
	l.m[id] = e
}

// lastMessage returns the newest message of c, or nil if it has none.
func (h *Handler) lastMessage(ctx context.Context, c *care.Conversation) (*care.Message, error) {
	if c.MessageCount == 0 {
		return nil, nil
	}
	prev, ok := h.excerpts.get(c.ID)
	if ok && prev.count == c.MessageCount {
		return &prev.msg, nil
	}
	// Messages only ever join a conversation with higher ids, except when a
	// merge or its undo moves them; then the count falls or nothing newer
	// is found, and the conversation is read from the start.
	var last *care.Message
	var err error
	if ok && prev.count < c.MessageCount {
		if last, err = h.newestAfter(ctx, c.ID, prev.msg.ID); err != nil {
			return nil, err
		}
	}
	if last == nil {
		if last, err = h.newestAfter(ctx, c.ID, 0); err != nil {
			return nil, err
		}
	}
	if last == nil {
		return nil, nil
	}
	h.excerpts.put(c.ID, lastMessage{count: c.MessageCount, msg: *last})
	return last, nil
}

// newestAfter reads a conversation's messages after the given id and
// returns the newest, or nil if there is none.
func (h *Handler) newestAfter(ctx context.Context, convID, after care.ID) (*care.Message, error) {
	var last *care.Message
	for {
		page, err := h.Store.Messages(ctx, convID, after, 500)
		if err != nil {
			return nil, err
		}
		if len(page) > 0 {
			last = &page[len(page)-1]
			after = last.ID
		}
		if len(page) < 500 {
			return last, nil
		}
	}
}
