package webchat

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func TestBucket(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		at   time.Duration
		want bool
	}{
		{0, true}, {0, true}, {0, true}, // the burst of 3
		{0, false},                                              // empty
		{500 * time.Millisecond, false},                         // half a token back
		{time.Second, true},                                     // one token back
		{time.Second, false},                                    // and spent
		{time.Hour, true}, {time.Hour, true}, {time.Hour, true}, // refilled to the burst, not beyond
		{time.Hour, false},
		{time.Hour - time.Minute, false}, // a clock going back gives nothing
	}
	b := newBucket(3, 1, t0)
	for i, s := range steps {
		if got := b.Take(t0.Add(s.at)); got != s.want {
			t.Errorf("step %d: Take(+%v) = %v, want %v", i, s.at, got, s.want)
		}
	}
}

func TestCounter(t *testing.T) {
	var c counter
	for i, want := range []bool{true, true, false} {
		if got := c.acquire("a", 2); got != want {
			t.Fatalf("acquire %d for a = %v, want %v: two sockets, not three", i+1, got, want)
		}
	}
	if !c.acquire("b", 2) {
		t.Error("b is limited by a's sockets")
	}
	c.release("a")
	if !c.acquire("a", 2) {
		t.Error("a released one socket but cannot open another")
	}
	c.release("a")
	c.release("a")
	c.release("b")
	if len(c.n) != 0 {
		t.Errorf("counter keeps %v after every release", c.n)
	}
}

func TestLimitsDefaults(t *testing.T) {
	l := Limits{Burst: 5}.withDefaults()
	if l.Burst != 5 || l.PerSecond != 1 || l.MaxPerVisitor != 8 || l.PingInterval != 25*time.Second || l.History != 50 {
		t.Errorf("withDefaults = %+v", l)
	}
}

func TestTypingHub(t *testing.T) {
	h := NewTypingHub()
	c1, cancel1 := h.Subscribe(1, 10)
	c2, cancel2 := h.Subscribe(1, 10)
	other, cancelOther := h.Subscribe(1, 11)
	defer cancelOther()
	sig := TypingSignal{WorkspaceID: 1, ConversationID: 10, Name: "Dana", On: true}
	h.Publish(sig)
	for i, c := range []<-chan TypingSignal{c1, c2} {
		select {
		case got := <-c:
			if got != sig {
				t.Errorf("subscriber %d got %+v", i, got)
			}
		default:
			t.Errorf("subscriber %d got nothing", i)
		}
	}
	select {
	case got := <-other:
		t.Errorf("another conversation's subscriber got %+v", got)
	default:
	}
	cancel1()
	cancel1()
	for range typingBuffer + 3 {
		h.Publish(sig) // never blocks, even on a full subscriber
	}
	cancel2()
	if len(h.subs[10]) != 0 {
		t.Errorf("cancelled subscribers still registered: %v", h.subs)
	}
}

type agentList struct {
	calls  int
	agents []care.Agent
	err    error
}

func (a *agentList) Agents(_ context.Context, ws care.ID) ([]care.Agent, error) {
	a.calls++
	return a.agents, a.err
}

func TestAnyAgentOnline(t *testing.T) {
	ctx := context.Background()
	in := care.Inbox{ID: 1, WorkspaceID: 4}
	list := &agentList{agents: []care.Agent{{Presence: care.PresenceAway}, {Presence: care.PresenceOffline}}}
	avail := AnyAgentOnline(list, time.Hour)
	if ok, err := avail(ctx, in); ok || err != nil {
		t.Errorf("nobody online: %v, %v", ok, err)
	}
	list.agents = append(list.agents, care.Agent{Presence: care.PresenceOnline})
	if ok, _ := avail(ctx, in); ok || list.calls != 1 {
		t.Errorf("within the ttl: %v after %d queries, want the cached answer", ok, list.calls)
	}
	fresh := AnyAgentOnline(list, 0)
	if ok, err := fresh(ctx, in); !ok || err != nil {
		t.Errorf("one online: %v, %v", ok, err)
	}
	list.err = errors.New("down")
	if _, err := fresh(ctx, in); err == nil {
		t.Error("a failed query is not reported")
	}
}
