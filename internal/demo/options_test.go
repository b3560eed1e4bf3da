package demo

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func TestOptionsCheck(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		in   Options
		want string // "" means accepted; else part of the EINVALID message
	}{
		{"defaults", Options{}, ""},
		{"port 0", Options{Addr: "127.0.0.1:0"}, ""},
		{"IPv6 loopback", Options{Addr: "[::1]:9000"}, ""},
		{"localhost", Options{Addr: "localhost:8080"}, ""},
		{"every interface", Options{Addr: ":8080"}, "loopback"},
		{"a public address", Options{Addr: "192.0.2.7:8080"}, "loopback"},
		{"a host name", Options{Addr: "example.com:8080"}, "loopback"},
		{"no port", Options{Addr: "127.0.0.1"}, "HOST:PORT"},
		{"bad port", Options{Addr: "127.0.0.1:http"}, "port"},
		{"port too large", Options{Addr: "127.0.0.1:70000"}, "port"},
		{"negative speed", Options{Speed: -1}, "Speed"},
		{"speed not a number", Options{Speed: math.NaN()}, "Speed"},
		{"speed too high", Options{Speed: MaxSpeed + 1}, "Speed"},
		{"negative duration", Options{Duration: -time.Second}, "negative"},
		{"negative count", Options{Count: -1}, "negative"},
		{"rate too high", Options{Rate: MaxRate + 1}, "rate"},
		{"headless without a rate", Options{Headless: true, Count: 10}, "needs a rate"},
		{"headless without a bound", Options{Headless: true, Rate: 10}, "needs a bound"},
		{"headless with a count", Options{Headless: true, Rate: 10, Count: 10}, ""},
		{"headless with a duration", Options{Headless: true, Rate: 10, Duration: time.Second}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.in.check()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("check(%+v) = %v, want nil", tt.in, err)
			case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want)):
				t.Fatalf("check(%+v) = %v, want EINVALID containing %q", tt.in, err, tt.want)
			case tt.want == "" && (got.Addr == "" || got.Speed <= 0):
				t.Errorf("check(%+v) = %+v, want an address and a speed filled in", tt.in, got)
			}
		})
	}
}

func TestOptionsDefaults(t *testing.T) {
	t.Parallel()
	got, err := Options{}.check()
	if err != nil {
		t.Fatal(err)
	}
	if got.Addr != DefaultAddr || got.Speed != 1 {
		t.Errorf("check(Options{}) = %+v, want address %s and speed 1", got, DefaultAddr)
	}
}

// Run refuses options it cannot honour before it starts anything.
func TestRunRefusesBadOptions(t *testing.T) {
	t.Parallel()
	_, err := Run(t.Context(), Options{Headless: true, Rate: 10}, nil, nil)
	if care.ErrorCode(err) != care.EINVALID {
		t.Errorf("Run(headless without a bound) = %v, want EINVALID", err)
	}
}

// The demo refuses a data directory that already holds a database, so it
// never seeds fake inboxes into a real install; without one it makes a
// temporary directory and removes it.
func TestDataDir(t *testing.T) {
	t.Parallel()
	used := t.TempDir()
	if err := os.WriteFile(filepath.Join(used, "parley.db"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := dataDir(used); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("dataDir(a used directory) = %v, want EINVALID", err)
	}

	fresh := filepath.Join(t.TempDir(), "new")
	dir, cleanup, err := dataDir(fresh)
	if err != nil || dir != fresh {
		t.Fatalf("dataDir(%s) = %q, %v", fresh, dir, err)
	}
	cleanup()
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a data directory given by the caller is gone after the run: %v", err)
	}

	tmp, cleanup, err := dataDir("")
	if err != nil {
		t.Fatal(err)
	}
	cleanup()
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("the temporary data directory %s is still there: %v", tmp, err)
	}
}
