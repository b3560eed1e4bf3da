package demo

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// Every language has something to say for every intent, and an answer for
// every case, within what every channel takes.
func TestCorpusComplete(t *testing.T) {
	t.Parallel()
	for _, l := range languages {
		t.Run(l.code, func(t *testing.T) {
			t.Parallel()
			for name, corpus := range map[string]map[string][numIntents][]string{"said": said, "shopSaid": shopSaid} {
				byIntent, ok := corpus[l.code]
				if !ok {
					t.Fatalf("no customer texts in %s in %s", l.code, name)
				}
				for in := range numIntents {
					if len(byIntent[in]) == 0 {
						t.Errorf("no %s in %s in %s", in, l.code, name)
					}
					for _, s := range byIntent[in] {
						if got, ok := intentOf[s]; !ok || got != in {
							t.Errorf("%q is read as %v, want %v: texts must be unique across intents", s, got, in)
						}
						// Foursquare takes tips of 200 characters.
						if n := utf8.RuneCountInString(s); name == "shopSaid" && n > 200 {
							t.Errorf("%q is %d characters, too long for a tip", s, n)
						}
					}
				}
			}
			w, ok := answers[l.code]
			if !ok {
				t.Fatalf("no answers in %s", l.code)
			}
			for a := range numAnswers {
				if w.say[a] == "" {
					t.Errorf("answer %d missing in %s", a, l.code)
				}
				// The longest rendering must fit a public reply on X (280,
				// most characters counting 1 in these languages) with room
				// for a long first name.
				text := phrase(l.code, a, "Maximiliano Something", "Chloé", 99999)
				if n := utf8.RuneCountInString(text); n > 260 {
					t.Errorf("%s answer %d is %d characters: %q", l.code, a, n, text)
				}
			}
		})
	}
	var share float64
	for _, l := range languages {
		share += l.share
	}
	if share < 0.999 || share > 1.001 {
		t.Errorf("language shares add up to %v, want 1", share)
	}
}

func TestChoose(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		conv care.Conversation
		last string
		want answer
	}{
		{"thanks on X", care.Conversation{Topics: []string{"outage"}}, "@orbitmobile Thanks, that worked!", aGoodbye},
		{"thanks on Reddit", care.Conversation{Topics: []string{"billing"}}, "u/OrbitMobile Perfect, all sorted now. Thanks!", aGoodbye},
		{"a review put right", care.Conversation{Topics: []string{"billing"}},
			"[Edited] ★★★★☆ Update: refund received and the plan is fixed. Thank you for following up.", aGoodbye},
		{"a review asking more", care.Conversation{Mood: care.MoodNegative},
			"[Edited] ★★★☆☆ Update: thanks. Do I need to bring my ID when I come back for the new SIM?", aFollowUp},
		{"outage", care.Conversation{Topics: []string{"outage", "refund"}}, "the app is down", aOutage},
		{"billing", care.Conversation{Topics: []string{"refund"}}, "money back", aBilling},
		{"delivery", care.Conversation{Topics: []string{"delivery"}}, "where is it", aDelivery},
		{"network", care.Conversation{Topics: []string{"network"}}, "no signal", aNetwork},
		{"praise", care.Conversation{Topics: []string{"praise"}, Mood: care.MoodPositive}, "great", aPraise},
		{"follow-up", care.Conversation{}, "OK, and will I get a confirmation by email as well?", aFollowUp},
		{"angry", care.Conversation{Mood: care.MoodNegative}, "grr", aComplaint},
		{"question", care.Conversation{Mood: care.MoodNeutral}, "how?", aQuestion},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := choose(&tt.conv, tt.last); got != tt.want {
				t.Errorf("choose(%+v, %q) = %v, want %v", tt.conv, tt.last, got, tt.want)
			}
		})
	}
}

func TestPhrase(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, lang, customer string
		want                 string
	}{
		{"named", "en", "Emma Clarke", "Hi Emma, you're welcome! Have a great day. Ana, case 1001"},
		{"a handle", "en", "@emmac1", "Hi emmac1, you're welcome!"},
		{"a phone number", "pt", "+35191000028", "Olá, de nada!"},
		{"no name", "de", "", "Hallo, gern geschehen!"},
		{"an unknown language", "ja", "Emma", "Hi Emma, you're welcome!"},
		{"a hostile name", "en", strings.Repeat("A", 5000), "Hi " + strings.Repeat("A", 40) + "…,"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := phrase(tt.lang, aGoodbye, tt.customer, "Ana", 1001); !strings.HasPrefix(got, tt.want) && got != tt.want {
				t.Errorf("phrase(%s, %.20q) = %q, want it to start %q", tt.lang, tt.customer, got, tt.want)
			}
		})
	}
}

func TestOutageWave(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for _, lang := range []string{"en", "es", "pt", "de"} {
		for _, stage := range []float64{0, 0.5, 0.99} {
			text := outage(r, lang, stage)
			if text == "" {
				t.Errorf("outage(%s, %v) is empty", lang, stage)
			}
		}
	}
	if early, late := outage(r, "en", 0), outage(r, "en", 0.95); early == late || !strings.Contains(late, "#OrbitDown") {
		t.Errorf("the wave does not build: early %q, late %q", early, late)
	}
}

func TestStripMentions(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"@orbitmobile Thanks, that worked!": "Thanks, that worked!",
		"@a @b  hello":                      "hello",
		"no mention":                        "no mention",
		"@only":                             "",
		"u/OrbitMobile Thanks!":             "Thanks!",
		"/u/OrbitMobile hi":                 "hi",
		"url/ is not a mention":             "url/ is not a mention",
		"  @orbitmobile   Great, thank you so much.": "Great, thank you so much.",
	} {
		if got := stripMentions(in); got != want {
			t.Errorf("stripMentions(%q) = %q, want %q", in, got, want)
		}
	}
}
