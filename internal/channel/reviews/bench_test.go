package reviews

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// BenchmarkParsePage measures what a poll does with a full page of 50
// reviews: decode the page, parse each review, decide its events against
// the cursor's memory.
func BenchmarkParsePage(b *testing.B) {
	var p struct {
		Reviews []map[string]any `json:"reviews"`
	}
	for i := range pageSize {
		r := map[string]any{
			"name":       fmt.Sprintf("%s/reviews/AbFvOqmBench%04d", testLocation, i),
			"reviewId":   fmt.Sprintf("AbFvOqmBench%04d", i),
			"reviewer":   map[string]any{"displayName": "Jane Doe", "profilePhotoUrl": "https://lh3.googleusercontent.com/a-/ALV-UjX" + fmt.Sprint(i) + "=s120"},
			"starRating": "FOUR",
			"comment":    "(Translated by Google) Good food, slow service.\n\n(Original)\nBuen sabor, servicio lento. ¡Volveremos!",
			"createTime": testNow.Add(-time.Duration(i) * time.Minute).Format(time.RFC3339Nano),
			"updateTime": testNow.Add(-time.Duration(i) * time.Minute).Format(time.RFC3339Nano),
		}
		if i%3 == 0 {
			r["reviewReply"] = map[string]any{"comment": "Gracias por su visita.", "updateTime": testNow.Format(time.RFC3339Nano)}
		}
		p.Reviews = append(p.Reviews, r)
	}
	body, err := json.Marshal(p)
	if err != nil {
		b.Fatal(err)
	}
	high := testNow.Add(-time.Hour)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var page listJSON
		if err := json.Unmarshal(body, &page); err != nil {
			b.Fatal(err)
		}
		seenBy := map[string]seen{}
		w := &walk{Floor: high.Add(-deepOverlap), High: high, Deep: true}
		n := 0
		for _, raw := range page.Reviews {
			r, err := parseReview(testLocation, raw)
			if err != nil {
				b.Fatal(err)
			}
			n += len(decide(&r, seenBy, high, w))
		}
		if n != pageSize+pageSize/3+1 {
			b.Fatalf("%d events", n)
		}
	}
}
