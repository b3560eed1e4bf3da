package reviews

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// The wire format: developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews.

// reviewJSON is a Review resource.
type reviewJSON struct {
	Name     string `json:"name"`
	ReviewID string `json:"reviewId"`
	Reviewer struct {
		ProfilePhotoURL string `json:"profilePhotoUrl"`
		DisplayName     string `json:"displayName"`
		IsAnonymous     bool   `json:"isAnonymous"`
	} `json:"reviewer"`
	StarRating  string     `json:"starRating"`
	Comment     string     `json:"comment"`
	CreateTime  string     `json:"createTime"`
	UpdateTime  string     `json:"updateTime"`
	ReviewReply *replyJSON `json:"reviewReply"`
	// ReviewMediaItems are the customer's photos and videos: "Output
	// only. The media items associated with the review", a list of
	// ReviewMediaItem, which carry "thumbnail image and video urls"
	// (developers.google.com/my-business/content/latest-updates,
	// 2026-04-20). Kept raw, so that an odd one costs only itself.
	ReviewMediaItems json.RawMessage `json:"reviewMediaItems"`
}

// mediaJSON is a ReviewMediaItem: thumbnailUrl, an image of a photo or of
// a video's first frame; videoUrl, the video's.
type mediaJSON struct {
	ThumbnailURL string `json:"thumbnailUrl"`
	VideoURL     string `json:"videoUrl"`
}

// replyJSON is a ReviewReply: the owner's or manager's answer. Since
// 2026-04-01 Google moderates replies before showing them: the output-only
// reviewReplyState is PENDING ("pending moderation"), APPROVED, REJECTED
// or REVIEW_REPLY_STATE_UNSPECIFIED, and a rejected reply carries its
// policyViolation
// (developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews#ReviewReply,
// #State, #PolicyViolation). Only comment is written; the rest is read.
type replyJSON struct {
	Comment          string          `json:"comment"`
	UpdateTime       string          `json:"updateTime,omitempty"`
	ReviewReplyState string          `json:"reviewReplyState,omitempty"`
	PolicyViolation  json.RawMessage `json:"policyViolation,omitempty"`
}

// replyRejected is the reviewReplyState of a reply Google will not show.
const replyRejected = "REJECTED"

// violation names the policy a rejected reply broke, for agents: Google's
// enum value ("PERSONAL_INFORMATION") as words, or "" when there is none
// or it is not a plain enum value. An object, as some descriptions of the
// field have it, gives the first such value among its own fields, by name.
func violation(raw json.RawMessage) string {
	word := func(s string) string {
		if s == "" || len(s) > 64 || strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != "" || strings.HasSuffix(s, "_UNSPECIFIED") {
			return ""
		}
		return strings.ToLower(strings.ReplaceAll(s, "_", " "))
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return word(s)
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if json.Unmarshal(m[k], &s) == nil {
			if v := word(s); v != "" {
				return v
			}
		}
	}
	return ""
}

// listJSON is a ListReviewsResponse, without averageRating and
// totalReviewCount, which Parley does not use. Each review is kept raw, so
// that one broken review costs only itself and each event carries its own
// bytes.
type listJSON struct {
	Reviews       []json.RawMessage `json:"reviews"`
	NextPageToken string            `json:"nextPageToken"`
}

// review is a Review as Parley uses it, checked and normalised.
type review struct {
	name    string // accounts/{a}/locations/{l}/reviews/{r}
	id      string
	author  care.Author
	rating  int // 0 when unspecified
	comment string
	created time.Time
	updated time.Time
	reply   *ownerReply
	media   []care.Attachment
	raw     []byte
}

type ownerReply struct {
	comment string
	updated time.Time
}

// Labels written into messages.
const (
	noText       = "(no written review)"
	editedPrefix = "[Edited] "
	// anonymousName is shown for an anonymous reviewer when Google gives
	// no name (it usually gives "A Google User").
	anonymousName = "Anonymous reviewer"
)

// errNotReview is a review Parley cannot use: not this location's, without
// a usable name or time.
var errNotReview = errors.New("reviews: not a review of this location")

// parseReview checks and normalises one Review of location loc. It returns
// errNotReview (wrapped) for one without a name under loc, a reviewId that
// is not a plain id, or an unreadable createTime or updateTime.
func parseReview(loc string, raw []byte) (review, error) {
	var v reviewJSON
	if err := json.Unmarshal(raw, &v); err != nil {
		return review{}, err
	}
	name := v.Name
	if name == "" && v.ReviewID != "" {
		name = loc + "/reviews/" + v.ReviewID
	}
	if !reviewName(loc, name) {
		return review{}, errors.Join(errNotReview, errors.New("no name under the location"))
	}
	created, ok1 := parseTime(v.CreateTime)
	updated, ok2 := parseTime(v.UpdateTime)
	switch {
	case !ok1 && !ok2:
		return review{}, errors.Join(errNotReview, errors.New("no createTime or updateTime"))
	case !ok1:
		created = updated
	case !ok2 || updated.Before(created):
		updated = created
	}
	r := review{name: name, id: name[strings.LastIndexByte(name, '/')+1:], rating: stars(v.StarRating),
		comment: strings.TrimSpace(channel.CleanText(original(v.Comment), care.MaxTextBytes/2)), created: created, updated: updated, raw: raw}
	r.author = author(r.id, v.Reviewer.DisplayName, v.Reviewer.ProfilePhotoURL, v.Reviewer.IsAnonymous)
	r.media = media(v.ReviewMediaItems)
	// A reply Google rejected is not shown on the review: for the customer
	// and for Parley it is no answer.
	if rr := v.ReviewReply; rr != nil && rr.ReviewReplyState != replyRejected {
		if c := strings.TrimSpace(channel.CleanText(rr.Comment, care.MaxTextBytes)); c != "" {
			t, ok := parseTime(rr.UpdateTime)
			if !ok {
				t = updated
			}
			r.reply = &ownerReply{comment: c, updated: t}
		}
	}
	return r, nil
}

// Bounds of the media kept of a review. Google says of neither; care
// takes at most care.MaxAttachments attachments of URLs up to 2048 bytes.
const (
	maxMedia         = 10
	maxMediaURLBytes = 2048
)

// media returns a review's photos and videos as attachments: a video by
// its videoUrl, a photo (or a video without a usable videoUrl) by its
// thumbnailUrl, at most maxMedia of them, each once. Parley links to them
// and does not fetch them. A URL that is not a plain https one is hostile
// or broken, and left out with its item; so is an item that is not a
// ReviewMediaItem, and the whole list when it is not a list.
func media(raw json.RawMessage) []care.Attachment {
	if len(raw) == 0 {
		return nil
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []care.Attachment
	seen := map[string]bool{}
	for _, it := range items {
		if len(out) == maxMedia {
			break
		}
		var m mediaJSON
		if json.Unmarshal(it, &m) != nil {
			continue
		}
		a := care.Attachment{Kind: "video", URL: m.VideoURL}
		if !mediaURL(a.URL) {
			a = care.Attachment{Kind: "image", URL: m.ThumbnailURL}
		}
		if mediaURL(a.URL) && !seen[a.URL] {
			seen[a.URL] = true
			out = append(out, a)
		}
	}
	return out
}

// mediaURL reports whether s is an absolute https URL of sane length,
// without credentials, and of printable ASCII only, without the characters
// that would break out of a link: Google's media URLs are plain ones, and
// anything else (spaces, controls, bidi overrides that make a link read
// as another) is not one of them.
func mediaURL(s string) bool {
	if s == "" || len(s) > maxMediaURLBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>\\`", c) >= 0 {
			return false
		}
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil
}

// parseTime reads a Timestamp: RFC 3339, "Z-normalized" with 0, 3, 6 or
// 9 fractional digits, though other offsets are accepted too. ok is
// false for anything else, or a time before 2000 or far in the future.
func parseTime(s string) (t time.Time, ok bool) {
	if s == "" || len(s) > 40 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 2000 || t.Year() > 9000 {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// stamp writes t in one canonical form, so that one instant always gives
// the same message id however Google wrote it.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// stars reads a StarRating: ONE to FIVE are 1 to 5; STAR_RATING_UNSPECIFIED
// and anything unknown are 0, no rating.
func stars(s string) int {
	switch s {
	case "ONE":
		return 1
	case "TWO":
		return 2
	case "THREE":
		return 3
	case "FOUR":
		return 4
	case "FIVE":
		return 5
	}
	return 0
}

// starLine shows a rating as agents see it on Google: ★★☆☆☆ for 2; "" for
// none.
func starLine(n int) string {
	if n < 1 || n > 5 {
		return ""
	}
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}

// Markers of a comment Google translated. A review written in another
// language than the reader's comes as "(Translated by Google) <translation>
// \n\n(Original)\n<original>" in one field. The first "(Original)" after
// the prefix is the boundary: Google writes it once, right after its
// translation, and any later one is the customer's own text.
const (
	translatedPrefix = "(Translated by Google)"
	originalMarker   = "(Original)"
)

// original returns the customer's own words of a comment: the original of
// a comment Google translated, the comment itself otherwise. Parley keeps
// the original because triage reads the customer's language from it, and
// agents answer in it; a comment with the prefix but no original is kept
// whole rather than lost.
func original(comment string) string {
	body := strings.TrimLeftFunc(comment, unicode.IsSpace)
	rest, ok := strings.CutPrefix(body, translatedPrefix)
	if !ok {
		return comment
	}
	i := strings.Index(rest, originalMarker)
	if i < 0 {
		return comment
	}
	if o := strings.TrimSpace(rest[i+len(originalMarker):]); o != "" {
		return o
	}
	return comment
}

// dropFormat removes format characters from a name, such as the bidi
// overrides that would make a name read backwards, but for what emoji
// sequences need: the joiners, and the tag characters of subdivision flags
// (Scotland's is a black flag followed by the tags "gbsct" and a cancel tag).
func dropFormat(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d' && !(r >= 0xE0020 && r <= 0xE007F) {
			return -1
		}
		return r
	}, s)
}

// author is the reviewer as Parley knows them. Google gives a reviewer no
// id, only a name and a photo, so:
//
//   - an anonymous reviewer is "anonymous:{reviewId}": one identity per
//     review, since nothing tells two anonymous reviewers apart;
//   - a named reviewer with a photo is "reviewer:" and a hash of the name
//     and the photo's address without its size options: the photo is the
//     Google account's, so one person's reviews of the brand's locations
//     meet in one contact;
//   - a named reviewer without a photo is "review:{reviewId}", since a name
//     alone ("John Smith") is no identity.
func author(reviewID, name, photo string, anonymous bool) care.Author {
	name = channel.CleanName(dropFormat(name), care.MaxNameBytes)
	if anonymous {
		if name == "" {
			name = anonymousName
		}
		return care.Author{PlatformUserID: "anonymous:" + reviewID, DisplayName: name}
	}
	if name == "" {
		name = anonymousName
	}
	if key := photoKey(photo); key != "" {
		sum := sha256.Sum256([]byte(name + "\x00" + key))
		return care.Author{PlatformUserID: "reviewer:" + hex.EncodeToString(sum[:12]), DisplayName: name}
	}
	return care.Author{PlatformUserID: "review:" + reviewID, DisplayName: name}
}

// photoKey is a profile photo's address without what varies between
// requests: Google's image servers take size and crop options after an "="
// at the end of the path (…/a-/ALV-UjX…=s120-c-rp-mo-br100).
func photoKey(photo string) string {
	if photo == "" || len(photo) > 2048 {
		return ""
	}
	u, err := url.Parse(photo)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	p := u.Path
	if i := strings.LastIndexByte(p, '='); i > strings.LastIndexByte(p, '/') {
		p = p[:i]
	}
	return strings.ToLower(u.Host) + p
}

// Message ids. A review's first message is its resource name; an edit adds
// "@" and the edit's updateTime; an owner's reply is the name, "/reply/"
// and a hash of its text, so that the reply Parley sent and the one the
// next poll reads have the same id, and Parley recognises its own.
const replyPart = "/reply/"

func editID(name string, updated time.Time) string { return name + "@" + stamp(updated) }

// ReplyID is the platform id under which Parley stores a reply to the
// review name with the given text (our own, or one made in Google's
// tools): tools that check what was answered compare against it.
func ReplyID(name, comment string) string { return name + replyPart + replyHash(comment) }

// replyHash identifies a reply's text, compared as Google may store it:
// trimmed, with \n line breaks.
func replyHash(comment string) string {
	c := strings.TrimSpace(strings.ReplaceAll(comment, "\r\n", "\n"))
	sum := sha256.Sum256([]byte(c))
	return hex.EncodeToString(sum[:6])
}

// contentHash identifies what the customer wrote: rating and comment.
func (r *review) contentHash() string {
	sum := sha256.Sum256([]byte(starLine(r.rating) + "\x00" + r.comment))
	return hex.EncodeToString(sum[:6])
}

// idKind says what a message id names.
type idKind int

const (
	idReview idKind = iota + 1
	idEdit
	idReply
)

// parseID splits one of the adapter's message ids into the review's name,
// what it names, and the reply's hash for a reply. ok is false for an id
// that is not the adapter's, or names a review of another location.
func parseID(loc, id string) (name string, kind idKind, hash string, ok bool) {
	switch {
	case strings.Contains(id, replyPart):
		name, hash, _ = strings.Cut(id, replyPart)
		kind = idReply
		if len(hash) != 12 || strings.Trim(hash, "0123456789abcdef") != "" {
			return "", 0, "", false
		}
	case strings.Contains(id, "@"):
		var t string
		name, t, _ = strings.Cut(id, "@")
		kind = idEdit
		if _, tok := parseTime(t); !tok {
			return "", 0, "", false
		}
	default:
		name, kind = id, idReview
	}
	if !reviewName(loc, name) {
		return "", 0, "", false
	}
	return name, kind, hash, true
}

// Events. Every review event is public, by the reviewer, in reply to the
// review's first message, so that edits and replies thread with it.

func (r *review) inbound(kind care.InboundKind, id, text string, at time.Time) channel.Event {
	in := care.Inbound{Kind: kind, Channel: care.ChannelReviews, PlatformID: id, Visibility: care.Public,
		Author: r.author, Text: text, SentAt: at}
	if id != r.name {
		in.ReplyToPlatformID = r.name
	} else {
		in.NewThread = kind == care.KindMessage // each review is a conversation of its own
	}
	return channel.Event{Inbound: in, Raw: r.raw}
}

// text is what agents read of the review: its stars, then the customer's
// words, or a note that there are none.
func (r *review) text() string {
	c := r.comment
	if c == "" {
		c = noText
	}
	if s := starLine(r.rating); s != "" {
		return s + " " + c
	}
	return c
}

// message is the review as a customer's message, with its photos and
// videos.
func (r *review) message() channel.Event {
	ev := r.inbound(care.KindMessage, r.name, r.text(), r.created)
	ev.Inbound.Rating, ev.Inbound.Attachments = r.rating, slices.Clone(r.media)
	return ev
}

// edit is the review as its author changed it: a new message in the same
// conversation, whose id carries the edit's time. It is the review whole,
// photos too: for a review not imported, it is all agents see of it.
func (r *review) edit() channel.Event {
	ev := r.inbound(care.KindMessage, editID(r.name, r.updated), editedPrefix+r.text(), r.updated)
	ev.Inbound.Rating, ev.Inbound.Attachments = r.rating, slices.Clone(r.media)
	return ev
}

// echo is the owner's reply, made outside Parley or by Parley itself (which
// the core recognises by its id and skips); ok is false without one.
func (r *review) echo() (channel.Event, bool) {
	if r.reply == nil {
		return channel.Event{}, false
	}
	return r.inbound(care.KindEcho, ReplyID(r.name, r.reply.comment), r.reply.comment, r.reply.updated), true
}

// replyGone says the reply with hash h no longer shows on Google: deleted,
// or replaced by a newer one.
func (r *review) replyGone(h string) channel.Event {
	return channel.Event{Inbound: care.Inbound{Kind: care.KindDelete, Channel: care.ChannelReviews,
		PlatformID: r.name + replyPart + h, Visibility: care.Public, SentAt: r.updated}, Raw: r.raw}
}
