package app

import (
	"context"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/email"
	"github.com/parleyhq/parley/internal/channel/webchat"
)

// noticeSubmitter sends a notice through an inbox's SMTP settings (see
// email.Adapter.SubmitNotice).
type noticeSubmitter interface {
	SubmitNotice(ctx context.Context, in care.Inbox, n email.Notice) (string, error)
}

// webChatMail emails web chat replies through the email channel's SMTP
// submission, with the SMTP settings of the web chat inbox.
type webChatMail struct{ smtp noticeSubmitter }

// newWebChatMail takes the email channel's adapter from the registry, so
// web chat's notices go through the same SMTP code (and client settings)
// as email replies do.
func newWebChatMail(adapters *channel.Registry) webChatMail {
	if s, ok := adapters.Sender(care.ChannelEmail); ok {
		if n, ok := s.(noticeSubmitter); ok {
			return webChatMail{smtp: n}
		}
	}
	return webChatMail{smtp: &email.Adapter{}}
}

func (m webChatMail) Mail(ctx context.Context, in care.Inbox, e webchat.Email) error {
	_, err := m.smtp.SubmitNotice(ctx, in, email.Notice{To: e.To, ToName: e.ToName, Subject: e.Subject, Text: e.Text, Key: e.Key})
	return err
}
