package demo

import (
	"bytes"
	"errors"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	lsn "github.com/parleyhq/parley/internal/listen"
	"github.com/parleyhq/parley/internal/metrics"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // unsorted
	}
	for _, tt := range []struct {
		name string
		in   []time.Duration
		q    float64
		want time.Duration
	}{
		{"none", nil, 0.5, 0},
		{"one", ms(7), 0.99, 7 * time.Millisecond},
		{"median of odd", ms(3, 1, 2), 0.5, 2 * time.Millisecond},
		{"median of even", ms(4, 1, 3, 2), 0.5, 2 * time.Millisecond},
		{"p99 of 100", ms(hundred...), 0.99, 99 * time.Millisecond},
		{"p50 of 100", ms(hundred...), 0.50, 50 * time.Millisecond},
		{"max", ms(5, 9, 1), 1, 9 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := percentile(tt.in, tt.q); got != tt.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tt.in, tt.q, got, tt.want)
			}
		})
	}
}

// Past maxLatencies the tally keeps a uniform sample, so memory stays
// bounded in a soak test and the percentiles stay close.
func TestTallyBoundsLatencies(t *testing.T) {
	t.Parallel()
	tl := newTally(1, "http://127.0.0.1:1")
	n := maxLatencies * 3
	for i := range n {
		tl.inbound(Sample{Channel: "x", PlatformID: strconv.Itoa(i)}, false, time.Duration(i%1000)*time.Microsecond, nil)
	}
	tl.inbound(Sample{Channel: "sms"}, true, 0, errors.New("refused"))
	if len(tl.latencies) != maxLatencies {
		t.Errorf("%d latencies kept, want %d", len(tl.latencies), maxLatencies)
	}
	r := tl.report()
	if r.Sent != n+1 || r.Acknowledged != n || r.Failed != 1 || r.FollowUps != 1 || r.PerChannel["x"] != n || r.PerChannel["sms"] != 0 {
		t.Errorf("report = sent %d, acknowledged %d, failed %d, follow-ups %d, per channel %v", r.Sent, r.Acknowledged, r.Failed, r.FollowUps, r.PerChannel)
	}
	if len(r.Inbound) != maxSamples {
		t.Errorf("%d samples kept, want %d", len(r.Inbound), maxSamples)
	}
	// Uniform on 0..999 µs: the median is near 500 µs.
	if r.AckP50 < 450*time.Microsecond || r.AckP50 > 550*time.Microsecond {
		t.Errorf("p50 = %v, want about 500µs", r.AckP50)
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	r := &Report{Seed: 42, Sent: 100, Acknowledged: 99, Failed: 1, Elapsed: 2 * time.Second,
		PerChannel: map[string]int{"x": 60, "sms": 39}, AckP50: 1500 * time.Microsecond, AckP99: 20 * time.Millisecond,
		Conversations: 70, Routed: 30, Queued: 35, Resolved: 5, Merged: 2, Replies: 12, RepliesPerChannel: map[string]int{"x": 12},
		Undelivered: 1, UndeliveredPerChannel: map[string]int{"x": 1},
		Listening: Listening{Imported: 1500, Kept: 1493, Spikes: make([]lsn.Spike, 1), Overheard: make([]Sample, 8), Heard: 6}}
	var b bytes.Buffer
	r.Summary(&b)
	for _, want := range []string{"seed 42", "100 inbound messages in 2 seconds, 50.0 a second\n", "acknowledged  99, not acknowledged 1",
		"p50 1.5ms, p99 20ms", "sms 39, x 60", "conversations 70: 30 routed", "2 contacts merged", "0 merges suggested", "12 reached the platforms (x 12); 0 surveys; 1 undelivered (x 1), marked failed by Parley",
		"listening     1493 of 1500 posts of history kept, spikes 1; 8 posts published for listening, 6 found by Parley's searches"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}

	// What customers wrote on the platforms Parley polls and in the web
	// chat is not part of the rate, which is the webhooks'.
	r.Sent, r.Acknowledged, r.Aside, r.PerChannel["youtube"], r.PerChannel["webchat"] = 112, 111, 12, 10, 2
	r.Suggested = []Suggestion{{Customer: "c7", Conversation: 3, Contact: 4, Candidate: 5}}
	r.Merged, r.Surveys, r.Elapsed = 1, 1, 5*time.Minute+20*time.Millisecond
	b.Reset()
	r.Summary(&b)
	for _, want := range []string{"100 inbound messages in 5 minutes, 0.3 a second, and 12 more by web chat and on platforms Parley polls",
		"acknowledged  111", "webchat 2", "youtube 10",
		"1 contact merged across channels, 1 merge suggested", "; 1 survey; ", "in 5 minutes, 0.3 a second"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
}

// A message Parley polls for counts as aside and has no latency; an
// edit of a review, which has no id of its own, is counted but not
// sampled.
func TestTallyAside(t *testing.T) {
	t.Parallel()
	tl := newTally(1, "")
	tl.inbound(Sample{Channel: "youtube", PlatformID: "Ugz1"}, false, -1, nil)
	tl.inbound(Sample{Channel: "google-reviews"}, true, -1, nil)
	tl.inbound(Sample{Channel: "x", PlatformID: "1"}, false, time.Millisecond, nil)
	r := tl.report()
	if r.Sent != 3 || r.Aside != 2 || r.Acknowledged != 3 || len(r.Inbound) != 2 || r.AckP50 != time.Millisecond || r.AckP99 != time.Millisecond {
		t.Errorf("report = sent %d, aside %d, acknowledged %d, %d samples, p50 %v, p99 %v; want 3, 2, 3, 2, 1ms, 1ms",
			r.Sent, r.Aside, r.Acknowledged, len(r.Inbound), r.AckP50, r.AckP99)
	}
}

// The summary's undelivered replies are those Parley's outbox marked
// failed, by channel; temporary failures, retried, are not among them.
func TestUndelivered(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	if n, err := undelivered(m.Registry); err != nil || len(n) != 0 {
		t.Fatalf("undelivered before any send = %v, %v; want none", n, err)
	}
	m.SendErrors.WithLabelValues("x", metrics.KindPermanent).Inc()
	m.SendErrors.WithLabelValues("x", metrics.KindPermanent).Inc()
	m.SendErrors.WithLabelValues("sms", metrics.KindPermanent).Inc()
	m.SendErrors.WithLabelValues("whatsapp", metrics.KindTemporary).Add(5)
	m.Sent.WithLabelValues("x").Add(9)
	n, err := undelivered(m.Registry)
	if want := map[string]int{"x": 2, "sms": 1}; err != nil || !maps.Equal(n, want) {
		t.Errorf("undelivered = %v, %v; want %v", n, err, want)
	}
}
