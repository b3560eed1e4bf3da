package ingest_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/automator"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/cputime"
	"github.com/parleyhq/parley/internal/csat"
	"github.com/parleyhq/parley/internal/deadline"
	"github.com/parleyhq/parley/internal/ingest"
	"github.com/parleyhq/parley/internal/testdb"
	"github.com/parleyhq/parley/internal/triage"
)

// BenchmarkStoreAndThread is the storage side of one ingested message on
// SQLite, without HTTP: the group commit that makes it durable, then the
// pipeline pass that threads it, with triage, SLA clocks, automation and
// survey answers as parley serve wires them (moderation, which only public
// comments meet, aside). Messages come 32 to a commit and a pass (about
// what `parley bench` sees). As in `parley bench`, one in ten is a new
// customer's first; the others join the conversation of one of 2,000
// customers who wrote before the clock started, a quarter of those as a
// reply to their previous message. cpu-ns/op is the process's CPU time per
// message, which other load on the machine inflates less than wall time:
//
//	go test -run '^$' -bench StoreAndThread -benchtime 20000x ./internal/ingest
func BenchmarkStoreAndThread(b *testing.B) {
	ctx := context.Background()
	s := testdb.SQLite(b)
	ws := &care.Workspace{Slug: "acme", Name: "Acme"}
	if err := s.CreateWorkspace(ctx, ws); err != nil {
		b.Fatal(err)
	}
	inbox := &care.Inbox{WorkspaceID: ws.ID, Channel: care.ChannelAPI, Name: "API"}
	if err := s.CreateInbox(ctx, inbox); err != nil {
		b.Fatal(err)
	}
	clocks := &deadline.Keeper{Store: s}
	p := &ingest.Pipeline{Store: s, Triage: &triage.Triager{Store: s}, Clocks: clocks,
		Automation: &automator.Runner{Store: s, Clocks: clocks}, Surveys: &csat.Surveyor{Store: s}}
	rng := rand.New(rand.NewPCG(1, 2))
	const known, perPass = 2000, 32
	last := map[int]string{} // each customer's previous message
	authors := known
	i := 0
	next := func(k int) care.RawEvent {
		in := care.Inbound{InboxID: inbox.ID, Channel: care.ChannelAPI, PlatformID: fmt.Sprintf("m-%08d", i),
			Visibility: care.Private, Text: benchTexts[rng.IntN(len(benchTexts))], SentAt: time.Now(),
			Author: care.Author{PlatformUserID: fmt.Sprintf("cust-%06d", k), DisplayName: fmt.Sprintf("Customer %d", k),
				Handle: fmt.Sprintf("@cust%d", k), Followers: int64(k * 7919 % 5000)}}
		i++
		if last[k] != "" && rng.IntN(4) == 0 {
			in.ReplyToPlatformID = last[k]
		}
		last[k] = in.PlatformID
		return care.RawEvent{InboxID: inbox.ID, WorkspaceID: ws.ID, DedupeKey: in.DedupeKey(), Payload: []byte(in.Text), Inbound: in, ReceivedAt: in.SentAt}
	}
	batch := make([]care.RawEvent, 0, perPass)
	flush := func() {
		if len(batch) > 0 {
			storeAndThread(b, s, p, batch)
			batch = batch[:0]
		}
	}
	for k := range known {
		if batch = append(batch, next(k)); len(batch) == perPass {
			flush()
		}
	}
	flush()

	b.ReportAllocs()
	stop := cputime.Bench(b)
	for b.Loop() {
		k := rng.IntN(known)
		if rng.IntN(10) == 0 {
			k = authors
			authors++
		}
		if batch = append(batch, next(k)); len(batch) == perPass {
			flush()
		}
	}
	flush()
	stop()
}

func storeAndThread(b *testing.B, s care.Store, p *ingest.Pipeline, batch []care.RawEvent) {
	ctx := context.Background()
	if _, err := s.AppendRaw(ctx, batch); err != nil {
		b.Fatal(err)
	}
	// One pass takes the batch, as Run does when woken by its commit.
	if n, err := p.RunOnce(ctx); err != nil || n != len(batch) {
		b.Fatalf("RunOnce = %d, %v; want %d", n, err, len(batch))
	}
}

var benchTexts = []string{
	"Hi, my order #482213 still hasn't arrived and the tracking page hasn't changed in four days. Thanks!",
	"I was charged twice for order #551902. Can you refund the duplicate payment? This is really frustrating.",
	"Hello there, the app logs me out every time I open it since the last update.",
	"can I change the delivery address for order #730011? I'm moving this week. 🙏",
	"the parcel for order #118734 arrived damaged, the box was crushed on one side. Please help.",
	"Good morning, how do I cancel my subscription? I can't find the option anywhere in settings.",
	"thanks for the quick help yesterday, everything works now! Cheers,",
	"Hey team, the discount code from your newsletter doesn't work at checkout. the size guide is wrong, the medium fits like a small.",
}
