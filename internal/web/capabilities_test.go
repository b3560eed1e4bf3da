package web_test

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/reviews"
	"github.com/parleyhq/parley/internal/channel/youtube"
)

// Under a customer's public message the page offers only what the channel
// can do: taking it private needs a private side to move to, and Hide and
// Delete need a platform that lets the business moderate the customer's
// words. Google lets a business do neither to a review, so a review offers
// only the reply, with no warning about a private reply it cannot choose.
func TestActionsFollowTheChannel(t *testing.T) {
	for _, tc := range []struct {
		name        string
		ch          care.Channel
		adapter     channel.Sender
		account     string
		platformID  string
		takePrivate bool
		moderate    bool
	}{
		{"facebook comment", care.ChannelFacebook, modFake{}, "Page", "c_1", true, true},
		{"google review", care.ChannelReviews, &reviews.Adapter{}, "accounts/1/locations/2", "accounts/1/locations/2/reviews/r1", false, false},
		{"youtube comment", care.ChannelYouTube, &youtube.Adapter{}, "UCparley", "Ugzc1", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			reg := &channel.Registry{}
			reg.Register(tc.ch, tc.adapter)
			f.h.Desk.Adapters = reg
			conv := f.conversationOn(f.inboxOn(tc.ch, tc.account), "Ana", care.Public, tc.platformID, "One star: the parcel never came.")
			_, body := f.login().get(convPath(conv, ""))
			if !strings.Contains(body, `id="reply-form"`) {
				t.Fatal("the page offers no reply")
			}
			if got := strings.Contains(body, "Take it private"); got != tc.takePrivate {
				t.Errorf("Take it private offered: %v, want %v", got, tc.takePrivate)
			}
			for _, action := range []string{`value="hide"`, `value="delete"`} {
				if got := strings.Contains(body, action); got != tc.moderate {
					t.Errorf("%s offered: %v, want %v", action, got, tc.moderate)
				}
			}
		})
	}
}

// A Google review is answered in public only: the composer warns about
// what it would send, not about a private reply nobody can choose.
func TestReviewComposerWarnsOnlyOfItsReply(t *testing.T) {
	f := newFixture(t)
	reg := &channel.Registry{}
	reg.Register(care.ChannelReviews, &reviews.Adapter{})
	f.h.Desk.Adapters = reg
	loc := "accounts/1/locations/2"
	in := f.inboxOn(care.ChannelReviews, loc)
	ok := f.conversationOn(in, "Ana", care.Public, loc+"/reviews/r1", "One star.")
	c := f.login()
	_, body := c.get(convPath(ok, ""))
	if strings.Contains(body, "A private reply would be refused") || strings.Contains(body, `class="flash warn refusal"`) {
		t.Errorf("a review that can be answered shows a refusal:\n%s", excerptAround(body, "refusal"))
	}
	// A review Parley cannot answer (its id is not this location's) is
	// still warned about, for the public reply the composer sends.
	bad := f.conversationOn(in, "Ben", care.Public, "accounts/9/locations/9/reviews/r2", "Two stars.")
	_, body = c.get(convPath(bad, ""))
	if !strings.Contains(body, `id="public-refusal">A public reply would be refused: Only a review can be answered`) {
		t.Errorf("a review that cannot be answered shows no refusal of the public reply:\n%s", excerptAround(body, "reply-form"))
	}
}
