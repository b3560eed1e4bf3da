package phone

import (
	"os"
	"testing"
)

func TestAgentEmail(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("testdata/records/inbound_answered_DOC.json")
	if err != nil {
		t.Fatal(err)
	}
	form, err := os.ReadFile("testdata/twilio/inbound_completed_CONSTRUCTED.form")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		payload []byte
		want    string
		ok      bool
	}{
		{"record", doc, "sam@acme.example", true},
		{"domain in capitals", []byte(`{"agent":"Sam@ACME.Example"}`), "Sam@acme.example", true},
		{"no agent", []byte(`{"call_id":"c1"}`), "", false},
		{"not an address", []byte(`{"agent":"Sam"}`), "", false},
		{"a name and address", []byte(`{"agent":"Sam <sam@acme.example>"}`), "", false},
		{"twilio callback", form, "", false},
		{"empty", nil, "", false},
		{"agent of the wrong type", []byte(`{"agent":42}`), "", false},
	} {
		got, ok := AgentEmail(tt.payload)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: AgentEmail = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}
