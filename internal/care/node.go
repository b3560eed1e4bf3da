package care

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// NodeName names this process in the leases that let one node of several
// do a job (poll an inbox, tick time-based rules, recompute priorities). It
// is random, made once per process.
var NodeName = sync.OnceValue(func() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "node-" + hex.EncodeToString(b)
})

// LeaseReleaser gives up a lease.
type LeaseReleaser interface {
	ReleaseLease(ctx context.Context, name, holder string) error
}

// LetGo gives up the named lease, if holder holds it, when ctx has ended
// (a node shutting down): another node takes the work over at its next
// turn rather than when the lease runs out. It has a few seconds of its
// own, since ctx is done.
func LetGo(ctx context.Context, s LeaseReleaser, name, holder string) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = s.ReleaseLease(rctx, name, holder)
}
