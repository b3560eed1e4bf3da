package x

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// The Account Activity API (x-api/account-activity on docs.x.com; deprecated
// in favour of the X Activity API but still delivering) posts one JSON object
// per delivery: for_user_id, the subscribed account, and one array of
// events. Parley reads tweet_create_events (v1.1 Tweets: mentions, replies,
// quotes, and the account's own posts; a post over 280 characters comes
// with text cut and truncated true, its whole text in
// extended_tweet.full_text), direct_message_events (with a users map for
// names), direct_message_mark_read_events (a customer read the account's
// DMs up to last_read_event_id: that DM's status becomes read) and
// tweet_delete_events (the account's own deleted posts). A user_event
// revoke (the account withdrew the app's access) is logged as a warning:
// nothing more arrives or can be sent until the account is connected
// again. It skips, on purpose and with a debug log line, retweets,
// favorite_events, follow_events, block_events, mute_events (and their
// un- forms), direct_message_indicate_typing_events and the
// replay_job_status notice of a replay: none is a message for an agent.
// Ids are read from the *_str fields: the numeric ones lose digits in
// JavaScript and are rounded in X's own examples.
type aaaDelivery struct {
	ForUserID flexString `json:"for_user_id"`
	// UserHasBlocked accompanies a mention: true when the account has
	// blocked its author. The documentation's example writes it as a
	// string ("false"), and its field table names it is_blocked_by
	// (x-api/account-activity/introduction); either is read, in either
	// form.
	UserHasBlocked      flexBool                   `json:"user_has_blocked"`
	IsBlockedBy         flexBool                   `json:"is_blocked_by"`
	TweetCreateEvents   []json.RawMessage          `json:"tweet_create_events"`
	DirectMessageEvents []json.RawMessage          `json:"direct_message_events"`
	Users               map[string]json.RawMessage `json:"users"`
	TweetDeleteEvents   []json.RawMessage          `json:"tweet_delete_events"`
	MarkReadEvents      []json.RawMessage          `json:"direct_message_mark_read_events"`
	UserEvent           *struct {
		Revoke *struct {
			DateTime string `json:"date_time"`
			Target   struct {
				AppID flexString `json:"app_id"`
			} `json:"target"`
			Source struct {
				UserID flexString `json:"user_id"`
			} `json:"source"`
		} `json:"revoke"`
	} `json:"user_event"`
}

// aaaSkipped are the Account Activity event arrays Parley does not read.
var aaaSkipped = []string{"favorite_events", "follow_events", "unfollow_events", "block_events", "unblock_events",
	"mute_events", "unmute_events", "direct_message_indicate_typing_events", "replay_job_status"}

// aaaKeys are the top-level keys that mark an Account Activity delivery.
var aaaKeys = []string{"for_user_id", "tweet_create_events", "favorite_events", "follow_events", "unfollow_events",
	"block_events", "unblock_events", "mute_events", "unmute_events", "user_event", "direct_message_events",
	"direct_message_indicate_typing_events", "direct_message_mark_read_events", "tweet_delete_events", "replay_job_status"}

func (a *Adapter) parseAAA(body []byte, now time.Time) ([]channel.Event, error) {
	var d aaaDelivery
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, care.Errorf(care.EINVALID, "The Account Activity delivery is not understood: %s.", jsonProblem(err))
	}
	account := string(d.ForUserID)
	blocked := bool(d.UserHasBlocked || d.IsBlockedBy)
	a.logSkipped(body)
	if d.UserEvent != nil && d.UserEvent.Revoke != nil {
		r := d.UserEvent.Revoke
		a.logger().Warn("x: the account revoked the app's access; its inbox receives and sends nothing until it is connected again",
			"user", channel.Cut(string(r.Source.UserID), 24), "app", channel.Cut(string(r.Target.AppID), 24),
			"at", channel.Cut(r.DateTime, 40))
	}
	var evs []channel.Event
	for _, raw := range d.TweetCreateEvents {
		var t v1Tweet
		if err := json.Unmarshal(raw, &t); err != nil {
			a.logger().Warn("x: tweet_create_event not understood; skipped", "err", err)
			continue
		}
		in, ok := a.aaaTweet(account, blocked, &t, now)
		if !ok {
			continue
		}
		envelope, _ := json.Marshal(struct {
			ForUserID         string            `json:"for_user_id"`
			UserHasBlocked    bool              `json:"user_has_blocked,omitempty"`
			TweetCreateEvents []json.RawMessage `json:"tweet_create_events"`
		}{account, blocked, []json.RawMessage{raw}})
		if ev, ok := a.finish(account, in, envelope); ok {
			evs = append(evs, ev)
		}
	}
	if len(d.DirectMessageEvents) > 0 {
		us := users{}
		for _, raw := range d.Users {
			var u wireUser
			if json.Unmarshal(raw, &u) == nil {
				us.add(u)
			}
		}
		for _, raw := range d.DirectMessageEvents {
			var dm legacyDM
			if err := json.Unmarshal(raw, &dm); err != nil {
				a.logger().Warn("x: direct_message_event not understood; skipped", "err", err)
				continue
			}
			in, ok := legacyDMInbound(account, &dm, us, now)
			if !ok {
				continue
			}
			envelope, _ := json.Marshal(struct {
				ForUserID           string                     `json:"for_user_id"`
				DirectMessageEvents []json.RawMessage          `json:"direct_message_events"`
				Users               map[string]json.RawMessage `json:"users,omitempty"`
			}{account, []json.RawMessage{raw}, pick(d.Users, string(dm.MessageCreate.SenderID), string(dm.MessageCreate.Target.RecipientID))})
			if ev, ok := a.finish(account, in, envelope); ok {
				evs = append(evs, ev)
			}
		}
	}
	for _, raw := range d.TweetDeleteEvents {
		var del struct {
			Status struct {
				ID     flexString `json:"id"`
				UserID flexString `json:"user_id"`
			} `json:"status"`
			TimestampMS flexString `json:"timestamp_ms"`
		}
		if err := json.Unmarshal(raw, &del); err != nil {
			a.logger().Warn("x: tweet_delete_event not understood; skipped", "err", err)
			continue
		}
		in := care.Inbound{Kind: care.KindDelete, PlatformID: string(del.Status.ID), Visibility: care.Public,
			Author: care.Author{PlatformUserID: string(del.Status.UserID)}, SentAt: sentAt(now, parseMillis(string(del.TimestampMS)))}
		envelope, _ := json.Marshal(struct {
			ForUserID         string            `json:"for_user_id"`
			TweetDeleteEvents []json.RawMessage `json:"tweet_delete_events"`
		}{account, []json.RawMessage{raw}})
		if ev, ok := a.finish(account, in, envelope); ok {
			evs = append(evs, ev)
		}
	}
	for _, raw := range d.MarkReadEvents {
		in, ok := markRead(account, raw, now)
		if !ok {
			continue
		}
		envelope, _ := json.Marshal(struct {
			ForUserID      string            `json:"for_user_id"`
			MarkReadEvents []json.RawMessage `json:"direct_message_mark_read_events"`
		}{account, []json.RawMessage{raw}})
		if ev, ok := a.finish(account, in, envelope); ok {
			evs = append(evs, ev)
		}
	}
	return evs, nil
}

// markRead maps a direct_message_mark_read_events item: sender_id read the
// conversation with target.recipient_id up to last_read_event_id
// (x-api/account-activity, "direct_message_mark_read_events"). When a
// customer reads, the account's DMs up to that event become read
// (care.Inbound.ReadUpTo: DM event ids are snowflakes, which grow with
// time), also when it is the customer's own DM, read after ours; ok is
// false when the account itself read, for a conversation without the
// account, or when the item is not understood.
func markRead(account string, raw json.RawMessage, now time.Time) (care.Inbound, bool) {
	var e struct {
		CreatedTimestamp flexString `json:"created_timestamp"`
		SenderID         flexString `json:"sender_id"`
		Target           struct {
			RecipientID flexString `json:"recipient_id"`
		} `json:"target"`
		LastReadEventID flexString `json:"last_read_event_id"`
	}
	if json.Unmarshal(raw, &e) != nil || e.LastReadEventID == "" || string(e.SenderID) == account ||
		account != "" && string(e.Target.RecipientID) != account {
		return care.Inbound{}, false
	}
	return care.Inbound{Kind: care.KindStatus, PlatformID: string(e.LastReadEventID), Status: care.DeliveryRead, ReadUpTo: true,
		SentAt: sentAt(now, parseMillis(string(e.CreatedTimestamp)))}, true
}

// logSkipped notes, at debug level, the event arrays of a delivery that
// Parley skips on purpose, so that a missing like or follow is explained.
func (a *Adapter) logSkipped(body []byte) {
	if !a.logger().Enabled(context.Background(), slog.LevelDebug) {
		return // not worth decoding the delivery again
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return
	}
	var kinds []string
	for _, k := range aaaSkipped {
		if _, ok := top[k]; ok {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) > 0 {
		a.logger().Debug("x: Account Activity events skipped: not messages", "kinds", strings.Join(kinds, ","))
	}
}

// aaaTweet maps a v1.1 Tweet delivered for account. A customer's post is a
// public message; the account's own reply to someone is an echo, filed
// under the person it answers; the account's other posts, retweets, and
// mentions by users the account has blocked are skipped.
func (a *Adapter) aaaTweet(account string, blocked bool, t *v1Tweet, now time.Time) (care.Inbound, bool) {
	if len(t.RetweetedStatus) > 0 && string(t.RetweetedStatus) != "null" {
		a.logger().Debug("x: retweet skipped: it says nothing of its own", "id", channel.Cut(t.IDStr, 24))
		return care.Inbound{}, false
	}
	author := t.User.profile()
	text, entities := t.Text, &t.Entities
	if t.ExtendedTweet != nil && t.ExtendedTweet.FullText != "" {
		text, entities = t.ExtendedTweet.FullText, &t.ExtendedTweet.Entities
	} else if t.FullText != "" {
		text = t.FullText
	}
	in := care.Inbound{
		Kind: care.KindMessage, PlatformID: firstNonEmpty(t.IDStr, string(t.ID)), ReplyToPlatformID: t.InReplyToStatusID,
		Visibility: care.Public, Author: author.author(), Text: unescapePost.Replace(text),
		SentAt:     sentAt(now, parseMillis(string(t.TimestampMS)), parseV1Time(t.CreatedAt)),
		Engagement: t.engagement(),
	}
	media := t.ExtendedEntities.Media
	if t.ExtendedTweet != nil && len(t.ExtendedTweet.ExtendedEntities.Media) > 0 {
		media = t.ExtendedTweet.ExtendedEntities.Media
	}
	for _, m := range media {
		if att, ok := attachment(m.Type, m.MediaURLHTTPS); ok {
			in.Attachments = append(in.Attachments, att)
		}
	}
	switch {
	case author.ID == account && account != "":
		if t.InReplyToUserID == "" || t.InReplyToUserID == account {
			return care.Inbound{}, false // a post or thread of the brand's own
		}
		p := profile{ID: t.InReplyToUserID, Handle: t.InReplyToScreenName}
		for _, m := range entities.UserMentions {
			if m.IDStr == p.ID {
				p.Name = m.Name
			}
		}
		in.Kind, in.Author = care.KindEcho, p.author()
	case blocked:
		a.logger().Info("x: mention by a user the account blocked; skipped", "id", in.PlatformID)
		return care.Inbound{}, false
	}
	return in, true
}

// legacyDMInbound maps a message_create DM event for account: from a
// customer, a private message; from the account itself (sent in X's own
// apps, or by Parley and echoed back), an echo filed under the recipient.
func legacyDMInbound(account string, dm *legacyDM, us users, now time.Time) (care.Inbound, bool) {
	if dm.Type != "" && dm.Type != "message_create" {
		return care.Inbound{}, false
	}
	mc := &dm.MessageCreate
	sender, recipient := string(mc.SenderID), string(mc.Target.RecipientID)
	in := care.Inbound{Kind: care.KindMessage, PlatformID: string(dm.ID), Visibility: care.Private,
		Text: mc.MessageData.Text, SentAt: sentAt(now, parseMillis(string(dm.CreatedTimestamp)))}
	switch {
	case account != "" && sender == account:
		in.Kind, in.Author = care.KindEcho, userOr(us, recipient).author()
	case account == "" || recipient == account:
		in.Author = userOr(us, sender).author()
	default:
		return care.Inbound{}, false // not a conversation of this account
	}
	if at := mc.MessageData.Attachment; at != nil && at.Type == "media" {
		if att, ok := attachment(at.Media.Type, at.Media.MediaURLHTTPS); ok {
			in.Attachments = append(in.Attachments, att)
			// The t.co link to the file leads to X's DM page, which
			// only the account opens; the attachment stands for it.
			if tco := at.Media.URL; tco != "" {
				if rest, ok := strings.CutSuffix(strings.TrimRight(in.Text, " "), tco); ok {
					in.Text = strings.TrimRight(rest, " \n")
				}
			}
		}
	}
	return in, true
}

// userOr returns the profile of id, or one that knows only the id.
func userOr(us users, id string) profile {
	if p, ok := us[id]; ok {
		return p
	}
	return profile{ID: id}
}

// pick returns the entries of m with the given keys, nil if none.
func pick(m map[string]json.RawMessage, keys ...string) map[string]json.RawMessage {
	var out map[string]json.RawMessage
	for _, k := range keys {
		if v, ok := m[k]; ok {
			if out == nil {
				out = map[string]json.RawMessage{}
			}
			out[k] = v
		}
	}
	return out
}
