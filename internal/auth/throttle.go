package auth

import (
	"container/list"
	"crypto/sha256"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Limit is how many failed sign-ins a key may have within Window before it
// is refused. It is enforced as a token bucket of Failures tokens that
// refills evenly over Window, so a refused key earns one attempt back every
// Window/Failures rather than all of them at once at the window's end.
type Limit struct {
	Failures int
	Window   time.Duration
}

// ThrottleConfig configures a Throttle. Zero fields take the defaults noted.
type ThrottleConfig struct {
	// Account limits one email address from one client network; 10 per 15
	// minutes. It is the strict limit, and keyed by network too so that
	// whoever knows an address cannot lock its owner out from elsewhere.
	Account Limit
	// AccountWide limits one email address from every network together;
	// 100 per 15 minutes. It slows a guess spread over many networks; it
	// takes ten networks' worth of failures to reach.
	AccountWide Limit
	Client      Limit // per client network, whatever the address; 50 per 15 minutes
	// MaxKeys bounds how many keys of each kind (address and network,
	// address, network) are remembered; 10,000 each. When full, the key
	// touched longest ago is forgotten, so anyone can grow the table only
	// to this size however many addresses they try from however many
	// networks.
	MaxKeys int
	Now     func() time.Time
}

// Throttle limits failed sign-ins per account and client network, per
// account and per client network, in memory: each Parley node keeps its
// own counts.
//
// Unknown addresses are counted like known ones, so a refusal says nothing
// about which accounts exist.
type Throttle struct {
	mu        sync.Mutex
	now       func() time.Time
	account   buckets // by address and client network
	wide      buckets // by address
	client    buckets // by client network
	accLimit  Limit
	wideLimit Limit
	cliLimit  Limit
}

// NewThrottle returns a Throttle configured by cfg.
func NewThrottle(cfg ThrottleConfig) *Throttle {
	if cfg.Account.Failures <= 0 || cfg.Account.Window <= 0 {
		cfg.Account = Limit{Failures: 10, Window: 15 * time.Minute}
	}
	if cfg.AccountWide.Failures <= 0 || cfg.AccountWide.Window <= 0 {
		cfg.AccountWide = Limit{Failures: 100, Window: 15 * time.Minute}
	}
	if cfg.Client.Failures <= 0 || cfg.Client.Window <= 0 {
		cfg.Client = Limit{Failures: 50, Window: 15 * time.Minute}
	}
	if cfg.MaxKeys <= 0 {
		cfg.MaxKeys = 10_000
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Throttle{
		now:       cfg.Now,
		account:   newBuckets(cfg.MaxKeys),
		wide:      newBuckets(cfg.MaxKeys),
		client:    newBuckets(cfg.MaxKeys),
		accLimit:  cfg.Account,
		wideLimit: cfg.AccountWide,
		cliLimit:  cfg.Client,
	}
}

// Throttled is the error Throttle.Begin returns for a refused attempt.
type Throttled struct {
	// Account is true when one of the account's limits refused the attempt
	// (from this network, or from all of them), false when the client
	// network's did.
	Account    bool
	RetryAfter time.Duration
}

func (e *Throttled) Error() string {
	who := "client"
	if e.Account {
		who = "account"
	}
	return fmt.Sprintf("auth: too many failed sign-ins for this %s; retry after %s", who, e.RetryAfter)
}

// Attempt is one sign-in admitted by Throttle.Begin. It counts as a failure
// unless Succeeded or Cancel is called.
type Attempt struct {
	t                     *Throttle
	client, account, wide string
	done                  bool
}

// Begin admits a sign-in attempt from client (a remote address, as in
// http.Request.RemoteAddr, or a bare IP) for account (the email address as
// typed), counting it as a failure from the start: concurrent attempts
// cannot slip past the limit while each is still being checked. It returns
// a *Throttled error, and counts nothing, if any limit is reached.
func (t *Throttle) Begin(client, account string) (*Attempt, error) {
	ck, wk := ClientKey(client), accountKey(account)
	ak := pairKey(wk, ck)
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	cb := t.client.get(ck, t.cliLimit, now)
	wb := t.wide.get(wk, t.wideLimit, now)
	ab := t.account.get(ak, t.accLimit, now)
	if wait := max(ab.wait(t.accLimit), wb.wait(t.wideLimit)); wait > 0 {
		return nil, &Throttled{Account: true, RetryAfter: wait}
	}
	if wait := cb.wait(t.cliLimit); wait > 0 {
		return nil, &Throttled{RetryAfter: wait}
	}
	cb.tokens--
	wb.tokens--
	ab.tokens--
	return &Attempt{t: t, client: ck, account: ak, wide: wk}, nil
}

// Succeeded records that the password was right: the account's counts,
// from this network and from all of them, start again and the attempt does
// not count against the client. Counts of the account from other networks
// stay: they are someone else's guesses.
func (a *Attempt) Succeeded() {
	a.finish(true)
}

// Cancel records that the password was never judged (the node was too
// busy, or the store failed), so the attempt counts against nobody.
func (a *Attempt) Cancel() {
	a.finish(false)
}

func (a *Attempt) finish(success bool) {
	if a == nil || a.done {
		return
	}
	a.done = true
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.client.refund(a.client, t.cliLimit, now)
	if success {
		t.account.forget(a.account)
		t.wide.forget(a.wide)
	} else {
		t.account.refund(a.account, t.accLimit, now)
		t.wide.refund(a.wide, t.wideLimit, now)
	}
}

// Len returns how many keys of each kind are remembered: accounts by
// client network, accounts, and client networks.
func (t *Throttle) Len() (accountNetworks, accounts, clients int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.account.byKey), len(t.wide.byKey), len(t.client.byKey)
}

// ClientKey returns the network a remote address is counted under: the
// IPv4 address itself, or the /64 of an IPv6 address, since one customer
// line is usually given a whole /64 and could otherwise pick a fresh
// address for every attempt. Anything that is not an address is counted
// as itself, bounded in length.
func ClientKey(remote string) string {
	host := remote
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		host = ap.Addr().String()
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return bounded(remote)
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	p, _ := addr.WithZone("").Prefix(64)
	return p.String()
}

// accountKey folds case and spaces, as sign-in does when it looks the
// account up, and hashes the address so every key has the same small size
// whatever was typed.
func accountKey(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return string(sum[:])
}

// pairKey is the key of one account from one client network, hashed to
// the same small size as an account's.
func pairKey(account, client string) string {
	h := sha256.New()
	h.Write([]byte(account))
	h.Write([]byte(client))
	return string(h.Sum(nil))
}

func bounded(s string) string {
	if len(s) > 64 {
		sum := sha256.Sum256([]byte(s))
		return string(sum[:])
	}
	return s
}

// bucket is one key's token bucket; tokens is what remained at last.
type bucket struct {
	key    string
	tokens float64
	last   time.Time
}

// wait returns how long until the bucket holds a whole token, 0 if it does.
func (b *bucket) wait(l Limit) time.Duration {
	if b.tokens >= 1 {
		return 0
	}
	per := l.Window / time.Duration(l.Failures)
	return time.Duration(math.Ceil((1 - b.tokens) * float64(per)))
}

// buckets is a size-bounded table of token buckets, least recently touched
// at the back.
type buckets struct {
	max   int
	byKey map[string]*list.Element
	order *list.List
}

func newBuckets(max int) buckets {
	return buckets{max: max, byKey: map[string]*list.Element{}, order: list.New()}
}

// get returns key's bucket refilled up to now, making a full one if key is
// new and forgetting the least recently touched key to make room.
func (bs *buckets) get(key string, l Limit, now time.Time) *bucket {
	if e, ok := bs.byKey[key]; ok {
		bs.order.MoveToFront(e)
		b := e.Value.(*bucket)
		if elapsed := now.Sub(b.last); elapsed > 0 {
			b.tokens = min(float64(l.Failures), b.tokens+float64(l.Failures)*elapsed.Seconds()/l.Window.Seconds())
		}
		b.last = now
		return b
	}
	for len(bs.byKey) >= bs.max {
		back := bs.order.Back()
		bs.order.Remove(back)
		delete(bs.byKey, back.Value.(*bucket).key)
	}
	b := &bucket{key: key, tokens: float64(l.Failures), last: now}
	bs.byKey[key] = bs.order.PushFront(b)
	return b
}

// refund gives back the token an attempt took, if key is still known.
func (bs *buckets) refund(key string, l Limit, now time.Time) {
	if _, ok := bs.byKey[key]; !ok {
		return
	}
	b := bs.get(key, l, now)
	b.tokens = min(float64(l.Failures), b.tokens+1)
}

func (bs *buckets) forget(key string) {
	if e, ok := bs.byKey[key]; ok {
		bs.order.Remove(e)
		delete(bs.byKey, key)
	}
}
