package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testLeases(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	ok, err := s.AcquireLease(ctx, "poll:1", "node-a", time.Minute, at(0))
	must(t, err, "AcquireLease")
	if !ok {
		t.Fatal("a free lease was not acquired")
	}
	if ok, _ := s.AcquireLease(ctx, "poll:1", "node-b", time.Minute, at(30*time.Second)); ok {
		t.Error("another holder took a running lease")
	}
	if ok, _ := s.AcquireLease(ctx, "poll:1", "node-a", time.Minute, at(30*time.Second)); !ok {
		t.Error("the holder could not renew its lease")
	}
	if ok, _ := s.AcquireLease(ctx, "poll:1", "node-b", time.Minute, at(80*time.Second)); ok {
		t.Error("the renewed lease was taken before it expired")
	}
	if ok, _ := s.AcquireLease(ctx, "poll:1", "node-b", time.Minute, at(91*time.Second)); !ok {
		t.Error("an expired lease was not taken over")
	}
	must(t, s.ReleaseLease(ctx, "poll:1", "node-a"), "ReleaseLease(not holder)")
	if ok, _ := s.AcquireLease(ctx, "poll:1", "node-a", time.Minute, at(100*time.Second)); ok {
		t.Error("releasing someone else's lease freed it")
	}
	must(t, s.ReleaseLease(ctx, "poll:1", "node-b"), "ReleaseLease")
	if ok, _ := s.AcquireLease(ctx, "poll:1", "node-a", time.Minute, at(100*time.Second)); !ok {
		t.Error("a released lease was not free")
	}

	// Many nodes at once: exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	winners := 0
	for i := range 8 {
		wg.Go(func() {
			ok, err := s.AcquireLease(ctx, "tick", fmt.Sprintf("node-%d", i), time.Minute, at(0))
			if err != nil {
				t.Errorf("AcquireLease: %v", err)
			}
			if ok {
				mu.Lock()
				winners++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if winners != 1 {
		t.Errorf("%d nodes hold the same lease, want 1", winners)
	}
}

func testFindIdentity(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	w := mustWorld(t, s, "acme")
	got, err := s.FindIdentity(ctx, w.ws.ID, w.identity.Platform, w.identity.PlatformUserID)
	must(t, err, "FindIdentity")
	if got.ID != w.identity.ID || got.ContactID != w.identity.ContactID {
		t.Errorf("FindIdentity = %+v, want %+v", got, w.identity)
	}
	_, err = s.FindIdentity(ctx, w.ws.ID, w.identity.Platform, "nobody")
	wantCode(t, err, care.ENOTFOUND, "FindIdentity(unknown)")

	// Many at once: each as FindIdentity finds it, the unknown left out,
	// and nothing from another platform or workspace.
	second := mustIdentity(t, s, w.ws, "second")
	elsewhere := mustWorld(t, s, "elsewhere")
	ids := []string{w.identity.PlatformUserID, "nobody", second.PlatformUserID, elsewhere.identity.PlatformUserID}
	for i := range 600 {
		ids = append(ids, fmt.Sprint("unknown-", i)) // more than one chunk
	}
	found, err := s.FindIdentities(ctx, w.ws.ID, w.identity.Platform, ids)
	must(t, err, "FindIdentities")
	if len(found) != 2 || found[w.identity.PlatformUserID] == nil || found[second.PlatformUserID] == nil {
		t.Fatalf("FindIdentities = %v, want %q and %q", found, w.identity.PlatformUserID, second.PlatformUserID)
	}
	if d := diff(second, found[second.PlatformUserID]); d != "" {
		t.Errorf("FindIdentities()[%q] mismatch (-want +got):\n%s", second.PlatformUserID, d)
	}
	if found, err := s.FindIdentities(ctx, w.ws.ID, care.ChannelFacebook, ids); err != nil || len(found) != 0 {
		t.Errorf("FindIdentities(another platform) = %v, %v; want none", found, err)
	}
	if found, err := s.FindIdentities(ctx, w.ws.ID, w.identity.Platform, nil); err != nil || len(found) != 0 {
		t.Errorf("FindIdentities(none) = %v, %v", found, err)
	}
}
