package webchat

import (
	"context"
	"errors"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestSend(t *testing.T) {
	visitor := care.Identity{ID: 1, Platform: care.ChannelWebChat, PlatformUserID: VisitorUserID(testVisitor)}
	out := func(vis care.Visibility, atts []care.Attachment, ids ...care.Identity) channel.Outbound {
		return channel.Outbound{Inbox: care.Inbox{ID: 3, Channel: care.ChannelWebChat},
			Message: care.Message{ID: 77, Visibility: vis, Text: "Hello", Attachments: atts},
			Contact: care.Contact{ID: 5, Identities: ids}, IdempotencyKey: "parley-message-77"}
	}
	tests := []struct {
		name      string
		out       channel.Outbound
		permanent bool
	}{
		{"a reply to a visitor", out(care.Private, nil, visitor), false},
		{"public", out(care.Public, nil, visitor), true},
		{"with an attachment", out(care.Private, []care.Attachment{{Kind: "image", URL: "https://x/a.png"}}, visitor), true},
		{"no web chat identity", out(care.Private, nil, care.Identity{Platform: care.ChannelEmail, PlatformUserID: "ana@example.com"}), true},
		{"a web chat identity that is no visitor", out(care.Private, nil, care.Identity{Platform: care.ChannelWebChat, PlatformUserID: "ana"}), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := (&Adapter{}).Send(context.Background(), tt.out)
			var se *channel.SendError
			if tt.permanent {
				if !errors.As(err, &se) || !se.Permanent {
					t.Fatalf("Send = %+v, %v; want a permanent SendError", res, err)
				}
				return
			}
			if err != nil || res != (channel.Result{PlatformID: "out:77", Status: care.DeliverySent}) {
				t.Fatalf("Send = %+v, %v; want sent as out:77", res, err)
			}
			// A retry confirms the same way: nothing is sent twice.
			if again, err := (&Adapter{}).Send(context.Background(), tt.out); err != nil || again != res {
				t.Errorf("second Send = %+v, %v", again, err)
			}
		})
	}
}

func TestCheckReply(t *testing.T) {
	big := make([]byte, care.MaxTextBytes+1)
	for i := range big {
		big[i] = 'a'
	}
	tests := []struct {
		name string
		c    channel.ReplyCheck
		ok   bool
	}{
		{"private text", channel.ReplyCheck{Visibility: care.Private, Text: "Hi"}, true},
		{"public", channel.ReplyCheck{Visibility: care.Public, Text: "Hi"}, false},
		{"attachment", channel.ReplyCheck{Visibility: care.Private, Text: "Hi", Attachments: []care.Attachment{{Kind: "file"}}}, false},
		{"blank", channel.ReplyCheck{Visibility: care.Private, Text: " \n"}, false},
		{"too long", channel.ReplyCheck{Visibility: care.Private, Text: string(big)}, false},
	}
	for _, tt := range tests {
		err := (&Adapter{}).CheckReply(tt.c)
		if (err == nil) != tt.ok || (err != nil && care.ErrorCode(err) != care.EINVALID) {
			t.Errorf("CheckReply(%s) = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
