package ingest_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/automator"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/csat"
	"github.com/parleyhq/parley/internal/deadline"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/sqlite"
	"github.com/parleyhq/parley/internal/triage"
)

// BenchmarkWALPages counts what a stored and threaded message writes to
// SQLite's write-ahead log, in pages, by pass size: BenchmarkStoreAndThread's
// workload (2,000 known customers, one in ten messages a new one's) on a
// database file with automatic checkpoints off, 6,400 messages after 12,000
// of warm-up. It reads the WAL's frame headers and names each page's table
// or index with the dbstat table, reported as wal-pages/msg and, with -v,
// per table:
//
//	go test -run '^$' -bench WALPages -benchtime 1x -v ./internal/ingest
func BenchmarkWALPages(b *testing.B) {
	for _, perPass := range []int{32, 64, 200} {
		b.Run(fmt.Sprintf("pass=%d", perPass), func(b *testing.B) {
			for b.Loop() {
				total, byName := walPages(b, perPass)
				b.ReportMetric(total, "wal-pages/msg")
				names := make([]string, 0, len(byName))
				for n := range byName {
					names = append(names, n)
				}
				slices.SortFunc(names, func(x, y string) int { return int((byName[y] - byName[x]) * 1e6) })
				var lines []string
				for _, n := range names[:min(12, len(names))] {
					lines = append(lines, fmt.Sprintf("%6.2f %s", byName[n], n))
				}
				b.Logf("pass of %d: %.2f pages per message\n%s", perPass, total, strings.Join(lines, "\n"))
			}
		})
	}
}

// walPages runs the workload and returns the WAL pages per message, in all
// and per table or index.
func walPages(b *testing.B, perPass int) (float64, map[string]float64) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "parley.db")
	db, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := db.CreateWorkspace(ctx, ws); err != nil {
		b.Fatal(err)
	}
	inbox := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelAPI, Name: "API"}
	if err := db.CreateInbox(ctx, inbox); err != nil {
		b.Fatal(err)
	}
	clocks := &deadline.Keeper{Store: db}
	p := &ingest.Pipeline{Store: db, Triage: &triage.Triager{Store: db}, Clocks: clocks,
		Automation: &automator.Runner{Store: db, Clocks: clocks}, Surveys: &csat.Surveyor{Store: db}}
	rng := rand.New(rand.NewPCG(1, 2))
	const known, warm, measured = 2000, 12_000, 6400
	authors, i := known, 0
	batch := make([]care.RawEvent, 0, perPass)
	flush := func() {
		if len(batch) > 0 {
			if _, err := db.AppendRaw(ctx, batch); err != nil {
				b.Fatal(err)
			}
			if _, err := p.RunOnce(ctx); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	post := func(k int) {
		in := care.Inbound{InboxID: inbox.ID, Channel: care.ChannelAPI, PlatformID: fmt.Sprintf("m-%08d", i),
			Visibility: care.Private, Text: benchTexts[rng.IntN(len(benchTexts))], SentAt: time.Now(),
			Author: care.Author{PlatformUserID: fmt.Sprintf("cust-%06d", k), DisplayName: fmt.Sprintf("Customer %d", k)}}
		i++
		batch = append(batch, care.RawEvent{InboxID: inbox.ID, WorkspaceID: ws.ID, DedupeKey: in.DedupeKey(),
			Payload: []byte(in.Text), Inbound: in, ReceivedAt: in.SentAt})
		if len(batch) == perPass {
			flush()
		}
	}
	next := func() int {
		if rng.IntN(10) == 0 {
			authors++
			return authors - 1
		}
		return rng.IntN(known)
	}
	for k := range known {
		post(k)
	}
	for range warm {
		post(next())
	}
	flush()
	w := db.Writer()
	if _, err := w.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	if _, err := w.Exec("PRAGMA wal_autocheckpoint=0"); err != nil {
		b.Fatal(err)
	}
	for range measured {
		post(next())
	}
	flush()

	wal, err := os.ReadFile(path + "-wal")
	if err != nil {
		b.Fatal(err)
	}
	// A WAL is a 32-byte header, then frames of a 24-byte header (the page
	// number first) and a page (sqlite.org/fileformat.html#the_write_ahead_log).
	pageSize := int(binary.BigEndian.Uint32(wal[8:12]))
	pages := map[uint32]int{}
	frames := 0
	for off := 32; off+24+pageSize <= len(wal); off += 24 + pageSize {
		pages[binary.BigEndian.Uint32(wal[off:])]++
		frames++
	}
	rows, err := w.Query("SELECT name, pageno FROM dbstat")
	if err != nil {
		b.Fatal(err)
	}
	owner := map[uint32]string{}
	for rows.Next() {
		var name string
		var pg uint32
		if err := rows.Scan(&name, &pg); err != nil {
			b.Fatal(err)
		}
		owner[pg] = name
	}
	if err := rows.Close(); err != nil {
		b.Fatal(err)
	}
	byName := map[string]float64{}
	for pg, n := range pages {
		name := owner[pg]
		if name == "" {
			name = "(free or header)"
		}
		byName[name] += float64(n) / measured
	}
	return float64(frames) / measured, byName
}
