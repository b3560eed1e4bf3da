package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/mastodon"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/reviews"
	"github.com/parleyhq/parley/internal/channel/youtube"
)

// modFake moderates as a Facebook Page does, and declares what Facebook
// can do.
func (modFake) Capabilities(in care.Inbox) channel.Capabilities {
	return (&meta.Messenger{}).Capabilities(in)
}

// The page asks the channel's adapter what the channel can do, for the
// conversation's inbox: whatever the adapter declares is what the composer
// offers and counts, and the contact panel shows.
func TestPageFollowsTheAdapter(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// An instance that allows longer posts than Mastodon's default.
	long := &care.Inbox{WorkspaceID: f.ws.ID, Channel: care.ChannelMastodon, Name: "Long posts", ExternalID: "@acme@long.example",
		Credentials: map[string]string{mastodon.CredMaxCharacters: "1000"}}
	if err := f.store.CreateInbox(ctx, long); err != nil {
		t.Fatal(err)
	}
	masto := f.conversationOn(long, "Ana", care.Public, "", "Hello")
	c := f.login()
	_, body := c.get(convPath(masto, ""))
	if want := `value="public" checked data-unit="mastodon" data-limit="1000"`; !strings.Contains(body, want) {
		t.Errorf("a Mastodon instance of 1,000 characters: no %s in\n%s", want, regexpFind(t, body, `<form class="reply-form"[^>]*>`))
	}

	// An email adapter that declared a public side, its own limits,
	// follower counts; and one that declared no reply.
	f.h.Desk.Adapters = &channel.Registry{}
	f.h.Desk.Adapters.Register(care.ChannelEmail, declared{declares(channel.Capabilities{
		PublicAndPrivate: true,
		PublicReply:      channel.ReplyRule{Unit: channel.UnitChars, Limit: 123, Overflow: channel.OverflowPrivate},
		PrivateReply:     channel.ReplyRule{Unit: channel.UnitBytes, Limit: 456, Bytes: 789, Overflow: channel.OverflowSplit},
		Moderation:       channel.ModerationNone,
		Followers:        true,
	})})
	f.h.Desk.Adapters.Register(care.ChannelSMS, declared{declares(channel.Capabilities{NoReply: "Answer by carrier pigeon.", Moderation: channel.ModerationNone})})
	mail := f.conversationOn(f.inboxOn(care.ChannelEmail, "help@acme.test"), "Ben", care.Private, "", "Hello")
	_, body = c.get(convPath(mail, ""))
	for _, want := range []string{
		`value="public" data-unit="chars" data-limit="123" data-hint="Shorten it, or reply in private."`,
		`value="private" checked data-unit="bytes" data-limit="456" data-bytes="789" data-hint="Shorten it, or split it into two replies."`,
		`<div class="followers">0 followers</div>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("email declared otherwise: no %s in\n%s", want, excerptAround(body, "reply-form"))
		}
	}
	text := f.conversationOn(f.inboxOn(care.ChannelSMS, "+1 555 0100"), "Cy", care.Private, "", "Hello")
	_, body = c.get(convPath(text, ""))
	if !strings.Contains(body, `id="no-reply">Answer by carrier pigeon.</p>`) || strings.Contains(body, `id="reply-form"`) {
		t.Errorf("SMS declared no reply: the composer offers one, or not the declared reason:\n%s", excerptAround(body, "note-form"))
	}
}

// declares is a declaration of fixed capabilities.
type declares channel.Capabilities

func (d declares) Capabilities(care.Inbox) channel.Capabilities { return channel.Capabilities(d) }

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
