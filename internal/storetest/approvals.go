package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func testApprovals(t *testing.T, open opener) {
	s, ctx := open(t), t.Context()
	w := mustWorld(t, s, "acme")
	other := mustWorld(t, s, "other")
	held := func(w world, d time.Duration) *care.Message {
		m := newMessage(w.conv, care.DirectionOut, care.Public, at(d))
		m.Status = care.DeliveryPendingApproval
		return mustMessage(t, s, m)
	}
	a := held(w, 0)
	mustMessage(t, s, newMessage(w.conv, care.DirectionOut, care.Public, at(time.Minute)))
	b := held(w, 2*time.Minute)
	held(other, 0)
	got, err := s.PendingApprovals(ctx, w.ws.ID, 0)
	must(t, err, "PendingApprovals")
	if len(got) != 2 || got[0].ID != a.ID || got[1].ID != b.ID {
		t.Fatalf("PendingApprovals = %+v, want [%d %d]", got, a.ID, b.ID)
	}
	must(t, s.SetMessageText(ctx, a.ID, "Edited by an approver"), "SetMessageText")
	must(t, s.SetDelivery(ctx, a.ID, care.DeliveryQueued, "", ""), "SetDelivery")
	got, err = s.PendingApprovals(ctx, w.ws.ID, 0)
	must(t, err, "PendingApprovals")
	if len(got) != 1 || got[0].ID != b.ID {
		t.Errorf("after approving one, PendingApprovals = %+v", got)
	}
	m, err := s.Message(ctx, a.ID)
	must(t, err, "Message")
	if m.Text != "Edited by an approver" || m.Status != care.DeliveryQueued {
		t.Errorf("approved message = %+v", m)
	}
	wantCode(t, s.SetMessageText(ctx, missingID, "x"), care.ENOTFOUND, "SetMessageText(missing)")
}
