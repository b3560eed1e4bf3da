package fsqfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func get(t *testing.T, srv *httptest.Server, path string, h map[string]string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestTips: the fake answers as the Places API reference says, and
// refuses what the API refuses.
func TestTips(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	f := New()
	f.Now = func() time.Time { return now }
	f.AddPlace(DefaultPlace, "Acme Soho")
	srv := httptest.NewServer(f.Handler())
	defer srv.Close()
	old, _ := f.Tip(DefaultPlace, Tip{Text: "old", CreatedAt: now.Add(-time.Hour), Agree: 9})
	newer, _ := f.Tip(DefaultPlace, Tip{Text: "new", URL: "https://foursquare.com/item/x", PhotoPrefix: "https://p/", PhotoSuffix: "/a.jpg"})
	if _, err := f.Tip("unknown", Tip{}); err == nil {
		t.Error("a tip about an unknown place was taken")
	}
	auth := map[string]string{"Authorization": "Bearer " + DefaultAPIKey, "X-Places-Api-Version": APIVersion}

	status, body := get(t, srv, "/places/"+DefaultPlace+"/tips?sort=NEWEST&limit=50&fields=fsq_tip_id,created_at,text,url,photo", auth)
	var tips []map[string]any
	if status != http.StatusOK || json.Unmarshal(body, &tips) != nil || len(tips) != 2 {
		t.Fatalf("tips = %d %s", status, body)
	}
	if tips[0]["fsq_tip_id"] != newer || tips[0]["url"] != "https://foursquare.com/item/x" || tips[0]["created_at"] != "2026-11-24T10:00:00.000Z" ||
		tips[0]["photo"].(map[string]any)["suffix"] != "/a.jpg" || tips[1]["fsq_tip_id"] != old {
		t.Errorf("tips = %s", body)
	}
	// The default fields, and sort=POPULAR by default.
	_, body = get(t, srv, "/places/"+DefaultPlace+"/tips", auth)
	var popular []map[string]any
	if json.Unmarshal(body, &popular) != nil || popular[0]["fsq_tip_id"] != old || len(popular[0]) != 3 {
		t.Errorf("default tips = %s", body)
	}

	for _, tt := range []struct {
		name   string
		path   string
		h      map[string]string
		status int
	}{
		{"no key", "/places/" + DefaultPlace + "/tips", map[string]string{"X-Places-Api-Version": APIVersion}, http.StatusUnauthorized},
		{"key without Bearer", "/places/" + DefaultPlace + "/tips", map[string]string{"Authorization": DefaultAPIKey, "X-Places-Api-Version": APIVersion}, http.StatusUnauthorized},
		{"no version", "/places/" + DefaultPlace + "/tips", map[string]string{"Authorization": "Bearer " + DefaultAPIKey}, http.StatusBadRequest},
		{"unknown place", "/places/0123/tips", auth, http.StatusNotFound},
		{"limit too high", "/places/" + DefaultPlace + "/tips?limit=51", auth, http.StatusBadRequest},
		{"unknown field", "/places/" + DefaultPlace + "/tips?fields=user", auth, http.StatusBadRequest},
		{"unknown endpoint", "/v2/venues/" + DefaultPlace + "/tips", auth, http.StatusNotFound},
	} {
		status, body := get(t, srv, tt.path, tt.h)
		var e struct{ Message string }
		if status != tt.status || json.Unmarshal(body, &e) != nil || e.Message == "" {
			t.Errorf("%s: %d %s, want %d with a message", tt.name, status, body, tt.status)
		}
	}

	f.Throttle(1, "30")
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/places/"+DefaultPlace+"/tips", nil)
	req.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
	req.Header.Set("X-Places-Api-Version", APIVersion)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "30" {
		t.Errorf("throttled: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !f.Remove(DefaultPlace, old) || f.Remove(DefaultPlace, old) {
		t.Error("Remove")
	}
	if n := len(f.Requests()); n != 10 {
		t.Errorf("%d requests recorded, want 10", n)
	}
}
