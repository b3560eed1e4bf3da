package fsqfake

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// fields are the tip fields the reference lists for the fields parameter;
// without it, the first three are returned.
var fields = []string{"fsq_tip_id", "created_at", "text", "lang", "url", "agree_count", "disagree_count", "photo"}

// Handler serves GET /places/{fsq_place_id}/tips. A request without the
// key is answered 401 {"message": "Invalid request token."} (the Places
// API's documented error), one without the version header 400, an
// unknown place 404, another method 405, any other path 404.
func (f *Fake) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/places/{fsq_place_id}/tips", f.tips)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f.answer(w, r, http.StatusNotFound, "Endpoint does not exist.")
	})
	return mux
}

func (f *Fake) tips(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		f.answer(w, r, http.StatusMethodNotAllowed, "Attempting to use POST with a GET-only endpoint, or vice-versa.")
		return
	}
	if got := r.Header.Get("Authorization"); subtle.ConstantTimeCompare([]byte(got), []byte("Bearer "+f.APIKey)) != 1 {
		f.answer(w, r, http.StatusUnauthorized, "Invalid request token.")
		return
	}
	if v := r.Header.Get("X-Places-Api-Version"); v != APIVersion {
		f.answer(w, r, http.StatusBadRequest, "X-Places-Api-Version must be "+APIVersion+".")
		return
	}
	f.mu.Lock()
	switch {
	case f.throttle > 0:
		f.throttle--
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		f.mu.Unlock()
		f.answer(w, r, http.StatusTooManyRequests, "Rate limit exceeded.")
		return
	case f.serverErrors > 0:
		f.serverErrors--
		f.mu.Unlock()
		f.answer(w, r, http.StatusInternalServerError, "Internal server error.")
		return
	}
	f.mu.Unlock()

	q := r.URL.Query()
	limit := 10
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 50 {
			f.answer(w, r, http.StatusBadRequest, "limit must be between 1 and 50.")
			return
		}
		limit = n
	}
	sort := q.Get("sort")
	if sort == "" {
		sort = "POPULAR"
	}
	if sort = strings.ToUpper(sort); sort != "POPULAR" && sort != "NEWEST" {
		f.answer(w, r, http.StatusBadRequest, "sort must be POPULAR or NEWEST.")
		return
	}
	want := fields[:3]
	if s := q.Get("fields"); s != "" {
		want = strings.Split(s, ",")
		for _, name := range want {
			if !slices.Contains(fields, name) {
				f.answer(w, r, http.StatusBadRequest, "Invalid field: "+name+".")
				return
			}
		}
	}

	f.mu.Lock()
	p, ok := f.places[r.PathValue("fsq_place_id")]
	var tips []Tip
	if ok {
		tips = slices.Clone(p.tips)
	}
	f.mu.Unlock()
	if !ok {
		f.answer(w, r, http.StatusNotFound, "invalid place specified")
		return
	}
	// Newest first; of two tips of the same time, the one added last.
	slices.Reverse(tips)
	slices.SortStableFunc(tips, func(a, b Tip) int { return b.CreatedAt.Compare(a.CreatedAt) })
	if sort == "POPULAR" {
		slices.SortStableFunc(tips, func(a, b Tip) int { return b.Agree - a.Agree })
	}
	tips = tips[:min(limit, len(tips))]
	out := make([]map[string]any, len(tips))
	for i, t := range tips {
		out[i] = project(t, want)
	}
	f.log(r, http.StatusOK)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

// project is tip t with only the fields asked for, as the Places API
// answers; empty optional fields are left out.
func project(t Tip, want []string) map[string]any {
	m := map[string]any{}
	for _, name := range want {
		switch name {
		case "fsq_tip_id":
			m[name] = t.ID
		case "created_at":
			m[name] = t.CreatedAt.Format("2006-01-02T15:04:05.000Z")
		case "text":
			m[name] = t.Text
		case "lang":
			if t.Lang != "" {
				m[name] = t.Lang
			}
		case "url":
			if t.URL != "" {
				m[name] = t.URL
			}
		case "agree_count":
			m[name] = t.Agree
		case "disagree_count":
			m[name] = t.Disagree
		case "photo":
			if t.PhotoPrefix != "" {
				m[name] = map[string]any{"id": t.ID + "p", "created_at": t.CreatedAt.Format("2006-01-02T15:04:05.000Z"),
					"prefix": t.PhotoPrefix, "suffix": t.PhotoSuffix, "width": 1440, "height": 1920}
			}
		}
	}
	return m
}

// answer writes an error as the Places API does.
func (f *Fake) answer(w http.ResponseWriter, r *http.Request, status int, msg string) {
	f.log(r, status)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

func (f *Fake) log(r *http.Request, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
		Header: r.Header.Clone(), Status: status, At: f.now().UTC().Truncate(time.Second)})
}
