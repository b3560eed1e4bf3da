package moderation

import "testing"

func TestSpam(t *testing.T) {
	t.Parallel()
	rule := Rule{Kind: Spam, Action: Delete}
	for _, tt := range []struct {
		text string
		want string // the reason; "" means allowed
	}{
		{"DM me for collabs 💕", `spam: promotional phrase "dm me for"`},
		{"Check my profile for the best deals!!", `spam: promotional phrase "check my profile"`},
		{"follow back pls", `spam: promotional phrase "follow back"`},
		{"Ch3ck my pr0file", `spam: promotional phrase "check my profile"`},
		{"Сheck my рrofile", `spam: promotional phrase "check my profile", hidden characters or look-alike letters`},
		{"check\u200b my pro\u200bfile", `spam: promotional phrase "check my profile", hidden characters or look-alike letters`},
		{"𝐂𝐡𝐞𝐜𝐤 𝐦𝐲 𝐩𝐫𝐨𝐟𝐢𝐥𝐞", `spam: promotional phrase "check my profile"`},
		{"Earn $500 a day from home", "spam: promises money"},
		{"I made 3000€ last week", "spam: promises money"},
		{"making 200 dollars daily", "spam: promises money"},
		{"crypto tips at example.com", `spam: mentions "crypto", link`},
		{"WhatsApp +44 7700 900123", `spam: mentions "whatsapp", phone number to contact`},
		{"contact 0800 555 0199 now", "spam: phone number to contact"},
		{"great deal bit.ly/xyz", "spam: shortened or affiliate link"},
		{"new drop example.com #love #style #ootd #fashion #instagood #photooftheday", "spam: link, 6 hashtags"},
		{"BUY NOW BEST PRICES EVER ON EVERYTHING 🔥🔥🔥🔥🔥🔥🔥🔥", "spam: 8 emoji, long text in capitals"},

		// Not spam: one weak signal at most.
		{"Do you take crypto?", ""},
		{"Is there a giveaway this year?", ""},
		{"Great post, more at example.com", ""},
		{"My order 123456789 is late", ""},
		{"I LOVE THIS SO MUCH, BEST BRAND EVER!!!", ""},
		{"😍😍😍😍😍😍😍😍😍 love it", ""},
		{"@sam @alex look at this", ""},
		{"Call me at +44 7700 900123 please", ""},
		{"I earn 50 points per order, nice", ""},
	} {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			d := decide(t, rule, tt.text)
			if d.Reason != tt.want || (d.Action == Delete) != (tt.want != "") {
				t.Errorf("Decide(%q) = %+v, want reason %q", tt.text, d, tt.want)
			}
		})
	}
}

func TestPhone(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"+44 7700 900123", true},
		{"(0800) 555-0199", true},
		{"call 555.010.0200", true},
		{"+1 (555) 010-0200", true},
		{"order #123456789", false},
		{"sku123456789", false},
		{"12345678", false},
		{"1234567890123456", false},
		{"2026-11-24", false},
		{"3.14159", false},
		{"", false},
	} {
		if got := prepare(tt.text).phone(); got != tt.want {
			t.Errorf("phone(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestLowEffort(t *testing.T) {
	t.Parallel()
	rule := Rule{Kind: LowEffort, Action: Hide}
	for _, tt := range []struct {
		text string
		want string
	}{
		{"nice", `low-effort comment: "nice"`},
		{"Niiiiice!!!", `low-effort comment: "nice"`},
		{"good post", `low-effort comment: "good post"`},
		{"Good post 👍", `low-effort comment: "good post"`},
		{"FIRST", `low-effort comment: "first"`},
		{"wow", `low-effort comment: "wow"`},
		{"woooow 😍", `low-effort comment: "wow"`},
		{"hahahaha", `low-effort comment: "haha"`},
		{"que lindo", `low-effort comment: "que lindo"`},
		{"trop bien", `low-effort comment: "trop bien"`},
		{"🔥🔥", "low-effort comment: emoji only"},
		{"❤️", "low-effort comment: emoji only"},

		{"Thanks!", ""},
		{"ok", ""},
		{"yes", ""},
		{"nice, but when is it back in stock?", ""},
		{"not nice", ""},
		{"@sam nice", ""},
		{"@sam 🔥", ""},
		{"nice example.com", ""},
		{"?", ""},
		{"", ""},
		{"\u200b\u200b", ""},
	} {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			d := decide(t, rule, tt.text)
			if d.Reason != tt.want || (d.Action == Hide) != (tt.want != "") {
				t.Errorf("Decide(%q) = %+v, want reason %q", tt.text, d, tt.want)
			}
		})
	}
}

func TestComplaint(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"I want a refund", true},
		{"Refunded? Never!", true},
		{"My parcel never arrived", true},
		{"you charged me twice", true},
		{"the zipper is broken", true},
		{"worst service I have ever had", true},
		{"Still waiting for an answer", true},
		{"I called three times and no one answered", true},
		{"got food poisoning at your Lisbon store", true},
		{"you cancelled my flight without notice", true},
		{"didn’t arrive", true},
		{"el pedido nunca llegó", true},
		{"colis jamais reçu", true},
		{"j'attends toujours mon colis", true},
		{"Paket nie angekommen", true},
		{"Rückerstattung bitte", true},
		{"o pedido não chegou", true},
		{"pakket nooit aangekomen", true},

		{"love the new colours", false},
		{"brokerage fees", false},
		{"where can I buy it?", false},
		{"", false},
	} {
		if got := prepare(tt.text).complaint(); got != tt.want {
			t.Errorf("complaint(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
