package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
)

// cutMedia serves every file as a few bytes and then a read error: a
// platform's file refused midway as too large, or broken off.
type cutMedia struct{ *whatsapp.Adapter }

func (cutMedia) FetchMedia(context.Context, care.Inbox, string) (*channel.Media, error) {
	body := io.MultiReader(strings.NewReader("the first bytes"), brokenReader{})
	return &channel.Media{Body: io.NopCloser(body), MimeType: "image/jpeg"}, nil
}

type brokenReader struct{}

func (brokenReader) Read([]byte) (int, error) {
	return 0, care.Errorf(care.ETOOLARGE, "The file is larger than 64 MB.")
}

// A platform's file that breaks off is never handed to the agent as if
// whole: the response is cut rather than ended.
func TestPlatformMediaCutShort(t *testing.T) {
	f := newFixture(t)
	reg := &channel.Registry{}
	reg.Register(care.ChannelWhatsApp, cutMedia{&whatsapp.Adapter{}})
	f.h.Desk.Adapters = reg
	in := &care.Inbox{WorkspaceID: f.ws.ID, Channel: care.ChannelWhatsApp, Name: "WA", ExternalID: "1"}
	if err := f.store.CreateInbox(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	conv := f.conversationOn(in, "Sheena", care.Private, "wamid.1", "a video")
	m := &care.Message{WorkspaceID: f.ws.ID, ConversationID: conv.ID, InboxID: in.ID, Direction: care.DirectionIn, Visibility: care.Private,
		ContactID: conv.ContactID, PlatformID: "wamid.2", Status: care.DeliveryReceived, CreatedAt: f.now, SentAt: f.now,
		Attachments: []care.Attachment{{Kind: "video", URL: whatsapp.MediaScheme + "4242", MimeType: "video/mp4"}}}
	if err := f.store.CreateMessage(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	c := f.login()
	req, err := http.NewRequest("GET", c.base+convPath(conv, "/media/"+itoa(m.ID)+"/0"), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.c.Do(req)
	if err == nil {
		var got []byte
		got, err = io.ReadAll(res.Body)
		res.Body.Close()
		if err == nil {
			t.Errorf("GET = %d %q, ended as if whole; want the response cut", res.StatusCode, got)
		}
	}
}
