package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parleyhq/parley/internal/cputime"
)

// Report holds every figure of a run.
type Report struct {
	Machine Machine `json:"machine"`
	// Store is the engine ("sqlite" or "postgres"); Where names the
	// throwaway database.
	Store  string  `json:"store"`
	Where  string  `json:"where"`
	Seed   uint64  `json:"seed"`
	Bare   *Bare   `json:"bare,omitempty"`
	Ingest *Ingest `json:"ingest,omitempty"`
	// Webhooks is the run of signed Messenger deliveries to a Facebook
	// inbox's webhook; each delivery is one message.
	Webhooks *Ingest  `json:"webhooks,omitempty"`
	List     *List    `json:"list,omitempty"`
	Targets  []Target `json:"targets"`
}

// Throughput is a count of messages handled over a wall-clock and a CPU
// time.
type Throughput struct {
	Messages     int     `json:"messages"`
	Seconds      float64 `json:"seconds"`
	PerSecond    float64 `json:"per_second"`
	CPUSeconds   float64 `json:"cpu_seconds"`
	PerCPUSecond float64 `json:"per_cpu_second"`
	// OtherCPUSeconds is the CPU time the rest of the machine used in the
	// same window (Linux only): near zero on a quiet machine.
	OtherCPUSeconds float64 `json:"other_cpu_seconds"`
}

// window is a measured interval's start: wall clock, this process's CPU
// time and the machine's.
type window struct {
	cpu, machine time.Duration
}

func startWindow() window { return window{cpu: processCPU(), machine: machineBusy()} }

// processCPU is the process's CPU time so far, or 0 where the platform does
// not tell (the per-CPU-second figures then come out as zero).
func processCPU() time.Duration {
	d, _ := cputime.Process()
	return d
}

// throughput returns n messages over wall, with the CPU time used since w
// started.
func (w window) throughput(n int, wall time.Duration) Throughput {
	cpu, machine := processCPU()-w.cpu, machineBusy()-w.machine
	return Throughput{Messages: n, Seconds: wall.Seconds(), PerSecond: perSecond(n, wall),
		CPUSeconds: cpu.Seconds(), PerCPUSecond: perSecond(n, cpu), OtherCPUSeconds: max(0, (machine - cpu).Seconds())}
}

// Bare is the baseline handler's run.
type Bare struct {
	Throughput
	Latency Latency `json:"latency"`
}

// Ingest is one of Parley's ingest runs: messages posted to the API inbox,
// or signed webhook deliveries of one message each. Each message is one
// event.
type Ingest struct {
	Messages    int `json:"messages"`
	Concurrency int `json:"concurrency"`
	Authors     int `json:"authors"`
	// Acknowledged runs from the first request to the last answer: every
	// answered message is durable.
	Acknowledged Throughput `json:"acknowledged"`
	Latency      Latency    `json:"ack_latency"`
	// Threaded runs from the first request until the pipeline has turned
	// every message into a threaded conversation message.
	Threaded Throughput `json:"threaded"`
	// RawEvents is how many raw events the run stored, Stored how many
	// messages the pipeline made of them: each equals Messages, or the
	// run fails.
	RawEvents            int `json:"raw_events"`
	Stored               int `json:"stored"`
	ConversationsCreated int `json:"conversations_created"`
}

// List is the conversation list's run.
type List struct {
	Seeded      int      `json:"seeded"`
	Total       int      `json:"total"` // conversations in the workspace
	Assignees   int      `json:"assignees"`
	Queries     int      `json:"queries"`
	SeedSeconds float64  `json:"seed_seconds"`
	RowsPerPage float64  `json:"rows_per_page"`
	Store       Latency  `json:"store"`
	HTTP        Latency  `json:"http"`
	Plan        []string `json:"plan"`
	UsesIndex   bool     `json:"uses_index"`
	// OtherCPUSeconds is the CPU time the rest of the machine used while
	// the queries ran (Linux only).
	OtherCPUSeconds float64 `json:"other_cpu_seconds"`
}

// latencyJSON is Latency's JSON form.
type latencyJSON struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

// MarshalJSON writes durations as milliseconds, to the microsecond.
func (l Latency) MarshalJSON() ([]byte, error) {
	return json.Marshal(latencyJSON{l.Count, msec(l.P50), msec(l.P90), msec(l.P99), msec(l.Max)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (l *Latency) UnmarshalJSON(b []byte) error {
	var v latencyJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*l = Latency{Count: v.Count, P50: fromMsec(v.P50), P90: fromMsec(v.P90), P99: fromMsec(v.P99), Max: fromMsec(v.Max)}
	return nil
}

func msec(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func fromMsec(v float64) time.Duration { return time.Duration(math.Round(v*1000)) * time.Microsecond }

// Target is one goal from the performance issue and whether this run met it.
type Target struct {
	Name string `json:"name"`
	Want string `json:"want"`
	Got  string `json:"got"`
	Met  bool   `json:"met"`
	// OffScale is set when the run was smaller than the goal is stated
	// for, so Met says nothing about the goal.
	OffScale bool   `json:"off_scale,omitempty"`
	Note     string `json:"note,omitempty"`
}

// Goals of the performance issue.
const (
	goalIngestRate   = 5000.0
	goalIngestP99    = 50 * time.Millisecond
	goalWebhookRate  = 2000.0
	goalWebhookP99   = 50 * time.Millisecond
	goalCPURatio     = 1.0 / 3
	goalListP99      = 5 * time.Millisecond
	goalListAtLeast  = 1_000_000
	goalRateStoreFor = "sqlite"
)

func evaluate(r *Report) []Target {
	var ts []Target
	if in := r.Ingest; in != nil {
		var note string
		if r.Store != goalRateStoreFor {
			note = "the goal is set for SQLite; shown for comparison"
		}
		ts = append(ts,
			Target{Name: "ingest, acknowledged", Want: fmt.Sprintf("≥ %s msg/s", thousands(goalIngestRate)),
				Got: thousands(in.Acknowledged.PerSecond) + " msg/s", Met: in.Acknowledged.PerSecond >= goalIngestRate, Note: note},
			Target{Name: "ingest, p99 acknowledgement", Want: "≤ " + fmtMS(goalIngestP99),
				Got: fmtMS(in.Latency.P99), Met: in.Latency.P99 <= goalIngestP99, Note: note})
		if b := r.Bare; b != nil && b.PerCPUSecond > 0 {
			ratio := in.Threaded.PerCPUSecond / b.PerCPUSecond
			ts = append(ts, Target{Name: "Parley / bare, msg per CPU-second", Want: "≥ 0.33",
				Got: fmt.Sprintf("%.2f", ratio), Met: ratio >= goalCPURatio,
				Note: fmt.Sprintf("stored and threaded; acknowledgement window alone: %.2f", in.Acknowledged.PerCPUSecond/b.PerCPUSecond)})
		}
	}
	if wh := r.Webhooks; wh != nil {
		var note string
		if r.Store != goalRateStoreFor {
			note = "the goal is set for SQLite; shown for comparison"
		}
		ts = append(ts,
			Target{Name: "signed webhooks, acknowledged", Want: fmt.Sprintf("≥ %s events/s", thousands(goalWebhookRate)),
				Got: thousands(wh.Acknowledged.PerSecond) + " events/s", Met: wh.Acknowledged.PerSecond >= goalWebhookRate, Note: note},
			Target{Name: "signed webhooks, p99 acknowledgement", Want: "≤ " + fmtMS(goalWebhookP99),
				Got: fmtMS(wh.Latency.P99), Met: wh.Latency.P99 <= goalWebhookP99, Note: note})
	}
	if l := r.List; l != nil {
		var note string
		offScale := l.Total < goalListAtLeast
		if offScale {
			note = fmt.Sprintf("measured at %s conversations; the goal is at %s", thousands(float64(l.Total)), thousands(goalListAtLeast))
		}
		ts = append(ts,
			Target{Name: "conversation list p99, store", Want: "≤ " + fmtMS(goalListP99), Got: fmtMS(l.Store.P99),
				Met: l.Store.P99 <= goalListP99, OffScale: offScale, Note: note},
			Target{Name: "conversation list p99, HTTP", Want: "≤ " + fmtMS(goalListP99), Got: fmtMS(l.HTTP.P99),
				Met: l.HTTP.P99 <= goalListP99, OffScale: offScale, Note: note},
			Target{Name: "conversation list uses " + listIndex, Want: "yes", Got: yesNo(l.UsesIndex), Met: l.UsesIndex})
	}
	return ts
}

// WriteJSON writes the report as one indented JSON document.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report as tables for people.
func (r *Report) WriteText(w io.Writer) error {
	m := r.Machine
	fmt.Fprintf(w, "Parley benchmark on %s (%s)\n", r.Store, r.Where)
	fmt.Fprintf(w, "machine: %d CPUs (GOMAXPROCS %d), %s, %s %s/%s, seed %d\n", m.CPUs, m.GOMAXPROCS, orDash(m.CPUModel), m.Go, m.OS, m.Arch, r.Seed)
	if r.Ingest != nil || r.Bare != nil || r.Webhooks != nil {
		fmt.Fprintln(w, "server, load generator and baseline share this process: CPU seconds are the process's, load generator included")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	if in := r.Ingest; in != nil {
		fmt.Fprintf(w, "\nIngest: %d messages from %d authors, %d concurrent keep-alive clients, POST /api/v1/inboxes/{id}/messages\n",
			in.Messages, in.Authors, in.Concurrency)
		fmt.Fprintln(tw, "\tmsg/s\tseconds\tCPU s\tmsg/CPU-s\tp50\tp90\tp99\tmax\tothers' CPU s\t")
		if b := r.Bare; b != nil {
			throughputRow(tw, "bare net/http: read, HMAC, decode", b.Throughput, &b.Latency)
		}
		throughputRow(tw, "Parley, acknowledged (durable)", in.Acknowledged, &in.Latency)
		throughputRow(tw, "Parley, stored and threaded", in.Threaded, nil)
		tw.Flush()
		if b := r.Bare; b != nil && b.PerCPUSecond > 0 {
			fmt.Fprintf(w, "Parley/bare per CPU-second: %.2f stored and threaded, %.2f acknowledged\n",
				in.Threaded.PerCPUSecond/b.PerCPUSecond, in.Acknowledged.PerCPUSecond/b.PerCPUSecond)
		}
		fmt.Fprintf(w, "threading: %d conversations created, %d messages joined one\n", in.ConversationsCreated, in.Stored-in.ConversationsCreated)
	}
	if wh := r.Webhooks; wh != nil {
		fmt.Fprintf(w, "\nSigned webhooks: %d Messenger deliveries of one message each from %d customers, %d concurrent keep-alive clients,\n",
			wh.Messages, wh.Authors, wh.Concurrency)
		fmt.Fprintln(w, "POST /webhooks/{id} with X-Hub-Signature-256 (bodies built and signed before the clock starts)")
		fmt.Fprintln(tw, "\tevents/s\tseconds\tCPU s\tevents/CPU-s\tp50\tp90\tp99\tmax\tothers' CPU s\t")
		throughputRow(tw, "Parley, acknowledged (durable)", wh.Acknowledged, &wh.Latency)
		throughputRow(tw, "Parley, stored and threaded", wh.Threaded, nil)
		tw.Flush()
		fmt.Fprintf(w, "stored: %d raw events, %d messages, each delivery's message once; threading: %d conversations created, %d messages joined one\n",
			wh.RawEvents, wh.Stored, wh.ConversationsCreated, wh.Stored-wh.ConversationsCreated)
	}
	if l := r.List; l != nil {
		fmt.Fprintf(w, "\nConversation list: %s conversations in the workspace (%s seeded in %.1f s), %d assignees\n",
			thousands(float64(l.Total)), thousands(float64(l.Seeded)), l.SeedSeconds, l.Assignees)
		fmt.Fprintf(w, "%d queries, one at a time: newest open conversations of a random assignee, 50 per page (%.1f rows per page on average)\n",
			l.Queries, l.RowsPerPage)
		fmt.Fprintln(tw, "\tp50\tp90\tp99\tmax\t")
		latencyRow(tw, "store.Conversations", l.Store)
		latencyRow(tw, "GET /api/v1/conversations", l.HTTP)
		tw.Flush()
		fmt.Fprintf(w, "plan uses %s: %s; other programs used %.2f CPU s while the queries ran\n", listIndex, yesNo(l.UsesIndex), l.OtherCPUSeconds)
	}
	if len(r.Targets) > 0 {
		fmt.Fprintln(w, "\nTargets")
		tt := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, t := range r.Targets {
			status := "MISSED"
			switch {
			case t.OffScale:
				status = "n/a"
			case t.Met:
				status = "met"
			}
			note := ""
			if t.Note != "" {
				note = "(" + t.Note + ")"
			}
			fmt.Fprintf(tt, "  %s\t%s\t%s\t%s\t%s\n", t.Name, t.Want, t.Got, status, note)
		}
		tt.Flush()
	}
	return nil
}

func throughputRow(w io.Writer, name string, t Throughput, l *Latency) {
	lat := "\t\t\t\t"
	if l != nil {
		lat = fmtMS(l.P50) + "\t" + fmtMS(l.P90) + "\t" + fmtMS(l.P99) + "\t" + fmtMS(l.Max) + "\t"
	}
	fmt.Fprintf(w, "%s\t%s\t%.2f\t%.2f\t%s\t%s%.2f\t\n", name, thousands(t.PerSecond), t.Seconds, t.CPUSeconds, thousands(t.PerCPUSecond), lat, t.OtherCPUSeconds)
}

func latencyRow(w io.Writer, name string, l Latency) {
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t\n", name, fmtMS(l.P50), fmtMS(l.P90), fmtMS(l.P99), fmtMS(l.Max))
}

func fmtMS(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", msec(d))
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.1f ms", msec(d))
	}
	return fmt.Sprintf("%.0f ms", msec(d))
}

// thousands formats v rounded to a whole number with comma separators.
func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
