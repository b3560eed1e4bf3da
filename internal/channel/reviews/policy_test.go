package reviews

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestCheckReply(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	review := &care.Message{Direction: care.DirectionIn, Visibility: care.Public, PlatformID: testLocation + "/reviews/AbFvOqm"}
	ok := func() channel.ReplyCheck {
		return channel.ReplyCheck{Inbox: testInbox(), Text: "Thank you!", Visibility: care.Public, ReplyTo: review, LastInbound: review}
	}
	for _, tc := range []struct {
		name   string
		change func(*channel.ReplyCheck)
		says   string // "" when allowed
	}{
		{"public reply", func(*channel.ReplyCheck) {}, ""},
		{"exactly 4096 bytes", func(c *channel.ReplyCheck) { c.Text = strings.Repeat("€", 1365) + "a" }, ""},
		{"answers an edit", func(c *channel.ReplyCheck) {
			c.ReplyTo = &care.Message{PlatformID: review.PlatformID + "@2026-11-24T10:00:00Z"}
		}, ""},
		{"the newest message by default", func(c *channel.ReplyCheck) { c.ReplyTo = nil }, ""},
		{"note", func(c *channel.ReplyCheck) { c.Visibility = care.Note; c.Text = "" }, ""},
		{"private", func(c *channel.ReplyCheck) { c.Visibility = care.Private }, "cannot be answered privately"},
		{"too long", func(c *channel.ReplyCheck) { c.Text = strings.Repeat("€", 1366) }, "4096 bytes; this one has 4098"},
		{"attachments", func(c *channel.ReplyCheck) { c.Attachments = []care.Attachment{{Kind: "image"}} }, "text only"},
		{"empty", func(c *channel.ReplyCheck) { c.Text = "  " }, "empty"},
		{"nothing to answer", func(c *channel.ReplyCheck) { c.ReplyTo, c.LastInbound = nil, nil }, "no review"},
		{"not a review", func(c *channel.ReplyCheck) { c.ReplyTo = &care.Message{PlatformID: "t1_abc"} }, "Only a review"},
		{"bad inbox", func(c *channel.ReplyCheck) { c.Inbox.ExternalID = "" }, "external_id"},
	} {
		c := ok()
		tc.change(&c)
		err := a.CheckReply(c)
		switch {
		case tc.says == "" && err != nil:
			t.Errorf("%s: CheckReply = %v, want nil", tc.name, err)
		case tc.says != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tc.says)):
			t.Errorf("%s: CheckReply = %v, want EINVALID saying %q", tc.name, err, tc.says)
		}
	}
}
