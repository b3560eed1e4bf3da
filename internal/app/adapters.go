package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
	"github.com/parleyhq/parley/internal/channel/blog"
	"github.com/parleyhq/parley/internal/channel/bluesky"
	"github.com/parleyhq/parley/internal/channel/email"
	"github.com/parleyhq/parley/internal/channel/foursquare"
	"github.com/parleyhq/parley/internal/channel/mastodon"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/oauth"
	"github.com/parleyhq/parley/internal/channel/phone"
	"github.com/parleyhq/parley/internal/channel/reddit"
	"github.com/parleyhq/parley/internal/channel/reviews"
	"github.com/parleyhq/parley/internal/channel/sms"
	"github.com/parleyhq/parley/internal/channel/telegram"
	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
	"github.com/parleyhq/parley/internal/channel/wordpress"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/youtube"
	"github.com/parleyhq/parley/internal/netguard"
)

// Adapters is GuardedAdapters with public addresses only.
func Adapters(publicURL string, store care.Store) *channel.Registry {
	return GuardedAdapters(publicURL, store, nil)
}

// GuardedAdapters registers every channel adapter Parley ships. Each
// platform's base URL comes from the inbox's credentials ("api_base") when
// set, so an inbox can point at a local fake; otherwise the platform's own.
// As an inbox's admin chooses those URLs (and feed, site, webhook and mail
// server addresses), every connection an adapter makes goes through guard:
// to public addresses, and to others only when the operator allows them
// (PARLEY_ALLOW_HOSTS). Otherwise an admin could have Parley read cloud
// metadata or a service on localhost and show them the answer.
//
// publicURL is where platforms reach this server; adapters that must name
// their webhook in each request (Twilio's status callbacks) use it. store
// keeps what adapters learn, such as X's rotated refresh tokens and
// YouTube's quota spent today, and answers what an adapter must know
// beyond one conversation: an SMS customer's opt-out in another one.
func GuardedAdapters(publicURL string, store care.Store, guard *netguard.Guard) *channel.Registry {
	creds := storedCredentials{store}
	client := guard.Client(30 * time.Second)
	// The email adapter fetches only Parley's own files, under publicURL,
	// which the operator sets and which is often on loopback or the
	// company network; it is not guarded. Its mail servers are.
	files := &http.Client{Timeout: 30 * time.Second}
	// One token cache for every adapter whose platform issues short-lived
	// access tokens, so a grant is refreshed once, whoever asks.
	tokens := &oauth.Source{Client: client}
	r := &channel.Registry{}
	r.Register(care.ChannelAPI, &apiinbox.Sender{Client: client})
	r.Register(care.ChannelBluesky, &bluesky.Adapter{Client: client})
	r.Register(care.ChannelEmail, &email.Adapter{PublicURL: publicURL, Client: files, Dial: guard.Dialer(30 * time.Second)})
	r.Register(care.ChannelFacebook, &meta.Messenger{Client: client})
	r.Register(care.ChannelMastodon, &mastodon.Adapter{Client: client})
	r.Register(care.ChannelInstagram, &meta.Instagram{Client: client})
	r.Register(care.ChannelWhatsApp, &whatsapp.Adapter{Client: client})
	r.Register(care.ChannelTelegram, &telegram.Adapter{Client: client})
	r.Register(care.ChannelX, &x.Adapter{Client: client, Tokens: tokens, Credentials: creds})
	r.Register(care.ChannelReviews, &reviews.Adapter{Client: client, Tokens: tokens})
	r.Register(care.ChannelReddit, &reddit.Adapter{Client: client, Tokens: tokens})
	r.Register(care.ChannelYouTube, &youtube.Adapter{Client: client, Tokens: tokens, State: store})
	r.Register(care.ChannelBlog, &blog.Adapter{Client: client})
	r.Register(care.ChannelWebChat, &webchat.Adapter{CheckSMTP: email.CheckSMTP})
	r.Register(care.ChannelWordPress, &wordpress.Adapter{Client: client})
	r.Register(care.ChannelPhone, &phone.Adapter{TwilioVerify: sms.VerifySignature})
	r.Register(care.ChannelFoursquare, &foursquare.Adapter{Client: client})
	r.Register(care.ChannelSMS, &sms.Adapter{Client: client, History: store, StatusCallback: func(in care.Inbox) string {
		if publicURL == "" {
			return ""
		}
		return publicURL + "/webhooks/" + strconv.FormatInt(in.ID, 10)
	}})
	return r
}
