package testlog

import (
	"slices"
	"testing"
)

func TestWarnings(t *testing.T) {
	log, got := Warnings()
	log.Info("not kept")
	log.Warn("kept")
	log.With("k", "v").WithGroup("g").Error("kept too")
	if want := []string{"kept", "kept too"}; !slices.Equal(got(), want) {
		t.Errorf("warnings = %q, want %q", got(), want)
	}
}
