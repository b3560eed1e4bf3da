package presence

import (
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func next(t *testing.T, ch <-chan Update) Update {
	t.Helper()
	select {
	case u := <-ch:
		return u
	default:
		t.Fatal("no update")
		return Update{}
	}
}

func none(t *testing.T, ch <-chan Update) {
	t.Helper()
	select {
	case u := <-ch:
		t.Fatalf("unexpected update %+v", u)
	default:
	}
}

func TestHub(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	h := &Hub{Now: c.now}
	ws, other := care.ID(1), care.ID(2)
	ch, stop := h.Subscribe(ws)
	defer stop()
	och, ostop := h.Subscribe(other)
	defer ostop()

	h.Touch(Touch{WorkspaceID: ws, ConversationID: 10, UserID: 7, Name: "Lee"})
	if u := next(t, ch); u.ConversationID != 10 || !slices.Equal(u.Viewers, []Viewer{{UserID: 7, Name: "Lee"}}) {
		t.Errorf("first touch: %+v", u)
	}
	none(t, och)
	// A repeated touch changes nothing anyone sees.
	c.t = c.t.Add(10 * time.Second)
	h.Touch(Touch{WorkspaceID: ws, ConversationID: 10, UserID: 7, Name: "Lee"})
	none(t, ch)

	h.Touch(Touch{WorkspaceID: ws, ConversationID: 10, UserID: 8, Name: "Sam", Typing: true})
	if u := next(t, ch); !slices.Equal(u.Viewers, []Viewer{{UserID: 7, Name: "Lee"}, {UserID: 8, Name: "Sam", Typing: true}}) {
		t.Errorf("Sam typing: %+v", u)
	}
	// Typing lapses without keystrokes; Sam stays a viewer.
	c.t = c.t.Add(DefaultTypingTTL)
	h.Sweep()
	if u := next(t, ch); !slices.Equal(u.Viewers, []Viewer{{UserID: 7, Name: "Lee"}, {UserID: 8, Name: "Sam"}}) {
		t.Errorf("after typing lapsed: %+v", u)
	}
	// Lee stops touching and drops out after TTL since his last touch.
	c.t = c.t.Add(DefaultTTL - DefaultTypingTTL)
	h.Touch(Touch{WorkspaceID: ws, ConversationID: 10, UserID: 8, Name: "Sam"})
	h.Sweep()
	if u := next(t, ch); !slices.Equal(u.Viewers, []Viewer{{UserID: 8, Name: "Sam"}}) {
		t.Errorf("after Lee expired: %+v", u)
	}
	h.Touch(Touch{WorkspaceID: ws, ConversationID: 10, UserID: 8, Leave: true})
	if u := next(t, ch); len(u.Viewers) != 0 {
		t.Errorf("after Sam left: %+v", u)
	}
	if vs := h.Viewers(10); len(vs) != 0 {
		t.Errorf("Viewers after everyone left = %+v", vs)
	}
	// Leaving twice, or leaving what one never joined, is quiet.
	h.Touch(Touch{WorkspaceID: ws, ConversationID: 10, UserID: 8, Leave: true})
	none(t, ch)
}

type relay struct{ got []Touch }

func (r *relay) Publish(t Touch) { r.got = append(r.got, t) }

func TestRelay(t *testing.T) {
	r := &relay{}
	a, b := &Hub{Relay: r}, &Hub{}
	a.Touch(Touch{WorkspaceID: 1, ConversationID: 3, UserID: 5, Name: "Ana", Typing: true})
	// Applied on another node, as a relay would.
	for _, tc := range r.got {
		b.Apply(tc)
	}
	if vs := b.Viewers(3); !slices.Equal(vs, []Viewer{{UserID: 5, Name: "Ana", Typing: true}}) {
		t.Errorf("the other node sees %+v", vs)
	}
}

func TestSlowSubscriberDoesNotBlock(t *testing.T) {
	h := &Hub{}
	_, stop := h.Subscribe(1)
	defer stop()
	for i := range 3 * subBuffer {
		h.Touch(Touch{WorkspaceID: 1, ConversationID: care.ID(i), UserID: 1, Name: "Ana"})
	}
}
