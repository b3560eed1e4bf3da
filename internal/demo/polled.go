package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/blog"
	"github.com/parleyhq/parley/internal/channel/bluesky"
	"github.com/parleyhq/parley/internal/channel/bluesky/bskyfake"
	"github.com/parleyhq/parley/internal/channel/foursquare"
	"github.com/parleyhq/parley/internal/channel/foursquare/fsqfake"
	"github.com/parleyhq/parley/internal/channel/mastodon"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
	"github.com/parleyhq/parley/internal/channel/reddit"
	"github.com/parleyhq/parley/internal/channel/reddit/redditfake"
	"github.com/parleyhq/parley/internal/channel/reviews"
	"github.com/parleyhq/parley/internal/channel/reviews/gbpfake"
	"github.com/parleyhq/parley/internal/channel/wordpress"
	"github.com/parleyhq/parley/internal/channel/youtube"
	"github.com/parleyhq/parley/internal/channel/youtube/ytfake"
	"github.com/parleyhq/parley/internal/poll"
)

// The platforms in this file push nothing: Parley polls them, each at the
// interval its inbox sets.

// ytDailyQuota is the brand's YouTube quota, extended as Google extends a
// busy channel's: the default 10,000 units a day pay for 80 replies.
const ytDailyQuota = 1_000_000

// ytVideos are the brand's videos viewers comment under.
var ytVideos = [...]string{"Qm3kT7xZp2A", "h8RvW0cLs4E", "Zp9YbN1uQ6k"}

// connectYouTube connects the brand's YouTube channel with an OAuth
// client and the owner's refresh token, polled every 15 seconds.
func (p *platforms) connectYouTube(ctx context.Context, admin *client) error {
	var err error
	if p.ytSrv, err = listen(); err != nil {
		return err
	}
	p.yt = ytfake.New()
	p.yt.ChannelID, p.yt.ChannelTitle, p.yt.Handle = ytChannelID, brandName, brandHandle
	p.yt.ClientSecret, p.yt.RefreshToken = "GOCSPX-"+rand.Text(), "1//0"+rand.Text()
	p.yt.DailyQuota = ytDailyQuota
	p.ytSrv.serve(p.yt.Handler(), p.log)
	creds := p.yt.Credentials(p.ytSrv.URL)
	creds[youtube.CredPollInterval] = "15"
	creds[youtube.CredDailyQuota] = strconv.Itoa(ytDailyQuota)
	in, _, err := createInbox(ctx, admin, map[string]any{"channel": "youtube", "name": brandName + " on YouTube",
		"external_id": p.yt.ChannelID, "credentials": creds})
	if err != nil {
		return err
	}
	p.ytInbox = in.Inbox.ID
	return nil
}

// connectReviews connects the Google Business Profile of the brand's
// flagship shop, polled every 10 seconds. Parley checks the location with
// Google when the inbox is created, so the fake serves first.
func (p *platforms) connectReviews(ctx context.Context, admin *client) error {
	var err error
	if p.gbpSrv, err = listen(); err != nil {
		return err
	}
	p.gbp = gbpfake.New()
	p.gbpSrv.serve(p.gbp.Handler(), p.log)
	in, _, err := createInbox(ctx, admin, map[string]any{"channel": string(care.ChannelReviews), "name": shops[0].name + " on Google",
		"external_id": p.gbp.Location, "credentials": map[string]string{reviews.CredClientID: p.gbp.ClientID,
			reviews.CredClientSecret: p.gbp.ClientSecret, reviews.CredRefreshToken: p.gbp.RefreshToken, reviews.CredAPIBase: p.gbpSrv.URL,
			reviews.CredTokenURL: p.gbpSrv.URL + "/token", reviews.CredPollSeconds: "10", reviews.CredImportDays: "0"}})
	if err != nil {
		return err
	}
	p.gbpInbox = in.Inbox.ID
	return nil
}

// connectReddit connects u/OrbitMobile, a script app's account, polled
// every 30 seconds; Parley signs in when the inbox is created, so the fake
// serves first. The brand keeps a weekly help thread in its subreddit.
func (p *platforms) connectReddit(ctx context.Context, admin *client) error {
	var err error
	if p.redditSrv, err = listen(); err != nil {
		return err
	}
	p.reddit = redditfake.New()
	p.reddit.Username, p.reddit.Password = redditBrand, rand.Text()
	p.reddit.Moderates = []string{redditBrand}
	p.redditSrv.serve(p.reddit.Handler(), p.log)
	in, _, err := createInbox(ctx, admin, map[string]any{"channel": "reddit", "name": "u/" + redditBrand + " on Reddit", "external_id": redditBrand,
		"credentials": map[string]string{reddit.CredAPIBase: p.redditSrv.URL, reddit.CredClientID: p.reddit.ClientID,
			reddit.CredClientSecret: p.reddit.ClientSecret, reddit.CredUsername: p.reddit.Username, reddit.CredPassword: p.reddit.Password}})
	if err != nil {
		return err
	}
	p.redditInbox = in.Inbox.ID
	p.helpThread = p.reddit.Post(redditBrand, "Weekly help thread: ask Orbit Mobile's care team anything",
		"Questions about your plan, roaming, eSIM or an order? Ask below: the care team answers here every day.")
	p.communityPost = p.reddit.Post("signalhunter", "Orbit Mobile after six months: AMA", "Switched last spring. Coverage, app, shops: ask away.")
	return nil
}

// connectFoursquare connects the brand's shops on Foursquare with a
// Places API key. Foursquare is polled every five minutes at the most.
func (p *platforms) connectFoursquare(ctx context.Context, admin *client) error {
	var err error
	if p.fsqSrv, err = listen(); err != nil {
		return err
	}
	p.fsq = fsqfake.New()
	p.fsq.APIKey = "fsq3" + rand.Text() + rand.Text()
	venues := make([]string, len(shops))
	for i, s := range shops {
		p.fsq.AddPlace(s.place, s.name)
		venues[i] = s.place + "=" + s.name
	}
	p.fsqSrv.serve(p.fsq.Handler(), p.log)
	in, _, err := createInbox(ctx, admin, map[string]any{"channel": "foursquare", "name": brandName + "'s shops on Foursquare",
		"credentials": map[string]string{foursquare.CredAPIKey: p.fsq.APIKey, foursquare.CredVenues: strings.Join(venues, ", "),
			foursquare.CredPollMinutes: "5", foursquare.CredAPIBase: p.fsqSrv.URL}})
	if err != nil {
		return err
	}
	p.fsqInbox = in.Inbox.ID
	return nil
}

// pollers are the adapters of the platforms whose first look the demo has
// Parley take, as the app registers them.
func pollers(hc *http.Client, log *slog.Logger) *channel.Registry {
	r := &channel.Registry{}
	r.Register(care.ChannelBluesky, &bluesky.Adapter{Client: hc, Logger: log})
	r.Register(care.ChannelMastodon, &mastodon.Adapter{Client: hc, Logger: log})
	r.Register(care.ChannelYouTube, &youtube.Adapter{Client: hc, Logger: log})
	r.Register(care.ChannelReviews, &reviews.Adapter{Client: hc, Logger: log})
	r.Register(care.ChannelReddit, &reddit.Adapter{Client: hc, Logger: log})
	r.Register(care.ChannelFoursquare, &foursquare.Adapter{Client: hc, Logger: log})
	r.Register(care.ChannelBlog, &blog.Adapter{Client: hc, Logger: log})
	r.Register(care.ChannelWordPress, &wordpress.Adapter{Client: hc, Logger: log})
	return r
}

// look has Parley take its first look at a polled inbox, unless it has
// already: the poll that only marks where the inbox starts, so that what
// customers write afterwards is new. Parley's poll runner takes it at its
// next scan, up to 15 seconds after the inbox is connected; until then,
// whatever customers write is from before the inbox's start and never
// fetched, and Foursquare and the blog, polled every five minutes, would
// show nothing for five minutes more. So the first customer on each such
// platform has Parley take it just before they write, with its own poll
// runner's Once, as the scan would.
func (p *platforms) look(ctx context.Context, inbox care.ID) error {
	// One look per inbox, each inbox's apart, so that a headless run's
	// customers on every platform are written before the scan.
	p.lookMu.Lock()
	l := p.looks[inbox]
	if l == nil {
		l = &firstLook{}
		p.looks[inbox] = l
	}
	p.lookMu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return nil
	}
	cur, err := p.firstPoll.Store.InboxCursor(ctx, inbox, poll.CursorName)
	if err != nil {
		return fmt.Errorf("demo: read inbox %d's poll position: %w", inbox, err)
	}
	if cur == "" {
		if _, err := p.firstPoll.Once(ctx, inbox); err != nil {
			return fmt.Errorf("demo: Parley's first poll of inbox %d: %w", inbox, err)
		}
	}
	l.done = true
	return nil
}

// firstLook is Parley's first poll of one inbox, taken once.
type firstLook struct {
	mu   sync.Mutex
	done bool
}

// deliverPolled has a customer write on a platform Parley polls, after its
// first look, and returns where Parley will file what they wrote once it
// has fetched it.
func (p *platforms) deliverPolled(c *cast, s Sample, m message) (Sample, error) {
	who := m.who
	switch who.kind {
	case bskyPost:
		post, err := p.bsky.Publish(who.id, bskyfake.PostInput{Text: "@" + bskyBrandHandle + " " + m.text, ReplyTo: m.replyTo})
		if err != nil {
			return s, err
		}
		s.PlatformID = post.URI
		c.setAnchor(who, post.URI)
	case bskyDM:
		dm, err := p.bsky.SendDM(who.id, bskyBrandDID, m.text)
		if err != nil {
			return s, err
		}
		s.PlatformID = dm.ConvoID + ":" + dm.ID
		c.fileComment(care.ChannelBluesky, "convo:"+dm.ConvoID, who)
	case mastoPost:
		vis := "public"
		if m.private {
			vis = "direct"
		}
		st := p.masto.Mention(mastofake.Mention{From: mastoAccount(who), Text: m.text, ReplyTo: m.replyTo, Visibility: vis})
		s.PlatformID = st.StatusID
		c.fileComment(care.ChannelMastodon, "status:"+st.StatusID, who)
	case blogPost:
		s.PlatformID, s.AuthorID = p.blogWrite(who, m)
	case wpComment:
		s.PlatformID = p.wpWrite(who, m)
		c.fileComment(care.ChannelWordPress, s.PlatformID, who)
	case ytComment:
		v := ytfake.Viewer{ChannelID: who.id, DisplayName: who.name, Handle: who.handle}
		if m.replyTo != "" {
			id, err := p.yt.Reply(v, m.replyTo, m.text)
			s.PlatformID = id
			return s, err
		}
		s.PlatformID = p.yt.Comment(v, ytVideos[who.post], m.text)
		c.fileComment(care.ChannelYouTube, s.PlatformID, who)
	case gbpReview:
		// Google gives a reviewer no id: Parley knows them by name and
		// profile photo.
		s.AuthorName = who.name
		if m.replyTo != "" {
			// The edit's id in Parley carries the time Google gives it;
			// it is not sampled.
			return s, p.gbp.Edit(m.replyTo, m.stars, m.text)
		}
		s.PlatformID = p.gbp.Review(gbpfake.ReviewInput{Reviewer: gbpfake.Reviewer{Name: who.name}, Stars: m.stars, Comment: m.text})
		c.fileComment(care.ChannelReviews, s.PlatformID, who)
	case redditComment, redditDM:
		s.PlatformID = p.redditWrite(who, m)
		c.fileComment(care.ChannelReddit, s.PlatformID, who)
	case fsqTip:
		id, err := p.fsq.Tip(shopFor(who.lang).place, fsqfake.Tip{Text: m.text, Lang: who.lang})
		// Foursquare does not say who wrote a tip: its author in Parley is
		// the tip's own, "tip:" and its id.
		s.PlatformID, s.AuthorID = id, "tip:"+id
		return s, err
	default:
		return s, fmt.Errorf("demo: no way to deliver a %s", who.kind)
	}
	return s, nil
}

// redditWrite posts a Redditor's comment or message and returns its
// fullname. A new commenter writes in the brand's help thread, or names
// u/OrbitMobile under another Redditor's post; one answering the brand's
// comment replies to it, and one writing again names the brand under their
// own comment. Messages start a thread with a subject, or answer one.
func (p *platforms) redditWrite(who *customer, m message) string {
	if who.kind == redditDM || m.private {
		msg := redditfake.Message{From: who.handle, Body: m.text, ReplyTo: m.replyTo}
		if m.replyTo == "" {
			msg.Subject = subjectOf(m.text)
		}
		return p.reddit.Message(msg)
	}
	cm := redditfake.Comment{From: who.handle, Parent: m.replyTo, Body: m.text}
	mention := "u/" + redditBrand + " " + m.text
	switch {
	case m.replyTo == "" && who.post%2 == 0:
		cm.Parent = p.helpThread
	case m.replyTo == "":
		cm.Parent, cm.Body = p.communityPost, mention
	case !m.followUp:
		cm.Body = mention
	}
	return p.reddit.Comment(cm)
}

// subjectOf is a message's first sentence, as people write a subject.
func subjectOf(text string) string {
	if i := strings.IndexAny(text, ".?!"); i > 0 {
		text = text[:i+1]
	}
	return clip(text, 80)
}

// reviewReplyID is the id Parley gives the reply it sets on a Google
// review, and reads the reply back by: the review's name, "/reply/" and a
// hash of the reply's trimmed text (package reviews).
func reviewReplyID(review, text string) string { return reviews.ReplyID(review, text) }
