package demo

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that a run leaves no goroutine behind: Parley, the fakes,
// the simulated people and the connections between them all stop.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
