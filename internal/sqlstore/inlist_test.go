package sqlstore

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInList(t *testing.T) {
	tests := []struct {
		name     string
		values   []int
		wantArgs []any
		wantSQL  string
	}{
		{"one", []int{7}, []any{"x", 7}, "?"},
		{"a power of two", []int{1, 2}, []any{"x", 1, 2}, "?, ?"},
		{"padded with the last", []int{1, 2, 3}, []any{"x", 1, 2, 3, 3}, "?, ?, ?, ?"},
		{"five to eight", []int{1, 2, 3, 4, 5}, []any{"x", 1, 2, 3, 4, 5, 5, 5, 5}, "?, ?, ?, ?, ?, ?, ?, ?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args, sql := inList([]any{"x"}, tt.values)
			if d := cmp.Diff(tt.wantArgs, args); d != "" {
				t.Errorf("inList(%v) args (-want +got):\n%s", tt.values, d)
			}
			if sql != tt.wantSQL {
				t.Errorf("inList(%v) = %q, want %q", tt.values, sql, tt.wantSQL)
			}
		})
	}
}
