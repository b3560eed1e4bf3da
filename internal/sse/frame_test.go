package sse

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

// writeAndParse writes e as the stream does and parses the result back.
func writeAndParse(t *testing.T, e care.Event) []frame {
	t.Helper()
	rec := httptest.NewRecorder()
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	if err := newFrameWriter(rec, time.Second).event(e.ID, e.Type, data); err != nil {
		t.Fatalf("event: %v", err)
	}
	if !rec.Flushed {
		t.Error("frame not flushed")
	}
	var frames []frame
	if err := readFrames(rec.Body, func(f frame) bool { frames = append(frames, f); return true }); err != io.EOF {
		t.Fatalf("readFrames: %v", err)
	}
	return frames
}

func checkRoundTrip(t *testing.T, e care.Event, wantEvent string) {
	t.Helper()
	frames := writeAndParse(t, e)
	if len(frames) != 1 {
		t.Fatalf("wrote 1 event, parsed %d frames: %+v", len(frames), frames)
	}
	f := frames[0]
	if f.ID != strconv.FormatInt(e.ID, 10) || f.Event != wantEvent {
		t.Errorf("frame id %q event %q, want %d %q", f.ID, f.Event, e.ID, wantEvent)
	}
	var got care.Event
	if err := json.Unmarshal([]byte(f.Data), &got); err != nil {
		t.Fatalf("frame data %q: %v", f.Data, err)
	}
	if diff := cmp.Diff(e, got); diff != "" {
		t.Errorf("event after round trip (-want +got):\n%s", diff)
	}
}

func hostileEvent(t testing.TB, text string, typ care.EventType) care.Event {
	data, err := json.Marshal(map[string]string{"text": text})
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	return care.Event{
		ID: 12, WorkspaceID: 1, Type: typ, Data: data,
		CreatedAt: time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC),
	}
}

func TestFrameHostileText(t *testing.T) {
	for _, tc := range []struct {
		name      string
		text      string
		typ       care.EventType
		wantEvent string
	}{
		{"data injection", "hi\n\ndata: x\n\n", care.EventMessageCreated, "message.created"},
		{"id injection", "a\r\nid: 99\r\n\r\nevent: evil\rretry: 1", care.EventMessageCreated, "message.created"},
		{"line separators", "a\u2028b\u2029c\u0085d", care.EventMessageCreated, "message.created"},
		{"comment", "\n: ping\n", care.EventMessageCreated, "message.created"},
		{"type with line break", "ok", "message.created\ndata: x", ""},
		{"empty type", "ok", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkRoundTrip(t, hostileEvent(t, tc.text, tc.typ), tc.wantEvent)
		})
	}
}

// FuzzFrame checks that no message text can split an event's frame or alter
// its fields.
func FuzzFrame(f *testing.F) {
	f.Add("hi\n\ndata: x", "message.created")
	f.Add("\r\r\n:\n", "conversation.updated")
	f.Fuzz(func(t *testing.T, text, typ string) {
		if !utf8.ValidString(typ) {
			t.Skip() // json would replace bytes, so the type could not compare equal
		}
		e := hostileEvent(t, text, care.EventType(typ))
		frames := writeAndParse(t, e)
		if len(frames) != 1 {
			t.Fatalf("wrote 1 event, parsed %d frames: %+v", len(frames), frames)
		}
		var got care.Event
		if err := json.Unmarshal([]byte(frames[0].Data), &got); err != nil {
			t.Fatalf("frame data %q: %v", frames[0].Data, err)
		}
		if got.ID != e.ID || got.Type != e.Type || frames[0].ID != "12" {
			t.Errorf("frame %+v decoded to id %d type %q, want 12 %q", frames[0], got.ID, got.Type, e.Type)
		}
	})
}
