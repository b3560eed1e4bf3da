package language

import (
	"strings"
	"testing"
)

// post280 is a 280-byte complaint, as long as a post on X may be.
const post280 = "@SkyJetAir my flight from Lisbon was cancelled last night, I rebooked on the app and it charged me twice for the same seat. The gate staff told me to call, the phone line hangs up after forty minutes. I need the duplicate charge refunded today. https://t.co/a1B2c3D4e5 #fail #help"

// BenchmarkDetect measures a typical post, which the function words
// settle; the target is 60 µs of CPU.
func BenchmarkDetect(b *testing.B) {
	if len(post280) != 280 {
		b.Fatalf("post is %d bytes, want 280", len(post280))
	}
	Detect(post280) // loads the models of a lazily built detector
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		Detect(post280)
	}
}

// BenchmarkDetectPosts measures the posts of the test corpus in turn: many
// languages and scripts, long and short, some too noisy to name.
func BenchmarkDetectPosts(b *testing.B) {
	b.ReportAllocs()
	defer reportCPU(b)()
	i := 0
	for b.Loop() {
		Detect(posts[i%len(posts)].text)
		i++
	}
}

// BenchmarkDetectFallback measures 280-byte posts the function words leave
// to whatlanggo: one in Catalan, outside the set, which shares most of its
// short words with Spanish, French and Italian, so that whatlanggo compares
// those; and one of product names and nouns, with too few function words
// to narrow the languages it compares.
func BenchmarkDetectFallback(b *testing.B) {
	for _, bb := range []struct {
		name, post string
		narrowed   bool
	}{
		{"narrowed", "@Renfe el tren de Sabadell torna a anar amb retard avui, és la tercera vegada aquesta setmana i l'aplicació no deixa demanar el reemborsament. Ningú contesta al telèfon i a l'andana no hi ha informació. Què hem de fer? https://t.co/Xy12Ab34Cd #renfe #rodalies", true},
		{"all", "@VodafoneUK Samsung Galaxy S24 Ultra ordered Monday, tracking says delivered Wednesday 14:02, nothing received, neighbours nothing, doorbell camera nothing. Order 4471-2290-18, refund or replacement please. Useless chatbot, useless hotline, useless store. #vodafone #fail", false},
	} {
		b.Run(bb.name, func(b *testing.B) {
			t, ok := tallyOf(clean(bb.post).text)
			if !ok {
				b.Fatal("the post is not in Latin script")
			}
			if _, _, ok := t.decide(); ok {
				b.Fatal("the function words decide the post")
			}
			if narrowed := t.candidates() != 0; narrowed != bb.narrowed {
				b.Fatalf("candidates narrowed %v, want %v", narrowed, bb.narrowed)
			}
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				Detect(bb.post)
			}
		})
	}
}

// BenchmarkDetectMaxInput measures the most Detect reads: MaxInputBytes of
// words, no link or emoji.
func BenchmarkDetectMaxInput(b *testing.B) {
	text := strings.Repeat("Mein Paket ist seit einer Woche unterwegs und niemand antwortet. ", MaxInputBytes/64+1)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		Detect(text)
	}
}

// reportCPU starts measuring CPU time; the function it returns reports it
// as cpu-ns/op, which other load on the machine does not inflate as it
// does wall time.
func reportCPU(b *testing.B) func() {
	start, ok := cpuTime()
	return func() {
		if end, _ := cpuTime(); ok && b.N > 0 {
			b.ReportMetric(float64((end-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}
