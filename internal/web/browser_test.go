package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/savedreply"
	"github.com/parleyhq/parley/internal/web/webtest"
)

// The browser tests drive Debian's Chromium through the DevTools protocol.
// They skip when it is not installed (apt-get install chromium). With
// PARLEY_SCREENSHOTS=1 they also save the screenshots in docs/screenshots.

const chromium = "/usr/bin/chromium"

// tab is one browser tab on a running Parley. It records what the page
// wrote to its console and every dialog it tried to open.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	dialogs []string
}

type viewport struct {
	name          string
	width, height int64
	phone         bool
}

var (
	desktop = viewport{"desktop", 1280, 800, false}
	phone   = viewport{"phone", 390, 844, true}
)

// needChromium skips the test when Chromium is not installed.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("browser test skipped: %s not found (install Debian's chromium package)", chromium)
	}
}

// openTab starts a fresh Chromium for s. Start s first: cleanups run in
// reverse, so the browser and its event streams end before the server.
func openTab(t *testing.T, s *webtest.Server, vp viewport) *tab {
	t.Helper()
	needChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(vp.width), int(vp.height)),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(cancelTab)
	// Start the browser with no deadline: a deadline on the first Run would
	// be the browser's life.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 40*time.Second)
	t.Cleanup(cancel)

	b := &tab{t: t, ctx: ctx, base: s.URL}
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.dialogs = append(b.dialogs, string(ev.Type)+": "+ev.Message)
			b.mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	emulate := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
	if vp.phone {
		emulate = append(emulate, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
	}
	b.do(chromedp.EmulateViewport(vp.width, vp.height, emulate...))
	t.Cleanup(b.checkConsole)
	return b
}

func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor waits until a JavaScript expression is true, across page loads.
func (b *tab) waitFor(expr string, within time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(within)
	var err error
	for time.Now().Before(deadline) {
		_, err = chromedp.Run(b.ctx, chromedp.Poll[bool](expr,
			chromedp.WithPollingTimeout(time.Until(deadline)), chromedp.WithPollingInterval(10*time.Millisecond)))
		if err == nil {
			return
		}
		if b.ctx.Err() != nil {
			break
		}
		// The page navigated while polling; poll the new one.
		time.Sleep(10 * time.Millisecond)
	}
	b.t.Fatalf("waited %v for %s: %v\npage: %s", within, expr, err, eval[string](b, "location.href + ' ' + document.body.innerText.slice(0, 2000)"))
}

func (b *tab) navigate(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + path))
}

// login signs in through the form.
func (b *tab) login(email, password string) {
	b.t.Helper()
	b.navigate("/")
	b.waitFor(`document.body.dataset.page === 'login'`, 5*time.Second)
	b.do(
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
	)
	b.waitFor(`document.body.dataset.page === 'inbox' && document.readyState === 'complete'`, 5*time.Second)
}

// keys types text into the focused element.
func (b *tab) keys(keys string, opts ...chromedp.KeyOption) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(keys, opts...))
}

// shortcutKeys are the keys press knows, as a keyboard sends them.
var shortcutKeys = map[string]input.DispatchKeyEventParams{
	"j":         {Key: "j", Code: "KeyJ", Text: "j", WindowsVirtualKeyCode: 74},
	"k":         {Key: "k", Code: "KeyK", Text: "k", WindowsVirtualKeyCode: 75},
	"r":         {Key: "r", Code: "KeyR", Text: "r", WindowsVirtualKeyCode: 82},
	"n":         {Key: "n", Code: "KeyN", Text: "n", WindowsVirtualKeyCode: 78},
	"e":         {Key: "e", Code: "KeyE", Text: "e", WindowsVirtualKeyCode: 69},
	"s":         {Key: "s", Code: "KeyS", Text: "s", WindowsVirtualKeyCode: 83},
	"?":         {Key: "?", Code: "Slash", Text: "?", WindowsVirtualKeyCode: 191, Modifiers: int64(chromedp.ModifierShift)},
	"/":         {Key: "/", Code: "Slash", Text: "/", WindowsVirtualKeyCode: 191},
	"Enter":     {Key: "Enter", Code: "Enter", Text: "\r", WindowsVirtualKeyCode: 13},
	"Escape":    {Key: "Escape", Code: "Escape", WindowsVirtualKeyCode: 27},
	"ArrowDown": {Key: "ArrowDown", Code: "ArrowDown", WindowsVirtualKeyCode: 40},
}

// press presses one key the way a keyboard does: a key-down that carries
// its text, so a page that handles the key-down can keep the text from
// being typed, then a key-up.
func (b *tab) press(key string) {
	b.t.Helper()
	k, ok := shortcutKeys[key]
	if !ok {
		b.t.Fatalf("press: unknown key %q", key)
	}
	down, up := k, k
	down.Type, up.Type, up.Text = input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp, ""
	for _, ev := range []input.DispatchKeyEventParams{down, up} {
		if _, err := chromedp.Call(b.ctx, input.DispatchKeyEvent, ev); err != nil {
			b.t.Fatalf("press %s: %v", key, err)
		}
	}
}

// screenshot saves the viewport to docs/screenshots when
// PARLEY_SCREENSHOTS is set.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	if os.Getenv("PARLEY_SCREENSHOTS") == "" {
		return
	}
	// Let the fonts settle and the caret stop blinking into the picture.
	b.do(chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`), chromedp.Sleep(150*time.Millisecond))
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join("..", "..", "docs", "screenshots", name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("save screenshot: %v", err)
	}
	b.t.Logf("saved %s", path)
}

// checkConsole fails the test on an uncaught exception, a Content-Security-
// Policy violation or a dialog: none of them should happen in Parley.
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

// noHorizontalScroll fails the test if the page is wider than the window.
func (b *tab) noHorizontalScroll(where string) {
	b.t.Helper()
	// A form post may still be navigating (the live update can show the
	// reply before the redirect lands): measure the page that loads.
	b.waitFor(`document.readyState === 'complete' && document.scrollingElement !== null`, 5*time.Second)
	w := eval[[]int](b, `[document.scrollingElement.scrollWidth, window.innerWidth]`)
	if w[0] > w[1] {
		b.t.Errorf("%s: the page is %dpx wide in a %dpx window", where, w[0], w[1])
	}
}

func TestBrowserInbox(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	sam := s.CreateUser("sam@example.com", "Sam Rivera", password, care.RoleAgent)
	in := s.CreateInbox("Website", replies(t, http.StatusOK, ""))
	n := demo(t, s, sam)
	b := openTab(t, s, desktop)
	b.login("sam@example.com", password)
	b.waitFor(fmt.Sprintf(`document.querySelectorAll('#list .row').length === %d`, n), 5*time.Second)
	b.waitFor(`document.body.dataset.live === 'on'`, 5*time.Second)

	// A message posted through the API appears in the open inbox without a
	// reload.
	b.do(chromedp.Evaluate[chromedp.Void](`window.__sameDocument = true`))
	start := time.Now()
	s.Post(in, customer("live-1", "Maya Chen", "mayachen", 48_200,
		"My order #4471 arrived damaged, the box was crushed and the lamp is broken. What now?\nPhotos: https://example.com/p/4471"))
	b.waitFor(`document.getElementById('list').textContent.includes('arrived damaged')`, 5*time.Second)
	t.Logf("an inbound message appeared in the open inbox %v after it was posted", time.Since(start).Round(time.Millisecond))
	if !eval[bool](b, `window.__sameDocument === true`) {
		t.Fatalf("the page reloaded to show the new message")
	}
	if got, want := eval[string](b, `document.querySelector('.view.active .count').textContent`), fmt.Sprint(n+1); got != want {
		t.Errorf("All counts %q after the new message, want %s", got, want)
	}
	b.screenshot("inbox-desktop")

	// j selects the newest conversation, Enter opens it.
	b.press("j")
	if got := eval[string](b, `document.activeElement.closest('.row') ? document.activeElement.textContent : ''`); !strings.Contains(got, "Maya Chen") {
		t.Fatalf("j focused %q, want Maya's conversation", got)
	}
	b.press("Enter")
	b.waitFor(`document.body.dataset.page === 'conversation' && document.readyState === 'complete'`, 5*time.Second)
	b.waitFor(`document.body.dataset.live === 'on'`, 5*time.Second)
	if got := eval[string](b, `document.querySelector('.conv-title h1').textContent`); got != "Maya Chen" {
		t.Errorf("opened %q, want Maya Chen", got)
	}
	if got := eval[string](b, `document.querySelector('#timeline .msg-in a.link').getAttribute('rel')`); got != "noopener noreferrer nofollow" {
		t.Errorf("the customer's link has rel=%q", got)
	}

	// r writes a reply; it is sent, and its delivery shows up live.
	b.press("r")
	if got := eval[string](b, `document.activeElement.id`); got != "reply-text" {
		t.Fatalf("r focused %q, want the reply box", got)
	}
	b.keys("So sorry, Maya! ")
	// A message from the customer arrives while the agent writes: the
	// timeline shows it, the draft stays.
	s.Post(in, customer("live-2", "Maya Chen", "mayachen", 48_200, "Also, the lampshade is torn."))
	b.waitFor(`document.getElementById('timeline').textContent.includes('lampshade is torn')`, 5*time.Second)
	if got := eval[string](b, `document.getElementById('reply-text').value + '|' + document.activeElement.id`); got != "So sorry, Maya! |reply-text" {
		t.Errorf("after a live update the reply box holds %q, want the draft, still focused", got)
	}
	b.keys("A replacement lamp ships today, no need to send the broken one back.")
	b.keys("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl))
	b.waitFor(`[...document.querySelectorAll('#timeline .msg-out')].some(m => m.textContent.includes('replacement lamp'))`, 5*time.Second)
	b.waitFor(`[...document.querySelectorAll('#timeline .msg-out .delivery')].some(d => /Sent|Delivered/.test(d.textContent))`, 5*time.Second)

	// n writes an internal note.
	b.press("n")
	if got := eval[string](b, `document.activeElement.id`); got != "note-text" {
		t.Fatalf("n focused %q, want the note box", got)
	}
	b.keys("Refund approved by Lee; replacement order #4471-R.")
	b.do(chromedp.Click(chromedp.CSS("#note-form button[type=submit]")))
	b.waitFor(`[...document.querySelectorAll('#timeline .msg-note')].some(m => m.textContent.includes('Refund approved'))`, 5*time.Second)
	if eval[bool](b, `document.getElementById('note-text').value !== ''`) {
		t.Errorf("the note box still holds the sent note")
	}

	// Assign to me, then add a tag, with the buttons.
	b.do(chromedp.Click(chromedp.CSS(`form[action$="/assign"] button`)))
	b.waitFor(`document.querySelector('.assignee-line') && document.querySelector('.assignee-line').textContent.includes('Assigned to You')`, 5*time.Second)
	b.do(chromedp.SendKeys(chromedp.ID("tag-add"), "damaged"), chromedp.Submit(chromedp.ID("tag-add")))
	b.waitFor(`[...document.querySelectorAll('.tags-bar .tag')].some(t => t.textContent.includes('damaged'))`, 5*time.Second)
	b.screenshot("conversation-desktop")

	// e resolves.
	b.press("e")
	b.waitFor(`document.querySelector('.conv-sub .status') && document.querySelector('.conv-sub .status').textContent === 'Resolved'`, 5*time.Second)
	if eval[bool](b, `document.getElementById('resolve-form') !== null`) {
		t.Errorf("a resolved conversation still offers Resolve")
	}

	// ? shows the shortcuts; Escape hides them.
	b.press("?")
	if !eval[bool](b, `getComputedStyle(document.getElementById('help')).display !== 'none'`) {
		t.Errorf("? did not show the keyboard help")
	}
	b.press("Escape")
	if !eval[bool](b, `getComputedStyle(document.getElementById('help')).display === 'none'`) {
		t.Errorf("Escape did not hide the keyboard help")
	}

	// / searches messages and contacts; a hit opens its conversation.
	b.press("/")
	if got := eval[string](b, `document.activeElement.id`); got != "search-q" {
		t.Fatalf("/ focused %q, want the search box", got)
	}
	b.keys("lampshade\r")
	b.waitFor(`document.body.dataset.page === 'search' && document.readyState === 'complete'`, 5*time.Second)
	if got := eval[string](b, `document.querySelector('main').textContent`); !strings.Contains(got, "Maya Chen") || !strings.Contains(got, "lampshade") {
		t.Fatalf("search results for lampshade: %q", got)
	}
	b.do(chromedp.Click(chromedp.CSS(`main a[href^="/c/"]`)))
	b.waitFor(`document.body.dataset.page === 'conversation' && document.readyState === 'complete'`, 5*time.Second)
	if got := eval[string](b, `document.querySelector('.conv-title h1').textContent`); got != "Maya Chen" {
		t.Errorf("the search hit opened %q, want Maya Chen", got)
	}

	msgs, err := s.App.Store.Messages(context.Background(), s.Message(in, "live-1").ConversationID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 4 || msgs[2].Visibility != care.Public || msgs[2].Direction != care.DirectionOut || msgs[3].Visibility != care.Note {
		t.Errorf("stored messages = %+v, want the customer's two, a public reply and a note", msgs)
	}
}

func TestBrowserPhone(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	sam := s.CreateUser("sam@example.com", "Sam Rivera", password, care.RoleAgent)
	in := s.CreateInbox("Website", replies(t, http.StatusOK, ""))
	n := demo(t, s, sam)
	s.Post(in, customer("p1", "Maya Chen", "mayachen", 48_200, "My order #4471 arrived damaged, the box was crushed and the lamp is broken. What now?"))
	s.Message(in, "p1")
	if err := s.App.Store.SetSetting(context.Background(), s.WorkspaceID, savedreply.SettingName,
		[]byte(`{"replies":[{"id":1,"name":"Apology for a damaged order","text":"Hi {{contact.first_name}}, so sorry!"}]}`), time.Now()); err != nil {
		t.Fatal(err)
	}

	b := openTab(t, s, phone)
	b.login("sam@example.com", password)
	b.waitFor(fmt.Sprintf(`document.querySelectorAll('#list .row').length === %d`, n+1), 5*time.Second)
	b.noHorizontalScroll("inbox")
	if eval[bool](b, `getComputedStyle(document.querySelector('.placeholder')).display !== 'none'`) {
		t.Errorf("the phone shows the empty conversation pane beside the list")
	}
	b.screenshot("inbox-phone")

	b.do(chromedp.Tap(chromedp.CSS(`#list .row:first-child .row-link`)))
	b.waitFor(`document.body.dataset.page === 'conversation' && document.readyState === 'complete'`, 5*time.Second)
	if eval[bool](b, `getComputedStyle(document.querySelector('.listpane')).display !== 'none'`) {
		t.Errorf("the phone shows the list beside the conversation")
	}
	if !eval[bool](b, `getComputedStyle(document.querySelector('.back')).display !== 'none'`) {
		t.Errorf("the phone has no way back to the list")
	}
	b.noHorizontalScroll("conversation")
	// A phone browser widens its layout to what overflows: check that the
	// composer's controls are inside the 390 px.
	controls := `[...document.querySelectorAll('.composer button, .composer select, .composer textarea, .composer label, .topbar a, .topbar button')]
		.filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > 390).map(e => e.outerHTML.slice(0, 60))`
	if out := eval[[]string](b, controls); len(out) > 0 {
		t.Errorf("controls beyond the phone's width: %q", out)
	}

	// The composer stays in reach and sends.
	b.do(chromedp.Tap(chromedp.ID("reply-text")))
	b.keys("We're on it, Maya. A replacement ships today.")
	inView := `(() => { const r = document.querySelector('.composer button.primary').getBoundingClientRect();
		return r.bottom <= window.innerHeight && r.top >= 0 && r.width >= 44; })()`
	if !eval[bool](b, inView) {
		t.Errorf("the Send button is not on screen at 390×844")
	}
	b.do(chromedp.Tap(chromedp.CSS(`.composer button.primary`)))
	b.waitFor(`[...document.querySelectorAll('#timeline .msg-out')].some(m => m.textContent.includes('replacement ships'))`, 5*time.Second)
	b.noHorizontalScroll("conversation after the reply")
	b.screenshot("conversation-phone")

	b.do(chromedp.Tap(chromedp.CSS(`.back`)))
	b.waitFor(`document.body.dataset.page === 'inbox'`, 5*time.Second)
}

func TestBrowserHostileContent(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	s.CreateUser("sam@example.com", "Sam Rivera", password, care.RoleAgent)
	// The customer's system refuses replies with a hostile reason, which
	// Parley shows to the agent.
	in := s.CreateInbox("Website", replies(t, http.StatusBadRequest, `<img src=x onerror="window.__pwned='reason'"><script>window.__pwned='reason'</script>`))

	name := `<img src=x onerror="window.__pwned='name'">` + "\u202Emoc.evil"
	payloads := []string{
		`<script>window.__pwned='script'</script>`,
		`<img src=x onerror="window.__pwned='img';alert(1)">`,
		`<svg onload="window.__pwned='svg'"></svg><iframe src="javascript:parent.__pwned='iframe'"></iframe>`,
		`<a href="javascript:window.__pwned='link'">click me</a> and javascript:window.__pwned='text'`,
		`https://example.com/"onmouseover="window.__pwned='attr'" and <style>body{display:none}</style>`,
		"Your invoice: invoice_\u202Efdp.exe and pay\u200Bpal.com\u2066 isolated\u200B\u200B\u200B",
		strings.Repeat("A", 10_000),
		"https://example.com/" + strings.Repeat("x", 3000),
		longLines(5000),
	}
	for i, p := range payloads {
		m := customer(fmt.Sprintf("h%d", i), name, "h4x", 1, p)
		s.Post(in, m)
		s.Message(in, m.ID)
	}

	b := openTab(t, s, desktop)
	b.login("sam@example.com", password)
	b.waitFor(`document.querySelectorAll('#list .row').length === 1`, 5*time.Second)
	b.noHorizontalScroll("inbox")
	b.do(chromedp.Click(chromedp.CSS(`#list .row-link`)))
	b.waitFor(`document.body.dataset.page === 'conversation' && document.readyState === 'complete'`, 5*time.Second)
	b.waitFor(`document.body.dataset.live === 'on'`, 5*time.Second)

	// A reply the customer's system refuses, with a hostile reason.
	b.do(chromedp.SendKeys(chromedp.ID("reply-text"), "Hello"), chromedp.Click(chromedp.CSS(`#reply-form button[type=submit]`)))
	b.waitFor(`document.querySelector('.delivery.dl-failed') !== null`, 10*time.Second)
	if got := eval[string](b, `document.querySelector('.delivery.dl-failed').textContent`); !strings.Contains(got, "<img src=x") {
		t.Errorf("the failure reason shows as %q, want the refused body as text", got)
	}
	if !eval[bool](b, `document.querySelector('.delivery.dl-failed button') !== null`) {
		t.Errorf("the failed reply has no Retry button")
	}

	check := func(where string) {
		t.Helper()
		if got := eval[string](b, `String(window.__pwned)`); got != "undefined" {
			t.Errorf("%s: a payload ran: window.__pwned = %s", where, got)
		}
		if got := eval[string](b, `[...document.scripts].map(s => s.src.replace(/^.*\/static\/([a-z]+)\..*$/, '$1')).join(' ')`); got != "count app" {
			t.Errorf("%s: script elements %q, want only Parley's two (count, app)", where, got)
		}
		if got := eval[int](b, `document.querySelectorAll('#timeline img, #timeline svg, #timeline iframe, #timeline style, a[href^="javascript:" i]').length`); got != 0 {
			t.Errorf("%s: %d elements made from customer text", where, got)
		}
		if eval[bool](b, `[...document.querySelectorAll('*')].some(e => [...e.attributes].some(a => a.name.startsWith('on')))`) {
			t.Errorf("%s: an element has an event handler attribute", where)
		}
		b.noHorizontalScroll(where)
		if w := eval[[]int](b, `(() => { const s = document.getElementById('timeline-scroll'); return [s.scrollWidth, s.clientWidth]; })()`); w[0] > w[1] {
			t.Errorf("%s: the timeline is %dpx wide in %dpx", where, w[0], w[1])
		}
	}
	check("conversation")

	// Hidden characters are shown, not obeyed; the name is isolated.
	if got := eval[string](b, `[...document.querySelectorAll('.hidden-char')].map(e => e.textContent).join(' ')`); !strings.Contains(got, "RLO") || !strings.Contains(got, "ZWSP×3") {
		t.Errorf("hidden characters shown as %q, want RLO and ZWSP×3 among them", got)
	}
	if got := eval[string](b, `document.querySelector('.conv-title h1').textContent`); strings.ContainsAny(got, "\u202E\u200B") || !strings.Contains(got, "moc.evil") {
		t.Errorf("the contact's name shows as %q, want it without the override", got)
	}
	// The 5,000-line message is cut, and opens on demand.
	long := `[...document.querySelectorAll('#timeline .msg')].find(m => m.textContent.includes('line 5000'))`
	if h := eval[float64](b, long+`.getBoundingClientRect().height`); h > 600 {
		t.Errorf("the 5,000-line message is %.0fpx tall before show more, want it cut", h)
	}
	b.do(chromedp.Click(chromedp.CSS("#" + eval[string](b, long+".id") + " details.more > summary")))
	if !eval[bool](b, long+`.querySelector('details.more').open`) {
		t.Errorf("show more did not open the long message")
	}
	b.screenshot("hostile-desktop")
	check("after show more")

	// The same on a phone.
	b.do(chromedp.EmulateViewport(phone.width, phone.height, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.navigate(eval[string](b, "location.pathname"))
	b.waitFor(`document.body.dataset.page === 'conversation' && document.readyState === 'complete'`, 5*time.Second)
	check("phone")

	if err := b.ctx.Err(); errors.Is(err, context.DeadlineExceeded) {
		t.Fatal("the browser test ran out of time")
	}
}
