package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// sseFrame is one event frame of /api/v1/events, as a browser's EventSource
// would see it, with its data decoded.
type sseFrame struct {
	ID    care.ID    // the frame's id: field
	Type  string     // the frame's event: field
	Event care.Event // the data: field
}

// message decodes the snapshot a message.created or message.updated event
// carries.
func (f sseFrame) message(t testing.TB) care.Message {
	t.Helper()
	var m care.Message
	if err := json.Unmarshal(f.Event.Data, &m); err != nil {
		t.Fatalf("event %d (%s): decode message: %v", f.ID, f.Type, err)
	}
	return m
}

// eventStream reads /api/v1/events over a real HTTP connection.
type eventStream struct {
	t      testing.TB
	frames chan sseFrame
	ready  chan struct{} // closed once the server has sent its first frame
	done   chan struct{} // closed when the connection has ended
	err    error         // why it ended; read after done
	cancel context.CancelFunc
}

// openEvents connects to the event stream, resuming after lastEventID when
// it is not "", and returns once the server has answered with its first
// frame: from then on, the stream sees every new event. The connection is
// closed at the end of the test, if not before.
func (c *apiClient) openEvents(lastEventID string) *eventStream {
	c.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+"/api/v1/events", nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "text/event-stream")
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	// No client timeout: it would cut the stream. The context ends it.
	resp, err := (&http.Client{Transport: c.tr}).Do(req)
	if err != nil {
		cancel()
		c.t.Fatalf("GET /api/v1/events: %v", err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/event-stream") {
		resp.Body.Close()
		cancel()
		c.t.Fatalf("GET /api/v1/events = %d %s, want 200 text/event-stream", resp.StatusCode, ct)
	}
	s := &eventStream{t: c.t, frames: make(chan sseFrame, 4096), ready: make(chan struct{}), done: make(chan struct{}), cancel: cancel}
	go s.read(ctx, resp)
	c.t.Cleanup(s.close)
	select {
	case <-s.ready:
	case <-s.done:
		c.t.Fatalf("event stream ended before its first frame: %v", s.err)
	case <-time.After(10 * time.Second):
		c.t.Fatal("event stream sent nothing for 10s")
	}
	return s
}

// read parses frames (WHATWG HTML, "Interpreting an event stream") until the
// connection ends.
func (s *eventStream) read(ctx context.Context, resp *http.Response) {
	defer close(s.done)
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var id, typ, data string
	var hasData, readied bool
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if !readied {
				readied = true
				close(s.ready)
			}
			if hasData {
				f := sseFrame{Type: typ}
				var err error
				if f.ID, err = strconv.ParseInt(id, 10, 64); err != nil {
					s.err = err
					return
				}
				if err := json.Unmarshal([]byte(data), &f.Event); err != nil {
					s.err = err
					return
				}
				select {
				case s.frames <- f:
				case <-ctx.Done():
					return
				}
			}
			typ, data, hasData = "", "", false
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "id":
			id = value
		case "event":
			typ = value
		case "data":
			if hasData {
				data += "\n"
			}
			data += value
			hasData = true
		}
	}
	s.err = sc.Err()
}

// next returns the next event frame, failing the test if none comes within
// 10s or the stream ends. Frames are checked for consistency: the frame's id
// and type are the event's own.
func (s *eventStream) next() sseFrame {
	s.t.Helper()
	select {
	case f := <-s.frames:
		if f.ID != f.Event.ID || f.Type != string(f.Event.Type) {
			s.t.Fatalf("frame id %d event %q carries event %d of type %q", f.ID, f.Type, f.Event.ID, f.Event.Type)
		}
		return f
	case <-s.done:
		s.t.Fatalf("event stream ended: %v", s.err)
	case <-time.After(10 * time.Second):
		s.t.Fatal("no event for 10s")
	}
	return sseFrame{}
}

// until reads frames up to and including the first for which stop holds.
func (s *eventStream) until(stop func(sseFrame) bool) []sseFrame {
	s.t.Helper()
	var fs []sseFrame
	for range 100_000 {
		f := s.next()
		fs = append(fs, f)
		if stop(f) {
			return fs
		}
	}
	s.t.Fatal("stop condition never met")
	return nil
}

// close ends the connection and waits for the reader to stop.
func (s *eventStream) close() {
	s.cancel()
	<-s.done
}

// isMessage reports whether f announces the customer message platformID.
func isMessage(t testing.TB, f sseFrame, platformID string) bool {
	return f.Event.Type == care.EventMessageCreated && f.message(t).PlatformID == platformID
}

func frameIDs(fs []sseFrame) []care.ID {
	ids := make([]care.ID, len(fs))
	for i, f := range fs {
		ids[i] = f.ID
	}
	return ids
}
