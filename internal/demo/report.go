package demo

import (
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/metrics"
)

// Report is what happened in a run, for tests and for the headless summary.
type Report struct {
	Seed int64  // the seed the run used
	URL  string // where Parley listened

	// Sent counts inbound messages the demo's customers sent, follow-ups
	// included; Acknowledged those the platform's webhook (or the API inbox)
	// accepted, and those the platforms Parley polls took; Failed the rest,
	// which Parley never acknowledged. Failed sends the other way are
	// Undelivered.
	Sent, Acknowledged, Failed int
	// Aside counts the messages of Sent that no webhook acknowledged:
	// those written on platforms Parley polls (Bluesky, Mastodon, YouTube,
	// Google reviews, Reddit, Foursquare, blogs, WordPress, the care
	// mailbox), which have no acknowledgement to time, and those said in
	// the web chat, over its socket. Headless, they are outside the rate
	// and the count.
	Aside int
	// PerChannel counts acknowledged inbound messages by channel.
	PerChannel map[string]int
	// FollowUps counts customers' answers to replies (part of Sent).
	FollowUps int
	// AckP50 and AckP99 are the median and 99th percentile of the time from
	// posting an inbound message to its acknowledgement, which Parley gives
	// only once the message is on disk.
	AckP50, AckP99 time.Duration
	// Elapsed is the time inbound messages were driven for.
	Elapsed time.Duration

	// Replies counts agent replies the platforms' fakes recorded,
	// RepliesPerChannel by channel; Surveys the satisfaction surveys
	// they recorded, which are not replies.
	Replies           int
	RepliesPerChannel map[string]int
	Surveys           int
	// Undelivered counts the replies and surveys Parley's outbox marked
	// failed (a platform refused them for good, or every attempt failed),
	// UndeliveredPerChannel by channel.
	Undelivered           int
	UndeliveredPerChannel map[string]int

	// Conversations, at the end: all of the run's (the past's aside);
	// Routed, those with an assignee; Queued, open ones nobody has;
	// Resolved, closed ones.
	Conversations, Routed, Queued, Resolved int
	// Past is the desk's past weeks, stored before the run began.
	Past Past
	// Merged counts the contacts an agent merged because one customer
	// wrote on two channels (Parley may also link some by itself).
	Merged int
	// Suggested are the merges Parley suggested, and an agent saw on a
	// conversation's page, without making them: a web chat visitor who
	// gave an email address in the chat, and wrote from it by email.
	Suggested []Suggestion

	// Listening is what the run showed of listening: the history
	// imported, and the posts strangers published that Parley's searches
	// found.
	Listening Listening

	// Inbound and Outbound are samples (the first maxSamples) of the
	// messages customers sent and of the replies the fakes recorded, with
	// the ids Parley stores them under, so a test can find each one. A
	// review's edit, which Parley names by the time Google gives it, is
	// not sampled.
	Inbound, Outbound []Sample
}

// Sample is one message as the platform and Parley know it.
type Sample struct {
	Channel    string
	InboxID    int64
	PlatformID string // the message's id as Parley stores it
	// Customer is the demo's name for the customer, the same on every
	// channel they use; AuthorID is their id on this channel, "" where the
	// platform gives none (a Google reviewer), and AuthorName then the
	// name the platform shows.
	Customer, AuthorID, AuthorName string
	// ReplyTo is the platform id of what the message answers, where the
	// platform says so: the reply an email answers (In-Reply-To), the
	// comment a WordPress comment is under; "" otherwise.
	ReplyTo string
}

// Suggestion is a merge Parley suggested on a conversation's page.
type Suggestion struct {
	Customer     string  // the demo's name for the customer
	Conversation care.ID // the conversation whose page showed it
	// Contact is the conversation's contact, Candidate the contact
	// suggested as the same person.
	Contact, Candidate care.ID
}

// maxSamples bounds the samples a report keeps, so a soak test's report
// stays small.
const maxSamples = 2000

// maxLatencies bounds the acknowledgement times kept for percentiles: a
// uniform sample of them (Vitter's algorithm R) once there are more.
const maxLatencies = 100000

// tally collects a run's figures from many goroutines.
type tally struct {
	mu        sync.Mutex
	r         Report
	latencies []time.Duration
	seen      int // latencies offered, kept or not
	rng       *rand.Rand
}

func newTally(seed int64, url string) *tally {
	return &tally{r: Report{Seed: seed, URL: url, PerChannel: map[string]int{}, RepliesPerChannel: map[string]int{}, UndeliveredPerChannel: map[string]int{}},
		rng: rand.New(rand.NewPCG(uint64(seed), 0x7a11))}
}

// inbound records one customer message: acknowledged with its latency
// (negative for none timed: a message aside from the webhooks) and sample,
// or failed.
func (t *tally) inbound(s Sample, followUp bool, took time.Duration, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.r.Sent++
	if followUp {
		t.r.FollowUps++
	}
	if took < 0 {
		t.r.Aside++
	}
	if err != nil {
		t.r.Failed++
		return
	}
	t.r.Acknowledged++
	t.r.PerChannel[s.Channel]++
	if len(t.r.Inbound) < maxSamples && s.PlatformID != "" {
		t.r.Inbound = append(t.r.Inbound, s)
	}
	if took < 0 {
		return
	}
	t.seen++
	if len(t.latencies) < maxLatencies {
		t.latencies = append(t.latencies, took)
	} else if i := t.rng.IntN(t.seen); i < maxLatencies {
		t.latencies[i] = took
	}
}

// reply records an agent's reply a fake received.
func (t *tally) reply(s Sample) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.r.Replies++
	t.r.RepliesPerChannel[s.Channel]++
	if len(t.r.Outbound) < maxSamples {
		t.r.Outbound = append(t.r.Outbound, s)
	}
}

func (t *tally) survey() {
	t.mu.Lock()
	t.r.Surveys++
	t.mu.Unlock()
}

// history records the listening history imported at the start.
func (t *tally) history(l Listening) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.r.Listening.Imported, t.r.Listening.Kept, t.r.Listening.Shares, t.r.Listening.Spikes = l.Imported, l.Kept, l.Shares, l.Spikes
}

// overheard records a post published for listening to find.
func (t *tally) overheard(s Sample) {
	t.mu.Lock()
	t.r.Listening.Overheard = append(t.r.Listening.Overheard, s)
	t.mu.Unlock()
}

// heard counts an overheard post Parley's searches found.
func (t *tally) heard() {
	t.mu.Lock()
	t.r.Listening.Heard++
	t.mu.Unlock()
}

func (t *tally) merged() {
	t.mu.Lock()
	t.r.Merged++
	t.mu.Unlock()
}

func (t *tally) suggested(s Suggestion) {
	t.mu.Lock()
	t.r.Suggested = append(t.r.Suggested, s)
	t.mu.Unlock()
}

// report returns a copy of the figures with the percentiles computed.
func (t *tally) report() *Report {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.r
	r.PerChannel = maps.Clone(t.r.PerChannel)
	r.RepliesPerChannel = maps.Clone(t.r.RepliesPerChannel)
	r.UndeliveredPerChannel = maps.Clone(t.r.UndeliveredPerChannel)
	r.Inbound = slices.Clone(t.r.Inbound)
	r.Outbound = slices.Clone(t.r.Outbound)
	r.Suggested = slices.Clone(t.r.Suggested)
	r.Listening.Shares = maps.Clone(t.r.Listening.Shares)
	r.Listening.Spikes = slices.Clone(t.r.Listening.Spikes)
	r.Listening.Overheard = slices.Clone(t.r.Listening.Overheard)
	r.AckP50, r.AckP99 = percentile(t.latencies, 0.50), percentile(t.latencies, 0.99)
	return &r
}

// percentile returns the q-quantile of ds by the nearest-rank method, 0 for
// none. It sorts a copy.
func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(q*float64(len(s))+0.999999999) - 1
	return s[min(max(rank, 0), len(s)-1)]
}

// Summary writes the report as the headless summary: a few lines a person
// reads and a script can grep.
func (r *Report) Summary(w io.Writer) {
	pushed := r.Sent - r.Aside
	rate := 0.0
	if r.Elapsed > 0 {
		rate = float64(pushed) / r.Elapsed.Seconds()
	}
	aside := ""
	if r.Aside > 0 {
		aside = fmt.Sprintf(", and %d more by web chat and on platforms Parley polls", r.Aside)
	}
	fmt.Fprintf(w, "Parley demo (seed %d): %s in %s, %.1f a second%s\n", r.Seed, counted(pushed, "inbound message", "inbound messages"), spoken(r.Elapsed), rate, aside)
	fmt.Fprintf(w, "  acknowledged  %d, not acknowledged %d (follow-ups %d)\n", r.Acknowledged, r.Failed, r.FollowUps)
	fmt.Fprintf(w, "  ack latency   p50 %s, p99 %s\n", r.AckP50.Round(time.Microsecond), r.AckP99.Round(time.Microsecond))
	fmt.Fprintf(w, "  per channel   %s\n", counts(r.PerChannel))
	fmt.Fprintf(w, "  conversations %d: %d routed to agents, %d queued, %d resolved; %s merged across channels, %s suggested\n",
		r.Conversations, r.Routed, r.Queued, r.Resolved, counted(r.Merged, "contact", "contacts"), counted(len(r.Suggested), "merge", "merges"))
	undelivered := ""
	if r.Undelivered > 0 {
		undelivered = " (" + counts(r.UndeliveredPerChannel) + ")"
	}
	fmt.Fprintf(w, "  replies       %d reached the platforms (%s); %s; %d undelivered%s, marked failed by Parley\n",
		r.Replies, counts(r.RepliesPerChannel), counted(r.Surveys, "survey", "surveys"), r.Undelivered, undelivered)
	l := r.Listening
	fmt.Fprintf(w, "  listening     %d of %s of history kept, spikes %d; %s published for listening, %d found by Parley's searches\n",
		l.Kept, counted(l.Imported, "post", "posts"), len(l.Spikes), counted(len(l.Overheard), "post", "posts"), l.Heard)
}

// counts renders a map as "a 1, b 2" in key order.
func counts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// sendErrors is the counter Parley's outbox adds to, by channel and kind,
// each time a send fails; kind "permanent" is a reply or survey marked
// failed, which is what the summary counts.
const sendErrors = "parley_send_errors_total"

// undelivered counts, by channel, the sends Parley's outbox marked failed,
// as its metrics record them: the demo's own view of the fakes cannot tell
// a refusal (X's for duplicate content, say) from a send not yet made.
func undelivered(g prometheus.Gatherer) (map[string]int, error) {
	families, err := g.Gather()
	if err != nil {
		return nil, fmt.Errorf("demo: read Parley's metrics: %w", err)
	}
	n := map[string]int{}
	for _, f := range families {
		if f.GetName() != sendErrors {
			continue
		}
		for _, m := range f.GetMetric() {
			var ch, kind string
			for _, l := range m.GetLabel() {
				switch l.GetName() {
				case "channel":
					ch = l.GetValue()
				case "kind":
					kind = l.GetValue()
				}
			}
			if v := int(m.GetCounter().GetValue()); kind == metrics.KindPermanent && v > 0 {
				n[ch] += v
			}
		}
	}
	return n, nil
}
