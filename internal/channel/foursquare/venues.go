package foursquare

import (
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Bounds of the venues credential.
const (
	// MaxVenues bounds the places one inbox polls: each costs a billed
	// call per poll.
	MaxVenues     = 100
	maxVenueID    = 64
	maxVenueLabel = 100
)

// venue is one of the brand's places.
type venue struct {
	id    string // fsq_place_id
	label string // the name to show, the id when none was given
}

// parseVenues reads the venues credential: entries separated by commas or
// new lines, each an fsq_place_id optionally followed by "=" and a name. It
// returns EINVALID naming the first entry that is not one, a repeated id,
// no venue at all, or more than MaxVenues.
func parseVenues(s string) ([]venue, error) {
	var out []venue
	seen := map[string]bool{}
	for entry := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		id, label, _ := strings.Cut(entry, "=")
		id, label = strings.TrimSpace(id), channel.CleanName(label, maxVenueLabel)
		if !placeID(id) {
			return nil, care.Errorf(care.EINVALID, "credentials.venues: %.70q is not a Foursquare place id (fsq_place_id, like 5a187743ccad6b307315e6fe).", id)
		}
		if seen[id] {
			return nil, care.Errorf(care.EINVALID, "credentials.venues names %s twice.", id)
		}
		seen[id] = true
		if label == "" {
			label = id
		}
		out = append(out, venue{id: id, label: label})
	}
	switch {
	case len(out) == 0:
		return nil, care.Errorf(care.EINVALID, "credentials.venues is required: the fsq_place_id of each of the brand's places, separated by commas.")
	case len(out) > MaxVenues:
		return nil, care.Errorf(care.EINVALID, "credentials.venues names %d places; one inbox polls at most %d.", len(out), MaxVenues)
	}
	return out, nil
}

// placeID reports whether s can be an fsq_place_id: Foursquare's are 24
// hexadecimal digits (the legacy venue id) or other short alphanumeric
// strings; anything else must not reach a request path.
func placeID(s string) bool {
	if s == "" || len(s) > maxVenueID {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
