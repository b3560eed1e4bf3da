package mastodon

import (
	"bytes"
	"encoding/json"
	"math"

	"github.com/parleyhq/parley/internal/channel"
)

// The entities Parley reads, with the fields it uses
// (docs.joinmastodon.org/entities/Notification, …/Status, …/Account,
// …/MediaAttachment). Ids are strings "cast from an integer but not
// guaranteed to be a number"; LooseID also takes a number, which servers
// speaking Mastodon's API sometimes send, and null.

// notification is a Notification.
type notification struct {
	ID        channel.LooseID `json:"id"`
	Type      string          `json:"type"`
	CreatedAt string          `json:"created_at"`
	Account   *account        `json:"account"`
	Status    *status         `json:"status"`
}

// status is a Status.
type status struct {
	ID          channel.LooseID `json:"id"`
	CreatedAt   string          `json:"created_at"`
	InReplyToID channel.LooseID `json:"in_reply_to_id"`
	// Visibility is public, unlisted, private (followers only) or direct
	// (a private mention).
	Visibility       string            `json:"visibility"`
	SpoilerText      string            `json:"spoiler_text"`
	Content          string            `json:"content"`
	URL              string            `json:"url"`
	Account          *account          `json:"account"`
	Reblog           json.RawMessage   `json:"reblog"`
	MediaAttachments []mediaAttachment `json:"media_attachments"`
	Poll             *poll             `json:"poll"`
	RepliesCount     count             `json:"replies_count"`
	ReblogsCount     count             `json:"reblogs_count"`
	FavouritesCount  count             `json:"favourites_count"`
}

// boost reports whether s is a boost (a reblog) of another status.
func (s *status) boost() bool {
	r := bytes.TrimSpace(s.Reblog)
	return len(r) > 0 && !bytes.Equal(r, []byte("null"))
}

// account is an Account.
type account struct {
	ID channel.LooseID `json:"id"`
	// Username is the part before the domain; Acct is "username" for an
	// account of the same instance and "username@domain" for others.
	Username       string `json:"username"`
	Acct           string `json:"acct"`
	DisplayName    string `json:"display_name"`
	URL            string `json:"url"`
	FollowersCount count  `json:"followers_count"`
}

// mediaAttachment is a MediaAttachment: type unknown, image, gifv, video
// or audio.
type mediaAttachment struct {
	Type        string `json:"type"`
	URL         string `json:"url"`
	RemoteURL   string `json:"remote_url"`
	Description string `json:"description"`
}

type poll struct {
	Options []struct {
		Title string `json:"title"`
	} `json:"options"`
}

// count is a counter as an entity reports it. A value that is not a
// non-negative integer (a float, a string, an overflowing number) reads as 0
// rather than failing the whole notification: one odd field must not cost a
// customer's message.
type count int64

// UnmarshalJSON implements json.Unmarshaler.
func (c *count) UnmarshalJSON(b []byte) error {
	var f float64
	if json.Unmarshal(b, &f) != nil || f < 0 || f >= math.MaxInt64 || f != math.Trunc(f) {
		*c = 0
		return nil
	}
	*c = count(f)
	return nil
}
