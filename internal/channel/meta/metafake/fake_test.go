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
