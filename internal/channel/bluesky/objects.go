package bluesky

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Wire objects, as the lexicons define them (app.bsky.actor.defs,
// app.bsky.feed.post, app.bsky.embed.*, app.bsky.notification.
// listNotifications, chat.bsky.convo.defs). Only the fields Parley reads;
// each notification and log entry is decoded on its own, so one malformed
// item is skipped without costing the rest of its page.

// profile is app.bsky.actor.defs#profileView and its relatives
// (profileViewBasic in chat, profileViewDetailed from getProfiles, which
// alone carries followersCount).
type profile struct {
	DID            string     `json:"did"`
	Handle         string     `json:"handle"`
	DisplayName    string     `json:"displayName"`
	FollowersCount *flexCount `json:"followersCount"`
	// Verification is the account's blue check: verifiedStatus "valid"
	// when a trusted verifier vouches for it (actor.defs#verificationState).
	Verification *struct {
		VerifiedStatus string `json:"verifiedStatus"`
	} `json:"verification"`
}

func (p *profile) verified() bool {
	return p.Verification != nil && p.Verification.VerifiedStatus == "valid"
}

// strongRef is com.atproto.repo.strongRef: a record's URI and the CID of
// the version meant.
type strongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// replyRef is app.bsky.feed.post#replyRef: the thread's first post and the
// post answered.
type replyRef struct {
	Root   strongRef `json:"root"`
	Parent strongRef `json:"parent"`
}

// postRecord is an app.bsky.feed.post record.
type postRecord struct {
	Type      string    `json:"$type"`
	Text      string    `json:"text"`
	CreatedAt string    `json:"createdAt"`
	Reply     *replyRef `json:"reply"`
	Embed     *embed    `json:"embed"`
	// Facets are read for their links only (expandLinks), and kept raw so
	// that malformed ones cost only themselves.
	Facets json.RawMessage `json:"facets"`
}

// embed is any of the post embeds: app.bsky.embed.images (images),
// .video (video, alt), .external (external), .record (record, a
// strongRef), .recordWithMedia (record, an embed.record, and media).
type embed struct {
	Type   string `json:"$type"`
	Images []struct {
		Alt   string `json:"alt"`
		Image *blob  `json:"image"`
	} `json:"images"`
	Video    *blob  `json:"video"`
	Alt      string `json:"alt"`
	External *struct {
		URI string `json:"uri"`
	} `json:"external"`
	Record json.RawMessage `json:"record"`
	Media  *embed          `json:"media"`
}

// quoted returns the URI of the record an embed quotes, "" if none.
func (e *embed) quoted() string {
	if e == nil || len(e.Record) == 0 {
		return ""
	}
	var ref struct {
		URI    string `json:"uri"`
		Record *struct {
			URI string `json:"uri"`
		} `json:"record"`
	}
	if json.Unmarshal(e.Record, &ref) != nil {
		return ""
	}
	if ref.Record != nil { // recordWithMedia: {"record": {"record": ref}}
		return ref.Record.URI
	}
	return ref.URI
}

// blob is a blob reference: {"$type": "blob", "ref": {"$link": cid},
// "mimeType", "size"}, or the legacy {"cid", "mimeType"}.
type blob struct {
	Ref *struct {
		Link string `json:"$link"`
	} `json:"ref"`
	CID      string    `json:"cid"`
	MimeType string    `json:"mimeType"`
	Size     flexCount `json:"size"`
}

func (b *blob) cid() string {
	if b.Ref != nil && b.Ref.Link != "" {
		return b.Ref.Link
	}
	return b.CID
}

// notification is one item of listNotifications.
type notification struct {
	URI       string          `json:"uri"`
	CID       string          `json:"cid"`
	Author    profile         `json:"author"`
	Reason    string          `json:"reason"`
	Record    json.RawMessage `json:"record"`
	IndexedAt string          `json:"indexedAt"`
}

// logEntry is one item of chat.bsky.convo.getLog: a union of
// chat.bsky.convo.defs#logBeginConvo, #logAcceptConvo, #logLeaveConvo,
// #logCreateMessage, #logDeleteMessage and others to come.
type logEntry struct {
	Type    string          `json:"$type"`
	Rev     string          `json:"rev"`
	ConvoID string          `json:"convoId"`
	Message json.RawMessage `json:"message"`
}

// messageView is chat.bsky.convo.defs#messageView (or #deletedMessageView,
// which has no text).
type messageView struct {
	Type   string `json:"$type"`
	ID     string `json:"id"`
	Text   string `json:"text"`
	Sender struct {
		DID string `json:"did"`
	} `json:"sender"`
	SentAt string `json:"sentAt"`
	// Facets are read for their links only (expandLinks), and kept raw so
	// that malformed ones cost only themselves.
	Facets json.RawMessage `json:"facets"`
	// Embed is app.bsky.embed.record#view: a post shared into the chat.
	Embed *struct {
		Record *struct {
			URI string `json:"uri"`
		} `json:"record"`
	} `json:"embed"`
}

// flexCount is a non-negative count; anything else (a negative or
// fractional number, a string, null) decodes as 0 rather than failing the
// object.
type flexCount int64

func (c *flexCount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) != nil {
			*c = 0
			return nil
		}
		b = []byte(s)
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || n < 0 {
		n = 0
	}
	*c = flexCount(n)
	return nil
}
