package youtube

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Bounds of the answers read.
const (
	// maxResponseBytes bounds an answer other than a page of comments.
	maxResponseBytes = 1 << 20
	// maxPageBytes bounds a page of threads or comments: a hundred threads
	// of 10,000-character comments with five replies each, in two text
	// fields, stay under it. A page larger still is read again smaller.
	maxPageBytes = 32 << 20
)

// errTooLarge is an answer over the bound of its request.
var errTooLarge = errors.New("youtube: response too large")

// op is what a request is for, to word its errors and charge its cost.
type op struct {
	what  string // "the reply", for reasons agents read
	cost  int
	write bool
	// then says what happens to a write refused for want of quota.
	then string
}

var (
	opPoll    = op{what: "the list of the channel's comments", cost: costList}
	opReplies = op{what: "the list of a thread's replies", cost: costList}
	opHeld    = op{what: "the list of the comments held for review", cost: costList}
	opReply   = op{what: "the reply", cost: costInsert, write: true, then: "the reply will be sent"}
	// opLookup reads a thread's replies for a reply's retry: part of the
	// reply, it may spend what replies may.
	opLookup   = op{what: "the check for an earlier attempt at the reply", cost: costList, write: true, then: "the reply will be sent"}
	opModerate = op{what: "the moderation", cost: costModerate, write: true, then: "try again"}
)

// request is one API call.
type request struct {
	op     op
	method string
	path   string // from the API's root: "/youtube/v3/comments"
	query  url.Values
	body   []byte // JSON
	limit  int64  // bound of the answer; 0 means maxResponseBytes
	// spent, if set, is increased by the units the call cost.
	spent *int
}

// response is a call's answer, its body read within the request's bound.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) ok() bool { return r.status >= 200 && r.status <= 299 }

// call makes r for inbox in with an access token from the inbox's refresh
// grant, after taking its cost from the inbox's quota. A 401 forgets the
// token and the request is made once more with a new one. It returns a
// temporary *channel.SendError when the day's quota cannot pay for r
// (until the Pacific midnight reset) or YouTube cannot be reached, the
// token endpoint's errors (a refused grant is permanent), and any answer,
// 2xx or not, for the caller to judge. An answer of quotaExceeded stops
// the inbox's spending until the reset.
func (a *Adapter) call(ctx context.Context, in care.Inbox, r request) (*response, error) {
	base, err := a.baseURL(in)
	if err != nil {
		return nil, channel.Permanent(care.ErrorMessage(err), err)
	}
	g, err := a.grant(in)
	if err != nil {
		return nil, err
	}
	src := a.tokenSource()
	l := limitsOf(in)
	a.loadQuota(ctx, in.ID)
	spend := func(units int) {
		if r.spent != nil {
			*r.spent += units
		}
	}
	for attempt := 0; ; attempt++ {
		now := a.now()
		ok, st := a.quota.take(in.ID, l, now, r.op.cost, r.op.write)
		if !ok {
			if r.op.write {
				return nil, st.writeRefused(now, r.op.then)
			}
			return nil, st.readRefused(now)
		}
		token, err := src.Token(ctx, g)
		if err != nil {
			a.quota.refund(in.ID, now, r.op.cost, r.op.write)
			return nil, err
		}
		resp, err := a.do(ctx, base, token, r)
		if err != nil {
			// The units stay spent: the request may have reached YouTube.
			spend(r.op.cost)
			return nil, err
		}
		switch {
		case resp.status == http.StatusUnauthorized:
			// Refused before any work: it costs the one unit every
			// request costs.
			a.quota.refund(in.ID, now, r.op.cost-1, r.op.write)
			spend(1)
			if attempt == 0 {
				src.Invalidate(g)
				continue
			}
		case resp.status == http.StatusForbidden && quotaReason(errorReason(resp.body)):
			a.quota.exhaust(in.ID, now)
			spend(r.op.cost)
		default:
			spend(r.op.cost)
		}
		return resp, nil
	}
}

// do sends one request and reads its answer within the request's bound.
func (a *Adapter) do(ctx context.Context, base, token string, r request) (*response, error) {
	u := base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, channel.Permanent("the inbox's api_base is not usable", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.client().Do(req)
	if err != nil {
		reason := "YouTube could not be reached"
		if ctx.Err() != nil || isTimeout(err) {
			reason = "YouTube did not answer in time"
		}
		return nil, channel.Temporary(reason, 0, err)
	}
	defer resp.Body.Close()
	limit := r.limit
	if limit <= 0 {
		limit = maxResponseBytes
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	out := &response{status: resp.StatusCode, header: resp.Header, body: b}
	switch {
	case err != nil && out.ok():
		return nil, channel.Temporary("YouTube's answer was cut off", 0, err)
	case int64(len(b)) > limit:
		if out.ok() {
			return nil, channel.Temporary("YouTube's answer was too large", 0, errTooLarge)
		}
		out.body = b[:limit]
	}
	return out, nil
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &t) && t.Timeout()
}
