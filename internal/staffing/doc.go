// Package staffing is the arithmetic of how many agents a queue needs: it
// forecasts a queue's arrivals hour by hour over the coming week from past
// weeks, and turns each hour's arrivals into the agents that meet the
// queue's targets and the staff to roster for them. It is pure code, with
// no storage and no clock: callers count arrivals and pass them in.
//
// # Erlang C
//
// A queue receives λ contacts an hour, each taking AHT (average handle
// time) to handle. Its traffic intensity is A = λ·AHT Erlangs, the contacts
// in hand at once on average. With N agents taking one contact at a time
// and contacts waiting in line until answered (the M/M/N queue), Erlang C
// gives:
//
//	B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1))   Erlang B, the blocking probability
//	C = N·B(N) / (N − A·(1 − B(N)))              P(wait), that a contact waits at all
//	SL(T) = 1 − C·e^(−(N−A)·T/AHT)               the share answered within T
//	ASA = C·AHT / (N − A)                        average speed of answer
//	occupancy = A / N
//
// The recursion keeps every term between 0 and 1, so it never overflows as
// the textbook Aⁿ/n! does past A ≈ 170; it costs one step per agent, and
// a queue of thousands of Erlangs is sized in microseconds. With N ≤ A the
// agents cannot keep up and the queue grows without bound: Metrics then
// says Overloaded, with SL 0, P(wait) and occupancy 1, and ASA Unbounded
// (the longest Duration rather than +Inf, so that it encodes as JSON).
//
// Required finds the fewest agents whose SL(T) reaches a target, such as
// 80% within 20 seconds for live chat or 80% within an hour for public
// social posts, and whose occupancy stays within a cap, such as 85%:
// agents held at higher occupancy for long burn out, whatever Erlang C
// allows. The staff to roster is then ceil(N / (1 − shrinkage)), shrinkage
// being the share of paid time agents spend off the queue.
//
// # Beyond Erlang C: concurrency
//
// In live chat and messaging an agent holds k conversations at once. The
// concurrent model treats each agent as k servers, so N agents are N·k
// servers, and stretches each conversation's handle time by a factor s,
// because an agent juggling conversations answers each more slowly: the
// queue is Erlang C with N·k servers and a service time of AHT·s. The
// default s is k / f(k), where f(k) is the effective concurrency that Call
// Centre Helper's "Erlang C for Chat?" gives for k = 1 to 5 (1, 1.7, 2.5,
// 2.9 and 3.5): an agent at concurrency 3 gets through 2.5 conversations'
// worth of work, not 3. With k = 1 the model is Erlang C.
//
// It is an approximation. It lets a new conversation take any free slot,
// when routing in fact fills the least busy agent first; it stretches every
// conversation alike, when one handled alone moves faster; and the stretch
// is a property of the team and the kind of conversation, best measured
// (the handle time at full concurrency over the handle time alone). It
// ignores that customers in a chat also wait between replies, which the
// first-answer target does not measure. When AHT is already measured at
// the concurrency agents actually run, set the stretch to 1.
//
// # Beyond Erlang C: deferred work
//
// Email, public posts, reviews and direct messages answered in hours do not
// need an agent free the moment they arrive: a backlog can be carried and
// worked down within the target. For them the workload model staffs the
// hour's work at a sustainable occupancy:
//
//	agents = ceil(λ·AHT / (interval · target occupancy))
//
// with λ per hour and an interval of one hour. Use it when the response
// target is much longer than the handle time (Suggest says ten times or
// more): there Erlang C answers nearly everyone in time with barely more
// agents than Erlangs, at an occupancy no team sustains, so occupancy, not
// waiting, sets the staff. Use Erlang C (or the concurrent model) when
// the target is of the order of the handle time, as for calls and live
// chat. Plans report Erlang C's SL and ASA at the agents chosen, for every
// model.
//
// # Forecast
//
// Forecast takes a queue's arrivals per hour over past weeks and returns
// the expected arrivals of each of the 168 hours of a week. The rate of an
// hour of the week is the weighted mean of that hour's arrivals in past
// weeks, recent weeks weighing more: each week back weighs Decay times the
// week after it (0.7 by default). An optional trend measures each of the
// latest weeks as its arrivals over those the forecast expects of it, fits
// a straight line to these levels and scales the forecast by the level the
// line projects for the week forecast, which may start some days after
// the history ends (Options.Ahead). Hours of the week with no history
// forecast 0.
//
// One-off spikes and drops are set right before the mean and the trend.
// For each hour of the week seen in at least three weeks, a count above
//
//	max(median + 3 · 1.4826 · MAD, Q₀.₉₉₉(Poisson(max(median, 1))))
//
// of that hour's weeks is lowered to it, and a count below
//
//	min(median − 3 · 1.4826 · MAD, Q₀.₀₀₁(Poisson(median)))
//
// is raised to the median, unless the nearest week on either side is
// beyond the bound the same way. Hampel's rule (the median less or plus
// three median absolute deviations, scaled to the standard deviation of
// normal noise) is barely moved by the one-off it looks for; the Poisson
// quantiles keep the chance highs and lows of small counts, whose MAD
// over a few weeks is often 0; and a change in two weeks running is one
// to follow, such as a launch, growth or a lasting fall, not a one-off.
// A drop, such as a week in which an inbox was disconnected, is raised to
// the median rather than to its bound because the week says nothing of
// the contacts it lost, and a plan short of agents costs the service
// level, where one with a few too many costs only wages. An hour whose
// median is below 6.9 is never raised: Poisson arrivals at that rate
// bring none more often than once in a thousand hours, so an hour without
// any, such as at night, is nothing to correct. With one or two weeks
// nothing can be told apart and nothing is set right. Week.Capped counts
// the hours lowered, Week.Raised those raised.
//
// Hours of the week are read on the wall clock of the team's time zone,
// because business hours and customers' habits follow it. So a week in
// which the clocks change keeps its pattern: Monday 09:00 is Monday 09:00
// before and after the change, the hour skipped in spring is simply
// missing, and the hour repeated in autumn is two samples of its hour of
// the week. Plans likewise have 167 or 169 hours in those weeks.
//
// # Limits
//
// Erlang C assumes customers wait as long as it takes. Real customers
// give up, and those who abandon free the agents for the rest, so Erlang C
// overstates the staff needed when many abandon, the more so the tighter
// the queue; Erlang A, which models patience, is the remedy when abandonment
// is measured. It also assumes arrivals at random (Poisson) at a steady
// rate within the hour, exponentially distributed handle times, one queue
// served by interchangeable agents, and each hour in a steady state: a
// backlog left at the end of a busy hour does not carry into the next.
// Bursts, such as a viral post or an outage, break the first assumption;
// the forecast, built on past weeks, cannot foresee them either, and
// caps them once past rather than plan for their return. Hours a channel
// was down are told only by their counts: a quiet queue's outage looks
// like chance and is kept, and one of two weeks or more like a fall.
package staffing
