package channel_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/app"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/bluesky"
	"github.com/parleyhq/parley/internal/channel/email"
	"github.com/parleyhq/parley/internal/channel/mastodon"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/reddit"
	"github.com/parleyhq/parley/internal/channel/reviews"
	"github.com/parleyhq/parley/internal/channel/sms"
	"github.com/parleyhq/parley/internal/channel/telegram"
	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
	"github.com/parleyhq/parley/internal/channel/wordpress"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/youtube"
)

// Every adapter Parley ships declares what its channel can do, so that no
// channel falls back to a guess, and the declaration agrees with what the
// adapter implements.
func TestEveryChannelDeclaresCapabilities(t *testing.T) {
	reg := app.Adapters("", nil)
	if len(reg.Channels()) == 0 {
		t.Fatal("app.Adapters registers no channel")
	}
	units := []channel.Unit{channel.UnitX, channel.UnitSMS, channel.UnitMastodon, channel.UnitGraphemes, channel.UnitChars, channel.UnitBytes}
	overflows := []channel.Overflow{channel.OverflowShorten, channel.OverflowSplit, channel.OverflowPrivate}
	for _, ch := range reg.Channels() {
		t.Run(string(ch), func(t *testing.T) {
			s, _ := reg.Sender(ch)
			declared, ok := s.(channel.Capable)
			if !ok {
				t.Fatalf("the %s adapter (%T) declares no capabilities: add a Capabilities method in its capabilities.go", ch, s)
			}
			c := declared.Capabilities(care.Inbox{Channel: ch})
			if got := reg.Capabilities(ch); !cmp.Equal(c, got) {
				t.Errorf("Registry.Capabilities(%s) = %+v, want the declared %+v", ch, got, c)
			}
			_, moderates := reg.Moderator(ch)
			switch c.Moderation {
			case channel.ModerationComments, channel.ModerationOwnReplies:
				if !moderates {
					t.Errorf("declares moderation %q, but the adapter is no Moderator", c.Moderation)
				}
			case channel.ModerationNone:
				if moderates {
					t.Errorf("declares no moderation, but the adapter is a Moderator")
				}
			default:
				t.Errorf("Moderation = %q, want one of comments, own_replies, none", c.Moderation)
			}
			if c.NoReply != "" {
				if c.PublicAndPrivate || c.PublicReply != (channel.ReplyRule{}) || c.PrivateReply != (channel.ReplyRule{}) {
					t.Errorf("declares NoReply and reply rules: %+v", c)
				}
				p, ok := reg.Policy(ch)
				if !ok || p.CheckReply(channel.ReplyCheck{Inbox: care.Inbox{Channel: ch}, Text: "Hello", Visibility: care.Private}) == nil {
					t.Errorf("declares NoReply, but CheckReply takes a reply")
				}
				return
			}
			rules := map[string]channel.ReplyRule{}
			if c.PublicReply != (channel.ReplyRule{}) {
				rules["public"] = c.PublicReply
			}
			if c.PrivateReply != (channel.ReplyRule{}) {
				rules["private"] = c.PrivateReply
			}
			if len(rules) == 0 || c.PublicAndPrivate && len(rules) != 2 {
				t.Errorf("PublicAndPrivate = %v with rules for %v", c.PublicAndPrivate, rules)
			}
			for vis, r := range rules {
				if !slices.Contains(units, r.Unit) || !slices.Contains(overflows, r.Overflow) || r.Limit <= 0 || r.Bytes < 0 {
					t.Errorf("%s rule %+v: want a known unit and overflow, and a positive limit", vis, r)
				}
				if r.Overflow == channel.OverflowPrivate && (vis != "public" || !c.PublicAndPrivate) {
					t.Errorf("%s rule says to answer in private, and there is no private side to a public reply", vis)
				}
			}
		})
	}
}

type sendOnly struct{}

func (sendOnly) Send(context.Context, channel.Outbound) (channel.Result, error) {
	return channel.Result{}, nil
}

type moderatorOnly struct{ sendOnly }

func (moderatorOnly) Moderate(context.Context, care.Inbox, string, channel.ModerationAction) error {
	return nil
}

// A channel whose adapter declares nothing gets Parley's own limit, and is
// taken at its interfaces for moderation.
func TestCapabilitiesDefault(t *testing.T) {
	reg := &channel.Registry{}
	reg.Register(care.ChannelAPI, sendOnly{})
	reg.Register(care.ChannelFacebook, moderatorOnly{})
	var none *channel.Registry
	for _, tc := range []struct {
		name string
		got  channel.Capabilities
		mod  channel.Moderation
	}{
		{"no declaration", reg.Capabilities(care.ChannelAPI), channel.ModerationNone},
		{"a moderator without declaration", reg.Capabilities(care.ChannelFacebook), channel.ModerationComments},
		{"no adapter", reg.Capabilities(care.ChannelX), channel.ModerationNone},
		{"nil registry", none.Capabilities(care.ChannelX), channel.ModerationNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := channel.Capabilities{PublicReply: channel.ParleyRule, PrivateReply: channel.ParleyRule, Moderation: tc.mod}
			if diff := cmp.Diff(want, tc.got); diff != "" {
				t.Errorf("Capabilities (-want +got):\n%s", diff)
			}
		})
	}
	if channel.ParleyRule.Limit != care.MaxTextBytes || channel.ParleyRule.Unit != channel.UnitBytes {
		t.Errorf("ParleyRule = %+v, want care.MaxTextBytes bytes", channel.ParleyRule)
	}
}

// textOf returns a text of exactly n units as unit counts them, built of
// characters that count differently in other units, so that a limit
// declared in the wrong unit fails.
func textOf(t *testing.T, unit channel.Unit, n int) string {
	t.Helper()
	switch unit {
	case channel.UnitX:
		// Each CJK character weighs 2.
		return strings.Repeat("谢", n/2) + strings.Repeat("a", n%2)
	case channel.UnitSMS:
		// An emoji is two UTF-16 units.
		return strings.Repeat("😀", n/2) + strings.Repeat("a", n%2)
	case channel.UnitMastodon:
		// @user@domain counts as @user: "@ana " is 5.
		return "@ana@mastodon.social " + strings.Repeat("é", n-5)
	case channel.UnitGraphemes:
		// e and a combining acute accent: one grapheme, two code points.
		return strings.Repeat("e\u0301", n)
	case channel.UnitChars:
		// Three code points: two graphemes, four UTF-16 units, seven
		// bytes.
		return strings.Repeat("😀e\u0301", n/3) + strings.Repeat("a", n%3)
	case channel.UnitBytes:
		return strings.Repeat("é", n/2) + strings.Repeat("a", n%2)
	}
	t.Fatalf("no text for unit %q", unit)
	return ""
}

// bytesOf returns a text of exactly n UTF-8 bytes and few graphemes: a
// family emoji is one grapheme of 25 bytes.
func bytesOf(n int) string {
	const family = "👨\u200d👩\u200d👧\u200d👦"
	return strings.Repeat(family, n/len(family)) + strings.Repeat("a", n%len(family))
}

type capablePolicy interface {
	channel.Policy
	channel.Capable
}

// The limits an adapter declares are those its CheckReply enforces: a
// reply at the limit passes, one unit over it is refused.
func TestDeclaredLimitsMatchCheckReply(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	public := func(id string) *care.Message {
		return &care.Message{Visibility: care.Public, Direction: care.DirectionIn, PlatformID: id}
	}
	// A private message of the customer's an hour ago: messaging windows
	// are open.
	recent := &care.Message{Visibility: care.Private, Direction: care.DirectionIn, SentAt: now.Add(-time.Hour), CreatedAt: now.Add(-time.Hour)}
	tests := []struct {
		name    string
		adapter capablePolicy
		inbox   care.Inbox
		check   channel.ReplyCheck
	}{
		{"x post", &x.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Public, ReplyTo: public("1860000000000000001")}},
		{"x dm", &x.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Private}},
		{"sms", &sms.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Private}},
		{"whatsapp", &whatsapp.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Private, LastInbound: recent, Now: now}},
		{"telegram group", &telegram.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Public, ReplyTo: public("-100123:5")}},
		{"telegram chat", &telegram.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Private}},
		{"facebook comment", &meta.Messenger{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Public, ReplyTo: public("123_456")}},
		{"messenger", &meta.Messenger{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Private, LastInbound: recent, Now: now}},
		{"instagram comment", &meta.Instagram{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Public, ReplyTo: public("17890000000000001")}},
		{"instagram message", &meta.Instagram{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Private, LastInbound: recent, Now: now}},
		{"mastodon post", &mastodon.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Public}},
		{"mastodon mention", &mastodon.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Private}},
		{"mastodon instance of 1000", &mastodon.Adapter{}, care.Inbox{Credentials: map[string]string{mastodon.CredMaxCharacters: "1000"}},
			channel.ReplyCheck{Visibility: care.Public}},
		{"google review", &reviews.Adapter{}, care.Inbox{ExternalID: "accounts/1/locations/2"},
			channel.ReplyCheck{Visibility: care.Public, ReplyTo: public("accounts/1/locations/2/reviews/r1")}},
		{"youtube comment", &youtube.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Public, ReplyTo: public("UgzDE2tasfmrYLyNkGt4AaABAg")}},
		{"wordpress comment", &wordpress.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Public}},
		{"reddit comment", &reddit.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Public, ReplyTo: public("t1_abc")}},
		{"reddit message", &reddit.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Private}},
		{"bluesky post", &bluesky.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Public,
			ReplyTo: public("at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbq5cu4d2k2y")}},
		{"bluesky dm", &bluesky.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Private}},
		{"email", &email.Adapter{}, care.Inbox{Credentials: map[string]string{email.CredSMTPHost: "smtp.example.com:587", email.CredFrom: "help@acme.test"}},
			channel.ReplyCheck{Visibility: care.Private}},
		{"web chat", &webchat.Adapter{}, care.Inbox{}, channel.ReplyCheck{Visibility: care.Private}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule := tt.adapter.Capabilities(tt.inbox).Reply(tt.check.Visibility)
			if rule.Unit == "" {
				t.Fatalf("declares no rule for a %s reply", tt.check.Visibility)
			}
			c := tt.check
			c.Inbox = tt.inbox
			try := func(what, text string, want bool) {
				t.Helper()
				c.Text = text
				err := tt.adapter.CheckReply(c)
				switch {
				case want && err != nil:
					t.Errorf("CheckReply of %s = %v, want nil", what, err)
				case !want && (err == nil || care.ErrorCode(err) != care.EINVALID):
					t.Errorf("CheckReply of %s = %v, want EINVALID", what, err)
				}
			}
			try("a text at the limit", textOf(t, rule.Unit, rule.Limit), true)
			if rule == channel.ParleyRule {
				// Past it Parley refuses the text itself, before any
				// adapter is asked.
				return
			}
			try("a text one over the limit", textOf(t, rule.Unit, rule.Limit+1), false)
			if rule.Bytes > 0 {
				try("a text at the byte limit", bytesOf(rule.Bytes), true)
				try("a text one byte over the byte limit", bytesOf(rule.Bytes+1), false)
			}
		})
	}
}
