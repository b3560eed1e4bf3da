package sla_test

import (
	"testing"

	"go.uber.org/goleak"
)

// A Timer owns a goroutine; none may outlive the tests.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
