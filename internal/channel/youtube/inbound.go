package youtube

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// maxSkew bounds how far ahead of Parley's clock a comment's time may be:
// a later time is taken as now, so a wrong clock cannot move the cursor
// past comments not yet read.
const maxSkew = 5 * time.Minute

// youtubeEpoch is YouTube's launch: no comment is older.
var youtubeEpoch = time.Date(2005, 2, 14, 0, 0, 0, 0, time.UTC)

// threadInfo is what mapping a reply needs of its thread.
type threadInfo struct {
	id string
	// author is the top-level comment's author: the customer a reply by
	// the channel answers.
	author care.Author
	own    bool // the top-level comment is the channel's own
}

// item is something a poll saw: a comment's publication (its message) or
// an edit of one.
type item struct {
	id string    // the event's platform id: the comment's, or EditID
	at time.Time // when it was published, or edited; whole seconds
	// edit is, for a comment's message, the id of its edit if it was
	// edited: a comment first seen edited is one message, and its edit no
	// second.
	edit string
	ev   *channel.Event // nil when skipped
	skip string         // why it is skipped
}

// mapper maps the comments of one poll.
type mapper struct {
	brand string // the inbox's channel id
	now   time.Time
}

// Errors of comments that cannot be mapped.
var (
	errNoComment   = errors.New("youtube: not a comment with an id and a publishedAt")
	errNotOfThread = errors.New("youtube: a reply whose id is not of its thread, or a top-level comment whose id is a reply's")
)

// comment maps one comment, top-level or reply, to its items: the
// message, then its edit when updatedAt is later than publishedAt. th is
// the comment's thread, nil for a top-level comment. It returns the
// thread a top-level comment starts, for its replies.
func (m *mapper) comment(raw json.RawMessage, th *threadInfo) ([]item, *threadInfo, error) {
	var c comment
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, nil, err
	}
	published, ok := m.time(c.Snippet.PublishedAt)
	if !validCommentID(c.ID) || !ok {
		return nil, nil, errNoComment
	}
	updated, ok := m.time(c.Snippet.UpdatedAt)
	if !ok || updated.Before(published) {
		updated = published
	}
	s := &c.Snippet
	top := th == nil
	if thread, _ := ThreadOf(c.ID); top == strings.Contains(c.ID, ".") || !top && thread != th.id {
		// A top-level comment's id has no dot; a reply's starts with its
		// thread's.
		return nil, nil, errNotOfThread
	}
	threadID := c.ID
	if !top {
		threadID = th.id
	}
	author, hasChannel := authorOf(&c, threadID)
	own := hasChannel && author.PlatformUserID == m.brand
	if top {
		th = &threadInfo{id: c.ID, author: author, own: own}
	}
	msg := item{id: c.ID, at: published}
	items := []item{msg}
	if updated.After(published) {
		items = append(items, item{id: EditID(c.ID, updated), at: updated})
		items[0].edit = items[1].id
	}
	skip := func(why string) ([]item, *threadInfo, error) {
		for i := range items {
			items[i].skip = why
		}
		return items, th, nil
	}
	text := s.TextOriginal
	if strings.TrimSpace(text) == "" {
		text = s.TextDisplay
	}
	mark := heldMark[s.ModerationStatus]
	text = strings.TrimSpace(channel.CleanText(text, care.MaxTextBytes-len("[Edited] ")-len(mark)))
	switch {
	case own && top:
		return skip("the channel's own comment")
	case own && th.own:
		return skip("the channel's reply in its own thread")
	case text == "":
		return skip("a comment without text")
	}

	in := care.Inbound{Kind: care.KindMessage, PlatformID: c.ID, Visibility: care.Public, Author: author,
		Text: mark + text, SentAt: published, Engagement: int64(s.LikeCount)}
	if top {
		in.Subject, in.NewThread = subject(s.VideoID, c.ID), true
	} else {
		// snippet.parentId is the thread's id too; the id is checked.
		in.ReplyToPlatformID = th.id
	}
	if own {
		// Written in YouTube's own tools, or by Parley: the core knows
		// Parley's replies by their id and skips their echo.
		in.Kind, in.Author = care.KindEcho, th.author
	}
	items[0].ev = &channel.Event{Inbound: in, Raw: raw}
	if len(items) == 2 {
		if own {
			items[1].skip = "an edit of the channel's own reply"
		} else {
			ed := in
			ed.PlatformID, ed.ReplyToPlatformID, ed.Subject, ed.NewThread = items[1].id, c.ID, "", false
			ed.Text, ed.SentAt = "[Edited] "+mark+text, updated
			items[1].ev = &channel.Event{Inbound: ed, Raw: raw}
		}
	}
	return items, th, nil
}

// heldMark starts the text of a comment that is not on show: one YouTube
// holds for the channel's review, or took for likely spam (snippet
// .moderationStatus, read with held_comments). Agents see why the
// customer's words are not under the video, and that unhiding publishes
// them.
var heldMark = map[string]string{
	"heldForReview": "[Held for review] ",
	"likelySpam":    "[Likely spam] ",
}

// noChannelPrefix starts the identity of an author without a channel.
// YouTube's own ids have no colon, so it names no channel.
const noChannelPrefix = "nochannel:"

// authorOf is who wrote comment c, in thread threadID, as Parley knows
// them; hasChannel is false when YouTube gave no channel for them.
//
// snippet.authorChannelId is "the id of the author's YouTube channel, if
// any", and authorChannelUrl its "link to the author's YouTube channel, if
// any" (CommentSnippet in the API's discovery document;
// developers.google.com/youtube/v3/docs/comments#resource shows
// "authorChannelId": {"value": string}). A comment by an account without a
// channel, or whose channel was deleted or terminated, comes without them
// but with its authorDisplayName, and is a customer's words all the same,
// so its author is made of what there is:
//
//   - the channel id of an authorChannelUrl on YouTube ending
//     /channel/UC…, when only authorChannelId is missing: the identity the
//     id itself would give;
//   - else "nochannel:{thread}:{hash of the display name}". A display name
//     is no identity across YouTube: two "Jane Doe"s are two people, and
//     one customer's name in two threads cannot be told from a stranger's.
//     Within one thread, though, the name answering back is the same person
//     far more often than not. So one customer's comment, replies and
//     edits in a thread stay one contact, and strangers of the same name in
//     different threads are never merged (the price: the same person in
//     two threads is two contacts);
//   - else, without a name either, "nochannel:{comment id}": one identity
//     per comment, since nothing tells such authors apart.
//
// The contact is named by the display name either way. A handle belongs to
// a channel, so an author without one has none: "@name" in the display
// name of an account without a channel may be another's handle by now.
func authorOf(c *comment, threadID string) (a care.Author, hasChannel bool) {
	s := &c.Snippet
	a.DisplayName = channel.CleanName(s.AuthorDisplayName, care.MaxNameBytes)
	id := s.AuthorChannelID.Value
	if !idChars(id, 64) {
		id = channelOfURL(s.AuthorChannelURL)
	}
	switch {
	case id != "":
		a.PlatformUserID, a.Handle = id, handleOf(s.AuthorChannelURL, s.AuthorDisplayName)
		return a, true
	case a.DisplayName != "":
		sum := sha256.Sum256([]byte(a.DisplayName))
		a.PlatformUserID = noChannelPrefix + threadID + ":" + hex.EncodeToString(sum[:12])
	default:
		a.PlatformUserID = noChannelPrefix + c.ID
	}
	return a, false
}

// channelOfURL returns the channel id of a channel's URL on YouTube,
// http://www.youtube.com/channel/UC…, "" for anything else.
func channelOfURL(s string) string {
	if s == "" || len(s) > 2048 {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	id, ok := strings.CutPrefix(u.Path, "/channel/")
	if !ok || (host != "youtube.com" && host != "m.youtube.com") || !validChannelID(id) {
		return ""
	}
	return id
}

// subject names a thread: the link to its top-level comment on its video
// (lc highlights the comment), or the comment's id for one on the channel
// itself. Each thread's is its own, so a customer's threads are never
// joined by their subjects.
func subject(videoID, commentID string) string {
	if idChars(videoID, 11) && len(videoID) == 11 {
		return "Comment on https://www.youtube.com/watch?v=" + videoID + "&lc=" + commentID
	}
	return "Comment " + commentID + " on the channel"
}

// mappedThread is a thread of a page, mapped: the items of its top-level
// comment, then those of each reply the page embeds.
type mappedThread struct {
	th       *threadInfo
	comments [][]item
	// total is the thread's totalReplyCount; embedded the replies the page
	// held.
	total, embedded int64
	// broken are the errors of embedded replies that are not comments.
	broken []error
}

// thread maps one thread of a page of commentThreads.list. Its top-level
// comment's engagement counts its replies too.
func (m *mapper) thread(raw json.RawMessage) (*mappedThread, error) {
	var t commentThread
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, err
	}
	items, th, err := m.comment(t.Snippet.TopLevelComment, nil)
	if err != nil {
		return nil, err
	}
	mt := &mappedThread{th: th, total: int64(t.Snippet.TotalReplyCount), embedded: int64(len(t.Replies.Comments))}
	for _, it := range items {
		if it.ev != nil {
			it.ev.Inbound.Engagement += mt.total
		}
	}
	mt.comments = append(mt.comments, items)
	for _, r := range t.Replies.Comments {
		items, _, err := m.comment(r, th)
		if err != nil {
			mt.broken = append(mt.broken, err)
			continue
		}
		mt.comments = append(mt.comments, items)
	}
	return mt, nil
}

// time reads a comment's RFC 3339 time in whole seconds; ok is false for
// anything else or anything before YouTube. A time later than now (with
// some skew) is taken as now.
func (m *mapper) time(s string) (time.Time, bool) {
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Before(youtubeEpoch) {
		return time.Time{}, false
	}
	if t.After(m.now.Add(maxSkew)) {
		t = m.now
	}
	return t.UTC().Truncate(time.Second), true
}
