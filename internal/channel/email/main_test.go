package email

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

// testNow is the tests' clock: 24 November 2026, 10:00 UTC.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// acme is the test inbox's identity in its mailbox.
var acme = identity{address: "support@acme.example.com", domain: "acme.example.com"}

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
