//go:build !unix

package sentiment

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
