package web

import (
	"context"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// countRule is how a platform measures a reply and the most it takes, for
// the composer's counter (static/count.js), which counts as the agent types
// and holds back Send over the limit. The rules are those the channel's
// adapter declares (channel.Capabilities); its CheckReply has the last word
// on send.
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

// What the counter tells the agent to do with a reply over the limit, by
// what the adapter declares the platform allows.
const (
	orPrivate = "Shorten it, or reply in private."
	shorten   = "Shorten it."
	split     = "Shorten it, or split it into two replies."
)

// capabilities returns what the inbox's channel can do, as its adapter
// declares; with no adapters wired, Parley's own limits.
func (h *Handler) capabilities(in care.Inbox) channel.Capabilities {
	var reg *channel.Registry
	if h.Desk != nil {
		reg = h.Desk.Adapters
	}
	return reg.InboxCapabilities(in)
}

// convCapabilities returns what a conversation's channel can do for its
// inbox (a Mastodon instance may allow longer posts); if the inbox cannot
// be read, what the channel can do at large.
func (h *Handler) convCapabilities(ctx context.Context, c *care.Conversation) channel.Capabilities {
	in, err := h.Store.Inbox(ctx, c.InboxID)
	if err != nil || in.Channel != c.Channel {
		in = &care.Inbox{Channel: c.Channel}
	}
	return h.capabilities(*in)
}

// composerRules returns the composer's rules for a channel. A channel with
// one side (SMS's private messages, a review's public answer) counts its
// one rule whichever visibility the page would default to; a side with no
// rule gets Parley's own limit, and the adapter refuses it on send with
// its reason.
func composerRules(c channel.Capabilities) replyRules {
	pub, priv := c.PublicReply, c.PrivateReply
	var none channel.ReplyRule
	if !c.PublicAndPrivate {
		if pub == none {
			pub = priv
		}
		if priv == none {
			priv = pub
		}
	}
	return replyRules{Public: countRuleOf(pub), Private: countRuleOf(priv)}
}

// countRuleOf is an adapter's rule as the counter takes it. Parley's own
// limit is counted quietly: no reply comes close to it.
func countRuleOf(r channel.ReplyRule) countRule {
	if r == (channel.ReplyRule{}) {
		r = channel.ParleyRule
	}
	hint := shorten
	switch r.Overflow {
	case channel.OverflowSplit:
		hint = split
	case channel.OverflowPrivate:
		hint = orPrivate
	}
	return countRule{Unit: string(r.Unit), Limit: r.Limit, Bytes: r.Bytes, Hint: hint, Quiet: r == channel.ParleyRule}
}

// ruleFor returns the rule of a reply of the given visibility.
func (r replyRules) ruleFor(v care.Visibility) countRule {
	if v == care.Public {
		return r.Public
	}
	return r.Private
}
