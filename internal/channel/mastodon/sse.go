package mastodon

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"time"
)

// Server-sent events, as the HTML standard's "interpreting an event
// stream" reads them (html.spec.whatwg.org/multipage/server-sent-events.html):
// lines end in CRLF, LF or CR; a line starting with ":" is a comment
// (Mastodon's heartbeat, ":thump"); "field: value" sets event, data
// (appended, joined by newlines, so one event's data may span several
// lines), id or retry (the reconnection time in milliseconds, digits
// only); a blank line dispatches the event, unless it has no data. An
// event cut off by the end of the stream is discarded.

// Bounds of what one connection may make Parley hold.
const (
	maxSSELine  = 4 << 20 // one line; a notification is one line of JSON
	maxSSEEvent = 4 << 20 // one event's data
	maxRetry    = 10 * time.Minute
)

// errSSETooLong is a line or an event over its bound: the stream is not
// Mastodon's, or not sane, and is dropped.
var errSSETooLong = errors.New("mastodon: server-sent event too long")

// sseEvent is one dispatched event.
type sseEvent struct {
	Type string // "message" when the stream named none
	Data string
	ID   string
}

// sseReader reads events from a stream.
type sseReader struct {
	r        io.Reader
	buf      []byte
	pos, end int  // the unread part of buf
	crlf     bool // the last line ended in CR
	line     []byte
	// Retry is the reconnection time the stream last asked for, 0 if none.
	Retry time.Duration
	// LastID is the last event id the stream set.
	LastID string
	// Comments counts comment lines read (heartbeats).
	Comments int
	started  bool
}

func newSSEReader(r io.Reader) *sseReader {
	return &sseReader{r: r, buf: make([]byte, 32<<10)}
}

// Next returns the next event. It returns io.EOF at the end of the stream
// (discarding an unfinished event), errSSETooLong for a line or event over
// its bound, and the underlying reader's errors.
func (s *sseReader) Next() (sseEvent, error) {
	var typ string
	var data bytes.Buffer
	hasData := false
	for {
		line, err := s.readLine()
		if err != nil {
			return sseEvent{}, err
		}
		if !s.started {
			s.started = true
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		if len(line) == 0 {
			if !hasData {
				typ = ""
				continue
			}
			ev := sseEvent{Type: typ, Data: strings.TrimSuffix(data.String(), "\n"), ID: s.LastID}
			if ev.Type == "" {
				ev.Type = "message"
			}
			return ev, nil
		}
		if line[0] == ':' {
			s.Comments++
			continue
		}
		field, value, found := bytes.Cut(line, []byte(":"))
		if found {
			value = bytes.TrimPrefix(value, []byte(" "))
		}
		switch string(field) {
		case "event":
			typ = string(value)
		case "data":
			if data.Len()+len(value)+1 > maxSSEEvent {
				return sseEvent{}, errSSETooLong
			}
			data.Write(value)
			data.WriteByte('\n')
			hasData = true
		case "id":
			if bytes.IndexByte(value, 0) < 0 {
				s.LastID = string(value)
			}
		case "retry":
			if ms, ok := retryMillis(value); ok {
				s.Retry = ms
			}
		}
	}
}

// retryMillis reads a retry field: ASCII digits only, in milliseconds,
// bounded by maxRetry.
func retryMillis(v []byte) (time.Duration, bool) {
	if len(v) == 0 {
		return 0, false
	}
	var ms int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		if ms <= int64(maxRetry/time.Millisecond) {
			ms = ms*10 + int64(c-'0')
		}
	}
	return min(time.Duration(ms)*time.Millisecond, maxRetry), true
}

// readLine returns the next line without its end (CRLF, LF or CR). The
// slice is valid until the next call.
func (s *sseReader) readLine() ([]byte, error) {
	s.line = s.line[:0]
	empty := 0
	for {
		if s.pos == s.end {
			n, err := s.r.Read(s.buf)
			switch {
			case n > 0:
				s.pos, s.end, empty = 0, n, 0
			case err != nil:
				// A line without its end is not a line: the event it
				// belongs to is cut off, and discarded.
				return nil, err
			default:
				if empty++; empty > 100 {
					return nil, io.ErrNoProgress
				}
				continue
			}
		}
		if s.crlf {
			// The line before ended in CR; a LF right after it is part of
			// that end.
			s.crlf = false
			if s.buf[s.pos] == '\n' {
				s.pos++
				continue
			}
		}
		chunk := s.buf[s.pos:s.end]
		i := bytes.IndexAny(chunk, "\r\n")
		if i < 0 {
			s.line = append(s.line, chunk...)
			s.pos = s.end
			if len(s.line) > maxSSELine {
				return nil, errSSETooLong
			}
			continue
		}
		s.line = append(s.line, chunk[:i]...)
		s.crlf = chunk[i] == '\r'
		s.pos += i + 1
		if len(s.line) > maxSSELine {
			return nil, errSSETooLong
		}
		return s.line, nil
	}
}
