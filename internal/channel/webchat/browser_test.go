package webchat_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/webchat"
)

// The browser tests drive Debian's Chromium through the DevTools protocol,
// on a shop's page served from another origin than Parley's, under a
// strict Content-Security-Policy. They skip when Chromium is not installed
// (apt-get install chromium). With WEBCHAT_SCREENSHOTS=dir they save
// screenshots there.

const chromium = "/usr/bin/chromium"

type viewport struct {
	name          string
	width, height int64
	phone         bool
}

var (
	desktop = viewport{"desktop", 1280, 800, false}
	phone   = viewport{"phone", 390, 844, true}
)

func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("browser test skipped: %s not found (install Debian's chromium package)", chromium)
	}
}

// tab is one Chromium tab; it records the console and dialogs.
type tab struct {
	t       *testing.T
	ctx     context.Context
	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	dialogs []string
}

func openTab(t *testing.T, vp viewport) *tab {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(vp.width), int(vp.height)),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel)
	b := &tab{t: t, ctx: ctx}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range chromedp.Events(ctx, page.JavascriptDialogOpening) {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	emulate := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
	if vp.phone {
		emulate = append(emulate, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(3))
	}
	b.do(chromedp.EmulateViewport(vp.width, vp.height, emulate...))
	if vp.phone {
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}); err != nil {
			t.Fatalf("emulate reduced motion: %v", err)
		}
	}
	t.Cleanup(b.checkConsole)
	return b
}

func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// widget wraps an expression over the widget's shadow root, r.
func widget(expr string) string {
	return `(() => { const h = document.querySelector('[data-parley-chat]'); const r = h && h.shadowRoot; if (!r) return null; return (` + expr + `); })()`
}

func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (b *tab) waitFor(expr string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(15*time.Second), chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		b.t.Fatalf("waited for %s: %v\nwidget: %s", expr, err, eval[string](b, widget(`r.querySelector('.panel').innerText`)+` || ''`))
	}
}

var keys = map[string]input.DispatchKeyEventParams{
	"Enter":  {Key: "Enter", Code: "Enter", Text: "\r", WindowsVirtualKeyCode: 13},
	"Escape": {Key: "Escape", Code: "Escape", WindowsVirtualKeyCode: 27},
}

// press presses a key as a keyboard does.
func (b *tab) press(key string) {
	b.t.Helper()
	k := keys[key]
	down, up := k, k
	down.Type, up.Type, up.Text = input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp, ""
	for _, ev := range []input.DispatchKeyEventParams{down, up} {
		if _, err := chromedp.Call(b.ctx, input.DispatchKeyEvent, ev); err != nil {
			b.t.Fatalf("press %s: %v", key, err)
		}
	}
}

func (b *tab) typeText(s string) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, input.InsertText, input.InsertTextParams{Text: s}); err != nil {
		b.t.Fatalf("type: %v", err)
	}
	// InsertText fires input events as typing does.
}

func (b *tab) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("WEBCHAT_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

// checkConsole fails on an exception or a refused resource; the page's
// own probe records Content-Security-Policy violations as well.
func (b *tab) checkConsole() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.console {
		if m.IsException() || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Refused to") {
			b.t.Errorf("browser console: %s", m)
		}
	}
	for _, d := range b.dialogs {
		b.t.Errorf("the page opened a dialog: %s", d)
	}
}

// shopPage serves a shop's page on localhost (another origin than Parley's
// 127.0.0.1), with the widget's tag and a strict policy: no inline script or
// style, scripts from itself and Parley only, connections to Parley only.
type shopPage struct {
	srv    *httptest.Server
	origin string
	parley string // set before the page is loaded
	inbox  care.ID
}

func newShopPage(t *testing.T) *shopPage {
	s := &shopPage{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(s.serve)}}
	s.srv.Start()
	t.Cleanup(s.srv.Close)
	s.origin = "http://localhost:" + fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	return s
}

func (s *shopPage) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/probe.js" {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, `window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });
`)
		return
	}
	ws := "ws://" + strings.TrimPrefix(s.parley, "http://")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self' "+s.parley+"; connect-src "+ws+"; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme shop</title><script src="/probe.js"></script></head>
<body><h1>Acme shop</h1><p>Boots, jackets and everything for the rain.</p>
%s
</body></html>`, webchat.ScriptTag(s.parley, s.inbox))
}

// proxy stands between the browser and Parley so a test can cut the
// connection, as a train entering a tunnel does, and restore it.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		ln.Close()
		p.cut()
		p.wg.Wait()
	})
	return p
}

func (p *proxy) url() string { return "http://" + p.ln.Addr().String() }

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns[c], p.conns[up] = struct{}{}, struct{}{}
		p.mu.Unlock()
		p.wg.Add(2)
		pipe := func(dst, src net.Conn) {
			defer p.wg.Done()
			io.Copy(dst, src)
			dst.Close()
			src.Close()
		}
		go pipe(up, c)
		go pipe(c, up)
	}
}

// cut drops every connection and refuses new ones until restore.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *proxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

func TestBrowserWidget(t *testing.T) {
	needChromium(t)
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) { browseWidget(t, vp) })
	}
}

// browseWidget plays a shopper: open the chat, write (HTML stays text),
// get an answer live, lose the connection and write anyway, come back
// after a reload, close with Escape.
func browseWidget(t *testing.T, vp viewport) {
	shopSite := newShopPage(t)
	h := newHarness(t, harnessOptions{origins: shopSite.origin})
	px := newProxy(t, h.http.Listener.Addr().String())
	shopSite.parley, shopSite.inbox = px.url(), h.inbox.ID
	b := openTab(t, vp)
	ctx := testCtx(t)

	// The page is loaded from localhost, another origin than Parley's.
	b.do(chromedp.Navigate(shopSite.origin))
	b.waitFor(widget(`r.querySelector('.launcher') !== null`))
	if got := eval[string](b, widget(`r.querySelector('.launcher').getAttribute('aria-label') + ' ' + r.querySelector('.launcher').getAttribute('aria-expanded')`)); got != "Open chat false" {
		t.Errorf("launcher = %q", got)
	}
	b.screenshot(vp.name + "-closed")

	// Open: the greeting, focus in the composer.
	b.do(chromedp.Evaluate[chromedp.Void](widget(`r.querySelector('.launcher').click()`)))
	b.waitFor(widget(`r.querySelector('.status').textContent === 'We reply in a few minutes'`))
	if got := eval[string](b, widget(`r.querySelector('.title').textContent + '|' + r.querySelector('.log').textContent + '|' + (r.activeElement && r.activeElement.id)`)); got != "Acme chat|Acme chat"+webchat.DefaultGreeting+"|parley-text" {
		t.Errorf("open panel = %q", got)
	}
	if vp.phone {
		// This shopper asked their phone for less motion: the panel
		// appears without animating.
		if n := eval[int](b, widget(`r.querySelector('.panel').getAnimations().length`)); n != 0 {
			t.Errorf("%d animations with prefers-reduced-motion", n)
		}
	}
	b.waitFor(widget(`r.querySelector('.panel').getAnimations().length === 0`))
	rect := eval[[]float64](b, widget(`(() => { const p = r.querySelector('.panel').getBoundingClientRect(); return [p.left, p.top, p.width, p.height, innerWidth, innerHeight, r.querySelector('.launcher').getBoundingClientRect().width]; })()`))
	if vp.phone {
		if rect[0] != 0 || rect[1] != 0 || rect[2] != rect[4] || rect[3] != rect[5] || rect[6] != 0 {
			t.Errorf("on a phone the panel is %v of a %vx%v screen, launcher %vpx wide; want the whole screen, no launcher", rect[:4], rect[4], rect[5], rect[6])
		}
	} else if rect[2] != 370 || rect[0]+rect[2] != rect[4]-20 || rect[6] != 56 {
		t.Errorf("on a desktop the panel is %v in %vpx, launcher %vpx; want 370px wide at the right, launcher shown", rect[:4], rect[4], rect[6])
	}

	// Write; markup is shown as typed, never parsed.
	b.typeText("Hello <b>there</b> & <img src=x onerror=alert(1)>")
	b.press("Enter")
	b.waitFor(widget(`[...r.querySelectorAll('.msg.in')].some(li => li.querySelector('.meta').textContent !== 'Sending…')`))
	if got := eval[string](b, widget(`r.querySelector('.msg.in').childNodes[1].textContent + '|' + r.querySelectorAll('.log b, .log img').length`)); got != "Hello <b>there</b> & <img src=x onerror=alert(1)>|0" {
		t.Errorf("own message rendered as %q", got)
	}
	var conv care.ID
	eventually(t, "the message to be threaded", func() bool {
		page, err := h.store.Conversations(ctx, care.ConversationFilter{WorkspaceID: h.inbox.WorkspaceID, InboxID: h.inbox.ID})
		if err == nil && len(page.Conversations) == 1 {
			conv = page.Conversations[0].ID
		}
		return conv != 0
	})

	// An agent types, then answers: shown live, by first name, and read.
	// The socket learns its conversation once the message is threaded, a
	// moment after the store does: a signal is ephemeral, so say it again
	// until the widget shows it, as an agent typing does.
	eventually(t, "the agent's typing to show", func() bool {
		h.hub.Publish(webchat.TypingSignal{WorkspaceID: h.inbox.WorkspaceID, ConversationID: conv, UserID: 1, Name: "Dana Scully", On: true})
		return eval[bool](b, "("+widget(`r.querySelector('.typing').textContent === 'Dana is typing…'`)+") === true")
	})
	reply := h.reply(conv, "Dana Scully", "Your parcel left today.\nTracking: <a href=x>here</a>", h.bus)
	b.waitFor(widget(`[...r.querySelectorAll('.msg.out')].some(li => li.textContent.includes('Your parcel left today.'))`))
	if got := eval[string](b, widget(`(() => { const li = [...r.querySelectorAll('.msg.out')].pop(); return li.querySelector('.who').textContent + '|' + r.querySelector('.typing').textContent + '|' + r.querySelectorAll('.log a').length; })()`)); got != "Dana||0" {
		t.Errorf("reply shown as %q", got)
	}
	h.sent(reply)
	eventually(t, "the reply to be read", func() bool { return h.status(reply.ID) == care.DeliveryRead })
	b.screenshot(vp.name + "-open")

	// The connection drops; what the shopper writes waits, then goes once.
	px.cut()
	b.waitFor(widget(`!r.querySelector('.banner').hidden && r.querySelector('.status').textContent === 'Connecting…'`))
	b.do(chromedp.Evaluate[chromedp.Void](widget(`r.querySelector('#parley-text').focus()`)))
	b.typeText("Are you there?")
	b.press("Enter")
	b.waitFor(widget(`[...r.querySelectorAll('.msg.in')].some(li => li.textContent.includes('Are you there?') && li.classList.contains('pending'))`))
	b.screenshot(vp.name + "-offline")
	px.restore()
	b.waitFor(widget(`r.querySelector('.banner').hidden && ![...r.querySelectorAll('.msg.in')].some(li => li.classList.contains('pending'))`))
	eventually(t, "the queued message to be stored once", func() bool {
		msgs, _ := h.store.Messages(ctx, conv, 0, 100)
		n := 0
		for _, m := range msgs {
			if m.Text == "Are you there?" {
				n++
			}
		}
		return n == 1
	})

	// Escape closes and gives focus back to the launcher.
	b.press("Escape")
	b.waitFor(widget(`r.querySelector('.panel').hidden && r.activeElement === r.querySelector('.launcher') && r.querySelector('.launcher').getAttribute('aria-expanded') === 'false'`))

	// A reply while the panel is closed shows as unread.
	h.reply(conv, "Dana Scully", "Anything else?", h.bus)
	b.waitFor(widget(`r.querySelector('.badge').textContent === '1' && r.querySelector('.launcher').getAttribute('aria-label') === 'Open chat (1 new message)'`))

	// After a reload the same shopper finds the conversation, and the
	// reply they have not seen is still new.
	b.do(chromedp.Reload())
	b.waitFor(widget(`r.querySelector('.badge').textContent === '1' && !r.querySelector('.badge').hidden`))
	b.do(chromedp.Evaluate[chromedp.Void](widget(`r.querySelector('.launcher').click()`)))
	b.waitFor(widget(`r.querySelectorAll('.msg.in').length === 2 && r.querySelectorAll('.msg.out').length === 3`))
	if got := eval[[]string](b, `window.__violations`); len(got) != 0 {
		t.Errorf("Content-Security-Policy violations: %q", got)
	}
}

// TestBrowserOfflineForm: with nobody available, the shopper leaves name,
// email and message, which arrive as a message from an identified visitor.
func TestBrowserOfflineForm(t *testing.T) {
	needChromium(t)
	shopSite := newShopPage(t)
	h := newHarness(t, harnessOptions{origins: shopSite.origin, server: func(s *webchat.Server) {
		s.Available = func(context.Context, care.Inbox) (bool, error) { return false, nil }
	}})
	shopSite.parley, shopSite.inbox = h.http.URL, h.inbox.ID
	b := openTab(t, phone)
	ctx := testCtx(t)
	b.do(chromedp.Navigate(shopSite.origin))
	b.waitFor(widget(`r.querySelector('.launcher') !== null`))
	b.do(chromedp.Evaluate[chromedp.Void](widget(`r.querySelector('.launcher').click()`)))
	b.waitFor(widget(`!r.querySelector('.offline').hidden && r.querySelector('.composer').hidden`))
	if got := eval[string](b, widget(`r.querySelector('.status').textContent + '|' + r.querySelector('.offline .note').textContent + '|' + r.activeElement.name`)); got != "Away now: leave us a message|"+webchat.DefaultOfflineMessage+"|name" {
		t.Errorf("offline form = %q", got)
	}
	// The email is required.
	b.do(chromedp.Evaluate[chromedp.Void](widget(`(() => { const f = r.querySelector('.offline'); f.querySelector('textarea').value = 'Do you ship to Norway?'; f.requestSubmit(); })()`)))
	if got := eval[string](b, widget(`r.querySelector('.offline').hidden + ' ' + r.querySelector('.offline input[name=email]').validity.valueMissing`)); got != "false true" {
		t.Errorf("after sending without an email: form hidden, email missing = %s; want the form kept, asking for it", got)
	}
	b.do(chromedp.Evaluate[chromedp.Void](widget(`r.querySelector('.offline input[name=name]').focus()`)))
	b.typeText("Bo Berg")
	b.do(chromedp.Evaluate[chromedp.Void](widget(`r.querySelector('.offline input[name=email]').focus()`)))
	b.typeText("Bo@Example.com")
	b.screenshot("phone-offline-form")
	b.do(chromedp.Evaluate[chromedp.Void](widget(`r.querySelector('.offline').requestSubmit()`)))
	b.waitFor(widget(`r.querySelector('.offline').hidden && r.querySelector('.status').textContent === 'Away now: we will answer at Bo@example.com'`))
	eventually(t, "the offline message to be stored", func() bool {
		page, err := h.store.Conversations(ctx, care.ConversationFilter{WorkspaceID: h.inbox.WorkspaceID, InboxID: h.inbox.ID})
		if err != nil || len(page.Conversations) != 1 {
			return false
		}
		msgs, _ := h.store.Messages(ctx, page.Conversations[0].ID, 0, 10)
		return len(msgs) == 1 && msgs[0].Text == "Do you ship to Norway?" && msgs[0].AuthorName == "Bo Berg"
	})
}
