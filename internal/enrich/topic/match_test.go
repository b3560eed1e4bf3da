package topic

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMatch(t *testing.T) {
	t.Parallel()
	rules := []Rule{
		{Topic: "legal", Phrases: []string{"sue", "legal action"}, Team: "escalations", Boost: 5, Severity: 1},
		{Topic: "outage", Phrases: []string{"down", "not working"}, Severity: 1},
		{Topic: "refund", Phrases: []string{"money back", "refund*"}, Team: "billing", Severity: 0.5},
		{Topic: "billing", Phrases: []string{"charged twice", "überzahlt"}, Severity: 0.5},
		{Topic: "delivery", Phrases: []string{"lost my bag", "never arrived"}, Severity: 0.5},
		{Topic: "cancel", Phrases: []string{"cancel my sub*"}},
		{Topic: "ja", Phrases: []string{"返金"}},
		{Topic: "th", Phrases: []string{"คืนเงิน"}},
		{Topic: "ru", Phrases: []string{"верните деньги"}},
	}
	m, err := Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	legal := Match{Topic: "legal", Phrase: "sue", Team: "escalations", Boost: 5, Severity: 1}
	outage := Match{Topic: "outage", Phrase: "down", Severity: 1}
	for _, tt := range []struct {
		name, text string
		want       []Match
	}{
		{"nothing", "Lovely flight, thanks!", nil},
		{"empty", "", nil},
		{"word boundary", "There is an issue with my account, pursue it", nil},
		{"whole word", "I will SUE you", []Match{legal}},
		{"punctuation", "site down!", []Match{outage}},
		{"hashtag", "#down again", []Match{outage}},
		{"mention skipped", "@down @sue hello", nil},
		{"link skipped", "see https://example.com/down and www.sue.com", nil},
		{"across punctuation", "I was CHARGED... twice!!", []Match{{Topic: "billing", Phrase: "charged twice", Severity: 0.5}}},
		{"across newline", "charged\n\ttwice", []Match{{Topic: "billing", Phrase: "charged twice", Severity: 0.5}}},
		{"not across a word", "charged me twice", nil},
		{"run together", "#LostMyBag in Lisbon", []Match{{Topic: "delivery", Phrase: "lost my bag", Severity: 0.5}}},
		{"accents in text", "Ich wurde UEBERZAHLT, nein: überzählt? Ich wurde überzahlt", []Match{{Topic: "billing", Phrase: "überzahlt", Severity: 0.5}}},
		{"accents folded", "ich wurde uberzahlt", []Match{{Topic: "billing", Phrase: "überzahlt", Severity: 0.5}}},
		{"combining accent", "u\u0308berzahlt", []Match{{Topic: "billing", Phrase: "überzahlt", Severity: 0.5}}},
		{"full width", "ｎｏｔ ｗｏｒｋｉｎｇ", []Match{{Topic: "outage", Phrase: "not working", Severity: 1}}},
		{"math bold", "𝗻𝗼𝘁 𝘄𝗼𝗿𝗸𝗶𝗻𝗴", []Match{{Topic: "outage", Phrase: "not working", Severity: 1}}},
		{"stem", "Still no refunds", []Match{{Topic: "refund", Phrase: "refund*", Team: "billing", Severity: 0.5}}},
		{"stem exact", "refund", []Match{{Topic: "refund", Phrase: "refund*", Team: "billing", Severity: 0.5}}},
		{"stem not inside", "nonrefundable", nil},
		{"multi-word stem", "cancel my subscriptions", []Match{{Topic: "cancel", Phrase: "cancel my sub*"}}},
		{"first in text wins", "refunded? I want my money back", []Match{{Topic: "refund", Phrase: "refund*", Team: "billing", Severity: 0.5}}},
		{"first listed wins at same start", "money back", []Match{{Topic: "refund", Phrase: "money back", Team: "billing", Severity: 0.5}}},
		{"rule order", "never arrived, the app is down, I will sue", []Match{
			legal, outage, {Topic: "delivery", Phrase: "never arrived", Severity: 0.5},
		}},
		{"one per topic", "down down down, not working", []Match{outage}},
		{"japanese inside a run", "注文の返金をお願いします", []Match{{Topic: "ja", Phrase: "返金"}}},
		{"thai inside a run", "ขอคืนเงินด้วยครับ", []Match{{Topic: "th", Phrase: "คืนเงิน"}}},
		{"cyrillic", "Верните ДЕНЬГИ!", []Match{{Topic: "ru", Phrase: "верните деньги"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, m.Match(tt.text)); diff != "" {
				t.Errorf("Match(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestMatchLongText(t *testing.T) {
	t.Parallel()
	m, err := Compile([]Rule{{Topic: "outage", Phrases: []string{"outage"}}})
	if err != nil {
		t.Fatal(err)
	}
	long := make([]byte, MaxTextBytes)
	for i := range long {
		long[i] = 'a'
	}
	if got := m.Match(string(long) + " outage"); got != nil {
		t.Errorf("Match(a phrase past MaxTextBytes) = %v, want nil", got)
	}
	if got := m.Match("outage " + string(long)); len(got) != 1 {
		t.Errorf("Match(a phrase before MaxTextBytes) = %v, want outage", got)
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	m, err := Compile(Defaults())
	if err != nil {
		t.Fatalf("Compile(Defaults()) = %v", err)
	}
	topics := func(ms []Match) []string {
		var s []string
		for _, x := range ms {
			s = append(s, x.Topic+": "+x.Phrase)
		}
		return s
	}
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"@Airline you charged twice for the same seat and I want a refund", []string{"billing: charged twice", "refund: refund*"}},
		{"Your app is down again. 3rd time this week #outage", []string{"outage: is down"}},
		{"calm down, I'm just asking about my order", nil},
		{"Any news on my order? Leaving for the airport now", nil},
		{"I got food poisoning at your restaurant, my lawyer will be in touch", []string{"safety: food poisoning", "legal: lawyer"}},
		{"this is going viral, I'm going to the press", []string{"going public: viral"}},
		{"Cancel my account, I'm switching to a competitor", []string{"churn: cancel my account"}},
		{"You lost my bag and it never arrived #LostMyBag", []string{"delivery: lost my bag"}},
		{"Thank you, great service as always", []string{"praise: thank you"}},
		{"Someone made unauthorised purchases, this is fraudulent", []string{"fraud: unauthorised"}},
		{"there is an issue with my issue", nil},
	} {
		if diff := cmp.Diff(tt.want, topics(m.Match(tt.text))); diff != "" {
			t.Errorf("Match(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
}
