package phone

import "encoding/json"

// AgentEmail returns the agent of a call, as the email address its record
// names, from the raw payload of one of the call's events
// (care.RawEvent.Payload): the core assigns the conversation to the
// workspace member with that address, so the customer's follow-up reaches
// whoever spoke with them. ok is false when the payload is not a record in
// Parley's format (Twilio's callbacks name no agent) or names no valid
// address. The payload was verified when it arrived; this only reads it.
func AgentEmail(payload []byte) (addr string, ok bool) {
	if len(payload) > MaxRecordBytes || len(payload) == 0 || payload[0] != '{' {
		return "", false
	}
	var r struct {
		Agent string `json:"agent"`
	}
	if json.Unmarshal(payload, &r) != nil || r.Agent == "" {
		return "", false
	}
	return email(r.Agent)
}
