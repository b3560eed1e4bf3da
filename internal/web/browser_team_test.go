package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/web/webtest"
)

// Two agents in two browsers: each sees the other in the conversation
// they both opened, typing shows as a warning before anyone answers twice,
// and a note that @mentions one of them reaches that one live and stays
// on their notifications page until they open the conversation.
func TestBrowserColleagues(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	s.CreateUser("sam@example.com", "Sam Rivera", password, care.RoleAgent)
	s.CreateUser("lee@example.com", "Lee Chan", password, care.RoleAgent)
	in := s.CreateInbox("Website", replies(t, http.StatusOK, ""))
	s.Post(in, customer("team-1", "Maya Chen", "mayachen", 120, "The lamp arrived broken, can someone help?"))
	conv := s.Message(in, "team-1").ConversationID
	path := fmt.Sprintf("/c/%d", conv)

	sam, lee := openTab(t, s, desktop), openTab(t, s, desktop)
	sam.login("sam@example.com", password)
	lee.login("lee@example.com", password)
	lee.navigate(path)
	lee.waitFor(`document.body.dataset.live === 'on'`, 5*time.Second)
	sam.navigate(path)
	sam.waitFor(`document.body.dataset.live === 'on'`, 5*time.Second)

	// Sam's page learns from its first touch that Lee is here; Lee's learns
	// from the event stream that Sam arrived.
	sam.waitFor(`!document.getElementById('presence').hidden && document.getElementById('presence').textContent.includes('Lee Chan is also viewing')`, 5*time.Second)
	lee.waitFor(`document.getElementById('presence').textContent.includes('Sam Rivera is also viewing')`, 5*time.Second)

	// Lee starts a reply: Sam is warned before writing one too.
	lee.press("r")
	lee.keys("Hi Maya, so sorry")
	sam.waitFor(`document.getElementById('presence').classList.contains('collision') && document.getElementById('presence').textContent.includes('Lee Chan is typing')`, 5*time.Second)
	sam.screenshot("conversation-collision")

	// Sam leaves Lee a note instead.
	sam.press("n")
	sam.keys("@lee you have this one, I'll take the next.")
	sam.do(chromedp.Click(chromedp.CSS("#note-form button[type=submit]")))
	lee.waitFor(`[...document.querySelectorAll('#toasts .toast')].some(t => t.textContent.includes('Sam Rivera mentioned you'))`, 5*time.Second)
	if got := eval[string](lee, `document.getElementById('notify-count').textContent`); got != "1" {
		t.Errorf("Lee's notification count = %q, want 1", got)
	}
	if got := eval[string](lee, `document.getElementById('reply-text').value`); got != "Hi Maya, so sorry" {
		t.Errorf("the note's arrival changed Lee's draft to %q", got)
	}
	// Sam's own page counts nothing: the author is not notified.
	sam.waitFor(`document.readyState === 'complete' && document.getElementById('notify-count') !== null &&
		[...document.querySelectorAll('#timeline .msg-note')].some(m => m.textContent.includes('you have this one'))`, 5*time.Second)
	if eval[bool](sam, `!document.getElementById('notify-count').hidden`) {
		t.Errorf("the author's page shows a notification count")
	}

	// The notification waits on Lee's page until Lee opens the conversation.
	lee.navigate("/notifications")
	if got := eval[string](lee, `document.querySelector('.notification.unread a').textContent`); !strings.Contains(got, "@lee you have this one") {
		t.Errorf("Lee's unread notification reads %q", got)
	}
	lee.do(chromedp.Click(chromedp.CSS(".notification.unread a")))
	lee.waitFor(`document.body.dataset.page === 'conversation'`, 5*time.Second)
	if !eval[bool](lee, `document.getElementById('notify-count').hidden`) {
		t.Errorf("opening the conversation left its notification unread")
	}
	// Lee left the page for a moment and came back; Sam's page still
	// shows him, not a ghost of a second Lee.
	sam.waitFor(`(document.getElementById('presence').textContent.match(/Lee Chan/g) || []).length === 1`, 5*time.Second)
	sam.checkConsole()
	lee.checkConsole()
}
