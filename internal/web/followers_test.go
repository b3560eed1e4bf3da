package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/listen"
)

var followersLine = regexp.MustCompile(`[^>]*followers</`)

// "0 followers" is said only where platforms count followers: an email
// address, a phone number or a Google reviewer has none to count, and a
// count an API inbox was given shows wherever it comes from.
func TestFollowersOnlyWhereCounted(t *testing.T) {
	for _, tc := range []struct {
		ch        care.Channel
		followers int64
		want      string // "" for no line
	}{
		{care.ChannelEmail, 0, ""},
		{care.ChannelSMS, 0, ""},
		{care.ChannelPhone, 0, ""},
		{care.ChannelReviews, 0, ""},
		{care.ChannelAPI, 0, ""},
		{care.ChannelAPI, 1200, "1.2k followers</"},
		{care.ChannelX, 0, "0 followers</"},
		{care.ChannelMastodon, 950, "950 followers</"},
	} {
		t.Run(string(tc.ch), func(t *testing.T) {
			f := newFixture(t)
			in := f.inboxOn(tc.ch, "Inbox")
			id, _, err := f.store.ResolveIdentity(context.Background(), f.ws.ID, tc.ch,
				care.Author{PlatformUserID: "u-ana", DisplayName: "Ana", Followers: tc.followers}, f.now)
			if err != nil {
				t.Fatal(err)
			}
			conv := &care.Conversation{WorkspaceID: f.ws.ID, InboxID: in.ID, Channel: tc.ch, ContactID: id.ContactID, CreatedAt: f.now, LastActivityAt: f.now}
			if err := f.store.CreateConversation(context.Background(), conv); err != nil {
				t.Fatal(err)
			}
			f.message(conv, "Hello")
			_, body := f.login().get(convPath(conv, ""))
			panel := regexpFind(t, body, `(?s)<ul class="identities">.*?</ul>`)
			if got := followersLine.FindString(panel); !strings.HasSuffix(got, tc.want) || (tc.want == "") != (got == "") {
				t.Errorf("the contact panel says %q, want %q:\n%s", got, tc.want, panel)
			}
		})
	}
}

// A post listening found on Reddit, which shows no follower counts, says
// nothing of followers; a Mastodon author's count shows.
func TestFoundPostFollowers(t *testing.T) {
	f := newFixture(t)
	f.setting(listen.SettingName, listenSubjects)
	f.addFound(foundPost{at: day(24, 9), subjects: []string{"Acme"}, text: "acme on reddit", handle: "r", source: care.ChannelReddit},
		foundPost{at: day(24, 8), subjects: []string{"Acme"}, text: "acme on mastodon", handle: "m", followers: 1000, source: care.ChannelMastodon})
	_, body := f.loginAs(f.user("lee@acme.test", "Lee", care.RoleSupervisor)).get("/listening")
	posts := regexp.MustCompile(`(?s)<li class="found-post">.*?</li>`).FindAllString(body, -1)
	if len(posts) != 2 {
		t.Fatalf("%d posts listed, want 2", len(posts))
	}
	if !strings.Contains(posts[0], "acme on reddit") || strings.Contains(posts[0], "followers") {
		t.Errorf("the Reddit post speaks of followers:\n%s", posts[0])
	}
	if !strings.Contains(posts[1], `<span class="muted">1k followers</span>`) {
		t.Errorf("the Mastodon post lacks its author's followers:\n%s", posts[1])
	}
}
