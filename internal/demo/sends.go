package demo

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/bluesky/bskyfake"
	"github.com/parleyhq/parley/internal/channel/telegram"
	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

// sent is something Parley sent that a fake recorded: an agent's reply or
// a survey, with the customer it reached and how they would answer it.
type sent struct {
	sample Sample
	who    *customer // nil when the recipient is no demo customer
	// replyTo is what the customer's answer threads under; private says
	// the answer goes by DM or Messenger even from a commenter.
	replyTo string
	private bool
	survey  bool
}

// sendCursor is how far each fake's records have been read.
type sendCursor struct {
	xCalls, xPosts, xDMs     int
	meta, wa, sms, tg, webfm int
	bskyCalls, bskyPosts     int
	bskyDMs, masto           int
	yt, gbp, reddit          int
	chat, wp                 int
}

// sends returns what the fakes recorded since the last call. It is called
// from one goroutine.
func (p *platforms) sends(c *cast) []sent {
	var out []sent
	add := func(ch care.Channel, id, recipient string, who *customer, replyTo string, private bool, text string) {
		out = append(out, sent{sample: Sample{Channel: string(ch), InboxID: p.inbox(ch), PlatformID: id, AuthorID: recipient, Customer: keyOf(who)},
			who: who, replyTo: replyTo, private: private, survey: isSurvey(text)})
	}
	cur := &p.seen

	// Reading X's posts means copying all of them, customers' included; its
	// call counters say cheaply whether the brand wrote anything new.
	if calls := p.x.Calls(xfake.CreatePost) + p.x.Calls(xfake.SendDM); calls != cur.xCalls {
		cur.xCalls = calls
		posts := p.x.Posts()
		for _, post := range posts[min(cur.xPosts, len(posts)):] {
			if post.AuthorID != brandXID || post.InReplyTo == "" {
				continue
			}
			if target, ok := p.x.Post(post.InReplyTo); ok {
				add(care.ChannelX, post.ID, target.AuthorID, c.find(care.ChannelX, target.AuthorID), post.ID, false, post.Text)
			}
		}
		cur.xPosts = len(posts)
		dms := p.x.DMs()
		for _, dm := range dms[min(cur.xDMs, len(dms)):] {
			if dm.SenderID == brandXID {
				add(care.ChannelX, dm.ID, dm.RecipientID, c.find(care.ChannelX, dm.RecipientID), "", true, dm.Text)
			}
		}
		cur.xDMs = len(dms)
	}

	ms := p.meta.Sent()
	for _, s := range ms[min(cur.meta, len(ms)):] {
		ch := care.ChannelFacebook
		if s.Account == igAccountID {
			ch = care.ChannelInstagram
		}
		switch {
		case s.Customer != "": // a message, or a private reply to a comment
			add(ch, s.ID, s.Customer, c.find(ch, s.Customer), s.ID, true, s.Text)
		case s.CommentID != "": // a public reply under a comment
			who := c.find(ch, "comment:"+s.CommentID)
			add(ch, s.ID, idOf(who), who, s.CommentID, false, s.Text)
		}
	}
	cur.meta = len(ms)

	was := p.wa.Sent()
	for _, s := range was[min(cur.wa, len(was)):] {
		who := c.find(care.ChannelWhatsApp, s.Recipient)
		if who == nil {
			who = c.find(care.ChannelWhatsApp, s.To)
		}
		add(care.ChannelWhatsApp, s.ID, idOf(who), who, s.ID, true, s.Text)
	}
	cur.wa = len(was)

	ss := p.sms.Sent()
	for _, s := range ss[min(cur.sms, len(ss)):] {
		add(care.ChannelSMS, s.SID, s.To, c.find(care.ChannelSMS, s.To), "", true, s.Body)
	}
	cur.sms = len(ss)

	ts := p.tg.Sent()
	for _, s := range ts[min(cur.tg, len(ts)):] {
		id := telegram.MessageID(s.ChatID, s.MessageID)
		chat := strconv.FormatInt(s.ChatID, 10)
		add(care.ChannelTelegram, id, chat, c.find(care.ChannelTelegram, chat), id, true, s.Text)
	}
	cur.tg = len(ts)

	if calls := p.bsky.Calls(bskyfake.CreateRecord) + p.bsky.Calls(bskyfake.SendMessage); calls != cur.bskyCalls {
		cur.bskyCalls = calls
		posts := p.bsky.Posts()
		for _, post := range posts[min(cur.bskyPosts, len(posts)):] {
			if post.Author != bskyBrandDID || post.Parent.URI == "" {
				continue
			}
			if parent, ok := p.bsky.Post(post.Parent.URI); ok {
				add(care.ChannelBluesky, post.URI, parent.Author, c.find(care.ChannelBluesky, parent.Author), post.URI, false, post.Text)
			}
		}
		cur.bskyPosts = len(posts)
		dms := p.bsky.Messages()
		for _, dm := range dms[min(cur.bskyDMs, len(dms)):] {
			if dm.Sender == bskyBrandDID {
				who := c.find(care.ChannelBluesky, "convo:"+dm.ConvoID)
				add(care.ChannelBluesky, dm.ConvoID+":"+dm.ID, idOf(who), who, "", true, dm.Text)
			}
		}
		cur.bskyDMs = len(dms)
	}

	ps := p.masto.Posted()
	for _, s := range ps[min(cur.masto, len(ps)):] {
		who := c.find(care.ChannelMastodon, "status:"+s.InReplyToID)
		add(care.ChannelMastodon, s.ID, idOf(who), who, s.ID, s.Visibility == "direct", s.Status)
	}
	cur.masto = len(ps)

	ys := p.yt.Replies()
	for _, s := range ys[min(cur.yt, len(ys)):] {
		// YouTube threads every reply under the top-level comment.
		who := c.find(care.ChannelYouTube, "comment:"+s.ParentID)
		add(care.ChannelYouTube, s.ID, idOf(who), who, s.ID, false, s.Text)
	}
	cur.yt = len(ys)

	gs := p.gbp.Calls()
	for _, call := range gs[min(cur.gbp, len(gs)):] {
		if call.Method != http.MethodPut || call.Status != http.StatusOK {
			continue
		}
		// The customer answers by editing their review.
		who := c.find(care.ChannelReviews, "comment:"+call.Review)
		add(care.ChannelReviews, reviewReplyID(call.Review, call.Comment), idOf(who), who, call.Review, false, call.Comment)
	}
	cur.gbp = len(gs)

	rs := p.reddit.Posted()
	for _, s := range rs[min(cur.reddit, len(rs)):] {
		// A comment or a reply answers what the customer wrote; a composed
		// message goes to a commenter by name.
		who := c.find(care.ChannelReddit, "comment:"+s.ThingID)
		if s.Kind == "compose" {
			who = c.find(care.ChannelReddit, strings.ToLower(s.To))
		}
		add(care.ChannelReddit, s.Name, idOf(who), who, s.Name, s.Kind != "comment", s.Text)
	}
	cur.reddit = len(rs)

	ws := p.web.sent()
	for _, s := range ws[min(cur.webfm, len(ws)):] {
		add(care.ChannelAPI, s.PlatformID, s.RecipientID, c.find(care.ChannelAPI, s.RecipientID), s.PlatformID, true, s.Text)
	}
	cur.webfm = len(ws)

	// A web chat reply is in Parley as "out:" and its id; the visitor
	// answers by writing on in the chat.
	cs := p.chat.received()
	for _, s := range cs[min(cur.chat, len(cs)):] {
		add(care.ChannelWebChat, webchat.OutboundPlatformID(s.id), webchat.VisitorUserID(s.visitor), s.who, "", true, s.text)
	}
	cur.chat = len(cs)

	// An email counts once it is in the customer's mailbox; they answer it
	// by its Message-ID.
	for _, s := range p.mail.received() {
		add(care.ChannelEmail, s.id, s.to, c.find(care.ChannelEmail, s.to), s.id, true, s.text)
	}

	wps := p.wp.Replies()
	for _, s := range wps[min(cur.wp, len(wps)):] {
		// The commenter answers under the brand's comment.
		id := strconv.Itoa(s.ID)
		who := c.find(care.ChannelWordPress, "comment:"+strconv.Itoa(s.ParentID))
		add(care.ChannelWordPress, id, idOf(who), who, id, false, s.Content)
	}
	cur.wp = len(wps)
	return out
}

// isSurvey reports whether a message is Parley's satisfaction survey,
// which carries a link to /csat/.
func isSurvey(text string) bool { return strings.Contains(text, "/csat/") }

func keyOf(c *customer) string {
	if c == nil {
		return ""
	}
	return c.key
}

func idOf(c *customer) string {
	if c == nil {
		return ""
	}
	return c.id
}
