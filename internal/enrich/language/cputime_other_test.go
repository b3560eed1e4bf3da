//go:build !unix

package language

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
