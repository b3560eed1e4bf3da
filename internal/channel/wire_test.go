package channel

import (
	"encoding/json"
	"testing"
)

func TestLooseID(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"1234"`, "1234"}, {`1234`, "1234"}, {`12345678901234567890`, "12345678901234567890"},
		{`null`, ""}, {`{}`, ""}, {`true`, ""}, {`"a\u00e9"`, "aé"},
	}
	for _, tt := range tests {
		var v struct{ ID LooseID }
		if err := json.Unmarshal([]byte(`{"ID":`+tt.in+`}`), &v); err != nil || string(v.ID) != tt.want {
			t.Errorf("LooseID from %s = %q, %v; want %q", tt.in, v.ID, err, tt.want)
		}
	}
}
