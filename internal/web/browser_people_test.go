package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/web/webtest"
)

// An admin reaches the People page from the navigation, adds a colleague
// and reads their password once, puts them in a new team and disables
// them; the page fits a phone.
func TestBrowserPeople(t *testing.T) {
	needChromium(t)
	s := webtest.Start(t)
	s.CreateUser("ada@example.com", "Ada Admin", password, care.RoleAdmin)
	s.CreateUser("sam@example.com", "Sam Rivera", password, care.RoleAgent)

	b := openTab(t, s, desktop)
	b.login("ada@example.com", password)
	b.do(chromedp.Click(chromedp.CSS("a.people-link")))
	b.waitFor(`document.body.dataset.page === 'people' && document.readyState === 'complete'`, 5*time.Second)

	b.do(
		chromedp.SendKeys(chromedp.CSS(`.person-form input[name=name]`), "Lee Chan"),
		chromedp.SendKeys(chromedp.CSS(`.person-form input[name=email]`), "lee@example.com"),
		chromedp.SetValue(chromedp.CSS(`.person-form select[name=role]`), "supervisor"),
		chromedp.Click(chromedp.CSS(`.person-form button[type=submit]`)),
	)
	b.waitFor(`document.querySelector('.new-password') !== null`, 5*time.Second)
	if pw := eval[string](b, `document.querySelector('.new-password').textContent`); len(pw) < 10 {
		t.Errorf("the shown password is %q", pw)
	}

	b.do(
		chromedp.SendKeys(chromedp.CSS(`.team-form input[name=name]`), "Care"),
		chromedp.SendKeys(chromedp.CSS(`.team-form input[name=languages]`), "en, de"),
		chromedp.Click(chromedp.CSS(`.team-form .member-picks label:nth-of-type(2) input`)),
		chromedp.Click(chromedp.CSS(`.team-form button[type=submit]`)),
	)
	b.waitFor(`location.search.includes('done=created') && document.readyState === 'complete'`, 5*time.Second)
	card := eval[string](b, `document.querySelector('.team-card').innerText`)
	if !strings.Contains(card, "Care") || !strings.Contains(card, "de, en") {
		t.Errorf("the new team's card reads %q", card)
	}

	row := `[...document.querySelectorAll('.people-table tr')].find(r => r.textContent.includes('Sam Rivera'))`
	b.do(chromedp.Evaluate[chromedp.Void](row + `.querySelector('button[name=disabled]').click()`))
	b.waitFor(`location.search.includes('done=disabled') && document.readyState === 'complete'`, 5*time.Second)
	if got := eval[string](b, row+`.innerText`); !strings.Contains(got, "Disabled") || !strings.Contains(got, "Enable") {
		t.Errorf("Sam's row after disabling reads %q", got)
	}
	b.screenshot("people")

	p := openTab(t, s, phone)
	p.login("ada@example.com", password)
	p.navigate("/people")
	p.waitFor(`document.body.dataset.page === 'people'`, 5*time.Second)
	p.noHorizontalScroll("people on a phone")
	b.checkConsole()
	p.checkConsole()
}
