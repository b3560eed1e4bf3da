package demo

import (
	"math"
	"net"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// DefaultAddr is where the demo's Parley listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8080"

// MaxRate bounds headless load: beyond it the driver itself, not Parley,
// would be what is measured.
const MaxRate = 10000

// MaxSpeed bounds time compression; beyond it the simulated agents' pauses
// round to nothing and the story is a blur.
const MaxSpeed = 1000

// Options say how to run the demo.
type Options struct {
	Addr     string        // where Parley listens, default 127.0.0.1:8080 (0 port allowed in tests)
	DataDir  string        // fresh data directory; "" makes a temporary one removed at the end
	Seed     int64         // reproducible run; 0 picks one, reported so the run can be repeated
	Speed    float64       // time compression for the simulated customers' pace (1 = real time)
	Rate     float64       // with Headless: inbound messages per second to drive
	Headless bool          // no pretty story, just load; bounded by Duration and Count
	Duration time.Duration // stop after (0 = until ctx ends; headless requires a bound)
	Count    int           // stop after this many inbound messages (0 = no bound)
}

// check fills in defaults and returns EINVALID saying what is wrong.
func (o Options) check() (Options, error) {
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	host, port, err := net.SplitHostPort(o.Addr)
	if err != nil {
		return o, care.Errorf(care.EINVALID, "The address %q is not HOST:PORT.", o.Addr)
	}
	if !loopback(host) {
		return o, care.Errorf(care.EINVALID, "The demo listens on the loopback interface only (127.0.0.1, ::1 or localhost), not %q: it prints passwords and plays fake platforms.", host)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return o, care.Errorf(care.EINVALID, "The port %q is not a number from 0 to 65535.", port)
	}
	if o.Speed == 0 {
		o.Speed = 1
	}
	if math.IsNaN(o.Speed) || o.Speed < 0 || o.Speed > MaxSpeed {
		return o, care.Errorf(care.EINVALID, "Speed must be above 0 and at most %d.", MaxSpeed)
	}
	if o.Duration < 0 || o.Count < 0 {
		return o, care.Errorf(care.EINVALID, "Duration and count cannot be negative.")
	}
	if math.IsNaN(o.Rate) || o.Rate < 0 || o.Rate > MaxRate {
		return o, care.Errorf(care.EINVALID, "The rate must be from 0 to %d messages a second.", MaxRate)
	}
	if o.Headless {
		if o.Rate == 0 {
			return o, care.Errorf(care.EINVALID, "Headless mode needs a rate: the inbound messages a second to drive.")
		}
		if o.Duration == 0 && o.Count == 0 {
			return o, care.Errorf(care.EINVALID, "Headless mode needs a bound: a duration, a count, or both.")
		}
	}
	return o, nil
}

// loopback reports whether host names the loopback interface.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
