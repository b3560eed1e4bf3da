package listen

import (
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Origin is where found posts come from: the workspace, the inbox whose
// account searched (0 for an import) and that account's own id on the
// platform ("" when unknown).
type Origin struct {
	WorkspaceID care.ID
	InboxID     care.ID
	Source      care.Channel // for posts that name none
	OwnID       string
}

// Prepare readies what a search or an import found for storing: it keeps
// the posts that others wrote whose text really is about a subject (a
// platform's search also matches stems, link targets and user names),
// stamped with their origin, the time found, the subjects they are about
// and their tone: the post's, and each subject's (see tones). Links that
// are not http(s) are dropped, not followed, and a post a store would
// refuse is left out rather than costing the others. It does not change
// posts.
//
// A post is matched and read for tone whole (up to MaxMatchBytes, what
// searches keep) and only then cut to care.MaxListenText for storing: a
// long X post or Reddit self-post may name the brand only after its first
// few kilobytes, and is still about it.
func Prepare(posts []care.ListenPost, m *Matcher, o Origin, now time.Time) []care.ListenPost {
	kept := make([]care.ListenPost, 0, len(posts))
	for _, p := range posts {
		var spans [][]Span
		p.Subjects, spans = m.MatchSpans(p.Text)
		if len(p.Subjects) == 0 || p.PlatformID == "" {
			continue
		}
		if o.OwnID != "" && p.Author.PlatformUserID == o.OwnID {
			// The brand's own posts: listening hears what others say.
			continue
		}
		p.ID, p.WorkspaceID, p.InboxID, p.FoundAt = 0, o.WorkspaceID, o.InboxID, now
		if p.Source == "" {
			p.Source = o.Source
		}
		if !care.WebLink(p.URL) {
			p.URL = ""
		}
		p.Author.Followers = max(p.Author.Followers, 0)
		if p.PostedAt.IsZero() || p.PostedAt.After(now) {
			// A post from the future is a clock or a lie; counting it at
			// the time it was found keeps it inside reports.
			p.PostedAt = now
		}
		p.Sentiment, p.SubjectSentiments = tones(p.Text, spans)
		p.Text = channel.Cut(p.Text, care.MaxListenText)
		if p.Validate() != nil {
			continue
		}
		kept = append(kept, p)
	}
	return kept
}
