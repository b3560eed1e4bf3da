package demo

import (
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
		if cu.id == "" || cu.name == "" {
			t.Errorf("%s customer %+v has no id or name", k, cu)
		}
		if len(cu.handle) > 15 || fold(cu.handle) != cu.handle {
			t.Errorf("%s handle %q: X wants at most 15 letters and digits", k, cu.handle)
		}
		if got := c.find(k.channel(), cu.id); got != cu {
			t.Errorf("find(%s, %s) = %+v, want the customer", k.channel(), cu.id, got)
		}
	}
	wa := c.newCustomer(waMessage, "pt")
	if wa.id != wafake.BSUID(wa.phone) || c.find(care.ChannelWhatsApp, wa.phone) != wa {
		t.Errorf("a WhatsApp customer is not found by BSUID and by phone: %+v", wa)
	}
	sms := c.switchToSMS(wa)
	if sms.key != wa.key || sms.id != "+"+wa.phone || !sms.switched || c.find(care.ChannelSMS, sms.id) != sms {
		t.Errorf("the SMS side of %+v is %+v", wa, sms)
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
// ten messages covers every such channel, and makes a customer who moves
// from WhatsApp to SMS.
func TestPlan(t *testing.T) {
	t.Parallel()
	p := newPlan(newCast(9), 9)
	seen := map[kind]int{}
	switched := false
	for range 2 * len(p.order) {
		m := p.next()
		seen[m.who.kind]++
		switched = switched || m.who.switched
		if m.text == "" {
			t.Errorf("an empty message from %+v", m.who)
		}
	}
	for k := range numKinds {
		want := 2
		if k.polled() {
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
