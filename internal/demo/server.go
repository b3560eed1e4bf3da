package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// server serves one fake platform on a loopback port of its own, as the
// platform's API would be reached at its own host.
type server struct {
	ln   net.Listener
	srv  *http.Server
	URL  string
	done chan struct{}
}

// listen binds a loopback port. Serving starts with serve, once the fake
// is configured: the inbox pointing at it needs its URL first.
func listen() (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: listen for a fake platform: %w", err)
	}
	return &server{ln: ln, URL: "http://" + ln.Addr().String(), done: make(chan struct{})}, nil
}

func (s *server) serve(h http.Handler, log *slog.Logger) {
	s.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("demo: fake platform stopped", "url", s.URL, "err", err)
		}
	}()
}

// close stops the server, or releases the port if it never served.
func (s *server) close() {
	if s == nil {
		return
	}
	if s.srv == nil {
		s.ln.Close()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if s.srv.Shutdown(ctx) != nil {
		s.srv.Close()
	}
	<-s.done
}
