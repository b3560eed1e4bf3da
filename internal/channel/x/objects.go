package x

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Wire objects X sends. Three generations share the work: v1.1 Tweet and
// user objects in the Account Activity API's tweet_create_events; the
// legacy message_create DM events in both the Account Activity API and the
// X Activity API; and v2 Post, user, media and DM event objects in the X
// Activity API's post events and in the v2 endpoints Parley polls. Fields
// are decoded leniently (an id may be a string or a number, a count a number
// or a string), because one odd field must not cost a customer's message.

// flexString holds a JSON string, or a number as its literal text; any
// other value decodes as "".
type flexString = channel.LooseID

// flexCount holds a non-negative count given as a number or a string; any
// other value, or a negative or fractional one, decodes as 0.
type flexCount int64

func (c *flexCount) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	n, err := strconv.ParseInt(string(s), 10, 64)
	if err != nil || n < 0 {
		n = 0
	}
	*c = flexCount(n)
	return nil
}

// flexBool is a JSON true or the string "true" in any case; anything else
// is false. X writes some flags as strings: the Account Activity API's
// documented mention delivery carries "user_has_blocked": "false"
// (docs.x.com, x-api/account-activity/introduction, payload examples).
type flexBool bool

func (v *flexBool) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*v = flexBool(string(b) == "true" || strings.EqualFold(string(b), `"true"`))
	return nil
}

// wireUser is a user in any of X's shapes: v1.1 (id_str, screen_name,
// followers_count), v2 (id, username, public_metrics), or a v2 user wrapped
// in {"data": …}, as the X Activity API's DM users and post.delete includes
// are.
type wireUser struct {
	wireUserFields
	Data *wireUserFields `json:"data"`
}

type wireUserFields struct {
	ID         flexString `json:"id"`
	IDStr      string     `json:"id_str"`
	Name       string     `json:"name"`
	ScreenName string     `json:"screen_name"`
	Username   string     `json:"username"`
	Followers  flexCount  `json:"followers_count"`
	Metrics    struct {
		Followers flexCount `json:"followers_count"`
	} `json:"public_metrics"`
	Verified     flexBool `json:"verified"`
	VerifiedType string   `json:"verified_type"`
	// CreatedAt is when the account was made: v1.1 "Wed Oct 10 20:19:24
	// +0000 2018", v2 RFC 3339 (user.fields=created_at). Very new
	// accounts are more often throwaways, which damps their reach.
	CreatedAt string `json:"created_at"`
	// CreatedTimestamp is the same in milliseconds, as the users map of
	// the Account Activity API's direct_message_events gives it.
	CreatedTimestamp flexString `json:"created_timestamp"`
}

// profile is a user reduced to what Parley keeps.
type profile struct {
	ID, Name, Handle string
	Followers        int64
	Verified         bool
	Since            time.Time
}

func (u wireUser) profile() profile {
	f := u.wireUserFields
	if u.Data != nil {
		f = *u.Data
	}
	return profile{
		ID:        firstNonEmpty(f.IDStr, string(f.ID)),
		Name:      f.Name,
		Handle:    firstNonEmpty(f.Username, f.ScreenName),
		Followers: int64(max(f.Followers, f.Metrics.Followers)),
		// X's verified flag, or a paid, business or government badge.
		Verified: bool(f.Verified) || f.VerifiedType != "" && f.VerifiedType != "none",
		Since:    accountSince(f.CreatedAt, string(f.CreatedTimestamp)),
	}
}

// users indexes profiles by id.
type users map[string]profile

func (us users) add(u wireUser) {
	if p := u.profile(); p.ID != "" {
		us[p.ID] = p
	}
}

// v1Tweet is a v1.1 Tweet object, as the Account Activity API delivers
// (docs.x.com data dictionary). Longer posts come truncated, with their
// text in extended_tweet.full_text.
type v1Tweet struct {
	IDStr         string     `json:"id_str"`
	ID            flexString `json:"id"`
	Text          string     `json:"text"`
	FullText      string     `json:"full_text"`
	Truncated     flexBool   `json:"truncated"`
	ExtendedTweet *struct {
		FullText         string     `json:"full_text"`
		Entities         v1Entities `json:"entities"`
		ExtendedEntities v1Entities `json:"extended_entities"`
	} `json:"extended_tweet"`
	InReplyToStatusID   string          `json:"in_reply_to_status_id_str"`
	InReplyToUserID     string          `json:"in_reply_to_user_id_str"`
	InReplyToScreenName string          `json:"in_reply_to_screen_name"`
	User                wireUser        `json:"user"`
	Entities            v1Entities      `json:"entities"`
	ExtendedEntities    v1Entities      `json:"extended_entities"`
	RetweetedStatus     json.RawMessage `json:"retweeted_status"`
	CreatedAt           string          `json:"created_at"`
	TimestampMS         flexString      `json:"timestamp_ms"`
	// Engagement so far (v1.1 data dictionary: favorite_count,
	// retweet_count; reply_count and quote_count on newer payloads).
	FavoriteCount flexCount `json:"favorite_count"`
	RetweetCount  flexCount `json:"retweet_count"`
	ReplyCount    flexCount `json:"reply_count"`
	QuoteCount    flexCount `json:"quote_count"`
}

func (t *v1Tweet) engagement() int64 {
	return int64(t.FavoriteCount) + int64(t.RetweetCount) + int64(t.ReplyCount) + int64(t.QuoteCount)
}

type v1Entities struct {
	UserMentions []struct {
		IDStr      string `json:"id_str"`
		ScreenName string `json:"screen_name"`
		Name       string `json:"name"`
	} `json:"user_mentions"`
	Media []struct {
		Type          string `json:"type"`
		MediaURLHTTPS string `json:"media_url_https"`
	} `json:"media"`
}

// v2Post is a v2 Post object: the payload of the X Activity API's post
// events and an item of the mentions timeline.
type v2Post struct {
	ID               flexString `json:"id"`
	Text             string     `json:"text"`
	AuthorID         flexString `json:"author_id"`
	CreatedAt        string     `json:"created_at"`
	InReplyToUserID  flexString `json:"in_reply_to_user_id"`
	InReplyToTweetID flexString `json:"in_reply_to_tweet_id"`
	// EditHistoryTweetIDs lists every version of an edited post, oldest
	// first; an edit is a new post with a new id
	// (x-api/fundamentals/edit-posts).
	EditHistoryTweetIDs []flexString `json:"edit_history_tweet_ids"`
	ReferencedTweets    []struct {
		Type string     `json:"type"`
		ID   flexString `json:"id"`
	} `json:"referenced_tweets"`
	// NoteTweet holds the full text of a post longer than 280 characters,
	// whose text is then cut.
	NoteTweet *struct {
		Text string `json:"text"`
	} `json:"note_tweet"`
	Entities struct {
		Mentions []struct {
			ID       flexString `json:"id"`
			Username string     `json:"username"`
		} `json:"mentions"`
	} `json:"entities"`
	Attachments struct {
		MediaKeys []string `json:"media_keys"`
	} `json:"attachments"`
	// PublicMetrics is the post's engagement so far (docs.x.com, Post
	// object: public_metrics.like_count, retweet_count, reply_count,
	// quote_count); impressions are not engagement.
	PublicMetrics struct {
		Likes   flexCount `json:"like_count"`
		Reposts flexCount `json:"retweet_count"`
		Replies flexCount `json:"reply_count"`
		Quotes  flexCount `json:"quote_count"`
	} `json:"public_metrics"`
}

func (p *v2Post) engagement() int64 {
	m := p.PublicMetrics
	return int64(m.Likes) + int64(m.Reposts) + int64(m.Replies) + int64(m.Quotes)
}

// repliedTo returns the id of the post p answers, "" if none.
func (p *v2Post) repliedTo() string {
	for _, r := range p.ReferencedTweets {
		if r.Type == "replied_to" && r.ID != "" {
			return string(r.ID)
		}
	}
	return string(p.InReplyToTweetID)
}

// isRepost reports whether p is a repost ("RT @…"): it says nothing of its
// own.
func (p *v2Post) isRepost() bool {
	for _, r := range p.ReferencedTweets {
		if r.Type == "retweeted" {
			return true
		}
	}
	return false
}

// editedFrom returns the earlier versions of an edited post, newest first.
// X gives an edit a new id, so the edit arrives as a new message; these
// place it in the conversation of the version it replaces.
func (p *v2Post) editedFrom() []string {
	var refs []string
	for i := len(p.EditHistoryTweetIDs) - 1; i >= 0 && len(refs) < care.MaxReferences; i-- {
		id := string(p.EditHistoryTweetIDs[i])
		if validID(id) && id != string(p.ID) && !slices.Contains(refs, id) {
			refs = append(refs, id)
		}
	}
	return refs
}

// v2Includes are the objects a v2 response or X Activity API event expands.
type v2Includes struct {
	Users []wireUser  `json:"users"`
	Media []v2Media   `json:"media"`
	Posts []rawObject `json:"tweets"`
}

type v2Media struct {
	MediaKey        string `json:"media_key"`
	Type            string `json:"type"`
	URL             string `json:"url"`
	PreviewImageURL string `json:"preview_image_url"`
}

// rawObject is any JSON value, kept undecoded.
type rawObject = json.RawMessage

// legacyDM is a message_create DM event, as both the Account Activity API's
// direct_message_events and the X Activity API's dm.received and dm.sent
// payloads carry it.
type legacyDM struct {
	Type             string     `json:"type"`
	ID               flexString `json:"id"`
	CreatedTimestamp flexString `json:"created_timestamp"`
	MessageCreate    struct {
		Target struct {
			RecipientID flexString `json:"recipient_id"`
		} `json:"target"`
		SenderID    flexString `json:"sender_id"`
		MessageData struct {
			Text       string `json:"text"`
			Attachment *struct {
				Type  string `json:"type"`
				Media struct {
					Type          string `json:"type"`
					MediaURLHTTPS string `json:"media_url_https"`
					// URL is the t.co link X appends to the text for
					// the file ("corresponds with the URL embedded
					// directly into the raw Tweet text", v1.1 data
					// dictionary, entities: media).
					URL string `json:"url"`
				} `json:"media"`
			} `json:"attachment"`
		} `json:"message_data"`
	} `json:"message_create"`
}

// v2DMEvent is an item of GET /2/dm_events.
type v2DMEvent struct {
	ID               flexString `json:"id"`
	EventType        string     `json:"event_type"`
	Text             string     `json:"text"`
	SenderID         flexString `json:"sender_id"`
	DMConversationID string     `json:"dm_conversation_id"`
	CreatedAt        string     `json:"created_at"`
	Attachments      struct {
		MediaKeys []string `json:"media_keys"`
	} `json:"attachments"`
}

// accountSince reads an account's creation time in any of X's forms (RFC
// 3339, v1.1's, or epoch milliseconds); zero when absent or absurd.
func accountSince(s, millis string) time.Time {
	t := parseRFC3339(s)
	if t.IsZero() {
		t = parseV1Time(s)
	}
	if t.IsZero() {
		t = parseMillis(millis)
	}
	if t.Before(earliestPost) || t.After(time.Now().Add(24*time.Hour)) {
		return time.Time{}
	}
	return t.UTC()
}
