package auth

import (
	"context"
	"errors"
	"runtime"
	"time"
)

// ErrBusy is returned by HashGate.Acquire when every slot stayed taken for
// the whole wait. The caller should answer "try again shortly" rather than
// queue more work.
var ErrBusy = errors.New("auth: too many password checks at once")

// HashGate bounds how many password hashes run at once. One argon2id pass
// with DefaultParams holds 64 MiB; without a bound, a burst of sign-in
// attempts by anyone would hold that much per attempt until the node runs
// out of memory for every workspace on it.
type HashGate struct {
	slots chan struct{}
	wait  time.Duration
}

// DefaultHashSlots is the number of slots NewHashGate gives for 0: one per
// CPU, since argon2 is CPU-bound and more at once only queue in the
// scheduler while holding their memory, but at least two so one slow check
// does not stall every sign-in.
func DefaultHashSlots() int {
	return max(2, runtime.NumCPU())
}

// NewHashGate returns a gate of slots slots (DefaultHashSlots for 0 or
// less) whose Acquire waits at most wait for one.
func NewHashGate(slots int, wait time.Duration) *HashGate {
	if slots <= 0 {
		slots = DefaultHashSlots()
	}
	return &HashGate{slots: make(chan struct{}, slots), wait: wait}
}

// Acquire takes a slot and returns the function that gives it back. It
// returns ErrBusy if no slot came free within the gate's wait, or ctx's
// error if ctx ended first.
func (g *HashGate) Acquire(ctx context.Context) (release func(), err error) {
	release = func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	if g.wait <= 0 {
		return nil, ErrBusy
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
