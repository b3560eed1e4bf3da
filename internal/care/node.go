package care

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
)

// NodeName names this process in the leases that let one node of several
// do a job (poll an inbox, tick time-based rules, recompute priorities). It
// is random, made once per process.
var NodeName = sync.OnceValue(func() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "node-" + hex.EncodeToString(b)
})
