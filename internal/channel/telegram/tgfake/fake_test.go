package tgfake

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

var ana = User{ID: 1111111, FirstName: "Ana", LastName: "Silva", Username: "anas"}

func newFake(t *testing.T) (*Fake, *httptest.Server) {
	t.Helper()
	f := New()
	f.Now = func() time.Time { return testNow }
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	return f, srv
}

// answer is a decoded Bot API answer.
type answer struct {
	status      int
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  map[string]any  `json:"parameters"`
}

// call posts params as JSON to method with the default token.
func call(t *testing.T, srv *httptest.Server, method string, params any) answer {
	t.Helper()
	b, _ := json.Marshal(params)
	return do(t, srv, http.MethodPost, "/bot"+DefaultToken+"/"+method, "application/json", string(b))
}

func do(t *testing.T, srv *httptest.Server, verb, path, ctype, body string) answer {
	t.Helper()
	req, err := http.NewRequest(verb, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v", verb, path, err)
	}
	a.status = resp.StatusCode
	if a.OK != (resp.StatusCode == 200) || !a.OK && a.ErrorCode != resp.StatusCode {
		t.Errorf("%s %s: envelope %+v does not match status %d", verb, path, a, resp.StatusCode)
	}
	return a
}

func TestAuthAndRouting(t *testing.T) {
	t.Parallel()
	_, srv := newFake(t)
	for _, tt := range []struct {
		path   string
		status int
		desc   string
	}{
		{"/bot" + DefaultToken + "/getMe", 200, ""},
		{"/bot" + DefaultToken + "/GETME", 200, ""},
		{"/bot7000000001:wrong/getMe", 401, "Unauthorized"},
		{"/bot/getMe", 401, "Unauthorized"},
		{"/" + DefaultToken + "/getMe", 404, "Not Found"},
		{"/bot" + DefaultToken + "/sendPhoto", 404, "Not Found"},
		{"/", 404, "Not Found"},
	} {
		a := do(t, srv, http.MethodGet, tt.path, "", "")
		if a.status != tt.status || a.Description != tt.desc {
			t.Errorf("GET %s = %d %q, want %d %q", tt.path, a.status, a.Description, tt.status, tt.desc)
		}
	}
	a := call(t, srv, "getMe", nil)
	var me map[string]any
	json.Unmarshal(a.Result, &me)
	if me["id"] != float64(DefaultBotID) || me["username"] != DefaultUsername || me["is_bot"] != true {
		t.Errorf("getMe = %s", a.Result)
	}
}

func TestSendMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, srv := newFake(t)
	first, err := f.Deliver(ctx, Message{From: ana, Text: "Hi"})
	if err != nil {
		t.Fatal(err)
	}
	a := call(t, srv, "sendMessage", map[string]any{"chat_id": ana.ID, "text": "Hello Ana", "reply_parameters": map[string]any{"message_id": first}})
	var m struct {
		MessageID int64 `json:"message_id"`
		From      struct {
			ID int64 `json:"id"`
		} `json:"from"`
		Chat struct {
			ID   int64  `json:"id"`
			Type string `json:"type"`
		} `json:"chat"`
		Text           string `json:"text"`
		ReplyToMessage struct {
			MessageID int64 `json:"message_id"`
			Text      string
		} `json:"reply_to_message"`
	}
	if err := json.Unmarshal(a.Result, &m); err != nil || !a.OK {
		t.Fatalf("sendMessage = %+v", a)
	}
	if m.MessageID != 2 || m.From.ID != DefaultBotID || m.Chat.ID != ana.ID || m.Chat.Type != "private" || m.Text != "Hello Ana" || m.ReplyToMessage.MessageID != first {
		t.Errorf("sent message = %+v", m)
	}
	// Form-encoded, with the deprecated reply_to_message_id.
	form := url.Values{"chat_id": {"1111111"}, "text": {"Second"}, "reply_to_message_id": {"1"}}
	if a := do(t, srv, http.MethodPost, "/bot"+DefaultToken+"/sendMessage", "application/x-www-form-urlencoded", form.Encode()); !a.OK {
		t.Errorf("form-encoded sendMessage = %+v", a)
	}
	// In the query string, with a JSON-serialized object.
	q := url.Values{"chat_id": {"1111111"}, "text": {"Third"}, "reply_parameters": {`{"message_id":99,"allow_sending_without_reply":true}`}, "parse_mode": {"HTML"}}
	if a := do(t, srv, http.MethodGet, "/bot"+DefaultToken+"/sendMessage?"+q.Encode(), "", ""); !a.OK {
		t.Errorf("query sendMessage = %+v", a)
	}
	got := f.Sent()
	want := []Sent{
		{ChatID: ana.ID, MessageID: 2, Text: "Hello Ana", ReplyTo: first, At: testNow},
		{ChatID: ana.ID, MessageID: 3, Text: "Second", ReplyTo: 1, At: testNow},
		{ChatID: ana.ID, MessageID: 4, Text: "Third", ParseMode: "HTML", ReplyTo: 99, At: testNow},
	}
	if diff := cmp.Diff(want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Body" }, cmp.Ignore())); diff != "" {
		t.Errorf("Sent (-want +got):\n%s", diff)
	}
}

func TestSendMessageErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, srv := newFake(t)
	if _, err := f.Deliver(ctx, Message{From: ana, Text: "Hi"}); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("😀", MaxTextChars+1)
	for _, tt := range []struct {
		name   string
		params map[string]any
		status int
		desc   string
	}{
		{"no chat", map[string]any{"text": "x"}, 400, "Bad Request: chat_id is empty"},
		{"unknown chat", map[string]any{"chat_id": 42, "text": "x"}, 400, "Bad Request: chat not found"},
		{"username chat", map[string]any{"chat_id": "@someone", "text": "x"}, 400, "Bad Request: chat not found"},
		{"no text", map[string]any{"chat_id": ana.ID}, 400, "Bad Request: message text is empty"},
		{"blank text", map[string]any{"chat_id": ana.ID, "text": " \n"}, 400, "Bad Request: message text is empty"},
		{"too long", map[string]any{"chat_id": ana.ID, "text": long}, 400, "Bad Request: message is too long"},
		{"4096 emoji", map[string]any{"chat_id": ana.ID, "text": long[len("😀"):]}, 200, ""},
		{"bad parse mode", map[string]any{"chat_id": ana.ID, "text": "x", "parse_mode": "markdown2"}, 400, "Bad Request: unsupported parse_mode"},
		{"reply to nothing", map[string]any{"chat_id": ana.ID, "text": "x", "reply_parameters": map[string]any{"message_id": 77}}, 400, "Bad Request: message to be replied not found"},
		{"reply to nothing, allowed", map[string]any{"chat_id": ana.ID, "text": "x", "reply_parameters": map[string]any{"message_id": 77, "allow_sending_without_reply": true}}, 200, ""},
	} {
		if a := call(t, srv, "sendMessage", tt.params); a.status != tt.status || a.Description != tt.desc {
			t.Errorf("%s: sendMessage = %d %q, want %d %q", tt.name, a.status, a.Description, tt.status, tt.desc)
		}
	}

	f.Throttle(1, 35)
	a := call(t, srv, "sendMessage", map[string]any{"chat_id": ana.ID, "text": "x"})
	if a.status != 429 || a.Description != "Too Many Requests: retry after 35" || a.Parameters["retry_after"] != float64(35) {
		t.Errorf("throttled sendMessage = %+v", a)
	}
	f.FailNext(1)
	if a := call(t, srv, "sendMessage", map[string]any{"chat_id": ana.ID, "text": "x"}); a.status != 500 {
		t.Errorf("failing sendMessage = %+v", a)
	}
	f.Block(ana.ID)
	if a := call(t, srv, "sendMessage", map[string]any{"chat_id": ana.ID, "text": "x"}); a.status != 403 || a.Description != "Forbidden: bot was blocked by the user" {
		t.Errorf("sendMessage to a blocked chat = %+v", a)
	}
	if n := len(f.Sent()); n != 2 {
		t.Errorf("%d messages recorded, want the 2 accepted", n)
	}
}

// hook records the updates posted to it.
type hook struct {
	mu      sync.Mutex
	bodies  [][]byte
	secrets []string
	status  int
}

func newHook(t *testing.T) (*hook, string) {
	h := &hook{status: http.StatusOK}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		h.bodies = append(h.bodies, b)
		h.secrets = append(h.secrets, r.Header.Get(SecretHeader))
		w.WriteHeader(h.status)
	}))
	t.Cleanup(srv.Close)
	return h, srv.URL
}

func (h *hook) updates(t *testing.T) []map[string]any {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]any
	for i, b := range h.bodies {
		var u map[string]any
		if err := json.Unmarshal(b, &u); err != nil {
			t.Fatalf("update %d is not JSON: %s", i, b)
		}
		if h.secrets[i] != "tok_1" {
			t.Errorf("update %d posted with secret %q", i, h.secrets[i])
		}
		out = append(out, u)
	}
	return out
}

func TestWebhook(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, srv := newFake(t)
	h, hookURL := newHook(t)
	if a := call(t, srv, "setWebhook", map[string]any{"url": hookURL, "secret_token": "bad token!"}); a.status != 400 {
		t.Errorf("setWebhook with a bad secret = %+v", a)
	}
	a := call(t, srv, "setWebhook", map[string]any{"url": hookURL, "secret_token": "tok_1", "allowed_updates": []string{"message", "edited_message", "message_reaction"}})
	if !a.OK || string(a.Result) != "true" || a.Description != "Webhook was set" {
		t.Fatalf("setWebhook = %+v", a)
	}
	if a := call(t, srv, "getUpdates", nil); a.status != 409 || !strings.Contains(a.Description, "webhook is active") {
		t.Errorf("getUpdates with a webhook = %+v", a)
	}

	id, err := f.Deliver(ctx, Message{From: ana, Text: "Hi"})
	if err != nil {
		t.Fatal(err)
	}
	call(t, srv, "sendMessage", map[string]any{"chat_id": ana.ID, "text": "Hello"})
	group := &Chat{ID: -100555, Type: "supergroup", Title: "Acme Users"}
	if _, err := f.Deliver(ctx, Message{From: ana, Chat: group, Text: "thanks", ReplyTo: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Deliver(ctx, Message{From: ana, Text: "thanks!", ReplyTo: 2, Content: map[string]any{"caption": "c"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.Edit(ctx, ana, ana.ID, id, "Hi there"); err != nil {
		t.Fatal(err)
	}
	if err := f.Edit(ctx, ana, ana.ID, 2, "not hers"); err == nil {
		t.Error("Edit of the bot's message succeeded")
	}
	if err := f.React(ctx, ana, ana.ID, 2, "👍", ""); err != nil {
		t.Fatal(err)
	}
	// A first reaction to a message of Ana's that she edited sends it
	// again with the edit's date.
	if err := f.React(ctx, ana, ana.ID, id, "👍", ""); err != nil {
		t.Fatal(err)
	}

	us := h.updates(t)
	if len(us) != 7 {
		t.Fatalf("%d updates posted, want 7", len(us))
	}
	msg := us[0]["message"].(map[string]any)
	if us[0]["update_id"] != float64(100001) || msg["text"] != "Hi" || msg["chat"].(map[string]any)["type"] != "private" ||
		msg["from"].(map[string]any)["username"] != "anas" {
		t.Errorf("first update = %v", us[0])
	}
	gm := us[1]["message"].(map[string]any)
	if gm["chat"].(map[string]any)["title"] != "Acme Users" || gm["message_id"] != float64(1) || gm["reply_to_message"] != nil {
		t.Errorf("group update = %v (a reply to a message of another chat carries no reply_to_message)", gm)
	}
	reply := us[2]["message"].(map[string]any)["reply_to_message"].(map[string]any)
	if reply["from"].(map[string]any)["is_bot"] != true || reply["text"] != "Hello" {
		t.Errorf("reply to the bot = %v", reply)
	}
	if e := us[3]["edited_message"].(map[string]any); e["text"] != "Hi there" || e["edit_date"] == nil || e["message_id"] != float64(id) {
		t.Errorf("edit = %v", e)
	}
	if r := us[4]["message_reaction"].(map[string]any); r["message_id"] != float64(2) || r["new_reaction"].([]any)[0].(map[string]any)["emoji"] != "👍" {
		t.Errorf("reaction = %v", r)
	}
	edit := us[3]["edited_message"].(map[string]any)
	if r, ok := us[5]["message_reaction"].(map[string]any); !ok || r["message_id"] != float64(id) {
		t.Errorf("reaction to Ana's message = %v", us[5])
	}
	if e, ok := us[6]["edited_message"].(map[string]any); !ok || e["text"] != "Hi there" || e["edit_date"] != edit["edit_date"] || e["message_id"] != float64(id) {
		t.Errorf("edited_message after the first reaction = %v, want the edit again, with its edit_date", us[6])
	}

	// The webhook refuses: Deliver says so.
	h.mu.Lock()
	h.status = http.StatusUnauthorized
	h.mu.Unlock()
	if _, err := f.Deliver(ctx, Message{From: ana, Text: "again"}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("Deliver to a refusing webhook = %v", err)
	}
	if status, err := f.Post(ctx, []byte(`{"update_id":1}`)); status != 401 || err == nil {
		t.Errorf("Post = %d, %v", status, err)
	}

	if a := call(t, srv, "deleteWebhook", nil); !a.OK || a.Description != "Webhook was deleted" || f.Webhook().URL != "" {
		t.Errorf("deleteWebhook = %+v", a)
	}
}

func TestGetUpdates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, srv := newFake(t)
	for _, text := range []string{"one", "two", "three"} {
		if _, err := f.Deliver(ctx, Message{From: ana, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	// Reactions are queued only for a bot that asked for them.
	if err := f.React(ctx, ana, ana.ID, 1, "👍", ""); err != nil {
		t.Fatal(err)
	}
	ids := func(a answer) []float64 {
		var us []map[string]any
		if err := json.Unmarshal(a.Result, &us); err != nil {
			t.Fatalf("getUpdates = %+v", a)
		}
		var out []float64
		for _, u := range us {
			out = append(out, u["update_id"].(float64))
		}
		return out
	}
	if got := ids(call(t, srv, "getUpdates", map[string]any{"limit": 2, "timeout": 0})); !cmp.Equal(got, []float64{100001, 100002}) {
		t.Errorf("getUpdates(limit 2) = %v", got)
	}
	if got := ids(call(t, srv, "getUpdates", map[string]any{"offset": 100002, "allowed_updates": []string{"message", "message_reaction"}})); !cmp.Equal(got, []float64{100002, 100003}) {
		t.Errorf("getUpdates(offset) = %v", got)
	}
	if err := f.React(ctx, ana, ana.ID, 1, "🔥", "👍"); err != nil {
		t.Fatal(err)
	}
	if got := ids(call(t, srv, "getUpdates", map[string]any{"offset": 100004})); !cmp.Equal(got, []float64{100006}) {
		t.Errorf("getUpdates(after) = %v, want the reaction asked for", got)
	}
	// The first reaction to Ana's message also sent it again, unchanged
	// and without edit_date, as Telegram does; the second did not.
	a := call(t, srv, "getUpdates", map[string]any{"offset": 100004, "allowed_updates": []string{"message", "edited_message"}})
	var us []map[string]any
	if err := json.Unmarshal(a.Result, &us); err != nil || len(us) != 1 || us[0]["update_id"] != float64(100005) {
		t.Fatalf("getUpdates(edited_message) = %+v", a)
	}
	if e, ok := us[0]["edited_message"].(map[string]any); !ok || e["text"] != "one" || e["message_id"] != float64(1) || e["edit_date"] != nil {
		t.Errorf("edited_message after the first reaction = %v, want message 1 unchanged, without edit_date", us[0])
	}
	if err := f.Queue([]byte(`{"update_id":200000,"callback_query":{"id":"1"}}`)); err != nil {
		t.Fatal(err)
	}
	if got := ids(call(t, srv, "getUpdates", map[string]any{"offset": 100007})); !cmp.Equal(got, []float64{200000}) {
		t.Errorf("getUpdates(queued) = %v", got)
	}
	if f.Pending() != 1 {
		t.Errorf("%d pending, want the last one, unconfirmed", f.Pending())
	}
	if err := f.Queue([]byte(`{"message":{}}`)); err == nil {
		t.Error("Queue of an update without update_id succeeded")
	}
}

// TestMigrate checks the answer to a send to a group that became a
// supergroup, as the Bot API gives it
// (core.telegram.org/bots/api#responseparameters).
func TestMigrate(t *testing.T) {
	t.Parallel()
	f, srv := newFake(t)
	group := &Chat{ID: -987654321, Type: "group", Title: "Acme Users"}
	if _, err := f.Deliver(context.Background(), Message{From: ana, Chat: group, Text: "Hi"}); err != nil {
		t.Fatal(err)
	}
	f.Migrate(group.ID, -1001987654321)
	a := call(t, srv, "sendMessage", map[string]any{"chat_id": group.ID, "text": "x"})
	if a.status != 400 || a.Description != "Bad Request: group chat was upgraded to a supergroup chat" ||
		a.Parameters["migrate_to_chat_id"] != float64(-1001987654321) {
		t.Errorf("sendMessage to the old group = %+v", a)
	}
	a = call(t, srv, "sendMessage", map[string]any{"chat_id": -1001987654321, "text": "x"})
	var m struct {
		MessageID int64 `json:"message_id"`
		Chat      struct {
			ID    int64  `json:"id"`
			Type  string `json:"type"`
			Title string `json:"title"`
		} `json:"chat"`
	}
	if err := json.Unmarshal(a.Result, &m); err != nil || !a.OK || m.MessageID != 1 || m.Chat.ID != -1001987654321 || m.Chat.Type != "supergroup" || m.Chat.Title != "Acme Users" {
		t.Errorf("sendMessage to the supergroup = %+v (%+v)", a, m)
	}
	if sent := f.Sent(); len(sent) != 1 || sent[0].ChatID != -1001987654321 {
		t.Errorf("Sent = %+v, want only the supergroup's message", sent)
	}
}
