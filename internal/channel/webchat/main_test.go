package webchat

import (
	"flag"
	"testing"

	"go.uber.org/goleak"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files in testdata")

// TestMain checks that no socket, watcher or app goroutine outlives its
// test.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
