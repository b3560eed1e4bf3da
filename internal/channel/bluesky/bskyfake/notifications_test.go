package bskyfake

import (
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Notifications are listed by the earlier of createdAt and the time
// indexed, as the AppView lists them, and show it as indexedAt: a post
// written on a clock that is behind comes below posts indexed before it,
// and pages of one keep ties apart.
func TestNotificationsBySortAt(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	publish := func(text string, created time.Time) Post {
		t.Helper()
		p, err := c.f.Publish(ana, PostInput{Text: "@acme.example.com " + text, CreatedAt: created})
		if err != nil {
			t.Fatal(err)
		}
		c.now = c.now.Add(time.Second)
		return p
	}
	first := publish("first", time.Time{})            // 10:00:00
	second := publish("second", time.Time{})          // 10:00:01
	late := publish("late", start.Add(time.Second/2)) // published at 10:00:02, written at 10:00:00.5
	tie := publish("tie", start.Add(time.Second))     // published at 10:00:03, written at 10:00:01
	c.login()

	type item struct{ URI, IndexedAt string }
	var got []item
	cursor := ""
	for range 6 {
		q := url.Values{"limit": {"1"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		code, page, _ := c.call("GET", ListNotifications, q, nil)
		if code != 200 {
			t.Fatalf("listNotifications = %d %v", code, page)
		}
		for _, n := range page["notifications"].([]any) {
			n := n.(map[string]any)
			got = append(got, item{n["uri"].(string), n["indexedAt"].(string)})
		}
		next, _ := page["cursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	want := []item{
		{tie.URI, "2026-11-24T10:00:01.000Z"},
		{second.URI, "2026-11-24T10:00:01.000Z"},
		{late.URI, "2026-11-24T10:00:00.500Z"},
		{first.URI, "2026-11-24T10:00:00.000Z"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notifications (-want +got):\n%s", diff)
	}
	if code, _, _ := c.call("GET", ListNotifications, url.Values{"cursor": {"2026-11-24T10:00:00Z"}}, nil); code != 400 {
		t.Errorf("a malformed cursor = %d, want 400", code)
	}
}

// A DM deleted for self leaves the entry in the deleting account's log
// alone.
func TestDeleteDMForSelf(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	c.f.AddAccount(Account{DID: ana, Handle: "ana.bsky.social", AppPassword: "ana-pass-word-0000"})
	logs := func(who, password string) []string {
		t.Helper()
		c.auth = ""
		code, body, _ := c.call("POST", CreateSession, nil, map[string]string{"identifier": who, "password": password})
		if code != 200 {
			t.Fatalf("login of %s = %d %v", who, code, body)
		}
		c.auth = body["accessJwt"].(string)
		var kinds []string
		_, page, _ := c.call("GET", GetLog, url.Values{"cursor": {"2222222222222"}}, nil, "atproto-proxy", ChatProxy)
		for _, l := range page["logs"].([]any) {
			kinds = append(kinds, l.(map[string]any)["$type"].(string))
		}
		return kinds
	}
	m, err := c.f.SendDM(ana, brand, "hi")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.f.DeleteDMForSelf(brand, m.ConvoID, m.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.f.DeleteDMForSelf("did:plc:stranger", m.ConvoID, m.ID); err == nil {
		t.Error("a stranger deleted a message of a conversation they are not in")
	}
	del := "chat.bsky.convo.defs#logDeleteMessage"
	if got := logs(brand, pass); len(got) != 3 || got[2] != del {
		t.Errorf("brand's log = %v, want the deletion last", got)
	}
	if got := logs(ana, "ana-pass-word-0000"); len(got) != 2 {
		t.Errorf("Ana's log = %v, want no deletion", got)
	}
}
