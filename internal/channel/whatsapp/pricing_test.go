package whatsapp

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPricingOf(t *testing.T) {
	for _, tt := range []struct {
		file    string
		want    Pricing
		charged bool
	}{
		// Conversation-based pricing, as captured before July 2025.
		{"testdata/webhooks/statuses_CBP_CAPTURED.json",
			Pricing{Model: "CBP", Category: "utility", Billable: true, ConversationID: "f5fdae3920125a39a1e6a23e5f877c16"}, true},
		// Per-message pricing: a free service reply.
		{"testdata/webhooks/statuses_read_PMP_CONSTRUCTED.json",
			Pricing{Model: "PMP", Category: "service", Type: "free_customer_service"}, false},
	} {
		body, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		events, _, err := parseDelivery(body, testNow)
		if err != nil || len(events) != 1 {
			t.Fatalf("%s: %d events, %v", tt.file, len(events), err)
		}
		got, ok := PricingOf(events[0].Raw)
		if !ok {
			t.Fatalf("%s: no pricing found", tt.file)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" || got.Charged() != tt.charged {
			t.Errorf("%s: PricingOf (-want +got):\n%s\nCharged = %v, want %v", tt.file, diff, got.Charged(), tt.charged)
		}
	}
	if p, ok := PricingOf([]byte(`{"id":"wamid.x","status":"failed"}`)); ok {
		t.Errorf("PricingOf(failed status) = %+v, true", p)
	}
	regular := Pricing{Model: "PMP", Type: "regular", Category: "marketing"}
	if !regular.Charged() {
		t.Error("a regular PMP message is not charged")
	}
}
