package wordpress

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/wordpress/wpfake"
)

// reply sends text in answer to comment parent.
func (s *site) reply(parent, text string) (channel.Result, error) {
	return s.adapter.Send(context.Background(), channel.Outbound{Inbox: s.inbox, IdempotencyKey: "parley-message-1",
		Message: care.Message{Text: text, Visibility: care.Public, ReplyToPlatformID: parent}})
}

func TestSend(t *testing.T) {
	t.Parallel()
	s := newSite(t, nil)
	jane := s.visit(wpfake.Visitor{Name: "Jane", Email: "jane@example.com", Text: "Broken link"})
	res, err := s.reply(jane, "Sorry Jane!\nFixed: see <https://acme.test/dl> & retry.")
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	replies := s.fake.Replies()
	if len(replies) != 1 {
		t.Fatalf("replies = %+v", replies)
	}
	r := replies[0]
	if res.PlatformID != itoa(r.ID) || res.Status != care.DeliverySent || itoa(r.ParentID) != jane || r.PostID != s.post ||
		r.UserID != wpfake.DefaultUserID || r.Status != "approved" || r.Content != "Sorry Jane!\nFixed: see &lt;https://acme.test/dl&gt; &amp; retry." {
		t.Errorf("Send = %+v, posted %+v", res, r)
	}
	// The answer to the last inbound message when none is named.
	res, err = s.adapter.Send(context.Background(), channel.Outbound{Inbox: s.inbox,
		Message: care.Message{Text: "One more thing", Visibility: care.Public}, LastInbound: &care.Message{PlatformID: jane}})
	if err != nil || res.PlatformID == "" {
		t.Errorf("Send to the last inbound = %+v, %v", res, err)
	}
}

func TestSendApprovesAHeldComment(t *testing.T) {
	t.Parallel()
	s := newSite(t, nil)
	held := s.visit(wpfake.Visitor{Name: "Sam", Text: "Is this thing on?", Held: true})
	if _, err := s.reply(held, "It is!"); err != nil {
		t.Fatal(err)
	}
	c, _ := s.fake.Get(atoi(held))
	mods := s.fake.Moderations()
	if c.Status != "approved" || len(mods) != 1 || mods[0].Status != "approved" || len(s.fake.Replies()) != 1 {
		t.Errorf("held comment %+v, moderations %+v", c, mods)
	}
}

func TestSendRetryAfterALostAnswerPostsOnce(t *testing.T) {
	t.Parallel()
	s := newSite(t, nil)
	jane := s.visit(wpfake.Visitor{Name: "Jane", Text: "Broken"})
	s.fake.LoseNextReply()
	_, err := s.reply(jane, "Fixed!")
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Fatalf("first attempt = %v, want a temporary error", err)
	}
	res, err := s.reply(jane, "Fixed!")
	replies := s.fake.Replies()
	if err != nil || len(replies) != 1 || res.PlatformID != itoa(replies[0].ID) || res.Status != care.DeliverySent {
		t.Errorf("retry = %+v, %v; replies %+v; want the first comment's id and one comment", res, err, replies)
	}
}

func TestSendRefusals(t *testing.T) {
	t.Parallel()
	s := newSite(t, nil)
	jane := s.visit(wpfake.Visitor{Name: "Jane", Text: "Broken"})
	spam := s.visit(wpfake.Visitor{Name: "Spam", Text: "buy"})
	closedPost := s.fake.AddPost("Old news")
	onClosed := s.visit(wpfake.Visitor{PostID: closedPost, Name: "Lee", Text: "?"})
	s.fake.CloseComments(closedPost)
	if err := s.adapter.Moderate(context.Background(), s.inbox, spam, channel.Delete); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		out       channel.Outbound
		permanent bool
		says      string
		refused   bool // the comment's or post's refusal, not the site's
	}{
		{"private", channel.Outbound{Message: care.Message{Text: "x", Visibility: care.Private, ReplyToPlatformID: jane}}, true, "public", false},
		{"attachment", channel.Outbound{Message: care.Message{Text: "x", Visibility: care.Public, ReplyToPlatformID: jane, Attachments: []care.Attachment{{Kind: "image"}}}}, true, "attach", false},
		{"empty", channel.Outbound{Message: care.Message{Text: " \n", Visibility: care.Public, ReplyToPlatformID: jane}}, true, "empty", false},
		{"no comment", channel.Outbound{Message: care.Message{Text: "x", Visibility: care.Public}}, true, "answers no WordPress comment", false},
		{"gone", channel.Outbound{Message: care.Message{Text: "x", Visibility: care.Public, ReplyToPlatformID: "99999"}}, true, "no longer exists", true},
		{"trashed", channel.Outbound{Message: care.Message{Text: "x", Visibility: care.Public, ReplyToPlatformID: spam}}, true, "trash", true},
		{"closed", channel.Outbound{Message: care.Message{Text: "x", Visibility: care.Public, ReplyToPlatformID: onClosed}}, true, "comments are closed", true},
		{"too long", channel.Outbound{Message: care.Message{Text: strings.Repeat("<", MaxCommentBytes/4+1), Visibility: care.Public, ReplyToPlatformID: jane}}, true, "longer", false},
	}
	for _, tt := range tests {
		tt.out.Inbox = s.inbox
		_, err := s.adapter.Send(context.Background(), tt.out)
		var se *channel.SendError
		if !errors.As(err, &se) || se.Permanent != tt.permanent || !strings.Contains(se.Reason, tt.says) || se.Refused != tt.refused {
			t.Errorf("%s: Send = %v, want a SendError (permanent %v, refused %v) saying %q", tt.name, err, tt.permanent, tt.refused, tt.says)
		}
	}
	if n := len(s.fake.Replies()); n != 0 {
		t.Errorf("%d replies posted", n)
	}
	s.fake.FailNext(2, 503, 0)
	_, err := s.reply(jane, "later")
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Errorf("Send to a failing site = %v, want temporary", err)
	}
}

func TestCheckReply(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	ok := channel.ReplyCheck{Inbox: testInbox(), Text: "Thanks!", Visibility: care.Public}
	if err := a.CheckReply(ok); err != nil {
		t.Errorf("CheckReply(ok) = %v", err)
	}
	edge := ok
	edge.Text = strings.Repeat("a", MaxCommentBytes)
	if err := a.CheckReply(edge); err != nil {
		t.Errorf("CheckReply(at the limit) = %v", err)
	}
	for _, tt := range []struct {
		mod  func(c *channel.ReplyCheck)
		says string
	}{
		{func(c *channel.ReplyCheck) { c.Visibility = care.Private }, "public"},
		{func(c *channel.ReplyCheck) { c.Attachments = []care.Attachment{{Kind: "file"}} }, "attach"},
		{func(c *channel.ReplyCheck) { c.Text = "  " }, "empty"},
		{func(c *channel.ReplyCheck) { c.Text = strings.Repeat("&", MaxCommentBytes/5+1) }, "up to 65525 bytes"},
	} {
		c := ok
		tt.mod(&c)
		if err := a.CheckReply(c); care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.says) {
			t.Errorf("CheckReply = %v, want EINVALID saying %q", err, tt.says)
		}
	}
}
