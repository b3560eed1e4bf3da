package moderation

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
)

// testNow is the tests' clock: 24 November 2026, 10:00 UTC.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// newModerator returns a Moderator for rules on a clock fixed at testNow.
func newModerator(t testing.TB, rules ...Rule) *Moderator {
	t.Helper()
	m, err := New(rules, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("New = %v", err)
	}
	return m
}

// decide is the decision of a single rule on text.
func decide(t testing.TB, r Rule, text string) Decision {
	t.Helper()
	return newModerator(t, r).Decide(Comment{AuthorID: "a1", Text: text, At: testNow})
}

func TestNewValidation(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		rules []Rule
		want  string // "" means valid; else part of the EINVALID message
	}{
		{"no rules", nil, ""},
		{"every kind", []Rule{
			{Kind: Profanity, Action: Hide},
			{Kind: Spam, Action: Delete},
			{Kind: Links, Action: Flag, MaxLinks: 1, AllowDomains: []string{"Example.com", "www.brand.co.uk"}, BlockDomains: []string{"spam.example"}},
			{Kind: LowEffort, Action: Reply, SavedReplyID: 7},
			{Kind: Repeated, Action: Hide, Threshold: 3, Window: time.Hour},
			{Kind: Words, Action: Hide, Words: []string{"scam*", "free shipping scam", "1488"}},
		}, ""},
		{"links without a limit", []Rule{{Kind: Links, Action: Hide, MaxLinks: NoLinkLimit, BlockDomains: []string{"x.com"}}}, ""},
		{"unknown kind", []Rule{{Kind: "vibes", Action: Hide}}, `Rule 1: unknown kind "vibes"; want profanity, spam, links, low_effort, repeated or words.`},
		{"unknown action", []Rule{{Kind: Spam, Action: "shadowban"}}, `Rule 1 (spam): unknown action "shadowban"`},
		{"no action", []Rule{{Kind: Spam}}, `unknown action ""`},
		{"allow", []Rule{{Kind: Spam, Action: Allow}}, "a rule cannot allow"},
		{"reply without saved reply", []Rule{{Kind: LowEffort, Action: Reply}}, "needs a saved_reply_id"},
		{"saved reply without reply", []Rule{{Kind: LowEffort, Action: Hide, SavedReplyID: 3}}, `a saved reply is only for the "reply" action`},
		{"second rule named", []Rule{{Kind: Spam, Action: Hide}, {Kind: Profanity, Action: Hide, MaxLinks: 2}}, "Rule 2 (profanity): max_links applies only to links rules."},
		{"domains on profanity", []Rule{{Kind: Profanity, Action: Hide, AllowDomains: []string{"a.com"}}}, "allow_domains applies only to links rules"},
		{"block on spam", []Rule{{Kind: Spam, Action: Hide, BlockDomains: []string{"a.com"}}}, "block_domains applies only to links rules"},
		{"words on spam", []Rule{{Kind: Spam, Action: Hide, Words: []string{"a"}}}, "words applies only to words rules"},
		{"threshold on links", []Rule{{Kind: Links, Action: Hide, Threshold: 3}}, "threshold applies only to repeated rules"},
		{"window on words", []Rule{{Kind: Words, Action: Hide, Words: []string{"x"}, Window: time.Hour}}, "window applies only to repeated rules"},
		{"negative links", []Rule{{Kind: Links, Action: Hide, MaxLinks: -2}}, "the link limit must be 0 or more, or -1 for no limit"},
		{"domain with scheme", []Rule{{Kind: Links, Action: Hide, AllowDomains: []string{"https://example.com/"}}}, `AllowDomains[0] "https://example.com/" is not a domain such as "example.com"`},
		{"domain with port", []Rule{{Kind: Links, Action: Hide, BlockDomains: []string{"ok.com", "example.com:80"}}}, `BlockDomains[1] "example.com:80"`},
		{"domain without dot", []Rule{{Kind: Links, Action: Hide, BlockDomains: []string{"localhost"}}}, "is not a domain"},
		{"domain empty label", []Rule{{Kind: Links, Action: Hide, BlockDomains: []string{"a..com"}}}, "is not a domain"},
		{"too many domains", []Rule{{Kind: Links, Action: Hide, BlockDomains: make([]string, MaxDomains+1)}}, "BlockDomains has 1001 entries; at most 1000"},
		{"empty words", []Rule{{Kind: Words, Action: Hide}}, "the word list is empty"},
		{"blank word", []Rule{{Kind: Words, Action: Hide, Words: []string{"ok", "  "}}}, "word list: an entry is empty"},
		{"word without letters", []Rule{{Kind: Words, Action: Hide, Words: []string{"!!!"}}}, `word list: "!!!": "!!!" has no letters or digits`},
		{"inner star", []Rule{{Kind: Words, Action: Hide, Words: []string{"f*ck"}}}, `"f*ck": "*" may only end a word`},
		{"short stem", []Rule{{Kind: Words, Action: Hide, Words: []string{"ab*"}}}, "needs at least 3 letters before it"},
		{"stem of repeats", []Rule{{Kind: Words, Action: Hide, Words: []string{"aab*"}}}, "needs at least 3 letters before it"},
		{"long word", []Rule{{Kind: Words, Action: Hide, Words: []string{strings.Repeat("a", 101)}}}, "is longer than 100 bytes"},
		{"long phrase", []Rule{{Kind: Words, Action: Hide, Words: []string{"a b c d e f g h i"}}}, "has more than 8 words"},
		{"too many words", []Rule{{Kind: Words, Action: Hide, Words: make([]string, MaxWords+1)}}, "the word list has 5001 entries; at most 5000"},
		{"no threshold", []Rule{{Kind: Repeated, Action: Hide, Window: time.Hour}}, "the threshold must be from 2 to 50 authors"},
		{"threshold 1", []Rule{{Kind: Repeated, Action: Hide, Threshold: 1, Window: time.Hour}}, "the threshold must be"},
		{"threshold too high", []Rule{{Kind: Repeated, Action: Hide, Threshold: 51, Window: time.Hour}}, "the threshold must be"},
		{"no window", []Rule{{Kind: Repeated, Action: Hide, Threshold: 3}}, "the window must be more than 0 and at most 7 days"},
		{"window too long", []Rule{{Kind: Repeated, Action: Hide, Threshold: 3, Window: 8 * 24 * time.Hour}}, "the window must be"},
		{"too many rules", make([]Rule, MaxRules+1), "at most 64 moderation rules, not 65"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tt.rules, Options{})
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("New = %v, want nil", err)
			case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want)):
				t.Errorf("New = %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

func TestDecideOrder(t *testing.T) {
	t.Parallel()
	rules := []Rule{
		{Kind: Words, Action: Delete, Words: []string{"competitorx"}},
		{Kind: Profanity, Action: Hide},
		{Kind: Links, Action: Flag, MaxLinks: 0},
		{Kind: LowEffort, Action: Reply, SavedReplyID: 42},
	}
	for _, tt := range []struct {
		name string
		text string
		want Decision
	}{
		{"first rule wins", "shit, CompetitorX is better: competitorx.com",
			Decision{Action: Delete, Kind: Words, Reason: "blocked word: 'c**********'"}},
		{"second rule", "shit, look at example.com",
			Decision{Action: Hide, Kind: Profanity, Reason: "profanity: 's***'"}},
		{"third rule", "look at example.com",
			Decision{Action: Flag, Kind: Links, Reason: "1 link (none allowed)"}},
		{"reply", "nice",
			Decision{Action: Reply, Kind: LowEffort, Reason: `low-effort comment: "nice"`, SavedReplyID: 42}},
		{"none", "Where can I buy the blue one in Lisbon?", Decision{Action: Allow}},
		{"empty", "", Decision{Action: Allow}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := newModerator(t, rules...).Decide(Comment{AuthorID: "a", Text: tt.text})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decide(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestComplaintGuard(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		rule Rule
		text string
		want Decision
	}{
		{"profane complaint is flagged for care", Rule{Kind: Profanity, Action: Hide},
			"this fucking phone broke again",
			Decision{Action: Flag, Kind: Profanity, Reason: "profanity: 'f***'; reads as a complaint, so flagged for care instead of hidden", Complaint: true, RouteToCare: true}},
		{"masked profane complaint", Rule{Kind: Profanity, Action: Delete},
			"this f***ing phone broke again",
			Decision{Action: Flag, Kind: Profanity, Reason: "profanity: 'f***'; reads as a complaint, so flagged for care instead of deleted", Complaint: true, RouteToCare: true}},
		{"complaint with a photo link past the limit", Rule{Kind: Links, Action: Hide},
			"My package arrived damaged, photo: imgur.com/a/x7Yz",
			Decision{Action: Flag, Kind: Links, Reason: "1 link (none allowed); reads as a complaint, so flagged for care instead of hidden", Complaint: true, RouteToCare: true}},
		{"complaint with a link off the allow list", Rule{Kind: Links, Action: Hide, MaxLinks: NoLinkLimit, AllowDomains: []string{"brand.com"}},
			"Still waiting for my refund, here is the receipt https://imgur.com/a/x7Yz",
			Decision{Action: Flag, Kind: Links, Reason: "link to a domain not on the allow list (imgur.com); reads as a complaint, so flagged for care instead of hidden", Complaint: true, RouteToCare: true}},
		{"saved reply to a complaint", Rule{Kind: Links, Action: Reply, SavedReplyID: 9},
			"I was charged twice: bank.example.com/statement",
			Decision{Action: Flag, Kind: Links, Reason: "1 link (none allowed); reads as a complaint, so flagged for care instead of a saved reply", Complaint: true, RouteToCare: true}},
		{"flag stays flag", Rule{Kind: Profanity, Action: Flag},
			"worst service ever, shit",
			Decision{Action: Flag, Kind: Profanity, Reason: "profanity: 's***'", Complaint: true, RouteToCare: true}},
		{"in capitals", Rule{Kind: Spam, Action: Hide},
			"MY ORDER NEVER ARRIVED AND NOBODY ANSWERS THE PHONE, SEE HTTPS://IMGUR.COM/X",
			Decision{Action: Flag, Kind: Spam, Reason: "spam: link, long text in capitals; reads as a complaint, so flagged for care instead of hidden", Complaint: true, RouteToCare: true}},
		{"refund bait with a recruiting phrase stays spam", Rule{Kind: Spam, Action: Hide},
			"I got my refund back thanks to Mr Lee, contact him on WhatsApp +1 555 010 0200",
			Decision{Action: Hide, Kind: Spam, Reason: `spam: promotional phrase "contact him", phone number to contact`}},
		{"complaint bait with a shortener stays spam", Rule{Kind: Links, Action: Delete, MaxLinks: 1},
			"never received my order?? get your money back here bit.ly/4xYz",
			Decision{Action: Delete, Kind: Links, Reason: "link through a URL shortener or link page (bit.ly)"}},
		{"complaint linking a blocked domain stays hidden", Rule{Kind: Links, Action: Hide, MaxLinks: NoLinkLimit, BlockDomains: []string{"refund-help.example"}},
			"refund denied? go to www.refund-help.example now",
			Decision{Action: Hide, Kind: Links, Reason: "link to a blocked domain (refund-help.example)"}},
		{"phishing with a complaint stays hidden", Rule{Kind: Links, Action: Hide, MaxLinks: NoLinkLimit, AllowDomains: []string{"brand.com"}},
			"Refund not received? Claim it at https://brаnd.com/refund",
			Decision{Action: Hide, Kind: Links, Reason: "link to a disguised domain (looks like brand.com)"}},
		{"Spanish complaint", Rule{Kind: Profanity, Action: Hide},
			"Mierda, el pedido nunca llegó",
			Decision{Action: Flag, Kind: Profanity, Reason: "profanity: 'm*****'; reads as a complaint, so flagged for care instead of hidden", Complaint: true, RouteToCare: true}},
		{"German complaint", Rule{Kind: Profanity, Action: Hide},
			"Scheiße, das Paket ist nie angekommen",
			Decision{Action: Flag, Kind: Profanity, Reason: "profanity: 's******'; reads as a complaint, so flagged for care instead of hidden", Complaint: true, RouteToCare: true}},
		{"no complaint", Rule{Kind: Profanity, Action: Hide},
			"this shit is fire",
			Decision{Action: Hide, Kind: Profanity, Reason: "profanity: 's***'"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := decide(t, tt.rule, tt.text); !cmp.Equal(tt.want, got) {
				t.Errorf("Decide(%q) mismatch (-want +got):\n%s", tt.text, cmp.Diff(tt.want, got))
			}
		})
	}
}

func TestIsComplaintOption(t *testing.T) {
	t.Parallel()
	var got []string
	m, err := New([]Rule{{Kind: Profanity, Action: Hide}}, Options{IsComplaint: func(text string) bool {
		got = append(got, text)
		return strings.Contains(text, "sad")
	}})
	if err != nil {
		t.Fatal(err)
	}
	if d := m.Decide(Comment{Text: "shit, I am sad"}); d.Action != Flag || !d.RouteToCare {
		t.Errorf("Decide = %+v, want Flag routed to care", d)
	}
	if d := m.Decide(Comment{Text: "shit, my refund never arrived"}); d.Action != Hide || d.Complaint {
		t.Errorf("Decide = %+v, want Hide: the option replaces the built-in check", d)
	}
	if d := m.Decide(Comment{Text: "sad"}); d.Action != Allow {
		t.Errorf("Decide = %+v, want Allow", d)
	}
	long := strings.Repeat("é", MaxTextBytes) + "\xff"
	m.Decide(Comment{Text: "shit " + long})
	want := []string{"shit, I am sad", "shit, my refund never arrived", ("shit " + long)[:MaxTextBytes-1]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("IsComplaint was called with (-want +got):\n%s", diff)
	}
}

func TestDecideBounded(t *testing.T) {
	t.Parallel()
	m := newModerator(t, Rule{Kind: Profanity, Action: Hide}, Rule{Kind: Links, Action: Hide, MaxLinks: 3})
	pad := strings.Repeat("a ", MaxTextBytes/2)
	for _, tt := range []struct {
		name string
		text string
		want Action
	}{
		{"word inside the bound", pad[:MaxTextBytes-6] + "shit", Hide},
		{"word past the bound", pad + "shit", Allow},
		{"invalid UTF-8", "\xff\xfe sh\xc3it \xed\xa0\x80", Allow},
		{"invalid UTF-8 around a word", "\xffshit\xfe", Hide},
		{"many links", strings.Repeat("x.com ", 2000), Hide},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := m.Decide(Comment{Text: tt.text}); got.Action != tt.want {
				t.Errorf("Decide = %+v, want %s", got, tt.want)
			}
		})
	}
}

func TestDecideConcurrent(t *testing.T) {
	t.Parallel()
	m := newModerator(t,
		Rule{Kind: Profanity, Action: Hide},
		Rule{Kind: Repeated, Action: Hide, Threshold: 5, Window: time.Hour},
		Rule{Kind: Spam, Action: Delete},
	)
	var wg sync.WaitGroup
	results := make([]Decision, 40)
	for i := range results {
		wg.Go(func() {
			results[i] = m.Decide(Comment{AuthorID: fmt.Sprint("author", i), Text: "Follow my page for daily outfit ideas please"})
		})
	}
	wg.Wait()
	hidden := 0
	for _, d := range results {
		if d.Action == Hide {
			hidden++
		}
	}
	// Whatever the order, the first four authors pass and the rest do not.
	if hidden != len(results)-4 {
		t.Errorf("%d of %d comments hidden, want %d", hidden, len(results), len(results)-4)
	}
}

// TestOrdinaryComments checks that everyday comments pass a brand's full set
// of rules.
func TestOrdinaryComments(t *testing.T) {
	t.Parallel()
	m := newModerator(t, benchRules...)
	for i, text := range []string{
		"Where can I buy the blue one in Lisbon?",
		"Is this available in size 42? My son loves it.",
		"Just ordered two, can't wait!",
		"The class at the Scunthorpe store was brilliant, thanks Sam",
		"Will you assess returns made after 30 days?",
		"Cocktail menu looks amazing, what's in the passion fruit one?",
		"@maria look, the jacket you wanted 😍",
		"Here is mine after a year: imgur.com/a/x7Yz",
		"¿Tienen envíos a Canarias?",
		"Est-ce que la taille 38 taille petit ?",
		"Gibt es das auch in Schwarz?",
		"Vocês entregam em Portugal?",
		"Is dit ook verkrijgbaar in het blauw?",
		"Order 48213 arrived today, perfect, thank you!",
		"Do you accept crypto or only cards?",
		"Thanks!",
		"ok",
		"2 for 1? yes please 🙌",
		"Can I pay with PayPal at checkout? The site says error 502.",
		"Congrats on the 10 years, I remember the first shop on Main St.",
	} {
		if d := m.Decide(Comment{AuthorID: fmt.Sprint("a", i), Text: text}); d.Action != Allow {
			t.Errorf("Decide(%q) = %+v, want Allow", text, d)
		}
	}
}
