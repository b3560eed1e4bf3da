package webchat

import (
	"sync"

	"github.com/parleyhq/parley/internal/care"
)

// TypingSignal says someone started or stopped typing in a conversation.
// A publisher repeats On every few seconds while typing goes on (the widget
// every 3 seconds); a subscriber treats On as over after TypingExpiry
// without a repeat, so a closed tab never leaves "typing…" behind.
type TypingSignal struct {
	WorkspaceID    care.ID `json:"workspace_id"`
	ConversationID care.ID `json:"conversation_id"`
	// Visitor is true for the customer, false for an agent.
	Visitor bool `json:"visitor"`
	// UserID is the agent typing; 0 for the visitor.
	UserID care.ID `json:"user_id,omitempty"`
	// Name is who is typing: the agent's name (the widget shows the first
	// word), or the visitor's name as agents know it.
	Name string `json:"name"`
	On   bool   `json:"on"`
}

// Typing carries typing signals between visitors' widgets and agents'
// composers. Server publishes visitors' signals and subscribes to each
// visitor's conversation for agents'; the agents' side does the converse.
// Both must be safe for concurrent use, and Publish must never block.
type Typing interface {
	Publish(sig TypingSignal)
	// Subscribe returns the signals of one conversation of the workspace,
	// visitors' and agents' alike, until cancel is called. A slow
	// subscriber may miss signals: they are ephemeral.
	Subscribe(workspaceID, conversationID care.ID) (signals <-chan TypingSignal, cancel func())
}

// TypingHub is the in-memory Typing of one node: signals reach the
// subscribers of the same process. With several nodes, the agents' presence
// hub that spans them should implement Typing instead.
type TypingHub struct {
	mu   sync.Mutex
	subs map[care.ID]map[chan TypingSignal]struct{}
}

// NewTypingHub returns an empty hub.
func NewTypingHub() *TypingHub {
	return &TypingHub{subs: map[care.ID]map[chan TypingSignal]struct{}{}}
}

var _ Typing = (*TypingHub)(nil)

// typingBuffer is how many signals wait for a subscriber before more are
// dropped.
const typingBuffer = 8

// Publish hands sig to the conversation's subscribers without waiting.
func (h *TypingHub) Publish(sig TypingSignal) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.subs[sig.ConversationID] {
		select {
		case c <- sig:
		default:
		}
	}
}

// Subscribe follows one conversation's signals until cancel. Conversation
// ids are unique across workspaces, so the hub keys by them alone.
func (h *TypingHub) Subscribe(_, conversationID care.ID) (<-chan TypingSignal, func()) {
	c := make(chan TypingSignal, typingBuffer)
	h.mu.Lock()
	if h.subs[conversationID] == nil {
		h.subs[conversationID] = map[chan TypingSignal]struct{}{}
	}
	h.subs[conversationID][c] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return c, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			delete(h.subs[conversationID], c)
			if len(h.subs[conversationID]) == 0 {
				delete(h.subs, conversationID)
			}
		})
	}
}
