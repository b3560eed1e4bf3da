package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/app"
)

// A first start on a busy port fails saying how to choose another, and
// makes no admin: the password, shown once, is shown by the start that
// serves, not lost with the one that failed.
func TestBusyPortKeepsTheFirstLogin(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := t.TempDir()
	cfg := testConfig(dir)
	cfg.Addr = busy.Addr().String()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var out bytes.Buffer
	if a, err := app.Start(context.Background(), cfg, log, &out); err == nil {
		a.Close(context.Background())
		t.Fatal("Start on a busy port succeeded")
	} else if !strings.Contains(err.Error(), "--addr or PARLEY_ADDR") {
		t.Errorf("Start on a busy port: %v; want it to say how to choose another address", err)
	}
	if strings.Contains(out.String(), "password:") {
		t.Errorf("the failed start printed the first login:\n%s", out.String())
	}

	cfg = testConfig(dir)
	out.Reset()
	a, err := app.Start(context.Background(), cfg, log, &out)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	defer a.Close(ctx)
	if !strings.Contains(out.String(), "password:") {
		t.Errorf("the start that serves did not print the first login:\n%s", out.String())
	}
}
