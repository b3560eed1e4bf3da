package phone

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

// valid is a minimal valid record, which each case of TestDecodeRecord
// changes in one place.
func valid() map[string]any {
	return map[string]any{"call_id": "c1", "direction": "inbound", "from": "+14155550123",
		"started_at": "2026-11-24T10:00:00Z", "outcome": "answered"}
}

func TestDecodeRecord(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		edit func(r map[string]any)
		code string // "" for a valid record
		msg  string // part of the message
	}{
		{"minimal", func(map[string]any) {}, "", ""},
		{"formatted number", func(r map[string]any) { r["from"] = "+1 (415) 555-0123" }, "", ""},
		{"withheld inbound caller", func(r map[string]any) { r["from"] = "Anonymous" }, "", ""},
		{"no caller at all", func(r map[string]any) { delete(r, "from") }, "", ""},
		{"all fields", func(r map[string]any) {
			r["to"], r["caller_name"], r["answered_at"], r["ended_at"] = "+14155550100", "Ana", "2026-11-24T10:00:05Z", "2026-11-24T10:04:00Z"
			r["duration_seconds"], r["recording_url"], r["agent"], r["agent_notes"], r["queue"] = 235, "https://x.example/r.mp3", "sam@acme.example", "ok", "Billing"
		}, "", ""},
		{"voicemail with transcript", func(r map[string]any) { r["outcome"], r["voicemail_transcript"] = "voicemail", "Call me" }, "", ""},
		{"outbound", func(r map[string]any) {
			r["direction"], r["from"], r["to"] = "outbound", "+14155550100", "+14155550123"
		}, "", ""},

		{"no call_id", func(r map[string]any) { delete(r, "call_id") }, care.EINVALID, "call_id is required"},
		{"blank call_id", func(r map[string]any) { r["call_id"] = "  " }, care.EINVALID, "call_id is required"},
		{"long call_id", func(r map[string]any) { r["call_id"] = strings.Repeat("x", 201) }, care.EINVALID, "call_id must be"},
		{"call_id with a newline", func(r map[string]any) { r["call_id"] = "a\nb" }, care.EINVALID, "call_id must be"},
		{"numeric call_id", func(r map[string]any) { r["call_id"] = 42 }, care.EINVALID, "call_id has the wrong type"},
		{"no direction", func(r map[string]any) { delete(r, "direction") }, care.EINVALID, "direction"},
		{"unknown direction", func(r map[string]any) { r["direction"] = "sideways" }, care.EINVALID, "direction"},
		{"unknown outcome", func(r map[string]any) { r["outcome"] = "completed" }, care.EINVALID, "outcome"},
		{"national number", func(r map[string]any) { r["from"] = "4155550123" }, care.EINVALID, "from must be the customer's number"},
		{"number too long", func(r map[string]any) { r["from"] = "+1234567890123456" }, care.EINVALID, "from must be"},
		{"number with letters", func(r map[string]any) { r["from"] = "+1415CALLNOW" }, care.EINVALID, "from must be"},
		{"outbound to nobody", func(r map[string]any) { r["direction"] = "outbound" }, care.EINVALID, "to must be the customer's number"},
		{"outbound to withheld", func(r map[string]any) { r["direction"], r["to"] = "outbound", "anonymous" }, care.EINVALID, "to must be the customer's number"},
		{"bad brand number", func(r map[string]any) { r["to"] = "ext. 12" }, care.EINVALID, "to must be a number"},
		{"no started_at", func(r map[string]any) { delete(r, "started_at") }, care.EINVALID, "started_at is required"},
		{"started_at not RFC 3339", func(r map[string]any) { r["started_at"] = "24/11/2026 10:00" }, care.EINVALID, "RFC 3339"},
		{"started_at next week", func(r map[string]any) { r["started_at"] = "2026-12-01T10:00:00Z" }, care.EINVALID, "plausible"},
		{"started_at in 1970", func(r map[string]any) { r["started_at"] = "1970-01-01T00:00:00Z" }, care.EINVALID, "plausible"},
		{"answered before started", func(r map[string]any) { r["answered_at"] = "2026-11-24T09:59:00Z" }, care.EINVALID, "answered_at"},
		{"ended before answered", func(r map[string]any) {
			r["answered_at"], r["ended_at"] = "2026-11-24T10:00:10Z", "2026-11-24T10:00:05Z"
		}, care.EINVALID, "ended_at"},
		{"negative duration", func(r map[string]any) { r["duration_seconds"] = -1 }, care.EINVALID, "duration_seconds"},
		{"duration in milliseconds", func(r map[string]any) { r["duration_seconds"] = 252000000 }, care.EINVALID, "duration_seconds"},
		{"fractional duration", func(r map[string]any) { r["duration_seconds"] = 1.5 }, care.EINVALID, "duration_seconds has the wrong type"},
		{"http recording", func(r map[string]any) { r["recording_url"] = "http://x.example/r.mp3" }, care.EINVALID, "recording_url must be an https URL"},
		{"javascript recording", func(r map[string]any) { r["recording_url"] = "javascript:alert(1)" }, care.EINVALID, "recording_url"},
		{"recording with credentials", func(r map[string]any) { r["recording_url"] = "https://u:p@x.example/r.mp3" }, care.EINVALID, "recording_url"},
		{"transcript without voicemail", func(r map[string]any) { r["voicemail_transcript"] = "hi" }, care.EINVALID, "voicemail_transcript needs"},
		{"agent not an address", func(r map[string]any) { r["agent"] = "Sam" }, care.EINVALID, "agent must be"},
		{"agent with a display name", func(r map[string]any) { r["agent"] = "Sam <sam@acme.example>" }, care.EINVALID, "agent must be"},
		{"notes too long", func(r map[string]any) { r["agent_notes"] = strings.Repeat("n", maxNotesBytes+1) }, care.EINVALID, "agent_notes is longer"},
		{"queue too long", func(r map[string]any) { r["queue"] = strings.Repeat("q", maxQueueBytes+1) }, care.EINVALID, "queue is longer"},
		{"caller name too long", func(r map[string]any) { r["caller_name"] = strings.Repeat("n", care.MaxNameBytes+1) }, care.EINVALID, "caller_name is longer"},
		{"unknown field", func(r map[string]any) { r["duration"] = 5 }, care.EINVALID, "unknown field \"duration\""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := valid()
			tt.edit(r)
			body, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			_, err = DecodeRecord(body, testNow)
			if got := care.ErrorCode(err); got != tt.code {
				t.Fatalf("DecodeRecord(%s) = %v, want code %q", body, err, tt.code)
			}
			if msg := care.ErrorMessage(err); err != nil && !strings.Contains(msg, tt.msg) {
				t.Errorf("DecodeRecord(%s) message %q, want it to contain %q", body, msg, tt.msg)
			}
		})
	}
}

func TestDecodeRecordBody(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, body, code string
	}{
		{"empty", ``, care.EINVALID},
		{"not JSON", `call_id=c1`, care.EINVALID},
		{"array", `[{"call_id":"c1"}]`, care.EINVALID},
		{"two objects", `{"call_id":"c1","direction":"inbound","started_at":"2026-11-24T10:00:00Z","outcome":"missed"} {}`, care.EINVALID},
		{"too large", `{"agent_notes":"` + strings.Repeat("x", MaxRecordBytes) + `"}`, care.ETOOLARGE},
	} {
		if _, err := DecodeRecord([]byte(tt.body), testNow); care.ErrorCode(err) != tt.code {
			t.Errorf("%s: DecodeRecord = %v, want %s", tt.name, err, tt.code)
		}
	}
}

// TestDecodeRecordCleans: text fields lose control characters, names
// their line breaks.
func TestDecodeRecordCleans(t *testing.T) {
	t.Parallel()
	r := valid()
	r["caller_name"], r["agent_notes"], r["queue"] = "Ana\n  Silva\x00", "line one\r\nline two\x1b[31m", " Billing\t\n"
	body, _ := json.Marshal(r)
	_, c, err := decode(body, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if c.callerName != "Ana Silva" || c.notes != "line one\nline two[31m" || c.queue != "Billing" {
		t.Errorf("cleaned to name %q, notes %q, queue %q", c.callerName, c.notes, c.queue)
	}
}
