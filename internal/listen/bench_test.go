package listen_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/listen"
)

// post280 is a 280-byte complaint, as long as a post on X may be.
const post280 = "Flew SkyJet Air from Lisbon last night: cancelled at the gate, rebooked on the app and charged twice for the same seat!! Their support line hangs up after forty minutes. Next time, I'm flying @BlueWing or Aero-Nova. https://t.co/a1B2c3D4e5 #SkyJetFail #travel #help, anyone else??"

// benchSubjects are three airlines of ten terms each.
func benchSubjects() []listen.Subject {
	var subjects []listen.Subject
	for _, brand := range []string{"skyjet", "bluewing", "aeronova"} {
		s := listen.Subject{Name: brand}
		s.Terms = []string{brand, brand + " air", "#" + brand, "#" + brand + "fail", "@" + brand, "@" + brand + "help",
			brand + " airlines", brand + " app", brand + " lounge", brand + " miles"}
		subjects = append(subjects, s)
	}
	subjects[2].Terms[1] = "aero nova"
	return subjects
}

func BenchmarkMatch(b *testing.B) {
	if len(post280) != 280 {
		b.Fatalf("post is %d bytes, want 280", len(post280))
	}
	m := listen.NewMatcher(benchSubjects())
	if got := m.Match(post280); len(got) != 3 {
		b.Fatalf("Match = %q, want all three", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Match(post280)
	}
}

// BenchmarkSummarize counts 100,000 posts over 30 days about three
// subjects into a day report in Europe/London.
func BenchmarkSummarize(b *testing.B) {
	london := zone(b, "Europe/London")
	from := time.Date(2026, 3, 10, 0, 0, 0, 0, london)
	to := from.AddDate(0, 0, 30)
	subjects := benchSubjects()
	span := to.Sub(from)
	points := make([]care.ListenPoint, 100_000)
	for i := range points {
		p := &points[i]
		p.PostedAt = from.Add(span / time.Duration(len(points)) * time.Duration(i))
		p.Source = "x"
		p.Subjects = []string{subjects[i%3].Name}
		if i%7 == 0 {
			p.Subjects = append(p.Subjects, subjects[(i+1)%3].Name)
		}
		p.Sentiment = float64(i%11-5) / 5
		p.Followers = int64(i % 5000)
	}
	b.ReportAllocs()
	for b.Loop() {
		r := listen.Summarize(points, subjects, from, to, listen.Day, london)
		if r.Total != len(points) {
			b.Fatal(fmt.Sprint("Total ", r.Total))
		}
	}
}
