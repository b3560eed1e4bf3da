package demo

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestStarsFor(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	for in, want := range map[intent][2]int{complaint: {1, 2}, question: {3, 3}, praise: {5, 5}, thanks: {4, 5}, followUp: {3, 3}} {
		for range 50 {
			if got := starsFor(r, in); got < want[0] || got > want[1] {
				t.Errorf("starsFor(%v) = %d, want %d to %d", in, got, want[0], want[1])
			}
		}
	}
}

func TestStars(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "", 1: "★☆☆☆☆ ", 4: "★★★★☆ ", 5: "★★★★★ ", 6: "", -1: ""} {
		if got := stars(n); got != want {
			t.Errorf("stars(%d) = %q, want %q", n, got, want)
		}
	}
}

// Reviews and tips use the shop corpus, with stars for reviews, and blog
// posts have titles; everyone else says what said has for them.
func TestWrites(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	c := newCast(5)
	for k := range numKinds {
		who := c.newCustomer(k, "de")
		m := writes(r, who, complaint)
		if k == blogPost {
			if want := blogSaid["de"][complaint]; m.subject != want.title || m.text != want.text {
				t.Errorf("%s: writes = %+v, want a German complaint, with its title", k, m)
			}
			continue
		}
		corpus := said
		if k == gbpReview || k == fsqTip {
			corpus = shopSaid
		}
		in, ok := intentOf[m.text]
		if m.who != who || !ok || in != complaint || !strings.Contains(strings.Join(corpus["de"][complaint], "\n"), m.text) {
			t.Errorf("%s: writes = %+v, want a German complaint from its corpus", k, m)
		}
		if (m.stars > 0) != (k == gbpReview) {
			t.Errorf("%s: %d stars", k, m.stars)
		}
	}
}

func TestSubjectOf(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"¿Tenéis eSIM para el iPhone 16? ¿Cómo se activa?": "¿Tenéis eSIM para el iPhone 16?",
		"No punctuation at all":                            "No punctuation at all",
		strings.Repeat("é", 100):                           strings.Repeat("é", 40) + "…",
	} {
		if got := subjectOf(in); got != want || !utf8.ValidString(got) {
			t.Errorf("subjectOf(%.20q) = %q, want %q", in, got, want)
		}
	}
}

// A call's record follows from who calls and what they say: the same
// call for the same words, every outcome among many calls, an agent who
// speaks the caller's language when one takes it.
func TestCallOf(t *testing.T) {
	t.Parallel()
	c := newCast(7)
	outcomes := map[string]int{}
	for i := range 200 {
		who := c.newCustomer(phoneCall, "")
		m := message{who: who, text: said[who.lang][intent(i%int(numIntents))][0]}
		call := callOf(who, m)
		if again := callOf(who, m); again != call {
			t.Fatalf("callOf is not the same twice: %+v, %+v", call, again)
		}
		if call.Customer != who.id || !strings.HasPrefix(call.Customer, "+") || call.Duration <= 0 || call.Duration > 10*time.Minute {
			t.Errorf("call %+v from %+v", call, who)
		}
		outcome := call.Outcome
		switch outcome {
		case "":
			outcome = "answered"
			if speaker(who.lang).email != call.Agent || call.Notes != m.text {
				t.Errorf("an answered call from a %s speaker is taken by %q, noting %q", who.lang, call.Agent, call.Notes)
			}
		case "voicemail":
			if call.Transcript != m.text || call.Agent != "" {
				t.Errorf("voicemail %+v", call)
			}
		case "missed":
			if call.Transcript != "" || call.Notes != "" || call.Agent != "" {
				t.Errorf("missed call %+v", call)
			}
		default:
			t.Errorf("outcome %q", call.Outcome)
		}
		outcomes[outcome]++
		if !strings.Contains(callStory(call), map[string]string{"answered": "takes the call", "voicemail": "voicemail", "missed": "missed"}[outcome]) {
			t.Errorf("callStory(%+v) = %q", call, callStory(call))
		}
	}
	if len(outcomes) != 3 {
		t.Errorf("outcomes of 200 calls: %v, want all three", outcomes)
	}
}
