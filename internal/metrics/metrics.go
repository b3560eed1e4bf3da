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
	// OutboxDepth reports the function given to SetOutboxDepthFunc.
	OutboxDepth prometheus.GaugeFunc
	// SendErrors counts failed sends by channel and kind (KindTemporary,
	// KindPermanent).
	SendErrors *prometheus.CounterVec
	// Sent counts messages a platform accepted, by channel.
	Sent *prometheus.CounterVec
	// HTTPRequests counts requests by method, route and status code.
	HTTPRequests *prometheus.CounterVec
	// HTTPDuration observes request seconds by route.
	HTTPDuration *prometheus.HistogramVec

	outboxDepth atomic.Pointer[func() float64]
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
	m.OutboxDepth = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "parley_outbox_depth",
		Help: "Outbound messages waiting to be sent.",
	}, func() float64 {
		if f := m.outboxDepth.Load(); f != nil {
			return (*f)()
		}
		return 0
	})
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.IngestAccepted,
		m.PipelineLatency,
		m.OutboxDepth,
		m.SendErrors,
		m.Sent,
		m.HTTPRequests,
		m.HTTPDuration,
	)
	return m
}

// SetOutboxDepthFunc sets the function parley_outbox_depth reports; until it
// is called the gauge reads 0. f runs on every scrape, concurrently with
// anything else, so it should be quick: a read of a value kept up to date
// elsewhere rather than a query that could stall the scrape.
func (m *Metrics) SetOutboxDepthFunc(f func() float64) {
	m.outboxDepth.Store(&f)
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}
