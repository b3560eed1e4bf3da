package metafake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestEscape(t *testing.T) {
	got := string(metafake.Escape([]byte(`{"t":"äöå 😀 https://x/y"}`)))
	want := `{"t":"\u00e4\u00f6\u00e5 \ud83d\ude00 https:\/\/x\/y"}`
	if got != want {
		t.Errorf("Escape = %s, want %s", got, want)
	}
	var v struct{ T string }
	if err := json.Unmarshal([]byte(got), &v); err != nil || v.T != "äöå 😀 https://x/y" {
		t.Errorf("escaped JSON decodes to %q, %v", v.T, err)
	}
}

func TestDeliveryIsSignedAsMetaDoes(t *testing.T) {
	f := metafake.New("s3cret")
	f.AddPage("1001", "tok")
	_, d := f.Message(metafake.Message{Account: "1001", From: "2002", Text: "Buenos días"})
	body := d.Body()
	if !strings.Contains(string(body), `d\u00edas`) {
		t.Errorf("body not escaped: %s", body)
	}
	if !meta.Verify("s3cret", body, f.Sign(body)) {
		t.Errorf("the fake's signature does not verify")
	}
}

// TestSendAPIFormEncoded sends as the documentation's curl example does
// (form fields holding JSON, token as access_token) and checks the window.
func TestSendAPIFormEncoded(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f := metafake.New("s3cret")
	f.Now = func() time.Time { return now }
	f.AddPage("1001", "tok")
	srv := httptest.NewServer(f.Handler())
	defer srv.Close()
	send := func(form url.Values) (int, string) {
		resp, err := http.PostForm(srv.URL+"/1001/messages", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	form := url.Values{"recipient": {`{"id":"2002"}`}, "messaging_type": {"RESPONSE"}, "message": {`{"text":"hello, world"}`}, "access_token": {"tok"}}
	if code, body := send(form); code != 400 || !strings.Contains(body, `"error_subcode":2018001`) {
		t.Errorf("send to a stranger = %d %s, want 400 No matching user", code, body)
	}
	f.Message(metafake.Message{Account: "1001", From: "2002", Text: "hi", At: now.Add(-25 * time.Hour)})
	if code, body := send(form); code != 400 || !strings.Contains(body, `"error_subcode":2018278`) {
		t.Errorf("RESPONSE after 25h = %d %s, want 400 outside window", code, body)
	}
	form.Set("messaging_type", "MESSAGE_TAG")
	form.Set("tag", "HUMAN_AGENT")
	if code, body := send(form); code != 200 || !strings.Contains(body, `"recipient_id":"2002"`) {
		t.Errorf("HUMAN_AGENT after 25h = %d %s, want 200", code, body)
	}
	form.Set("access_token", "nope")
	if code, body := send(form); code != 400 || !strings.Contains(body, `"code":190`) {
		t.Errorf("bad token = %d %s, want 400 code 190", code, body)
	}
}

// TestInstagramWindowError answers as Instagram does outside the window:
// code 10, subcode 2534022, IGApiException.
func TestInstagramWindowError(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f := metafake.New("s3cret")
	f.Now = func() time.Time { return now }
	f.AddInstagram("1784", "tok")
	srv := httptest.NewServer(f.Handler())
	defer srv.Close()
	f.Message(metafake.Message{Account: "1784", From: "3003", Text: "hi", At: now.Add(-25 * time.Hour)})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/me/messages",
		strings.NewReader(`{"recipient":{"id":"3003"},"messaging_type":"RESPONSE","message":{"text":"late"}}`))
	req.Header.Set("Authorization", "Bearer tok")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), `"error_subcode":2534022`) || !strings.Contains(string(b), `"IGApiException"`) {
		t.Errorf("Instagram send after 25h = %d %s, want 403 code 10/2534022 IGApiException", resp.StatusCode, b)
	}
}

// TestChangeEntriesInSeconds checks the entry times Meta writes: seconds
// for changes, milliseconds for messaging.
func TestChangeEntriesInSeconds(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f := metafake.New("s3cret")
	f.Now = func() time.Time { return now }
	f.AddPage("1001", "tok")
	_, comment := f.Comment(metafake.Comment{Account: "1001", From: "7", Post: "1001_5", Text: "hi", Anonymous: true})
	reaction := f.Reaction("1001", "2002", "m_1", "👍")
	var c, r struct {
		Entry []struct {
			Time    int64 `json:"time"`
			Changes []struct {
				Value map[string]json.RawMessage `json:"value"`
			} `json:"changes"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(comment.Body(), &c); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(reaction.Body(), &r); err != nil {
		t.Fatal(err)
	}
	if got := c.Entry[0].Time; got != now.Unix() {
		t.Errorf("changes entry time = %d, want %d (seconds)", got, now.Unix())
	}
	if _, ok := c.Entry[0].Changes[0].Value["from"]; ok {
		t.Errorf("anonymous comment carries from: %s", comment.Body())
	}
	if got := r.Entry[0].Time; got != now.UnixMilli() {
		t.Errorf("messaging entry time = %d, want %d (milliseconds)", got, now.UnixMilli())
	}
}
