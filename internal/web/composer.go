package web

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/reddit"
	"github.com/parleyhq/parley/internal/channel/reviews"
	"github.com/parleyhq/parley/internal/channel/sms"
	"github.com/parleyhq/parley/internal/channel/telegram"
	"github.com/parleyhq/parley/internal/channel/whatsapp"
	"github.com/parleyhq/parley/internal/channel/wordpress"
	"github.com/parleyhq/parley/internal/channel/x"
	"github.com/parleyhq/parley/internal/channel/youtube"
)

// countRule is how a platform measures a reply and the most it takes, for
// the composer's counter (static/count.js), which counts as the agent types
// and holds back Send over the limit. The adapters' CheckReply has the last
// word on send; these rules say the same thing sooner, so each names the
// adapter limit it mirrors.
type countRule struct {
	// Unit is the script's way of counting: "x" (X's weighted length),
	// "sms" (GSM-7 or UCS-2 segments, limited in UTF-16 units),
	// "mastodon", "graphemes", "chars" (code points) or "bytes" (UTF-8).
	Unit  string
	Limit int
	// Bytes is a second limit, in UTF-8 bytes; 0 for none.
	Bytes int
	// Hint says what to do when the text is over the limit.
	Hint string
	// Quiet counts without showing it until the text nears the limit:
	// for Parley's own limit, which no reply comes close to.
	Quiet bool
}

// replyRules are a channel's rules for public and private replies.
type replyRules struct{ Public, Private countRule }

// Limits the adapters enforce with unexported constants or in packages not
// wired in yet; each names where it comes from.
const (
	messengerChars   = 2000   // internal/channel/meta: messengerTextRunes
	fbCommentChars   = 8000   // meta: fbCommentRunes
	igMessageBytes   = 1000   // meta: igTextBytes
	igCommentChars   = 2200   // meta: igCommentRunes
	mastodonChars    = 500    // internal/channel/mastodon: DefaultMaxCharacters
	blueskyPost      = 300    // internal/channel/bluesky: MaxPostGraphemes
	blueskyPostBytes = 3000   // bluesky: MaxPostBytes
	blueskyDM        = 1000   // bluesky: MaxDMGraphemes
	blueskyDMBytes   = 10_000 // bluesky: MaxDMBytes
)

// noReply says, for channels where Parley cannot answer at all, what the
// agent does instead; the composer offers only notes there.
var noReply = map[care.Channel]string{
	care.ChannelPhone:      "A phone call is answered by phone: call the customer back with the number's call link in the contact panel, and note what was said.",
	care.ChannelFoursquare: "Foursquare has no way to answer a tip. Answer the customer where they can read it, or note what was done.",
	care.ChannelBlog:       "A blog post or comment is answered on the blog itself. Note here what was done, then resolve.",
}

const (
	orPrivate = "Shorten it, or reply in private."
	shorten   = "Shorten it."
	split     = "Shorten it, or split it into two replies."
)

var replyRulesOf = map[care.Channel]replyRules{
	care.ChannelX: {
		Public:  countRule{Unit: "x", Limit: x.MaxPostLength, Hint: orPrivate},
		Private: countRule{Unit: "chars", Limit: x.MaxDMLength, Hint: split},
	},
	care.ChannelSMS: {Private: countRule{Unit: "sms", Limit: sms.MaxBodyChars, Hint: split}},
	care.ChannelWhatsApp: {
		Private: countRule{Unit: "chars", Limit: whatsapp.MaxTextChars, Hint: split},
	},
	care.ChannelTelegram: {
		Public:  countRule{Unit: "chars", Limit: telegram.MaxTextChars, Hint: split},
		Private: countRule{Unit: "chars", Limit: telegram.MaxTextChars, Hint: split},
	},
	care.ChannelFacebook: {
		Public:  countRule{Unit: "chars", Limit: fbCommentChars, Hint: shorten},
		Private: countRule{Unit: "chars", Limit: messengerChars, Hint: split},
	},
	care.ChannelInstagram: {
		Public:  countRule{Unit: "chars", Limit: igCommentChars, Hint: shorten},
		Private: countRule{Unit: "bytes", Limit: igMessageBytes, Hint: split},
	},
	care.ChannelMastodon: {
		Public:  countRule{Unit: "mastodon", Limit: mastodonChars, Hint: split},
		Private: countRule{Unit: "mastodon", Limit: mastodonChars, Hint: split},
	},
	// Public only: the composer offers no choice, and counts its one rule
	// whichever visibility the page would default to.
	care.ChannelReviews: {
		Public:  countRule{Unit: "bytes", Limit: reviews.MaxReplyBytes, Hint: shorten},
		Private: countRule{Unit: "bytes", Limit: reviews.MaxReplyBytes, Hint: shorten},
	},
	care.ChannelYouTube: {
		Public:  countRule{Unit: "chars", Limit: youtube.MaxTextChars, Hint: split},
		Private: countRule{Unit: "chars", Limit: youtube.MaxTextChars, Hint: split},
	},
	care.ChannelWordPress: {
		Public:  countRule{Unit: "bytes", Limit: wordpress.MaxCommentBytes, Hint: shorten},
		Private: countRule{Unit: "bytes", Limit: wordpress.MaxCommentBytes, Hint: shorten},
	},
	care.ChannelReddit: {
		Public:  countRule{Unit: "chars", Limit: reddit.MaxTextChars, Hint: split},
		Private: countRule{Unit: "chars", Limit: reddit.MaxTextChars, Hint: split},
	},
	care.ChannelBluesky: {
		Public:  countRule{Unit: "graphemes", Limit: blueskyPost, Bytes: blueskyPostBytes, Hint: orPrivate},
		Private: countRule{Unit: "graphemes", Limit: blueskyDM, Bytes: blueskyDMBytes, Hint: split},
	},
}

// anyText is the rule of a channel whose platform sets no lower limit
// than Parley's own (email, the API inbox, web chat).
var anyText = countRule{Unit: "bytes", Limit: care.MaxTextBytes, Hint: shorten, Quiet: true}

// rulesFor returns a channel's reply rules; a visibility the channel does
// not have gets Parley's own limit, and the adapter refuses it on send
// with its reason.
func rulesFor(ch care.Channel) replyRules {
	r := replyRulesOf[ch]
	if r.Public.Unit == "" {
		r.Public = anyText
	}
	if r.Private.Unit == "" {
		r.Private = anyText
	}
	return r
}

// ruleFor returns the rule of a reply of the given visibility.
func (r replyRules) ruleFor(v care.Visibility) countRule {
	if v == care.Public {
		return r.Public
	}
	return r.Private
}
