package phone

import (
	"strconv"
	"strings"
	"time"
)

// summary is the text of a call's message: what happened, in one line an
// agent reads at a glance, then the agent's notes:
//
//	Inbound call, answered, 4 min 12 s. Queue: Billing. Agent: sam@acme.example.
//
//	Notes: Refund approved, sent the label by email.
func summary(c call) string {
	var b strings.Builder
	if c.direction == Inbound {
		b.WriteString("Inbound call")
	} else {
		b.WriteString("Outbound call")
	}
	if c.direction == Inbound && c.customer == "" {
		b.WriteString(" from a withheld number")
	}
	b.WriteString(", ")
	b.WriteString(string(c.outcome))
	if c.durationOK && (c.outcome == Answered || c.outcome == Voicemail) {
		b.WriteString(", ")
		b.WriteString(formatDuration(c.duration))
	}
	b.WriteString(".")
	if c.queue != "" {
		b.WriteString(" Queue: ")
		b.WriteString(c.queue)
		b.WriteString(".")
	}
	if c.agent != "" {
		b.WriteString(" Agent: ")
		b.WriteString(c.agent)
		b.WriteString(".")
	}
	if c.notes != "" {
		b.WriteString("\n\nNotes: ")
		b.WriteString(c.notes)
	}
	return b.String()
}

// formatDuration writes d as people say it: "38 s", "4 min 12 s",
// "1 h 2 min", "0 s".
func formatDuration(d time.Duration) string {
	secs := int64(d / time.Second)
	if secs <= 0 {
		return "0 s"
	}
	h, m, s := secs/3600, secs/60%60, secs%60
	var parts []string
	if h > 0 {
		parts = append(parts, strconv.FormatInt(h, 10)+" h")
	}
	if m > 0 {
		parts = append(parts, strconv.FormatInt(m, 10)+" min")
	}
	if s > 0 {
		parts = append(parts, strconv.FormatInt(s, 10)+" s")
	}
	return strings.Join(parts, " ")
}
