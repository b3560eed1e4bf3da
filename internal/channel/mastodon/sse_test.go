package mastodon

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// readAll reads every event of a stream, with the error that ended it.
func readAll(r io.Reader) ([]sseEvent, *sseReader, error) {
	s := newSSEReader(r)
	var evs []sseEvent
	for {
		ev, err := s.Next()
		if err != nil {
			return evs, s, err
		}
		evs = append(evs, ev)
	}
}

func TestSSEReader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		stream string
		want   []sseEvent
		retry  time.Duration
	}{
		{"one event", "event: notification\ndata: {}\n\n", []sseEvent{{Type: "notification", Data: "{}"}}, 0},
		{"no event type is message", "data: x\n\n", []sseEvent{{Type: "message", Data: "x"}}, 0},
		{"data over lines", "event: update\ndata: {\"a\":\ndata: 1}\n\n", []sseEvent{{Type: "update", Data: "{\"a\":\n1}"}}, 0},
		{"empty data line", "data\ndata\n\n", []sseEvent{{Type: "message", Data: "\n"}}, 0},
		{"only one space is stripped", "data:  two\n\n", []sseEvent{{Type: "message", Data: " two"}}, 0},
		{"no space", "data:x\n\n", []sseEvent{{Type: "message", Data: "x"}}, 0},
		{"heartbeats", ":)\n:thump\n\n:thump\nevent: delete\n:thump\ndata: 42\n\n", []sseEvent{{Type: "delete", Data: "42"}}, 0},
		{"CRLF", "event: delete\r\ndata: 1\r\n\r\n", []sseEvent{{Type: "delete", Data: "1"}}, 0},
		{"CR", "event: delete\rdata: 1\r\rdata: 2\r\r", []sseEvent{{Type: "delete", Data: "1"}, {Type: "message", Data: "2"}}, 0},
		{"BOM", "\uFEFFdata: x\n\n", []sseEvent{{Type: "message", Data: "x"}}, 0},
		{"event without data is not dispatched, and its type is forgotten", "event: a\n\ndata: x\n\n", []sseEvent{{Type: "message", Data: "x"}}, 0},
		{"retry", "retry: 2500\n\n", nil, 2500 * time.Millisecond},
		{"retry not digits", "retry: 25s\n\n", nil, 0},
		{"retry huge", "retry: 99999999999999999999999\n\n", nil, maxRetry},
		{"id", "id: 7\ndata: x\n\n", []sseEvent{{Type: "message", Data: "x", ID: "7"}}, 0},
		{"unknown field", "foo: bar\ndata: x\n\n", []sseEvent{{Type: "message", Data: "x"}}, 0},
		{"field without colon", "data\n\n", []sseEvent{{Type: "message", Data: ""}}, 0},
		{"cut off event dropped", "data: x\n\ndata: y\n", []sseEvent{{Type: "message", Data: "x"}}, 0},
		{"cut off line dropped", "data: x\n\ndata: y", []sseEvent{{Type: "message", Data: "x"}}, 0},
		{"two events", "event: a\ndata: 1\n\nevent: b\ndata: 2\n\n", []sseEvent{{Type: "a", Data: "1"}, {Type: "b", Data: "2"}}, 0},
	}
	for _, tt := range tests {
		// Whole, and a byte at a time: line ends split across reads.
		for _, r := range []io.Reader{strings.NewReader(tt.stream), iotest.OneByteReader(strings.NewReader(tt.stream))} {
			got, s, err := readAll(r)
			if !errors.Is(err, io.EOF) {
				t.Errorf("%s: stream ended with %v, want EOF", tt.name, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: events (-want +got):\n%s", tt.name, diff)
			}
			if s.Retry != tt.retry {
				t.Errorf("%s: retry %v, want %v", tt.name, s.Retry, tt.retry)
			}
		}
	}
}

func TestSSEReaderBounds(t *testing.T) {
	t.Parallel()
	long := "data: " + strings.Repeat("x", maxSSELine) + "\n\n"
	if _, _, err := readAll(strings.NewReader(long)); !errors.Is(err, errSSETooLong) {
		t.Errorf("a line over the bound: %v, want errSSETooLong", err)
	}
	many := strings.Repeat("data: "+strings.Repeat("x", 1<<20)+"\n", 5) + "\n"
	if _, _, err := readAll(strings.NewReader(many)); !errors.Is(err, errSSETooLong) {
		t.Errorf("an event over the bound: %v, want errSSETooLong", err)
	}
	if _, _, err := readAll(iotest.ErrReader(io.ErrUnexpectedEOF)); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a failing reader: %v", err)
	}
	if _, _, err := readAll(emptyReader{}); !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("a reader that returns nothing: %v, want ErrNoProgress", err)
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

// TestSSEFixtures reads the documented streams and a constructed one with
// every variation Mastodon's server and the standard allow.
func TestSSEFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		types    []string
		comments int
		retry    time.Duration
	}{
		{"user_notification_mention_STREAMING_DOCS.txt", []string{"notification"}, 0, 0},
		{"user_update_reply_STREAMING_DOCS.txt", []string{"update"}, 0, 0},
		{"user_mixed_CONSTRUCTED.txt", []string{"filters_changed", "notification", "delete", "announcement.delete"}, 3, 2500 * time.Millisecond},
	}
	for _, tt := range tests {
		b, err := os.ReadFile("testdata/sse/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		evs, s, err := readAll(strings.NewReader(string(b)))
		if !errors.Is(err, io.EOF) {
			t.Errorf("%s: %v", tt.file, err)
		}
		var types []string
		for _, ev := range evs {
			types = append(types, ev.Type)
			if ev.Type == "notification" {
				m, err := mapNotification(testInbox(), []byte(ev.Data), testNow)
				if err != nil || len(m.events) != 1 {
					t.Errorf("%s: the notification maps to %+v, %v", tt.file, m, err)
				}
			}
		}
		if !cmp.Equal(types, tt.types) || s.Comments != tt.comments || s.Retry != tt.retry {
			t.Errorf("%s: events %v, %d comments, retry %v; want %v, %d, %v", tt.file, types, s.Comments, s.Retry, tt.types, tt.comments, tt.retry)
		}
	}
}
