package sms

import (
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body, optOutType string
		want             keyword
	}{
		{"STOP", "", optOut}, {"stop", "", optOut}, {" Stop\n", "", optOut}, {"STOPALL", "", optOut},
		{"UNSUBSCRIBE", "", optOut}, {"cancel", "", optOut}, {"End", "", optOut}, {"QUIT", "", optOut},
		{"REVOKE", "", optOut}, {"optout", "", optOut},
		{"START", "", optIn}, {"yes", "", optIn}, {"Unstop", "", optIn},
		{"HELP", "", helpKeyword}, {"info", "", helpKeyword},
		// Only the whole message is a keyword.
		{"STOP PLEASE", "", noKeyword}, {"please cancel", "", noKeyword}, {"stop.", "", noKeyword},
		{"OPT-OUT", "", noKeyword}, {"", "", noKeyword}, {"Hi", "", noKeyword},
		{"UNSUBSCRIBEME", "", noKeyword},
		// Advanced Opt-Out's verdict wins: custom and translated keywords.
		{"ALTO", "STOP", optOut}, {"stop", "START", optIn}, {"AYUDA", "help", helpKeyword},
		{"hello", "OTHER", noKeyword},
	}
	for _, tt := range tests {
		if got := classify(tt.body, tt.optOutType); got != tt.want {
			t.Errorf("classify(%q, %q) = %d, want %d", tt.body, tt.optOutType, got, tt.want)
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
	}
	for _, tt := range tests {
		if got := optedOut(tt.last); got != tt.want {
			t.Errorf("%s: optedOut = %v, want %v", tt.name, got, tt.want)
		}
	}
}
