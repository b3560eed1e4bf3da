package channel

import (
	"context"
	"sync"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

type senderFunc func(context.Context, Outbound) (Result, error)

func (f senderFunc) Send(ctx context.Context, out Outbound) (Result, error) { return f(ctx, out) }

func TestRegistry(t *testing.T) {
	var r Registry
	if _, ok := r.Sender(care.ChannelAPI); ok {
		t.Fatal("empty Registry has a sender")
	}
	api := senderFunc(func(context.Context, Outbound) (Result, error) {
		return Result{PlatformID: "api"}, nil
	})
	r.Register(care.ChannelAPI, api)
	s, ok := r.Sender(care.ChannelAPI)
	if !ok {
		t.Fatal("Sender(api) not found after Register")
	}
	if res, _ := s.Send(context.Background(), Outbound{}); res.PlatformID != "api" {
		t.Errorf("Sender(api) returned the wrong sender")
	}
	if _, ok := r.Sender(care.ChannelX); ok {
		t.Error("Sender(x) found, want none")
	}
	var nilRegistry *Registry
	if _, ok := nilRegistry.Sender(care.ChannelAPI); ok {
		t.Error("nil Registry has a sender")
	}
}

func TestRegistryPanics(t *testing.T) {
	ok := senderFunc(func(context.Context, Outbound) (Result, error) { return Result{}, nil })
	tests := []struct {
		name string
		ch   care.Channel
		s    Sender
	}{
		{"nil sender", care.ChannelX, nil},
		{"invalid channel", "Not Valid", ok},
		{"duplicate", care.ChannelAPI, ok},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Registry
			r.Register(care.ChannelAPI, ok)
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%q) did not panic", tt.ch)
				}
			}()
			r.Register(tt.ch, tt.s)
		})
	}
}

func TestRegistryConcurrent(t *testing.T) {
	var r Registry
	s := senderFunc(func(context.Context, Outbound) (Result, error) { return Result{}, nil })
	var wg sync.WaitGroup
	for _, ch := range []care.Channel{care.ChannelAPI, care.ChannelX, care.ChannelSMS, care.ChannelEmail} {
		wg.Go(func() { r.Register(ch, s) })
		wg.Go(func() { r.Sender(ch) })
	}
	wg.Wait()
	for _, ch := range []care.Channel{care.ChannelAPI, care.ChannelX, care.ChannelSMS, care.ChannelEmail} {
		if _, ok := r.Sender(ch); !ok {
			t.Errorf("Sender(%q) not found", ch)
		}
	}
}

func TestChannels(t *testing.T) {
	var r Registry
	if got := r.Channels(); len(got) != 0 {
		t.Errorf("empty registry lists %v", got)
	}
	nop := senderFunc(func(context.Context, Outbound) (Result, error) { return Result{}, nil })
	r.Register(care.ChannelX, nop)
	r.Register(care.ChannelAPI, nop)
	if got := r.Channels(); len(got) != 2 || got[0] != care.ChannelAPI || got[1] != care.ChannelX {
		t.Errorf("Channels = %v, want [api x]", got)
	}
}
