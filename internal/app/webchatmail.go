package app

import (
	"context"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/email"
	"github.com/parleyhq/parley/internal/channel/webchat"
)

// webChatMail emails web chat replies through the email channel's SMTP
// submission, with the SMTP settings of the web chat inbox.
type webChatMail struct{ smtp *email.Adapter }

func (m webChatMail) Mail(ctx context.Context, in care.Inbox, e webchat.Email) error {
	_, err := m.smtp.SubmitNotice(ctx, in, email.Notice{To: e.To, ToName: e.ToName, Subject: e.Subject, Text: e.Text, Key: e.Key})
	return err
}
