package outbox

import (
	"math"
	"time"
)

// Backoff returns how long to wait before retrying after the given number of
// earlier failed attempts, using "full jitter" as described in AWS's
// "Exponential Backoff And Jitter" (Marc Brooker, 2015): a uniformly random
// wait between 0 and min(ceiling, base·2^attempt), with rnd in [0, 1) as the
// random draw.
//
// Full jitter because after an outage every reply queued on a platform fails
// at once: plain exponential backoff brings them all back in lockstep to hit
// the platform together again, while spreading each wait over its whole range
// smooths the load and, in AWS's comparison, does the least total work for
// the fewest calls. A Retry-After from the platform overrides it when longer.
//
// The result is never negative and never exceeds ceiling; for a fixed rnd it
// never decreases as attempt grows. A negative attempt counts as 0; rnd
// outside [0, 1), or NaN, is clamped into it.
func Backoff(attempt int, base, ceiling time.Duration, rnd float64) time.Duration {
	if base <= 0 || ceiling <= 0 {
		return 0
	}
	attempt = max(attempt, 0)
	limit := ceiling
	// base<<attempt overflows long before attempt reaches 63; compare by
	// shifting the ceiling down instead.
	if attempt < 63 && base <= ceiling>>attempt {
		limit = base << attempt
	}
	if math.IsNaN(rnd) || rnd < 0 {
		rnd = 0
	}
	f := rnd * float64(limit)
	// float64(limit) may round up past limit (and past MaxInt64); converting
	// such a value would overflow.
	if f >= float64(limit) {
		return limit
	}
	return time.Duration(f)
}
