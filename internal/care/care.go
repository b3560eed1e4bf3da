// Package care is Parley's domain vocabulary: workspaces, inboxes, contacts and
// their identities, conversations, messages, users, teams and the events that
// describe every change. It depends on the standard library only; storage,
// channels and HTTP sit around it and speak these types.
package care

import "time"

// ID identifies any stored record. IDs are assigned by storage, increase
// monotonically within a table, and double as stable cursor keys.
type ID = int64

// Workspace is one brand. An install serves several; an outsourcing partner's
// agents may be members of more than one.
type Workspace struct {
	ID        ID        `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Channel names the kind of place a conversation happens.
type Channel string

// Channels known to the core. Adapters for each platform register under these
// names; "api" is the generic API inbox any system can post into.
const (
	ChannelAPI       Channel = "api"
	ChannelX         Channel = "x"
	ChannelFacebook  Channel = "facebook"
	ChannelInstagram Channel = "instagram"
	ChannelWhatsApp  Channel = "whatsapp"
	ChannelEmail     Channel = "email"
	ChannelSMS       Channel = "sms"
	ChannelWebChat   Channel = "webchat"
	ChannelTelegram  Channel = "telegram"
	ChannelMastodon  Channel = "mastodon"
	ChannelBluesky   Channel = "bluesky"
	ChannelYouTube   Channel = "youtube"
	ChannelReddit    Channel = "reddit"
	// ChannelReviews is Google Business Profile's reviews of a location.
	ChannelReviews Channel = "google-reviews"
	// ChannelBlog is RSS and Atom feeds: blogs and their comment feeds.
	ChannelBlog       Channel = "blog"
	ChannelWordPress  Channel = "wordpress"
	ChannelPhone      Channel = "phone"
	ChannelFoursquare Channel = "foursquare"
)

// Valid reports whether c is a syntactically acceptable channel name: short,
// lower-case ASCII letters, digits and dashes.
func (c Channel) Valid() bool {
	if len(c) == 0 || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
