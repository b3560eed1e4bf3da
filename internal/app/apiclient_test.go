package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

// apiClient speaks Parley's JSON API over real HTTP, as an integration would.
// Its methods fail the test on any unexpected answer; they must be called
// from the test's goroutine. postMessage is the exception: it reports
// errors, so load generators can call it from anywhere.
type apiClient struct {
	t     testing.TB
	base  string // http://host:port
	token string // an admin API token
	tr    *http.Transport
	hc    *http.Client
}

func newAPIClient(t testing.TB, base, token string) *apiClient {
	tr := &http.Transport{MaxIdleConnsPerHost: 32}
	// Idle keep-alive connections hold two goroutines each; goleak would
	// report them.
	t.Cleanup(tr.CloseIdleConnections)
	return &apiClient{t: t, base: base, token: token, tr: tr, hc: &http.Client{Transport: tr, Timeout: 10 * time.Second}}
}

// send makes one request and returns the status and body.
func (c *apiClient) send(method, path, bearer string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// call makes an admin request, checks the status and decodes the answer
// into out (when not nil).
func (c *apiClient) call(method, path string, body any, want int, out any) {
	c.t.Helper()
	status, b, err := c.send(method, path, c.token, body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	if status != want {
		c.t.Fatalf("%s %s = %d %s, want %d", method, path, status, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
}

// apiInbox is an API inbox with the secrets shown once at creation.
type apiInbox struct {
	ID            care.ID
	Token         string
	WebhookSecret string
}

func (c *apiClient) createInbox(name, webhookURL string) apiInbox {
	c.t.Helper()
	var resp struct {
		Inbox         care.Inbox `json:"inbox"`
		Token         string     `json:"token"`
		WebhookSecret string     `json:"webhook_secret"`
	}
	c.call("POST", "/api/v1/inboxes", map[string]string{"channel": "api", "name": name, "webhook_url": webhookURL},
		http.StatusCreated, &resp)
	if resp.Inbox.ID == 0 || resp.Token == "" || resp.WebhookSecret == "" {
		c.t.Fatalf("POST /api/v1/inboxes = %+v, want an id, a token and a webhook secret", resp)
	}
	return apiInbox{ID: resp.Inbox.ID, Token: resp.Token, WebhookSecret: resp.WebhookSecret}
}

// ack is the API inbox's answer to a posted message.
type ack struct {
	ID        care.ID `json:"id"`
	Duplicate bool    `json:"duplicate"`
}

// postMessage posts a customer message into an API inbox. It returns an
// error for anything but 202, so it is safe to call from any goroutine.
func (c *apiClient) postMessage(in apiInbox, m apiinbox.Message) (ack, error) {
	status, b, err := c.send("POST", fmt.Sprintf("/api/v1/inboxes/%d/messages", in.ID), in.Token, m)
	if err != nil {
		return ack{}, err
	}
	if status != http.StatusAccepted {
		return ack{}, fmt.Errorf("post %s: %d %s", m.ID, status, b)
	}
	var a ack
	if err := json.Unmarshal(b, &a); err != nil {
		return ack{}, fmt.Errorf("post %s: decode %s: %w", m.ID, b, err)
	}
	return a, nil
}

// mustPost posts a message and fails the test unless it is acknowledged.
func (c *apiClient) mustPost(in apiInbox, m apiinbox.Message) ack {
	c.t.Helper()
	a, err := c.postMessage(in, m)
	if err != nil {
		c.t.Fatal(err)
	}
	return a
}

// conversations lists every conversation of the workspace, page by page.
func (c *apiClient) conversations() []care.Conversation {
	c.t.Helper()
	var all []care.Conversation
	cursor := ""
	for range 10_000 {
		var page care.ConversationPage
		c.call("GET", "/api/v1/conversations?limit=100&cursor="+url.QueryEscape(cursor), nil, http.StatusOK, &page)
		all = append(all, page.Conversations...)
		if page.Next == "" {
			return all
		}
		cursor = page.Next
	}
	c.t.Fatal("conversation list does not end")
	return nil
}

func (c *apiClient) conversation(id care.ID) care.Conversation {
	c.t.Helper()
	var conv care.Conversation
	c.call("GET", fmt.Sprintf("/api/v1/conversations/%d", id), nil, http.StatusOK, &conv)
	return conv
}

// messages lists every message of a conversation, page by page.
func (c *apiClient) messages(convID care.ID) []care.Message {
	c.t.Helper()
	var all []care.Message
	var after care.ID
	for range 10_000 {
		var page struct {
			Messages []care.Message `json:"messages"`
		}
		path := fmt.Sprintf("/api/v1/conversations/%d/messages?limit=500", convID)
		if after != 0 {
			path += fmt.Sprintf("&after=%d", after)
		}
		c.call("GET", path, nil, http.StatusOK, &page)
		all = append(all, page.Messages...)
		if len(page.Messages) < 500 {
			return all
		}
		after = page.Messages[len(page.Messages)-1].ID
	}
	c.t.Fatal("message list does not end")
	return nil
}

// allMessages lists every message of every conversation.
func (c *apiClient) allMessages() []care.Message {
	c.t.Helper()
	var all []care.Message
	for _, conv := range c.conversations() {
		all = append(all, c.messages(conv.ID)...)
	}
	return all
}

// inboundMessage waits for the pipeline to thread the customer message with
// the given platform id into some conversation, and returns it.
func (c *apiClient) inboundMessage(inbox care.ID, platformID string) care.Message {
	c.t.Helper()
	var found care.Message
	waitFor(c.t, 10*time.Second, "message "+platformID+" to be threaded", func() bool {
		for _, m := range c.allMessages() {
			if m.InboxID == inbox && m.Direction == care.DirectionIn && m.PlatformID == platformID {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// message returns a message of a conversation by id.
func (c *apiClient) message(convID, id care.ID) care.Message {
	c.t.Helper()
	for _, m := range c.messages(convID) {
		if m.ID == id {
			return m
		}
	}
	c.t.Fatalf("message %d is not in conversation %d", id, convID)
	return care.Message{}
}

// waitFor polls cond every 20ms until it holds, failing the test after
// timeout. It states no expectation about how long that takes.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("gave up after %v waiting for %s", timeout, what)
		case <-tick.C:
		}
	}
}

func itoa(id care.ID) string { return strconv.FormatInt(id, 10) }
