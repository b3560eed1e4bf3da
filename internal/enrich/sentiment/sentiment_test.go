package sentiment

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// labelTest is a post and the label it must get.
type labelTest struct {
	text string
	want Label
}

func runLabels(t *testing.T, tests []labelTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			if r := Analyze(tt.text); r.Label != tt.want {
				t.Errorf("Analyze(%q) = %v (%+.2f, cues %q), want %v", tt.text, r.Label, r.Score, r.Cues, tt.want)
			}
		})
	}
}

func TestNegation(t *testing.T) {
	t.Parallel()
	runLabels(t, []labelTest{
		{"I'm happy with the service", Positive},
		{"I'm not happy with the service", Negative},
		{"not very happy tbh", Negative},
		{"this is not bad at all", Positive},
		{"no complaints, never had a problem", Positive},
		{"never again", Negative},
		{"Never ordering from you again", Negative},
		{"the app isn't working", Negative},
		{"I don't like the new menu", Negative},
		{"no one answered my emails", Negative},
		{"nobody answers the phone", Negative},
		{"can't log in since the update", Negative},
		{"still no refund", Negative},
		{"the parcel never arrived", Negative},
		{"no response to my ticket", Negative},
		{"it used to be good", Negative},
		{"not worth the money", Negative},
		{"couldn't be happier with the upgrade", Positive},
		{"can't wait for the new season", Positive},
		// Negators that follow their verb.
		{"ça marche pas", Negative},
		{"die App funktioniert nicht", Negative},
		{"de app werkt niet", Negative},
		{"das ist nicht gut", Negative},
		{"pas content du tout, pas bien", Negative},
		{"niet goed", Negative},
		// A negator at the end of a clause negates nothing.
		{"Do you deliver to Leeds or not?", Neutral},
	})
}

func TestNegationFlipsOnlyItsWindow(t *testing.T) {
	t.Parallel()
	// "not" reaches three words; "great" is four words away and stays praise.
	near := Analyze("not really that great")
	far := Analyze("not on the list but great")
	if near.Score >= 0 || far.Score <= 0 {
		t.Errorf("Analyze(near) = %+.2f, Analyze(far) = %+.2f; want negative, positive", near.Score, far.Score)
	}
	// A clause boundary stops negation: "no" does not reach "thanks".
	if r := Analyze("No, thanks so much!"); r.Label != Positive {
		t.Errorf("Analyze(%q) = %v, want positive", "No, thanks so much!", r.Label)
	}
}

func TestIntensifiers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ stronger, weaker string }{
		{"very good", "good"},
		{"so annoying", "annoying"},
		{"extremely disappointed", "disappointed"},
		{"absolutely awful", "awful"},
		{"sooooo slow", "so slow"},
		{"sooooo good", "good"},
		{"good", "kinda good"},
		{"annoying", "a bit annoying"},
		{"rude", "slightly rude"},
		{"gooooood", "good"},
		{"terrible!!!", "terrible"},
		{"TERRIBLE", "terrible"},
		{"muy malo", "malo"},
		{"sehr schlecht", "schlecht"},
	} {
		t.Run(tt.stronger+" > "+tt.weaker, func(t *testing.T) {
			t.Parallel()
			s, w := Analyze(tt.stronger), Analyze(tt.weaker)
			if math.Abs(s.Score) <= math.Abs(w.Score) || s.Score*w.Score <= 0 {
				t.Errorf("Analyze(%q) = %+.3f, Analyze(%q) = %+.3f; want the first stronger, same sign", tt.stronger, s.Score, tt.weaker, w.Score)
			}
			if s.Intensity <= w.Intensity {
				t.Errorf("Intensity(%q) = %.3f, Intensity(%q) = %.3f; want the first higher", tt.stronger, s.Intensity, tt.weaker, w.Intensity)
			}
		})
	}
}

func TestCaps(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text  string
		want  Label
		shout bool
	}{
		{"WHY IS YOUR APP DOWN AGAIN", Negative, true},
		{"WHERE IS MY BAG", Negative, true},
		{"I am NOT HAPPY", Negative, true},
		{"THANK YOU SO MUCH", Positive, true},
		{"is the ATM at the UK branch working? can I get an SMS code?", Neutral, false},
		{"booked via the API, got the PDF and the QR code", Neutral, false},
		{"ASAP please, the DM has my PIN reset request", Neutral, false},
		{"I live in the USA and use my PS5 on TV", Neutral, false},
		{"booking ABC123, flight SL204", Neutral, false},
	} {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			r := Analyze(tt.text)
			if r.Label != tt.want || slices.Contains(r.Cues, "ALL CAPS") != tt.shout {
				t.Errorf("Analyze(%q) = %v %q, want %v with ALL CAPS %v", tt.text, r.Label, r.Cues, tt.want, tt.shout)
			}
		})
	}
	quiet, loud := Analyze("why is your app down again"), Analyze("WHY IS YOUR APP DOWN AGAIN")
	if loud.Score >= quiet.Score || loud.Intensity <= quiet.Intensity {
		t.Errorf("shouting (%+.2f, %.2f) is not angrier than writing (%+.2f, %.2f)", loud.Score, loud.Intensity, quiet.Score, quiet.Intensity)
	}
}

func TestEmoji(t *testing.T) {
	t.Parallel()
	runLabels(t, []labelTest{
		{"😡", Negative},
		{"🤬🤬🤬", Negative},
		{"😤", Negative},
		{"👎", Negative},
		{"💔", Negative},
		{"🙄", Negative},
		{"🙏", Positive},
		{"❤️", Positive},
		{"😍😍", Positive},
		{"👍🏽", Positive},
		{"🎉", Positive},
		{"@acme 👀", Neutral},
		{":(", Negative},
		{"thanks :)", Positive},
		{"hmm :-/", Negative},
		{":'(", Negative},
		{"<3", Positive},
		{"lol xD", Positive},
		{"10/10 would fly again", Positive},
		{"0/10", Negative},
		// Times and URLs are not faces.
		{"is the 10:30 running?", Neutral},
		{"see https://example.com/help:(x)", Neutral},
	})
}

func TestContrast(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text string
		want Label
	}{
		{"I love the product but your support is awful", Negative},
		{"delivery was slow but the driver was lovely", Positive},
		{"took a while but they sorted it, thanks", Positive},
		{"the room was nice, however the noise kept us up all night", Negative},
		{"la comida bien pero el servicio pésimo", Negative},
	} {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			r := Analyze(tt.text)
			if r.Label != tt.want || !slices.ContainsFunc(r.Cues, func(c string) bool { return strings.HasSuffix(c, `" clause`) }) {
				t.Errorf("Analyze(%q) = %v %q, want %v with a clause cue", tt.text, r.Label, r.Cues, tt.want)
			}
		})
	}
}

func TestCarePhrases(t *testing.T) {
	t.Parallel()
	runLabels(t, []labelTest{
		{"still waiting for my order", Negative},
		{"this is the third time I've messaged", Negative},
		{"no response from anyone", Negative},
		{"you cancelled my flight", Negative},
		{"I've been charged twice", Negative},
		{"I want a refund", Negative},
		{"been on hold for 40 minutes", Negative},
		{"you lost my bag", Negative},
		{"the app doesn't work", Negative},
		{"the lift is broken", Negative},
		{"another outage in my area", Negative},
		{"got food poisoning from your burger", Negative},
		{"where is my parcel?", Negative},
		{"fixed in 20 minutes, thanks", Positive},
		{"waited 3 hours at the gate", Negative},
	})
}

func TestQuestions(t *testing.T) {
	t.Parallel()
	runLabels(t, []labelTest{
		{"what time do you open?", Neutral},
		{"is the water safe to drink after the works?", Neutral},
		{"is there an outage in Leeds?", Neutral},
		{"how do I report lost property?", Neutral},
		{"is the new lounge any good?", Neutral},
		{"¿cuánto cuesta una maleta extra?", Neutral},
		{"why is my card not working?!", Negative},
		{"why was I charged a cleaning fee??", Negative},
		{"where is my refund?", Negative},
		{"so where is my money???", Negative},
	})
}

func TestThanksAndPraise(t *testing.T) {
	t.Parallel()
	runLabels(t, []labelTest{
		{"thanks!", Positive},
		{"thank you so much for the help", Positive},
		{"cheers, all sorted", Positive},
		{"this new update absolutely slaps", Positive},
		{"the new map is fire", Positive},
		{"meh", Negative},
		{"smh", Negative},
		{"wtf is this", Negative},
		{"ffs", Negative},
		{"fml", Negative},
		{"your app sucks", Negative},
		{"total garbage", Negative},
		{"ok", Neutral},
		{"lol", Neutral},
		{"tbh", Neutral},
	})
}

func TestLanguages(t *testing.T) {
	t.Parallel()
	runLabels(t, []labelTest{
		{"muchas gracias por la ayuda", Positive},
		{"servicio pésimo, nunca más", Negative},
		{"merci beaucoup, au top", Positive},
		{"service client nul", Negative},
		{"je suis déçu", Negative},
		{"vielen Dank für die schnelle Hilfe", Positive},
		{"ganz schlecht", Negative},
		{"obrigado, adorei", Positive},
		{"atendimento péssimo", Negative},
		{"atendimento pessimo", Negative},
		{"bedankt, heel fijn", Positive},
		{"echt slecht", Negative},
		{"geen internet sinds gisteren", Negative},
	})
}

func TestSarcasm(t *testing.T) {
	t.Parallel()
	runLabels(t, []labelTest{
		{"Great, another delay", Negative},
		{"oh great, the app is down", Negative},
		{"Thanks for losing my luggage. Really great job", Negative},
		{"thanks for nothing", Negative},
		{"another cancelled train. Just brilliant.", Negative},
		// Praise around "another" that is not sarcasm.
		{"thanks for another great year", Positive},
	})
}

func TestScareQuotes(t *testing.T) {
	t.Parallel()
	plain, quoted := Analyze("so much for unlimited data"), Analyze(`so much for "unlimited" data`)
	if quoted.Score >= 0 || plain.Score <= 0 || !slices.Contains(quoted.Cues, `"unlimited" (scare quotes)`) {
		t.Errorf("quoted %+.2f %q, plain %+.2f; want the quoted praise reversed, with a cue", quoted.Score, quoted.Cues, plain.Score)
	}
	// A long quotation is a quotation, not scare quotes.
	if r := Analyze(`they said "we are happy to help you today"`); r.Score <= 0 {
		t.Errorf("a long quotation scored %+.2f, want its praise kept", r.Score)
	}
}

func TestPunctuation(t *testing.T) {
	t.Parallel()
	plain, bangs := Analyze("this is unacceptable"), Analyze("this is unacceptable!!!")
	if bangs.Score >= plain.Score || !slices.Contains(bangs.Cues, `"!!!"`) {
		t.Errorf(`"!!!" = %+.2f %q, plain %+.2f; want more negative with a "!!!" cue`, bangs.Score, bangs.Cues, plain.Score)
	}
	if r := Analyze("why is this still broken?!"); !slices.Contains(r.Cues, `"?!"`) || r.Label != Negative {
		t.Errorf(`Analyze("…?!") = %v %q, want negative with a "?!" cue`, r.Label, r.Cues)
	}
	if r := Analyze("!!!"); r.Label != Neutral || r.Score != 0 {
		t.Errorf(`Analyze("!!!") = %v %+.2f, want neutral 0`, r.Label, r.Score)
	}
}

func TestCues(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"not happy", []string{`"not happy" (negated)`}},
		// A negator after its verb: the cue runs from the verb to it.
		{"das ist gut nicht", []string{`"gut nicht" (negated)`}},
		{"c'est bien pas", []string{`"bien pas" (negated)`}},
		{"dat is goed niet", []string{`"goed niet" (negated)`}},
		{"@acme 😡", []string{"😡"}},
		{"❤", []string{"❤️"}},
		{"I am NOT HAPPY!!!", []string{`"NOT HAPPY" (negated)`, "ALL CAPS", `"!!!"`}},
		{"Great, another delay", []string{`"Great, another" (sarcasm)`, `"delay"`}},
		{"very helpful, thanks", []string{`"very helpful"`, `"thanks"`}},
		{"can't log in", []string{`"can't log"`}},
		{"is the water safe to drink?", []string{"polite question"}},
		{"what time do you open?", nil},
		{"", nil},
		// Four cues at most, strongest first; repeats add up and show once.
		{"😡😡 worst service, terrible staff, awful food, rude manager 🤬", []string{"😡", "🤬", `"worst"`, `"terrible"`}},
	} {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, Analyze(tt.text).Cues); diff != "" {
				t.Errorf("Analyze(%q).Cues (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestHostileInput(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", MaxInput)
	for _, tt := range []struct {
		name string
		text string
		want Label
	}{
		{"empty", "", Neutral},
		{"spaces", " \t\n\r ", Neutral},
		{"invalid UTF-8", "\xff\xfe\xfd terrible \xc3", Negative},
		{"cut rune", "good \xf0\x9f\x98", Positive},
		{"NUL bytes", "great\x00\x00service", Positive},
		{"beyond MaxInput is ignored", long + " terrible awful worst", Neutral},
		{"one long word", strings.Repeat("é", 3*MaxInput), Neutral},
		{"long elongation", "s" + strings.Repeat("o", MaxInput/2) + " bad", Negative},
		{"many negators", strings.Repeat("not ", 2000), Negative},
		{"many emoji", strings.Repeat("😡", 2000), Negative},
		{"many bangs", "bad" + strings.Repeat("!", 5000), Negative},
		{"unclosed quote", `"` + strings.Repeat("great ", 800), Positive},
		{"many quotes", strings.Repeat(`"great" `, 800), Negative},
		{"digits", strings.Repeat("9", 5000) + "/10", Neutral},
		{"handle only", "@" + strings.Repeat("x", 5000), Neutral},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Analyze(tt.text)
			if r.Label != tt.want {
				t.Errorf("Analyze(%s) = %v %+.2f %q, want %v", tt.name, r.Label, r.Score, r.Cues, tt.want)
			}
			checkResult(t, tt.text, r)
		})
	}
}

// checkResult checks what every Result must satisfy.
func checkResult(t *testing.T, text string, r Result) {
	t.Helper()
	if math.IsNaN(r.Score) || r.Score < -1 || r.Score > 1 {
		t.Fatalf("Analyze(%q).Score = %v, want -1 … 1", text, r.Score)
	}
	if math.IsNaN(r.Intensity) || r.Intensity < 0 || r.Intensity > 1 {
		t.Fatalf("Analyze(%q).Intensity = %v, want 0 … 1", text, r.Intensity)
	}
	if want := label(r.Score); r.Label != want {
		t.Fatalf("Analyze(%q) = %v with Score %v, want %v", text, r.Label, r.Score, want)
	}
	if r.Score != 0 && r.Intensity == 0 {
		t.Fatalf("Analyze(%q): Score %v with no Intensity", text, r.Score)
	}
	if len(r.Cues) > MaxCues {
		t.Fatalf("Analyze(%q) has %d cues, want at most %d", text, len(r.Cues), MaxCues)
	}
	for _, c := range r.Cues {
		if c == "" || !utf8.ValidString(c) || strings.ContainsAny(c, "\r\n") || len(c) > 2*maxCueBytes+20 {
			t.Fatalf("Analyze(%q) has cue %q, want one short line of UTF-8", text, c)
		}
	}
}

func TestLabelThresholds(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		score float64
		want  Label
	}{
		{-1, Negative}, {-Threshold, Negative}, {-Threshold / 2, Neutral}, {0, Neutral},
		{Threshold / 2, Neutral}, {Threshold, Positive}, {1, Positive},
	} {
		if got := label(tt.score); got != tt.want {
			t.Errorf("label(%v) = %v, want %v", tt.score, got, tt.want)
		}
	}
}

func TestLexicon(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, src := range tables {
		for _, line := range strings.Split(src, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' {
				continue
			}
			spec, _, _ := strings.Cut(line, "|")
			fields := strings.Fields(spec)
			key := normalise(strings.Join(fields[1:], " "))
			if prev, ok := seen[key]; ok {
				t.Errorf("%q is in the lexicon twice: %q and %q", key, prev, line)
			}
			seen[key] = line
		}
	}
	if _, err := build([]string{"x great"}); err == nil {
		t.Error("build accepted a line without a valence")
	}
	if _, err := build([]string{"1 great | loud"}); err == nil {
		t.Error("build accepted an unknown flag")
	}
	for in, want := range map[string]string{"PÉSSIMO": "pessimo", "Déçu": "decu", "can’t": "can't", "ENTTÄUSCHT": "enttauscht", "Ñandú": "nandu"} {
		if got := normalise(in); got != want {
			t.Errorf("normalise(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every word and phrase of the lexicon must be what the tokenizer makes of
// it, or no post could ever match it: "c'est réglé" is three words,
// "c'", "est" and "regle", and so is its entry.
func TestLexiconEntriesAreTokens(t *testing.T) {
	t.Parallel()
	keys := slices.Collect(maps.Keys(lex.words))
	keys = append(keys, slices.Collect(maps.Keys(lex.phrases))...)
	for _, key := range keys {
		if strings.Contains(key, "#") {
			continue // numbers, which numeric reads
		}
		// As written: "n'importe", and "n'" before a word.
		text, want := strings.ReplaceAll(key, "' ", "'"), key
		if strings.HasSuffix(key, "'") {
			text, want = text+"a", key+" a"
		}
		var s scratch
		s.tokenize(text)
		var got []string
		for i := range s.toks {
			if s.toks[i].kind != kWord {
				t.Errorf("entry %q: token %d is not a word", key, i)
				continue
			}
			got = append(got, string(s.norm(i)))
		}
		if g := strings.Join(got, " "); g != want {
			t.Errorf("entry %q: %q is read as %q", key, text, g)
		}
	}
}

func TestWithRating(t *testing.T) {
	polite := Analyze("Thank you for the quick delivery, the staff were kind.")
	for _, tc := range []struct {
		stars int
		want  Label
	}{{0, polite.Label}, {1, Negative}, {3, polite.Label}, {5, Positive}, {6, polite.Label}} {
		got := WithRating(polite, tc.stars)
		if got.Label != tc.want {
			t.Errorf("%d stars over %+v: %+v, want %s", tc.stars, polite, got, tc.want)
		}
		if tc.stars >= 1 && tc.stars <= 5 && (len(got.Cues) == 0 || got.Cues[0] != fmt.Sprintf("%d★ review", tc.stars)) {
			t.Errorf("%d stars: cues %q do not start with the rating", tc.stars, got.Cues)
		}
	}
	if got := WithRating(polite, 2); got.Label == Positive {
		t.Errorf("2 stars over polite words stayed positive: %+v", got)
	}
	angry := Analyze("Worst service ever, rude staff, never again!!!")
	if got := WithRating(angry, 5); got.Score <= 0 {
		t.Errorf("5 stars over an angry text scored %v; the rating should win", got.Score)
	}
}
