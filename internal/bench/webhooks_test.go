package bench

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/meta"
)

func TestGenDeliveries(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	const n, customers = 3000, 150
	gen := func() deliveries {
		rng := rand.New(rand.NewPCG(1, 2))
		return genDeliveries(newBenchFake(now), n, genPSIDs(customers, rng), rng, now)
	}
	d := gen()
	if len(d.bodies) != n || len(d.sigs) != n || len(d.mids) != n {
		t.Fatalf("genDeliveries returned %d bodies, %d signatures, %d mids; want %d each", len(d.bodies), len(d.sigs), len(d.mids), n)
	}
	inbox := care.Inbox{ID: 1, Channel: care.ChannelFacebook, ExternalID: benchPageID,
		Credentials: map[string]string{meta.CredAppSecret: benchAppSecret}}
	mids := map[string]bool{}
	senders := map[string]bool{}
	replies, escaped, photos := 0, 0, 0
	for i, body := range d.bodies {
		// Every delivery must be one the Messenger adapter accepts, with
		// the signature Meta would send, and carry exactly one message.
		h := http.Header{}
		h.Set(meta.SignatureHeader, d.sigs[i])
		events, err := (&meta.Messenger{}).Receive(h, body, inbox, now)
		if err != nil {
			t.Fatalf("Receive(delivery %d) = %v, want nil; body: %s", i, err, body)
		}
		if len(events) != 1 {
			t.Fatalf("delivery %d holds %d events, want 1; body: %s", i, len(events), body)
		}
		ev := events[0]
		if ev.Account != benchPageID || (ev.Inbound.Kind != "" && ev.Inbound.Kind != care.KindMessage) || ev.Inbound.PlatformID != d.mids[i] {
			t.Errorf("delivery %d: account %q, kind %q, mid %q; want %q, a message, %q", i, ev.Account, ev.Inbound.Kind, ev.Inbound.PlatformID, benchPageID, d.mids[i])
		}
		if mids[d.mids[i]] {
			t.Errorf("mid %q appears twice", d.mids[i])
		}
		mids[d.mids[i]] = true
		senders[ev.Inbound.Author.PlatformUserID] = true
		if r := ev.Inbound.ReplyToPlatformID; r != "" {
			if !mids[r] {
				t.Errorf("delivery %d replies to %q, which was not sent before it", i, r)
			}
			replies++
		}
		if len(ev.Inbound.Attachments) > 0 {
			photos++
		}
		if bytes.Contains(body, []byte(`\u`)) {
			escaped++
		}
		if !asciiOnly(body) {
			t.Errorf("delivery %d is not ASCII, as Meta's escaped bodies are: %s", i, body)
		}
		if len(body) < 200 || len(body) > 2000 {
			t.Errorf("delivery %d is %d bytes, want a realistic 200..2000", i, len(body))
		}
		// The wrong secret must not verify it.
		inbox.Credentials[meta.CredAppSecret] = "other"
		if _, err := (&meta.Messenger{}).Receive(h, body, inbox, now); care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Fatalf("Receive(delivery %d) under another secret = %v, want EUNAUTHORIZED", i, err)
		}
		inbox.Credentials[meta.CredAppSecret] = benchAppSecret
	}
	if len(senders) != customers {
		t.Errorf("deliveries come from %d customers, want %d", len(senders), customers)
	}
	if replies == 0 || photos == 0 {
		t.Errorf("%d replies and %d photos, want some of each", replies, photos)
	}
	if escaped < n/5 {
		t.Errorf("%d of %d bodies have \\u escapes, want about a third at least", escaped, n)
	}

	again := gen()
	if !slices.EqualFunc(d.bodies, again.bodies, bytes.Equal) || !slices.Equal(d.sigs, again.sigs) {
		t.Errorf("genDeliveries with the same seed gave different deliveries")
	}
}

func asciiOnly(b []byte) bool {
	return !strings.ContainsFunc(string(b), func(r rune) bool { return r > 0x7f })
}
