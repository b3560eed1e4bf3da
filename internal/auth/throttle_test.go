package auth

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// clock is a settable time for the throttle.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestThrottle(maxKeys int) (*Throttle, *clock) {
	c := &clock{t: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
	return NewThrottle(ThrottleConfig{
		Account:     Limit{Failures: 3, Window: 15 * time.Minute},
		AccountWide: Limit{Failures: 6, Window: 15 * time.Minute},
		Client:      Limit{Failures: 5, Window: 15 * time.Minute},
		MaxKeys:     maxKeys,
		Now:         c.now,
	}), c
}

// fail makes n failed attempts and reports the first error.
func fail(t *testing.T, th *Throttle, n int, client, account string) {
	t.Helper()
	for i := range n {
		if _, err := th.Begin(client, account); err != nil {
			t.Fatalf("failure %d of %d for %s from %s: %v", i+1, n, account, client, err)
		}
	}
}

func throttled(t *testing.T, err error) *Throttled {
	t.Helper()
	var th *Throttled
	if !errors.As(err, &th) {
		t.Fatalf("Begin error = %v, want *Throttled", err)
	}
	return th
}

func TestThrottleAccountLimit(t *testing.T) {
	th, c := newTestThrottle(100)
	fail(t, th, 3, "192.0.2.1:1000", "agent@example.com")

	// The next attempt from that network, however the address is typed, is
	// refused until a token has refilled: 15 minutes / 3 = 5 minutes.
	_, err := th.Begin("192.0.2.1:2000", "  Agent@Example.COM ")
	got := throttled(t, err)
	if !got.Account || got.RetryAfter != 5*time.Minute {
		t.Errorf("Begin = %+v, want account limit with RetryAfter 5m", got)
	}
	c.advance(5*time.Minute - time.Second)
	if _, err := th.Begin("192.0.2.1:2000", "agent@example.com"); err == nil {
		t.Error("Begin admitted an attempt before a token refilled")
	}
	c.advance(time.Second)
	if _, err := th.Begin("192.0.2.1:2000", "agent@example.com"); err != nil {
		t.Errorf("Begin after the refill: %v", err)
	}
	// Other accounts are not affected.
	if _, err := th.Begin("192.0.2.1:1000", "other@example.com"); err != nil {
		t.Errorf("Begin for another account: %v", err)
	}
}

// TestThrottleOtherNetworkNotLockedOut: whoever knows an address and keeps
// failing with it from one network does not lock its owner out elsewhere.
func TestThrottleOtherNetworkNotLockedOut(t *testing.T) {
	th, c := newTestThrottle(100)
	// One failure every refill, for a simulated day, keeps the attacker's
	// network refused.
	fail(t, th, 3, "203.0.113.9:1", "agent@example.com")
	for i := range 288 {
		c.advance(5 * time.Minute)
		fail(t, th, 1, "203.0.113.9:1", "agent@example.com")
		a, err := th.Begin("[2001:db8:7::1]:443", "agent@example.com")
		if err != nil {
			t.Fatalf("after %d of the attacker's failures the owner's network is refused: %v", i+4, err)
		}
		a.Succeeded()
	}
}

// TestThrottleAccountWideLimit: failures for one address spread over many
// networks reach the address-wide limit, which refuses every network, the
// owner's too, until a token refills.
func TestThrottleAccountWideLimit(t *testing.T) {
	th, c := newTestThrottle(100)
	fail(t, th, 2, "192.0.2.1:1", "agent@example.com")
	fail(t, th, 2, "192.0.2.2:1", "agent@example.com")
	fail(t, th, 2, "192.0.2.3:1", "agent@example.com")
	_, err := th.Begin("198.51.100.4:1", "agent@example.com")
	if got := throttled(t, err); !got.Account || got.RetryAfter != 150*time.Second {
		t.Errorf("Begin = %+v, want account limit with RetryAfter 2m30s", got)
	}
	c.advance(150 * time.Second)
	a, err := th.Begin("198.51.100.4:1", "agent@example.com")
	if err != nil {
		t.Fatalf("Begin after the refill: %v", err)
	}
	// A success clears the address's count.
	a.Succeeded()
	fail(t, th, 2, "192.0.2.5:1", "agent@example.com")
	fail(t, th, 2, "192.0.2.6:1", "agent@example.com")
	fail(t, th, 2, "192.0.2.7:1", "agent@example.com")
	if _, err := th.Begin("192.0.2.8:1", "agent@example.com"); !throttled(t, err).Account {
		t.Error("want the address-wide limit after 6 new failures")
	}
}

func TestThrottleSuccessResetsAccount(t *testing.T) {
	th, _ := newTestThrottle(100)
	fail(t, th, 2, "192.0.2.1:1000", "agent@example.com")
	a, err := th.Begin("192.0.2.1:1000", "agent@example.com")
	if err != nil {
		t.Fatal(err)
	}
	a.Succeeded()
	a.Succeeded() // a second call changes nothing
	fail(t, th, 3, "192.0.2.1:1000", "agent@example.com")
	if _, err := th.Begin("192.0.2.1:1000", "agent@example.com"); !throttled(t, err).Account {
		t.Error("want the account limit after 3 new failures")
	}
}

func TestThrottleCancelCountsNothing(t *testing.T) {
	th, _ := newTestThrottle(100)
	for range 10 {
		a, err := th.Begin("192.0.2.1:1000", "agent@example.com")
		if err != nil {
			t.Fatal(err)
		}
		a.Cancel()
	}
}

func TestThrottleClientLimit(t *testing.T) {
	th, c := newTestThrottle(100)
	for i := range 5 {
		fail(t, th, 1, "192.0.2.1:1000", fmt.Sprintf("guess%d@example.com", i))
	}
	_, err := th.Begin("192.0.2.1:3000", "fresh@example.com")
	if got := throttled(t, err); got.Account || got.RetryAfter != 3*time.Minute {
		t.Errorf("Begin = %+v, want client limit with RetryAfter 3m", got)
	}
	// A success does not count against the client.
	c.advance(3 * time.Minute)
	a, err := th.Begin("192.0.2.1:3000", "fresh@example.com")
	if err != nil {
		t.Fatal(err)
	}
	a.Succeeded()
	if _, err := th.Begin("192.0.2.1:3000", "fresh@example.com"); err != nil {
		t.Errorf("Begin after a success: %v", err)
	}
}

// TestThrottleIPv6Network counts every address of one /64 together.
func TestThrottleIPv6Network(t *testing.T) {
	th, _ := newTestThrottle(100)
	for i := range 5 {
		fail(t, th, 1, fmt.Sprintf("[2001:db8:1:2::%x]:443", i+1), fmt.Sprintf("guess%d@example.com", i))
	}
	if _, err := th.Begin("[2001:db8:1:2:ffff::1]:443", "fresh@example.com"); err == nil {
		t.Error("another address of the same /64 was admitted")
	}
	if _, err := th.Begin("[2001:db8:1:3::1]:443", "fresh@example.com"); err != nil {
		t.Errorf("another /64: %v", err)
	}
}

func TestClientKey(t *testing.T) {
	tests := []struct{ remote, want string }{
		{"192.0.2.1:1234", "192.0.2.1"},
		{"192.0.2.1", "192.0.2.1"},
		{"[::ffff:192.0.2.1]:80", "192.0.2.1"},
		{"[2001:db8::1]:80", "2001:db8::/64"},
		{"[fe80::1%eth0]:80", "fe80::/64"},
		{"@", "@"},
	}
	for _, tt := range tests {
		if got := ClientKey(tt.remote); got != tt.want {
			t.Errorf("ClientKey(%q) = %q, want %q", tt.remote, got, tt.want)
		}
	}
	if got := ClientKey(string(make([]byte, 10000))); len(got) > 64 {
		t.Errorf("ClientKey of 10,000 bytes is %d bytes long", len(got))
	}
}

// TestThrottleBounded tries many networks and accounts: the throttle
// remembers no more than MaxKeys of each, and forgets the least recently
// touched first.
func TestThrottleBounded(t *testing.T) {
	th, _ := newTestThrottle(50)
	fail(t, th, 3, "203.0.113.9:1", "victim@example.com")
	fail(t, th, 3, "203.0.113.10:1", "victim@example.com") // the address-wide limit
	for i := range 10_000 {
		client := fmt.Sprintf("10.%d.%d.%d:9", i>>16&255, i>>8&255, i&255)
		if i%40 == 0 {
			// The account under attack is attempted again and again, so it
			// stays among the most recently touched.
			if _, err := th.Begin(client, "victim@example.com"); err == nil {
				t.Fatal("the attacked account was forgotten")
			}
		}
		fail(t, th, 1, client, fmt.Sprintf("u%d@example.com", i))
		if pairs, accounts, clients := th.Len(); pairs > 50 || accounts > 50 || clients > 50 {
			t.Fatalf("after %d attempts the throttle remembers %d accounts by network, %d accounts and %d clients, want at most 50 each", i+1, pairs, accounts, clients)
		}
	}
}
