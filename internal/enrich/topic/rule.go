package topic

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/care"
)

// Limits on a workspace's rules. They keep a matcher small and fast, and an
// error message quoting a rule short.
const (
	MaxTopicBytes  = 64
	MaxTeamBytes   = 64
	MaxPhraseBytes = 200
	MaxPhrases     = 2000
	MaxBoost       = 100
)

// Rule puts Topic on a message that contains any of Phrases.
//
// A phrase is one or more words, matched whole, ignoring case and accents,
// with anything but letters and digits between them: "charged twice" matches
// "CHARGED... twice!" and "#ChargedTwice". A phrase ending in "*" matches any
// word that starts with its last word: "refund*" matches "refunds" and
// "refunded".
type Rule struct {
	Topic   string
	Phrases []string
	// Team is the slug of the team to route a matching message to, or "".
	Team string
	// Boost is added to a matching message's priority, in points of the
	// priority score; negative to push it down, e.g. for praise.
	Boost float64
	// Severity is how urgent the topic is, from 0 to 1: safety 1.0, a
	// threat to go public 0.8, churn 0.7, billing 0.5 (the need component
	// of the priority score).
	Severity float64
}

// Match is a rule that matched a message.
type Match struct {
	Topic string
	// Phrase is the phrase that matched, as written in the rule.
	Phrase   string
	Team     string
	Boost    float64
	Severity float64
}

// Matcher finds the topics of messages. It is safe for concurrent use.
type Matcher struct {
	rules   []Rule
	phrases []phrase
	root    *node
	// Tokenizers are reused: a new one per call would cost allocations
	// that grow with the message.
	pool sync.Pool
}

// phrase is a compiled phrase: the rule it belongs to and its place there.
type phrase struct {
	rule, index int
}

// node is a trie of words: a phrase is the path of its words from the root.
type node struct {
	next map[string]*node
	// ends lists the phrases whose last word leads to this node.
	ends []int
	// stems holds the phrases whose last word is a prefix ("refund*"), by
	// that prefix; stemLens are the stems' lengths in bytes, ascending.
	stems    map[string][]int
	stemLens []int
	// keys is a Bloom filter of the keys of next and stems, so that most
	// words of a message, which lead nowhere, are turned away without a
	// map look-up; keyShift picks a bit of it from a key's hash.
	keys     []uint64
	keyShift uint8
}

// keyHash hashes what tells most keys of a node apart: the length and the
// first, second and last bytes. Keys are never empty.
func keyHash(b []byte) uint32 {
	n := len(b)
	h := uint32(n) | uint32(b[0])<<8 | uint32(b[n-1])<<16
	if n > 1 {
		h |= uint32(b[1]) << 24
	}
	return h * 0x9E3779B1
}

// mayHave reports false when key is certainly neither in n.next nor in
// n.stems.
func (n *node) mayHave(key []byte) bool {
	if n.keys == nil {
		return false
	}
	bit := keyHash(key) >> n.keyShift
	return n.keys[bit/64]&(1<<(bit%64)) != 0
}

// index builds the key filters of n and the nodes under it: about 16 bits
// a key, so that a word that is not a key gets through one time in ten or
// less.
func (n *node) index() {
	count := len(n.next) + len(n.stems)
	if count == 0 {
		return
	}
	size := 64
	for size < 16*count {
		size *= 2
	}
	n.keys = make([]uint64, size/64)
	n.keyShift = uint8(32 - bits.TrailingZeros(uint(size)))
	set := func(key string) {
		bit := keyHash([]byte(key)) >> n.keyShift
		n.keys[bit/64] |= 1 << (bit % 64)
	}
	for key, child := range n.next {
		set(key)
		child.index()
	}
	for key := range n.stems {
		set(key)
	}
}

// Compile checks rules and builds a Matcher from them. It returns EINVALID
// naming the first offending rule when a topic is empty, longer than
// MaxTopicBytes or given twice; a team slug is longer than MaxTeamBytes or
// has spaces; Boost is not a number within ±MaxBoost or Severity not within
// 0…1; a rule has no phrases; a phrase is empty, longer than MaxPhraseBytes,
// has no words to match or a "*" anywhere but right after its last word; or
// there are more than MaxPhrases phrases in all.
func Compile(rules []Rule) (*Matcher, error) {
	m := &Matcher{
		rules: make([]Rule, len(rules)),
		root:  &node{},
	}
	total := 0
	topics := make(map[string]bool, len(rules))
	var t tokenizer
	for i, r := range rules {
		if err := checkRule(i, r); err != nil {
			return nil, err
		}
		if topics[r.Topic] {
			return nil, invalid(i, r, "the topic is given twice")
		}
		topics[r.Topic] = true
		total += len(r.Phrases)
		if total > MaxPhrases {
			return nil, care.Errorf(care.EINVALID, "topic rules: more than %d phrases in all", MaxPhrases)
		}
		r.Phrases = append([]string(nil), r.Phrases...)
		m.rules[i] = r
		for j, p := range r.Phrases {
			words, stem, reason := parsePhrase(&t, p)
			if reason != "" && len(p) > MaxPhraseBytes {
				return nil, invalid(i, r, "phrase %d %s", j+1, reason)
			} else if reason != "" {
				return nil, invalid(i, r, "phrase %d %q %s", j+1, p, reason)
			}
			m.add(words, stem, len(m.phrases))
			// A hashtag runs the words together (#NeverArrived).
			if len(words) > 1 && !anyUnspaced(words) {
				m.add([]string{strings.Join(words, "")}, stem, len(m.phrases))
			}
			m.phrases = append(m.phrases, phrase{rule: i, index: j})
		}
	}
	m.root.index()
	return m, nil
}

func checkRule(i int, r Rule) error {
	switch {
	case r.Topic == "" || strings.TrimSpace(r.Topic) == "":
		return care.Errorf(care.EINVALID, "topic rule %d: the topic is empty", i+1)
	case len(r.Topic) > MaxTopicBytes:
		return care.Errorf(care.EINVALID, "topic rule %d: the topic is %d bytes, more than %d", i+1, len(r.Topic), MaxTopicBytes)
	case !printable(r.Topic):
		return care.Errorf(care.EINVALID, "topic rule %d: the topic is not printable UTF-8", i+1)
	case len(r.Team) > MaxTeamBytes:
		return invalid(i, r, "the team slug is %d bytes, more than %d", len(r.Team), MaxTeamBytes)
	case !printable(r.Team) || strings.ContainsFunc(r.Team, unicode.IsSpace):
		return invalid(i, r, "the team slug %q has spaces or unprintable characters", r.Team)
	case math.IsNaN(r.Boost) || math.Abs(r.Boost) > MaxBoost:
		return invalid(i, r, "boost %v is not between %d and %d", r.Boost, -MaxBoost, MaxBoost)
	case !(r.Severity >= 0 && r.Severity <= 1):
		return invalid(i, r, "severity %v is not between 0 and 1", r.Severity)
	case len(r.Phrases) == 0:
		return invalid(i, r, "the rule has no phrases")
	}
	return nil
}

// invalid returns EINVALID naming rule i, which has a valid topic.
func invalid(i int, r Rule, format string, args ...any) error {
	return care.Errorf(care.EINVALID, "topic rule %d (%q): "+format, append([]any{i + 1, r.Topic}, args...)...)
}

func printable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' })
}

// parsePhrase returns the words of p and whether its last word is a stem,
// or why p cannot be matched.
func parsePhrase(t *tokenizer, p string) (words []string, stem bool, reason string) {
	switch {
	case p == "":
		return nil, false, "is empty"
	case len(p) > MaxPhraseBytes:
		return nil, false, fmt.Sprintf("is %d bytes, more than %d", len(p), MaxPhraseBytes)
	case !utf8.ValidString(p):
		return nil, false, "is not UTF-8"
	}
	body := strings.TrimRightFunc(p, unicode.IsSpace)
	if stem = strings.HasSuffix(body, "*"); stem {
		body = body[:len(body)-1]
		last, _ := utf8.DecodeLastRuneInString(body)
		if body == "" || !unicode.IsLetter(last) && !unicode.IsDigit(last) && !unicode.IsMark(last) {
			return nil, false, `has a "*" that does not follow a word`
		}
	}
	if strings.Contains(body, "*") {
		return nil, false, `has a "*" before its end`
	}
	t.reset(body)
	if len(t.spans) == 0 {
		return nil, false, "has no words to match (mentions, links, emoji and punctuation are ignored)"
	}
	words = make([]string, len(t.spans))
	for i := range t.spans {
		words[i] = string(t.token(i))
	}
	return words, stem, ""
}

func anyUnspaced(words []string) bool {
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if unspaced(r) {
			return true
		}
	}
	return false
}

// add puts phrase id at the end of the path of words.
func (m *Matcher) add(words []string, stem bool, id int) {
	n := m.root
	last := len(words) - 1
	for _, w := range words[:last] {
		child := n.next[w]
		if child == nil {
			if n.next == nil {
				n.next = make(map[string]*node)
			}
			child = &node{}
			n.next[w] = child
		}
		n = child
	}
	w := words[last]
	if !stem {
		child := n.next[w]
		if child == nil {
			if n.next == nil {
				n.next = make(map[string]*node)
			}
			child = &node{}
			n.next[w] = child
		}
		child.ends = append(child.ends, id)
		return
	}
	if n.stems == nil {
		n.stems = make(map[string][]int)
	}
	if i, found := slices.BinarySearch(n.stemLens, len(w)); !found {
		n.stemLens = slices.Insert(n.stemLens, i, len(w))
	}
	n.stems[w] = append(n.stems[w], id)
}
