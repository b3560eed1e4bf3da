// Package presence knows who is looking at which conversation, and who is
// typing in it, so that two agents do not answer one customer twice. It is
// ephemeral by design: nothing is stored, an agent who closes the tab or
// loses the network drops out after TTL, and typing lapses after TypingTTL
// without a keystroke.
//
// A Hub holds the presence of the agents connected to this node. With
// several nodes behind a load balancer, agents on different nodes do not
// see each other until a Relay joins the hubs (see Relay).
package presence

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Defaults for Hub's durations. Browsers touch every 15 s while the page
// is visible, and on each burst of typing.
const (
	DefaultTTL       = 40 * time.Second
	DefaultTypingTTL = 6 * time.Second
)

// Viewer is one agent in a conversation.
type Viewer struct {
	UserID care.ID `json:"user_id"`
	Name   string  `json:"name"`
	Typing bool    `json:"typing"`
}

// Update is the viewers of one conversation after a change, what
// subscribers receive.
type Update struct {
	WorkspaceID    care.ID  `json:"-"`
	ConversationID care.ID  `json:"conversation_id"`
	Viewers        []Viewer `json:"viewers"`
}

// Relay carries touches between the hubs of several nodes. Publish is
// called with every local touch; the relay calls Hub.Apply on the other
// nodes' hubs.
type Relay interface {
	Publish(t Touch)
}

// Touch is one agent's presence signal.
type Touch struct {
	WorkspaceID    care.ID `json:"workspace_id"`
	ConversationID care.ID `json:"conversation_id"`
	UserID         care.ID `json:"user_id"`
	Name           string  `json:"name"`
	Typing         bool    `json:"typing"`
	// Leave says the agent left the conversation.
	Leave bool `json:"leave,omitempty"`
}

// Hub tracks presence. Its zero value is ready to use; it is safe for
// concurrent use. Call Run to expire agents who stop touching.
type Hub struct {
	TTL, TypingTTL time.Duration
	Now            func() time.Time
	Relay          Relay

	mu    sync.Mutex
	convs map[care.ID]*conversation
	subs  map[care.ID]map[chan Update]struct{}
}

type conversation struct {
	ws      care.ID
	viewers map[care.ID]*entry
}

type entry struct {
	name          string
	seen, typedAt time.Time
	typing        bool
}

// subBuffer is how many updates a slow subscriber may fall behind before
// updates to it are dropped; the next change, or the browser's next touch,
// brings it up to date.
const subBuffer = 32

func (h *Hub) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Hub) ttl() time.Duration       { return cmp.Or(h.TTL, DefaultTTL) }
func (h *Hub) typingTTL() time.Duration { return cmp.Or(h.TypingTTL, DefaultTypingTTL) }

// Touch records t from this node and passes it to the relay.
func (h *Hub) Touch(t Touch) {
	h.Apply(t)
	if h.Relay != nil {
		h.Relay.Publish(t)
	}
}

// Apply records t, from this node or another, and tells the workspace's
// subscribers when what they see changes.
func (h *Hub) Apply(t Touch) {
	now := h.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.convs[t.ConversationID]
	if t.Leave {
		if c == nil || c.viewers[t.UserID] == nil {
			return
		}
		delete(c.viewers, t.UserID)
		h.publishLocked(t.ConversationID, c)
		if len(c.viewers) == 0 {
			delete(h.convs, t.ConversationID)
		}
		return
	}
	if c == nil {
		if h.convs == nil {
			h.convs = make(map[care.ID]*conversation)
		}
		c = &conversation{ws: t.WorkspaceID, viewers: make(map[care.ID]*entry)}
		h.convs[t.ConversationID] = c
	}
	e := c.viewers[t.UserID]
	changed := e == nil || e.typing != t.Typing || e.name != t.Name
	if e == nil {
		e = &entry{}
		c.viewers[t.UserID] = e
	}
	e.name, e.seen, e.typing = t.Name, now, t.Typing
	if t.Typing {
		e.typedAt = now
	}
	if changed {
		h.publishLocked(t.ConversationID, c)
	}
}

// Viewers returns who is in a conversation now, by name.
func (h *Hub) Viewers(convID care.ID) []Viewer {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.convs[convID]
	if c == nil {
		return nil
	}
	return viewersOf(c)
}

func viewersOf(c *conversation) []Viewer {
	vs := make([]Viewer, 0, len(c.viewers))
	for id, e := range c.viewers {
		vs = append(vs, Viewer{UserID: id, Name: e.name, Typing: e.typing})
	}
	slices.SortFunc(vs, func(a, b Viewer) int { return cmp.Compare(a.UserID, b.UserID) })
	return vs
}

func (h *Hub) publishLocked(convID care.ID, c *conversation) {
	u := Update{WorkspaceID: c.ws, ConversationID: convID, Viewers: viewersOf(c)}
	for ch := range h.subs[c.ws] {
		select {
		case ch <- u:
		default:
		}
	}
}

// Subscribe returns the updates of a workspace's conversations and a
// function that ends the subscription.
func (h *Hub) Subscribe(workspaceID care.ID) (<-chan Update, func()) {
	ch := make(chan Update, subBuffer)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = make(map[care.ID]map[chan Update]struct{})
	}
	if h.subs[workspaceID] == nil {
		h.subs[workspaceID] = make(map[chan Update]struct{})
	}
	h.subs[workspaceID][ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs[workspaceID], ch)
			if len(h.subs[workspaceID]) == 0 {
				delete(h.subs, workspaceID)
			}
			h.mu.Unlock()
		})
	}
}

// Sweep drops agents not seen for TTL and ends typing not renewed within
// TypingTTL, telling subscribers.
func (h *Hub) Sweep() {
	now := h.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, c := range h.convs {
		changed := false
		for uid, e := range c.viewers {
			switch {
			case now.Sub(e.seen) >= h.ttl():
				delete(c.viewers, uid)
				changed = true
			case e.typing && now.Sub(e.typedAt) >= h.typingTTL():
				e.typing = false
				changed = true
			}
		}
		if changed {
			h.publishLocked(id, c)
		}
		if len(c.viewers) == 0 {
			delete(h.convs, id)
		}
	}
}

// Run sweeps every second until ctx ends.
func (h *Hub) Run(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			h.Sweep()
		}
	}
}
