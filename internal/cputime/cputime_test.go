//go:build unix

package cputime

import (
	"testing"
	"time"
)

func TestProcessGrowsWithWork(t *testing.T) {
	before, ok := Process()
	if !ok {
		t.Fatal("Process() not measured on a unix system")
	}
	// Spin until the clock moves: rusage counts in ticks, so a fixed amount
	// of work could read as none.
	x := 0
	for deadline := time.Now().Add(10 * time.Second); ; {
		for i := range 1_000_000 {
			x += i ^ x
		}
		if after, _ := Process(); after > before {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Process() still %v after 10 s of work", before)
		}
	}
	_ = x
}
