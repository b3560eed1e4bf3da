package meta

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Messaging windows (developers.facebook.com/documentation/business-messaging/messenger-platform/policy,
// and the message-tags page for HUMAN_AGENT): a reply within 24 hours of the
// customer's last message is standard messaging; until 7 days a human agent
// may answer with the HUMAN_AGENT tag; after that, nothing. A private reply
// to a comment is allowed within 7 days of the comment. Both platforms'
// policies are the same (the policy page covers Messenger and IG Messaging).
const (
	standardWindow = 24 * time.Hour
	humanWindow    = 7 * 24 * time.Hour
	// windowMargin keeps clear of the edge: Meta's clock, not ours, decides.
	windowMargin = 5 * time.Minute
)

// sendRequest is the Send API's body
// (developers.facebook.com/docs/messenger-platform/reference/send-api).
type sendRequest struct {
	Recipient     sendRecipient `json:"recipient"`
	MessagingType string        `json:"messaging_type,omitempty"`
	Tag           string        `json:"tag,omitempty"`
	Message       sendMessage   `json:"message"`
}

type sendRecipient struct {
	ID        string `json:"id,omitempty"`
	CommentID string `json:"comment_id,omitempty"`
	// UserRef addresses a person who wrote through a Messenger plugin and
	// is known by no PSID (see messagingEvent.Sender).
	UserRef string `json:"user_ref,omitempty"`
}

type sendMessage struct {
	Text       string          `json:"text,omitempty"`
	Attachment *sendAttachment `json:"attachment,omitempty"`
	// Metadata comes back in the message's echo; see echoMetadataPrefix.
	Metadata string `json:"metadata,omitempty"`
}

type sendAttachment struct {
	Type    string `json:"type"`
	Payload struct {
		URL string `json:"url"`
	} `json:"payload"`
}

// sendResponse is the Send API's answer: {"recipient_id", "message_id"}.
type sendResponse struct {
	RecipientID string `json:"recipient_id"`
	MessageID   string `json:"message_id"`
}

// idResponse is the answer to creating a comment: {"id"}.
type idResponse struct {
	ID string `json:"id"`
}

func (a *adapter) send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	msg := &out.Message
	if out.Inbox.Channel != a.ch {
		return channel.Result{}, channel.Permanent(fmt.Sprintf("the inbox is on channel %q, not %q", out.Inbox.Channel, a.ch), nil)
	}
	switch msg.Visibility {
	case care.Public:
		return a.sendPublic(ctx, out)
	case care.Private:
		return a.sendPrivate(ctx, out)
	}
	return channel.Result{}, channel.Permanent("only public and private replies can be sent", nil)
}

// sendPublic answers a comment in public.
func (a *adapter) sendPublic(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	msg := &out.Message
	target := msg.ReplyToPlatformID
	body := map[string]string{"message": msg.Text}
	var path []string
	media, comment, mention := parseMentionID(target)
	switch {
	case a.ch == care.ChannelInstagram && mention:
		// A mention on someone else's media is answered through the
		// account (developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/mentions).
		path = []string{out.Inbox.ExternalID, "mentions"}
		body["media_id"] = media
		if comment != "" {
			body["comment_id"] = comment
		}
	case !isObjectID(target):
		return channel.Result{}, channel.Permanent("a public reply must answer a comment", nil)
	case a.ch == care.ChannelInstagram:
		// Replies attach to the top-level comment
		// (developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies).
		path = []string{target, "replies"}
	default:
		path = []string{target, "comments"}
	}
	if len(msg.Attachments) > 0 {
		if a.ch == care.ChannelInstagram || len(msg.Attachments) > 1 || msg.Attachments[0].URL == "" {
			return channel.Result{}, channel.Permanent(a.platform()+" comment replies take at most one attachment by URL (none on Instagram)", nil)
		}
		body["attachment_url"] = msg.Attachments[0].URL
	}
	content := textContent(msg.Text)
	if msg.Text == "" && len(msg.Attachments) > 0 {
		content = attachmentContent(sendKind(msg.Attachments[0].Kind))
	}
	// The comment's echo (feed, comments) names the comment answered, or
	// the thread's top comment: any target matches.
	done := sends.begin(out.Inbox.ExternalID, "", content)
	var res idResponse
	rl, err := a.call(ctx, out.Inbox, http.MethodPost, path, body, &res)
	if err != nil {
		done("")
		if !mention {
			err = a.commentGone(err)
		}
		return channel.Result{}, err
	}
	id := platformID(res.ID)
	done(id)
	return channel.Result{PlatformID: id, Status: care.DeliverySent, RateLimit: rl}, nil
}

// commentGone words Graph error 100 subcode 33 on a reply to a comment
// ("Object with ID '…' does not exist, cannot be loaded due to missing
// permissions, or does not support this operation";
// developers.facebook.com/docs/graph-api/guides/error-handling): the comment
// was deleted, often before Parley heard of it, or the account can no longer
// see it. Meta's generic "invalid request" would leave the agent nothing to
// do. Elsewhere (the Send API, mentions) the object is the account itself,
// so the error keeps its generic reason there.
func (a *adapter) commentGone(err error) error {
	var se *channel.SendError
	var ge *graphError
	if !errors.As(err, &se) || !errors.As(err, &ge) || ge.Code != 100 || ge.Subcode != 33 {
		return err
	}
	se.Permanent, se.Refused = true, true
	se.RetryAfter = 0
	se.Reason = fmt.Sprintf("the comment this answers is gone from %s (its author deleted it, or the %s can no longer see it): reply to another of their comments, or in private to a message they sent the %s",
		a.platform(), a.account(), a.account())
	return err
}

// sendPrivate sends through the Send API: a Private Reply to a comment, or
// a message in the customer's inbox within its window.
func (a *adapter) sendPrivate(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	msg := &out.Message
	req := sendRequest{}
	if _, _, mention := parseMentionID(msg.ReplyToPlatformID); mention {
		return channel.Result{}, channel.Permanent("Instagram does not allow a private reply to a mention", nil)
	}
	if isObjectID(msg.ReplyToPlatformID) {
		// Private Replies: once per comment, within 7 days of it; Meta
		// counts both (messenger-platform/discovery/private-replies).
		req.Recipient.CommentID = msg.ReplyToPlatformID
	} else {
		who, ok := out.Recipient()
		ref, byRef := strings.CutPrefix(who.PlatformUserID, userRefPrefix)
		switch {
		case ok && isDigits(who.PlatformUserID):
			req.Recipient.ID = who.PlatformUserID
		case ok && byRef && ref != "" && a.ch == care.ChannelFacebook:
			req.Recipient.UserRef = ref
		default:
			return channel.Result{}, channel.Permanent("the contact has no "+a.name()+" messaging id to write to", nil)
		}
		kind, tag, err := a.window(out.LastInbound)
		if err != nil {
			return channel.Result{}, err
		}
		req.MessagingType, req.Tag = kind, tag
	}
	switch n := len(msg.Attachments); {
	case n > 1 || n == 1 && msg.Text != "":
		return channel.Result{}, channel.Permanent(a.name()+" sends text and each attachment as separate messages: send the attachment on its own", nil)
	case n == 1:
		att := msg.Attachments[0]
		if att.URL == "" {
			return channel.Result{}, channel.Permanent("the attachment has no URL for Meta to fetch", nil)
		}
		req.Message.Attachment = &sendAttachment{Type: sendKind(att.Kind)}
		req.Message.Attachment.Payload.URL = att.URL
	default:
		req.Message.Text = msg.Text
	}
	if a.ch == care.ChannelFacebook && out.IdempotencyKey != "" && len(out.IdempotencyKey) < 900 {
		req.Message.Metadata = echoMetadataPrefix + out.IdempotencyKey
	}
	content := textContent(req.Message.Text)
	if att := req.Message.Attachment; att != nil {
		content = attachmentContent(att.Type)
	}
	// A Private Reply's echo names the commenter, whom only Meta knows
	// here: Recipient.ID is "" then, and any recipient matches.
	done := sends.begin(out.Inbox.ExternalID, req.Recipient.ID, content)
	var res sendResponse
	rl, err := a.call(ctx, out.Inbox, http.MethodPost, []string{"me", "messages"}, req, &res)
	if err != nil {
		done("")
		return channel.Result{}, err
	}
	id := platformID(res.MessageID)
	done(id)
	result := channel.Result{PlatformID: id, Status: care.DeliverySent, RateLimit: rl}
	if req.Recipient.CommentID != "" && isDigits(res.RecipientID) && len(res.RecipientID) <= care.MaxPlatformIDBytes {
		// The commenter's Messenger id (PSID), which the comment did not carry.
		result.RecipientID = res.RecipientID
	}
	return result, nil
}

// window decides how a message to the customer may be sent, counting from
// their last message: RESPONSE within 24 hours, the HUMAN_AGENT tag within 7
// days, and a permanent refusal after that or when they never wrote.
func (a *adapter) window(last *care.Message) (messagingType, tag string, err error) {
	if last == nil {
		return "", "", channel.Permanent("the customer has not written to the "+a.account()+" in private: Meta allows a message only after theirs", nil)
	}
	age := a.clock().Sub(lastAt(last))
	switch {
	case age < standardWindow-windowMargin:
		return "RESPONSE", "", nil
	case age < humanWindow-windowMargin:
		return "MESSAGE_TAG", "HUMAN_AGENT", nil
	}
	return "", "", channel.Permanent("more than 7 days since the customer's last message: Meta no longer allows a reply until they write again", nil)
}

// lastAt is when the platform says a message was sent, else when it arrived.
func lastAt(m *care.Message) time.Time {
	if !m.SentAt.IsZero() {
		return m.SentAt
	}
	return m.CreatedAt
}

// sendKind maps an attachment kind to the Send API's types.
func sendKind(kind string) string {
	switch kind {
	case "image", "video", "audio":
		return kind
	}
	return "file"
}

// platformID keeps an id Meta returned if it is storable.
func platformID(id string) string {
	if id == "" || len(id) > care.MaxPlatformIDBytes {
		return ""
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f {
			return ""
		}
	}
	return id
}

func (a *adapter) name() string {
	if a.ch == care.ChannelInstagram {
		return "Instagram"
	}
	return "Messenger"
}

func (a *adapter) platform() string {
	if a.ch == care.ChannelInstagram {
		return "Instagram"
	}
	return "Facebook"
}

func (a *adapter) account() string {
	if a.ch == care.ChannelInstagram {
		return "Instagram account"
	}
	return "Page"
}
