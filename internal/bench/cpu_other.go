//go:build !unix

package bench

import "time"

// cpuTime is not measured on this platform: the per-CPU-second figures come
// out as zero.
func cpuTime() time.Duration { return 0 }
