package sse

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// frameWriter writes server-sent event frames and flushes each one, so an
// event reaches the browser when it happens rather than when a buffer fills.
type frameWriter struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	buf     []byte
}

func newFrameWriter(w http.ResponseWriter, heartbeat time.Duration) *frameWriter {
	// A write may take as long as two heartbeats: longer than that and the
	// client is not reading, so it is better to drop it and let it resume.
	return &frameWriter{w: w, rc: http.NewResponseController(w), timeout: 2 * heartbeat}
}

// writeError marks a failure to reach the client, as opposed to one reading
// events.
type writeError struct{ err error }

func (e *writeError) Error() string { return "sse: write: " + e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

func (f *frameWriter) retry(millis int) error {
	f.buf = append(f.buf[:0], "retry: "...)
	f.buf = strconv.AppendInt(f.buf, int64(millis), 10)
	f.buf = append(f.buf, "\n\n"...)
	return f.flush()
}

func (f *frameWriter) ping() error {
	f.buf = append(f.buf[:0], ": ping\n\n"...)
	return f.flush()
}

// event writes one event frame; data is the event as JSON. JSON never
// contains a raw line break (they are escaped inside strings and compacted
// away outside them), so the data line cannot be split into fields chosen by
// whoever wrote a message.
func (f *frameWriter) event(id care.ID, typ care.EventType, data []byte) error {
	f.buf = append(f.buf[:0], "id: "...)
	f.buf = strconv.AppendInt(f.buf, id, 10)
	f.buf = append(f.buf, '\n')
	// Types are constants in care, but a line break here would end the frame
	// early, so an odd one is left to the "type" field of the data.
	if typ != "" && !strings.ContainsAny(string(typ), "\r\n") {
		f.buf = append(f.buf, "event: "...)
		f.buf = append(f.buf, typ...)
		f.buf = append(f.buf, '\n')
	}
	f.buf = append(f.buf, "data: "...)
	f.buf = append(f.buf, data...)
	f.buf = append(f.buf, "\n\n"...)
	return f.flush()
}

// signal writes an event frame without an id, so the client's position
// in the stream stays where the stored events left it.
func (f *frameWriter) signal(typ care.EventType, data []byte) error {
	if typ == "" || strings.ContainsAny(string(typ), "\r\n") || bytes.ContainsAny(data, "\r\n") {
		return nil
	}
	f.buf = append(f.buf[:0], "event: "...)
	f.buf = append(f.buf, typ...)
	f.buf = append(f.buf, "\ndata: "...)
	f.buf = append(f.buf, data...)
	f.buf = append(f.buf, "\n\n"...)
	return f.flush()
}

func (f *frameWriter) flush() error {
	// The deadline also lifts the server's WriteTimeout, which would
	// otherwise cut every long-lived stream off.
	if err := f.rc.SetWriteDeadline(time.Now().Add(f.timeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return &writeError{err}
	}
	if _, err := f.w.Write(f.buf); err != nil {
		return &writeError{err}
	}
	if err := f.rc.Flush(); err != nil {
		return &writeError{err}
	}
	return nil
}
