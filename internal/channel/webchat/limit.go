package webchat

import (
	"sync"
	"time"
)

// Limits bound what one node gives the widgets. The zero value of a field
// means its default.
type Limits struct {
	// MaxSockets is how many widget sockets one node holds at once
	// (default 10,000); MaxPerIP from one client address (default 32: an
	// office behind one address); MaxPerVisitor for one visitor, their tabs
	// (default 8).
	MaxSockets    int
	MaxPerIP      int
	MaxPerVisitor int
	// Burst and PerSecond are each socket's token bucket: every frame
	// after hello takes a token; PerSecond tokens come back each second, up
	// to Burst (defaults 20 and 1). The widget sends a typing frame at most
	// every 3 seconds.
	Burst     int
	PerSecond float64
	// HelloTimeout is how long a socket may stay silent before hello
	// (default 10s).
	HelloTimeout time.Duration
	// PingInterval is how often Parley pings an idle socket, and
	// PongTimeout how long the pong may take before the socket is closed
	// as dead (defaults 25s and 15s): a phone that walked out of coverage
	// is noticed within 40 seconds.
	PingInterval time.Duration
	PongTimeout  time.Duration
	// WriteTimeout bounds one frame's write (default 10s).
	WriteTimeout time.Duration
	// History is how many messages welcome carries (default 50).
	History int
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxSockets, 10_000)
	def(&l.MaxPerIP, 32)
	def(&l.MaxPerVisitor, 8)
	def(&l.Burst, 20)
	if l.PerSecond <= 0 {
		l.PerSecond = 1
	}
	defDur(&l.HelloTimeout, 10*time.Second)
	defDur(&l.PingInterval, 25*time.Second)
	defDur(&l.PongTimeout, 15*time.Second)
	defDur(&l.WriteTimeout, 10*time.Second)
	def(&l.History, 50)
	return l
}

// bucket is a token bucket: Take succeeds while tokens remain, and tokens
// come back at rate per second up to burst. It is not safe for concurrent
// use; each socket's loop owns its own.
type bucket struct {
	tokens, burst, rate float64
	last                time.Time
}

func newBucket(burst int, rate float64, now time.Time) *bucket {
	return &bucket{tokens: float64(burst), burst: float64(burst), rate: rate, last: now}
}

// Take spends one token at now, if there is one.
func (b *bucket) Take(now time.Time) bool {
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.tokens = min(b.burst, b.tokens+dt*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// counter counts open sockets by key (a client address, a visitor) and
// refuses one over the key's limit. It is safe for concurrent use.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

// acquire counts one more socket for key, unless key already has max.
func (c *counter) acquire(key string, max int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	if c.n[key] >= max {
		return false
	}
	c.n[key]++
	return true
}

// release forgets one socket of key.
func (c *counter) release(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[key] <= 1 {
		delete(c.n, key)
		return
	}
	c.n[key]--
}
