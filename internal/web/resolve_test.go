package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestResolveWhileWaitingAsksFirst(t *testing.T) {
	f := newFixture(t)
	conv := f.conversation(f.inbox, "Maya", "Where is my parcel?")
	if conv.WaitingSince == nil || conv.Status != care.StatusOpen {
		t.Fatalf("fixture conversation = %+v, want open and waiting", conv)
	}
	c := f.login()
	list := "sort=waiting"
	res, page := c.act(convPath(conv, "/status"), url.Values{"status": {"resolved"}, "list": {list}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("resolve while waiting answered %d, want the question", res.StatusCode)
	}
	if got := f.reload(conv); got.Status != care.StatusOpen {
		t.Fatalf("resolved without asking: %+v", got)
	}
	warn := regexpFind(t, page, `(?s)<div class="flash warn confirm-resolve" id="resolve-confirm" role="alert">.*?</div>`)
	for _, want := range []string{"The customer's last message has no answer yet. Resolve anyway?", `action="/c/` + itoa(conv.ID) + `/status"`,
		`name="confirm" value="1"`, `name="status" value="resolved"`, `name="csrf"`, `name="list" value="sort=waiting"`, ">Resolve anyway</button>"} {
		if !strings.Contains(warn, want) {
			t.Errorf("warning lacks %s:\n%s", want, warn)
		}
	}

	res, _ = c.act(convPath(conv, "/status"), url.Values{"status": {"resolved"}, "confirm": {"1"}, "list": {list}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != convPath(conv, "?sort=waiting") {
		t.Fatalf("Resolve anyway answered %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := f.reload(conv); got.Status != care.StatusResolved {
		t.Errorf("Resolve anyway left %+v", got)
	}
	if _, page := c.get(convPath(conv, "")); strings.Contains(page, `id="resolve-confirm"`) {
		t.Error("the question stays after resolving")
	}
}

func TestResolveAnsweredNeedsNoConfirm(t *testing.T) {
	f := newFixture(t)
	conv := f.conversation(f.inbox, "Maya", "Where is my parcel?")
	c := f.login()
	if res, _ := c.act(convPath(conv, "/reply"), url.Values{"text": {"It arrives Tuesday."}, "visibility": {"private"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply answered %d", res.StatusCode)
	}
	if got := f.reload(conv); got.WaitingSince != nil {
		t.Fatalf("still waiting after the reply: %+v", got)
	}
	res, page := c.act(convPath(conv, "/status"), url.Values{"status": {"resolved"}})
	if res.StatusCode != http.StatusSeeOther || strings.Contains(page, "resolve-confirm") {
		t.Fatalf("resolving an answered conversation answered %d", res.StatusCode)
	}
	if got := f.reload(conv); got.Status != care.StatusResolved {
		t.Errorf("not resolved: %+v", got)
	}
}
