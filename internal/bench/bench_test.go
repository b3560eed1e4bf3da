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
			if rep.Bare == nil || rep.Ingest == nil || rep.List == nil {
				t.Fatalf("report lacks a section: bare %v, ingest %v, list %v", rep.Bare != nil, rep.Ingest != nil, rep.List != nil)
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
