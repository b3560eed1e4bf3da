package mastofake

import (
	"net/http"
	"strconv"
	"strings"
)

// The streaming API (docs.joinmastodon.org/methods/streaming): server-sent
// events, opened with ":)" as Mastodon's streaming server does, each
// event "event: <name>\ndata: <payload>\n\n". The user stream carries
// notification and delete events; user/notification only notifications.
// Heartbeat writes the ":thump" comment Mastodon sends every 15 seconds.

// stream is one open streaming connection.
type stream struct {
	notificationsOnly bool
	frames            chan []byte
	cut               chan struct{}
}

// streaming serves a stream until the client goes, the server shuts down
// or CutStreams cuts it.
func (f *Fake) streaming(notificationsOnly bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			tok = r.URL.Query().Get("access_token")
		}
		if tok != f.Token {
			writeError(w, http.StatusUnauthorized, "Error: Invalid access token")
			return
		}
		flusher, ok := w.(http.Flusher)
		if !ok {
			writeError(w, http.StatusInternalServerError, "streaming unsupported")
			return
		}
		s := &stream{notificationsOnly: notificationsOnly, frames: make(chan []byte, 256), cut: make(chan struct{})}
		f.mu.Lock()
		f.streams[s] = struct{}{}
		f.connections++
		retry := f.StreamRetry
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			delete(f.streams, s)
			f.mu.Unlock()
		}()
		h := w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "private, no-store")
		w.WriteHeader(http.StatusOK)
		open := ":)\n"
		if retry > 0 {
			open += "retry: " + strconv.FormatInt(retry.Milliseconds(), 10) + "\n\n"
		}
		if _, err := w.Write([]byte(open)); err != nil {
			return
		}
		flusher.Flush()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-s.cut:
				return
			case frame := <-s.frames:
				if _, err := w.Write(frame); err != nil {
					return
				}
				flusher.Flush()
			}
		}
	}
}

// push sends an event to every open stream that carries it; f.mu is held.
// A stream too slow to take it is cut, as Mastodon's server drops clients
// that fall behind.
func (f *Fake) push(event string, data []byte, userOnly bool) {
	frame := []byte("event: " + event + "\ndata: " + string(data) + "\n\n")
	for s := range f.streams {
		if userOnly && s.notificationsOnly {
			continue
		}
		f.send(s, frame)
	}
}

func (f *Fake) send(s *stream, frame []byte) {
	select {
	case s.frames <- frame:
	default:
		f.cutLocked(s)
	}
}

// Heartbeat writes Mastodon's heartbeat comment to every open stream.
func (f *Fake) Heartbeat() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.streams {
		f.send(s, []byte(":thump\n"))
	}
}

// PushRaw writes frame, as is, to every open stream: for events of any
// shape, split data lines or a retry field.
func (f *Fake) PushRaw(frame string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.streams {
		f.send(s, []byte(frame))
	}
}

// CutStreams closes every open stream, as a restarting streaming server
// does, and returns how many there were.
func (f *Fake) CutStreams() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.streams)
	for s := range f.streams {
		f.cutLocked(s)
	}
	return n
}

func (f *Fake) cutLocked(s *stream) {
	if _, ok := f.streams[s]; !ok {
		return
	}
	delete(f.streams, s)
	close(s.cut)
}

// Connections is the number of streams opened so far.
func (f *Fake) Connections() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.connections
}

// Streams is the number of open streams.
func (f *Fake) Streams() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.streams)
}
