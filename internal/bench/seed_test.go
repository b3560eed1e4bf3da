package bench

import "testing"

func TestValuesSQL(t *testing.T) {
	tests := []struct {
		name       string
		rows, cols int
		numbered   bool
		want       string
	}{
		{"one by one", 1, 1, false, "(?)"},
		{"rows and columns", 2, 3, false, "(?, ?, ?), (?, ?, ?)"},
		{"numbered", 2, 2, true, "($1, $2), ($3, $4)"},
		{"numbered past nine", 1, 11, true, "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := valuesSQL(tt.rows, tt.cols, tt.numbered); got != tt.want {
				t.Errorf("valuesSQL(%d, %d, %v) = %q, want %q", tt.rows, tt.cols, tt.numbered, got, tt.want)
			}
		})
	}
}
