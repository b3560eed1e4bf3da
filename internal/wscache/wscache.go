// Package wscache keeps what a component built from a workspace's settings
// (compiled rules, calendars, weights) for a while, so the pipeline does
// not read and parse them for every message. Settings changed on this node
// take effect at once (Invalidate); changed on another, within the TTL.
package wscache

import (
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// DefaultTTL is how long a value is used when Get is given no TTL.
const DefaultTTL = 30 * time.Second

// Cache holds one value per workspace. Its zero value is empty and ready;
// it is safe for concurrent use.
type Cache[T any] struct {
	mu sync.Mutex
	m  map[care.ID]entry[T]
}

type entry[T any] struct {
	v      T
	loaded time.Time
}

// Get returns the workspace's value if it was loaded less than ttl before
// now (DefaultTTL when ttl is not positive), and otherwise load's, which it
// keeps. A clock that went back counts as expired. Two callers may load at
// once; the later value is kept.
func (c *Cache[T]) Get(ws care.ID, now time.Time, ttl time.Duration, load func() (T, error)) (T, error) {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	c.mu.Lock()
	e, ok := c.m[ws]
	c.mu.Unlock()
	if ok && now.Sub(e.loaded) < ttl && !now.Before(e.loaded) {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[care.ID]entry[T]{}
	}
	c.m[ws] = entry[T]{v: v, loaded: now}
	c.mu.Unlock()
	return v, nil
}

// Invalidate forgets the workspace's value, after its settings changed.
func (c *Cache[T]) Invalidate(ws care.ID) {
	c.mu.Lock()
	delete(c.m, ws)
	c.mu.Unlock()
}
