package sentiment

import (
	"math"
	"strconv"
	"sync"
)

// Label is the tone of a post.
type Label string

// Labels, from Score: at or below -Threshold, between, at or above
// +Threshold.
const (
	Negative Label = "negative"
	Neutral  Label = "neutral"
	Positive Label = "positive"
)

// Result is what Analyze found.
type Result struct {
	Score     float64  // -1 (very negative) … +1 (very positive)
	Label     Label    // Score cut at ±Threshold
	Intensity float64  // 0 … 1: how strongly, whatever the sign (caps, "!!!", intensifiers, strong words)
	Cues      []string // at most 4 short explanations, strongest first, e.g. `"not happy" (negated)`, `😡`, `ALL CAPS`
}

// MaxInput is how many bytes of a post Analyze reads. Posts on the networks
// Parley serves are shorter; the bound keeps a hostile one from costing more.
const MaxInput = 4096

// Threshold is the |Score| from which a post is not Neutral. It was set on
// testdata/dev.tsv.
const Threshold = 0.2

// alpha shapes how fast the sum of valences approaches ±1, as in VADER: a
// single "great" (3.1) scores 0.62, and "great" with "love" 0.85.
const alpha = 15

// MaxCues is the most cues a Result carries.
const MaxCues = 4

// Analyze scores the tone of text. It never fails: bytes that are not UTF-8
// are skipped, text without sentiment is Neutral with Score 0, and only the
// first MaxInput bytes are read.
func Analyze(text string) Result {
	if len(text) > MaxInput {
		text = text[:MaxInput]
	}
	s := pool.Get().(*scratch)
	defer pool.Put(s)
	s.reset()
	s.tokenize(text)
	s.match()
	return s.score(text)
}

// label cuts a score into a Label.
func label(score float64) Label {
	switch {
	case score >= Threshold:
		return Positive
	case score <= -Threshold:
		return Negative
	}
	return Neutral
}

// squash maps a sum of valences into (-1, 1).
func squash(x float64) float64 {
	if x == 0 || math.IsNaN(x) {
		return 0
	}
	return x / math.Sqrt(x*x+alpha)
}

// scratch is the working memory of one Analyze call, pooled so that a
// steady stream of posts does not allocate.
type scratch struct {
	toks  []token
	arena []byte // normalised words, referenced by token.ns:ne
	items []item
	key   []byte
	// squeezed holds the shortened forms of an elongated word.
	squeezed []byte
	sents    []sentence
	cands    []cand
}

var pool = sync.Pool{New: func() any {
	return &scratch{
		toks:     make([]token, 0, 96),
		arena:    make([]byte, 0, 512),
		items:    make([]item, 0, 64),
		key:      make([]byte, 0, 64),
		squeezed: make([]byte, 0, 64),
		sents:    make([]sentence, 0, 8),
		cands:    make([]cand, 0, 16),
	}
}}

func (s *scratch) reset() {
	s.toks = s.toks[:0]
	s.arena = s.arena[:0]
	s.items = s.items[:0]
	s.key = s.key[:0]
	s.sents = s.sents[:0]
	s.cands = s.cands[:0]
}

// norm is the normalised form of token i.
func (s *scratch) norm(i int) []byte {
	t := &s.toks[i]
	return s.arena[t.ns:t.ne]
}

// starScores are what a review's star rating says on its own, from one
// star to five: the rating is the reviewer's own verdict, so it outweighs
// what the words suggest (a polite one-star review is still a complaint).
var starScores = [6]float64{0, -0.8, -0.5, 0, 0.5, 0.8}

// WithRating folds a review's star rating (1 to 5; 0 means none) into the
// text's reading: two parts the rating to one part the text, the cue
// naming the stars first.
func WithRating(r Result, stars int) Result {
	if stars < 1 || stars > 5 {
		return r
	}
	r.Score = (2*starScores[stars] + r.Score) / 3
	r.Label = label(r.Score)
	cue := strconv.Itoa(stars) + "★ review"
	r.Cues = append([]string{cue}, r.Cues...)
	if len(r.Cues) > MaxCues {
		r.Cues = r.Cues[:MaxCues]
	}
	return r
}
