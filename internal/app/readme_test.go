package app_test

import (
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFirstStartPrintsLoginOnce follows the README's "Run it": the first
// `parley serve` on a fresh data directory prints the first admin's login,
// which works, and a restart prints none.
func TestFirstStartPrintsLoginOnce(t *testing.T) {
	bin := parleyBinary(t)
	dir := filepath.Join(t.TempDir(), "parley-data")

	first := startServe(t, bin, dir)
	// The output reaches us through a pipe; it may trail readiness.
	waitFor(t, 5*time.Second, "the first admin's login on stdout", func() bool {
		return strings.Contains(first.stdout.String(), "This password is shown once")
	})
	out := first.stdout.String()
	if n := strings.Count(out, "password:"); n != 1 {
		t.Fatalf("first start printed %q, want the login with one password: line", out)
	}
	m := regexp.MustCompile(`(?m)^\s*email:\s*(\S+)\s*\n\s*password:\s*(\S+)\s*$`).FindStringSubmatch(out)
	if m == nil || m[1] != "admin@example.com" {
		t.Fatalf("first start printed %q, want email: admin@example.com then password: …", out)
	}
	c := newAPIClient(t, first.base, "")
	status, body, err := c.send("POST", "/api/v1/session", "", map[string]string{"email": m[1], "password": m[2]})
	if err != nil || status != http.StatusCreated {
		t.Errorf("signing in with the printed login = %d %s, %v; want 201", status, body, err)
	}
	c.tr.CloseIdleConnections()
	first.stop(syscall.SIGTERM)
	if !first.cmd.ProcessState.Success() {
		t.Errorf("parley serve after SIGTERM: %v, want exit status 0", first.cmd.ProcessState)
	}

	second := startServe(t, bin, dir)
	second.stop(syscall.SIGINT)
	if out := second.stdout.String(); strings.Contains(out, "password:") {
		t.Errorf("second start printed %q, want no login", out)
	}
	if !second.cmd.ProcessState.Success() {
		t.Errorf("parley serve after SIGINT: %v, want exit status 0", second.cmd.ProcessState)
	}
}
