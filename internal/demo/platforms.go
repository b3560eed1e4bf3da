package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/blog/feedfake"
	"github.com/parleyhq/parley/internal/channel/bluesky"
	"github.com/parleyhq/parley/internal/channel/bluesky/bskyfake"
	"github.com/parleyhq/parley/internal/channel/foursquare/fsqfake"
	"github.com/parleyhq/parley/internal/channel/mastodon"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
	"github.com/parleyhq/parley/internal/channel/meta"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
	"github.com/parleyhq/parley/internal/channel/phone"
	"github.com/parleyhq/parley/internal/channel/phone/phonefake"
	"github.com/parleyhq/parley/internal/channel/reddit/redditfake"
	"github.com/parleyhq/parley/internal/channel/reviews/gbpfake"
	"github.com/parleyhq/parley/internal/channel/sms"
	"github.com/parleyhq/parley/internal/channel/sms/twiliofake"
	"github.com/parleyhq/parley/internal/channel/telegram"
	"github.com/parleyhq/parley/internal/channel/telegram/tgfake"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
	"github.com/parleyhq/parley/internal/channel/wordpress/wpfake"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
	"github.com/parleyhq/parley/internal/channel/youtube/ytfake"
	"github.com/parleyhq/parley/internal/poll"
)

// The brand's accounts on the fake platforms.
const (
	brandXID     = "1400000000000000001"
	brandHandle  = "orbitmobile"
	pageID       = "104000000000001"
	igAccountID  = "17841400000000001"
	metaAppID    = "910000000000001"
	pagePostBase = 900001 // the Page's posts customers comment on
	igMediaBase  = 17900000000000001

	bskyBrandDID    = "did:plc:orbitmobileaaaaaaaaaaaaa"
	bskyBrandHandle = "orbitmobile.bsky.social"

	ytChannelID = "UCorbitmobileOfficial001"
	redditBrand = "OrbitMobile" // u/OrbitMobile, moderator of r/OrbitMobile
	careLine    = "+442079460000"
)

// platforms are the fakes of the platforms, each on its own loopback port,
// and the inboxes connected to them.
type platforms struct {
	log   *slog.Logger
	hooks *http.Client // the platforms' webhook deliveries to Parley

	x      *xfake.Fake
	xSrv   *server
	xHook  string
	xInbox care.ID

	meta             *metafake.Fake
	metaSrv          *server
	fbHook, igHook   string
	fbInbox, igInbox care.ID

	wa      *wafake.Fake
	waSrv   *server
	waInbox care.ID

	sms      *twiliofake.Fake
	smsSrv   *server
	smsInbox care.ID

	tg      *tgfake.Fake
	tgSrv   *server
	tgInbox care.ID

	bsky      *bskyfake.Fake
	bskySrv   *server
	bskyInbox care.ID

	masto      *mastofake.Fake
	mastoSrv   *server
	mastoInbox care.ID

	yt      *ytfake.Fake
	ytSrv   *server
	ytInbox care.ID

	gbp      *gbpfake.Fake
	gbpSrv   *server
	gbpInbox care.ID

	reddit      *redditfake.Fake
	redditSrv   *server
	redditInbox care.ID
	// helpThread is the brand's weekly help thread, and communityPost a
	// customer's thread about the brand: what Redditors comment under.
	helpThread, communityPost string

	phone      *phonefake.Fake
	phoneInbox care.ID

	fsq      *fsqfake.Fake
	fsqSrv   *server
	fsqInbox care.ID

	chat      *chatSite
	chatInbox care.ID

	mail      *mailSite
	mailInbox care.ID

	feed      *feedfake.Fake
	feedSrv   *server
	feedHost  string // the host of the blog's feed, as Parley names bloggers by it
	blogInbox care.ID

	wp      *wpfake.Fake
	wpSrv   *server
	wpPosts []int // the brand's posts on its blog
	wpInbox care.ID

	// firstPoll is a poll runner on Parley's store and ingest, with the
	// polled platforms' adapters, for the first look at a polled inbox
	// (see look); looks are the inboxes it has looked at, or is looking
	// at.
	firstPoll *poll.Runner
	// firstSearch is a poll runner with Parley's own adapters, for a
	// headless run's first listening round (see hurrySearch).
	firstSearch *poll.Runner
	lookMu      sync.Mutex
	looks       map[care.ID]*firstLook

	web      *webform
	webSrv   *server
	webInbox care.ID
	webToken string
	webAPI   *client // posts customers' messages into the API inbox
	webN     atomic.Int64

	// Where the sends last read each fake's records up to.
	seen sendCursor
}

// inboxCreated is POST /api/v1/inboxes's answer.
type inboxCreated struct {
	Inbox         care.Inbox `json:"inbox"`
	Token         string     `json:"token"`
	WebhookSecret string     `json:"webhook_secret"`
}

// connect starts every fake and connects an inbox to each through the API,
// with the credentials an admin would paste from the platform's console
// and api_base pointing at the fake; then it runs each platform's own check
// of the webhook (X's CRC, Meta's and WhatsApp's hub.challenge), as the
// platform does when the webhook is registered.
func connect(ctx context.Context, pl *parley, admin *client, hooks *http.Client, log *slog.Logger) (*platforms, error) {
	p := &platforms{log: log, hooks: hooks, looks: map[care.ID]*firstLook{}}
	p.firstPoll = &poll.Runner{Store: pl.app.Store, Adapters: pollers(hooks, log), Ingest: pl.app.Committer, Logger: log}
	p.firstSearch = &poll.Runner{Store: pl.app.Store, Adapters: pl.app.Desk.Adapters, Logger: log}
	ok := false
	defer func() {
		if !ok {
			p.close()
		}
	}()
	p.chat = &chatSite{base: pl.url, log: log, visitors: map[string]*chatter{}}
	steps := []func(context.Context, *client) error{p.connectX, p.connectMeta, p.connectWhatsApp, p.connectSMS, p.connectTelegram,
		p.connectBluesky, p.connectMastodon, p.connectWebForm, p.connectPhone, p.connectYouTube, p.connectReviews, p.connectReddit,
		p.connectFoursquare, p.connectWebChat, p.connectEmail, p.connectBlog, p.connectWordPress}
	for _, step := range steps {
		if err := step(ctx, admin); err != nil {
			return nil, err
		}
	}
	ok = true
	return p, nil
}

// createInbox creates an inbox and returns it with its webhook URL as the
// inbox's setup gives it.
func createInbox(ctx context.Context, admin *client, req map[string]any) (*inboxCreated, string, error) {
	var in inboxCreated
	if err := admin.call(ctx, "POST", "/api/v1/inboxes", req, &in, http.StatusCreated); err != nil {
		return nil, "", fmt.Errorf("demo: connect %v: %w", req["name"], err)
	}
	var setup struct {
		WebhookURL string `json:"webhook_url"`
	}
	if err := admin.call(ctx, "GET", "/api/v1/inboxes/"+strconv.FormatInt(in.Inbox.ID, 10)+"/setup", nil, &setup, http.StatusOK); err != nil {
		return nil, "", fmt.Errorf("demo: setup of %v: %w", req["name"], err)
	}
	return &in, setup.WebhookURL, nil
}

func (p *platforms) connectX(ctx context.Context, admin *client) error {
	var err error
	if p.xSrv, err = listen(); err != nil {
		return err
	}
	consumerSecret, token := rand.Text(), "xat-"+rand.Text()
	p.x = xfake.New(consumerSecret)
	p.x.AddUser(xfake.User{ID: brandXID, Username: brandHandle, Name: brandName, Followers: 184000, Verified: true})
	p.x.Authorize(token, brandXID)
	// X's per-user budgets (15 DMs per 15 minutes) would throttle a demo
	// answering dozens of customers a minute; the brand has a higher tier.
	p.x.SetLimit(xfake.CreatePost, 1<<30)
	p.x.SetLimit(xfake.SendDM, 1<<30)
	in, hook, err := createInbox(ctx, admin, map[string]any{"channel": "x", "name": "Orbit on X (@" + brandHandle + ")", "external_id": brandXID,
		"credentials": map[string]string{x.CredConsumerSecret: consumerSecret, x.CredAccessToken: token, x.CredAPIBase: p.xSrv.URL}})
	if err != nil {
		return err
	}
	p.xInbox, p.xHook = in.Inbox.ID, hook
	p.xSrv.serve(p.x.Handler(), p.log)
	if err := p.x.CRC(hook); err != nil {
		return fmt.Errorf("demo: X's check of the webhook: %w", err)
	}
	return nil
}

func (p *platforms) connectMeta(ctx context.Context, admin *client) error {
	var err error
	if p.metaSrv, err = listen(); err != nil {
		return err
	}
	appSecret, pageToken, igToken, verify := rand.Text(), "EAAP"+rand.Text(), "IGQV"+rand.Text(), rand.Text()
	p.meta = metafake.New(appSecret)
	p.meta.AppID = metaAppID
	p.meta.Client = p.hooks
	p.meta.AddPage(pageID, pageToken)
	p.meta.AddInstagram(igAccountID, igToken)
	fb, fbHook, err := createInbox(ctx, admin, map[string]any{"channel": "facebook", "name": brandName + " on Facebook", "external_id": pageID,
		"credentials": map[string]string{meta.CredAppSecret: appSecret, meta.CredPageAccessToken: pageToken, meta.CredAppID: metaAppID,
			meta.CredVerifyToken: verify, meta.CredAPIBase: p.metaSrv.URL}})
	if err != nil {
		return err
	}
	ig, igHook, err := createInbox(ctx, admin, map[string]any{"channel": "instagram", "name": "@" + brandHandle + " on Instagram", "external_id": igAccountID,
		"credentials": map[string]string{meta.CredAppSecret: appSecret, meta.CredAccessToken: igToken, meta.CredAppID: metaAppID,
			meta.CredVerifyToken: verify, meta.CredAPIBase: p.metaSrv.URL}})
	if err != nil {
		return err
	}
	p.fbInbox, p.fbHook, p.igInbox, p.igHook = fb.Inbox.ID, fbHook, ig.Inbox.ID, igHook
	p.metaSrv.serve(p.meta.Handler(), p.log)
	for _, hook := range []string{fbHook, igHook} {
		if err := p.meta.VerifySubscription(ctx, hook, verify); err != nil {
			return fmt.Errorf("demo: Meta's check of the webhook: %w", err)
		}
	}
	return nil
}

func (p *platforms) connectWhatsApp(ctx context.Context, admin *client) error {
	var err error
	if p.waSrv, err = listen(); err != nil {
		return err
	}
	appSecret, verify := rand.Text(), rand.Text()
	p.wa = wafake.New(appSecret)
	p.wa.AccessToken = "EAAW" + rand.Text()
	p.wa.Client = p.hooks
	in, hook, err := createInbox(ctx, admin, map[string]any{"channel": "whatsapp", "name": "WhatsApp support", "external_id": wafake.DefaultPhoneNumberID,
		"credentials": map[string]string{whatsapp.CredAppSecret: appSecret, whatsapp.CredAccessToken: p.wa.AccessToken,
			whatsapp.CredVerifyToken: verify, whatsapp.CredWABAID: wafake.DefaultWABAID, whatsapp.CredAPIBase: p.waSrv.URL}})
	if err != nil {
		return err
	}
	p.waInbox = in.Inbox.ID
	p.wa.WebhookURL = hook
	p.waSrv.serve(p.wa.Handler(), p.log)
	if err := p.wa.Verify(ctx, hook, verify); err != nil {
		return fmt.Errorf("demo: WhatsApp's check of the webhook: %w", err)
	}
	return nil
}

func (p *platforms) connectSMS(ctx context.Context, admin *client) error {
	var err error
	if p.smsSrv, err = listen(); err != nil {
		return err
	}
	p.sms = twiliofake.New()
	p.sms.AuthToken = fmt.Sprintf("%x", []byte(rand.Text())[:16])
	p.sms.Client = p.hooks
	in, hook, err := createInbox(ctx, admin, map[string]any{"channel": "sms", "name": "SMS " + twiliofake.DefaultNumber,
		"credentials": map[string]string{sms.CredAccountSID: p.sms.AccountSID, sms.CredAuthToken: p.sms.AuthToken,
			sms.CredFrom: twiliofake.DefaultNumber, sms.CredAPIBase: p.smsSrv.URL}})
	if err != nil {
		return err
	}
	p.smsInbox = in.Inbox.ID
	p.sms.WebhookURL = hook
	p.smsSrv.serve(p.sms.Handler(), p.log)
	return nil
}

func (p *platforms) connectTelegram(ctx context.Context, admin *client) error {
	var err error
	if p.tgSrv, err = listen(); err != nil {
		return err
	}
	secretToken := rand.Text()
	p.tg = tgfake.New()
	p.tg.Client = p.hooks
	in, hook, err := createInbox(ctx, admin, map[string]any{"channel": "telegram", "name": "Telegram @" + tgfake.DefaultUsername,
		"credentials": map[string]string{telegram.CredBotToken: p.tg.Token, telegram.CredBotUsername: tgfake.DefaultUsername,
			telegram.CredSecretToken: secretToken, telegram.CredAPIBase: p.tgSrv.URL}})
	if err != nil {
		return err
	}
	p.tgInbox = in.Inbox.ID
	// What the admin's setWebhook call, as the inbox's setup shows it, does.
	p.tg.SetWebhook(tgfake.WebhookInfo{URL: hook, SecretToken: secretToken, AllowedUpdates: []string{"message", "edited_message", "message_reaction"}})
	p.tgSrv.serve(p.tg.Handler(), p.log)
	return nil
}

// connectBluesky connects the brand's Bluesky account with an App
// Password. Bluesky has no webhooks: Parley polls the fake, which must be
// serving already.
func (p *platforms) connectBluesky(ctx context.Context, admin *client) error {
	var err error
	if p.bskySrv, err = listen(); err != nil {
		return err
	}
	t := strings.ToLower(rand.Text())
	password := t[0:4] + "-" + t[4:8] + "-" + t[8:12] + "-" + t[12:16]
	p.bsky = bskyfake.New()
	p.bsky.AddAccount(bskyfake.Account{DID: bskyBrandDID, Handle: bskyBrandHandle, DisplayName: brandName, AppPassword: password, Followers: 12800})
	p.bskySrv.serve(p.bsky.Handler(), p.log)
	in, _, err := createInbox(ctx, admin, map[string]any{"channel": "bluesky", "name": "@" + bskyBrandHandle + " on Bluesky",
		"credentials": map[string]string{bluesky.CredIdentifier: bskyBrandHandle, bluesky.CredAppPassword: password, bluesky.CredAPIBase: p.bskySrv.URL}})
	if err != nil {
		return err
	}
	p.bskyInbox = in.Inbox.ID
	return nil
}

// connectMastodon connects the brand's Mastodon account with an access
// token; Parley checks it against the fake at once, then follows its
// streaming API.
func (p *platforms) connectMastodon(ctx context.Context, admin *client) error {
	var err error
	if p.mastoSrv, err = listen(); err != nil {
		return err
	}
	p.masto = mastofake.New()
	p.masto.Token = "masto-" + rand.Text()
	p.masto.Brand = mastofake.Account{ID: mastofake.DefaultBrandID, Username: brandHandle, DisplayName: brandName, Followers: 9100}
	p.mastoSrv.serve(p.masto.Handler(), p.log)
	in, _, err := createInbox(ctx, admin, map[string]any{"channel": "mastodon", "name": "@" + brandHandle + "@" + p.masto.Domain + " on Mastodon",
		"credentials": map[string]string{mastodon.CredAPIBase: p.mastoSrv.URL, mastodon.CredAccessToken: p.masto.Token}})
	if err != nil {
		return err
	}
	p.mastoInbox = in.Inbox.ID
	return nil
}

func (p *platforms) connectWebForm(ctx context.Context, admin *client) error {
	var err error
	if p.webSrv, err = listen(); err != nil {
		return err
	}
	p.web = newWebform()
	in, _, err := createInbox(ctx, admin, map[string]any{"channel": "api", "name": "Web form", "webhook_url": p.webSrv.URL + "/parley-hook"})
	if err != nil {
		return err
	}
	if in.Token == "" || in.WebhookSecret == "" {
		return errors.New("demo: the API inbox came without its token and webhook secret")
	}
	p.webInbox, p.webToken = in.Inbox.ID, in.Token
	p.web.setSecret(in.WebhookSecret)
	p.webAPI = &client{base: admin.base, token: in.Token, hc: p.hooks}
	p.webSrv.serve(p.web, p.log)
	return nil
}

// connectPhone connects the care line: its phone system reports every
// finished call to the inbox's webhook, signed with the secret the admin
// gives the inbox (Parley would generate one if none were given).
func (p *platforms) connectPhone(ctx context.Context, admin *client) error {
	secret := "whsec_" + rand.Text()
	in, hook, err := createInbox(ctx, admin, map[string]any{"channel": "phone", "name": "Care line " + careLine,
		"credentials": map[string]string{phone.CredWebhookSecret: secret}})
	if err != nil {
		return err
	}
	p.phoneInbox = in.Inbox.ID
	p.phone = phonefake.New(hook, secret)
	p.phone.Line = careLine
	p.phone.Client = p.hooks
	return nil
}

// inbox returns the inbox of a channel.
func (p *platforms) inbox(ch care.Channel) care.ID {
	switch ch {
	case care.ChannelX:
		return p.xInbox
	case care.ChannelFacebook:
		return p.fbInbox
	case care.ChannelInstagram:
		return p.igInbox
	case care.ChannelWhatsApp:
		return p.waInbox
	case care.ChannelSMS:
		return p.smsInbox
	case care.ChannelTelegram:
		return p.tgInbox
	case care.ChannelAPI:
		return p.webInbox
	case care.ChannelBluesky:
		return p.bskyInbox
	case care.ChannelMastodon:
		return p.mastoInbox
	case care.ChannelYouTube:
		return p.ytInbox
	case care.ChannelReviews:
		return p.gbpInbox
	case care.ChannelReddit:
		return p.redditInbox
	case care.ChannelPhone:
		return p.phoneInbox
	case care.ChannelFoursquare:
		return p.fsqInbox
	case care.ChannelWebChat:
		return p.chatInbox
	case care.ChannelEmail:
		return p.mailInbox
	case care.ChannelBlog:
		return p.blogInbox
	case care.ChannelWordPress:
		return p.wpInbox
	}
	return 0
}

// polling reports whether Parley has begun fetching kind k from its
// platform. Parley picks up a new polled inbox at its next scan, up to 15
// seconds after it is connected, and Bluesky's chat log starts from the
// first poll, so the story's customers there wait for it. YouTube's,
// Google's, Reddit's, Foursquare's, the blogs' and WordPress's customers
// need not: their first writes bring Parley's first look (see look), as
// do a headless run's on Bluesky and Mastodon. Parley's first poll of a
// mailbox reads the last day's mail.
func (p *platforms) polling(k kind) bool {
	switch k {
	case bskyPost, bskyDM:
		return p.bsky.Calls(bskyfake.GetLog) > 0
	case mastoPost:
		return p.masto.Connections() > 0 || len(p.masto.NotificationQueries()) > 0
	}
	return true
}

// advance moves WhatsApp's and Twilio's sent messages along (sent,
// delivered, read), posting their signed status webhooks, as the platforms
// do minutes after a send.
func (p *platforms) advance(ctx context.Context) {
	if _, err := p.wa.Advance(ctx); err != nil && ctx.Err() == nil {
		p.log.Debug("demo: WhatsApp statuses", "err", err)
	}
	if _, err := p.sms.Advance(ctx); err != nil && ctx.Err() == nil {
		p.log.Debug("demo: SMS statuses", "err", err)
	}
}

// close stops every fake that was started.
func (p *platforms) close() {
	p.chat.close()
	for _, s := range []*server{p.xSrv, p.metaSrv, p.waSrv, p.smsSrv, p.tgSrv, p.bskySrv, p.mastoSrv, p.webSrv, p.ytSrv, p.gbpSrv,
		p.redditSrv, p.fsqSrv, p.feedSrv, p.wpSrv} {
		s.close()
	}
	p.mail.close()
}
