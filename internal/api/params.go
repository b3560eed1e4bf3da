package api

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/listen"
)

// pathID parses the {id} wildcard.
func pathID(r *http.Request) (care.ID, error) {
	v := r.PathValue("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, care.Errorf(care.EINVALID, "%q is not an id; ids are positive integers.", v)
	}
	return id, nil
}

// queryID parses an optional id query parameter.
func queryID(r *http.Request, name string) (care.ID, error) { return valuesID(r.URL.Query(), name) }

func queryInt(r *http.Request, name string, def, max int) (int, error) {
	return valuesInt(r.URL.Query(), name, def, max)
}

func queryFloat(r *http.Request, name string) (*float64, error) {
	return valuesFloat(r.URL.Query(), name)
}

// valuesID, valuesInt and valuesFloat read the query parameters of q, for
// what the web's forms share with the API.
func valuesID(q url.Values, name string) (care.ID, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, care.Errorf(care.EINVALID, "Query parameter %s=%q is not an id.", name, v)
	}
	return id, nil
}

func valuesInt(q url.Values, name string, def, max int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, care.Errorf(care.EINVALID, "Query parameter %s must be a number from 1 to %d.", name, max)
	}
	return n, nil
}

func valuesFloat(q url.Values, name string) (*float64, error) {
	v := q.Get(name)
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, care.Errorf(care.EINVALID, "Query parameter %s must be a number.", name)
	}
	if f == 0 {
		f = 0 // "-0" is 0, and must not come back as -0 in a report
	}
	return &f, nil
}

// auditf records an administrative action; a failure to audit is logged,
// not shown, since the action itself already happened.
func (s *Server) auditf(r *http.Request, action, target string, details any) {
	s.audit(r.Context(), principal(r), action, target, details)
}

// audit is auditf for p, outside a request of the API's own.
func (s *Server) audit(ctx context.Context, p care.Principal, action, target string, details any) {
	var raw json.RawMessage
	if details != nil {
		raw, _ = json.Marshal(details)
	}
	if err := s.Store.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: action,
		Target: target, Details: raw, CreatedAt: s.now()}); err != nil {
		s.logger().ErrorContext(ctx, "audit failed", "action", action, "err", err)
	}
}

func idTarget(kind string, id care.ID) string { return kind + ":" + strconv.FormatInt(id, 10) }

// splitList splits a comma-separated query value.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// periodOf reads a report's from and to, from and to when absent: each an
// RFC 3339 time or a date, a date's midnight in loc. to's date is included,
// so from=2026-11-01&to=2026-11-30 is all of November. Every report reads
// its period here, so a period written for one is read alike by all.
func periodOf(q url.Values, from, to time.Time, loc *time.Location) (time.Time, time.Time, error) {
	for _, p := range []struct {
		name string
		t    *time.Time
		end  bool
	}{{"from", &from, false}, {"to", &to, true}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			*p.t = t
			continue
		}
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return from, to, care.Errorf(care.EINVALID, "%s must be a date such as 2026-11-01 or an RFC 3339 time such as 2026-11-01T00:00:00Z.", p.name)
		}
		if p.end {
			d = d.AddDate(0, 0, 1)
		}
		// Noon is inside the local day whatever the clocks do at midnight.
		*p.t = listen.StartOfDay(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, loc))
	}
	if !from.Before(to) {
		return from, to, care.Errorf(care.EINVALID, "from must be before to.")
	}
	return from, to, nil
}
