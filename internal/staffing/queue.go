package staffing

import (
	"math"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Model names how a queue's work is turned into agents.
type Model string

// Models. The zero Model is ModelErlangC.
const (
	// ModelErlangC is one contact at a time while the customer waits
	// live: a call, or live chat where agents take one at a time.
	ModelErlangC Model = "erlang_c"

	// ModelConcurrent is live messaging where an agent holds Concurrency
	// conversations at once, each taking longer than alone by Stretch.
	ModelConcurrent Model = "concurrent"

	// ModelWorkload is deferred work (email, public posts, reviews) whose
	// response target is far longer than its handle time.
	ModelWorkload Model = "workload"
)

// Limits on a Queue and its traffic, so that a mistyped figure fails
// clearly rather than running for minutes.
const (
	// MaxErlangs bounds the traffic of one queue in one hour: 100,000
	// contacts in hand at once is far beyond any care team.
	MaxErlangs = 100_000

	// MaxAHT bounds the handle time of one contact.
	MaxAHT = 24 * time.Hour

	// MaxConcurrency bounds the conversations an agent holds at once.
	MaxConcurrency = 20

	// MaxAgents bounds the agents on one queue, given or required.
	MaxAgents = 1_000_000

	// MaxShrinkage bounds Shrinkage: past it the staff to roster would be
	// more than a hundred times the agents on the queue, which no roster
	// means.
	MaxShrinkage = 0.99
)

// concurrencyFactor is how many single conversations' worth of work an
// agent gets through while holding k at once, from Call Centre Helper,
// "Erlang C for Chat?" (callcentrehelper.com/erlang-c-for-chat-206984.htm):
// 1, 1.7, 2.5, 2.9 and 3.5 for k = 1 to 5. Agents hold fewer than k for
// part of the time, and switching between conversations costs attention,
// so capacity grows slower than k. The default Stretch is k / factor.
var concurrencyFactor = [...]float64{1: 1, 2: 1.7, 3: 2.5, 4: 2.9, 5: 3.5}

// Queue is how one queue is staffed: its model, its work and its targets.
// In JSON, durations are Go's nanoseconds; the API takes seconds and
// builds a Queue (internal/api/staffing.go).
type Queue struct {
	// Model is ModelErlangC (the default when empty), ModelConcurrent
	// or ModelWorkload.
	Model Model `json:"model,omitempty"`

	// AHT is the average handle time of a contact: for ModelConcurrent,
	// that of a conversation handled alone.
	AHT time.Duration `json:"aht"`

	// Concurrency is, for ModelConcurrent, the conversations an agent
	// holds at once (k); other models take 0 or 1.
	Concurrency int `json:"concurrency,omitempty"`

	// Stretch is, for ModelConcurrent, how many times longer a
	// conversation takes when its agent holds Concurrency of them: between
	// 1 and Concurrency. 0 takes the default for Concurrency up to 5 (see
	// concurrencyFactor); measure it above that. When AHT was itself
	// measured with agents at full concurrency, set 1.
	Stretch float64 `json:"stretch,omitempty"`

	// ServiceLevel is the share of contacts to answer within Within, at
	// least 0 (no target) and below 1, such as 0.8. ModelWorkload reports
	// the service level but does not staff for it.
	ServiceLevel float64       `json:"service_level"`
	Within       time.Duration `json:"within"`

	// MaxOccupancy caps the share of their time agents spend handling
	// contacts, such as 0.85; 0 means no cap. ModelWorkload requires it:
	// it is the occupancy the workload is staffed at.
	MaxOccupancy float64 `json:"max_occupancy,omitempty"`

	// Shrinkage is the share of rostered time agents are not on the queue
	// (breaks, meetings, training, absence), from 0 to MaxShrinkage.
	Shrinkage float64 `json:"shrinkage,omitempty"`
}

// Metrics are a queue's expected figures for one hour of steady traffic.
type Metrics struct {
	// Agents is the number of agents on the queue; Scheduled is the
	// staff to roster for that many to be on it after shrinkage,
	// ceil(Agents / (1 − Shrinkage)).
	Agents    int `json:"agents"`
	Scheduled int `json:"scheduled"`

	// Erlangs is the traffic intensity: λ·AHT, the contacts in hand at
	// once on average; for ModelConcurrent, λ·AHT·Stretch, the conversation
	// slots in use.
	Erlangs float64 `json:"erlangs"`

	// PWait is the probability that a contact waits at all (Erlang C);
	// ServiceLevel the share answered within Queue.Within; ASA the
	// average speed of answer over all contacts, those answered at once
	// included.
	PWait        float64       `json:"p_wait"`
	ServiceLevel float64       `json:"service_level"`
	ASA          time.Duration `json:"asa"`

	// Occupancy is the share of the agents' time (for ModelConcurrent, of
	// their conversation slots) spent handling contacts.
	Occupancy float64 `json:"occupancy"`

	// Overloaded reports that the agents cannot keep up (Agents ≤
	// Erlangs, in slots for ModelConcurrent): the queue grows without bound.
	// ServiceLevel is then 0, PWait and Occupancy 1, and ASA Unbounded.
	Overloaded bool `json:"overloaded,omitempty"`
}

// Suggest returns the model that fits work with the given handle time,
// answer target and concurrency: ModelConcurrent when agents hold several
// conversations at once; ModelWorkload when the target is at least ten
// handle times, where Erlang C would staff at nearly 100% occupancy
// because any backlog clears well within the target, so the occupancy
// agents can sustain is what sets the staff; ModelErlangC otherwise.
func Suggest(aht, within time.Duration, concurrency int) Model {
	switch {
	case concurrency > 1:
		return ModelConcurrent
	case aht > 0 && within >= 10*aht:
		return ModelWorkload
	}
	return ModelErlangC
}

// Validate returns EINVALID, naming the field, when q cannot be planned.
func (q Queue) Validate() error {
	switch q.Model {
	case "", ModelErlangC, ModelWorkload:
		if q.Concurrency > 1 || q.Concurrency < 0 || q.Stretch != 0 {
			return care.Errorf(care.EINVALID, "concurrency and stretch apply to the %q model only; choose it, or leave them out.", ModelConcurrent)
		}
	case ModelConcurrent:
		if q.Concurrency < 1 || q.Concurrency > MaxConcurrency {
			return care.Errorf(care.EINVALID, "concurrency is the number of conversations an agent holds at once, from 1 to %d, such as 3.", MaxConcurrency)
		}
		if q.Stretch == 0 && q.Concurrency >= len(concurrencyFactor) {
			return care.Errorf(care.EINVALID, "stretch is needed above a concurrency of %d: measure how many times longer a conversation takes at that concurrency than alone.", len(concurrencyFactor)-1)
		}
		if q.Stretch != 0 && !(q.Stretch >= 1 && q.Stretch <= float64(q.Concurrency)) {
			return care.Errorf(care.EINVALID, "stretch is how many times longer a conversation takes at full concurrency than alone, from 1 to the concurrency (%d), or 0 for the default.", q.Concurrency)
		}
	default:
		return care.Errorf(care.EINVALID, "model must be %q, %q or %q.", ModelErlangC, ModelConcurrent, ModelWorkload)
	}
	if q.AHT <= 0 || q.AHT > MaxAHT {
		return care.Errorf(care.EINVALID, "aht, the average handle time, must be more than 0 and at most %d hours.", MaxAHT/time.Hour)
	}
	if !(q.ServiceLevel >= 0 && q.ServiceLevel < 1) {
		return care.Errorf(care.EINVALID, "service_level is a share of contacts, at least 0 (no target) and below 1, such as 0.8.")
	}
	if q.Within < 0 {
		return care.Errorf(care.EINVALID, "within, the time to answer in, cannot be negative.")
	}
	if !(q.MaxOccupancy >= 0 && q.MaxOccupancy <= 1) {
		return care.Errorf(care.EINVALID, "max_occupancy is a share of the agents' time, above 0 and at most 1, such as 0.85, or 0 for no cap.")
	}
	if q.Model == ModelWorkload && !(q.MaxOccupancy > 0 && q.MaxOccupancy < 1) {
		// At 1, whole Erlangs would get exactly as many agents as the
		// work, and a queue that never clears.
		return care.Errorf(care.EINVALID, "max_occupancy is needed by the workload model, below 1: the share of their time agents can spend on the work, such as 0.85.")
	}
	if !(q.Shrinkage >= 0 && q.Shrinkage <= MaxShrinkage) {
		return care.Errorf(care.EINVALID, "shrinkage is the share of rostered time agents are off the queue, from 0 to %g, such as 0.3.", MaxShrinkage)
	}
	return nil
}

// servers returns the servers per agent and the mean service time in
// seconds of each: ModelConcurrent turns an agent into k servers whose
// service takes AHT·Stretch. q must be valid.
func (q Queue) servers() (k int, service float64) {
	if q.Model != ModelConcurrent {
		return 1, q.AHT.Seconds()
	}
	stretch := q.Stretch
	if stretch == 0 {
		stretch = float64(q.Concurrency) / concurrencyFactor[q.Concurrency]
	}
	return q.Concurrency, q.AHT.Seconds() * stretch
}

// load validates q and rate and returns the servers per agent, the service
// time in seconds and the offered load in Erlangs (in servers).
func (q Queue) load(rate float64) (k int, service, a float64, err error) {
	if err := q.Validate(); err != nil {
		return 0, 0, 0, err
	}
	if !(rate >= 0 && !math.IsInf(rate, 1)) {
		return 0, 0, 0, care.Errorf(care.EINVALID, "rate, the contacts arriving per hour, must be a number at least 0.")
	}
	k, service = q.servers()
	a = rate * service / 3600
	if a > MaxErlangs {
		return 0, 0, 0, care.Errorf(care.EINVALID, "rate of %.0f contacts an hour of %v each is %.0f Erlangs, more than the %d one queue can be planned for; split the queue.", rate, q.AHT, a, MaxErlangs)
	}
	return k, service, a, nil
}

// Evaluate returns the figures of q when agents serve rate contacts per
// hour.
func (q Queue) Evaluate(rate float64, agents int) (Metrics, error) {
	k, service, a, err := q.load(rate)
	if err != nil {
		return Metrics{}, err
	}
	if agents < 0 || agents > MaxAgents {
		return Metrics{}, care.Errorf(care.EINVALID, "agents must be from 0 to %d.", MaxAgents)
	}
	n := agents * k
	return q.finish(queueing(a, n, ErlangB(a, n), service, q.Within.Seconds()), agents), nil
}

// Required returns the figures of q at the fewest agents that meet its
// targets when rate contacts arrive per hour: for ModelErlangC and
// ModelConcurrent, the fewest that answer ServiceLevel within Within and
// keep occupancy at most MaxOccupancy (and below 1, without which the
// queue never clears); for ModelWorkload, ceil(λ·AHT / MaxOccupancy), and
// always more than λ·AHT. No traffic needs no agents.
func (q Queue) Required(rate float64) (Metrics, error) {
	k, service, a, err := q.load(rate)
	if err != nil {
		return Metrics{}, err
	}
	within := q.Within.Seconds()
	if a == 0 {
		return q.finish(queueing(0, 0, 1, service, within), 0), nil
	}
	if q.Model == ModelWorkload {
		// The hour's work done at a sustainable occupancy: the backlog that
		// random arrivals build up clears long before the target.
		need := a / q.MaxOccupancy
		if need > MaxAgents {
			return Metrics{}, tooMany(rate)
		}
		// More agents than Erlangs too, whatever the cap: ceil forgives
		// float error, and a cap a hair below 1 would otherwise round
		// λ·AHT / cap down onto whole Erlangs, a queue that never clears.
		n := max(ceil(need), int(math.Floor(a))+1)
		return q.finish(queueing(a, n, ErlangB(a, n), service, within), n), nil
	}
	// Start at the fewest agents that keep up and respect the occupancy
	// cap, then add agents until the service level is met: it rises with
	// every agent, and the Erlang B recursion moves one server at a time.
	n := int(math.Floor(a/float64(k))) + 1
	if q.MaxOccupancy > 0 {
		// Compared before rounding, which a tiny cap would overflow.
		if a/(float64(k)*q.MaxOccupancy) > MaxAgents {
			return Metrics{}, tooMany(rate)
		}
		n = max(n, ceil(a/(float64(k)*q.MaxOccupancy)))
	}
	s := n * k
	b := ErlangB(a, s)
	for {
		m := queueing(a, s, b, service, within)
		// The tolerance keeps a target met exactly on paper from being
		// missed by float rounding.
		if !m.Overloaded && m.ServiceLevel >= q.ServiceLevel-1e-12 {
			return q.finish(m, n), nil
		}
		if n == MaxAgents {
			return Metrics{}, tooMany(rate)
		}
		b = advanceB(b, a, s, s+k)
		s += k
		n++
	}
}

// tooMany refuses a rate whose agents Required would search for too long.
func tooMany(rate float64) error {
	return care.Errorf(care.EINVALID, "rate of %.0f contacts an hour would need more than %d agents on one queue; check max_occupancy, or split the queue.", rate, MaxAgents)
}

// finish completes m for agents agents.
func (q Queue) finish(m Metrics, agents int) Metrics {
	m.Agents = agents
	m.Scheduled = q.Roster(agents)
	return m
}

// Roster returns the staff to roster for agents to be on the queue after
// q's shrinkage, ceil(agents / (1 − Shrinkage)): for one hour, or for a
// week's agent hours. It forgives float error, as Required does: 168 /
// (1 − 0.3) is 240.00000000000003 in float64, and 241 hours would be one
// too many.
func (q Queue) Roster(agents int) int {
	return ceil(float64(agents) / (1 - q.Shrinkage))
}
