package demo

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
)

// A seed makes the same people in the same order.
func TestCastReproducible(t *testing.T) {
	t.Parallel()
	people := func(seed int64) []string {
		c := newCast(seed)
		var out []string
		for k := range numKinds {
			cu := c.newCustomer(k, "")
			out = append(out, cu.key+" "+cu.name+" "+cu.lang+" "+cu.id+" "+cu.handle)
		}
		return out
	}
	if diff := cmp.Diff(people(42), people(42)); diff != "" {
		t.Errorf("the same seed made different people (-first +second):\n%s", diff)
	}
	if cmp.Equal(people(42), people(43)) {
		t.Errorf("two seeds made the same people")
	}
}

func TestCastIdentities(t *testing.T) {
	t.Parallel()
	c := newCast(1)
	for k := range numKinds {
		cu := c.newCustomer(k, "")
		// A web chat visitor's id is Parley's to give when they connect,
		// and a blogger's is the blog's address and their name.
		later := k == webChat || k == blogPost
		if (cu.id == "") != (k.unnamed() || later) || cu.name == "" {
			t.Errorf("%s customer %+v: want a name, and an id unless the platform gives none", k, cu)
		}
		if len(cu.handle) > 15 || fold(cu.handle) != cu.handle {
			t.Errorf("%s handle %q: X wants at most 15 letters and digits", k, cu.handle)
		}
		if got := c.find(k.channel(), cu.id); cu.id != "" && got != cu {
			t.Errorf("find(%s, %s) = %+v, want the customer", k.channel(), cu.id, got)
		}
	}
	if yt := c.newCustomer(ytComment, ""); len(yt.id) != 24 || !strings.HasPrefix(yt.id, "UC") {
		t.Errorf("YouTube viewer's channel id %q: want UC and 22 more characters", yt.id)
	}
	wa := c.newCustomer(waMessage, "pt")
	if wa.id != wafake.BSUID(wa.phone) || c.find(care.ChannelWhatsApp, wa.phone) != wa {
		t.Errorf("a WhatsApp customer is not found by BSUID and by phone: %+v", wa)
	}
	sms := c.switchToSMS(wa)
	if sms.key != wa.key || sms.id != "+"+wa.phone || !sms.switched || c.find(care.ChannelSMS, sms.id) != sms {
		t.Errorf("the SMS side of %+v is %+v", wa, sms)
	}
	call := c.caller(sms)
	if call.key != wa.key || call.kind != phoneCall || call.id != "+"+wa.phone || call.switched || c.find(care.ChannelPhone, call.id) != call {
		t.Errorf("%+v calling from their number is %+v", sms, call)
	}
	for range 50 {
		if _, isNew := c.someone(fsqTip, 1); !isNew {
			t.Fatalf("a Foursquare tip came from a returning customer: tips name no author")
		}
	}
	chat := c.chatWithEmail("fr")
	if !strings.Contains(chat.email, "@") || chat.kind != webChat {
		t.Errorf("a web chat visitor giving their email is %+v", chat)
	}
	byMail := c.byEmail(chat)
	if byMail.key != chat.key || byMail.kind != emailMessage || byMail.id != chat.email || byMail.chat != chat || c.find(care.ChannelEmail, chat.email) != byMail {
		t.Errorf("%+v writing by email is %+v", chat, byMail)
	}
	fb := c.newCustomer(fbComment, "")
	if c.find(care.ChannelFacebook, fb.psid) != fb {
		t.Errorf("a commenter is not found by their Messenger id")
	}
	c.fileComment(care.ChannelFacebook, "900001_1", fb)
	if c.find(care.ChannelFacebook, "comment:900001_1") != fb || c.anchorOf(fb) != "900001_1" {
		t.Errorf("a comment does not lead back to its author")
	}
}

func TestFold(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Chloé": "chloe", "Inês": "ines", "João": "joao", "Krüger": "kruger", "Lefèvre": "lefevre",
		"Strauß": "strauss", "O'Neil-Smith": "oneilsmith", "": ""} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// The headless plan writes every way with a webhook in turn, so any run of
// a dozen messages covers every such channel, and makes a customer who
// moves from WhatsApp to SMS and a texter who calls.
func TestPlan(t *testing.T) {
	t.Parallel()
	p := newPlan(newCast(9), 9)
	seen := map[kind]int{}
	switched := false
	keys := map[string][]kind{}
	for range 2 * len(p.order) {
		m := p.next()
		seen[m.who.kind]++
		switched = switched || m.who.switched
		keys[m.who.key] = append(keys[m.who.key], m.who.kind)
		if m.text == "" {
			t.Errorf("an empty message from %+v", m.who)
		}
	}
	called := false
	for _, ks := range keys {
		called = called || slices.Contains(ks, smsMessage) && slices.Contains(ks, phoneCall)
	}
	if !called {
		t.Errorf("no texter called the care line in two rounds: %v", keys)
	}
	for k := range numKinds {
		want := 2
		if !k.pushed() {
			want = 0
		}
		if seen[k] != want {
			t.Errorf("%s written %d times in two rounds, want %d", k, seen[k], want)
		}
	}
	if !switched {
		t.Errorf("no customer moved from WhatsApp to SMS in two rounds")
	}
}

// The start of a headless run has a few customers write on each platform
// Parley polls and in the web chat, which the load leaves out: reviews
// with their stars, blog posts with their titles, and a visitor who gives
// their email in the chat and writes from it.
func TestAside(t *testing.T) {
	t.Parallel()
	ms := newPlan(newCast(9), 9).aside()
	seen := map[kind]int{}
	var chat, byMail *customer
	for _, m := range ms {
		k := m.who.kind
		seen[k]++
		if k.pushed() || m.text == "" || m.replyTo != "" {
			t.Errorf("%s %+v: want a first message where no webhook takes it", k, m)
		}
		if (m.stars != 0) != (k == gbpReview) || m.stars < 0 || m.stars > 5 {
			t.Errorf("%s rated %d stars", k, m.stars)
		}
		if (m.subject != "") != (k == blogPost) {
			t.Errorf("%s with subject %q", k, m.subject)
		}
		switch {
		case k == webChat && m.who.email != "":
			chat = m.who
		case m.who.chat != nil:
			byMail = m.who
		}
	}
	want := map[kind]int{}
	for k := range numKinds {
		if !k.pushed() {
			want[k] = asidePerKind
		}
	}
	if len(asideKinds) != len(want) {
		t.Errorf("asideKinds = %v, want every kind no webhook takes: %v", asideKinds, want)
	}
	want[emailMessage]++
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("customers by kind (-want +got):\n%s", diff)
	}
	if chat == nil || byMail == nil || byMail.chat != chat || byMail.id != chat.email {
		t.Errorf("no web chat visitor who also writes from the email they gave: %+v, %+v", chat, byMail)
	}
}
