// Package metrics defines the Prometheus metrics operators watch Parley by:
// intake, pipeline latency, the outbox, sends and HTTP traffic. Metrics live
// on their own registry rather than the global default, so a process, or a
// test, can hold several without collisions.
//
// Every label takes values from a small fixed set (channel kinds, outcomes,
// route patterns), because each distinct combination is a time series that
// Prometheus stores for as long as it retains data.
package metrics

import (
	"net/http"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Label values for IngestAccepted's outcome.
const (
	OutcomeStored    = "stored"
	OutcomeDuplicate = "duplicate"
	OutcomeRejected  = "rejected"
)

// Label values for PipelineLatency's stage.
const (
	// StageAck is from receipt to the durable write that lets Parley
	// acknowledge the platform.
	StageAck = "ack"
	// StageThread is from receipt to the message sitting in its conversation.
	StageThread = "thread"
)

// Label values for SendErrors' kind.
const (
	KindTemporary = "temporary"
	KindPermanent = "permanent"
)

// pipelineBuckets run from 0.5ms, an acknowledgement on an idle node, to 5s,
// beyond which a platform has likely timed out and retried anyway.
var pipelineBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}

// Metrics holds every metric Parley exports. Code that counts something takes
// the field it needs; only internal/app sees the whole struct.
type Metrics struct {
	Registry *prometheus.Registry

	// IngestAccepted counts inbound messages by channel and outcome
	// (OutcomeStored, OutcomeDuplicate, OutcomeRejected).
	IngestAccepted *prometheus.CounterVec
	// PipelineLatency observes seconds from receipt to each stage
	// (StageAck, StageThread).
	PipelineLatency *prometheus.HistogramVec
	// SendErrors counts failed sends by channel and kind (KindTemporary,
	// KindPermanent).
	SendErrors *prometheus.CounterVec
	// Sent counts messages a platform accepted, by channel.
	Sent *prometheus.CounterVec
	// HTTPRequests counts requests by method, route and status code.
	HTTPRequests *prometheus.CounterVec
	// HTTPDuration observes request seconds by route.
	HTTPDuration *prometheus.HistogramVec

	outboxDepth atomic.Pointer[func() (float64, error)]
}

// New returns Parley's metrics registered, together with the Go runtime and
// process collectors, on a new registry.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		IngestAccepted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_ingest_messages_total",
			Help: "Inbound messages received, by channel and outcome (stored, duplicate, rejected).",
		}, []string{"channel", "outcome"}),
		PipelineLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "parley_pipeline_seconds",
			Help:    "Seconds from receiving an inbound message to each pipeline stage (ack, thread).",
			Buckets: pipelineBuckets,
		}, []string{"stage"}),
		SendErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_send_errors_total",
			Help: "Failed outbound sends, by channel and kind (temporary, permanent).",
		}, []string{"channel", "kind"}),
		Sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_sent_total",
			Help: "Outbound messages accepted by their platform, by channel.",
		}, []string{"channel"}),
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_http_requests_total",
			Help: "HTTP requests served, by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "parley_http_request_seconds",
			Help:    "Seconds spent serving HTTP requests, by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.IngestAccepted,
		m.PipelineLatency,
		&storeCollector{m: m},
		m.SendErrors,
		m.Sent,
		m.HTTPRequests,
		m.HTTPDuration,
	)
	return m
}

// SetOutboxDepthFunc sets the function behind parley_outbox_depth and
// parley_store_up; until it is called they read 0 and 1. f runs on every
// scrape, concurrently with anything else, so it should be quick and bounded:
// a scrape waits for it.
//
// When f fails, parley_store_up reads 0 and parley_outbox_depth is left out
// of the scrape rather than given a made-up value: Prometheus then marks the
// series stale, so graphs show a gap and alerts on the depth see no data,
// instead of a number that looks like a real, healthy reading. Alert on
// parley_store_up == 0 for the outage itself.
func (m *Metrics) SetOutboxDepthFunc(f func() (float64, error)) {
	m.outboxDepth.Store(&f)
}

var (
	outboxDepthDesc = prometheus.NewDesc("parley_outbox_depth",
		"Outbound messages waiting to be sent; absent from a scrape whose store read failed.", nil, nil)
	storeUpDesc = prometheus.NewDesc("parley_store_up",
		"1 if this scrape read the store, 0 if the read failed.", nil, nil)
)

// storeCollector reports the outbox depth and whether reading it worked from
// one read per scrape, so the two never disagree.
type storeCollector struct{ m *Metrics }

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxDepthDesc
	ch <- storeUpDesc
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	depth, err := 0.0, error(nil)
	if f := c.m.outboxDepth.Load(); f != nil {
		depth, err = (*f)()
	}
	if err != nil {
		ch <- prometheus.MustNewConstMetric(storeUpDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxDepthDesc, prometheus.GaugeValue, depth)
	ch <- prometheus.MustNewConstMetric(storeUpDesc, prometheus.GaugeValue, 1)
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}
