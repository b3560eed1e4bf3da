package sqlstore

import (
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestCursorRoundTrip(t *testing.T) {
	tests := []struct {
		sort care.Sort
		key  float64
		id   care.ID
	}{
		{care.SortNewest, 1795485435123456, 42},
		{care.SortPriority, 73.25, 7},
		{care.SortPriority, -1.5, 1},
		{care.SortWaiting, float64(noWait), 9},
	}
	for _, tt := range tests {
		c, err := decodeCursor(tt.sort, encodeCursor(tt.sort, tt.key, tt.id))
		if err != nil || c.key != tt.key || c.id != tt.id {
			t.Errorf("round trip %v/%v/%v = %+v, %v", tt.sort, tt.key, tt.id, c, err)
		}
	}
	// A cursor of one sort is not accepted by another.
	if _, err := decodeCursor(care.SortPriority, encodeCursor(care.SortNewest, 1, 1)); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("cross-sort cursor accepted: %v", err)
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add("bmV3ZXN0fDE3OTU0ODU0MzUxMjM0NTZ8NDI")
	f.Add(encodeCursor(care.SortPriority, 3.5, 2))
	f.Add("")
	f.Add("!!!")
	f.Fuzz(func(t *testing.T, s string) {
		for _, sort := range []care.Sort{care.SortNewest, care.SortPriority, care.SortWaiting} {
			c, err := decodeCursor(sort, s)
			if err != nil {
				if care.ErrorCode(err) != care.EINVALID {
					t.Fatalf("decodeCursor error is not EINVALID: %v", err)
				}
				continue
			}
			if c.key != c.key { // NaN must never be accepted: it breaks ordering
				t.Fatalf("decodeCursor accepted NaN from %q", s)
			}
		}
	})
}
