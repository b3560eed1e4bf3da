package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// ago says how long before now t was, in the short form lists use:
// "now", "4m", "3h", "2d", then a date.
func ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d < 7*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case t.Year() == now.Year():
		return t.Format("2 Jan")
	}
	return t.Format("2 Jan 2006")
}

// duration is a wait written for people: "<1m", "12m", "3h 5m", "2d 4h".
func duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 24*time.Hour:
		return pair(int(d/time.Hour), "h", int(d%time.Hour/time.Minute), "m")
	}
	return pair(int(d/(24*time.Hour)), "d", int(d%(24*time.Hour)/time.Hour), "h")
}

// pair writes "3h 5m", or "3h" when the smaller unit is zero.
func pair(a int, ua string, b int, ub string) string {
	if b == 0 {
		return strconv.Itoa(a) + ua
	}
	return fmt.Sprintf("%d%s %d%s", a, ua, b, ub)
}

// stamp is a full timestamp for a title attribute.
func stamp(t time.Time) string { return t.UTC().Format("Mon 2 Jan 2006, 15:04 UTC") }

// count is a follower count the way platforms show it: 950, 12.3k, 4.1M.
func count(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10)
	case n < 1_000_000:
		return trimZero(float64(n)/1000) + "k"
	}
	return trimZero(float64(n)/1_000_000) + "M"
}

// followers is a follower count for a contact panel or a found post, ""
// when there is nothing to say: 0 on a channel whose platform never tells
// (an email address, a phone number, a Google reviewer, a Reddit user) is
// not news. Where the platform counts followers (counted, as its adapter
// declares), 0 is shown; any channel that was given a count (an API
// inbox's author) shows it.
func followers(n int64, counted bool) string {
	switch {
	case n > 0:
		return count(n)
	case counted:
		return "0"
	}
	return ""
}

func trimZero(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if f >= 100 {
		s = strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strings.TrimSuffix(s, ".0")
}

var channelNames = map[care.Channel]string{
	care.ChannelAPI: "API", care.ChannelX: "X", care.ChannelFacebook: "Facebook", care.ChannelInstagram: "Instagram",
	care.ChannelWhatsApp: "WhatsApp", care.ChannelEmail: "Email", care.ChannelSMS: "SMS", care.ChannelWebChat: "Web chat",
	care.ChannelTelegram: "Telegram", care.ChannelMastodon: "Mastodon", care.ChannelBluesky: "Bluesky",
	care.ChannelYouTube: "YouTube", care.ChannelReddit: "Reddit", care.ChannelReviews: "Google reviews",
	care.ChannelBlog: "Blogs", care.ChannelWordPress: "WordPress", care.ChannelPhone: "Phone", care.ChannelFoursquare: "Foursquare",
}

// channelName is a channel as people call it.
func channelName(c care.Channel) string {
	if n, ok := channelNames[c]; ok {
		return n
	}
	return string(c)
}

var statusNames = map[care.Status]string{
	care.StatusOpen: "Open", care.StatusPending: "Pending", care.StatusSnoozed: "Snoozed", care.StatusResolved: "Resolved",
}

func statusName(s care.Status) string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return string(s)
}

// dueView is a conversation's nearest SLA deadline, as a chip in the list
// and the header: "Reply due in 29 min", "Reply overdue 5 min". The text
// says which side of the deadline it is, so the colour is never alone.
type dueView struct {
	Text, Title string
	Over        bool
}

// slaDue is the soonest of c's running SLA clocks, nil when none runs or
// the conversation is resolved (its clocks stopped; a due time left would
// mislead, as its priority would).
func slaDue(c *care.Conversation, now time.Time) *dueView {
	if c.Status == care.StatusResolved {
		return nil
	}
	var at *time.Time
	var short, long string
	for _, d := range []struct {
		at          *time.Time
		short, long string
	}{
		{c.FirstResponseDue, "Reply", "First reply"},
		{c.NextResponseDue, "Reply", "Next reply"},
		{c.ResolutionDue, "Resolution", "Resolution"},
	} {
		if d.at != nil && (at == nil || d.at.Before(*at)) {
			at, short, long = d.at, d.short, d.long
		}
	}
	if at == nil {
		return nil
	}
	if left := at.Sub(now); left >= 0 {
		return &dueView{Text: short + " due in " + minutes(left), Title: long + " due " + stamp(*at)}
	}
	return &dueView{Text: short + " overdue " + minutes(now.Sub(*at)), Title: long + " was due " + stamp(*at), Over: true}
}

// minutes is a span to the minute, as a chip refreshed now and then
// should say it: "<1 min", "29 min", "3 h 5 min".
func minutes(d time.Duration) string {
	if d < time.Minute {
		return "<1 min"
	}
	return waitText(d)
}
