package gbpfake

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The wire format, from developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews.

type reviewJSON struct {
	Name        string       `json:"name"`
	ReviewID    string       `json:"reviewId"`
	Reviewer    reviewerJSON `json:"reviewer"`
	StarRating  string       `json:"starRating"`
	Comment     string       `json:"comment,omitempty"`
	CreateTime  string       `json:"createTime"`
	UpdateTime  string       `json:"updateTime"`
	ReviewReply *replyJSON   `json:"reviewReply,omitempty"`
	// ReviewMediaItems are "the media items associated with the review".
	ReviewMediaItems []mediaJSON `json:"reviewMediaItems,omitempty"`
}

type mediaJSON struct {
	ThumbnailURL string `json:"thumbnailUrl,omitempty"`
	VideoURL     string `json:"videoUrl,omitempty"`
}

type reviewerJSON struct {
	ProfilePhotoURL string `json:"profilePhotoUrl,omitempty"`
	DisplayName     string `json:"displayName"`
	IsAnonymous     bool   `json:"isAnonymous"`
}

// replyJSON is a ReviewReply; reviewReplyState and policyViolation are
// output only, set by Google's moderation of replies (since 2026-04-01).
type replyJSON struct {
	Comment          string `json:"comment"`
	UpdateTime       string `json:"updateTime"`
	ReviewReplyState string `json:"reviewReplyState,omitempty"`
	PolicyViolation  string `json:"policyViolation,omitempty"`
}

func (r *reply) json() *replyJSON {
	return &replyJSON{Comment: r.comment, UpdateTime: Timestamp(r.updated), ReviewReplyState: r.state, PolicyViolation: r.violation}
}

type listJSON struct {
	Reviews          []reviewJSON `json:"reviews,omitempty"`
	AverageRating    float64      `json:"averageRating,omitempty"`
	TotalReviewCount int          `json:"totalReviewCount"`
	NextPageToken    string       `json:"nextPageToken,omitempty"`
}

var starNames = []string{"STAR_RATING_UNSPECIFIED", "ONE", "TWO", "THREE", "FOUR", "FIVE"}

// Timestamp writes t as Google does: RFC 3339 in UTC with 0, 3, 6 or 9
// fractional digits.
func Timestamp(t time.Time) string {
	t = t.UTC()
	switch ns := t.Nanosecond(); {
	case ns == 0:
		return t.Format("2006-01-02T15:04:05Z")
	case ns%1_000_000 == 0:
		return t.Format("2006-01-02T15:04:05.000Z")
	case ns%1_000 == 0:
		return t.Format("2006-01-02T15:04:05.000000Z")
	}
	return t.Format("2006-01-02T15:04:05.000000000Z")
}

func (r *review) json() reviewJSON {
	out := reviewJSON{Name: r.name, ReviewID: r.id, Comment: r.comment,
		CreateTime: Timestamp(r.created), UpdateTime: Timestamp(r.updated), StarRating: starNames[0]}
	if r.stars >= 1 && r.stars <= 5 {
		out.StarRating = starNames[r.stars]
	}
	if r.reviewer.Anonymous {
		out.Reviewer = reviewerJSON{DisplayName: "A Google User", IsAnonymous: true}
	} else {
		photo := r.reviewer.PhotoURL
		if photo == "" {
			photo = "https://lh3.googleusercontent.com/a-/gbpfake" + base64.RawURLEncoding.EncodeToString([]byte(r.reviewer.Name)) + "=s120-c-rp-mo-br100"
		}
		out.Reviewer = reviewerJSON{DisplayName: r.reviewer.Name, ProfilePhotoURL: photo}
	}
	if r.reply != nil {
		out.ReviewReply = r.reply.json()
	}
	for _, m := range r.media {
		out.ReviewMediaItems = append(out.ReviewMediaItems, mediaJSON(m))
	}
	return out
}

// errorJSON is Google's error body (cloud.google.com/apis/design/errors).
type errorJSON struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
		Details []any  `json:"details,omitempty"`
	} `json:"error"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, status, msg string, details ...any) {
	var e errorJSON
	e.Error.Code, e.Error.Status, e.Error.Message, e.Error.Details = code, status, msg, details
	writeJSON(w, code, e)
}

// api wraps an API handler: the bearer token, the quota, the failures
// asked for, the location's access and verification, in that order.
func (f *Fake) api(h func(w http.ResponseWriter, r *http.Request, rv *review)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !f.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.")
			return
		}
		switch f.admit() {
		case http.StatusTooManyRequests:
			writeError(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED",
				"Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service 'mybusiness.googleapis.com' for consumer 'project_number:123456789012'.",
				map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com",
					"metadata": map[string]string{"service": "mybusiness.googleapis.com", "consumer": "projects/123456789012",
						"quota_metric": "mybusiness.googleapis.com/default_requests", "quota_limit": "defaultPerMinutePerProject",
						"quota_limit_value": strconv.Itoa(QuotaPerMinute)}})
			return
		case http.StatusServiceUnavailable:
			writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "The service is currently unavailable.")
			return
		}
		loc := "accounts/" + r.PathValue("account") + "/locations/" + r.PathValue("location")
		f.mu.Lock()
		mine, unverified := loc == f.Location, f.unverified
		f.mu.Unlock()
		if !mine {
			writeError(w, http.StatusForbidden, "PERMISSION_DENIED", "The caller does not have permission")
			return
		}
		if unverified {
			writeError(w, http.StatusBadRequest, "FAILED_PRECONDITION", "Precondition check failed. The location is not verified.")
			return
		}
		var rv *review
		if id := r.PathValue("review"); id != "" {
			f.mu.Lock()
			if found, ok := f.reviews[loc+"/reviews/"+id]; ok {
				cp := *found
				rv = &cp
			}
			f.mu.Unlock()
			if rv == nil {
				if r.Method != http.MethodGet {
					f.record(Call{Method: r.Method, Review: loc + "/reviews/" + id, Status: http.StatusNotFound})
				}
				writeError(w, http.StatusNotFound, "NOT_FOUND", "Requested entity was not found.")
				return
			}
		}
		h(w, r, rv)
	}
}

func (f *Fake) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	exp, ok := f.tokens[tok]
	return ok && f.now().Before(exp)
}

func (f *Fake) record(c Call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c.At = f.now()
	f.calls = append(f.calls, c)
}

// listReviews answers reviews.list: pageSize (at most 50, the default),
// pageToken, and orderBy "updateTime desc" (the default), "rating" or
// "rating desc".
func (f *Fake) listReviews(w http.ResponseWriter, r *http.Request, _ *review) {
	q := r.URL.Query()
	f.mu.Lock()
	f.queries = append(f.queries, r.URL.RawQuery)
	f.mu.Unlock()
	size := MaxPageSize
	if s := q.Get("pageSize"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.")
			return
		}
		if n > 0 {
			size = min(n, MaxPageSize)
		}
	}
	var order func(a, b *review) int
	switch q.Get("orderBy") {
	case "", "updateTime desc":
		order = func(a, b *review) int { return cmp.Or(b.updated.Compare(a.updated), strings.Compare(a.name, b.name)) }
	case "rating":
		order = func(a, b *review) int { return cmp.Or(cmp.Compare(a.stars, b.stars), strings.Compare(a.name, b.name)) }
	case "rating desc":
		order = func(a, b *review) int { return cmp.Or(cmp.Compare(b.stars, a.stars), strings.Compare(a.name, b.name)) }
	default:
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.")
		return
	}
	offset := 0
	if t := q.Get("pageToken"); t != "" {
		n, ok := decodeToken(t)
		if !ok {
			writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.")
			return
		}
		offset = n
	}
	f.mu.Lock()
	all := make([]*review, 0, len(f.reviews))
	sum, rated := 0, 0
	for _, rv := range f.reviews {
		all = append(all, rv)
		if rv.stars > 0 {
			sum, rated = sum+rv.stars, rated+1
		}
	}
	slices.SortFunc(all, order)
	out := listJSON{TotalReviewCount: len(all)}
	if rated > 0 {
		out.AverageRating = math.Round(float64(sum)/float64(rated)*10) / 10
	}
	for _, rv := range all[min(offset, len(all)):min(offset+size, len(all))] {
		out.Reviews = append(out.Reviews, rv.json())
	}
	if offset+size < len(all) {
		out.NextPageToken = encodeToken(offset + size)
	}
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func encodeToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("gbpfake:" + strconv.Itoa(offset)))
}

func decodeToken(t string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return 0, false
	}
	s, ok := strings.CutPrefix(string(b), "gbpfake:")
	n, err := strconv.Atoi(s)
	return n, ok && err == nil && n >= 0
}

// getReview answers reviews.get.
func (f *Fake) getReview(w http.ResponseWriter, r *http.Request, rv *review) {
	writeJSON(w, http.StatusOK, rv.json())
}

// updateReply answers reviews.updateReply: the body is a ReviewReply, whose
// comment is required and at most 4096 bytes; the reply is created or
// replaced, and returned.
func (f *Fake) updateReply(w http.ResponseWriter, r *http.Request, rv *review) {
	call := Call{Method: http.MethodPut, Review: rv.name}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var in struct {
		Comment string `json:"comment"`
	}
	if err == nil {
		err = json.Unmarshal(body, &in)
	}
	call.Comment = in.Comment
	switch {
	case err != nil:
		call.Status = http.StatusBadRequest
		f.record(call)
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received.")
		return
	case strings.TrimSpace(in.Comment) == "" || len(in.Comment) > MaxReplyBytes:
		call.Status = http.StatusBadRequest
		f.record(call)
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.",
			map[string]any{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": []map[string]string{
				{"field": "comment", "description": "The reply must be between 1 and " + strconv.Itoa(MaxReplyBytes) + " bytes."}}})
		return
	}
	f.mu.Lock()
	stored, ok := f.reviews[rv.name]
	var out replyJSON
	if ok {
		stored.reply = &reply{comment: in.Comment, updated: f.now(), state: f.replyState, violation: f.replyViolation}
		out = *stored.reply.json()
	}
	f.mu.Unlock()
	if !ok {
		call.Status = http.StatusNotFound
		f.record(call)
		writeError(w, http.StatusNotFound, "NOT_FOUND", "Requested entity was not found.")
		return
	}
	call.Status = http.StatusOK
	f.record(call)
	writeJSON(w, http.StatusOK, out)
}

// deleteReply answers reviews.deleteReply: an empty object, or 404 when
// the review has no reply.
func (f *Fake) deleteReply(w http.ResponseWriter, r *http.Request, rv *review) {
	f.mu.Lock()
	stored, ok := f.reviews[rv.name]
	had := ok && stored.reply != nil
	if had {
		stored.reply = nil
	}
	f.mu.Unlock()
	if !had {
		f.record(Call{Method: http.MethodDelete, Review: rv.name, Status: http.StatusNotFound})
		writeError(w, http.StatusNotFound, "NOT_FOUND", "Requested entity was not found.")
		return
	}
	f.record(Call{Method: http.MethodDelete, Review: rv.name, Status: http.StatusOK})
	writeJSON(w, http.StatusOK, struct{}{})
}
