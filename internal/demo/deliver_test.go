package demo

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestWithEngagement(t *testing.T) {
	t.Parallel()
	event := []byte(`{"data":{"event_type":"post.mention.create","filter":{"user_id":"1400000000000000001"},
		"payload":{"id":"1900000000000000001","author_id":1700000000000000007,"text":"@orbitmobile down?"}}}`)
	out, err := withEngagement(event, 400)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Data struct {
			Payload struct {
				ID            string           `json:"id"`
				AuthorID      json.Number      `json:"author_id"`
				PublicMetrics map[string]int64 `json:"public_metrics"`
			} `json:"payload"`
		} `json:"data"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	p := got.Data.Payload
	if p.ID != "1900000000000000001" || p.AuthorID != "1700000000000000007" {
		t.Errorf("ids changed: %+v (a float64 would round them)", p)
	}
	if p.PublicMetrics["like_count"] != 400 || p.PublicMetrics["retweet_count"] != 100 {
		t.Errorf("public_metrics = %v", p.PublicMetrics)
	}
	for _, bad := range []string{`{"data":{}}`, `not json`, `{"data":{"payload":[]}}`} {
		if _, err := withEngagement([]byte(bad), 1); err == nil || !strings.Contains(err.Error(), "engagement") {
			t.Errorf("withEngagement(%s) = %v, want an error", bad, err)
		}
	}
}
