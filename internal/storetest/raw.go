package storetest

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// newRaw returns a raw event for in with the given dedupe key.
func newRaw(in *care.Inbox, key string, received time.Time) care.RawEvent {
	return care.RawEvent{
		InboxID: in.ID, WorkspaceID: in.WorkspaceID, DedupeKey: key,
		Payload: []byte(`{"id":"` + key + `"}`),
		Inbound: care.Inbound{
			InboxID: in.ID, Channel: in.Channel, PlatformID: key, Visibility: care.Public,
			Author: care.Author{PlatformUserID: "42", DisplayName: "Jo"}, Text: "hello " + key,
			SentAt: time.Date(2025, time.June, 1, 9, 30, 0, 250000000, time.UTC),
		},
		ReceivedAt: received,
	}
}

// stored is e as RawEvent returns it after it was appended as id.
func stored(e care.RawEvent, id care.ID) care.RawEvent {
	e.ID, e.ReceivedAt = id, micro(e.ReceivedAt)
	return e
}

func mustAppend(t *testing.T, s care.Store, events ...care.RawEvent) []care.AppendResult {
	t.Helper()
	res, err := s.AppendRaw(t.Context(), events)
	must(t, err, "AppendRaw")
	if len(res) != len(events) {
		t.Fatalf("AppendRaw(%d events) returned %d results", len(events), len(res))
	}
	return res
}

func pendingIDs(t *testing.T, q care.Queries, limit int) []care.ID {
	t.Helper()
	evs, err := q.PendingRaw(t.Context(), limit)
	must(t, err, "PendingRaw")
	var out []care.ID
	for _, e := range evs {
		out = append(out, e.ID)
	}
	return out
}

func testRawEvents(t *testing.T, open opener) {
	t.Run("AppendAndGet", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		a := newRaw(w.inbox, "x:1001", at(0))
		// The payload is kept as the platform sent it, even when that is not
		// valid UTF-8 or holds a NUL.
		a.Payload = []byte("{\"text\":\"caf\xe9 \xff\xfe\x00 \xf0\x9f\x98\x80\"}\x00\r\n")
		a.Inbound.ReplyToPlatformID, a.Inbound.Subject = "x:1000", "Re: order"
		a.Inbound.Visibility = care.Private
		a.Inbound.Author = care.Author{PlatformUserID: "42", DisplayName: "Jo Doe", Handle: "jodoe", Followers: 12000, Verified: true}
		a.Inbound.Attachments = []care.Attachment{{Kind: "image", URL: "https://pbs.example.com/1.jpg", MimeType: "image/jpeg", Size: 2048}}
		b := newRaw(w.inbox, "x:1002", at(time.Second))

		res := mustAppend(t, s, a, b)
		if res[0].Duplicate || res[1].Duplicate || res[0].ID == 0 || res[1].ID <= res[0].ID {
			t.Fatalf("AppendRaw() = %+v, want two new events with increasing IDs", res)
		}
		for i, e := range []care.RawEvent{a, b} {
			want := stored(e, res[i].ID)
			got, err := s.RawEvent(ctx, res[i].ID)
			must(t, err, "RawEvent(%d)", res[i].ID)
			if d := diff(&want, got); d != "" {
				t.Errorf("RawEvent(%d) mismatch (-want +got):\n%s", res[i].ID, d)
			}
			checkUTC(t, "RawEvent.ReceivedAt", got.ReceivedAt)
		}
	})

	t.Run("EmptyBatch", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		res, err := s.AppendRaw(ctx, nil)
		must(t, err, "AppendRaw(nil)")
		if len(res) != 0 {
			t.Errorf("AppendRaw(nil) = %v, want no results", res)
		}
	})

	t.Run("DuplicateAcrossBatches", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		first := mustAppend(t, s, newRaw(w.inbox, "k1", at(0)), newRaw(w.inbox, "k2", at(0)))
		again := newRaw(w.inbox, "k2", at(time.Minute))
		again.Payload = []byte(`{"retry":true}`)
		res := mustAppend(t, s, again, newRaw(w.inbox, "k3", at(time.Minute)))
		if res[0] != (care.AppendResult{ID: first[1].ID, Duplicate: true}) {
			t.Errorf("AppendRaw(repeated k2)[0] = %+v, want {ID:%d Duplicate:true}", res[0], first[1].ID)
		}
		if res[1].Duplicate || res[1].ID <= first[1].ID {
			t.Errorf("AppendRaw(new k3)[1] = %+v, want a new event", res[1])
		}
		got, err := s.RawEvent(ctx, first[1].ID)
		must(t, err, "RawEvent")
		if string(got.Payload) != `{"id":"k2"}` {
			t.Errorf("RawEvent(%d).Payload = %q after a duplicate, want the first delivery's", first[1].ID, got.Payload)
		}
		if d := diff([]care.ID{first[0].ID, first[1].ID, res[1].ID}, pendingIDs(t, s, 100)); d != "" {
			t.Errorf("PendingRaw() mismatch (-want +got):\n%s", d)
		}
	})

	t.Run("DuplicateWithinBatch", func(t *testing.T) {
		s := open(t)
		w := mustWorld(t, s, "acme")
		old := mustAppend(t, s, newRaw(w.inbox, "old", at(0)))
		res := mustAppend(t, s,
			newRaw(w.inbox, "k1", at(time.Minute)),
			newRaw(w.inbox, "k2", at(time.Minute)),
			newRaw(w.inbox, "k1", at(time.Minute)),
			newRaw(w.inbox, "old", at(time.Minute)),
			newRaw(w.inbox, "k1", at(time.Minute)),
		)
		if res[0].Duplicate || res[1].Duplicate || res[0].ID == res[1].ID {
			t.Fatalf("AppendRaw() = %+v, want the first two new", res)
		}
		want := []care.AppendResult{res[0], res[1], {ID: res[0].ID, Duplicate: true}, {ID: old[0].ID, Duplicate: true}, {ID: res[0].ID, Duplicate: true}}
		if d := diff(want, res); d != "" {
			t.Errorf("AppendRaw() mismatch (-want +got):\n%s", d)
		}
		if got := pendingIDs(t, s, 100); len(got) != 3 {
			t.Errorf("PendingRaw() = %v, want 3 events", got)
		}
	})

	t.Run("OtherInboxNotDuplicate", func(t *testing.T) {
		s := open(t)
		w := mustWorld(t, s, "acme")
		other := mustInbox(t, s, w.ws, care.ChannelX)
		a := mustAppend(t, s, newRaw(w.inbox, "x:1", at(0)))
		b := mustAppend(t, s, newRaw(other, "x:1", at(0)), newRaw(w.inbox, "x:1", at(0)))
		if b[0].Duplicate || b[0].ID == a[0].ID {
			t.Errorf("AppendRaw(same key, other inbox) = %+v, want a new event", b[0])
		}
		if b[1] != (care.AppendResult{ID: a[0].ID, Duplicate: true}) {
			t.Errorf("AppendRaw(same key, same inbox) = %+v, want {ID:%d Duplicate:true}", b[1], a[0].ID)
		}
	})

	t.Run("Pending", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		evs := []care.RawEvent{newRaw(w.inbox, "e1", at(0)), newRaw(w.inbox, "e2", at(time.Second)), newRaw(w.inbox, "e3", at(2*time.Second))}
		res := mustAppend(t, s, evs...)
		e4 := newRaw(w.inbox, "e4", at(3*time.Second))
		res = append(res, mustAppend(t, s, e4)...)
		evs = append(evs, e4)
		must(t, s.MarkRawProcessed(ctx, res[1].ID, at(time.Minute), ""), "MarkRawProcessed")

		got, err := s.PendingRaw(ctx, 10)
		must(t, err, "PendingRaw")
		want := []care.RawEvent{stored(evs[0], res[0].ID), stored(evs[2], res[2].ID), stored(evs[3], res[3].ID)}
		if d := diff(want, got); d != "" {
			t.Errorf("PendingRaw(10) mismatch (-want +got):\n%s", d)
		}
		if d := diff([]care.ID{res[0].ID, res[2].ID}, pendingIDs(t, s, 2)); d != "" {
			t.Errorf("PendingRaw(2) mismatch (-want +got):\n%s", d)
		}
	})

	t.Run("MarkProcessed", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		res := mustAppend(t, s, newRaw(w.inbox, "ok", at(0)), newRaw(w.inbox, "bad", at(0)), newRaw(w.inbox, "later", at(0)))
		tests := []struct {
			name    string
			id      care.ID
			errText string
		}{
			{"WithoutError", res[0].ID, ""},
			{"WithError", res[1].ID, "threading: contact 12 is locked: context deadline exceeded"},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				now := at(time.Duration(i+1) * time.Minute)
				must(t, s.MarkRawProcessed(ctx, tt.id, now, tt.errText), "MarkRawProcessed")
				got, err := s.RawEvent(ctx, tt.id)
				must(t, err, "RawEvent")
				if d := diff(microPtr(now), got.ProcessedAt); d != "" {
					t.Errorf("ProcessedAt mismatch (-want +got):\n%s", d)
				}
				if got.Error != tt.errText {
					t.Errorf("Error = %q, want %q", got.Error, tt.errText)
				}
				if got.ProcessedAt != nil {
					checkUTC(t, "RawEvent.ProcessedAt", *got.ProcessedAt)
				}
			})
		}
		if d := diff([]care.ID{res[2].ID}, pendingIDs(t, s, 100)); d != "" {
			t.Errorf("PendingRaw() mismatch (-want +got):\n%s", d)
		}
		wantCode(t, s.MarkRawProcessed(ctx, missingID, at(time.Hour), ""), care.ENOTFOUND, "MarkRawProcessed(missing)")
	})

	t.Run("MarkManyProcessed", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		res := mustAppend(t, s, newRaw(w.inbox, "m1", at(0)), newRaw(w.inbox, "m2", at(0)), newRaw(w.inbox, "m3", at(0)))
		must(t, s.MarkRawsProcessed(ctx, []care.ID{res[0].ID, res[2].ID}, at(time.Minute)), "MarkRawsProcessed")
		if d := diff([]care.ID{res[1].ID}, pendingIDs(t, s, 100)); d != "" {
			t.Errorf("PendingRaw() mismatch (-want +got):\n%s", d)
		}
		got, err := s.RawEvent(ctx, res[2].ID)
		must(t, err, "RawEvent")
		if d := diff(microPtr(at(time.Minute)), got.ProcessedAt); d != "" {
			t.Errorf("ProcessedAt mismatch (-want +got):\n%s", d)
		}
		must(t, s.MarkRawsProcessed(ctx, nil, at(time.Minute)), "MarkRawsProcessed(nil)")
		wantCode(t, s.MarkRawsProcessed(ctx, []care.ID{res[1].ID, missingID}, at(time.Hour)), care.ENOTFOUND, "MarkRawsProcessed(missing)")
	})

	t.Run("Reset", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		w := mustWorld(t, s, "acme")
		other := mustInbox(t, s, w.ws, care.ChannelFacebook)
		res := mustAppend(t, s,
			newRaw(w.inbox, "a1", at(0)),
			newRaw(w.inbox, "a2", at(time.Hour)),
			newRaw(w.inbox, "a3", at(2*time.Hour)),
			newRaw(other, "b1", at(time.Hour)),
		)
		a1, a2, a3, b1 := res[0].ID, res[1].ID, res[2].ID, res[3].ID
		for _, id := range []care.ID{a1, a2, b1} {
			must(t, s.MarkRawProcessed(ctx, id, at(3*time.Hour), "failed once"), "MarkRawProcessed(%d)", id)
		}
		// Steps run in order. The count is of every event received at or
		// after since (in the inbox, or in every inbox for 0), whether it was
		// processed or still pending; all of them are pending afterwards.
		steps := []struct {
			name    string
			inbox   care.ID
			since   time.Time
			want    int
			pending []care.ID
		}{
			{"NothingAfter", w.inbox.ID, at(3 * time.Hour), 0, []care.ID{a3}},
			{"OneInbox", w.inbox.ID, at(time.Hour), 2, []care.ID{a2, a3}},
			{"Again", w.inbox.ID, at(time.Hour), 2, []care.ID{a2, a3}},
			{"EveryInbox", 0, at(time.Hour), 3, []care.ID{a2, a3, b1}},
			{"Everything", 0, at(-time.Hour), 4, []care.ID{a1, a2, a3, b1}},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				n, err := s.ResetRaw(ctx, st.inbox, st.since)
				must(t, err, "ResetRaw")
				if n != st.want {
					t.Errorf("ResetRaw(%d, %v) = %d, want %d", st.inbox, st.since, n, st.want)
				}
				if d := diff(st.pending, pendingIDs(t, s, 100)); d != "" {
					t.Errorf("PendingRaw() mismatch (-want +got):\n%s", d)
				}
			})
		}
		got, err := s.RawEvent(ctx, a2)
		must(t, err, "RawEvent")
		if got.ProcessedAt != nil || got.Error != "" {
			t.Errorf("RawEvent(%d) after ResetRaw: ProcessedAt %v, Error %q; want nil and \"\"", a2, got.ProcessedAt, got.Error)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s, ctx := open(t), t.Context()
		_, err := s.RawEvent(ctx, missingID)
		wantCode(t, err, care.ENOTFOUND, "RawEvent(missing)")
	})
}
