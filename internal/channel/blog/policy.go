package blog

import (
	"context"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// NoReplies is why a blog inbox sends nothing: the open web has no API to
// answer a feed. A blog's comment form is a web page behind its own
// login, captcha and spam filter, which Parley does not drive.
const NoReplies = "Answer on the blog itself; mark the conversation resolved here."

// CheckReply refuses every reply with EINVALID, saying where to answer
// instead: on the blog, at the post's address when the message answered
// has one.
func (a *Adapter) CheckReply(c channel.ReplyCheck) error {
	if c.ReplyTo != nil {
		for _, at := range c.ReplyTo.Attachments {
			if at.Kind == "link" && at.URL != "" {
				return care.Errorf(care.EINVALID, "Blogs cannot be answered from Parley. Answer on the blog itself (%s); mark the conversation resolved here.", at.URL)
			}
		}
	}
	return care.Errorf(care.EINVALID, "Blogs cannot be answered from Parley. %s", NoReplies)
}

// Send delivers nothing: it returns a permanent *channel.SendError whose
// reason is NoReplies. CheckReply keeps replies from being queued; a reply
// queued all the same (by automation, say) fails for good, saying why.
func (a *Adapter) Send(context.Context, channel.Outbound) (channel.Result, error) {
	return channel.Result{}, channel.Permanent(NoReplies, nil)
}
