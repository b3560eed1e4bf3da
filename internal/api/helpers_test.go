package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/app"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/config"
	"github.com/parleyhq/parley/internal/netguard"
)

// testApp is a real Parley on SQLite in a temporary directory, reached over
// HTTP on a loopback port.
type testApp struct {
	*app.App
	base   string
	client *http.Client
	seq    atomic.Int64
}

// workspace1 is the default workspace app.Start creates on a fresh install.
const workspace1 care.ID = 1

func startApp(t *testing.T) *testApp {
	t.Helper()
	return startAppWith(t, nil)
}

// startAppWith is startApp with the configuration changed by change.
func startAppWith(t *testing.T, change func(*config.Config)) *testApp {
	t.Helper()
	cfg := &config.Config{
		Addr:            "127.0.0.1:0",
		DataDir:         t.TempDir(),
		AdminEmail:      "admin@example.com",
		LogFormat:       "text",
		LogLevel:        "info",
		SessionTTL:      time.Hour,
		ShutdownTimeout: 10 * time.Second,
		// The platforms are fakes on 127.0.0.1.
		AllowHosts: netguard.Loopback,
	}
	if change != nil {
		change(cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.Start(context.Background(), cfg, log, io.Discard)
	if err != nil {
		t.Fatalf("app.Start: %v", err)
	}
	ta := &testApp{App: a, base: "http://" + a.Addr, client: &http.Client{Timeout: 30 * time.Second}}
	t.Cleanup(func() {
		ta.client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		if err := a.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return ta
}

// next returns a number unique within the app, for fresh names and ids.
func (ta *testApp) next() int64 { return ta.seq.Add(1) }

// token creates an API token with the role in the workspace.
func (ta *testApp) token(t *testing.T, ws care.ID, role care.Role) string {
	t.Helper()
	_, secret, err := accounts.CreateToken(context.Background(), ta.Store, ws, 0, fmt.Sprintf("%s token %d", role, ta.next()), role, time.Now())
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	return secret
}

// result is an answer, its body read.
type result struct {
	status int
	header http.Header
	body   []byte
}

func (r *result) String() string {
	return fmt.Sprintf("%d %s", r.status, bytes.TrimSpace(r.body))
}

// decode decodes a JSON answer into v.
func (r *result) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r, err)
	}
}

// problem is an RFC 9457 problem detail as clients see it.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Code     string `json:"code"`
	Instance string `json:"instance"`
}

// problem checks that r is an application/problem+json answer with the
// status and returns it.
func (r *result) problem(t *testing.T, status int) problem {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %s, want %d", r, status)
	}
	if mt, _, _ := mime.ParseMediaType(r.header.Get("Content-Type")); mt != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json (%s)", r.header.Get("Content-Type"), r)
	}
	var p problem
	r.decode(t, &p)
	if p.Status != status || p.Detail == "" || p.Code == "" || !strings.HasPrefix(p.Type, "https://") {
		t.Errorf("problem = %+v, want status %d with type, code and detail", p, status)
	}
	return p
}

// call sends a request with a bearer token ("" for none) and a body (""
// for none, else sent as application/json).
func (ta *testApp) call(t *testing.T, token, method, path, body string) *result {
	t.Helper()
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	return ta.send(t, method, path, body, h)
}

// send sends a request with the given headers; a body gets
// Content-Type: application/json unless the headers set another.
func (ta *testApp) send(t *testing.T, method, path, body string, h http.Header) *result {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, ta.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := ta.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	res := &result{status: resp.StatusCode, header: resp.Header}
	// An event stream does not end; its headers are the answer.
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/event-stream" {
		return res
	}
	if res.body, err = io.ReadAll(resp.Body); err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return res
}

// must sends a request and fails the test unless the status is want; it
// decodes the answer into out when out is not nil.
func (ta *testApp) must(t *testing.T, want int, token, method, path, body string, out any) *result {
	t.Helper()
	res := ta.call(t, token, method, path, body)
	if res.status != want {
		t.Fatalf("%s %s = %s, want %d", method, path, res, want)
	}
	if out != nil {
		res.decode(t, out)
	}
	return res
}

// apiInbox is an API inbox and its token.
type apiInbox struct {
	ID    care.ID
	Token string
}

func (ta *testApp) createAPIInbox(t *testing.T, adminToken, name string) apiInbox {
	t.Helper()
	var out struct {
		Inbox         care.Inbox `json:"inbox"`
		Token         string     `json:"token"`
		WebhookSecret string     `json:"webhook_secret"`
	}
	ta.must(t, http.StatusCreated, adminToken, "POST", "/api/v1/inboxes", jsonBody(map[string]any{"channel": "api", "name": name}), &out)
	if out.Inbox.ID == 0 || !strings.HasPrefix(out.Token, "prl_inbox_") || !strings.HasPrefix(out.WebhookSecret, "whsec_") {
		t.Fatalf("create API inbox = %+v, want an id, a token and a webhook secret", out)
	}
	return apiInbox{ID: out.Inbox.ID, Token: out.Token}
}

// ingest posts a customer message into an API inbox and waits until the
// pipeline has threaded it, returning the stored message.
func (ta *testApp) ingest(t *testing.T, in apiInbox, msgID, authorID, text string) *care.Message {
	t.Helper()
	body := jsonBody(map[string]any{"id": msgID, "author": map[string]any{"id": authorID, "name": "Customer " + authorID}, "text": text})
	ta.must(t, http.StatusAccepted, in.Token, "POST", fmt.Sprintf("/api/v1/inboxes/%d/messages", in.ID), body, nil)
	return ta.waitMessage(t, in.ID, msgID)
}

// ingestPublic posts a public message (a comment, a mention) and waits for it.
func (ta *testApp) ingestPublic(t *testing.T, in apiInbox, msgID, authorID, text string) *care.Message {
	t.Helper()
	body := jsonBody(map[string]any{"id": msgID, "visibility": "public", "author": map[string]any{"id": authorID}, "text": text})
	ta.must(t, http.StatusAccepted, in.Token, "POST", fmt.Sprintf("/api/v1/inboxes/%d/messages", in.ID), body, nil)
	return ta.waitMessage(t, in.ID, msgID)
}

// waitMessage waits for the pipeline to store the message with the platform
// id in the inbox.
func (ta *testApp) waitMessage(t *testing.T, inbox care.ID, platformID string) *care.Message {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		m, err := ta.Store.MessageByPlatformID(context.Background(), inbox, platformID)
		if err == nil {
			return m
		}
		if care.ErrorCode(err) != care.ENOTFOUND {
			t.Fatalf("MessageByPlatformID: %v", err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("message %q of inbox %d was not threaded in time", platformID, inbox)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// newConversation makes a conversation with a new contact in the inbox.
func (ta *testApp) newConversation(t *testing.T, in apiInbox) *care.Message {
	t.Helper()
	n := ta.next()
	return ta.ingest(t, in, fmt.Sprintf("fresh-%d", n), fmt.Sprintf("fresh-customer-%d", n), "Hello, I need help")
}

func jsonBody(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
