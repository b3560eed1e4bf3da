package x

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// The X Activity API (x-api/activity on docs.x.com, the Account Activity
// API's successor) posts one event per delivery in a common envelope
// (x-api/activity/event-payloads):
//
//	{"data": {"event_uuid": "…", "filter": {"user_id": "…"}, "event_type": "post.mention.create",
//	          "tag": "…", "payload": {…}, "includes": {…}}}
//
// filter.user_id is the subscribed account; tag and includes are optional.
// Parley reads the post events (post.mention.create: an explicit @mention
// of the account, not the implicit one of a reply; post.reply.create: a
// direct reply to one of its posts; post.quote.create: a direct quote of
// one; each a v2 Post that summons the account; post.create: the account's
// own post, an echo when it replies to someone; post.delete: the account
// deleted one of its own posts), and dm.received and dm.sent, whose payload
// is the legacy direct_message_events list with a users map of
// {"data": v2 user}. It skips, on purpose: post.repost.create (a repost
// says nothing), like.create, follow.*, mute.*, block.*, profile.update.*,
// chat.* (XChat, end-to-end encrypted, unreadable here), dm.read and
// dm.indicate_typing, spaces.*, broadcast.* (a live broadcast's chat is not
// a care conversation), news.new, subscriptions.* and oauth.revoke (whose
// filter may be empty; logged as a warning, since the inbox then stops),
// and any event type it does not know, so that a new one never makes X
// retry a delivery; each with a log line. Event names are matched
// case-insensitively; the PascalCase names X used before 18 March 2026
// named none of these events.
type xaaEnvelope struct {
	Data *struct {
		Filter struct {
			UserID flexString `json:"user_id"`
		} `json:"filter"`
		EventType string          `json:"event_type"`
		Payload   json.RawMessage `json:"payload"`
		Includes  json.RawMessage `json:"includes"`
	} `json:"data"`
}

func (a *Adapter) parseXAA(body []byte, now time.Time) ([]channel.Event, error) {
	var env xaaEnvelope
	if err := json.Unmarshal(body, &env); err != nil || env.Data == nil {
		return nil, care.Errorf(care.EINVALID, "The X Activity delivery is not understood: %s.", jsonProblem(err))
	}
	d := env.Data
	account := string(d.Filter.UserID)
	switch typ := strings.ToLower(d.EventType); typ {
	case "post.mention.create", "post.reply.create", "post.quote.create", "post.create":
		var p v2Post
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return nil, care.Errorf(care.EINVALID, "The %s payload is not a post: %s.", typ, jsonProblem(err))
		}
		var inc v2Includes
		if isObject(d.Includes) {
			if err := json.Unmarshal(d.Includes, &inc); err != nil {
				a.logger().Warn("x: includes not understood; using the post alone", "event", typ, "err", err)
			}
		}
		in, ok := v2PostInbound(account, &p, &inc, now)
		if !ok {
			return nil, nil
		}
		// X bills every post event it delivers (x-api/activity/event-pricing).
		in.Charge = ChargePostDelivered
		return a.one(account, in, body), nil
	case "post.delete":
		var p struct {
			ID       flexString `json:"id"`
			AuthorID flexString `json:"author_id"`
		}
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return nil, care.Errorf(care.EINVALID, "The post.delete payload is not understood: %s.", jsonProblem(err))
		}
		in := care.Inbound{Kind: care.KindDelete, PlatformID: string(p.ID), Visibility: care.Public,
			Author: care.Author{PlatformUserID: string(p.AuthorID)}, SentAt: now.UTC()}
		return a.one(account, in, body), nil
	case "dm.received", "dm.sent":
		var p struct {
			Events []json.RawMessage          `json:"direct_message_events"`
			Users  map[string]json.RawMessage `json:"users"`
		}
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return nil, care.Errorf(care.EINVALID, "The %s payload is not understood: %s.", typ, jsonProblem(err))
		}
		us := users{}
		for _, raw := range p.Users {
			var u wireUser
			if json.Unmarshal(raw, &u) == nil {
				us.add(u)
			}
		}
		var evs []channel.Event
		for _, raw := range p.Events {
			var dm legacyDM
			if err := json.Unmarshal(raw, &dm); err != nil {
				a.logger().Warn("x: DM event not understood; skipped", "event", typ, "err", err)
				continue
			}
			in, ok := legacyDMInbound(account, &dm, us, now)
			if !ok {
				continue
			}
			if typ == "dm.received" {
				// dm.sent is not billed; dm.received is.
				in.Charge = ChargeDMDelivered
			}
			raw := body
			if len(p.Events) > 1 {
				raw = xaaDMEnvelope(account, d.EventType, raw, p.Users, &dm)
			}
			if ev, ok := a.finish(account, in, raw); ok {
				evs = append(evs, ev)
			}
		}
		return evs, nil
	case "oauth.revoke":
		var p struct {
			DateTime string     `json:"date_time"`
			UserID   flexString `json:"user_id"`
			AppID    flexString `json:"app_id"`
		}
		_ = json.Unmarshal(d.Payload, &p)
		a.logger().Warn("x: the account revoked the app's access; its inbox receives and sends nothing until it is connected again",
			"user", channel.Cut(string(p.UserID), 24), "app", channel.Cut(string(p.AppID), 24), "at", channel.Cut(p.DateTime, 40))
		return nil, nil
	}
	a.logger().Debug("x: X Activity event skipped: not a message", "event", channel.Cut(d.EventType, 64))
	return nil, nil
}

func (a *Adapter) one(account string, in care.Inbound, raw []byte) []channel.Event {
	if ev, ok := a.finish(account, in, raw); ok {
		return []channel.Event{ev}
	}
	return nil
}

// xaaDMEnvelope rebuilds a delivery holding one DM event of several, so that
// each stored event's raw payload stands on its own.
func xaaDMEnvelope(account, eventType string, raw json.RawMessage, us map[string]json.RawMessage, dm *legacyDM) []byte {
	type payload struct {
		Events []json.RawMessage          `json:"direct_message_events"`
		Users  map[string]json.RawMessage `json:"users,omitempty"`
	}
	var env struct {
		Data struct {
			Filter struct {
				UserID string `json:"user_id"`
			} `json:"filter"`
			EventType string  `json:"event_type"`
			Payload   payload `json:"payload"`
		} `json:"data"`
	}
	env.Data.Filter.UserID = account
	env.Data.EventType = eventType
	env.Data.Payload = payload{[]json.RawMessage{raw}, pick(us, string(dm.MessageCreate.SenderID), string(dm.MessageCreate.Target.RecipientID))}
	b, _ := json.Marshal(env)
	return b
}

// v2PostInbound maps a v2 Post delivered for account (the X Activity API's
// post events and the mentions timeline alike). A customer's post is a
// public message; the account's own reply to someone an echo filed under
// that person; its other posts are skipped.
func v2PostInbound(account string, p *v2Post, inc *v2Includes, now time.Time) (care.Inbound, bool) {
	if p.isRepost() {
		// A repost says nothing of its own, and its "RT @…" text mentions
		// the account whose post it repeats.
		return care.Inbound{}, false
	}
	us := users{}
	for _, u := range inc.Users {
		us.add(u)
	}
	text := p.Text
	if p.NoteTweet != nil && p.NoteTweet.Text != "" {
		text = p.NoteTweet.Text
	}
	in := care.Inbound{
		Kind: care.KindMessage, PlatformID: string(p.ID), ReplyToPlatformID: p.repliedTo(), Visibility: care.Public,
		Author: userOr(us, string(p.AuthorID)).author(), Text: unescapePost.Replace(text),
		SentAt:     sentAt(now, parseRFC3339(p.CreatedAt)),
		Engagement: p.engagement(),
		References: p.editedFrom(),
	}
	media := map[string]v2Media{}
	for _, m := range inc.Media {
		media[m.MediaKey] = m
	}
	for _, k := range p.Attachments.MediaKeys {
		m, ok := media[k]
		if !ok {
			continue
		}
		if att, ok := attachment(m.Type, firstNonEmpty(m.URL, m.PreviewImageURL)); ok {
			in.Attachments = append(in.Attachments, att)
		}
	}
	if account != "" && string(p.AuthorID) == account {
		to := string(p.InReplyToUserID)
		if to == "" && p.repliedTo() != "" {
			// post.create promises in_reply_to_tweet_id on replies, not
			// the user id; the post answered may be among the includes.
			to = inc.author(p.repliedTo())
		}
		if to == "" || to == account {
			return care.Inbound{}, false
		}
		target := userOr(us, to)
		if target.Handle == "" {
			for _, m := range p.Entities.Mentions {
				if string(m.ID) == to {
					target.Handle = m.Username
				}
			}
		}
		in.Kind, in.Author = care.KindEcho, target.author()
	}
	return in, true
}

// author returns the author of the included post with the id, "" if it is
// not included.
func (inc *v2Includes) author(id string) string {
	for _, raw := range inc.Posts {
		var p struct {
			ID       flexString `json:"id"`
			AuthorID flexString `json:"author_id"`
		}
		if json.Unmarshal(raw, &p) == nil && string(p.ID) == id {
			return string(p.AuthorID)
		}
	}
	return ""
}

func isObject(b json.RawMessage) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}
