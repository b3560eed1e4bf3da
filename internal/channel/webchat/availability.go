package webchat

import (
	"context"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Availability reports whether an agent can answer the inbox's visitors
// now. When it says no, the widget shows the offline form: the visitor
// leaves an email with their message, which arrives as any other.
type Availability func(ctx context.Context, inbox care.Inbox) (bool, error)

// AgentLister lists a workspace's agents with their presence. care.Store
// satisfies it.
type AgentLister interface {
	Agents(ctx context.Context, workspaceID care.ID) ([]care.Agent, error)
}

// AnyAgentOnline is the default Availability: true while any member of the
// inbox's workspace has presence online (care.PresenceOnline, what routing
// gives work to). The answer is kept for ttl per workspace, so a burst of
// visitors costs one query.
func AnyAgentOnline(agents AgentLister, ttl time.Duration) Availability {
	type entry struct {
		online bool
		at     time.Time
	}
	var mu sync.Mutex
	cache := map[care.ID]entry{}
	return func(ctx context.Context, in care.Inbox) (bool, error) {
		now := time.Now()
		mu.Lock()
		e, ok := cache[in.WorkspaceID]
		mu.Unlock()
		if ok && now.Sub(e.at) < ttl {
			return e.online, nil
		}
		list, err := agents.Agents(ctx, in.WorkspaceID)
		if err != nil {
			return false, err
		}
		online := false
		for _, a := range list {
			if a.Presence == care.PresenceOnline {
				online = true
				break
			}
		}
		mu.Lock()
		cache[in.WorkspaceID] = entry{online, now}
		mu.Unlock()
		return online, nil
	}
}
