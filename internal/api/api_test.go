package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

// counts is how many of each thing workspace 1 holds, to show that a
// refused request stored nothing.
type counts struct {
	Messages, Inboxes, Teams, Tokens, Users, Audit int
	Conversation                                   care.Conversation
}

func (w *world) counts(t *testing.T) counts {
	t.Helper()
	var c counts
	w.must(t, http.StatusOK, w.admin, "GET", fmt.Sprintf("/api/v1/conversations/%d", w.in.ConversationID), "", &c.Conversation)
	var msgs struct{ Messages []care.Message }
	w.must(t, http.StatusOK, w.admin, "GET", fmt.Sprintf("/api/v1/conversations/%d/messages", w.in.ConversationID), "", &msgs)
	var inboxes struct{ Inboxes []care.Inbox }
	w.must(t, http.StatusOK, w.admin, "GET", "/api/v1/inboxes", "", &inboxes)
	var teams struct{ Teams []care.Team }
	w.must(t, http.StatusOK, w.admin, "GET", "/api/v1/teams", "", &teams)
	var tokens struct{ Tokens []care.Token }
	w.must(t, http.StatusOK, w.admin, "GET", "/api/v1/tokens", "", &tokens)
	var users struct{ Users []json.RawMessage }
	w.must(t, http.StatusOK, w.admin, "GET", "/api/v1/users", "", &users)
	var audit struct{ Entries []care.AuditEntry }
	w.must(t, http.StatusOK, w.admin, "GET", "/api/v1/audit?limit=1000", "", &audit)
	c.Messages, c.Inboxes, c.Teams, c.Tokens, c.Users, c.Audit = len(msgs.Messages), len(inboxes.Inboxes), len(teams.Teams), len(tokens.Tokens), len(users.Users), len(audit.Entries)
	return c
}

// TestMalformedInput sends bodies a careless or hostile client might, and
// checks each is refused with a problem that says what to fix, and that
// nothing was stored.
func TestMalformedInput(t *testing.T) {
	w := newWorld(t)
	conv := fmt.Sprintf("/api/v1/conversations/%d", w.in.ConversationID)
	team := fmt.Sprintf("/api/v1/teams/%d", w.team)
	apiInboxPath := fmt.Sprintf("/api/v1/inboxes/%d/messages", w.inbox.ID)
	bigText := strings.Repeat("a", care.MaxTextBytes+1)
	hugeBody := `{"text":"` + strings.Repeat("a", api.MaxBodyBytes) + `"}`

	tests := []struct {
		name        string
		method      string
		path        string
		contentType string // default application/json
		token       string // default the admin's
		body        string
		status      int
		detail      string // a substring of the problem's detail
	}{
		{name: "reply: not JSON", method: "POST", path: conv + "/messages", body: `hello`, status: 400, detail: "not valid JSON (at byte 1)"},
		{name: "reply: cut short", method: "POST", path: conv + "/messages", body: `{"text":"hi"`, status: 400, detail: "ends too early"},
		{name: "reply: empty body", method: "POST", path: conv + "/messages", body: ``, status: 400, detail: "empty"},
		{name: "reply: null", method: "POST", path: conv + "/messages", body: `null`, status: 400, detail: "must be a JSON object ({...}), not null"},
		{name: "reply: array", method: "POST", path: conv + "/messages", body: `[{"text":"hi"}]`, status: 400, detail: "must be a JSON object ({...}), not an array"},
		{name: "reply: unknown field", method: "POST", path: conv + "/messages", body: `{"text":"hi","txt":"typo"}`, status: 400, detail: `Unknown field "txt"`},
		{name: "reply: wrong type", method: "POST", path: conv + "/messages", body: `{"text":42}`, status: 400, detail: `Field "text" must be a string, not number`},
		{name: "reply: wrong nested type", method: "POST", path: conv + "/messages", body: `{"text":"hi","attachments":[{"kind":"file","size":"big"}]}`, status: 400, detail: `Field "attachments.size" must be a whole number, not string`},
		{name: "reply: trailing data", method: "POST", path: conv + "/messages", body: `{"text":"hi"} {"text":"again"}`, status: 400, detail: "found data after it"},
		{name: "reply: trailing brace", method: "POST", path: conv + "/messages", body: `{"text":"hi"}}`, status: 400, detail: "found data after it"},
		{name: "reply: oversized body", method: "POST", path: conv + "/messages", body: hugeBody, status: 413, detail: fmt.Sprint(api.MaxBodyBytes)},
		{name: "reply: oversized text", method: "POST", path: conv + "/messages", body: jsonBody(map[string]any{"text": bigText}), status: 400, detail: "longer than 65536 bytes"},
		{name: "reply: blank", method: "POST", path: conv + "/messages", body: `{"text":"   "}`, status: 400, detail: "empty"},
		{name: "reply: NUL", method: "POST", path: conv + "/messages", body: `{"text":"a\u0000b"}`, status: 400, detail: "UTF-8"},
		{name: "reply: as a note", method: "POST", path: conv + "/messages", body: `{"text":"hi","visibility":"note"}`, status: 400, detail: "use a note"},
		{name: "reply: too many attachments", method: "POST", path: conv + "/messages", body: jsonBody(map[string]any{"text": "hi", "attachments": slices.Repeat([]care.Attachment{{Kind: "file"}}, care.MaxAttachments+1)}), status: 400, detail: "At most 20"},
		{name: "reply: to another conversation's message", method: "POST", path: conv + "/messages", body: jsonBody(map[string]any{"text": "hi", "reply_to_message_id": w.in2.ID}), status: 400, detail: "reply_to_message_id"},
		{name: "reply: form encoded", method: "POST", path: conv + "/messages", contentType: "application/x-www-form-urlencoded", body: `text=hi`, status: 400, detail: "application/json"},
		{name: "reply: bad id", method: "POST", path: "/api/v1/conversations/abc/messages", body: `{"text":"hi"}`, status: 400, detail: `"abc" is not an id`},
		{name: "reply: no such conversation", method: "POST", path: "/api/v1/conversations/999999/messages", body: `{"text":"hi"}`, status: 404, detail: "not found"},
		{name: "note: oversized text", method: "POST", path: conv + "/notes", body: jsonBody(map[string]any{"text": bigText}), status: 400, detail: "longer than"},
		{name: "note: unknown field", method: "POST", path: conv + "/notes", body: `{"text":"hi","visibility":"note"}`, status: 400, detail: `Unknown field "visibility"`},
		{name: "note: oversized body", method: "POST", path: conv + "/notes", body: hugeBody, status: 413, detail: "larger than"},

		{name: "patch: unknown status", method: "PATCH", path: conv, body: `{"status":"closed"}`, status: 400, detail: `Unknown status "closed"`},
		{name: "patch: tags not a list", method: "PATCH", path: conv, body: `{"tags":"vip"}`, status: 400, detail: `Field "tags" must be an array, not string`},
		{name: "patch: bad tag", method: "PATCH", path: conv, body: `{"tags":["a,b"]}`, status: 400, detail: "comma"},
		{name: "patch: too many tags", method: "PATCH", path: conv, body: jsonBody(map[string]any{"tags": tagList(care.MaxTagsPerItem + 1)}), status: 400, detail: "At most 50 tags"},
		{name: "patch: snooze time not a time", method: "PATCH", path: conv, body: `{"status":"snoozed","snoozed_until":"tomorrow"}`, status: 400, detail: "RFC 3339"},
		{name: "patch: snooze in the past", method: "PATCH", path: conv, body: `{"status":"snoozed","snoozed_until":"2001-01-01T00:00:00Z"}`, status: 400, detail: "in the future"},
		{name: "patch: snooze without a time", method: "PATCH", path: conv, body: `{"status":"snoozed"}`, status: 400, detail: "snoozed_until"},
		{name: "patch: snooze time without snoozing", method: "PATCH", path: conv, body: jsonBody(map[string]any{"snoozed_until": time.Now().Add(time.Hour)}), status: 400, detail: `"status": "snoozed"`},
		{name: "patch: snooze time while opening", method: "PATCH", path: conv, body: jsonBody(map[string]any{"status": "open", "snoozed_until": time.Now().Add(time.Hour)}), status: 400, detail: `"status": "snoozed"`},
		{name: "patch: assignee not a member", method: "PATCH", path: conv, body: `{"assignee_id":999999}`, status: 400, detail: "not a member"},
		{name: "patch: assignee not an integer", method: "PATCH", path: conv, body: `{"assignee_id":1.5}`, status: 400, detail: `Field "assignee_id" must be a whole number, not number 1.5`},
		{name: "patch: team of nobody", method: "PATCH", path: conv, body: `{"team_id":999999}`, status: 400, detail: "not a team"},

		{name: "inbox: unknown field", method: "POST", path: "/api/v1/inboxes", body: `{"channel":"api","name":"X","token":"mine"}`, status: 400, detail: `Unknown field "token"`},
		{name: "inbox: credentials not strings", method: "POST", path: "/api/v1/inboxes", body: `{"channel":"x","name":"X","credentials":{"a":1}}`, status: 400, detail: `must be a string, not number`},
		{name: "inbox: bad channel", method: "POST", path: "/api/v1/inboxes", body: `{"channel":"X Corp","name":"X"}`, status: 400, detail: "channel"},
		{name: "inbox: no name", method: "POST", path: "/api/v1/inboxes", body: `{"channel":"api","name":"   "}`, status: 400, detail: "name"},
		{name: "inbox: bad webhook", method: "POST", path: "/api/v1/inboxes", body: `{"channel":"api","name":"X","webhook_url":"ftp://example.com"}`, status: 400, detail: "webhook_url"},
		{name: "inbox: oversized body", method: "POST", path: "/api/v1/inboxes", body: `{"channel":"api","name":"` + strings.Repeat("x", api.MaxBodyBytes) + `"}`, status: 413, detail: "larger than"},
		{name: "inbox: trailing data", method: "POST", path: "/api/v1/inboxes", body: `{"channel":"api","name":"X"}[]`, status: 400, detail: "found data after it"},

		{name: "team: member ids not integers", method: "POST", path: "/api/v1/teams", body: `{"name":"T","member_ids":["a"]}`, status: 400, detail: `Field "member_ids" must be a whole number, not string`},
		{name: "team: member of nothing", method: "POST", path: "/api/v1/teams", body: `{"name":"T","member_ids":[999999]}`, status: 400, detail: "not a member"},
		{name: "team: duplicate name", method: "POST", path: "/api/v1/teams", body: `{"name":"Tier 1"}`, status: 409, detail: ""},
		{name: "team members: wrong type", method: "PUT", path: team + "/members", body: `{"member_ids":{}}`, status: 400, detail: "must be an array"},
		{name: "token: bad role", method: "POST", path: "/api/v1/tokens", body: `{"name":"x","role":"owner"}`, status: 400, detail: "Role must be"},
		{name: "token: no name", method: "POST", path: "/api/v1/tokens", body: `{"role":"agent"}`, status: 400, detail: "name"},
		{name: "user: bad email", method: "POST", path: "/api/v1/users", body: `{"email":"not an address","name":"N","role":"agent"}`, status: 400, detail: "not an email address"},
		{name: "user: short password", method: "POST", path: "/api/v1/users", body: `{"email":"n@example.com","name":"N","role":"agent","password":"short"}`, status: 400, detail: "at least 10"},
		{name: "member: bad role", method: "PATCH", path: fmt.Sprintf("/api/v1/users/%d", w.member), body: `{"role":"owner"}`, status: 400, detail: "role"},
		{name: "login: wrong type", method: "POST", path: "/api/v1/session", token: "-", body: `{"email":1,"password":"x"}`, status: 400, detail: `Field "email" must be a string`},

		{name: "API inbox: not JSON", method: "POST", path: apiInboxPath, token: w.inbox.Token, body: `{"id":`, status: 400, detail: "not a valid message"},
		{name: "API inbox: unknown field", method: "POST", path: apiInboxPath, token: w.inbox.Token, body: `{"id":"bad-1","author":{"id":"c"},"text":"hi","from":"x"}`, status: 400, detail: `unknown field "from"`},
		{name: "inbox of an unknown channel", method: "POST", path: "/api/v1/inboxes", token: w.admin, body: `{"channel":"whatsap","name":"WA"}`, status: 400, detail: "no channel \"whatsap\"; it connects: api,"},
		{name: "API inbox: no author", method: "POST", path: apiInboxPath, token: w.inbox.Token, body: `{"id":"bad-2","text":"hi"}`, status: 400, detail: "author.id is required"},
		{name: "API inbox: oversized text", method: "POST", path: apiInboxPath, token: w.inbox.Token, body: jsonBody(map[string]any{"id": "bad-3", "author": map[string]any{"id": "c"}, "text": bigText}), status: 400, detail: "text is longer"},
		{name: "API inbox: oversized body", method: "POST", path: apiInboxPath, token: w.inbox.Token, body: `{"id":"bad-4","author":{"id":"c"},"text":"` + strings.Repeat("a", apiinbox.MaxBodyBytes) + `"}`, status: 413, detail: "larger than"},
		{name: "API inbox: trailing data", method: "POST", path: apiInboxPath, token: w.inbox.Token, body: `{"id":"bad-5","author":{"id":"c"},"text":"hi"} x`, status: 400, detail: "exactly one JSON object"},
	}

	before := w.counts(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			switch tt.token {
			case "":
				h.Set("Authorization", "Bearer "+w.admin)
			case "-":
			default:
				h.Set("Authorization", "Bearer "+tt.token)
			}
			if tt.contentType != "" {
				h.Set("Content-Type", tt.contentType)
			}
			res := w.send(t, tt.method, tt.path, tt.body, h)
			p := res.problem(t, tt.status)
			if !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("detail = %q, want it to contain %q", p.Detail, tt.detail)
			}
			if p.Instance != strings.SplitN(tt.path, "?", 2)[0] {
				t.Errorf("instance = %q, want %q", p.Instance, tt.path)
			}
			// Go type names mean nothing to a client.
			for _, leak := range []string{"care.", "api.", "int64", "[]string", "sqlite", "SQL"} {
				if strings.Contains(p.Detail, leak) {
					t.Errorf("detail %q leaks %q", p.Detail, leak)
				}
			}
		})
	}
	after := w.counts(t)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("refused requests changed what is stored (-before +after):\n%s", diff)
	}
	for i := 1; i <= 5; i++ {
		if _, err := w.Store.MessageByPlatformID(context.Background(), w.inbox.ID, fmt.Sprintf("bad-%d", i)); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("refused API-inbox message bad-%d was stored (err %v)", i, err)
		}
	}
}

func tagList(n int) []string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = fmt.Sprintf("t%d", i)
	}
	return tags
}

// TestConversationWorkflow works one conversation as an agent would.
func TestConversationWorkflow(t *testing.T) {
	w := newWorld(t)
	conv := fmt.Sprintf("/api/v1/conversations/%d", w.in.ConversationID)
	get := func(t *testing.T) care.Conversation {
		t.Helper()
		var c care.Conversation
		w.must(t, http.StatusOK, w.agent, "GET", conv, "", &c)
		return c
	}
	start := get(t)

	t.Run("reply is queued", func(t *testing.T) {
		var m care.Message
		w.must(t, http.StatusCreated, w.agent, "POST", conv+"/messages", `{"text":"We are on it."}`, &m)
		want := care.Message{ID: m.ID, WorkspaceID: workspace1, ConversationID: w.in.ConversationID, InboxID: w.inbox.ID,
			Direction: care.DirectionOut, Visibility: care.Private, Text: "We are on it.", Attachments: []care.Attachment{},
			Status: care.DeliveryQueued, AuthorName: m.AuthorName, CreatedAt: m.CreatedAt, SentAt: m.SentAt}
		if diff := cmp.Diff(want, m); diff != "" {
			t.Errorf("reply (-want +got):\n%s", diff)
		}
		if c := get(t); c.MessageCount != start.MessageCount+1 {
			t.Errorf("message_count = %d, want %d", c.MessageCount, start.MessageCount+1)
		}
	})

	t.Run("note stays inside", func(t *testing.T) {
		var m care.Message
		w.must(t, http.StatusCreated, w.agent, "POST", conv+"/notes", `{"text":"VIP, be quick"}`, &m)
		if m.Visibility != care.Note || m.Status != care.DeliveryStored || m.Direction != care.DirectionOut {
			t.Errorf("note = %+v, want visibility note, status stored", m)
		}
	})

	t.Run("messages page in order", func(t *testing.T) {
		var all struct{ Messages []care.Message }
		w.must(t, http.StatusOK, w.agent, "GET", conv+"/messages", "", &all)
		if len(all.Messages) != start.MessageCount+2 {
			t.Fatalf("got %d messages, want %d", len(all.Messages), start.MessageCount+2)
		}
		var page struct{ Messages []care.Message }
		w.must(t, http.StatusOK, w.agent, "GET", fmt.Sprintf("%s/messages?after=%d&limit=1", conv, all.Messages[0].ID), "", &page)
		if len(page.Messages) != 1 || page.Messages[0].ID != all.Messages[1].ID {
			t.Errorf("after=%d&limit=1 = %v, want message %d", all.Messages[0].ID, page.Messages, all.Messages[1].ID)
		}
		w.call(t, w.agent, "GET", conv+"/messages?limit=501", "").problem(t, http.StatusBadRequest)
	})

	patch := func(t *testing.T, body string) care.Conversation {
		t.Helper()
		var c care.Conversation
		w.must(t, http.StatusOK, w.agent, "PATCH", conv, body, &c)
		if got := get(t); !cmp.Equal(c, got) {
			t.Errorf("PATCH answered %+v but GET shows %+v", c, got)
		}
		return c
	}

	t.Run("status", func(t *testing.T) {
		if c := patch(t, `{"status":"pending"}`); c.Status != care.StatusPending {
			t.Errorf("status = %s, want pending", c.Status)
		}
	})
	t.Run("assignee", func(t *testing.T) {
		if c := patch(t, jsonBody(map[string]any{"assignee_id": w.member})); c.AssigneeID != w.member {
			t.Errorf("assignee_id = %d, want %d", c.AssigneeID, w.member)
		}
		if c := patch(t, `{"assignee_id":0}`); c.AssigneeID != 0 {
			t.Errorf("assignee_id after unassigning = %d, want 0", c.AssigneeID)
		}
	})
	t.Run("team", func(t *testing.T) {
		if c := patch(t, jsonBody(map[string]any{"team_id": w.team})); c.TeamID != w.team {
			t.Errorf("team_id = %d, want %d", c.TeamID, w.team)
		}
	})
	t.Run("tags", func(t *testing.T) {
		c := patch(t, `{"tags":["VIP"," billing ","vip"]}`)
		if diff := cmp.Diff([]string{"billing", "vip"}, c.Tags); diff != "" {
			t.Errorf("tags (-want +got):\n%s", diff)
		}
		var page care.ConversationPage
		w.must(t, http.StatusOK, w.agent, "GET", "/api/v1/conversations?tag=VIP", "", &page)
		if len(page.Conversations) != 1 || page.Conversations[0].ID != w.in.ConversationID {
			t.Errorf("?tag=VIP listed %v, want only conversation %d", page.Conversations, w.in.ConversationID)
		}
		if c := patch(t, `{"tags":[]}`); len(c.Tags) != 0 {
			t.Errorf("tags after clearing = %v, want none", c.Tags)
		}
	})
	t.Run("snooze", func(t *testing.T) {
		until := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
		c := patch(t, jsonBody(map[string]any{"status": "snoozed", "snoozed_until": until}))
		if c.Status != care.StatusSnoozed || c.SnoozedUntil == nil || !c.SnoozedUntil.Equal(until) {
			t.Errorf("after snoozing: status %s until %v, want snoozed until %v", c.Status, c.SnoozedUntil, until)
		}
		// A snooze in the past is refused and changes nothing.
		w.call(t, w.agent, "PATCH", conv, `{"status":"snoozed","snoozed_until":"2020-01-01T00:00:00Z"}`).problem(t, http.StatusBadRequest)
		if got := get(t); got.SnoozedUntil == nil || !got.SnoozedUntil.Equal(until) {
			t.Errorf("a refused snooze changed snoozed_until to %v", got.SnoozedUntil)
		}
		c = patch(t, `{"status":"open"}`)
		if c.Status != care.StatusOpen || c.SnoozedUntil != nil {
			t.Errorf("after reopening: status %s until %v, want open and no snooze", c.Status, c.SnoozedUntil)
		}
	})
	t.Run("filters", func(t *testing.T) {
		for _, q := range []string{"status=closed", "assignee=someone", "team=x", "sort=oldest", "limit=0", "limit=101", "priority_min=high", "channel=Not%20A%20Channel", "cursor=nonsense"} {
			w.call(t, w.agent, "GET", "/api/v1/conversations?"+q, "").problem(t, http.StatusBadRequest)
		}
		// A token with no user has no "me".
		w.call(t, w.agent, "GET", "/api/v1/conversations?assignee=me", "").problem(t, http.StatusBadRequest)
	})
	t.Run("audited", func(t *testing.T) {
		var audit struct{ Entries []care.AuditEntry }
		w.must(t, http.StatusOK, w.supervisor, "GET", fmt.Sprintf("/api/v1/audit?target=conversation:%d", w.in.ConversationID), "", &audit)
		var actions []string
		for _, e := range audit.Entries {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"message.reply", "message.note", "conversation.update"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit of the conversation lacks %s: %v", want, actions)
			}
		}
	})
}

// TestConversationPagination walks every page of the list in each order and
// checks that each conversation appears exactly once.
func TestConversationPagination(t *testing.T) {
	w := newWorld(t)
	for range 7 {
		w.newConversation(t, w.inbox)
	}
	var all care.ConversationPage
	w.must(t, http.StatusOK, w.agent, "GET", "/api/v1/conversations?limit=100", "", &all)
	if len(all.Conversations) < 9 || all.Next != "" {
		t.Fatalf("one big page = %d conversations, next %q; want at least 9 and no next", len(all.Conversations), all.Next)
	}
	for _, sort := range []string{"newest", "priority", "waiting"} {
		t.Run(sort, func(t *testing.T) {
			seen := map[care.ID]bool{}
			var order []care.ID
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > len(all.Conversations) {
					t.Fatal("pagination does not end")
				}
				path := "/api/v1/conversations?limit=2&sort=" + sort
				if cursor != "" {
					path += "&cursor=" + cursor
				}
				var page care.ConversationPage
				w.must(t, http.StatusOK, w.agent, "GET", path, "", &page)
				if len(page.Conversations) > 2 {
					t.Fatalf("page of %d, want at most 2", len(page.Conversations))
				}
				for _, c := range page.Conversations {
					if seen[c.ID] {
						t.Errorf("conversation %d appears twice", c.ID)
					}
					seen[c.ID] = true
					order = append(order, c.ID)
				}
				if page.Next == "" {
					break
				}
				cursor = page.Next
			}
			if len(seen) != len(all.Conversations) {
				t.Errorf("pages held %d conversations, want %d", len(seen), len(all.Conversations))
			}
			var one care.ConversationPage
			w.must(t, http.StatusOK, w.agent, "GET", "/api/v1/conversations?limit=100&sort="+sort, "", &one)
			var want []care.ID
			for _, c := range one.Conversations {
				want = append(want, c.ID)
			}
			if diff := cmp.Diff(want, order); diff != "" {
				t.Errorf("paged order differs from one page (-one +paged):\n%s", diff)
			}
		})
	}
	t.Run("cursor of another sort", func(t *testing.T) {
		var page care.ConversationPage
		w.must(t, http.StatusOK, w.agent, "GET", "/api/v1/conversations?limit=2&sort=newest", "", &page)
		w.call(t, w.agent, "GET", "/api/v1/conversations?limit=2&sort=priority&cursor="+page.Next, "").problem(t, http.StatusBadRequest)
	})
	t.Run("filtered", func(t *testing.T) {
		var page care.ConversationPage
		w.must(t, http.StatusOK, w.agent, "GET", fmt.Sprintf("/api/v1/conversations?inbox=%d&status=open", w.inbox2.ID), "", &page)
		if len(page.Conversations) != 1 || page.Conversations[0].ID != w.in2.ConversationID {
			t.Errorf("?inbox=%d listed %v, want only conversation %d", w.inbox2.ID, page.Conversations, w.in2.ConversationID)
		}
		w.must(t, http.StatusOK, w.agent, "GET", fmt.Sprintf("/api/v1/conversations?contact=%d", w.in.ContactID), "", &page)
		if len(page.Conversations) != 2 {
			t.Errorf("?contact=%d listed %d conversations, want 2", w.in.ContactID, len(page.Conversations))
		}
	})
}

// TestMergeAndUndo merges two contacts through the API and undoes it.
func TestMergeAndUndo(t *testing.T) {
	w := newWorld(t)
	a := w.ingest(t, w.inbox, "merge-a", "ana-on-x", "Hi, from X")
	b := w.ingest(t, w.inbox, "merge-b", "ana-by-mail", "Hi, by mail")
	contact := func(t *testing.T, id care.ID) care.Contact {
		t.Helper()
		var c care.Contact
		w.must(t, http.StatusOK, w.agent, "GET", fmt.Sprintf("/api/v1/contacts/%d", id), "", &c)
		return c
	}
	convContact := func(t *testing.T, conv care.ID) care.ID {
		t.Helper()
		var c care.Conversation
		w.must(t, http.StatusOK, w.agent, "GET", fmt.Sprintf("/api/v1/conversations/%d", conv), "", &c)
		return c.ContactID
	}

	w.call(t, w.agent, "POST", fmt.Sprintf("/api/v1/contacts/%d/merge", a.ContactID), jsonBody(map[string]any{"contact_id": a.ContactID})).problem(t, http.StatusBadRequest)
	w.call(t, w.agent, "POST", fmt.Sprintf("/api/v1/contacts/%d/merge", a.ContactID), `{}`).problem(t, http.StatusBadRequest)
	w.call(t, w.agent, "POST", fmt.Sprintf("/api/v1/contacts/%d/merge", a.ContactID), `{"contact_id":999999}`).problem(t, http.StatusNotFound)

	var m care.Merge
	w.must(t, http.StatusOK, w.agent, "POST", fmt.Sprintf("/api/v1/contacts/%d/merge", a.ContactID), jsonBody(map[string]any{"contact_id": b.ContactID}), &m)
	if m.WinnerID != a.ContactID || m.LoserID != b.ContactID || len(m.IdentityIDs) != 1 ||
		!slices.Equal(m.ConversationIDs, []care.ID{b.ConversationID}) || m.UndoneAt != nil {
		t.Fatalf("merge = %+v", m)
	}
	if got := contact(t, b.ContactID); got.MergedInto != a.ContactID || len(got.Identities) != 0 {
		t.Errorf("loser after merge: merged_into %d with %d identities; want %d and none", got.MergedInto, len(got.Identities), a.ContactID)
	}
	var ids struct{ Identities []care.Identity }
	w.must(t, http.StatusOK, w.agent, "GET", fmt.Sprintf("/api/v1/contacts/%d/identities", a.ContactID), "", &ids)
	if len(ids.Identities) != 2 {
		t.Errorf("winner has %d identities after the merge, want 2", len(ids.Identities))
	}
	if got := convContact(t, b.ConversationID); got != a.ContactID {
		t.Errorf("the loser's conversation belongs to contact %d, want %d", got, a.ContactID)
	}
	w.call(t, w.agent, "POST", fmt.Sprintf("/api/v1/contacts/%d/merge", a.ContactID), jsonBody(map[string]any{"contact_id": b.ContactID})).problem(t, http.StatusBadRequest)

	// Undoing needs a supervisor.
	undo := fmt.Sprintf("/api/v1/merges/%d/undo", m.ID)
	w.call(t, w.agent, "POST", undo, "").problem(t, http.StatusForbidden)
	var u care.Merge
	w.must(t, http.StatusOK, w.supervisor, "POST", undo, "", &u)
	if u.ID != m.ID || u.UndoneAt == nil {
		t.Errorf("undo = %+v, want merge %d with undone_at", u, m.ID)
	}
	if got := contact(t, b.ContactID); got.MergedInto != 0 || len(got.Identities) != 1 {
		t.Errorf("loser after undo: merged_into %d with %d identities; want 0 and 1", got.MergedInto, len(got.Identities))
	}
	if got := contact(t, a.ContactID); len(got.Identities) != 1 {
		t.Errorf("winner after undo has %d identities, want 1", len(got.Identities))
	}
	if got := convContact(t, b.ConversationID); got != b.ContactID {
		t.Errorf("after undo the conversation belongs to contact %d, want %d", got, b.ContactID)
	}
	w.call(t, w.supervisor, "POST", undo, "").problem(t, http.StatusConflict)
	w.call(t, w.supervisor, "POST", "/api/v1/merges/999999/undo", "").problem(t, http.StatusNotFound)

	var audit struct{ Entries []care.AuditEntry }
	w.must(t, http.StatusOK, w.supervisor, "GET", fmt.Sprintf("/api/v1/audit?target=contact:%d", a.ContactID), "", &audit)
	if len(audit.Entries) != 2 || audit.Entries[0].Action != "contact.unmerge" || audit.Entries[1].Action != "contact.merge" {
		t.Errorf("audit of the winner = %+v, want unmerge then merge, newest first", audit.Entries)
	}
}

// TestAPIInbox posts into an API inbox as an outside system would.
func TestAPIInbox(t *testing.T) {
	w := newWorld(t)
	path := fmt.Sprintf("/api/v1/inboxes/%d/messages", w.inbox.ID)
	msg := `{"id":"order-42","author":{"id":"cust-7","name":"Grace"},"text":"Is my order shipped?","visibility":"public"}`

	t.Run("refused", func(t *testing.T) {
		var x care.Inbox
		w.must(t, http.StatusCreated, w.admin, "POST", "/api/v1/inboxes", `{"channel":"phone","name":"Phone","external_id":"+15550100"}`, &struct {
			Inbox *care.Inbox `json:"inbox"`
		}{&x})
		refusals := []struct{ name, token, path string }{
			{"no token", "", path},
			{"wrong token", "prl_inbox_wrong", path},
			{"another inbox's token", w.inbox2.Token, path},
			{"an admin API token", w.admin, path},
			{"unknown inbox", w.inbox.Token, "/api/v1/inboxes/999999/messages"},
			{"not an API inbox", w.inbox.Token, fmt.Sprintf("/api/v1/inboxes/%d/messages", x.ID)},
		}
		for _, r := range refusals {
			p := w.call(t, r.token, "POST", r.path, msg).problem(t, http.StatusUnauthorized)
			if p.Detail != "Unknown inbox or wrong inbox token." {
				t.Errorf("%s: detail %q tells more than it should", r.name, p.Detail)
			}
		}
		// The pipeline runs in order: once a later message is threaded, a
		// stored refused one would be too.
		w.ingest(t, w.inbox, "after-refusals", "cust-8", "hi")
		if _, err := w.Store.MessageByPlatformID(context.Background(), w.inbox.ID, "order-42"); care.ErrorCode(err) != care.ENOTFOUND {
			t.Fatalf("a refused message was stored (err %v)", err)
		}
	})

	t.Run("duplicate", func(t *testing.T) {
		type ack struct {
			ID         care.ID   `json:"id"`
			Duplicate  bool      `json:"duplicate"`
			ReceivedAt time.Time `json:"received_at"`
		}
		var first, second ack
		w.must(t, http.StatusAccepted, w.inbox.Token, "POST", path, msg, &first)
		w.must(t, http.StatusAccepted, w.inbox.Token, "POST", path, msg, &second)
		if first.Duplicate || !second.Duplicate || first.ID != second.ID || first.ID == 0 || first.ReceivedAt.IsZero() {
			t.Errorf("acks = %+v then %+v; want the same id, the second a duplicate", first, second)
		}
		m := w.waitMessage(t, w.inbox.ID, "order-42")
		// Let the pipeline take anything still queued before counting.
		w.ingest(t, w.inbox, "after-duplicate", "cust-8", "hi")
		var msgs struct{ Messages []care.Message }
		w.must(t, http.StatusOK, w.agent, "GET", fmt.Sprintf("/api/v1/conversations/%d/messages", m.ConversationID), "", &msgs)
		n := 0
		for _, got := range msgs.Messages {
			if got.PlatformID == "order-42" {
				n++
				if got.Text != "Is my order shipped?" || got.Visibility != care.Public || got.Direction != care.DirectionIn || got.AuthorName != "Grace" {
					t.Errorf("stored message = %+v", got)
				}
			}
		}
		if n != 1 {
			t.Errorf("conversation holds %d copies of order-42, want 1", n)
		}
	})

	t.Run("rotated token", func(t *testing.T) {
		var sec struct {
			Token string `json:"token"`
		}
		w.must(t, http.StatusOK, w.admin, "POST", fmt.Sprintf("/api/v1/inboxes/%d/rotate", w.inbox.ID), "", &sec)
		w.call(t, w.inbox.Token, "POST", path, `{"id":"old-token","author":{"id":"c"},"text":"hi"}`).problem(t, http.StatusUnauthorized)
		w.ingest(t, apiInbox{ID: w.inbox.ID, Token: sec.Token}, "new-token", "c", "hi")
		w.inbox.Token = sec.Token
	})

	t.Run("rotated with a grace period", func(t *testing.T) {
		rotate := fmt.Sprintf("/api/v1/inboxes/%d/rotate", w.inbox.ID)
		for _, grace := range []string{"soon", "-1h", "169h"} {
			w.call(t, w.admin, "POST", rotate+"?grace="+grace, "").problem(t, http.StatusBadRequest)
		}
		var sec struct {
			Token string `json:"token"`
		}
		w.must(t, http.StatusOK, w.admin, "POST", rotate+"?grace=1h", "", &sec)
		// Both work until the hour is up, so the sending system can
		// change over without losing a message.
		w.ingest(t, apiInbox{ID: w.inbox.ID, Token: w.inbox.Token}, "grace-old", "c", "hi")
		w.ingest(t, apiInbox{ID: w.inbox.ID, Token: sec.Token}, "grace-new", "c", "hi")
		// Rotating again without one ends every earlier token at once.
		old := sec.Token
		w.must(t, http.StatusOK, w.admin, "POST", rotate, "", &sec)
		for _, tok := range []string{w.inbox.Token, old} {
			w.call(t, tok, "POST", path, `{"id":"after","author":{"id":"c"},"text":"hi"}`).problem(t, http.StatusUnauthorized)
		}
		w.ingest(t, apiInbox{ID: w.inbox.ID, Token: sec.Token}, "after", "c", "hi")
		w.inbox.Token = sec.Token
	})
}

// TestServeOpenAPI fetches the API's description from a running server.
func TestServeOpenAPI(t *testing.T) {
	ta := startApp(t)
	res := ta.call(t, "", "GET", "/api/openapi.json", "")
	if res.status != http.StatusOK {
		t.Fatalf("GET /api/openapi.json = %s, want 200", res)
	}
	if mt, _, _ := mime.ParseMediaType(res.header.Get("Content-Type")); mt != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", res.header.Get("Content-Type"))
	}
	if string(res.body) != string(api.OpenAPI()) {
		t.Error("the served document differs from api.OpenAPI()")
	}
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	res.decode(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") || len(doc.Paths) == 0 {
		t.Errorf("served document: openapi %q with %d paths", doc.OpenAPI, len(doc.Paths))
	}

	p := ta.call(t, "", "GET", "/api/v1/nothing-here", "").problem(t, http.StatusNotFound)
	if !strings.Contains(p.Detail, "/api/v1/nothing-here") {
		t.Errorf("404 detail %q does not name the path", p.Detail)
	}
}
