package sms

import (
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body, optOutType string
		whatsApp         bool
		want             keyword
	}{
		{"STOP", "", false, optOut}, {"stop", "", false, optOut}, {" Stop\n", "", false, optOut}, {"STOPALL", "", false, optOut},
		{"UNSUBSCRIBE", "", false, optOut}, {"cancel", "", false, optOut}, {"End", "", false, optOut}, {"QUIT", "", false, optOut},
		{"REVOKE", "", false, optOut}, {"optout", "", false, optOut},
		{"START", "", false, optIn}, {"yes", "", false, optIn}, {"Unstop", "", false, optIn},
		{"HELP", "", false, helpKeyword}, {"info", "", false, helpKeyword},
		// Only the whole message is a keyword.
		{"STOP PLEASE", "", false, noKeyword}, {"please cancel", "", false, noKeyword}, {"stop.", "", false, noKeyword},
		{"OPT-OUT", "", false, noKeyword}, {"", "", false, noKeyword}, {"Hi", "", false, noKeyword},
		{"UNSUBSCRIBEME", "", false, noKeyword},
		// Advanced Opt-Out's verdict wins: custom and translated keywords.
		{"ALTO", "STOP", false, optOut}, {"stop", "START", false, optIn}, {"AYUDA", "help", false, helpKeyword},
		{"hello", "OTHER", false, noKeyword},
		// WhatsApp senders: Twilio's default keywords are SMS only, and
		// only Advanced Opt-Out's verdict counts.
		{"STOP", "", true, noKeyword}, {"START", "", true, noKeyword}, {"HELP", "", true, noKeyword},
		{"STOP", "STOP", true, optOut}, {"start", "START", true, optIn}, {"help", "HELP", true, helpKeyword},
		{"ALTO", "STOP", true, optOut},
	}
	for _, tt := range tests {
		if got := classify(tt.body, tt.optOutType, tt.whatsApp); got != tt.want {
			t.Errorf("classify(%q, %q, WhatsApp %v) = %d, want %d", tt.body, tt.optOutType, tt.whatsApp, got, tt.want)
		}
	}
}

func TestOptedOut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		last *care.Message
		want bool
	}{
		{"no message", nil, false},
		{"an ordinary message", &care.Message{Text: "thanks"}, false},
		{"STOP with the note", &care.Message{Text: "STOP\n\n" + optOutNote}, true},
		{"a custom keyword with the note", &care.Message{Text: "ALTO\n\n" + optOutNote}, true},
		{"a bare STOP", &care.Message{Text: "stop"}, true},
		{"START with its note", &care.Message{Text: "START\n\n" + optInNote}, false},
		{"HELP", &care.Message{Text: "HELP"}, false},
		{"a WhatsApp STOP Twilio did not act on", &care.Message{Text: "STOP\n\n" + whatsAppKeywordNote}, false},
	}
	for _, tt := range tests {
		if got := optedOut(tt.last); got != tt.want {
			t.Errorf("%s: optedOut = %v, want %v", tt.name, got, tt.want)
		}
	}
}
