package sentiment

import (
	"strings"
	"testing"
)

// benchPosts is a realistic mix of 280-character posts, as on X: complaints
// with caps and emoji, questions, praise, mixed and non-English posts, built
// from the development set.
func benchPosts(b *testing.B) []string {
	b.Helper()
	var posts []string
	var cur strings.Builder
	for _, ex := range readExamples(b, "testdata/dev.tsv") {
		if cur.Len()+len(ex.text)+1 > 280 {
			posts = append(posts, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(ex.text)
	}
	return posts
}

// BenchmarkAnalyze measures one 280-character post; the target is under
// 20 µs.
func BenchmarkAnalyze(b *testing.B) {
	posts := benchPosts(b)
	var n int
	for _, p := range posts {
		n += len(p)
	}
	b.SetBytes(int64(n / len(posts)))
	b.ReportAllocs()
	defer reportCPU(b)()
	i := 0
	for b.Loop() {
		Analyze(posts[i%len(posts)])
		i++
	}
}

// BenchmarkAnalyzeMaxInput measures the worst a single post can cost: the
// MaxInput bytes Analyze reads, full of words the lexicon knows.
func BenchmarkAnalyzeMaxInput(b *testing.B) {
	text := strings.Repeat("NOT sooo happy but great, another delay!!! 😡 ", 100)
	b.SetBytes(MaxInput)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		Analyze(text)
	}
}

// reportCPU starts measuring CPU time; the function it returns reports it
// as cpu-ns/op.
func reportCPU(b *testing.B) func() {
	start, ok := cpuTime()
	return func() {
		if end, _ := cpuTime(); ok && b.N > 0 {
			b.ReportMetric(float64((end-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}
