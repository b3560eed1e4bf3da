package app_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

// crashMessage is the message posted under id: the same every time, so a
// repeated id is a true redelivery. Authors are spread over a few customers
// so that conversations hold many messages each.
func crashMessage(id string) apiinbox.Message {
	h := fnv.New32a()
	h.Write([]byte(id))
	author := fmt.Sprintf("cust-%02d", h.Sum32()%24)
	return apiinbox.Message{ID: id, Author: apiinbox.Author{ID: author, Name: "Customer " + author},
		Text: "Where is my order? (" + id + ")"}
}

// TestCrashKeepsAcknowledgedMessages kills `parley serve` with SIGKILL in the
// middle of a burst of API inbox posts, restarts it on the same data
// directory, and checks the ingest promise: every message answered 202 is
// stored, exactly once, and nothing is stored twice.
func TestCrashKeepsAcknowledgedMessages(t *testing.T) {
	bin := parleyBinary(t)
	dir := filepath.Join(t.TempDir(), "data") // created by parley on first use

	// The README's way to get a token: before the server ever ran.
	token := runParley(t, bin, "token", "create", "--data", dir, "--name", "crash test", "--role", "admin")
	if lines := strings.Split(strings.TrimSpace(token), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "prl_") {
		t.Fatalf("parley token create printed %q, want only a token", token)
	}
	token = strings.TrimSpace(token)

	srv := startServe(t, bin, dir)
	c := newAPIClient(t, srv.base, token)
	in := c.createInbox("Crash test", "")

	const (
		workers   = 16
		maxPosts  = 3000
		loadFor   = 2 * time.Second
		killAfter = maxPosts / 2 // posts sent, or loadFor/2, whichever comes first
	)
	var (
		sent   atomic.Int64
		killed atomic.Bool
		mu     sync.Mutex
		acked  = map[string]int{} // id → number of 202 answers
		fresh  = map[string]bool{}
		errs   []error // failures before the kill
	)
	ctx, cancel := context.WithTimeout(context.Background(), loadFor)
	defer cancel()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for seq := 0; ctx.Err() == nil && sent.Add(1) <= maxPosts; seq++ {
				id := fmt.Sprintf("w%02d-%05d", w, seq)
				switch {
				case seq%16 == 15:
					// Posted by every worker at about the same time, so
					// one group commit may carry the same id twice.
					id = fmt.Sprintf("shared-%03d", seq/16)
				case seq%8 == 7:
					id = fmt.Sprintf("w%02d-%05d", w, seq-3) // a redelivery
				}
				a, err := c.postMessage(in, crashMessage(id))
				mu.Lock()
				switch {
				case err == nil:
					acked[id]++
					if !a.Duplicate {
						if fresh[id] {
							errs = append(errs, fmt.Errorf("post %s: acknowledged as new twice", id))
						}
						fresh[id] = true
					}
				case !killed.Load():
					errs = append(errs, err)
				}
				mu.Unlock()
				if err != nil {
					return // the server is gone (or broken: reported above)
				}
			}
		})
	}

	// Kill midway, while posts are in flight.
	half := time.NewTimer(loadFor / 2)
	defer half.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
wait:
	for sent.Load() < killAfter {
		select {
		case <-half.C:
			break wait
		case <-tick.C:
		}
	}
	killed.Store(true)
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 parley serve: %v", err)
	}
	wg.Wait()
	<-srv.done
	if ws, ok := srv.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("parley serve ended with %v, want killed by SIGKILL", srv.cmd.ProcessState)
	}
	c.tr.CloseIdleConnections()
	for _, err := range errs {
		t.Errorf("before the kill: %v", err)
	}
	if len(acked) == 0 {
		t.Fatal("no post was acknowledged before the kill")
	}

	srv = startServe(t, bin, dir)
	c = newAPIClient(t, srv.base, token)

	// Wait until every acknowledged message is threaded and the count has
	// stopped moving: events stored but never acknowledged are threaded too.
	var stored map[string]int
	var total, stable int
	waitFor(t, 30*time.Second, "the pipeline to thread every stored event", func() bool {
		msgs := c.allMessages()
		stored = map[string]int{}
		for _, m := range msgs {
			if m.InboxID == in.ID && m.Direction == care.DirectionIn {
				stored[m.PlatformID]++
			}
		}
		for id := range acked {
			if stored[id] == 0 {
				stable, total = 0, len(msgs)
				return false
			}
		}
		if len(msgs) == total {
			stable++
		} else {
			stable, total = 0, len(msgs)
		}
		return stable >= 10
	})

	for id := range acked {
		if stored[id] != 1 {
			t.Errorf("acknowledged message %s is stored %d times, want 1", id, stored[id])
		}
	}
	unacked := 0
	for id, n := range stored {
		if n > 1 {
			t.Errorf("message %s is stored %d times, want at most 1", id, n)
		}
		if acked[id] == 0 {
			unacked++
		}
	}
	redelivered := 0
	for _, n := range acked {
		redelivered += n - 1
	}
	t.Logf("%d posts sent, %d ids acknowledged (%d more times as redeliveries), %d messages stored (%d never acknowledged)",
		min(sent.Load(), maxPosts), len(acked), redelivered, len(stored), unacked)

	// After the restart, a redelivery of an acknowledged message is still
	// recognised, and changes nothing.
	ids := make([]string, 0, len(acked))
	for id := range acked {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids[:min(len(ids), 50)] {
		if a := c.mustPost(in, crashMessage(id)); !a.Duplicate {
			t.Errorf("post %s after restart = %+v, want duplicate:true", id, a)
		}
	}
	if a := c.mustPost(in, crashMessage("after-restart")); a.Duplicate {
		t.Errorf("post after-restart = %+v, want duplicate:false", a)
	}
	c.inboundMessage(in.ID, "after-restart")
	if got, want := len(c.allMessages()), total+1; got != want {
		t.Errorf("after redeliveries and one new message: %d messages, want %d", got, want)
	}

	// The restarted server also stops cleanly.
	c.tr.CloseIdleConnections()
	srv.stop(syscall.SIGTERM)
	if !srv.cmd.ProcessState.Success() {
		t.Errorf("parley serve after SIGTERM: %v, want exit status 0", srv.cmd.ProcessState)
	}
}
