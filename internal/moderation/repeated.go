package moderation

import (
	"container/list"
	"hash/maphash"
	"sync"
	"time"
)

// MaxTracked is how many distinct texts one repeated rule remembers. Each
// costs about 150 bytes plus 16 per author kept (at most Threshold), so a
// full rule with Threshold 5 holds about 23 MB. Past it, the text seen least
// recently is forgotten first; texts not seen within the rule's Window are
// forgotten anyway.
const MaxTracked = 100_000

// A text takes part in a repeated rule only with at least minRepeatWords
// words (mentions aside) and minRepeatBytes bytes of them: short phrases
// ("love it so much") repeat naturally, and are the low_effort rule's.
const (
	minRepeatWords = 3
	minRepeatBytes = 15
)

// fingerprint hashes t's words in their canonical forms, without mentions, so
// the same text matches whatever its case, spacing, punctuation, emoji,
// leetspeak, repeated letters and tagged friends. ok is false for a text too
// short to track.
func (t *text) fingerprint(seed maphash.Seed) (fp uint64, ok bool) {
	var h maphash.Hash
	h.SetSeed(seed)
	words, n := 0, 0
	for _, tok := range t.tokens {
		if tok.mention {
			continue
		}
		h.WriteString(tok.key)
		h.WriteByte(0)
		words++
		n += len(tok.key)
	}
	if words < minRepeatWords || n < minRepeatBytes {
		return 0, false
	}
	return h.Sum64(), true
}

// tracker counts the distinct authors of each text for one repeated rule.
type tracker struct {
	threshold int
	window    time.Duration
	capacity  int

	mu    sync.Mutex
	texts map[uint64]*list.Element // fingerprint → *seen in order
	// order holds the texts most recently seen first, so the back is the
	// first to expire or to make room.
	order list.List
}

// seen is what a tracker knows of one text.
type seen struct {
	fp   uint64
	last int64 // Unix nanoseconds of its newest comment
	// authors are its most recent distinct authors, at most threshold: if
	// the oldest of threshold authors is within the window, so are
	// threshold of them, and older ones cannot change the answer.
	authors []stamp
}

type stamp struct {
	author uint64 // hashed: author ids are the platform's, of any length
	at     int64
}

func newTracker(threshold int, window time.Duration, capacity int) *tracker {
	return &tracker{threshold: threshold, window: window, capacity: capacity, texts: make(map[uint64]*list.Element)}
}

// observe records that author posted the text fp at at, and returns how many
// distinct authors posted it in the window that ends at at, this one
// included (up to threshold).
func (tr *tracker) observe(fp, author uint64, at time.Time) int {
	now := at.UnixNano()
	from := now - int64(tr.window)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for e := tr.order.Back(); e != nil && e.Value.(*seen).last < from; e = tr.order.Back() {
		tr.forget(e)
	}
	e, ok := tr.texts[fp]
	if ok {
		tr.order.MoveToFront(e)
	} else {
		if len(tr.texts) >= tr.capacity {
			tr.forget(tr.order.Back())
		}
		e = tr.order.PushFront(&seen{fp: fp})
		tr.texts[fp] = e
	}
	s := e.Value.(*seen)
	s.last = max(s.last, now)
	s.add(stamp{author: author, at: now}, tr.threshold)
	n := 0
	for _, a := range s.authors {
		if a.at >= from {
			n++
		}
	}
	return n
}

func (tr *tracker) forget(e *list.Element) {
	delete(tr.texts, e.Value.(*seen).fp)
	tr.order.Remove(e)
}

// len returns the number of texts tracked.
func (tr *tracker) len() int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return len(tr.texts)
}

// add records a comment by st.author, keeping the threshold most recent
// distinct authors.
func (s *seen) add(st stamp, threshold int) {
	oldest := -1
	for i, a := range s.authors {
		if a.author == st.author {
			s.authors[i].at = max(a.at, st.at)
			return
		}
		if oldest < 0 || a.at < s.authors[oldest].at {
			oldest = i
		}
	}
	if len(s.authors) < threshold {
		s.authors = append(s.authors, st)
	} else if st.at > s.authors[oldest].at {
		s.authors[oldest] = st
	}
}
