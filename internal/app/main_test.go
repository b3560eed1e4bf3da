package app_test

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks, once every test is done, that no goroutine outlived its
// App: the HTTP server, committer, pipeline, outbox and event streams must
// all stop in Close. It also removes the binary the process tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	removeParleyBinary()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}
