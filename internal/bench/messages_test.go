package bench

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

func TestGenMessages(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	const n, authors = 5000, 200
	bodies, err := genMessages(n, authors, "t", rand.New(rand.NewPCG(1, 2)), now)
	if err != nil {
		t.Fatalf("genMessages: %v", err)
	}
	if len(bodies) != n {
		t.Fatalf("genMessages returned %d bodies, want %d", len(bodies), n)
	}
	ids := map[string]bool{}
	seenAuthors := map[string]bool{}
	replies := 0
	for i, b := range bodies {
		// Every body must be one the API inbox accepts.
		in, err := apiinbox.Decode(b, 1, now)
		if err != nil {
			t.Fatalf("apiinbox.Decode(body %d) = %v, want nil; body: %s", i, err, b)
		}
		if ids[in.PlatformID] {
			t.Errorf("message id %q appears twice", in.PlatformID)
		}
		ids[in.PlatformID] = true
		seenAuthors[in.Author.PlatformUserID] = true
		if in.ReplyToPlatformID != "" {
			if !ids[in.ReplyToPlatformID] {
				t.Errorf("message %d replies to %q, which was not sent before it", i, in.ReplyToPlatformID)
			}
			replies++
		}
		if len(b) < 100 || len(b) > 2000 {
			t.Errorf("body %d is %d bytes, want a realistic 100..2000", i, len(b))
		}
	}
	if len(seenAuthors) != authors {
		t.Errorf("messages come from %d authors, want %d", len(seenAuthors), authors)
	}
	if replies == 0 {
		t.Errorf("no message has a reply_to_id")
	}

	again, err := genMessages(n, authors, "t", rand.New(rand.NewPCG(1, 2)), now)
	if err != nil {
		t.Fatalf("genMessages: %v", err)
	}
	if !slices.EqualFunc(bodies, again, bytes.Equal) {
		t.Errorf("genMessages with the same seed gave different bodies")
	}
}
