package demo

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/bluesky/bskyfake"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
	"github.com/parleyhq/parley/internal/channel/reddit/redditfake"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

// overheard is a post a stranger publishes about the brands during the
// run, to no one: no @mention of the brand, no reply to it, so it opens no
// conversation. Only listening's searches find it.
type overheard struct {
	at        time.Duration // story time
	on        care.Channel
	lang      string
	name      string // the author's
	handle    string
	followers int64
	// subreddit and title are a Reddit post's; its text is the body.
	subreddit, title string
	text             string
	// about is what the story says of it.
	about string
}

// overheardPosts are the story's, on each platform that searches, in the
// five languages. The first ones come before Parley's first search round,
// up to 15 seconds after the inboxes are connected; the later ones wait
// for the next (see searchEvery).
var overheardPosts = []overheard{
	{at: 0, on: care.ChannelReddit, lang: "en", name: "Ed Fairley", handle: "fieldnotes_ed", subreddit: "PhonesUK",
		title: "Orbit Mobile vs Kestrel for a family of four?",
		text:  "Kestrel is £4 a month cheaper, but Orbit Mobile's coverage at my parents' in Wales is far better. Anyone switched either way?",
		about: "u/fieldnotes_ed compares Orbit Mobile with Kestrel in r/PhonesUK"},
	{at: 2 * time.Second, on: care.ChannelMastodon, lang: "de", name: "Katrin Vogel", handle: "kvogel", followers: 640,
		text:  "Seit dem Wechsel zu Orbit Mobile habe ich endlich Empfang im Keller. Klare Empfehlung! #orbitmobile",
		about: "Katrin Vogel, in German, is pleased with Orbit Mobile's coverage"},
	{at: 4 * time.Second, on: care.ChannelBluesky, lang: "en", name: "Priya Nair", handle: "priyatech", followers: 5200,
		text:  "Nimbus Telecom just doubled the data on its SIM-only plans. Orbit Mobile and Kestrel, your move.",
		about: "Priya Nair, a tech writer, says Nimbus Telecom doubled its data"},
	{at: 6 * time.Second, on: care.ChannelX, lang: "es", name: "Álvaro Gil", handle: "alvarogil_", followers: 830,
		text:  "Me he pasado de Kestrel a Orbit Mobile y por fin tengo cobertura en el pueblo. #orbitmobile",
		about: "Álvaro Gil, in Spanish, has left Kestrel for Orbit Mobile"},
	{at: 40 * time.Second, on: care.ChannelBluesky, lang: "en", name: "Tom Ashby", handle: "tomashby", followers: 310,
		text:  "The Orbit app has been down all morning. Glad I kept my old Kestrel SIM as a backup.",
		about: "Tom Ashby talks about the Orbit app being down"},
	{at: 55 * time.Second, on: care.ChannelX, lang: "en", name: "Nadia Osei", handle: "nadiaosei", followers: 12400,
		text:  "Kestrel has put its roaming prices up again. Does Orbit Mobile still include Europe?",
		about: "Nadia Osei, with 12k followers, weighs Kestrel's roaming prices against Orbit's"},
	{at: 70 * time.Second, on: care.ChannelMastodon, lang: "fr", name: "Julien Marchand", handle: "jmarchand", followers: 220,
		text:  "Nimbus Telecom ou Orbit Mobile pour un forfait sans engagement ? Les avis sont partagés autour de moi.",
		about: "Julien Marchand, in French, hesitates between Nimbus Telecom and Orbit Mobile"},
	{at: 90 * time.Second, on: care.ChannelReddit, lang: "pt", name: "Rita Lopes", handle: "ritalopes_pt", subreddit: "portugal",
		title: "Orbit Mobile em Portugal: vale a pena?",
		text:  "Estou a pensar mudar da Nimbus Telecom para a Orbit Mobile. A rede no Porto é boa?",
		about: "u/ritalopes_pt, in Portuguese, asks r/portugal about Orbit Mobile"},
}

// searchEvery is how often Parley searches each platform for each
// subject (docs/listening.md).
var searchEvery = map[care.Channel]string{care.ChannelX: "five minutes", care.ChannelBluesky: "two minutes",
	care.ChannelMastodon: "two minutes", care.ChannelReddit: "five minutes"}

// The overheard authors' ids, apart from the customers'.
const (
	strangerXBase     = 1650000000000000000
	strangerMastoBase = 120000000000000000
)

// overhear has a stranger publish o, the i-th of overheardPosts, on its
// platform's fake, and returns the post as Parley's search will know it:
// its id there and its author's.
func (p *platforms) overhear(o overheard, i int) (Sample, error) {
	s := Sample{Channel: string(o.on), InboxID: p.inbox(o.on), AuthorName: o.name}
	switch o.on {
	case care.ChannelX:
		s.AuthorID = strconv.FormatInt(strangerXBase+int64(i), 10)
		p.x.AddUser(xfake.User{ID: s.AuthorID, Username: o.handle, Name: o.name, Followers: o.followers})
		s.PlatformID = p.x.AddPost(xfake.Post{AuthorID: s.AuthorID, Text: o.text, Lang: o.lang}).ID
	case care.ChannelBluesky:
		s.AuthorID = "did:plc:stranger" + base32Sortable(uint64(i), 16)
		p.bsky.AddAccount(bskyfake.Account{DID: s.AuthorID, Handle: o.handle + ".bsky.social", DisplayName: o.name, Followers: o.followers})
		post, err := p.bsky.Publish(s.AuthorID, bskyfake.PostInput{Text: o.text})
		if err != nil {
			return s, err
		}
		s.PlatformID = post.URI
	case care.ChannelMastodon:
		s.AuthorID = strconv.FormatInt(strangerMastoBase+int64(i), 10)
		s.PlatformID = p.masto.Publish(mastofake.Post{From: mastofake.Account{ID: s.AuthorID, Username: o.handle, DisplayName: o.name,
			Followers: o.followers}, Text: o.text, Language: o.lang})
	case care.ChannelReddit:
		// Reddit shows a username, not a name.
		s.AuthorID, s.AuthorName = strings.ToLower(o.handle), "u/"+o.handle
		s.PlatformID = p.reddit.Submit(redditfake.Submission{From: o.handle, Subreddit: o.subreddit, Title: o.title, Body: o.text})
	default:
		return s, fmt.Errorf("demo: no search on %s", o.on)
	}
	return s, nil
}

// hearing is what the run waits for listening to find: the overheard posts
// no search has found yet, by source and id.
type hearing struct {
	mu      sync.Mutex // one look at a time; guards pending
	pending map[string]unheard
}

// unheard is an overheard post and when it was published.
type unheard struct {
	s  Sample
	at time.Time
}

func hearingKey(source, id string) string { return source + " " + id }

// overhear publishes the i-th overheard post and tells the story of it.
func (r *run) overhear(i int) {
	o := overheardPosts[i]
	s, err := r.plat.overhear(o, i)
	if err != nil {
		r.log.Warn("demo: publish a post for listening", "on", o.on, "err", err)
		return
	}
	r.hearing.mu.Lock()
	r.hearing.pending[hearingKey(s.Channel, s.PlatformID)] = unheard{s: s, at: time.Now()}
	r.hearing.mu.Unlock()
	r.tally.overheard(s)
	r.say("-- Listening: on %s, %s, without a word to Orbit; Parley's next search of %s (every %s) will find it --",
		channelName(o.on), o.about, channelName(o.on), searchEvery[o.on])
}

// maxHearPages bounds the pages of found posts one look reads for a post:
// Parley's X searches also find every customer's post to the brand.
const maxHearPages = 5

// listenFor looks, through the API as the web's Listening page does, for
// the overheard posts Parley's searches have found, each among the posts
// of its platform from the minutes around it, and tells of each once.
func (r *run) listenFor(ctx context.Context) {
	r.hearing.mu.Lock()
	defer r.hearing.mu.Unlock()
	for k, u := range r.hearing.pending {
		found, err := r.found(ctx, u)
		if err != nil {
			if ctx.Err() == nil {
				r.log.Warn("demo: read what listening found", "source", u.s.Channel, "err", err)
			}
			return
		}
		if found == nil {
			continue
		}
		delete(r.hearing.pending, k)
		r.tally.heard()
		r.say("-- Listening: Parley's search of %s found %s's post about %s; it is on the Listening page --",
			channelName(care.Channel(u.s.Channel)), u.s.AuthorName, andList(found.Subjects))
	}
}

// found returns u's post as Parley's searches found it, or nil.
func (r *run) found(ctx context.Context, u unheard) (*care.ListenPost, error) {
	q := url.Values{"source": {u.s.Channel}, "from": {u.at.Add(-time.Minute).UTC().Format(time.RFC3339)},
		"to": {u.at.Add(time.Minute).UTC().Format(time.RFC3339)}, "limit": {"200"}}
	for range maxHearPages {
		var page api.ListenPage
		if err := r.admin.call(ctx, "GET", "/api/v1/listening/posts?"+q.Encode(), nil, &page, http.StatusOK); err != nil {
			return nil, err
		}
		for _, p := range page.Posts {
			if p.PlatformID == u.s.PlatformID && p.InboxID != 0 {
				return &p, nil
			}
		}
		if page.NextCursor == "" {
			break
		}
		q.Set("cursor", page.NextCursor)
	}
	return nil, nil
}

// allHeard reports whether listening has found every overheard post
// published so far.
func (r *run) allHeard() bool {
	r.hearing.mu.Lock()
	defer r.hearing.mu.Unlock()
	return len(r.hearing.pending) == 0
}

// tellHistory opens the story with what the history shows on the
// Listening page: share of voice over its 30 days, and the brand's spike.
func (r *run) tellHistory() {
	l := r.tally.report().Listening
	r.say("-- Listening: five weeks of posts about %s, %s and %s from the tool Orbit used before, imported through the API: %d kept, %d about kestrels, the birds, left out; see %s/listening --",
		brandName, kestrel, nimbus, l.Kept, l.Imported-l.Kept, r.parley.url)
	r.say("   ↳ over %d days %s has %.0f%% of the voice, %s %.0f%%, %s %.0f%%", reportDays,
		kestrel, 100*l.Shares[kestrel], brandName, 100*l.Shares[brandName], nimbus, 100*l.Shares[nimbus])
	for _, sp := range l.Spikes {
		if sp.Subject == brandName {
			r.say("   ↳ the Listening page flags a spike on %s: %d posts about %s against about %.0f a day, %.0f%% negative; its network was down",
				sp.Start.Format("Mon 2 Jan"), sp.Posts, brandName, sp.Expected, 100*sp.Negative)
			break
		}
	}
}

// How often the run looks for what listening found (real time: Parley's
// searches run on the clock), and how long a headless run's wind-down
// waits for the overheard posts, which Parley's first search round finds
// with its first polls.
const (
	hearEvery = 2 * time.Second
	hearWait  = 10 * time.Second
)

// andList joins names as a sentence does: "a", "a and b", "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// hurrySearch has Parley run its listening searches once, now, for the
// inboxes that search, with its own adapters, as its poll runner's scan
// would. A headless run publishes the strangers' posts all at once at the
// start; the runner's first round may have run just before them (it takes
// an inbox at its next scan, up to 15 seconds after it is connected), and
// its next is minutes away. Like the first look at a polled inbox, this
// only hurries what Parley does anyway.
func (p *platforms) hurrySearch(ctx context.Context) {
	for _, in := range []care.ID{p.xInbox, p.bskyInbox, p.mastoInbox, p.redditInbox} {
		if _, err := p.firstSearch.SearchOnce(ctx, in); err != nil && ctx.Err() == nil {
			p.log.Warn("demo: Parley's first listening round", "inbox", in, "err", err)
		}
	}
}
