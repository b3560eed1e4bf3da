package ytfake

import (
	"crypto/sha256"
	"encoding/base64"
	"html"
	"strconv"
	"strings"
	"time"
)

// The resources as developers.google.com/youtube/v3/docs/comments#resource
// and commentThreads#resource show them, fields in their order.

type authorChannelID struct {
	Value string `json:"value"`
}

type commentSnippet struct {
	ChannelID             string           `json:"channelId"`
	VideoID               string           `json:"videoId,omitempty"`
	TextDisplay           string           `json:"textDisplay"`
	TextOriginal          string           `json:"textOriginal"`
	ParentID              string           `json:"parentId,omitempty"`
	AuthorDisplayName     string           `json:"authorDisplayName"`
	AuthorProfileImageURL string           `json:"authorProfileImageUrl"`
	AuthorChannelURL      string           `json:"authorChannelUrl,omitempty"`
	AuthorChannelID       *authorChannelID `json:"authorChannelId,omitempty"`
	CanRate               bool             `json:"canRate"`
	ViewerRating          string           `json:"viewerRating"`
	LikeCount             int64            `json:"likeCount"`
	ModerationStatus      string           `json:"moderationStatus,omitempty"`
	PublishedAt           string           `json:"publishedAt"`
	UpdatedAt             string           `json:"updatedAt"`
}

type commentResource struct {
	Kind    string          `json:"kind"`
	Etag    string          `json:"etag"`
	ID      string          `json:"id"`
	Snippet *commentSnippet `json:"snippet,omitempty"`
}

type threadSnippet struct {
	ChannelID       string          `json:"channelId"`
	VideoID         string          `json:"videoId,omitempty"`
	TopLevelComment commentResource `json:"topLevelComment"`
	CanReply        bool            `json:"canReply"`
	TotalReplyCount int             `json:"totalReplyCount"`
	IsPublic        bool            `json:"isPublic"`
}

type threadReplies struct {
	Comments []commentResource `json:"comments"`
}

type threadResource struct {
	Kind    string         `json:"kind"`
	Etag    string         `json:"etag"`
	ID      string         `json:"id"`
	Snippet *threadSnippet `json:"snippet,omitempty"`
	Replies *threadReplies `json:"replies,omitempty"`
}

type pageInfo struct {
	TotalResults   int `json:"totalResults"`
	ResultsPerPage int `json:"resultsPerPage"`
}

type listResponse struct {
	Kind          string   `json:"kind"`
	Etag          string   `json:"etag"`
	NextPageToken string   `json:"nextPageToken,omitempty"`
	PageInfo      pageInfo `json:"pageInfo"`
	Items         []any    `json:"items"`
}

// etag is a stand-in for YouTube's: it changes when the comment does.
func etag(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return base64.RawURLEncoding.EncodeToString(sum[:15])
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// resource renders c in textFormat format ("html" or "plainText"), with
// its snippet when withSnippet. Callers hold f.mu.
func (f *Fake) resource(c *stored, format string, withSnippet bool) commentResource {
	r := commentResource{Kind: "youtube#comment", Etag: etag(c.ID, stamp(c.UpdatedAt), c.ModerationStatus, strconv.FormatInt(c.Likes, 10)), ID: c.ID}
	if !withSnippet {
		return r
	}
	display := c.Text
	if format != "plainText" {
		display = strings.ReplaceAll(html.EscapeString(c.Text), "\n", "<br>")
	}
	a := c.Author
	url := "http://www.youtube.com/channel/" + a.channelID()
	if a.Handle != "" {
		url = "http://www.youtube.com/@" + a.Handle
	}
	r.Snippet = &commentSnippet{
		ChannelID: f.ChannelID, VideoID: c.VideoID, TextDisplay: display, TextOriginal: c.Text, ParentID: c.ParentID,
		AuthorDisplayName:     a.displayName(),
		AuthorProfileImageURL: "https://yt3.ggpht.com/ytc/fake-" + a.channelID() + "=s48-c-k-c0x00ffffff-no-rj",
		AuthorChannelURL:      url, AuthorChannelID: &authorChannelID{a.channelID()},
		CanRate: true, ViewerRating: "none", LikeCount: c.Likes, ModerationStatus: c.ModerationStatus,
		PublishedAt: stamp(c.PublishedAt), UpdatedAt: stamp(c.UpdatedAt),
	}
	if a.NoChannel {
		r.Snippet.AuthorChannelURL, r.Snippet.AuthorChannelID = "", nil
	}
	return r
}

// thread renders a thread with the parts asked for, as listed for
// moderation status status. Callers hold f.mu.
//
// Which replies a thread listed as held embeds, YouTube does not say; the
// fake embeds the published ones and those of the status asked for, so
// that a held reply can be seen where the thread is listed for it.
// totalReplyCount counts the published replies.
func (f *Fake) thread(c *stored, format string, parts map[string]bool, status string) threadResource {
	t := threadResource{Kind: "youtube#commentThread", ID: c.ID}
	published := f.published(c.replies)
	embed := published
	if status != Published {
		embed = nil
		for _, r := range c.replies {
			if r.ModerationStatus == Published || r.ModerationStatus == status {
				embed = append(embed, r)
			}
		}
	}
	t.Etag = etag(c.ID, stamp(c.UpdatedAt), strconv.Itoa(len(published)))
	if parts["snippet"] {
		t.Snippet = &threadSnippet{ChannelID: f.ChannelID, VideoID: c.VideoID, TopLevelComment: f.resource(c, format, true),
			CanReply: !f.disabled[c.VideoID], TotalReplyCount: len(published), IsPublic: true}
	}
	if parts["replies"] && len(embed) > 0 {
		t.Replies = &threadReplies{}
		for _, r := range embed[:min(len(embed), EmbeddedReplies)] {
			t.Replies.Comments = append(t.Replies.Comments, f.resource(r, format, true))
		}
	}
	return t
}

// published returns the published comments of cs.
func (f *Fake) published(cs []*stored) []*stored {
	var out []*stored
	for _, c := range cs {
		if c.ModerationStatus == Published {
			out = append(out, c)
		}
	}
	return out
}
