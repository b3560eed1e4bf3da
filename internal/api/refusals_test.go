package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

// TestCrossOriginRefusals sends state-changing requests as a browser would
// from another site's page: the API answers a problem detail that says what
// to do instead, the web a page with the reason and a way back, and nothing
// is stored.
func TestCrossOriginRefusals(t *testing.T) {
	w := newWorld(t)
	notes := fmt.Sprintf("/api/v1/conversations/%d/notes", w.in.ConversationID)
	reply := fmt.Sprintf("/c/%d/reply", w.in.ConversationID)
	form := "application/x-www-form-urlencoded"
	before := w.counts(t)
	for _, tc := range []struct {
		name, path, body, contentType string
		header                        []string
		web                           bool
	}{
		{name: "API, cross-site", path: notes, body: `{"text":"forged"}`, header: []string{"Sec-Fetch-Site", "cross-site"}},
		{name: "API, same-site other origin", path: notes, body: `{"text":"forged"}`, header: []string{"Sec-Fetch-Site", "same-site"}},
		{name: "API, Origin of another host", path: "/api/v1/tokens", body: `{"name":"forged","role":"admin"}`, header: []string{"Origin", "https://evil.example"}},
		{name: "API, unknown path", path: "/api/v1/nothing-here", body: `{}`, header: []string{"Sec-Fetch-Site", "cross-site"}},
		{name: "web form", path: reply, body: url.Values{"text": {"forged"}}.Encode(), contentType: form, header: []string{"Sec-Fetch-Site", "cross-site"}, web: true},
		{name: "web sign-in", path: "/login", body: url.Values{"email": {"a@example.com"}}.Encode(), contentType: form, header: []string{"Origin", "https://evil.example"}, web: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{"Authorization": {"Bearer " + w.admin}}
			if tc.contentType != "" {
				h.Set("Content-Type", tc.contentType)
			}
			h.Set(tc.header[0], tc.header[1])
			res := w.send(t, "POST", tc.path, tc.body, h)
			if !tc.web {
				p := res.problem(t, http.StatusForbidden)
				if p.Code != care.EFORBIDDEN || !strings.Contains(p.Detail, "Cross-origin request refused") || !strings.Contains(p.Detail, "Authorization: Bearer") {
					t.Errorf("problem = %+v, want forbidden saying why and what to do instead", p)
				}
				return
			}
			if res.status != http.StatusForbidden {
				t.Fatalf("status = %s, want 403", res)
			}
			if mt, _, _ := mime.ParseMediaType(res.header.Get("Content-Type")); mt != "text/html" {
				t.Errorf("Content-Type = %q, want text/html", res.header.Get("Content-Type"))
			}
			if res.header.Get("Content-Security-Policy") == "" || res.header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("the page lacks the interface's security headers: %v", res.header)
			}
			body := string(res.body)
			for _, want := range []string{"<!doctype html>", "sent from a page of another site", `href="/login"`} {
				if !strings.Contains(body, want) {
					t.Errorf("page does not contain %q:\n%s", want, body)
				}
			}
		})
	}
	if diff := cmp.Diff(before, w.counts(t)); diff != "" {
		t.Errorf("refused requests changed what is stored (-before +after):\n%s", diff)
	}
}

// TestMethodNotAllowed: a path the API serves, asked with a method it does
// not take there, is 405 with Allow; an unknown path stays 404.
func TestMethodNotAllowed(t *testing.T) {
	w := newWorld(t)
	conv := fmt.Sprintf("/api/v1/conversations/%d", w.in.ConversationID)
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"PUT", conv, 405, "GET, HEAD, PATCH"},
		{"DELETE", conv + "/messages", 405, "GET, HEAD, POST"},
		{"GET", conv + "/link", 405, "POST"},
		{"POST", "/api/v1/agents", 405, "GET, HEAD"},
		{"PUT", "/api/v1/session", 405, "DELETE, GET, HEAD, POST"},
		{"POST", "/api/v1/events", 405, "GET, HEAD"},
		{"DELETE", "/api/openapi.json", 405, "GET, HEAD"},
		{"GET", "/api/v1/nothing-here", 404, ""},
		{"POST", conv + "/nothing-here", 404, ""},
		{"GET", "/api/v2/conversations", 404, ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			res := w.call(t, w.admin, tc.method, tc.path, "")
			p := res.problem(t, tc.status)
			if got := res.header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow = %q, want %q", got, tc.allow)
			}
			if tc.status == 405 && (p.Code != "method_not_allowed" || !strings.Contains(p.Detail, tc.allow)) {
				t.Errorf("problem = %+v, want method_not_allowed naming %s", p, tc.allow)
			}
		})
	}
}

// TestRequiredFields: a field left out is named in a 400, not mistaken for
// a failed sign-in or a missing object.
func TestRequiredFields(t *testing.T) {
	w := newWorld(t)
	link := fmt.Sprintf("/api/v1/conversations/%d/link", w.in.ConversationID)
	for _, tc := range []struct {
		name, path, body string
		status           int
		detail           string
	}{
		{"sign-in without anything", "/api/v1/session", `{}`, 400, "email is required"},
		{"sign-in without email", "/api/v1/session", `{"password":"correct horse battery"}`, 400, "email is required"},
		{"sign-in with a blank email", "/api/v1/session", `{"email":"  ","password":"correct horse battery"}`, 400, "email is required"},
		{"sign-in without password", "/api/v1/session", `{"email":"admin@example.com"}`, 400, "password is required"},
		{"sign-in with an empty password", "/api/v1/session", `{"email":"admin@example.com","password":""}`, 400, "password is required"},
		{"sign-in with a wrong password", "/api/v1/session", `{"email":"admin@example.com","password":"not the one"}`, 401, "Wrong email or password"},
		{"link without the private conversation", link, `{}`, 400, "private_conversation_id is required"},
		{"link to conversation 0", link, `{"private_conversation_id":0}`, 400, "private_conversation_id is required"},
		{"link to a negative id", link, `{"private_conversation_id":-4}`, 400, "private_conversation_id is required"},
		{"link to a missing conversation", link, `{"private_conversation_id":999999}`, 404, "Conversation not found."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token := w.agent
			if strings.HasPrefix(tc.path, "/api/v1/session") {
				token = ""
			}
			if p := w.call(t, token, "POST", tc.path, tc.body).problem(t, tc.status); !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("detail = %q, want it to contain %q", p.Detail, tc.detail)
			}
		})
	}
}

// TestReportPeriods: every report reads from and to alike, as dates (a
// to date included) or RFC 3339 times.
func TestReportPeriods(t *testing.T) {
	w := newWorld(t)
	day := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	o := &care.SLAOutcome{WorkspaceID: workspace1, ConversationID: w.in.ConversationID, PolicyID: 1, Kind: "first_response",
		Channel: care.ChannelAPI, Met: true, Used: time.Minute, Target: time.Hour, At: day}
	if err := w.Store.RecordSLAOutcome(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, query string
		from, to    time.Time
		total       int // SLA outcomes counted
	}{
		{"dates", "from=2026-03-10&to=2026-03-10", day.Add(-12 * time.Hour), day.Add(12 * time.Hour), 1},
		{"dates around", "from=2026-03-01&to=2026-03-31", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), 1},
		{"dates before", "from=2026-03-08&to=2026-03-09", time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC), day.Add(-12 * time.Hour), 0},
		{"times", "from=2026-03-10T11:00:00Z&to=2026-03-10T13:00:00Z", day.Add(-time.Hour), day.Add(time.Hour), 1},
		{"a date and a time", "from=2026-03-10&to=2026-03-10T11:00:00Z", day.Add(-12 * time.Hour), day.Add(-time.Hour), 0},
	} {
		for _, path := range []string{"/api/v1/reports/sla?by=channel&", "/api/v1/reports/csat?", "/api/v1/reports/value?"} {
			t.Run(tc.name+" "+path, func(t *testing.T) {
				var rep struct {
					From, To time.Time
					Rows     []struct{ Total int }
				}
				w.must(t, http.StatusOK, w.supervisor, "GET", path+tc.query, "", &rep)
				if !rep.From.Equal(tc.from) || !rep.To.Equal(tc.to) {
					t.Errorf("period = %v – %v, want %v – %v", rep.From, rep.To, tc.from, tc.to)
				}
				if strings.Contains(path, "/sla") {
					total := 0
					for _, r := range rep.Rows {
						total += r.Total
					}
					if total != tc.total {
						t.Errorf("SLA outcomes counted = %d, want %d", total, tc.total)
					}
				}
			})
		}
	}
	for _, q := range []string{"from=2026-02-30", "from=10/03/2026", "to=2026-3-1", "from=2026-03-11&to=2026-03-10", "from=yesterday"} {
		for _, path := range []string{"/api/v1/reports/sla?", "/api/v1/reports/csat?", "/api/v1/reports/value?"} {
			t.Run(path+q, func(t *testing.T) {
				p := w.call(t, w.supervisor, "GET", path+q, "").problem(t, http.StatusBadRequest)
				if !strings.Contains(p.Detail, "2026-11-01") && !strings.Contains(p.Detail, "from must be before to") {
					t.Errorf("detail = %q, want it to show the forms accepted", p.Detail)
				}
			})
		}
	}
}

// TestTokenLastUsed: a token's use is recorded when it authenticates, and
// not again within the minute, so a busy integration costs no write a
// request.
func TestTokenLastUsed(t *testing.T) {
	w := newWorld(t)
	var created struct {
		Token  care.Token `json:"token"`
		Secret string     `json:"secret"`
	}
	w.must(t, http.StatusCreated, w.admin, "POST", "/api/v1/tokens", `{"name":"integration","role":"agent"}`, &created)
	lastUsed := func(t *testing.T) *time.Time {
		t.Helper()
		var list struct{ Tokens []json.RawMessage }
		w.must(t, http.StatusOK, w.admin, "GET", "/api/v1/tokens", "", &list)
		for _, raw := range list.Tokens {
			var tok care.Token
			if err := json.Unmarshal(raw, &tok); err != nil {
				t.Fatal(err)
			}
			if tok.ID != created.Token.ID {
				continue
			}
			if bytes.Contains(raw, []byte(`"last_used_at"`)) != (tok.LastUsedAt != nil) {
				t.Errorf("token %s: last_used_at present but empty", raw)
			}
			return tok.LastUsedAt
		}
		t.Fatalf("token %d not listed", created.Token.ID)
		return nil
	}
	if got := lastUsed(t); got != nil {
		t.Fatalf("a new token's last_used_at = %v, want none", got)
	}
	var first time.Time
	for i, step := range []struct {
		name   string
		method string
		path   string
		status int
	}{
		{"first request", "GET", "/api/v1/session", 200},
		{"a second request within the minute", "GET", "/api/v1/conversations", 200},
		{"a refused one within the minute", "GET", "/api/v1/audit", 403},
	} {
		t.Run(step.name, func(t *testing.T) {
			start := time.Now().Truncate(time.Microsecond)
			w.must(t, step.status, created.Secret, step.method, step.path, "", nil)
			got := lastUsed(t)
			if got == nil {
				t.Fatal("last_used_at is not set after the token authenticated a request")
			}
			if i == 0 {
				if got.Before(start) || got.After(time.Now()) {
					t.Errorf("last_used_at = %v, want the time of the request (after %v)", got, start)
				}
				first = *got
			} else if !got.Equal(first) {
				t.Errorf("last_used_at = %v, want %v: written again within the minute", got, first)
			}
		})
	}
}

// TestAgentTimesNeverSet: an agent who was never online or given work
// has no presence_at or last_assigned_at, not 1970.
func TestAgentTimesNeverSet(t *testing.T) {
	w := newWorld(t)
	online := care.PresenceOnline
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	if _, err := w.Store.UpdateAgent(t.Context(), workspace1, w.member, care.AgentUpdate{Presence: &online}, at); err != nil {
		t.Fatal(err)
	}
	var list struct{ Agents []map[string]json.RawMessage }
	w.must(t, http.StatusOK, w.agent, "GET", "/api/v1/agents", "", &list)
	if len(list.Agents) < 2 {
		t.Fatalf("agents = %v, want the admin and the member", list.Agents)
	}
	for _, a := range list.Agents {
		var id care.ID
		json.Unmarshal(a["user_id"], &id)
		for _, tc := range []struct {
			field string
			want  string // "" for left out
		}{
			{"presence_at", map[bool]string{true: `"2026-03-10T09:00:00Z"`}[id == w.member]},
			{"last_assigned_at", ""},
		} {
			if got := string(a[tc.field]); got != tc.want {
				t.Errorf("agent %d: %s = %q, want %q", id, tc.field, got, tc.want)
			}
		}
	}
}

// TestNotFoundWording: the store's "not found" reads as a sentence, as the
// API's own do.
func TestNotFoundWording(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct{ method, path, body, want string }{
		{"GET", "/api/v1/conversations/999999", "", "Conversation not found."},
		{"GET", "/api/v1/inboxes/999999", "", "Inbox not found."},
		{"GET", "/api/v1/contacts/999999", "", "Contact not found."},
		{"DELETE", "/api/v1/tokens/999999", "", "Token not found."},
		{"POST", "/api/v1/messages/999999/retry", "", "Message not found."},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			if p := w.call(t, w.admin, tc.method, tc.path, tc.body).problem(t, http.StatusNotFound); p.Detail != tc.want {
				t.Errorf("detail = %q, want %q", p.Detail, tc.want)
			}
		})
	}
}
