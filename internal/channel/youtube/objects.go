package youtube

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// The resources Parley reads, with the fields it uses
// (developers.google.com/youtube/v3/docs/commentThreads#resource,
// developers.google.com/youtube/v3/docs/comments#resource). Comments stay
// raw until mapped, so each event keeps its own part of the page, and one
// malformed comment costs only itself.

// listResponse is a page of commentThreads.list or comments.list:
// "youtube#commentThreadListResponse" or "youtube#commentListResponse".
type listResponse struct {
	NextPageToken string            `json:"nextPageToken"`
	Items         []json.RawMessage `json:"items"`
}

// commentThread is a top-level comment with the replies YouTube embeds,
// which are not necessarily all of them ("use the comments.list method to
// retrieve all"): snippet.totalReplyCount says how many there are.
type commentThread struct {
	Snippet struct {
		TopLevelComment json.RawMessage `json:"topLevelComment"`
		TotalReplyCount count           `json:"totalReplyCount"`
	} `json:"snippet"`
	Replies struct {
		Comments []json.RawMessage `json:"comments"`
	} `json:"replies"`
}

// comment is a top-level comment or a reply.
type comment struct {
	ID      string `json:"id"`
	Snippet struct {
		AuthorDisplayName string    `json:"authorDisplayName"`
		AuthorChannelURL  string    `json:"authorChannelUrl"`
		AuthorChannelID   channelID `json:"authorChannelId"`
		VideoID           string    `json:"videoId"`
		// TextDisplay is the text as asked for with textFormat (Parley
		// asks for plainText: "even the plain text may differ from the
		// original comment text"); TextOriginal the text as written, "only
		// returned to the authenticated user if they are the comment's
		// author" by the documentation, though answers seen carry it for
		// every comment. Parley takes TextOriginal, else TextDisplay.
		TextDisplay  string `json:"textDisplay"`
		TextOriginal string `json:"textOriginal"`
		LikeCount    count  `json:"likeCount"`
		PublishedAt  string `json:"publishedAt"`
		UpdatedAt    string `json:"updatedAt"`
		// ModerationStatus is heldForReview, likelySpam, published or
		// rejected, "only returned if the API request was authorized by
		// the owner of the channel or the video" (the comment resource):
		// Parley's requests are.
		ModerationStatus string `json:"moderationStatus"`
	} `json:"snippet"`
}

// channelID is snippet.authorChannelId: {"value": "UC…"} as the
// documentation shows it. It is "the id of the author's YouTube channel, if
// any" (the API's discovery document, CommentSnippet.authorChannelId): a
// comment by an account without a channel, or whose channel was deleted
// or terminated, comes without it. A bare string, as older descriptions
// of the field had it, is taken too; null or anything else is no channel
// rather than an error, so that an odd field costs the comment its
// author's channel and not the customer's words.
type channelID struct {
	Value string
}

// UnmarshalJSON implements json.Unmarshaler.
func (c *channelID) UnmarshalJSON(b []byte) error {
	var v struct {
		Value string `json:"value"`
	}
	var s string
	switch {
	case json.Unmarshal(b, &v) == nil:
		c.Value = v.Value
	case json.Unmarshal(b, &s) == nil:
		c.Value = s
	default:
		c.Value = ""
	}
	return nil
}

// count is a non-negative count as JSON writes it: a number, or a string
// of digits as Google writes 64-bit integers, at most maxCount. Anything
// else is 0 rather than an error: one odd field must not cost a comment.
type count int64

// maxCount bounds a count, so sums of counts cannot overflow.
const maxCount = 1 << 50

// UnmarshalJSON implements json.Unmarshaler.
func (c *count) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 1 && b[0] == '"' && b[len(b)-1] == '"' {
		b = b[1 : len(b)-1]
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || n < 0 {
		n = 0
	}
	n = min(n, maxCount)
	*c = count(n)
	return nil
}
