package app

import (
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/email"
)

func TestWebChatMailUsesTheEmailChannel(t *testing.T) {
	reg := Adapters("https://parley.example", nil)
	registered, _ := reg.Sender(care.ChannelEmail)
	if m := newWebChatMail(reg); any(m.smtp) != any(registered) {
		t.Errorf("web chat mails through %T %p, want the registered email adapter %p", m.smtp, m.smtp, registered)
	}
	// Without an email channel (a registry built for a test), a plain
	// SMTP client still sends.
	if m := newWebChatMail(&channel.Registry{}); m.smtp == nil {
		t.Error("no SMTP client without an email channel")
	} else if _, ok := m.smtp.(*email.Adapter); !ok {
		t.Errorf("fallback is %T, want *email.Adapter", m.smtp)
	}
}
