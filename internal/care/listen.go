package care

import (
	"math"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Listening bounds, shared by the adapters that find posts and the stores
// that keep them.
const (
	// MaxListenText bounds a found post's text in bytes: enough for a long
	// Reddit or blog post's opening, which is what a report shows.
	MaxListenText = 4096
	// MaxListenPage bounds ListenFilter.Limit.
	MaxListenPage = 1000
	// ListenRetention is how long found posts are kept: as long as the
	// longest report reads back. They are strangers' words, gathered for
	// counting; past any report's reach they serve no one.
	ListenRetention = 400 * 24 * time.Hour
)

// A ListenPost is a public post that listening found: something others
// said in public about the brand or a competitor. It is counted, not
// answered: it opens no conversation. (A post that addresses the brand, an
// @mention or a reply, is found too, since it is part of what is said
// about it; it also reaches the inbox through its channel as ever.)
type ListenPost struct {
	ID          ID      `json:"id"`
	WorkspaceID ID      `json:"-"`
	InboxID     ID      `json:"inbox_id"` // the connected account whose search found it
	Source      Channel `json:"source"`   // the platform
	// PlatformID is the post's id on its platform; with Source it is
	// unique in a workspace, so a post found again is not stored twice.
	PlatformID string    `json:"platform_id"`
	URL        string    `json:"url,omitempty"` // the post on the platform, http(s) only
	Author     Author    `json:"author"`
	Text       string    `json:"text"` // at most MaxListenText bytes, valid UTF-8
	Lang       string    `json:"lang,omitempty"`
	PostedAt   time.Time `json:"posted_at"`
	FoundAt    time.Time `json:"found_at"`
	// Subjects are the names of the listening subjects (the brand, its
	// competitors) whose terms the text contains, in settings order.
	Subjects []string `json:"subjects"`
	// Sentiment is the text's tone, -1 (angry) to +1 (delighted), with
	// the subjects' own names left out of the reading.
	Sentiment float64 `json:"sentiment"`
	// SubjectSentiments, parallel to Subjects, is the tone of what the
	// text says about each subject: "Rival's support is great, Acme's was
	// awful" is not the same news for both. Empty means Sentiment for
	// each, as for posts found before subjects were read apart.
	SubjectSentiments []float64 `json:"subject_sentiments,omitempty"`
}

// ListenQuery is what one search asks a platform for: posts containing any
// of Terms and none of Exclude. Terms are lower-case words, phrases of
// words separated by single spaces, #hashtags or @handles; each adapter
// writes them in its platform's search syntax.
type ListenQuery struct {
	Terms   []string
	Exclude []string
}

// ListenFilter selects a workspace's found posts: PostedAt in [From, To),
// newest first (PostedAt, then ID), each an optional narrowing.
type ListenFilter struct {
	From, To time.Time
	Subject  string  // posts whose Subjects include it
	Source   Channel // posts from one platform
	// Before, when not zero, is the PostedAt and ID of the last post of
	// the previous page: the page continues strictly after it.
	Before   time.Time
	BeforeID ID
	Limit    int // 1 … MaxListenPage
}

// ListenPoint is what a listening report counts of a post.
type ListenPoint struct {
	PostedAt  time.Time
	Source    Channel
	Subjects  []string
	Sentiment float64
	// SubjectSentiments is ListenPost's: parallel to Subjects, or empty
	// for Sentiment for each.
	SubjectSentiments []float64
	Followers         int64
}

// Bounds of a found post's fields besides its text. Everything in a post
// comes from strangers' posts, so every field is bounded before it is kept.
const (
	maxListenURL  = 2048
	maxListenLang = 64 // a BCP 47 tag is far shorter
	// maxListenSubjects bounds Subjects: a workspace listens for its brand
	// and a handful of competitors.
	maxListenSubjects = 100
)

// Validate returns EINVALID, naming the field, for a post a store will not
// keep. PostgreSQL refuses NUL bytes and invalid UTF-8 in text, so both are
// refused for every engine alike; a link must be http(s), since a report
// shows it to be followed.
func (p *ListenPost) Validate() error {
	switch {
	case p.WorkspaceID == 0:
		return Errorf(EINVALID, "A found post needs its workspace.")
	case p.Source == "" || !listenText(string(p.Source), MaxPlatformIDBytes):
		return Errorf(EINVALID, "A found post needs its platform as a source of at most %d bytes.", MaxPlatformIDBytes)
	case p.PlatformID == "" || !listenText(p.PlatformID, MaxPlatformIDBytes):
		return Errorf(EINVALID, "A found post needs its platform id, text of at most %d bytes.", MaxPlatformIDBytes)
	case !listenText(p.Text, MaxListenText):
		return Errorf(EINVALID, "A found post's text must be UTF-8 of at most %d bytes, without NUL bytes; cut longer text on a rune boundary.", MaxListenText)
	case p.URL != "" && !WebLink(p.URL):
		return Errorf(EINVALID, "A found post's link must be an http or https URL of at most %d bytes.", maxListenURL)
	case !listenText(p.Author.PlatformUserID, MaxPlatformIDBytes):
		return Errorf(EINVALID, "A found post's author id must be text of at most %d bytes.", MaxPlatformIDBytes)
	case !listenText(p.Author.Handle, MaxNameBytes) || !listenText(p.Author.DisplayName, MaxNameBytes):
		return Errorf(EINVALID, "A found post's author handle and name must be text of at most %d bytes each.", MaxNameBytes)
	case p.Author.Followers < 0:
		return Errorf(EINVALID, "A found post's author has a negative follower count.")
	case !listenText(p.Lang, maxListenLang):
		return Errorf(EINVALID, "A found post's language must be a tag of at most %d bytes.", maxListenLang)
	case math.IsNaN(p.Sentiment) || p.Sentiment < -1 || p.Sentiment > 1:
		return Errorf(EINVALID, "A found post's sentiment must be from -1 to 1.")
	case len(p.Subjects) > maxListenSubjects:
		return Errorf(EINVALID, "A found post names more than %d subjects.", maxListenSubjects)
	}
	for _, s := range p.Subjects {
		if !ListenSubjectName(s) {
			return Errorf(EINVALID, "A found post's subject %.80q must be a name of at most %d bytes without control characters.", s, MaxNameBytes)
		}
	}
	return nil
}

// ListenSubjectName reports whether s can be kept among a post's subjects:
// a newline inside a name would split it in two where they are stored.
func ListenSubjectName(s string) bool {
	return s != "" && len(s) <= MaxNameBytes && utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

// listenText reports whether s is valid UTF-8 of at most max bytes with no
// NUL byte.
func listenText(s string, max int) bool {
	return len(s) <= max && utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// WebLink reports whether s is an absolute http(s) link of at most 2 KiB,
// one a report may offer to follow: found posts are strangers' words, and
// a javascript: or data: link among them must not be.
func WebLink(s string) bool {
	if s == "" || len(s) > maxListenURL || !utf8.ValidString(s) || strings.ContainsAny(s, " \t\r\n\x00") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
