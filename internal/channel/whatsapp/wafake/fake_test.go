package wafake

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/channel/meta"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// hook records the webhooks the fake posts.
type hook struct {
	mu     sync.Mutex
	bodies [][]byte
	sigs   []string
	status int
}

func newHook(t *testing.T, f *Fake) *hook {
	h := &hook{status: http.StatusOK}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, b)
		h.sigs = append(h.sigs, r.Header.Get("X-Hub-Signature-256"))
		status := h.status
		h.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	f.WebhookURL = srv.URL
	return h
}

// value decodes the n-th webhook's value, checking its signature and
// escaping.
func (h *hook) value(t *testing.T, n int, secret string) map[string]any {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.bodies) <= n {
		t.Fatalf("%d webhooks posted, want at least %d", len(h.bodies), n+1)
	}
	body := h.bodies[n]
	if h.sigs[n] != meta.Sign(secret, body) {
		t.Errorf("webhook %d is signed %s, want %s", n, h.sigs[n], meta.Sign(secret, body))
	}
	for _, c := range body {
		if c >= 0x80 {
			t.Fatalf("webhook %d has a raw non-ASCII byte: %s", n, body)
		}
	}
	var d struct {
		Object string `json:"object"`
		Entry  []struct {
			Changes []struct {
				Field string         `json:"field"`
				Value map[string]any `json:"value"`
			} `json:"changes"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(body, &d); err != nil || d.Object != "whatsapp_business_account" || d.Entry[0].Changes[0].Field != "messages" {
		t.Fatalf("webhook %d: %v: %s", n, err, body)
	}
	return d.Entry[0].Changes[0].Value
}

func newFake(t *testing.T) (*Fake, *httptest.Server) {
	f := New("secret")
	now := testNow
	f.Now = func() time.Time { return now }
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	return f, srv
}

func post(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func errorCode(m map[string]any) float64 {
	e, _ := m["error"].(map[string]any)
	c, _ := e["code"].(float64)
	return c
}

func TestMessagesEndpoint(t *testing.T) {
	f, srv := newFake(t)
	f.AddTemplate("order_update", "en_US", "utility", 1)
	f.Remember(DefaultPhoneNumberID, "16505550001", testNow.Add(-time.Hour))
	f.Remember(DefaultPhoneNumberID, "16505550002", testNow.Add(-25*time.Hour))
	f.Remember(DefaultPhoneNumberID, "US.7", testNow.Add(-time.Hour))
	url := srv.URL + "/v26.0/" + DefaultPhoneNumberID + "/messages"
	text := func(to string) string {
		return `{"messaging_product":"whatsapp","recipient_type":"individual","to":"` + to + `","type":"text","text":{"body":"hi"}}`
	}
	template := func(lang, params string) string {
		return `{"messaging_product":"whatsapp","to":"16505550002","type":"template","template":{"name":"order_update","language":{"code":"` + lang +
			`"},"components":[{"type":"body","parameters":[` + params + `]}]}}`
	}
	for _, tt := range []struct {
		name   string
		url    string
		token  string
		body   string
		status int
		code   float64 // 0 for success
	}{
		{"text within the window", url, DefaultAccessToken, text("16505550001"), 200, 0},
		{"without the version", srv.URL + "/" + DefaultPhoneNumberID + "/messages", DefaultAccessToken, text("+16505550001"), 200, 0},
		{"by BSUID", url, DefaultAccessToken, `{"messaging_product":"whatsapp","recipient":"US.7","type":"text","text":{"body":"hi"}}`, 200, 0},
		{"text outside the window", url, DefaultAccessToken, text("16505550002"), 400, 131047},
		{"text to a stranger", url, DefaultAccessToken, text("16505550003"), 400, 131047},
		{"template outside the window", url, DefaultAccessToken, template("en_US", `{"type":"text","text":"#1"}`), 200, 0},
		{"template in another language", url, DefaultAccessToken, template("de", `{"type":"text","text":"#1"}`), 404, 132001},
		{"template without its parameter", url, DefaultAccessToken, template("en_US", ``), 400, 132000},
		{"media by link", url, DefaultAccessToken, `{"messaging_product":"whatsapp","to":"16505550001","type":"image","image":{"link":"https://x/a.png"}}`, 200, 0},
		{"media without link or id", url, DefaultAccessToken, `{"messaging_product":"whatsapp","to":"16505550001","type":"image","image":{}}`, 400, 131008},
		{"wrong token", url, "nope", text("16505550001"), 401, 190},
		{"not JSON", url, DefaultAccessToken, `{`, 400, 100},
		{"no messaging_product", url, DefaultAccessToken, `{"to":"16505550001","type":"text","text":{"body":"hi"}}`, 400, 100},
		{"no recipient", url, DefaultAccessToken, `{"messaging_product":"whatsapp","type":"text","text":{"body":"hi"}}`, 400, 100},
		{"bad version", srv.URL + "/latest/" + DefaultPhoneNumberID + "/messages", DefaultAccessToken, text("16505550001"), 400, 100},
		{"bad phone number id", srv.URL + "/v26.0/abc/messages", DefaultAccessToken, text("16505550001"), 400, 100},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, m := post(t, tt.url, tt.token, tt.body)
			if status != tt.status || errorCode(m) != tt.code {
				t.Fatalf("POST = %d %v, want %d with code %v", status, m, tt.status, tt.code)
			}
			if tt.code == 0 {
				msgs, _ := m["messages"].([]any)
				if len(msgs) != 1 || !strings.HasPrefix(msgs[0].(map[string]any)["id"].(string), "wamid.") {
					t.Errorf("success body %v has no wamid", m)
				}
			}
		})
	}
	if n := len(f.Sent()); n != 5 {
		t.Errorf("the fake accepted %d messages, want 5", n)
	}

	f.Throttle(1)
	f.FailNext(1)
	if status, m := post(t, url, DefaultAccessToken, text("16505550001")); status != 500 || errorCode(m) != 131000 {
		t.Errorf("with FailNext: %d %v", status, m)
	}
	if status, m := post(t, url, DefaultAccessToken, text("16505550001")); status != 400 || errorCode(m) != 130429 {
		t.Errorf("with Throttle: %d %v", status, m)
	}
	f.Refuse(131053, "Media upload error", "Unsupported Image mime type image/heic")
	if status, m := post(t, url, DefaultAccessToken, text("16505550001")); status != 400 || errorCode(m) != 131053 {
		t.Errorf("with Refuse: %d %v", status, m)
	}
	if status, _ := post(t, url, DefaultAccessToken, text("16505550001")); status != 200 {
		t.Errorf("after the injected failures: %d", status)
	}
}

func TestDeliver(t *testing.T) {
	f, _ := newFake(t)
	h := newHook(t, f)
	ctx := context.Background()
	id, err := f.Deliver(ctx, Message{From: "16505551234", Name: "Zoë", Text: "¿Dónde está? 📦", ReplyTo: "wamid.prev"})
	if err != nil {
		t.Fatal(err)
	}
	v := h.value(t, 0, "secret")
	want := map[string]any{
		"messaging_product": "whatsapp",
		"metadata":          map[string]any{"display_phone_number": DefaultDisplayPhoneNumber, "phone_number_id": DefaultPhoneNumberID},
		"contacts":          []any{map[string]any{"profile": map[string]any{"name": "Zoë"}, "wa_id": "16505551234", "user_id": BSUID("16505551234")}},
		"messages": []any{map[string]any{"from": "16505551234", "from_user_id": BSUID("16505551234"), "id": id,
			"timestamp": "1795514400", "type": "text", "text": map[string]any{"body": "¿Dónde está? 📦"},
			"context": map[string]any{"from": DefaultDisplayPhoneNumber, "id": "wamid.prev"}}},
	}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("webhook value (-want +got):\n%s", diff)
	}
	// The delivered message opened the window.
	f.mu.Lock()
	open := f.inWindow(DefaultPhoneNumberID, "16505551234", "", testNow)
	f.mu.Unlock()
	if !open {
		t.Error("Deliver did not open the customer service window")
	}

	h.mu.Lock()
	h.status = http.StatusUnauthorized
	h.mu.Unlock()
	if _, err := f.Deliver(ctx, Message{From: "1", Text: "x"}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("Deliver to a refusing callback = %v, want an error with the status", err)
	}
	if _, err := f.Deliver(ctx, Message{Text: "from nobody"}); err == nil {
		t.Error("Deliver without a sender succeeded")
	}
}

func TestStatuses(t *testing.T) {
	for _, model := range []string{"PMP", "CBP"} {
		t.Run(model, func(t *testing.T) {
			f, srv := newFake(t)
			f.PricingModel = model
			h := newHook(t, f)
			ctx := context.Background()
			f.Remember(DefaultPhoneNumberID, "16505550001", testNow)
			status, m := post(t, srv.URL+"/"+DefaultPhoneNumberID+"/messages", DefaultAccessToken,
				`{"messaging_product":"whatsapp","to":"16505550001","type":"text","text":{"body":"hi"},"biz_opaque_callback_data":"k-1"}`)
			if status != 200 {
				t.Fatalf("send: %d %v", status, m)
			}
			wamid := f.Sent()[0].ID
			for i, want := range []string{"sent", "delivered", "read"} {
				if n, err := f.Advance(ctx); n != 1 || err != nil {
					t.Fatalf("Advance = %d, %v", n, err)
				}
				st := h.value(t, i, "secret")["statuses"].([]any)[0].(map[string]any)
				if st["id"] != wamid || st["status"] != want || st["recipient_id"] != "16505550001" || st["biz_opaque_callback_data"] != "k-1" {
					t.Errorf("status %d = %v", i, st)
				}
				_, priced := st["pricing"]
				conv, hasConv := st["conversation"].(map[string]any)
				_, expires := conv["expiration_timestamp"]
				if priced != (want != "read") || hasConv != (model == "CBP" && want != "read") || expires != (model == "CBP" && want == "sent") {
					t.Errorf("%s status: pricing %v, conversation %v; want pricing on sent and delivered, conversation under CBP", want, st["pricing"], conv)
				}
				if model == "PMP" && priced {
					p := st["pricing"].(map[string]any)
					if p["pricing_model"] != "PMP" || p["type"] != "free_customer_service" || p["category"] != "service" {
						t.Errorf("PMP pricing = %v", p)
					}
				}
			}
			if n, _ := f.Advance(ctx); n != 0 {
				t.Errorf("Advance after read posted %d statuses", n)
			}
			if err := f.Fail(ctx, wamid, 131026, "Message undeliverable", "Message Undeliverable."); err != nil {
				t.Fatal(err)
			}
			st := h.value(t, 3, "secret")["statuses"].([]any)[0].(map[string]any)
			errs, _ := st["errors"].([]any)
			if st["status"] != "failed" || len(errs) != 1 || errs[0].(map[string]any)["code"] != float64(131026) {
				t.Errorf("failed status = %v", st)
			}
			if err := f.Status(ctx, "wamid.unknown", "sent"); err == nil {
				t.Error("Status of an unknown message succeeded")
			}
		})
	}
}

func TestPairInterval(t *testing.T) {
	f, srv := newFake(t)
	now := testNow
	f.Now = func() time.Time { return now }
	f.PairInterval = 6 * time.Second
	f.Remember(DefaultPhoneNumberID, "16505550001", testNow.Add(-time.Hour))
	f.Remember(DefaultPhoneNumberID, "16505550002", testNow.Add(-time.Hour))
	url := srv.URL + "/v26.0/" + DefaultPhoneNumberID + "/messages"
	text := func(to string) string {
		return `{"messaging_product":"whatsapp","recipient_type":"individual","to":"` + to + `","type":"text","text":{"body":"hi"}}`
	}
	for _, tt := range []struct {
		name    string
		advance time.Duration
		to      string
		status  int
		code    float64
	}{
		{"first message", 0, "16505550001", 200, 0},
		{"again at once", time.Second, "16505550001", 400, 131056},
		{"another customer", 0, "16505550002", 200, 0},
		{"six seconds after the first", 5 * time.Second, "16505550001", 200, 0},
	} {
		now = now.Add(tt.advance)
		if status, m := post(t, url, DefaultAccessToken, text(tt.to)); status != tt.status || errorCode(m) != tt.code {
			t.Errorf("%s: POST = %d %v, want %d with code %v", tt.name, status, m, tt.status, tt.code)
		}
	}
}

func TestDeferWindowErrors(t *testing.T) {
	f, srv := newFake(t)
	f.DeferWindowErrors = true
	h := newHook(t, f)
	status, _ := post(t, srv.URL+"/"+DefaultPhoneNumberID+"/messages", DefaultAccessToken,
		`{"messaging_product":"whatsapp","to":"16505550009","type":"text","text":{"body":"late"}}`)
	if status != 200 {
		t.Fatalf("send outside the window with DeferWindowErrors = %d, want 200", status)
	}
	if n, err := f.Advance(context.Background()); n != 1 || err != nil {
		t.Fatalf("Advance = %d, %v", n, err)
	}
	st := h.value(t, 0, "secret")["statuses"].([]any)[0].(map[string]any)
	if st["status"] != "failed" || st["errors"].([]any)[0].(map[string]any)["code"] != float64(131047) {
		t.Errorf("status = %v, want failed with 131047", st)
	}
	if n, _ := f.Advance(context.Background()); n != 0 {
		t.Errorf("a failed message advanced further: %d", n)
	}
}

func TestVerify(t *testing.T) {
	f := New("secret")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("hub.mode") != "subscribe" || q.Get("hub.verify_token") != "tok" {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		io.WriteString(w, q.Get("hub.challenge"))
	}))
	defer srv.Close()
	if err := f.Verify(context.Background(), srv.URL+"/webhooks/1", "tok"); err != nil {
		t.Errorf("Verify with the right token: %v", err)
	}
	if err := f.Verify(context.Background(), srv.URL+"/webhooks/1", "other"); err == nil {
		t.Error("Verify with a wrong token succeeded")
	}
}
