package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// maxAnswer bounds what the demo reads of one answer. Parley's largest, a
// page of 100 conversations or 500 messages, stays well under it.
const maxAnswer = 8 << 20

// client speaks Parley's JSON API as one principal: the admin, or an agent
// with their own token, as an integration or a person's tools would.
type client struct {
	base  string // http://HOST:PORT
	token string
	hc    *http.Client
}

// apiError is an answer other than the one expected.
type apiError struct {
	Method, Path string
	Status       int
	Detail       string // the problem's detail, or the start of the body
}

func (e *apiError) Error() string {
	return fmt.Sprintf("demo: %s %s: %d %s", e.Method, e.Path, e.Status, e.Detail)
}

// call sends in as JSON (nil for no body) and decodes the answer into out
// (nil to discard it). An answer whose status is not among want (200, 201,
// 202 or 204 when want is empty) is an *apiError.
func (c *client) call(ctx context.Context, method, path string, in, out any, want ...int) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("demo: %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return fmt.Errorf("demo: %s %s: %w", method, path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("demo: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("demo: %s %s: read the answer: %w", method, path, err)
	}
	if len(want) == 0 {
		want = []int{http.StatusOK, http.StatusCreated, http.StatusAccepted, http.StatusNoContent}
	}
	if !slices.Contains(want, resp.StatusCode) {
		return &apiError{Method: method, Path: path, Status: resp.StatusCode, Detail: problemDetail(data)}
	}
	if out == nil || len(data) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("demo: %s %s: decode the answer: %w", method, path, err)
	}
	return nil
}

// problemDetail is what an error answer says: an RFC 9457 problem's detail,
// or the start of whatever else came back.
func problemDetail(body []byte) string {
	var p struct {
		Detail string `json:"detail"`
	}
	if json.Unmarshal(body, &p) == nil && p.Detail != "" {
		return clip(p.Detail, 300)
	}
	return clip(strings.TrimSpace(string(body)), 300)
}

// clip shortens s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
