package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Limits of what Bluesky takes: a post's text (lexicon app.bsky.feed.post:
// maxGraphemes 300, maxLength 3000) and a DM's (chat.bsky.convo.defs
// #messageInput: maxGraphemes 1000, maxLength 10000). Lengths are bytes of
// UTF-8.
const (
	MaxPostGraphemes = 300
	MaxPostBytes     = 3000
	MaxDMGraphemes   = 1000
	MaxDMBytes       = 10000
)

// Send delivers an agent's reply. A public reply becomes a post answering
// Message.ReplyToPlatformID (an at:// URI), created with
// com.atproto.repo.createRecord in the brand's repository; a private one a
// DM to the contact's Bluesky identity (a DID), through
// chat.bsky.convo.getConvoForMembers and chat.bsky.convo.sendMessage with
// the chat proxy header. The result's PlatformID is the new post's URI, or
// "{convoId}:{messageId}" for a DM.
//
// A reply needs both the thread's root and the parent as strong refs (URI
// and CID). Parley stores only the parent's URI, so Send reads the parent
// with app.bsky.feed.getPosts first, one read per reply: the parent's CID is
// in the answer, and its root is the parent's own reply.root when the
// parent is a reply, else the parent itself (docs.bsky.app/docs/
// advanced-guides/posts, "Replies").
//
// @handles in the text become mention facets (each handle resolved with
// com.atproto.identity.resolveHandle; one that does not resolve stays
// plain text) and http(s) URLs link facets, by UTF-8 byte offsets.
//
// A post is created under a record key derived from IdempotencyKey, so a
// retry cannot post twice; rkey.go explains how a retry after a lost answer
// is recognised. DMs have no such key: a DM whose answer was lost may
// arrive twice.
//
// Errors are *channel.SendError. Permanent: attachments (not supported
// yet), empty or over-long text, nothing to reply to, a parent that is gone,
// a contact without a Bluesky identity, and Bluesky's 4xx refusals (400
// InvalidRequest and the like), with its message. Temporary: 429 (not
// before RateLimit-Reset), 5xx, no answer, and a login that must wait.
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	msg := &out.Message
	switch {
	case len(msg.Attachments) > 0:
		return channel.Result{}, channel.Permanent("Parley cannot send attachments to Bluesky yet; send the text alone", nil)
	case strings.TrimSpace(msg.Text) == "":
		return channel.Result{}, channel.Permanent("the reply is empty", nil)
	}
	if msg.Visibility == care.Public {
		return a.sendPost(ctx, out)
	}
	return a.sendDM(ctx, out)
}

// newPost is the app.bsky.feed.post record of a reply.
type newPost struct {
	Type      string    `json:"$type"`
	Text      string    `json:"text"`
	CreatedAt string    `json:"createdAt"`
	Reply     *replyRef `json:"reply,omitempty"`
	Facets    []facet   `json:"facets,omitempty"`
}

// createRecordInput is com.atproto.repo.createRecord's input.
type createRecordInput struct {
	Repo       string  `json:"repo"`
	Collection string  `json:"collection"`
	RKey       string  `json:"rkey"`
	Record     newPost `json:"record"`
}

func (a *Adapter) sendPost(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	msg, in := &out.Message, out.Inbox
	if err := checkText(msg.Text, MaxPostGraphemes, MaxPostBytes, "post"); err != nil {
		return channel.Result{}, channel.Permanent(err.Error(), nil)
	}
	target := msg.ReplyToPlatformID
	parentURI, ok := parsePostURI(target)
	switch {
	case target == "":
		return channel.Result{}, channel.Permanent("nothing to reply to: a public reply on Bluesky must answer the customer's post", nil)
	case !ok:
		return channel.Result{}, channel.Permanent(fmt.Sprintf("the message replied to (%q) is not a Bluesky post", channel.Cut(target, 60)), nil)
	}
	did, err := a.accountDID(ctx, in)
	if err != nil {
		return channel.Result{}, err
	}
	refs, err := a.replyTo(ctx, in, parentURI)
	if err != nil {
		return channel.Result{}, err
	}
	rkey := recordKey(out.IdempotencyKey, msg.CreatedAt)
	input := createRecordInput{Repo: did, Collection: postCollection, RKey: rkey, Record: newPost{
		Type: postCollection, Text: msg.Text, CreatedAt: a.now().UTC().Format("2006-01-02T15:04:05.000Z"),
		Reply: &refs, Facets: a.facets(ctx, in, msg.Text)}}
	var created strongRef
	r, err := a.xrpc(ctx, in, call{post: true, nsid: "com.atproto.repo.createRecord", body: input}, "posting the reply", &created)
	if err != nil {
		var e *apiError
		if errors.As(err, &e) && (e.Status >= 500 || alreadyExists(e)) {
			if uri, found := a.existing(ctx, in, did, rkey); found {
				a.logger().Info("bluesky: an earlier attempt had posted the reply", "inbox", in.ID, "uri", uri, "key", out.IdempotencyKey)
				return channel.Result{PlatformID: uri, Status: care.DeliverySent}, nil
			}
		}
		return channel.Result{}, err
	}
	res := channel.Result{Status: care.DeliverySent, RateLimit: rateLimitLine(r.header, a.now())}
	if u, ok := parsePostURI(created.URI); ok {
		res.PlatformID = u.String()
	}
	return res, nil
}

// alreadyExists reports an error saying the record key is taken, however
// the PDS words it.
func alreadyExists(e *apiError) bool {
	return strings.Contains(strings.ToLower(e.Name), "exist") || strings.Contains(strings.ToLower(e.Message), "already exist")
}

// existing reads the brand's post at rkey with com.atproto.repo.getRecord;
// found is true when it is there.
func (a *Adapter) existing(ctx context.Context, in care.Inbox, did, rkey string) (string, bool) {
	var rec struct {
		URI string `json:"uri"`
	}
	q := url.Values{"repo": {did}, "collection": {postCollection}, "rkey": {rkey}}
	if _, err := a.xrpc(ctx, in, call{nsid: "com.atproto.repo.getRecord", query: q}, "checking for the reply", &rec); err != nil {
		return "", false
	}
	u, ok := parsePostURI(rec.URI)
	if !ok || u.DID != did || u.RKey != rkey {
		return "", false
	}
	return u.String(), true
}

// replyTo reads the post answered and returns the reply refs to it.
func (a *Adapter) replyTo(ctx context.Context, in care.Inbox, parent postURI) (replyRef, error) {
	var out struct {
		Posts []json.RawMessage `json:"posts"`
	}
	q := url.Values{"uris": {parent.String()}}
	if _, err := a.xrpc(ctx, in, call{nsid: "app.bsky.feed.getPosts", query: q, proxy: appViewProxy}, "reading the post replied to", &out); err != nil {
		return replyRef{}, err
	}
	for _, raw := range out.Posts {
		var p struct {
			URI    string     `json:"uri"`
			CID    string     `json:"cid"`
			Record postRecord `json:"record"`
		}
		if json.Unmarshal(raw, &p) != nil || p.URI != parent.String() {
			continue
		}
		refs, ok := replyRefs(strongRef{URI: p.URI, CID: p.CID}, &p.Record)
		if !ok {
			return replyRef{}, channel.Permanent("Bluesky's copy of the post replied to has no valid CID", nil)
		}
		return refs, nil
	}
	// app.bsky.feed.getPosts leaves out the posts it cannot show, deleted
	// or hidden alike: this reply's trouble, not the account's.
	return replyRef{}, &channel.SendError{Permanent: true, Refused: true,
		Reason: "the post replied to is no longer on Bluesky (deleted, or hidden from the brand); answer by DM instead"}
}

// replyRefs computes the reply refs of an answer to parent, whose record is
// rec: the parent is parent; the root is the parent's own root when the
// parent is a reply, else the parent. A parent whose root ref is malformed
// is treated as the root. ok is false when parent itself is not a valid
// strong ref.
func replyRefs(parent strongRef, rec *postRecord) (replyRef, bool) {
	if _, ok := parsePostURI(parent.URI); !ok || !validCID(parent.CID) {
		return replyRef{}, false
	}
	refs := replyRef{Root: parent, Parent: parent}
	if rec != nil && rec.Reply != nil {
		if _, ok := parsePostURI(rec.Reply.Root.URI); ok && validCID(rec.Reply.Root.CID) {
			refs.Root = rec.Reply.Root
		}
	}
	return refs, true
}

func (a *Adapter) sendDM(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	msg, in := &out.Message, out.Inbox
	if err := checkText(msg.Text, MaxDMGraphemes, MaxDMBytes, "DM"); err != nil {
		return channel.Result{}, channel.Permanent(err.Error(), nil)
	}
	recipient, ok := out.Recipient()
	switch {
	case !ok:
		return channel.Result{}, channel.Permanent("the contact has no Bluesky account to send a DM to", nil)
	case !validDID(recipient.PlatformUserID):
		return channel.Result{}, channel.Permanent("the contact's Bluesky id is not a DID", nil)
	}
	did, err := a.accountDID(ctx, in)
	if err != nil {
		return channel.Result{}, err
	}
	if recipient.PlatformUserID == did {
		return channel.Result{}, channel.Permanent("the account cannot send a DM to itself", nil)
	}
	var convo struct {
		Convo struct {
			ID string `json:"id"`
		} `json:"convo"`
	}
	q := url.Values{"members": {recipient.PlatformUserID}}
	if _, err := a.xrpc(ctx, in, call{nsid: "chat.bsky.convo.getConvoForMembers", query: q, proxy: chatProxy},
		"opening the DM conversation", &convo); err != nil {
		return channel.Result{}, dmRefused(err)
	}
	if !validKey(convo.Convo.ID) {
		return channel.Result{}, channel.Temporary("Bluesky's answer held no valid conversation id", 0, errors.New("bluesky: getConvoForMembers: bad convo id"))
	}
	type messageInput struct {
		Text   string  `json:"text"`
		Facets []facet `json:"facets,omitempty"`
	}
	body := struct {
		ConvoID string       `json:"convoId"`
		Message messageInput `json:"message"`
	}{convo.Convo.ID, messageInput{Text: msg.Text, Facets: a.facets(ctx, in, msg.Text)}}
	var sent messageView
	r, err := a.xrpc(ctx, in, call{post: true, nsid: "chat.bsky.convo.sendMessage", body: body, proxy: chatProxy}, "sending the DM", &sent)
	if err != nil {
		return channel.Result{}, dmRefused(err)
	}
	res := channel.Result{Status: care.DeliverySent, RateLimit: rateLimitLine(r.header, a.now())}
	if validKey(sent.ID) {
		res.PlatformID = chatID(convo.Convo.ID, sent.ID)
	}
	return res, nil
}

// dmRefused says what a 400 from the chat service means for the agent:
// usually that the customer accepts DMs only from people they follow, or
// from no one. It is this customer's choice, so it is Refused and leaves the
// inbox's health alone; a token without DM access (InvalidToken) is the
// account's and stays as it is.
func dmRefused(err error) error {
	var se *channel.SendError
	var e *apiError
	if errors.As(err, &se) && errors.As(err, &e) && e.Status == http.StatusBadRequest && e.Name == "InvalidRequest" {
		se.Permanent, se.Refused = true, true
		se.Reason = "Bluesky refused the DM; the customer may accept messages only from accounts they follow. Answer in public, or ask them to write first"
		if e.Message != "" {
			se.Reason += ". Bluesky said: " + e.Message
		}
	}
	return err
}

// checkText refuses text over a limit, saying by how much.
func checkText(text string, maxGraphemes, maxBytes int, what string) error {
	if n := Graphemes(text); n > maxGraphemes {
		return fmt.Errorf("the %s is %d characters; Bluesky allows %d", what, n, maxGraphemes)
	}
	if len(text) > maxBytes {
		return fmt.Errorf("the %s is %d bytes long; Bluesky allows %d", what, len(text), maxBytes)
	}
	return nil
}
