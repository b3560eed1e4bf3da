package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
)

// postFiles posts the reply form with files, as the browser does.
func (c *client) postFiles(path, text string, files map[string][]byte) *http.Response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	mw.WriteField("text", text)
	for name, data := range files {
		w, _ := mw.CreateFormFile("files", name)
		w.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, _ := c.do(req)
	return res
}

var png = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)

func TestReplyWithFiles(t *testing.T) {
	f := newFixture(t)
	conv := f.conversation(f.inbox, "Maya", "Can you send the invoice?")
	c := f.login()

	res := c.postFiles(convPath(conv, "/reply"), "Here it is.", map[string][]byte{
		"invoice.png": png, "../../etc/evil\u202e.html": []byte("<script>alert(1)</script>"),
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply with files answered %d", res.StatusCode)
	}
	msgs := f.messages(conv)
	reply := msgs[len(msgs)-1]
	if reply.Text != "Here it is." || len(reply.Attachments) != 2 {
		t.Fatalf("stored reply = %+v", reply)
	}
	byName := map[string]care.Attachment{}
	for _, a := range reply.Attachments {
		byName[a.Name] = a
	}
	img, html := byName["invoice.png"], byName["evil.html"]
	if img.Kind != "image" || img.MimeType != "image/png" || img.Size != int64(len(png)) || !strings.HasPrefix(img.URL, f.srv.URL+"/files/") {
		t.Errorf("image attachment = %+v", img)
	}
	if html.Kind != "file" || html.MimeType != "application/octet-stream" {
		t.Errorf("an HTML upload was kept as %+v; it must be a plain download", html)
	}

	// The links work without a session: the platform fetches them.
	anon := &http.Client{}
	for _, tc := range []struct {
		a           care.Attachment
		ctype, disp string
		body        []byte
	}{
		{img, "image/png", "inline", png},
		{html, "application/octet-stream", "attachment", []byte("<script>alert(1)</script>")},
	} {
		res, err := anon.Get(tc.a.URL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		h := res.Header
		if res.StatusCode != 200 || !bytes.Equal(body, tc.body) || h.Get("Content-Type") != tc.ctype ||
			!strings.HasPrefix(h.Get("Content-Disposition"), tc.disp) || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("GET %s = %d %q, headers %v", tc.a.URL, res.StatusCode, body, h)
		}
	}
	// A guessed token finds nothing.
	wrong := img.URL[:strings.LastIndex(img.URL[:strings.LastIndex(img.URL, "/")], "/")] + "/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/invoice.png"
	if res, err := anon.Get(wrong); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("a wrong token answered %v, %v; want 404", res.StatusCode, err)
	}

	// Five files are one too many; the draft comes back with the reason.
	five := map[string][]byte{}
	for _, n := range []string{"a.png", "b.png", "c.png", "d.png", "e.png"} {
		five[n] = png
	}
	res = c.postFiles(convPath(conv, "/reply"), "Too many", five)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("five files answered %d, want 422", res.StatusCode)
	}
	if n := len(f.messages(conv)); n != len(msgs) {
		t.Errorf("a refused reply was stored (%d messages, want %d)", n, len(msgs))
	}
}

// A customer's WhatsApp photo is fetched from the platform for the agent,
// typed by what it is and never as a page.
func TestPlatformMedia(t *testing.T) {
	f := newFixture(t)
	fake := wafake.New("app-secret")
	srv := httptest.NewServer(fake.Handler())
	defer srv.Close()
	jpeg := append([]byte{0xff, 0xd8, 0xff, 0xe0}, bytes.Repeat([]byte{1}, 300)...)
	fake.AddMedia("4242", "image/jpeg", jpeg)
	fake.AddMedia("4343", "text/html", []byte("<script>alert(1)</script>"))
	reg := &channel.Registry{}
	reg.Register(care.ChannelWhatsApp, &whatsapp.Adapter{Client: srv.Client()})
	f.h.Desk.Adapters = reg
	in := &care.Inbox{WorkspaceID: f.ws.ID, Channel: care.ChannelWhatsApp, Name: "WA", ExternalID: wafake.DefaultPhoneNumberID,
		Credentials: map[string]string{whatsapp.CredAccessToken: wafake.DefaultAccessToken, whatsapp.CredAPIBase: srv.URL + "/v26.0"}}
	if err := f.store.CreateInbox(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	conv := f.conversationOn(in, "Sheena", care.Private, "wamid.1", "photo")
	m := &care.Message{WorkspaceID: f.ws.ID, ConversationID: conv.ID, InboxID: in.ID, Direction: care.DirectionIn, Visibility: care.Private,
		ContactID: conv.ContactID, Text: "and the label", PlatformID: "wamid.2", Status: care.DeliveryReceived, CreatedAt: f.now, SentAt: f.now,
		Attachments: []care.Attachment{{Kind: "image", URL: whatsapp.MediaScheme + "4242", MimeType: "image/jpeg"},
			{Kind: "file", URL: whatsapp.MediaScheme + "4343", Name: "page.html"}}}
	if err := f.store.CreateMessage(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	c := f.login()
	_, body := c.get(convPath(conv, ""))
	link := convPath(conv, "/media/"+itoa(m.ID)+"/0")
	if !strings.Contains(body, `href="`+link+`"`) {
		t.Fatalf("the timeline does not link the photo through Parley (%s)", link)
	}
	res, got := c.get(link)
	if res.StatusCode != 200 || got != string(jpeg) || res.Header.Get("Content-Type") != "image/jpeg" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("GET %s = %d %q %v", link, res.StatusCode, res.Header.Get("Content-Type"), res.Header)
	}
	res, _ = c.get(convPath(conv, "/media/"+itoa(m.ID)+"/1"))
	if res.Header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("an HTML file was served as %q %q", res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	for _, p := range []string{convPath(conv, "/media/"+itoa(m.ID)+"/2"), convPath(conv, "/media/999/0")} {
		if res, _ := c.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
		}
	}
	if res, _ := f.client().get(link); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a session GET %s = %d, want 401", link, res.StatusCode)
	}
}

// A closed messaging window is said above the composer before the agent
// writes, in the platform's own words; an open one says nothing.
func TestComposerSaysWindowClosed(t *testing.T) {
	f, conv := freshWhatsAppConversation(t)
	c := f.login()
	if _, body := c.get(convPath(conv, "")); strings.Contains(body, `id="private-refusal"`) {
		t.Error("a refusal is shown while the customer's message is minutes old")
	}
	f.now = f.now.Add(30 * time.Hour)
	_, body := c.get(convPath(conv, ""))
	hint := regexpFind(t, body, `<p class="flash warn refusal" id="private-refusal">[^<]*</p>`)
	if !strings.Contains(hint, "24") {
		t.Errorf("refusal = %s, want WhatsApp's 24-hour window named", hint)
	}
}
