package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/parleyhq/parley/internal/app"
	"github.com/parleyhq/parley/internal/bench"
	"github.com/parleyhq/parley/internal/testdb"
)

// TestBench runs `parley bench` end to end at a tiny size: a real server,
// real HTTP, a real database. It checks that the run completes and that
// its figures are consistent, never how fast anything was.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and seeds a database")
	}
	engines := []struct{ name, postgres string }{
		{"sqlite", ""},
		{"postgres", os.Getenv(testdb.EnvURL)},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			if e.name == "postgres" && e.postgres == "" {
				t.Skipf("%s is not set; skipping the PostgreSQL variant", testdb.EnvURL)
			}
			var stdout, stderr bytes.Buffer
			args := []string{"bench", "--json", "--messages=300", "--concurrency=8", "--conversations=2000",
				"--list-queries=50", "--data=" + t.TempDir(), "--postgres=" + e.postgres}
			if code := app.Main(context.Background(), args, &stdout, &stderr); code != 0 {
				t.Fatalf("parley %v = exit %d, want 0; stderr:\n%s", args, code, stderr.String())
			}
			var rep bench.Report
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
				t.Fatalf("decode report: %v\n%s", err, stdout.String())
			}
			if rep.Store != e.name {
				t.Errorf("report store = %q, want %q", rep.Store, e.name)
			}
			if rep.Bare == nil || rep.Ingest == nil || rep.Webhooks == nil || rep.List == nil {
				t.Fatalf("report lacks a section: bare %v, ingest %v, webhooks %v, list %v",
					rep.Bare != nil, rep.Ingest != nil, rep.Webhooks != nil, rep.List != nil)
			}
			if got := rep.Bare.Messages; got != 300 {
				t.Errorf("bare messages = %d, want 300", got)
			}
			in := rep.Ingest
			if in.Stored != 300 || in.Acknowledged.Messages != 300 {
				t.Errorf("ingest stored %d, acknowledged %d, want 300 each", in.Stored, in.Acknowledged.Messages)
			}
			if in.ConversationsCreated < 1 || in.ConversationsCreated >= 300 {
				t.Errorf("ingest created %d conversations, want some messages to open conversations and some to join them", in.ConversationsCreated)
			}
			if in.Latency.Count != 300 || in.Latency.P50 > in.Latency.P99 || in.Latency.P99 > in.Latency.Max {
				t.Errorf("ack latency %+v is not a summary of 300 ordered samples", in.Latency)
			}
			checkWebhooks(t, rep.Webhooks, 300)
			l := rep.List
			if l.Seeded != 2000 || l.Total < 2000 {
				t.Errorf("list seeded %d and counted %d conversations, want 2000 and at least 2000", l.Seeded, l.Total)
			}
			if l.Store.Count != 50 || l.HTTP.Count != 50 {
				t.Errorf("list timed %d store and %d HTTP queries, want 50 each", l.Store.Count, l.HTTP.Count)
			}
			if l.RowsPerPage <= 0 {
				t.Errorf("list returned %v rows per page, want some", l.RowsPerPage)
			}
			if !l.UsesIndex {
				t.Errorf("list plan does not use conversations_assignee:\n%v", l.Plan)
			}
			if len(rep.Targets) == 0 {
				t.Errorf("report has no targets")
			}
		})
	}
}

// TestBenchWebhooks runs the signed webhook scenario alone on SQLite at a
// tiny size: Messenger deliveries signed with the app secret, posted to a
// real server's /webhooks/{inbox}. The run itself fails unless every
// delivery's message was stored exactly once; the report must say so.
func TestBenchWebhooks(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	var stdout, stderr bytes.Buffer
	args := []string{"bench", "--json", "--skip-ingest", "--skip-list", "--messages=200", "--concurrency=4",
		"--data=" + t.TempDir(), "--postgres="}
	if code := app.Main(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("parley %v = exit %d, want 0; stderr:\n%s", args, code, stderr.String())
	}
	var rep bench.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, stdout.String())
	}
	if rep.Store != "sqlite" {
		t.Errorf("report store = %q, want sqlite", rep.Store)
	}
	if rep.Bare != nil || rep.Ingest != nil || rep.List != nil {
		t.Errorf("skipped sections ran: bare %v, ingest %v, list %v", rep.Bare != nil, rep.Ingest != nil, rep.List != nil)
	}
	if rep.Webhooks == nil {
		t.Fatalf("report has no webhooks section:\n%s", stdout.String())
	}
	checkWebhooks(t, rep.Webhooks, 200)
	names := map[string]bool{}
	for _, tg := range rep.Targets {
		names[tg.Name] = true
	}
	for _, want := range []string{"signed webhooks, acknowledged", "signed webhooks, p99 acknowledgement"} {
		if !names[want] {
			t.Errorf("report has no target %q; has %v", want, names)
		}
	}
}

// checkWebhooks checks a webhook run's figures are those of n deliveries,
// each stored once.
func checkWebhooks(t *testing.T, wh *bench.Ingest, n int) {
	t.Helper()
	if wh.Messages != n || wh.Acknowledged.Messages != n || wh.Threaded.Messages != n {
		t.Errorf("webhooks ran %d deliveries, acknowledged %d, threaded %d; want %d each", wh.Messages, wh.Acknowledged.Messages, wh.Threaded.Messages, n)
	}
	if wh.RawEvents != n || wh.Stored != n {
		t.Errorf("webhooks stored %d raw events and %d messages, want %d each", wh.RawEvents, wh.Stored, n)
	}
	if wh.ConversationsCreated < 1 || wh.ConversationsCreated >= n {
		t.Errorf("webhooks created %d conversations, want some messages to open conversations and some to join them", wh.ConversationsCreated)
	}
	if wh.Latency.Count != n || wh.Latency.P50 > wh.Latency.P99 || wh.Latency.P99 > wh.Latency.Max {
		t.Errorf("webhook ack latency %+v is not a summary of %d ordered samples", wh.Latency, n)
	}
}
