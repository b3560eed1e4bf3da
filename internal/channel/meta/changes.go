package meta

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// feedValue is the value of a Page "feed" change
// (developers.facebook.com/docs/graph-api/webhooks/reference/page, field
// feed): item, verb (add, edit, edited, delete, remove, hide, unhide, …),
// comment_id, post_id, parent_id, from, message, photo, video and
// created_time in seconds. from is left out when Meta does not show the
// commenter to the app (a Page token without the access Meta asks for, or
// the person's privacy settings), as the Graph Comment object leaves it out.
type feedValue struct {
	Item      string  `json:"item"`
	Verb      string  `json:"verb"`
	CommentID graphID `json:"comment_id"`
	PostID    graphID `json:"post_id"`
	ParentID  graphID `json:"parent_id"`
	From      struct {
		ID   graphID `json:"id"`
		Name string  `json:"name"`
	} `json:"from"`
	Message     string `json:"message"`
	Photo       string `json:"photo"`
	Video       string `json:"video"`
	CreatedTime stamp  `json:"created_time"` // seconds
}

// feed maps a comment on the Page's posts.
func (r *receiver) feed(value, raw json.RawMessage) {
	var v feedValue
	switch {
	case json.Unmarshal(value, &v) != nil:
		r.skip(false, "a feed change that does not decode")
		return
	case v.Item != "comment":
		// Posts, shares, reactions: not yet conversations in Parley.
		r.skip(true, fmt.Sprintf("feed item %.40q, verb %.40q", v.Item, v.Verb))
		return
	case v.CommentID == "":
		r.skip(false, "a feed comment without a comment_id")
		return
	}
	sentAt := v.CreatedTime.seconds(r.entryAt)
	edit := false
	switch v.Verb {
	case "remove", "delete":
		r.add(care.Inbound{Kind: care.KindDelete, PlatformID: string(v.CommentID), SentAt: sentAt}, raw)
		return
	case "add":
	case "edit", "edited":
		edit = true
	default:
		// "hide"/"unhide" are moderation, recorded when done from Parley.
		r.skip(true, fmt.Sprintf("feed comment verb %.40q", v.Verb))
		return
	}
	own := string(v.From.ID) == r.account
	if own && (edit || v.ParentID == "" || v.ParentID == v.PostID) {
		// The Page's own comment on a post answers no one; its edits
		// change what Parley shows as sent.
		r.skip(true, "the Page's own comment or edit, which answers no comment")
		return
	}
	author := care.Author{PlatformUserID: string(v.From.ID), DisplayName: v.From.Name}
	if author.PlatformUserID == "" {
		// A commenter Meta does not name is still a customer to answer,
		// in public or by a Private Reply (which reaches them by the
		// comment's id); each such comment gets an author of its own.
		author = care.Author{PlatformUserID: hiddenAuthorPrefix + string(v.CommentID), DisplayName: "Facebook user"}
	}
	in := care.Inbound{PlatformID: string(v.CommentID), Visibility: care.Public, Text: v.Message, SentAt: sentAt,
		Author: author, Subject: subject("Comment on Facebook post", string(v.PostID))}
	// A top-level comment's parent is the post; a reply's is the comment
	// it answers, which is what threads it.
	if v.ParentID != "" && v.ParentID != v.PostID {
		in.ReplyToPlatformID = string(v.ParentID)
	}
	switch {
	case v.Photo != "":
		in.Attachments = []care.Attachment{r.urlAttachment("image", v.Photo)}
	case v.Video != "":
		in.Attachments = []care.Attachment{r.urlAttachment("video", v.Video)}
	}
	if in.Text == "" && len(in.Attachments) == 0 {
		in.Text = unsupportedText
	}
	if edit {
		// An edit is a comment of its own, replying to the one it changes
		// (see messageEdit). Meta numbers no versions of a comment; its
		// time and new text name this one, and stay the same when Meta
		// delivers the change again.
		sum := sha256.Sum256([]byte(in.Text))
		in.PlatformID = editID(string(v.CommentID), strconv.FormatInt(sentAt.Unix(), 10)+"-"+hex.EncodeToString(sum[:4]))
		in.ReplyToPlatformID = string(v.CommentID)
		in.Text = editedPrefix + in.Text
	}
	if own {
		r.ownReply(&in, v.Message, v.Photo, v.Video, raw)
		return
	}
	r.add(in, raw)
}

// ownReply files the account's own reply to a comment: one Parley posted
// is skipped (the core recorded it, or will, from the API's answer); one
// typed in Meta Business Suite or the Instagram app is the brand's answer,
// an echo in the conversation of the comment it answers, so the customer
// no longer waits on an agent who would answer twice. The change names
// only that comment, not its author: the echo is addressed to the
// account, and the core places it by its reply target.
func (r *receiver) ownReply(in *care.Inbound, text, photo, video string, raw json.RawMessage) {
	content := textContent(text)
	switch {
	case text == "" && photo != "":
		content = attachmentContent("image")
	case text == "" && video != "":
		content = attachmentContent("video")
	}
	if sends.sent(r.account, in.PlatformID) || sends.sending(r.account, "", content) {
		r.skip(true, "an echo of a comment Parley posted")
		return
	}
	in.Kind = care.KindEcho
	in.Author.PlatformUserID = r.account
	r.add(*in, raw)
}

// hiddenAuthorPrefix starts the author id of a comment whose author Meta
// does not name: "comment:{comment-id}".
const hiddenAuthorPrefix = "comment:"

// subject names what a comment is on, when the webhook says.
func subject(what, id string) string {
	if id == "" {
		return what
	}
	return what + " " + id
}

// urlAttachment is an attachment of kind at a URL from a webhook.
func (r *receiver) urlAttachment(kind, u string) care.Attachment {
	p, _ := json.Marshal(attachmentPayload{URL: u})
	return r.attachment(attachment{Type: kind, Payload: p})
}

// igCommentValue is the value of an Instagram "comments" change
// (developers.facebook.com/docs/graph-api/webhooks/reference/instagram).
type igCommentValue struct {
	ID   graphID `json:"id"`
	Text string  `json:"text"`
	From struct {
		ID       graphID `json:"id"`
		Username string  `json:"username"`
	} `json:"from"`
	Media struct {
		ID graphID `json:"id"`
	} `json:"media"`
	ParentID graphID `json:"parent_id"`
}

func (r *receiver) igComment(value, raw json.RawMessage) {
	var v igCommentValue
	if json.Unmarshal(value, &v) != nil || v.ID == "" {
		r.skip(false, "an Instagram comment without an id")
		return
	}
	own := string(v.From.ID) == r.account
	if own && v.ParentID == "" {
		r.skip(true, "the account's own comment on its media, which answers no comment")
		return
	}
	author := care.Author{PlatformUserID: string(v.From.ID), Handle: v.From.Username}
	if author.PlatformUserID == "" {
		// Documented as always present; read as on Facebook if not.
		author = care.Author{PlatformUserID: hiddenAuthorPrefix + string(v.ID), DisplayName: "Instagram user"}
	}
	// The notification has no time of its own; the entry's is when Meta sent it.
	in := care.Inbound{PlatformID: string(v.ID), ReplyToPlatformID: string(v.ParentID), Visibility: care.Public,
		Text: v.Text, SentAt: r.entryAt, Author: author,
		Subject: subject("Comment on Instagram media", string(v.Media.ID))}
	if in.Text == "" {
		in.Text = unsupportedText
	}
	if own {
		r.ownReply(&in, v.Text, "", "", raw)
		return
	}
	r.add(in, raw)
}

// igMentionValue is the value of an Instagram "mentions" change: ids only.
type igMentionValue struct {
	CommentID graphID `json:"comment_id"`
	MediaID   graphID `json:"media_id"`
}

// mentionPrefix starts the platform id of a mention; see mentionID.
const mentionPrefix = "mention:"

// mentionID is the platform id of a mention in a comment (or, without a
// comment id, a caption) on someone else's media. It carries both ids because
// replying to a mention needs both (POST /{ig-user-id}/mentions).
func mentionID(mediaID, commentID string) string {
	if commentID == "" {
		return mentionPrefix + mediaID
	}
	return mentionPrefix + mediaID + ":" + commentID
}

// parseMentionID splits a mention's platform id; ok is false for any other id.
func parseMentionID(id string) (mediaID, commentID string, ok bool) {
	rest, ok := strings.CutPrefix(id, mentionPrefix)
	if !ok {
		return "", "", false
	}
	mediaID, commentID, _ = strings.Cut(rest, ":")
	if !isDigits(mediaID) || commentID != "" && !isDigits(commentID) {
		return "", "", false
	}
	return mediaID, commentID, true
}

func (r *receiver) igMention(value, raw json.RawMessage) {
	var v igMentionValue
	if json.Unmarshal(value, &v) != nil || !isDigits(string(v.MediaID)) || v.CommentID != "" && !isDigits(string(v.CommentID)) {
		r.skip(false, "a mention without numeric media and comment ids")
		return
	}
	media, comment := string(v.MediaID), string(v.CommentID)
	text := "[@mentioned this account in a caption of Instagram media " + media + "; the notification carries no text]"
	author := mentionPrefix + media
	if comment != "" {
		text = "[@mentioned this account in Instagram comment " + comment + " on media " + media + "; the notification carries no text]"
		author = mentionPrefix + comment
	}
	// Meta names neither the text nor its author; each mention gets an
	// author of its own rather than all of them being filed under one.
	r.add(care.Inbound{PlatformID: mentionID(media, comment), Visibility: care.Public, Text: text, SentAt: r.entryAt,
		Author:  care.Author{PlatformUserID: author, DisplayName: "Instagram user (mention)"},
		Subject: "Mention on Instagram"}, raw)
}
