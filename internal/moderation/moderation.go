package moderation

import (
	"hash/maphash"
	"time"
)

// Action is what to do with a comment.
type Action string

// Actions. The caller maps them onto what the platform's API allows: Facebook
// and Instagram hide and delete comments, YouTube holds them for review or
// rejects them.
const (
	Allow  Action = "allow"
	Hide   Action = "hide"   // hidden from the public, not from its author
	Delete Action = "delete" // removed
	Flag   Action = "flag"   // left up, queued for a person to review
	Reply  Action = "reply"  // answered publicly with a saved reply
)

// Kind is what a rule looks for.
type Kind string

// Kinds of rule; doc.go describes each.
const (
	Profanity Kind = "profanity"
	Spam      Kind = "spam"
	Links     Kind = "links"
	LowEffort Kind = "low_effort"
	Repeated  Kind = "repeated"
	Words     Kind = "words"
)

// NoLinkLimit as a links rule's MaxLinks leaves the number of links
// unchecked, for a rule about domains only.
const NoLinkLimit = -1

// Rule is one moderation rule of a workspace. Only the fields of its Kind
// may be set; New says which is wrong.
type Rule struct {
	Kind   Kind
	Action Action // Hide, Delete, Flag or Reply

	// MaxLinks is, for Links, how many links a comment may have: 0 allows
	// none, NoLinkLimit any number.
	MaxLinks int
	// AllowDomains, for Links, are the only domains a link may go to, with
	// their subdomains; none means any. BlockDomains, for Links, are domains
	// no link may go to. Shortened and affiliate links are refused unless
	// their domain is on AllowDomains (a brand's own shortener).
	AllowDomains, BlockDomains []string

	// Words, for Words, are the workspace's blocked words and phrases,
	// matched like the profanity list; "*" ends a word that may go on
	// ("scam*" matches "scammers").
	Words []string

	// Threshold, for Repeated, is how many distinct authors posting the same
	// text within Window make it repeated: from the Threshold-th on, their
	// comments get the rule's action.
	Threshold int
	Window    time.Duration

	// SavedReplyID, for Action Reply, is the saved reply to answer with.
	SavedReplyID int64
}

// Comment is a public comment on one of the brand's own pages or posts: only
// what the rules read. The caller keeps the comment's id to apply the
// decision.
type Comment struct {
	AuthorID string // the platform's id of its author
	Text     string
	// At is when it was posted; zero, or later than the moderator's clock,
	// means now.
	At time.Time
}

// Decision is what to do with a comment, and why.
type Decision struct {
	Action Action
	// Kind is the kind of the rule that decided; "" when none matched.
	Kind Kind
	// Reason says why, for the moderation log and the review queue:
	// "2 links (at most 1)", "profanity: 'f***'". It never repeats an
	// offensive word whole.
	Reason string
	// Complaint is set when a rule matched a comment that reads as a genuine
	// complaint; RouteToCare then asks the caller to open or add to a care
	// conversation, so a person answers it.
	Complaint   bool
	RouteToCare bool
	// SavedReplyID is the saved reply to answer with, when Action is Reply.
	SavedReplyID int64
}

// Options configure a Moderator.
type Options struct {
	// IsComplaint reports whether a comment's text reads as a genuine
	// complaint. It receives at most MaxTextBytes of valid UTF-8, and must
	// be safe for concurrent use. Nil means the built-in check: a list of
	// complaint phrases in English, Spanish, French, German, Portuguese and
	// Dutch.
	IsComplaint func(text string) bool
	// Now is the clock of repeated rules; nil means time.Now.
	Now func() time.Time
}

// Moderator decides what to do with comments under a workspace's rules. It
// is safe for concurrent use; repeated rules keep what they have seen in
// memory, bounded by MaxTracked texts each.
type Moderator struct {
	rules       []compiled
	isComplaint func(string) bool
	now         func() time.Time
	seed        maphash.Seed // fingerprints and author ids
	blocked     []string     // every links rule's BlockDomains: promotional wherever they appear
	repeated    bool         // a rule is Repeated: fingerprint every comment
}

// New returns a Moderator for rules, tried in order. It returns EINVALID
// naming the first rule that is wrong: an unknown kind or action, a field
// its kind does not use, a missing Words list, Threshold or Window, or a
// malformed word or domain.
func New(rules []Rule, opts Options) (*Moderator, error) {
	m := &Moderator{isComplaint: opts.IsComplaint, now: opts.Now, seed: maphash.MakeSeed()}
	if m.now == nil {
		m.now = time.Now
	}
	if len(rules) > MaxRules {
		return nil, invalid("A workspace may have at most %d moderation rules, not %d.", MaxRules, len(rules))
	}
	for i, r := range rules {
		c, err := compile(r)
		if err != nil {
			if !r.Kind.valid() {
				return nil, invalid("Rule %d: %s.", i+1, err)
			}
			return nil, invalid("Rule %d (%s): %s.", i+1, r.Kind, err)
		}
		m.rules = append(m.rules, c)
		m.blocked = append(m.blocked, c.BlockDomains...)
		m.repeated = m.repeated || c.tracker != nil
	}
	return m, nil
}

// Decide returns what to do with c: the action of the first rule that
// matches, or Allow. A hide, delete or reply of a comment that reads as a
// genuine complaint becomes Flag with RouteToCare, so it is never silently
// hidden, unless the comment is also promotional (see doc.go). Decide reads
// at most MaxTextBytes of c.Text.
func (m *Moderator) Decide(c Comment) Decision {
	t := analyse(c.Text)
	now := m.now()
	at := c.At
	if at.IsZero() || at.After(now) {
		at = now
	}
	// Every repeated rule counts every comment, whichever rule decides it,
	// so a copied text caught by an earlier rule still counts its authors.
	var counts []int
	if fp, ok := t.fingerprint(m.seed); ok && m.repeated {
		counts = make([]int, len(m.rules))
		author := maphash.String(m.seed, c.AuthorID)
		for i := range m.rules {
			if tr := m.rules[i].tracker; tr != nil {
				counts[i] = tr.observe(fp, author, at)
			}
		}
	}
	for i := range m.rules {
		r := &m.rules[i]
		count := 0
		if counts != nil {
			count = counts[i]
		}
		reason, ok := r.match(t, count)
		if !ok {
			continue
		}
		d := Decision{Action: r.Action, Kind: r.Kind, Reason: reason}
		if r.Action == Reply {
			d.SavedReplyID = r.SavedReplyID
		}
		return m.guard(d, t)
	}
	return Decision{Action: Allow}
}

// guard keeps a genuine complaint in front of a person.
func (m *Moderator) guard(d Decision, t *text) Decision {
	complaint := false
	if m.isComplaint != nil {
		complaint = m.isComplaint(t.raw)
	} else {
		complaint = t.complaint()
	}
	if !complaint || m.promotional(t) {
		return d
	}
	d.Complaint, d.RouteToCare = true, true
	switch d.Action {
	case Hide:
		d.Reason += "; reads as a complaint, so flagged for care instead of hidden"
	case Delete:
		d.Reason += "; reads as a complaint, so flagged for care instead of deleted"
	case Reply:
		// A saved reply to a complaint reads as a brush-off.
		d.Reason += "; reads as a complaint, so flagged for care instead of a saved reply"
	default:
		return d
	}
	d.Action, d.SavedReplyID = Flag, 0
	return d
}

// promotional reports that t advertises or phishes: a recruiting phrase,
// money bait, a shortened or affiliate link, a link to a domain a links rule
// blocks, or one spelt with look-alike letters. A complaint phrase in such a
// comment is bait, not a complaint. A link merely off an allow list does not
// count: customers link photos of what went wrong.
func (m *Moderator) promotional(t *text) bool {
	if t.spam().promotional {
		return true
	}
	for _, l := range t.links {
		if _, ok := onList(l.host, m.blocked); ok || l.disguised {
			return true
		}
	}
	return false
}

// analyse prepares s for the rules.
func analyse(s string) *text {
	t := prepare(s)
	t.links = t.findLinks()
	return t
}
