package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
)

// A customer's Messenger photo opens through Parley, from the fake CDN on
// 127.0.0.1, not as a link to Meta's CDN; once Meta lets the link expire,
// the agent is told so.
func TestMetaMedia(t *testing.T) {
	f := newFixture(t)
	fake := metafake.New("app-secret")
	fake.AddPage("1001", "page-token")
	srv := httptest.NewServer(fake.Handler())
	defer srv.Close()
	fake.CDNBase = srv.URL
	reg := &channel.Registry{}
	reg.Register(care.ChannelFacebook, &meta.Messenger{Client: srv.Client()})
	f.h.Desk.Adapters = reg
	in := &care.Inbox{WorkspaceID: f.ws.ID, Channel: care.ChannelFacebook, Name: "Acme Page", ExternalID: "1001",
		Credentials: map[string]string{meta.CredAppSecret: "app-secret", meta.CredPageAccessToken: "page-token", meta.CredAPIBase: srv.URL}}
	if err := f.store.CreateInbox(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	jpeg := append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'}, bytes.Repeat([]byte{3}, 400)...)
	_, d := fake.Message(metafake.Message{Account: "1001", From: "2002", Text: "the box arrived like this", Image: jpeg})
	body := d.Body()
	h := http.Header{}
	h.Set(meta.SignatureHeader, fake.Sign(body))
	evs, err := (&meta.Messenger{}).Receive(h, body, *in, f.now)
	if err != nil || len(evs) != 1 {
		t.Fatalf("Receive = %d events, %v", len(evs), err)
	}
	ev := evs[0].Inbound
	conv := f.conversationOn(in, "Ana", care.Private, "m_first", "hello")
	m := &care.Message{WorkspaceID: f.ws.ID, ConversationID: conv.ID, InboxID: in.ID, Direction: care.DirectionIn, Visibility: care.Private,
		ContactID: conv.ContactID, Text: ev.Text, PlatformID: ev.PlatformID, Status: care.DeliveryReceived, CreatedAt: f.now, SentAt: f.now,
		Attachments: ev.Attachments}
	if err := f.store.CreateMessage(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	c := f.login()
	_, page := c.get(convPath(conv, ""))
	link := convPath(conv, "/media/"+itoa(m.ID)+"/0")
	if !strings.Contains(page, `href="`+link+`"`) || strings.Contains(page, srv.URL+"/v/") {
		t.Fatalf("the timeline does not link the photo through Parley only (%s)", link)
	}
	res, got := c.get(link)
	if res.StatusCode != http.StatusOK || got != string(jpeg) || res.Header.Get("Content-Type") != "image/jpeg" ||
		!strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("GET %s = %d %q, %d bytes", link, res.StatusCode, res.Header.Get("Content-Type"), len(got))
	}
	fake.ExpireMedia()
	if res, got := c.get(link); res.StatusCode != http.StatusNotFound || !strings.Contains(got, "expire") {
		t.Errorf("GET %s after the link expired = %d %q, want 404 saying so", link, res.StatusCode, got)
	}
	if n := fake.MediaFetches(); n != 2 {
		t.Errorf("the CDN was asked %d times, want 2 (the page itself fetches nothing)", n)
	}

	// The same reference on a message of ours (stored past the desk, which
	// refuses it) is a reference someone typed: never fetched.
	ours := *m
	ours.ID, ours.Direction, ours.ContactID, ours.PlatformID, ours.Status = 0, care.DirectionOut, 0, "", care.DeliverySent
	if err := f.store.CreateMessage(context.Background(), &ours); err != nil {
		t.Fatal(err)
	}
	_, page = c.get(convPath(conv, ""))
	link = convPath(conv, "/media/"+itoa(ours.ID)+"/0")
	if strings.Contains(page, `href="`+link+`"`) {
		t.Errorf("the timeline links %s, a platform reference on our own message", link)
	}
	if res, _ := c.get(link); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET %s = %d, want 404", link, res.StatusCode)
	}
	if n := fake.MediaFetches(); n != 2 {
		t.Errorf("the CDN was asked %d times after our own message's media, want still 2", n)
	}
}
