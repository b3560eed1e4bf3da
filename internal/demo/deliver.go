package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
	"github.com/parleyhq/parley/internal/channel/bluesky/bskyfake"
	"github.com/parleyhq/parley/internal/channel/mastodon/mastofake"
	"github.com/parleyhq/parley/internal/channel/meta/metafake"
	"github.com/parleyhq/parley/internal/channel/sms/twiliofake"
	"github.com/parleyhq/parley/internal/channel/telegram"
	"github.com/parleyhq/parley/internal/channel/telegram/tgfake"
	"github.com/parleyhq/parley/internal/channel/whatsapp/wafake"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

// message is one thing a customer writes.
type message struct {
	who  *customer
	text string
	// replyTo is the platform id of what the message answers: the brand's
	// reply in a thread, a comment, a message swiped to; "" for none.
	replyTo string
	// private sends a commenter's message by Messenger or DM rather than
	// as another comment: how they answer a private reply.
	private bool
	// engagement is the likes and reposts an X post has by the time X
	// delivers it.
	engagement int64
	// stars rate a Google review, or the review as its author edits it.
	stars int
	// subject is a blog post's title; an email's is its first sentence,
	// or the thread's.
	subject  string
	followUp bool
	// takePrivate marks a public complaint the agent is to take private.
	takePrivate bool
}

// answering is the platform id, as Parley stores it, of what a message
// answers where the platform says so, for the samples: the reply an email
// answers (In-Reply-To), the comment a WordPress comment is under.
func (m message) answering() string {
	switch m.who.kind {
	case emailMessage, wpComment:
		return m.replyTo
	}
	return ""
}

// deliver has the platform's fake send the customer's message to Parley,
// signed as the platform signs it, and returns where Parley will file it.
// An error means the message was not acknowledged.
func (p *platforms) deliver(ctx context.Context, c *cast, m message) (Sample, error) {
	who := m.who
	s := Sample{Channel: string(who.kind.channel()), InboxID: p.inbox(who.kind.channel()), Customer: who.key, AuthorID: who.id,
		ReplyTo: m.answering()}
	var err error
	switch k := who.kind; {
	case k == xMention && !m.private:
		s.PlatformID, err = p.xPost(who, m)
		if err == nil {
			c.setAnchor(who, s.PlatformID)
		}
	case k == xMention || k == xDM:
		s.PlatformID, err = p.xDM(who, m)
	case k == fbComment && m.private:
		s.AuthorID = who.psid
		s.PlatformID, err = p.metaMessage(ctx, pageID, p.fbHook, who.psid, m)
	case k == fbMessage:
		s.PlatformID, err = p.metaMessage(ctx, pageID, p.fbHook, who.id, m)
	case k == fbComment:
		s.PlatformID, err = p.metaComment(ctx, pageID, p.fbHook, who, m)
		if err == nil {
			c.fileComment(care.ChannelFacebook, s.PlatformID, who)
		}
	case k == igDM || k == igComment && m.private:
		s.PlatformID, err = p.metaMessage(ctx, igAccountID, p.igHook, who.id, m)
	case k == igComment:
		s.PlatformID, err = p.metaComment(ctx, igAccountID, p.igHook, who, m)
		if err == nil {
			c.fileComment(care.ChannelInstagram, s.PlatformID, who)
		}
	case k == waMessage:
		s.PlatformID, err = p.wa.Deliver(ctx, wafake.Message{From: who.phone, UserID: who.id, Name: who.name, Text: m.text, ReplyTo: m.replyTo})
	case k == smsMessage:
		s.PlatformID, err = p.sms.Deliver(ctx, twiliofake.Message{From: who.id, Body: m.text})
	case k == tgMessage:
		s.PlatformID, err = p.tgMessage(ctx, who, m)
	case k == webForm:
		s.PlatformID, err = p.webMessage(ctx, who, m)
	case k == phoneCall:
		s.PlatformID, err = p.phone.Report(ctx, callOf(who, m))
	case k == webChat:
		s.PlatformID, s.AuthorID, err = p.chat.say(ctx, c, who, m.text)
	case k == emailMessage:
		// Parley's first poll of a mailbox reads the last day's mail:
		// nothing to wait for.
		s.PlatformID, err = p.mail.write(who, m)
	case k.polled(): // Bluesky, Mastodon, YouTube, Google reviews, Reddit, Foursquare, blogs, WordPress
		if err = p.look(ctx, s.InboxID); err == nil {
			s, err = p.deliverPolled(c, s, m)
		}
	default:
		err = fmt.Errorf("demo: no way to deliver a %s", k)
	}
	return s, err
}

func (p *platforms) xPost(who *customer, m message) (string, error) {
	text := m.text
	if !strings.Contains(strings.ToLower(text), "@"+brandHandle) {
		text = "@" + brandHandle + " " + text
	}
	post := p.x.AddPost(xfake.Post{AuthorID: who.id, Text: text, InReplyTo: m.replyTo})
	ev, err := p.x.PostEvent(xfake.XAA, brandXID, post.ID)
	if err != nil {
		return "", err
	}
	if m.engagement > 0 {
		if ev, err = withEngagement(ev, m.engagement); err != nil {
			return "", err
		}
	}
	return post.ID, xAnswer(p.x.Deliver(p.xHook, ev))
}

func (p *platforms) xDM(who *customer, m message) (string, error) {
	dm := p.x.AddDM(xfake.DM{SenderID: who.id, RecipientID: brandXID, Text: m.text})
	ev, err := p.x.DMEvent(xfake.XAA, brandXID, dm.ID)
	if err != nil {
		return "", err
	}
	return dm.ID, xAnswer(p.x.Deliver(p.xHook, ev))
}

func xAnswer(code int, err error) error {
	if err == nil && code != http.StatusOK {
		err = fmt.Errorf("demo: X delivery answered %d", code)
	}
	return err
}

// withEngagement adds a post's public metrics to an X Activity API
// delivery, as X includes them: the fake's posts have none of their own.
// Numbers are kept as written, since ids do not fit a float64.
func withEngagement(event []byte, n int64) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(event))
	dec.UseNumber()
	var ev map[string]any
	if err := dec.Decode(&ev); err != nil {
		return nil, fmt.Errorf("demo: add engagement: %w", err)
	}
	data, _ := ev["data"].(map[string]any)
	post, _ := data["payload"].(map[string]any)
	if post == nil {
		return nil, fmt.Errorf("demo: add engagement: no post in the delivery")
	}
	post["public_metrics"] = map[string]int64{"like_count": n, "retweet_count": n / 4, "reply_count": n / 10, "quote_count": n / 20}
	return json.Marshal(ev)
}

func (p *platforms) metaMessage(ctx context.Context, account, hook, from string, m message) (string, error) {
	mid, d := p.meta.Message(metafake.Message{Account: account, From: from, Text: m.text, ReplyTo: m.replyTo})
	return mid, metaAnswer(p.meta.Deliver(ctx, hook, d))
}

func (p *platforms) metaComment(ctx context.Context, account, hook string, who *customer, m message) (string, error) {
	c := metafake.Comment{Account: account, From: who.id, Name: who.name, PSID: who.psid, Parent: m.replyTo, Text: m.text}
	if account == igAccountID {
		c.Name, c.Post = who.handle, strconv.Itoa(igMediaBase+who.post)
	} else {
		c.Post = pageID + "_" + strconv.Itoa(pagePostBase+who.post)
	}
	id, d := p.meta.Comment(c)
	return id, metaAnswer(p.meta.Deliver(ctx, hook, d))
}

func metaAnswer(code int, err error) error {
	if err == nil && code != http.StatusOK {
		err = fmt.Errorf("demo: Meta delivery answered %d", code)
	}
	return err
}

func (p *platforms) tgMessage(ctx context.Context, who *customer, m message) (string, error) {
	first, last, _ := strings.Cut(who.name, " ")
	tm := tgfake.Message{From: tgfake.User{ID: who.num, FirstName: first, LastName: last, Username: who.handle}, Text: m.text}
	if m.replyTo != "" {
		if _, msg, ok := telegram.ParseMessageID(m.replyTo); ok {
			tm.ReplyTo = msg
		}
	}
	id, err := p.tg.Deliver(ctx, tm)
	if err != nil {
		return "", err
	}
	return telegram.MessageID(who.num, id), nil
}

func (p *platforms) webMessage(ctx context.Context, who *customer, m message) (string, error) {
	id := "wf-" + strconv.FormatInt(p.webN.Add(1), 10)
	msg := apiinbox.Message{ID: id, ReplyToID: m.replyTo, Author: apiinbox.Author{ID: who.id, Name: who.name}, Text: m.text}
	err := p.webAPI.call(ctx, "POST", "/api/v1/inboxes/"+strconv.FormatInt(p.webInbox, 10)+"/messages", msg, nil, http.StatusAccepted)
	return id, err
}

// xUser is a customer's X account as X describes it.
func xUser(c *customer) xfake.User {
	return xfake.User{ID: c.id, Username: c.handle, Name: c.name, Followers: c.followers, Verified: c.verified, OpenDMs: true}
}

// bskyAccount is a customer's Bluesky account.
func bskyAccount(c *customer) bskyfake.Account {
	return bskyfake.Account{DID: c.id, Handle: c.handle + ".bsky.social", DisplayName: c.name, Followers: c.followers}
}

// mastoAccount is a customer's account on the fake Mastodon instance.
func mastoAccount(c *customer) mastofake.Account {
	return mastofake.Account{ID: strconv.FormatInt(c.num, 10), Username: c.handle, DisplayName: c.name, Followers: c.followers}
}
