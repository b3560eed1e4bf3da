package youtube

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Quota costs, in units, of the methods Parley calls
// (developers.google.com/youtube/v3/determine_quota_cost): every list call
// costs 1 per page, every write 50. "All API requests, including invalid
// requests, incur a quota cost of at least one point."
const (
	costList     = 1
	costInsert   = 50
	costModerate = 50
)

// limits are an inbox's quota settings, from its credentials.
type limits struct {
	daily int // units per Pacific day
	// reads is what polling may spend: daily less the share kept for
	// replies and moderation.
	reads       int
	minInterval time.Duration
	scanPages   int
	// held is held_comments: polls read held and likely-spam threads too.
	held bool
}

func limitsOf(in care.Inbox) limits {
	c := in.Credentials
	daily := credInt(c[CredDailyQuota], DefaultDailyQuota, 1, 1_000_000_000)
	share := credInt(c[CredWriteShare], DefaultWriteShare, 0, 90)
	iv, err := parseInterval(c[CredPollInterval])
	if err != nil || iv == 0 {
		iv = DefaultPollInterval
	}
	return limits{
		daily:       daily,
		reads:       daily - daily*share/100,
		minInterval: iv,
		scanPages:   credInt(c[CredScanPages], 1, 1, maxScanPages),
		held:        credBool(c[CredHeldComments]),
	}
}

// credBool reads a true/false credential; false when it is absent or not
// one.
func credBool(s string) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	return err == nil && b
}

// credInt reads an integer credential between lo and hi; def when it is
// absent or not one.
func credInt(s string, def, lo, hi int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < lo || n > hi {
		return def
	}
	return n
}

// parseInterval reads poll_interval: whole seconds, or a Go duration. It
// returns 0 for "", and an error for anything outside 15 seconds to a day.
func parseInterval(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	var d time.Duration
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 || n > 86400 {
			return 0, care.Errorf(care.EINVALID, "credentials.%s must be between 15 seconds and a day.", CredPollInterval)
		}
		d = time.Duration(n) * time.Second
	} else if d, err = time.ParseDuration(s); err != nil {
		return 0, care.Errorf(care.EINVALID, "credentials.%s must be seconds (60) or a duration (90s, 5m).", CredPollInterval)
	}
	if d < minPollInterval || d > 24*time.Hour {
		return 0, care.Errorf(care.EINVALID, "credentials.%s must be between 15 seconds and a day.", CredPollInterval)
	}
	return d, nil
}

// meter counts the units each inbox spent in the current Pacific day. It
// counts in memory; with the Adapter's State, the count is loaded from the
// store on an inbox's first request of the day and what it spent is saved
// after (see saveQuota), so a restarted Parley continues the day's count.
// Without one, a restart starts the day at zero and YouTube's own
// quotaExceeded answer, which the meter records, is the backstop. Its zero
// value is ready and it is safe for concurrent use.
type meter struct {
	mu    sync.Mutex
	inbox map[care.ID]*usage
	// locks makes the loads and saves of one inbox take turns.
	locks map[care.ID]*sync.Mutex
}

// usage is one inbox's spending in one Pacific day.
type usage struct {
	day        string
	reads      int
	writes     int
	exhausted  bool // YouTube answered quotaExceeded
	polls      int
	pollsUnits int
	// loaded says the day's stored usage is counted in; unsaved is what
	// was spent here since the last save.
	loaded  bool
	unsaved spending
}

// day returns the inbox's usage for now's Pacific day, starting a new one
// at midnight. Callers hold m.mu.
func (m *meter) day(id care.ID, now time.Time) *usage {
	if m.inbox == nil {
		m.inbox = map[care.ID]*usage{}
	}
	d := pacificDay(now)
	u := m.inbox[id]
	if u == nil || u.day != d {
		u = &usage{day: d}
		m.inbox[id] = u
	}
	return u
}

// io returns the lock the inbox's loads and saves take turns with.
func (m *meter) io(id care.ID) *sync.Mutex {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.locks == nil {
		m.locks = map[care.ID]*sync.Mutex{}
	}
	l := m.locks[id]
	if l == nil {
		l = &sync.Mutex{}
		m.locks[id] = l
	}
	return l
}

// loaded reports whether the inbox's stored usage of now's day is counted.
func (m *meter) loaded(id care.ID, now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.day(id, now).loaded
}

// unsaved returns what the inbox spent since its last save, and the day
// it counts against; ok is false when there is nothing to save.
func (m *meter) unsaved(id care.ID, now time.Time) (d spending, day string, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.day(id, now)
	return u.unsaved, u.day, !u.unsaved.zero()
}

// absorb makes the inbox's usage the stored usage plus what is still
// unsaved once saved, just written into stored, is taken off. The stored
// usage may include other nodes' spending, which this one then counts too.
// A usage of another day than stored's is left alone.
func (m *meter) absorb(id care.ID, stored savedUsage, saved spending) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.inbox == nil {
		m.inbox = map[care.ID]*usage{}
	}
	u := m.inbox[id]
	if u == nil {
		u = &usage{day: stored.Day}
		m.inbox[id] = u
	}
	if u.day != stored.Day {
		return
	}
	d := &u.unsaved
	d.reads -= saved.reads
	d.writes -= saved.writes
	d.polls -= saved.polls
	d.pollUnits -= saved.pollUnits
	d.exhausted = d.exhausted && !saved.exhausted
	all := stored.plus(*d)
	u.reads, u.writes, u.polls, u.pollsUnits = all.Reads, all.Writes, all.Polls, all.PollUnits
	u.exhausted = all.Exhausted
	u.loaded = true
}

// take spends cost units for a read or a write if the inbox's budget
// allows it, and reports whether it did, with the usage after.
func (m *meter) take(id care.ID, l limits, now time.Time, cost int, write bool) (bool, quotaState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.day(id, now)
	ok := !u.exhausted && u.reads+u.writes+cost <= l.daily
	if !write {
		ok = ok && u.reads+cost <= l.reads
	}
	if ok {
		if write {
			u.writes += cost
			u.unsaved.writes += cost
		} else {
			u.reads += cost
			u.unsaved.reads += cost
		}
	}
	return ok, stateOf(u, l, now)
}

// refund gives back units spent on a request that cost less than was
// taken (one answered 401 costs one unit, not fifty).
func (m *meter) refund(id care.ID, now time.Time, units int, write bool) {
	if units <= 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.day(id, now)
	if write {
		u.writes = max(u.writes-units, 0)
		u.unsaved.writes -= units
	} else {
		u.reads = max(u.reads-units, 0)
		u.unsaved.reads -= units
	}
}

// exhaust records that YouTube refused a request for want of quota: the
// inbox spends nothing more until the reset.
func (m *meter) exhaust(id care.ID, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.day(id, now)
	u.exhausted, u.unsaved.exhausted = true, true
}

// polled records that a poll spent units, for the estimate of what the
// next one will.
func (m *meter) polled(id care.ID, now time.Time, units int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.day(id, now)
	u.polls++
	u.pollsUnits += units
	u.unsaved.polls++
	u.unsaved.pollUnits += units
}

// state returns the inbox's usage now.
func (m *meter) state(id care.ID, l limits, now time.Time) quotaState {
	m.mu.Lock()
	defer m.mu.Unlock()
	return stateOf(m.day(id, now), l, now)
}

// quotaState is an inbox's quota as it stands.
type quotaState struct {
	daily, readBudget int
	reads, writes     int
	exhausted         bool
	// perPoll is the units a poll spent on average today, at least 1.
	perPoll int
	reset   time.Time
}

func stateOf(u *usage, l limits, now time.Time) quotaState {
	per := l.scanPages
	if u.polls > 0 {
		per = (u.pollsUnits + u.polls - 1) / u.polls
	}
	return quotaState{daily: l.daily, readBudget: l.reads, reads: u.reads, writes: u.writes,
		exhausted: u.exhausted, perPoll: max(per, 1), reset: nextReset(now)}
}

func (s quotaState) used() int { return s.reads + s.writes }

// readsLeft is what polling may still spend today.
func (s quotaState) readsLeft() int {
	if s.exhausted {
		return 0
	}
	return max(min(s.readBudget-s.reads, s.daily-s.used()), 0)
}

// writesLeft is what replies and moderation may still spend today: all
// that is left of the day, the reserve and whatever polling did not use.
func (s quotaState) writesLeft() int {
	if s.exhausted {
		return 0
	}
	return max(s.daily-s.used(), 0)
}

// String is the quota as the inbox's health line shows it:
// "1234/10000 units today (polling 834/6000), resets 08:00Z".
func (s quotaState) String() string {
	used := s.used()
	if s.exhausted {
		used = s.daily
	}
	return strconv.Itoa(used) + "/" + strconv.Itoa(s.daily) + " units today (polling " +
		strconv.Itoa(s.reads) + "/" + strconv.Itoa(s.readBudget) + "), resets " + s.reset.UTC().Format("15:04Z")
}

// untilReset is the wait from now to the reset, at least a second.
func (s quotaState) untilReset(now time.Time) time.Duration {
	return max(s.reset.Sub(now), time.Second)
}

// resumes says when spending may resume, for reasons agents read.
func (s quotaState) resumes() string {
	return "after midnight Pacific Time (" + s.reset.UTC().Format("15:04") + " UTC)"
}

// readRefused is the error of a poll the read budget cannot pay for.
func (s quotaState) readRefused(now time.Time) error {
	reason := "this inbox's YouTube polling budget for today is spent (" + strconv.Itoa(s.reads) + " of " +
		strconv.Itoa(s.readBudget) + " units; " + strconv.Itoa(s.daily-s.readBudget) + " are kept for replies and moderation): polling resumes " + s.resumes()
	if s.exhausted {
		reason = "YouTube says the project's daily quota is spent (quotaExceeded): polling resumes " + s.resumes()
	}
	return &channel.SendError{RetryAfter: s.untilReset(now), Reason: reason, RateLimit: s.String()}
}

// writeRefused is the error of a reply or moderation the day's budget
// cannot pay for; then says what happens instead ("the reply is sent",
// "try again").
func (s quotaState) writeRefused(now time.Time, then string) error {
	reason := "this inbox's YouTube quota for today is spent (" + strconv.Itoa(s.used()) + " of " + strconv.Itoa(s.daily) +
		" units; a reply or moderation costs 50): " + then + " " + s.resumes()
	if s.exhausted {
		reason = "YouTube says the project's daily quota is spent (quotaExceeded): " + then + " " + s.resumes()
	}
	return &channel.SendError{RetryAfter: s.untilReset(now), Reason: reason, RateLimit: s.String()}
}
