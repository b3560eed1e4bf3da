package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
)

// The history of listening: five weeks of what was said about Orbit and
// its competitors before the demo starts, as another listening tool would
// export it. Five weeks rather than two because the Listening page opens on
// the last 30 days, and a spike is a day far above the week before it:
// over a period that began before the history, its first days would stand
// out against empty ones.
const (
	historyDays = 35
	// outageAgo is how many days before today Orbit's network went down,
	// from outageStart (UTC) into the evening.
	outageAgo   = 3
	outageStart = 7*time.Hour + 40*time.Minute
	// outagePosts are the posts about it that day, afterPosts the next.
	outagePosts = 55
	afterPosts  = 5
	// historyGap keeps the newest post of the history this long before
	// the import, so that none is from the future on Parley's clock.
	historyGap = 20 * time.Minute
)

// dailyPosts are each subject's posts on an ordinary weekday: Kestrel is
// talked about a little more than Orbit, Nimbus Telecom much less.
// Weekends have weekendShare of that, and every day varies by up to
// dailyVariation either way: never enough, against the median of the week
// before, to look like a spike.
var dailyPosts = []struct {
	subject string
	posts   float64
}{{brandName, 16}, {kestrel, 22}, {nimbus, 8}}

const (
	weekendShare   = 0.75
	dailyVariation = 0.15
)

// hourWeights are how a day's posts spread over its hours (UTC, which is
// about Europe's): few at night, more at lunch, most in the evening.
var hourWeights = [24]float64{2, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 11, 12, 11, 10, 10, 10, 11, 12, 13, 12, 9, 6, 4}

// sources are where the history's posts were found, and how often.
var sources = []struct {
	name   care.Channel
	weight float64
}{{care.ChannelX, 35}, {care.ChannelBluesky, 12}, {care.ChannelMastodon, 10}, {care.ChannelReddit, 12}, {"forum", 13}, {"news", 6}}

// newsDesk is a news site of a language.
type newsDesk struct {
	id, name, domain string
	followers        int64
}

var newsDesks = map[string]newsDesk{
	"en": {"mobilegazette", "Mobile Gazette", "mobilegazette.example", 240000},
	"es": {"diariomovil", "Diario Móvil", "diariomovil.example", 180000},
	"fr": {"journaldumobile", "Le Journal du Mobile", "journaldumobile.example", 150000},
	"de": {"netzweltheute", "Netzwelt heute", "netzweltheute.example", 210000},
	"pt": {"redenoticias", "Rede Notícias", "redenoticias.example", 90000},
}

// historian makes the history's posts from the run's seed.
type historian struct {
	r       *rand.Rand
	posts   []api.ListenImportPost
	authors map[string][]care.Author // by source and language
	cut     time.Time                // no post at or after
}

// history returns the posts of listening's history up to now, oldest
// first: each subject's ordinary days, comparisons between them, a few
// birders' kestrels (which the subjects leave out), and, outageAgo days
// ago, a spike of mostly angry posts about Orbit's network outage. The
// same seed and day make the same posts.
func history(seed int64, now time.Time) []api.ListenImportPost {
	h := &historian{r: rand.New(rand.NewPCG(uint64(seed), 0x115e)), authors: map[string][]care.Author{}, cut: now.Add(-historyGap)}
	today := now.UTC().Truncate(24 * time.Hour)
	for d := historyDays - 1; d >= 0; d-- {
		day := today.AddDate(0, 0, -d)
		weekend := day.Weekday() == time.Saturday || day.Weekday() == time.Sunday
		for _, s := range dailyPosts {
			n := s.posts * (1 + dailyVariation*(2*h.r.Float64()-1))
			if weekend {
				n *= weekendShare
			}
			for i := range int(math.Round(n)) {
				h.ordinary(day, s.subject, i)
			}
		}
		if d%5 == 2 {
			h.add(care.ChannelX, "en", h.at(day), func(string) string { return pick(h.r, birders) })
		}
		switch d {
		case outageAgo:
			h.outage(day)
		case outageAgo - 1:
			for range afterPosts {
				h.say(h.social(), pickLanguage(h.r), h.at(day), brandName, func(w talkWords) []string { return w.after })
			}
		}
	}
	slices.SortStableFunc(h.posts, func(a, b api.ListenImportPost) int { return a.PostedAt.Compare(b.PostedAt) })
	return h.posts
}

// ordinary adds one of a subject's posts on an ordinary day: the i-th of
// the day. Two of Orbit's a day compare it with Kestrel, and one of
// Nimbus's with Orbit; news sites write headlines; people are pleased,
// curious or annoyed.
func (h *historian) ordinary(day time.Time, subject string, i int) {
	src, lang, at := pickSource(h.r), pickLanguage(h.r), h.at(day)
	switch {
	case subject == brandName && i < 2 || subject == nimbus && i < 1:
		other := kestrel
		if subject == nimbus {
			other = brandName
		}
		if src == "news" {
			src = h.social()
		}
		h.add(src, lang, at, func(lang string) string {
			t := pick(h.r, talk[lang].compare)
			return strings.NewReplacer("{a}", h.form(subject), "{b}", h.form(other)).Replace(t)
		})
	case src == "news":
		h.say(src, lang, at, subject, func(w talkWords) []string { return w.headlines })
	default:
		h.say(src, lang, at, subject, func(w talkWords) []string {
			switch x := h.r.Float64(); {
			case x < 0.3:
				return w.positive
			case x < 0.65:
				return w.neutral
			default:
				return w.negative
			}
		})
	}
}

// outage adds the day Orbit's network went down: posts from outageStart,
// most in the first hours, news sites' stories among them.
func (h *historian) outage(day time.Time) {
	for i := range outagePosts {
		at := day.Add(outageStart + time.Duration(math.Pow(h.r.Float64(), 1.6)*float64(13*time.Hour)))
		src, lang := h.social(), pickLanguage(h.r)
		if i%12 == 11 {
			src = "news"
		}
		h.say(src, lang, at, brandName, func(w talkWords) []string {
			if src == "news" {
				return w.outageNews
			}
			return w.outage
		})
	}
}

// say adds a post of src in lang about subject, its words picked from
// those words gives.
func (h *historian) say(src care.Channel, lang string, at time.Time, subject string, words func(talkWords) []string) {
	h.add(src, lang, at, func(lang string) string {
		form := h.form(subject)
		if src == "news" {
			form = subject
		}
		return strings.ReplaceAll(pick(h.r, words(talk[lang])), "{s}", form)
	})
}

// add adds a post of src, by one of its authors writing in lang, at at,
// unless at is too late. text writes it in lang.
func (h *historian) add(src care.Channel, lang string, at time.Time, text func(lang string) string) {
	if !at.Before(h.cut) {
		return
	}
	n := len(h.posts) + 1
	// No post has a link: the platforms are real, the posts are not, and a
	// link would lead a viewer of the Listening page to a stranger's page or
	// to none.
	p := api.ListenImportPost{Source: src, Lang: lang, PostedAt: at, Text: text(lang), Author: h.author(src, lang)}
	switch src {
	case care.ChannelX:
		// An X id is a snowflake: milliseconds since X's epoch above 22
		// bits, which a sequence number fills.
		p.PlatformID = strconv.FormatInt((at.UnixMilli()-1288834974657)<<22|int64(n&0x3fffff), 10)
	case care.ChannelBluesky:
		p.PlatformID = "at://" + p.Author.PlatformUserID + "/app.bsky.feed.post/" + tid(at, n)
	case care.ChannelMastodon:
		// Mastodon's ids are milliseconds above 16 bits of sequence.
		p.PlatformID = strconv.FormatInt(at.UnixMilli()<<16|int64(n&0xffff), 10)
	case care.ChannelReddit:
		p.PlatformID = "t3_" + strconv.FormatInt(2_400_000_000+int64(n)*37, 36)
	case "forum":
		p.PlatformID = fmt.Sprintf("phonechat-%d-%d", 48000+n/3, n)
	case "news":
		p.PlatformID = fmt.Sprintf("%s-%d", p.Author.PlatformUserID, n)
	}
	h.posts = append(h.posts, p)
}

// form is how one post writes subject's name.
func (h *historian) form(subject string) string { return pick(h.r, subjectForms[subject]) }

// at is a time in day, spread over its hours as people post.
func (h *historian) at(day time.Time) time.Time {
	total := 0.0
	for _, w := range hourWeights {
		total += w
	}
	x := h.r.Float64() * total
	hour := 0
	for ; hour < 23 && x >= hourWeights[hour]; hour++ {
		x -= hourWeights[hour]
	}
	return day.Add(time.Duration(hour)*time.Hour + time.Duration(h.r.Int64N(int64(time.Hour/time.Second)))*time.Second)
}

// historyAuthors is how many people of each source and language post in
// the history: enough for a variety of voices, few enough that some come
// back.
const historyAuthors = 15

// author picks someone who posts on src in lang. Audiences are
// heavy-tailed; Reddit and forums show no followers.
func (h *historian) author(src care.Channel, lang string) care.Author {
	if src == "news" {
		d := newsDesks[lang]
		return care.Author{PlatformUserID: d.id, DisplayName: d.name, Handle: d.domain, Followers: d.followers}
	}
	key := string(src) + ":" + lang
	if pool := h.authors[key]; len(pool) == historyAuthors {
		return pool[h.r.IntN(len(pool))]
	}
	nm := names[lang]
	first, last := pick(h.r, nm.first), pick(h.r, nm.last)
	f := fold(first)
	handle := fmt.Sprintf("%s%s%d", f[:min(len(f), 8)], fold(last)[:1], 10+h.r.IntN(990))
	a := care.Author{DisplayName: first + " " + last, Handle: handle}
	switch src {
	case care.ChannelX:
		a.PlatformUserID = strconv.FormatInt(1_500_000_000_000_000_000+h.r.Int64N(100_000_000_000_000_000), 10)
		a.Followers = int64(math.Pow(10, 1+h.r.Float64()*3.5))
	case care.ChannelBluesky:
		a.PlatformUserID = "did:plc:" + base32Sortable(h.r.Uint64(), 13) + base32Sortable(h.r.Uint64(), 11)
		a.Handle = handle + ".bsky.social"
		a.Followers = int64(math.Pow(10, 1+h.r.Float64()*3))
	case care.ChannelMastodon:
		a.PlatformUserID = strconv.FormatInt(109_000_000_000_000_000+h.r.Int64N(1_000_000_000_000_000), 10)
		a.Handle = "@" + handle + "@" + [...]string{"mastodon.example", "social.example"}[h.r.IntN(2)]
		a.Followers = int64(math.Pow(10, 1+h.r.Float64()*2.5))
	case care.ChannelReddit:
		a.PlatformUserID, a.DisplayName = strings.ToLower(handle), "u/"+handle
	default: // a forum
		a.PlatformUserID = "phonechat:" + handle
	}
	h.authors[key] = append(h.authors[key], a)
	return a
}

// social draws where a person's post was found: any source but news.
func (h *historian) social() care.Channel {
	for {
		if src := pickSource(h.r); src != "news" {
			return src
		}
	}
}

// pickSource draws where a post was found.
func pickSource(r *rand.Rand) care.Channel {
	total := 0.0
	for _, s := range sources {
		total += s.weight
	}
	x := r.Float64() * total
	for _, s := range sources {
		if x < s.weight {
			return s.name
		}
		x -= s.weight
	}
	return sources[0].name
}

// tid is a Bluesky record key: microseconds and a clock id, in sortable
// base 32, 13 characters.
func tid(at time.Time, n int) string {
	return base32Sortable(uint64(at.UnixMicro())<<10|uint64(n&0x3ff), 13)
}

// base32Sortable writes v's low 5n bits in n characters of the alphabet
// Bluesky's record keys and did:plc use.
func base32Sortable(v uint64, n int) string {
	const alphabet = "234567abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = alphabet[v&31]
		v >>= 5
	}
	return string(b)
}
