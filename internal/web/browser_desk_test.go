package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/web/webtest"
)

// setDue sets a conversation's first-reply deadline in the store, as the
// SLA keeper saves it: no event says so.
func setDue(t *testing.T, s *webtest.Server, id care.ID, at time.Time) {
	t.Helper()
	u := care.SLAUpdate{State: []byte(`{}`), FirstResponseDue: &at}
	if _, err := s.App.Store.UpdateConversation(context.Background(), id, care.ConversationUpdate{SLA: &u}, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// announce stores and publishes an SLA event for a conversation, as the
// SLA keeper does at a deadline's instant.
func announce(t *testing.T, s *webtest.Server, typ care.EventType, c *care.Conversation) {
	t.Helper()
	ctx := context.Background()
	e := care.Event{WorkspaceID: s.WorkspaceID, Type: typ, ConversationID: c.ID, InboxID: c.InboxID, Data: []byte(`{"kind":"first_response"}`), CreatedAt: time.Now()}
	if err := s.App.Store.Update(ctx, func(q care.Queries) error { return q.AppendEvent(ctx, &e) }); err != nil {
		t.Fatal(err)
	}
	s.App.Bus.Publish(e)
}

// chipOf is the text of a conversation's SLA chip in its list row.
func chipOf(id care.ID) string {
	return fmt.Sprintf(`(document.querySelector('#list .row[data-id="%d"] .sla') || {}).textContent`, id)
}

// The SLA chip stays true without a reload: a warning or a breach
// refreshes the row and the header at once, and as minutes pass the page
// has them rendered afresh, though no event comes.
func TestBrowserSLAChipLive(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	s.CreateUser("sam@example.com", "Sam Rivera", password, care.RoleAgent)
	conv := storedConversation(t, s, care.ChannelX, "Tom", care.Public, "1860000000000000101", "Where is my order?")
	setDue(t, s, conv.ID, time.Now().Add(3*time.Minute+30*time.Second))

	t.Run("events", func(t *testing.T) {
		b := openTab(t, s, desktop)
		b.login("sam@example.com", password)
		b.openConversation(conv.ID)
		b.waitFor(`document.body.dataset.live === 'on'`, 5*time.Second)
		b.waitFor(chipOf(conv.ID)+` === 'Reply due in 3 min'`, 5*time.Second)
		b.waitFor(`document.querySelector('.conv-head .sla').textContent === 'Reply due in 3 min'`, 5*time.Second)

		setDue(t, s, conv.ID, time.Now().Add(-5*time.Minute-10*time.Second))
		announce(t, s, care.EventSLABreach, conv)
		b.waitFor(chipOf(conv.ID)+` === 'Reply overdue 5 min'`, 5*time.Second)
		b.waitFor(`document.querySelector('.conv-head .sla.sla-over').textContent === 'Reply overdue 5 min'`, 5*time.Second)

		setDue(t, s, conv.ID, time.Now().Add(9*time.Minute+30*time.Second))
		announce(t, s, care.EventSLAWarning, conv)
		b.waitFor(chipOf(conv.ID)+` === 'Reply due in 9 min'`, 5*time.Second)
		b.checkConsole()
	})

	t.Run("minutes pass", func(t *testing.T) {
		setDue(t, s, conv.ID, time.Now().Add(29*time.Minute+30*time.Second))
		b := openTab(t, s, desktop)
		// A minute goes by in a fraction of a second: the page's own
		// timers of a minute run at once.
		if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `(function () { var si = window.setInterval; window.setInterval = function (f, ms) { return si(f, ms >= 60000 ? 50 : ms); }; })();`,
		}); err != nil {
			t.Fatal(err)
		}
		b.login("sam@example.com", password)
		b.openConversation(conv.ID)
		b.waitFor(chipOf(conv.ID)+` === 'Reply due in 29 min'`, 5*time.Second)

		// The keeper saves no event for time passing; the page still moves on.
		setDue(t, s, conv.ID, time.Now().Add(-2*time.Minute-10*time.Second))
		b.waitFor(chipOf(conv.ID)+` === 'Reply overdue 2 min'`, 5*time.Second)
		b.waitFor(`document.querySelector('.conv-head .sla.sla-over').textContent === 'Reply overdue 2 min'`, 5*time.Second)
		b.checkConsole()
	})
}

// On a phone or a tablet every destination of the top bar can be reached:
// behind the Menu button, which says whether it is open, and closes with
// Escape. On a desktop the links are all in sight, with no button.
func TestBrowserTopBarReachable(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	s.CreateUser("ada@example.com", "Ada Admin", password, care.RoleAdmin)

	// reachable lists the top bar's links and buttons that are out of
	// reach: hidden, their middle outside the window or under something.
	// The keyboard shortcuts' link is left out: a phone has no keyboard.
	const reachable = `[...document.querySelectorAll('header nav a:not(.shortcut-link), header nav button:not(.presence-set), header nav select')].filter(function (el) {
		var r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
		if (r.width === 0 || r.height === 0 || x < 0 || x > window.innerWidth || y < 0 || y > window.innerHeight) return true;
		var at = document.elementFromPoint(x, y);
		return !(at && (at === el || el.contains(at)));
	}).map(function (el) { return el.className || el.tagName; }).join(', ')`

	destinations := []string{"/approvals", "/queues", "/staffing", "/value", "/listening", "/reports", "/settings", "/people", "/inboxes", "/notifications", "/password"}
	tablet := viewport{"tablet", 1024, 768, false}
	for _, vp := range []viewport{phone, tablet, desktop} {
		t.Run(vp.name, func(t *testing.T) {
			b := openTab(t, s, vp)
			b.login("ada@example.com", password)
			hrefs := eval[[]string](b, `[...document.querySelectorAll('header nav a')].map(a => a.getAttribute('href'))`)
			for _, d := range destinations {
				if !strings.Contains(strings.Join(hrefs, " "), d) {
					t.Errorf("the top bar has no link to %s: %v", d, hrefs)
				}
			}
			folded := vp.width <= 1100
			toggle := eval[bool](b, `(function () { var t = document.getElementById('nav-toggle'); return t !== null && t.offsetParent !== null; })()`)
			if toggle {
				if got := eval[string](b, `document.getElementById('nav-toggle').getAttribute('aria-expanded')`); got != "false" {
					t.Errorf("the Menu button starts with aria-expanded=%s", got)
				}
				b.do(chromedp.Click(chromedp.ID("nav-toggle")))
				b.waitFor(`document.getElementById('nav-toggle').getAttribute('aria-expanded') === 'true'`, 5*time.Second)
			}
			if hidden := eval[string](b, reachable); hidden != "" {
				t.Errorf("out of reach in the top bar: %s", hidden)
			}
			b.noHorizontalScroll("the top bar")
			// The presence menu applies as it changes: its Set button is
			// for browsers without scripts.
			if eval[bool](b, `document.querySelector('header .presence-set').offsetParent !== null`) {
				t.Error("the presence menu's Set button is in sight")
			}
			if toggle != folded {
				t.Errorf("the Menu button is in sight: %v, want %v", toggle, folded)
			}
			if toggle {
				b.press("Escape")
				b.waitFor(`document.getElementById('nav-toggle').getAttribute('aria-expanded') === 'false' && document.activeElement.id === 'nav-toggle'`, 5*time.Second)
				if eval[bool](b, `document.querySelector('#topnav .people-link').offsetParent !== null`) {
					t.Error("the People link is in sight with the menu closed")
				}
				// A link from the menu takes the agent there.
				b.do(chromedp.Click(chromedp.ID("nav-toggle")), chromedp.Click(chromedp.CSS("#topnav .staffing-link")))
				b.waitFor(`document.body.dataset.page === 'staffing' && document.readyState === 'complete'`, 5*time.Second)
			}
			b.checkConsole()
		})
	}
}
