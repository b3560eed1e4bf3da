package whatsapp

import (
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// ServiceWindow is how long after a customer's message a business may send
// them anything but a template: "When a user messages you, a 24-hour timer
// called a customer service window starts or refreshes. … Template messages
// can be sent at any time" (".../whatsapp/messages/send-messages"; outside
// it the Cloud API answers error 131047).
const ServiceWindow = 24 * time.Hour

// CheckReply refuses, with EINVALID and what to do instead, a reply
// WhatsApp would refuse: a public one (WhatsApp has no public replies), one
// that is not a single WhatsApp message (see compose), and a free-form
// message more than 24 hours after the customer's last message, measured
// from WhatsApp's own timestamp of that message.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	if c.Visibility == care.Public {
		return care.Errorf(care.EINVALID, "WhatsApp messages are private: reply privately.")
	}
	req, err := compose(c.Text, c.Attachments)
	if err != nil {
		return err
	}
	if req.Type == "template" {
		return nil
	}
	if c.LastInbound == nil {
		return care.Errorf(care.EINVALID, "The customer has not written to this WhatsApp number in this conversation; send an approved template.")
	}
	last := c.LastInbound.SentAt
	if last.IsZero() {
		last = c.LastInbound.CreatedAt
	}
	now := c.Now
	if now.IsZero() {
		now = a.now()
	}
	if closed := last.Add(ServiceWindow); !now.Before(closed) {
		return care.Errorf(care.EINVALID, "The 24-hour window closed at %s; send an approved template.", closed.UTC().Format("2 Jan 2006 15:04 MST"))
	}
	return nil
}
