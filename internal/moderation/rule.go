package moderation

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Limits of a workspace's rules. A repeated rule's memory grows with
// Threshold (see MaxTracked); a words rule's list is compiled once.
const (
	MaxRules     = 64
	MaxWords     = 5000
	MaxDomains   = 1000
	MaxThreshold = 50
	MaxWindow    = 7 * 24 * time.Hour
)

// compiled is a validated rule, ready to match.
type compiled struct {
	Rule
	words   *lexicon // Words
	tracker *tracker // Repeated
}

func invalid(format string, args ...any) error {
	return care.Errorf(care.EINVALID, format, args...)
}

// compile validates r and prepares it. Errors are phrased to follow "Rule
// N (kind): ".
func compile(r Rule) (compiled, error) {
	c := compiled{Rule: r}
	if !r.Kind.valid() {
		return c, fmt.Errorf("unknown kind %.40q; want profanity, spam, links, low_effort, repeated or words", r.Kind)
	}
	switch r.Action {
	case Hide, Delete, Flag:
		if r.SavedReplyID != 0 {
			return c, fmt.Errorf("a saved reply is only for the %q action", Reply)
		}
	case Reply:
		if r.SavedReplyID <= 0 {
			return c, errors.New("the reply action needs a saved_reply_id")
		}
	case Allow:
		return c, errors.New("a rule cannot allow; comments no rule matches are allowed")
	default:
		return c, fmt.Errorf("unknown action %.40q; want hide, delete, flag or reply", r.Action)
	}
	// Fields of other kinds are refused rather than ignored: a rule that
	// does not do what its settings say is worse than an error. They are
	// named as the moderation setting's JSON names them, which is what an
	// admin wrote.
	for _, f := range []struct {
		name string
		kind Kind
		set  bool
	}{
		{"max_links", Links, r.MaxLinks != 0},
		{"allow_domains", Links, len(r.AllowDomains) > 0},
		{"block_domains", Links, len(r.BlockDomains) > 0},
		{"words", Words, len(r.Words) > 0},
		{"threshold", Repeated, r.Threshold != 0},
		{"window", Repeated, r.Window != 0},
	} {
		if f.set && r.Kind != f.kind {
			return c, fmt.Errorf("%s applies only to %s rules", f.name, f.kind)
		}
	}
	var err error
	switch r.Kind {
	case Links:
		if r.MaxLinks < NoLinkLimit {
			return c, fmt.Errorf("the link limit must be 0 or more, or %d for no limit", NoLinkLimit)
		}
		if c.AllowDomains, err = domains("AllowDomains", r.AllowDomains); err != nil {
			return c, err
		}
		if c.BlockDomains, err = domains("BlockDomains", r.BlockDomains); err != nil {
			return c, err
		}
	case Words:
		if len(r.Words) == 0 {
			return c, errors.New("the word list is empty")
		}
		if len(r.Words) > MaxWords {
			return c, fmt.Errorf("the word list has %d entries; at most %d", len(r.Words), MaxWords)
		}
		if c.words, err = compileLexicon(r.Words); err != nil {
			return c, fmt.Errorf("word list: %w", err)
		}
	case Repeated:
		if r.Threshold < 2 || r.Threshold > MaxThreshold {
			return c, fmt.Errorf("the threshold must be from 2 to %d authors", MaxThreshold)
		}
		if r.Window <= 0 || r.Window > MaxWindow {
			return c, errors.New("the window must be more than 0 and at most 7 days")
		}
		c.tracker = newTracker(r.Threshold, r.Window, MaxTracked)
	}
	return c, nil
}

// valid reports whether k is one of the kinds.
func (k Kind) valid() bool {
	switch k {
	case Profanity, Spam, Links, LowEffort, Repeated, Words:
		return true
	}
	return false
}

// domains validates and lower-cases a domain list: names such as
// "example.com", without scheme, path or port.
func domains(field string, list []string) ([]string, error) {
	if len(list) > MaxDomains {
		return nil, fmt.Errorf("%s has %d entries; at most %d", field, len(list), MaxDomains)
	}
	out := make([]string, 0, len(list))
	for i, d := range list {
		d = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(d)), "www.")
		if !validDomain(d) {
			return nil, fmt.Errorf("%s[%d] %.80q is not a domain such as \"example.com\" (no scheme, path or port)", field, i, list[i])
		}
		out = append(out, d)
	}
	return out, nil
}

func validDomain(d string) bool {
	if d == "" || len(d) > maxHostBytes || !strings.Contains(d, ".") {
		return false
	}
	for label := range strings.SplitSeq(d, ".") {
		if label == "" || len(label) > maxLabelBytes || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// match reports whether r matches t and why. count is, for a repeated rule,
// the distinct authors of t's text within the window.
func (r *compiled) match(t *text, count int) (string, bool) {
	switch r.Kind {
	case Profanity:
		if e, ok := profanityList.find(t.tokens); ok {
			return fmt.Sprintf("profanity: '%s'", mask(e.label)), true
		}
		if e, ok := profanityList.findWord(t.joined); ok {
			return fmt.Sprintf("profanity: '%s'", mask(e.label)), true
		}
	case Words:
		if e, ok := r.words.find(t.tokens); ok {
			return fmt.Sprintf("blocked word: '%s'", mask(e.label)), true
		}
		if e, ok := r.words.findWord(t.joined); ok {
			return fmt.Sprintf("blocked word: '%s'", mask(e.label)), true
		}
	case Spam:
		if s := t.spam(); s.score >= spamThreshold {
			return "spam: " + strings.Join(s.signals, ", "), true
		}
	case Links:
		return r.matchLinks(t)
	case LowEffort:
		if label, ok := t.lowEffort(); ok {
			if label == "emoji only" {
				return "low-effort comment: emoji only", true
			}
			return fmt.Sprintf("low-effort comment: %q", label), true
		}
	case Repeated:
		if count >= r.Threshold {
			return fmt.Sprintf("same text from at least %d accounts within %s", r.Threshold, window(r.Window)), true
		}
	}
	return "", false
}

// matchLinks applies a links rule: the count first, then each link's
// domain.
func (r *compiled) matchLinks(t *text) (string, bool) {
	if n := len(t.links); r.MaxLinks != NoLinkLimit && n > r.MaxLinks {
		count := fmt.Sprintf("%d links", n)
		switch {
		case n == 1:
			count = "1 link"
		case n >= maxLinks: // findLinks stopped counting
			count = fmt.Sprintf("%d or more links", n)
		}
		if r.MaxLinks == 0 {
			return count + " (none allowed)", true
		}
		return fmt.Sprintf("%s (at most %d)", count, r.MaxLinks), true
	}
	for _, l := range t.links {
		if d, ok := onList(l.host, r.BlockDomains); ok {
			return fmt.Sprintf("link to a blocked domain (%s)", d), true
		}
		if _, ok := onList(l.host, r.AllowDomains); ok && !l.disguised {
			continue
		}
		switch {
		case l.redirect:
			return fmt.Sprintf("link through a URL shortener or link page (%s)", shortHost(l.host)), true
		case l.affiliate:
			return fmt.Sprintf("affiliate link (%s)", shortHost(l.host)), true
		case len(r.AllowDomains) > 0 && l.disguised:
			return fmt.Sprintf("link to a disguised domain (looks like %s)", shortHost(l.host)), true
		case len(r.AllowDomains) > 0:
			return fmt.Sprintf("link to a domain not on the allow list (%s)", shortHost(l.host)), true
		}
	}
	return "", false
}

// window writes d as people do: "10m", "1h30m", "24h".
func window(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// shortHost bounds a host shown in a reason.
func shortHost(h string) string {
	if len(h) > 64 {
		return strings.ToValidUTF8(h[:61], "") + "..."
	}
	return h
}

var profanityList = mustLexicon(profanity)
