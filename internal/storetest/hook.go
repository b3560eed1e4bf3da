package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testHooks(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	w := mustWorld(t, s, "acme")
	a := &care.HookDelivery{WorkspaceID: w.ws.ID, URL: "https://hooks.example/a", Body: []byte(`{"n":1}`), CreatedAt: at(0)}
	b := &care.HookDelivery{WorkspaceID: w.ws.ID, URL: "https://hooks.example/b", Body: []byte(`{"n":2}`), CreatedAt: at(0), NextAttemptAt: at(time.Hour)}
	must(t, s.EnqueueHook(ctx, a), "EnqueueHook")
	must(t, s.EnqueueHook(ctx, b), "EnqueueHook")
	got, err := s.LeaseHooks(ctx, at(time.Minute), time.Minute, 10)
	must(t, err, "LeaseHooks")
	if len(got) != 1 || got[0].ID != a.ID || string(got[0].Body) != `{"n":1}` {
		t.Fatalf("LeaseHooks = %+v, want only the due one", got)
	}
	if again, _ := s.LeaseHooks(ctx, at(90*time.Second), time.Minute, 10); len(again) != 0 {
		t.Errorf("a leased delivery was leased again: %+v", again)
	}
	must(t, s.RetryHook(ctx, a.ID, at(5*time.Minute), "503 Service Unavailable"), "RetryHook")
	got, err = s.LeaseHooks(ctx, at(5*time.Minute), time.Minute, 10)
	must(t, err, "LeaseHooks")
	if len(got) != 1 || got[0].Attempts != 1 || got[0].LastError != "503 Service Unavailable" {
		t.Fatalf("after a retry: %+v", got)
	}
	must(t, s.CompleteHook(ctx, a.ID, at(6*time.Minute)), "CompleteHook")
	got, err = s.LeaseHooks(ctx, at(2*time.Hour), time.Minute, 10)
	must(t, err, "LeaseHooks")
	if len(got) != 1 || got[0].ID != b.ID {
		t.Errorf("after completing a: %+v, want only b", got)
	}
	wantCode(t, s.CompleteHook(ctx, missingID, at(0)), care.ENOTFOUND, "CompleteHook(missing)")
}
