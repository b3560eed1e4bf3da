package app_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The parley binary, built once for every test that runs it as a process.
var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
	buildOut  []byte
)

// parleyBinary builds ./cmd/parley once and returns its path. It skips the
// test under -short, since building takes a while.
func parleyBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping: builds ./cmd/parley and runs it as a process; run without -short")
	}
	buildOnce.Do(func() {
		var root []byte
		if root, buildErr = exec.Command("go", "env", "GOMOD").Output(); buildErr != nil {
			return
		}
		if binDir, buildErr = os.MkdirTemp("", "parley-bin-"); buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "parley")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/parley")
		cmd.Dir = filepath.Dir(strings.TrimSpace(string(root)))
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build ./cmd/parley: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

func removeParleyBinary() {
	if binDir != "" {
		os.RemoveAll(binDir)
	}
}

// processEnv is the test's environment without PARLEY_* variables, so the
// developer's own settings cannot change what the tests run.
func processEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PARLEY_") {
			env = append(env, kv)
		}
	}
	return env
}

// runParley runs a command that ends by itself and returns its stdout.
func runParley(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = processEnv()
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("parley %s: %v\nstderr:\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// syncBuffer is a bytes.Buffer safe for a process's output copier and the
// test to use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveProcess is a running `parley serve`.
type serveProcess struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:port
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan struct{} // closed when the process has exited
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startServe starts `parley serve` on dataDir and waits until it is ready.
// The process is killed at the end of the test if it is still running, and
// its output is shown if the test failed.
func startServe(t *testing.T, bin, dataDir string) *serveProcess {
	t.Helper()
	addr := freeAddr(t)
	p := &serveProcess{t: t, base: "http://" + addr, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve", "--addr", addr, "--data", dataDir, "--admin-email", "admin@example.com",
		"--shutdown-timeout", "10s")
	p.cmd.Env = processEnv()
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start parley serve: %v", err)
	}
	go func() {
		p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("parley serve --addr %s (%v)\nstdout:\n%s\nstderr:\n%s", addr, p.cmd.ProcessState, p.stdout, p.stderr)
		}
	})
	p.waitReady()
	return p
}

// waitReady polls /readyz until the server answers 200.
func (p *serveProcess) waitReady() {
	p.t.Helper()
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: time.Second}
	waitFor(p.t, 20*time.Second, "parley serve to be ready", func() bool {
		select {
		case <-p.done:
			p.t.Fatalf("parley serve exited before it was ready: %v", p.cmd.ProcessState)
		default:
		}
		resp, err := hc.Get(p.base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// stop sends sig and waits for the process to exit.
func (p *serveProcess) stop(sig syscall.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatalf("signal parley serve: %v", err)
	}
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.t.Fatalf("parley serve did not exit within 20s of %v", sig)
	}
}

// A node's last line says it finished shutting down, how long that took
// and that nothing was left over: without it a clean stop cannot be told
// from one cut off by the timeout.
func TestShutdownLogsItsEnd(t *testing.T) {
	bin := parleyBinary(t)
	srv := startServe(t, bin, t.TempDir())
	srv.stop(syscall.SIGTERM)
	if code := srv.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	lines := strings.Split(strings.TrimSpace(srv.stderr.String()), "\n")
	last := lines[len(lines)-1]
	for _, want := range []string{"level=INFO", `msg="shutdown finished"`, "took=", "clean=true"} {
		if !strings.Contains(last, want) {
			t.Errorf("last log line %q lacks %q", last, want)
		}
	}
}

// A start-up failure names what was being done, not only the coded error
// that stopped it.
func TestStartFailureKeepsItsContext(t *testing.T) {
	bin := parleyBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--admin-email", "not-an-address")
	cmd.Env = processEnv()
	cmd.Stderr = &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("parley serve with a bad admin email: exit %d (%v), want 1", code, err)
	}
	want := `parley: create first admin: "not-an-address" is not an email address.` + "\n"
	if got := stderr.String(); !strings.HasSuffix(got, want) {
		t.Errorf("stderr = %q, want it to end with %q", got, want)
	}
}
