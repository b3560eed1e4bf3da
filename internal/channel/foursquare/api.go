package foursquare

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Get Place Tips (docs.foursquare.com/fsq-developers-places/reference/place-tips):
//
//	GET /places/{fsq_place_id}/tips?limit=50&sort=NEWEST&fields=…
//	Authorization: Bearer <Service API Key>
//	X-Places-Api-Version: 2025-06-17
//
// answers a JSON array of tips, newest first with sort=NEWEST, at most
// limit (1 to 50, default 10), with only the fields asked for (by default
// fsq_tip_id, created_at and text). The endpoint has no cursor or offset:
// a page of the 50 newest is all there is. 404 means "invalid place
// specified". Tips carry no author.
const (
	pageLimit   = 50
	tipFields   = "fsq_tip_id,created_at,text,url,lang,agree_count,disagree_count,photo"
	maxPageSize = 4 << 20
	// maxErrorBody bounds what is read of an error response.
	maxErrorBody = 64 << 10
)

// fetchTips reads the newest page of tips of place id. It returns a
// *channel.SendError for a refusal (see apiError) or an unreachable API,
// and for a page it cannot read.
func (a *Adapter) fetchTips(ctx context.Context, base, key, id string) ([]tip, error) {
	q := url.Values{"limit": {strconv.Itoa(pageLimit)}, "sort": {"NEWEST"}, "fields": {tipFields}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/places/"+url.PathEscape(id)+"/tips?"+q.Encode(), nil)
	if err != nil {
		return nil, channel.Permanent("the inbox's api_base is not usable", err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set(VersionHeader, APIVersion)
	req.Header.Set("Accept", "application/json")
	resp, err := a.client().Do(req)
	if err != nil {
		reason := "the Foursquare Places API could not be reached"
		var ne net.Error
		if ctx.Err() != nil || errors.As(err, &ne) && ne.Timeout() {
			reason = "the Foursquare Places API did not answer in time"
		}
		return nil, channel.Temporary(reason, 0, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return nil, apiError(resp, body, id, a.now())
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPageSize+1))
	switch {
	case err != nil:
		return nil, pageError(resp, "the Foursquare Places API's answer was cut short", err)
	case len(body) > maxPageSize:
		return nil, pageError(resp, "Foursquare's page of tips was too large to read", fmt.Errorf("foursquare: tips of %s over %d bytes", id, maxPageSize))
	}
	tips, err := parseTips(body)
	if err != nil {
		return nil, pageError(resp, "Foursquare's page of tips for place "+id+" was not understood", err)
	}
	return tips, nil
}

// pageError is a temporary failure to read one place's page, which does
// not stop the others.
func pageError(resp *http.Response, reason string, err error) error {
	return &channel.SendError{Status: resp.StatusCode, Reason: reason, Err: err}
}

// apiError classifies a refusal. Foursquare answers errors with a message
// ({"message": "Invalid request token."}; "Errors" in the Places API
// reference). 401 (a revoked or wrong key), 402 and 403 (no credits, an
// endpoint the plan does not include) fail every venue and are permanent
// until an admin acts; 404 is this place; 429 (over the plan's queries
// per second) and 5xx are temporary, honouring Retry-After.
func apiError(resp *http.Response, body []byte, id string, now time.Time) error {
	err := channel.ClassifyHTTP(resp, body, now)
	var se *channel.SendError
	if !errors.As(err, &se) {
		return channel.Temporary("Foursquare answered "+resp.Status, 0, nil)
	}
	var env struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &env)
	msg := channel.Excerpt([]byte(env.Message), 200)
	status := strconv.Itoa(resp.StatusCode)
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		se.Reason = "Foursquare refused the api_key (401): create a Service API Key in the Developer Console"
	case http.StatusPaymentRequired, http.StatusForbidden:
		se.Reason = "Foursquare refused to serve tips (" + status + "): the project needs billing and Places Premium credits"
	case http.StatusNotFound:
		se.Reason = "Foursquare has no place " + id + " (404): check credentials.venues"
	case http.StatusTooManyRequests:
		se.Reason = "Foursquare's rate limit was reached (429)"
	default:
		se.Reason = "Foursquare answered " + status + " for place " + id
	}
	if msg != "" && !strings.Contains(se.Reason, msg) {
		se.Reason += ": " + msg
	}
	se.Err = fmt.Errorf("foursquare: tips of %s: %s", id, channel.Excerpt(body, 200))
	return se
}

// fatal reports whether err stops a poll's remaining venues: the key, the
// plan or the rate limit, which every venue shares.
func fatal(err error) bool {
	var se *channel.SendError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Status {
	case http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden, http.StatusTooManyRequests:
		return true
	}
	return se.Status == 0 // unreachable, or no answer in time
}

// keyOf returns the inbox's Service API Key, or a permanent error when it
// has none.
func keyOf(in care.Inbox) (string, error) {
	key := in.Credentials[CredAPIKey]
	if key == "" {
		return "", channel.Permanent("the inbox has no api_key", nil)
	}
	return key, nil
}
