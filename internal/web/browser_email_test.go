package web_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/email"
	"github.com/parleyhq/parley/internal/channel/email/mailtest"
	"github.com/parleyhq/parley/internal/web/webtest"
)

// An email's original formatting opens on demand in a sandboxed frame: it
// loads nothing before, runs nothing, and its page cannot reach Parley's.
func TestBrowserEmailFormatted(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	s.CreateUser("sam@example.com", "Sam Rivera", password, care.RoleAgent)
	ctx := context.Background()

	imapSrv, err := mailtest.NewIMAP(mailtest.IMAPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { imapSrv.Close() })
	const user, pass = "support@acme.example.com", "imap-secret"
	if err := imapSrv.AddUser(user, pass); err != nil {
		t.Fatal(err)
	}
	if _, err := imapSrv.Append(user, "INBOX", []byte(hostileEmail), time.Now()); err != nil {
		t.Fatal(err)
	}
	in := &care.Inbox{WorkspaceID: s.WorkspaceID, Channel: care.ChannelEmail, Name: "Support", ExternalID: user, Credentials: map[string]string{
		email.CredIMAPHost: imapSrv.Addr, email.CredIMAPTLS: email.TLSNone, email.CredIMAPUser: user, email.CredIMAPPassword: pass,
		email.CredFrom: "Acme Support <" + user + ">"}}
	if err := s.App.Store.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	// Parley's poll runner is off in this server: the email is read here
	// and stored as the pipeline would.
	evs, _, err := (&email.Adapter{Logger: slog.New(slog.DiscardHandler)}).Poll(ctx, *in, "")
	if err != nil || len(evs) != 1 {
		t.Fatalf("Poll = %d events, %v", len(evs), err)
	}
	ev := evs[0].Inbound
	now := time.Now()
	id, _, err := s.App.Store.ResolveIdentity(ctx, s.WorkspaceID, care.ChannelEmail, ev.Author, now)
	if err != nil {
		t.Fatal(err)
	}
	conv := &care.Conversation{WorkspaceID: s.WorkspaceID, InboxID: in.ID, Channel: in.Channel, ContactID: id.ContactID, Subject: ev.Subject,
		CreatedAt: now, LastActivityAt: now}
	if err := s.App.Store.CreateConversation(ctx, conv); err != nil {
		t.Fatal(err)
	}
	m := &care.Message{WorkspaceID: s.WorkspaceID, ConversationID: conv.ID, InboxID: in.ID, Direction: care.DirectionIn, Visibility: care.Private,
		ContactID: id.ContactID, Text: ev.Text, Attachments: ev.Attachments, PlatformID: ev.PlatformID, Status: care.DeliveryReceived, CreatedAt: now, SentAt: now}
	if err := s.App.Store.CreateMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	fetches := imapSrv.Count("FETCH")

	b := openTab(t, s, desktop)
	b.login("sam@example.com", password)
	b.navigate("/c/" + itoa(conv.ID))
	b.waitFor(`document.body.dataset.page === 'conversation' && document.readyState === 'complete'`, 5*time.Second)
	frame := `document.querySelector('details.formatted iframe')`
	if !eval[bool](b, frame+` !== null && `+frame+`.getAttribute('sandbox') === 'allow-popups allow-popups-to-escape-sandbox'`) {
		t.Fatal("no sandboxed frame for the original formatting")
	}
	if !strings.Contains(eval[string](b, `document.querySelector('#timeline .msg-text').textContent`), "crushed") {
		t.Error("the text is not shown by default")
	}
	if n := imapSrv.Count("FETCH"); n != fetches {
		t.Errorf("the closed view fetched from the mailbox (%d FETCH, want %d)", n, fetches)
	}

	b.do(chromedp.Evaluate[chromedp.Void](`window.__framed = false; ` + frame + `.addEventListener('load', () => { window.__framed = true })`))
	b.do(chromedp.Click(chromedp.CSS(`details.formatted > summary`)))
	b.waitFor(`window.__framed === true`, 10*time.Second)
	if imapSrv.Count("FETCH") == fetches {
		t.Error("opening the view fetched nothing from the mailbox")
	}
	// Sandboxed without allow-same-origin: the page cannot reach into it,
	// nor it into the page.
	if !eval[bool](b, frame+`.contentDocument === null`) {
		t.Error("the frame's document is reachable from Parley's page")
	}
	if h := eval[float64](b, frame+`.getBoundingClientRect().height`); h < 100 {
		t.Errorf("the frame is %.0fpx tall", h)
	}

	// What the browser built inside the frame, which runs in a process of
	// its own.
	var frameID target.ID
	targets, err := chromedp.Targets(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ti := range targets {
		if ti.Type == "iframe" && strings.HasSuffix(ti.URL, "/messages/"+itoa(m.ID)+"/html") {
			frameID = ti.TargetID
		}
	}
	if frameID == "" {
		t.Fatalf("no frame target among %d", len(targets))
	}
	fctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(frameID))
	defer cancel()
	inside := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(fctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("in the frame, %s: %v", expr, err)
		}
		return v
	}
	if got := inside(`document.body.innerText`); !strings.Contains(got, "The box was crushed") || !strings.Contains(got, "[image: Tracker]") {
		t.Errorf("the frame shows %q", got)
	}
	if got := inside(`[...document.querySelectorAll('script, iframe, form, input, svg, object, embed')].map(e => e.tagName).join(' ')`); got != "" {
		t.Errorf("the frame holds %s", got)
	}
	if got := inside(`[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on')).join(' ')`); got != "" {
		t.Errorf("event handlers in the frame: %s", got)
	}
	if got := inside(`[...document.images].map(i => i.src.slice(0, 22) + (i.complete && i.naturalWidth > 0 ? ' shown' : ' broken')).join(' ')`); got != "data:image/png;base64, shown" {
		t.Errorf("images in the frame: %q, want the email's own one, shown", got)
	}
	if got := inside(`document.querySelector('a').target + ' ' + document.querySelector('a').rel + ' ' + document.querySelector('a').href`); got != "_blank noopener noreferrer nofollow https://acme.example/orders/7" {
		t.Errorf("the link in the frame: %q", got)
	}
	// The frame has no origin of its own, so nothing in it could use
	// Parley's storage or session.
	if got := inside(`(() => { try { return String(window.localStorage) } catch (e) { return 'no storage' } })()`); got != "no storage" {
		t.Errorf("the frame has an origin's storage: %s", got)
	}
}
