package ingest_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

// TestStatusReadUpTo: a read up to a message (X's mark-read events) reads
// our messages sent before it, by the order of their platform ids, and
// leaves later and failed ones alone.
func TestStatusReadUpTo(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       care.Inbound
		want     map[string]care.DeliveryStatus // by platform id
		wantRead int                            // message.updated events published
	}{
		{
			name: "up to ours",
			in:   care.Inbound{Kind: care.KindStatus, PlatformID: "1004", Status: care.DeliveryRead, ReadUpTo: true},
			want: map[string]care.DeliveryStatus{"0999": care.DeliverySent, "1001": care.DeliveryRead, "1002": care.DeliveryRead, "1003": care.DeliveryFailed,
				"1004": care.DeliveryRead, "1006": care.DeliverySent},
			wantRead: 3,
		},
		{
			name: "up to the customer's own",
			in:   care.Inbound{Kind: care.KindStatus, PlatformID: "1005", Status: care.DeliveryRead, ReadUpTo: true},
			want: map[string]care.DeliveryStatus{"0999": care.DeliverySent, "1001": care.DeliveryRead, "1002": care.DeliveryRead, "1003": care.DeliveryFailed,
				"1004": care.DeliveryRead, "1006": care.DeliverySent},
			wantRead: 3,
		},
		{
			name: "that one alone",
			in:   care.Inbound{Kind: care.KindStatus, PlatformID: "1004", Status: care.DeliveryRead},
			want: map[string]care.DeliveryStatus{"0999": care.DeliverySent, "1001": care.DeliverySent, "1002": care.DeliveryDelivered, "1003": care.DeliveryFailed,
				"1004": care.DeliveryRead, "1006": care.DeliverySent},
			wantRead: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, s care.Store) {
				ctx := context.Background()
				f := newFixture(t, s)
				f.post(t, 0, "1000", "ana", "", "Where is my order?")
				conv := f.conversationOf(t, 0, "1000")
				ours := func(platformID string, st care.DeliveryStatus, vis ...care.Visibility) {
					t.Helper()
					m := &care.Message{WorkspaceID: f.ws.ID, ConversationID: conv.ID, InboxID: f.inboxes[0].ID, Direction: care.DirectionOut,
						Visibility: care.Private, Text: "On its way", PlatformID: platformID, Status: st}
					if len(vis) > 0 {
						m.Visibility = vis[0]
					}
					if err := s.CreateMessage(ctx, m); err != nil {
						t.Fatal(err)
					}
				}
				ours("0999", care.DeliverySent, care.Public) // a public reply: no DM read reads it
				ours("1001", care.DeliverySent)
				ours("1002", care.DeliveryDelivered)
				ours("1003", care.DeliveryFailed)
				ours("1004", care.DeliverySent)
				f.post(t, 0, "1005", "ana", "", "Thanks")
				ours("1006", care.DeliverySent)
				before := len(f.pub.events)
				customer, err := s.MessageByPlatformID(ctx, f.inboxes[0].ID, "1005")
				if err != nil {
					t.Fatal(err)
				}

				f.append(t, tc.in)
				for id, want := range tc.want {
					m, err := s.MessageByPlatformID(ctx, f.inboxes[0].ID, id)
					if err != nil {
						t.Fatal(err)
					}
					if m.Status != want {
						t.Errorf("message %s: status %s, want %s", id, m.Status, want)
					}
				}
				if m, _ := s.MessageByPlatformID(ctx, f.inboxes[0].ID, "1005"); m.Status != customer.Status {
					t.Errorf("the customer's message went from %q to %q", customer.Status, m.Status)
				}
				read := 0
				for _, e := range f.pub.events[before:] {
					if e.Type == care.EventMessageUpdated {
						read++
					}
				}
				if read != tc.wantRead {
					t.Errorf("%d message.updated published, want %d", read, tc.wantRead)
				}
			})
		})
	}
}
