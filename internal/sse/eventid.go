package sse

import (
	"net/http"
	"strconv"

	"github.com/parleyhq/parley/internal/care"
)

// requestedEventID returns the position a client asks to resume after: the
// Last-Event-ID header, which browsers send on reconnecting, or else the
// last_event_id query parameter, for a first connection that already knows
// where it stopped. ok is false when neither holds a valid event id.
func requestedEventID(r *http.Request) (id care.ID, ok bool) {
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		return parseEventID(v)
	}
	return parseEventID(r.URL.Query().Get("last_event_id"))
}

// parseEventID accepts exactly the ids this package writes: decimal digits,
// no sign, no spaces, within int64.
func parseEventID(s string) (care.ID, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return id, true
}
