package metafake

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Message is a customer's direct message to a Page or Instagram account.
type Message struct {
	Account string // the Page or Instagram account id
	From    string // the customer's PSID or IGSID
	Text    string
	// ReplyTo is the mid of the message the customer swiped to answer.
	ReplyTo string
	// ImageURL, if set, attaches an image at that address.
	ImageURL string
	// Image, if set, attaches a file the fake's CDN serves (under
	// Fake.CDNBase), as an image.
	Image []byte
	// At is when they wrote; zero means the fake's now.
	At time.Time
}

// Comment is a customer's comment on a Page post or on Instagram media.
type Comment struct {
	Account string
	From    string // the commenter's id as the feed or comments webhook names them
	Name    string // display name (Facebook) or username (Instagram)
	// PSID is the commenter's Messenger id, which a private reply reaches
	// and returns as recipient_id; "" means From (as on Instagram, where
	// the ids coincide).
	PSID string
	// Post is the Page post or Instagram media commented on.
	Post string
	// Parent is the comment this one replies to, if any.
	Parent string
	Text   string
	At     time.Time
	// Anonymous leaves "from" out of the feed change, as Meta does when it
	// does not show the commenter to the app (Facebook only).
	Anonymous bool
}

func (f *Fake) at(t time.Time) time.Time {
	if t.IsZero() {
		return f.now()
	}
	return t
}

// accountKind returns whether an account is Instagram; f.mu is held. It
// panics for an unknown account: a test's wiring mistake.
func (f *Fake) accountKind(id string) bool {
	a := f.accounts[id]
	if a == nil {
		panic("metafake: unknown account " + id)
	}
	return a.instagram
}

func object(ig bool) string {
	if ig {
		return "instagram"
	}
	return "page"
}

// entry builds one entry holding one messaging item or one change. Meta
// writes an entry's time in milliseconds for messaging and in seconds for
// changes (the examples of the Messenger and Page webhook references).
func entry(account string, at time.Time, key string, item any) json.RawMessage {
	t := at.UnixMilli()
	if key == "changes" {
		t = at.Unix()
	}
	b, err := json.Marshal(map[string]any{"id": account, "time": t, key: []any{item}})
	if err != nil {
		panic("metafake: " + err.Error())
	}
	return b
}

// Message records a customer's message, which opens the messaging windows,
// and returns its mid and the delivery announcing it.
func (f *Fake) Message(m Message) (string, *Delivery) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ig := f.accountKind(m.Account)
	at := f.at(m.At)
	mid := f.messageID(ig)
	if last, ok := f.windows[pair{m.Account, m.From}]; !ok || at.After(last) {
		f.windows[pair{m.Account, m.From}] = at
	}
	msg := map[string]any{"mid": mid}
	if m.Text != "" {
		msg["text"] = m.Text
	}
	if m.ReplyTo != "" {
		msg["reply_to"] = map[string]any{"mid": m.ReplyTo, "is_self_reply": false}
	}
	image := m.ImageURL
	if m.Image != nil {
		if f.CDNBase == "" {
			panic("metafake: Message.Image without Fake.CDNBase")
		}
		image = f.addMedia(f.CDNBase, "", m.Image)
	}
	if image != "" {
		msg["attachments"] = []any{map[string]any{"type": "image", "payload": map[string]string{"url": image}}}
	}
	item := map[string]any{"sender": map[string]string{"id": m.From}, "recipient": map[string]string{"id": m.Account},
		"timestamp": at.UnixMilli(), "message": msg}
	return mid, &Delivery{Object: object(ig), Entries: []json.RawMessage{entry(m.Account, f.now(), "messaging", item)}}
}

// Postback records a tapped button (which opens the window like a message).
func (f *Fake) Postback(account, from, title, payload string) *Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	ig := f.accountKind(account)
	at := f.now()
	f.windows[pair{account, from}] = at
	item := map[string]any{"sender": map[string]string{"id": from}, "recipient": map[string]string{"id": account},
		"timestamp": at.UnixMilli(), "postback": map[string]string{"mid": f.messageID(ig), "title": title, "payload": payload}}
	return &Delivery{Object: object(ig), Entries: []json.RawMessage{entry(account, at, "messaging", item)}}
}

// Unsend is an Instagram customer withdrawing message mid.
func (f *Fake) Unsend(account, from, mid string) *Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	ig := f.accountKind(account)
	item := map[string]any{"sender": map[string]string{"id": from}, "recipient": map[string]string{"id": account},
		"timestamp": f.now().UnixMilli(), "message": map[string]any{"mid": mid, "is_deleted": true}}
	return &Delivery{Object: object(ig), Entries: []json.RawMessage{entry(account, f.now(), "messaging", item)}}
}

// Comment records a customer's comment and returns its id and the delivery
// announcing it: a "feed" change for a Page, a "comments" change for
// Instagram.
func (f *Fake) Comment(c Comment) (string, *Delivery) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ig := f.accountKind(c.Account)
	at := f.at(c.At)
	psid := c.PSID
	if psid == "" {
		psid = c.From
	}
	var id string
	var change map[string]any
	if ig {
		id = strconv.Itoa(17800000000000000 + f.next())
		v := map[string]any{"id": id, "from": map[string]string{"id": c.From, "username": c.Name}, "text": c.Text,
			"media": map[string]string{"id": c.Post, "media_product_type": "FEED"}}
		if c.Parent != "" {
			v["parent_id"] = c.Parent
		}
		change = map[string]any{"field": "comments", "value": v}
	} else {
		id = fmt.Sprintf("%s_%d", lastPart(c.Post), 100000+f.next())
		parent := c.Post
		if c.Parent != "" {
			parent = c.Parent
		}
		v := map[string]any{
			"post":       map[string]any{"status_type": "mobile_status_update", "is_published": true, "id": c.Post},
			"message":    c.Text,
			"post_id":    c.Post,
			"comment_id": id,
			"parent_id":  parent,
			"item":       "comment",
			"verb":       "add",
			// created_time is Unix seconds in the feed change.
			"created_time": at.Unix(),
		}
		if !c.Anonymous {
			v["from"] = map[string]string{"id": c.From, "name": c.Name}
		}
		change = map[string]any{"field": "feed", "value": v}
	}
	f.comments[id] = &comment{id: id, account: c.Account, post: c.Post, parent: c.Parent, from: c.From, psid: psid, at: at}
	return id, &Delivery{Object: object(ig), Entries: []json.RawMessage{entry(c.Account, f.now(), "changes", change)}}
}

// RemoveComment is the commenter deleting a comment on a Page post.
func (f *Fake) RemoveComment(account, commentID string) *Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.comments[commentID]
	v := map[string]any{"item": "comment", "verb": "remove", "comment_id": commentID, "created_time": f.now().Unix()}
	if c != nil {
		c.deleted = true
		v["post_id"], v["parent_id"], v["from"] = c.post, c.post, map[string]string{"id": c.from}
	}
	return &Delivery{Object: object(f.accountKind(account)),
		Entries: []json.RawMessage{entry(account, f.now(), "changes", map[string]any{"field": "feed", "value": v})}}
}

// Mention is someone @mentioning the Instagram account in a comment on
// their media (commentID "" for a caption).
func (f *Fake) Mention(account, mediaID, commentID string) *Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := map[string]string{"media_id": mediaID}
	if commentID != "" {
		v["comment_id"] = commentID
	}
	return &Delivery{Object: object(f.accountKind(account)),
		Entries: []json.RawMessage{entry(account, f.now(), "changes", map[string]any{"field": "mentions", "value": v})}}
}

// Reaction is the customer reacting to message mid with emoji, or taking
// their reaction back when emoji is "" (the message_reactions field, the
// same on Messenger and Instagram).
func (f *Fake) Reaction(account, customer, mid, emoji string) *Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	r := map[string]string{"mid": mid, "action": "unreact"}
	if emoji != "" {
		r["action"], r["reaction"], r["emoji"] = "react", "other", emoji
	}
	item := map[string]any{"sender": map[string]string{"id": customer}, "recipient": map[string]string{"id": account},
		"timestamp": now.UnixMilli(), "reaction": r}
	return &Delivery{Object: object(f.accountKind(account)), Entries: []json.RawMessage{entry(account, now, "messaging", item)}}
}

// Edit is the customer changing the text of their message mid for the
// n-th time (the message_edits field; Meta's example quotes num_edit, and
// so does the fake).
func (f *Fake) Edit(account, customer, mid, text string, n int) *Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	item := map[string]any{"sender": map[string]string{"id": customer}, "recipient": map[string]string{"id": account},
		"timestamp": now.UnixMilli(), "message_edit": map[string]any{"mid": mid, "text": text, "num_edit": strconv.Itoa(n)}}
	return &Delivery{Object: object(f.accountKind(account)), Entries: []json.RawMessage{entry(account, now, "messaging", item)}}
}

// Delivered reports messages as delivered to the customer.
func (f *Fake) Delivered(account, customer string, mids ...string) *Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	item := map[string]any{"sender": map[string]string{"id": customer}, "recipient": map[string]string{"id": account},
		"delivery": map[string]any{"mids": mids, "watermark": now.UnixMilli()}}
	return &Delivery{Object: object(f.accountKind(account)), Entries: []json.RawMessage{entry(account, now, "messaging", item)}}
}

// Read reports that the customer read everything up to now (Messenger's
// watermark).
func (f *Fake) Read(account, customer string) *Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	item := map[string]any{"sender": map[string]string{"id": customer}, "recipient": map[string]string{"id": account},
		"timestamp": now.UnixMilli(), "read": map[string]any{"watermark": now.UnixMilli()}}
	return &Delivery{Object: object(f.accountKind(account)), Entries: []json.RawMessage{entry(account, now, "messaging", item)}}
}

// Echo is the echo of a message sent through the fake's Send API: on a
// Page, the message_echoes notification, carrying the fake's AppID and the
// metadata sent; on Instagram, the messages notification with is_echo and
// neither, as Meta's Instagram examples show it. ok is false for an
// unknown mid.
func (f *Fake) Echo(mid string) (d *Delivery, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.messages[mid]
	if !ok {
		return nil, false
	}
	return f.echo(s.Account, s.Customer, mid, s.Text, f.AppID, s.Metadata, s.At), true
}

// ToolEcho is a message the brand typed in Meta's own tools (Business
// Suite, the Page inbox) to a customer: it returns its mid and the echo, with
// appID the app it came from (left out on Instagram, as by Echo).
func (f *Fake) ToolEcho(account, customer, text, appID string) (string, *Delivery) {
	f.mu.Lock()
	defer f.mu.Unlock()
	mid := f.messageID(f.accountKind(account))
	return mid, f.echo(account, customer, mid, text, appID, "", f.now())
}

// echo builds an echo item; f.mu is held.
func (f *Fake) echo(account, customer, mid, text, appID, metadata string, at time.Time) *Delivery {
	if f.accountKind(account) {
		appID, metadata = "", ""
	}
	msg := map[string]any{"is_echo": true, "mid": mid, "text": text}
	if _, err := strconv.ParseUint(appID, 10, 64); err == nil {
		// Meta writes app_id as a JSON number.
		msg["app_id"] = json.Number(appID)
	} else if appID != "" {
		msg["app_id"] = appID
	}
	if metadata != "" {
		msg["metadata"] = metadata
	}
	item := map[string]any{"sender": map[string]string{"id": account}, "recipient": map[string]string{"id": customer},
		"timestamp": at.UnixMilli(), "message": msg}
	return &Delivery{Object: object(f.accountKind(account)), Entries: []json.RawMessage{entry(account, f.now(), "messaging", item)}}
}

// ReplyEcho is the change announcing a comment reply posted through the
// fake's API: the account's own comment, in the feed field (Facebook) or
// the comments field (Instagram). ok is false for an unknown id.
func (f *Fake) ReplyEcho(commentID string) (d *Delivery, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.comments[commentID]
	if c == nil || !c.byAccount {
		return nil, false
	}
	return f.ownComment(c), true
}

// ToolReply is the account answering comment parent in Meta's own tools
// (Business Suite, the Instagram app): it returns the reply's id and the
// change announcing it. On Instagram, as through the API, a reply to a
// reply joins the thread's top comment.
func (f *Fake) ToolReply(account, parent, text string) (string, *Delivery) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ig := f.accountKind(account)
	p := f.comments[parent]
	if p == nil || p.account != account {
		panic("metafake: ToolReply to unknown comment " + parent)
	}
	var id string
	if ig {
		if p.parent != "" && f.comments[p.parent] != nil {
			p = f.comments[p.parent]
		}
		id = strconv.Itoa(17900000000000000 + f.next())
	} else {
		id = fmt.Sprintf("%s_%d", lastPart(p.post), 900000+f.next())
	}
	c := &comment{id: id, account: account, post: p.post, parent: p.id, text: text, from: account, at: f.now(), byAccount: true}
	f.comments[id] = c
	return id, f.ownComment(c)
}

// ownComment builds the change for the account's own comment c; f.mu is
// held.
func (f *Fake) ownComment(c *comment) *Delivery {
	ig := f.accountKind(c.account)
	var change map[string]any
	if ig {
		v := map[string]any{"id": c.id, "from": map[string]string{"id": c.account, "username": "account" + c.account},
			"text": c.text, "media": map[string]string{"id": c.post, "media_product_type": "FEED"}}
		if c.parent != "" {
			v["parent_id"] = c.parent
		}
		change = map[string]any{"field": "comments", "value": v}
	} else {
		parent := c.post
		if c.parent != "" {
			parent = c.parent
		}
		change = map[string]any{"field": "feed", "value": map[string]any{
			"from": map[string]string{"id": c.account, "name": "Page " + c.account}, "message": c.text,
			"post_id": c.post, "comment_id": c.id, "parent_id": parent, "item": "comment", "verb": "add",
			"created_time": c.at.Unix()}}
	}
	return &Delivery{Object: object(ig), Entries: []json.RawMessage{entry(c.account, f.now(), "changes", change)}}
}
