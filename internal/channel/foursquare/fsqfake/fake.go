// Package fsqfake is a local stand-in for Foursquare's Places API, for
// tests and demos. It serves Get Place Tips as places-api.foursquare.com
// does (GET /places/{fsq_place_id}/tips with "Authorization: Bearer <key>"
// and "X-Places-Api-Version: 2025-06-17"; limit, sort and fields; a JSON
// array of tips; errors as {"message": …}), and plays the customers: their
// tips about the brand's places.
//
//	f := fsqfake.New()
//	f.AddPlace(fsqfake.DefaultPlace, "Acme Soho")
//	srv := httptest.NewServer(f.Handler())   // point an inbox's api_base here
//	id, err := f.Tip(fsqfake.DefaultPlace, fsqfake.Tip{Text: "Great coffee, slow wifi"})
//	…                                        // Parley polls srv
//	f.Requests()                             // what Parley asked
//
// Throttle and FailNext make the next requests fail with a 429 (and
// Retry-After) or a 500. Parley sends nothing else: the Places API has no
// way to answer a tip.
package fsqfake

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Defaults: a key and a place shaped like real ones.
const (
	DefaultAPIKey = "fsqfake-SERVICE-KEY-0123456789abcdefghijklmnop"
	DefaultPlace  = "5a187743ccad6b307315e6fe"
	// APIVersion is the only X-Places-Api-Version the fake accepts, as
	// the reference allows only it.
	APIVersion = "2025-06-17"
)

// Fake is a Places API project with some places. Set its fields before
// serving requests; after that, use its methods, which are safe for
// concurrent use.
type Fake struct {
	// APIKey is the Service API Key requests must carry; New sets
	// DefaultAPIKey.
	APIKey string
	// Now is the fake's clock for new tips; nil means time.Now.
	Now func() time.Time

	mu           sync.Mutex
	places       map[string]*place
	requests     []Request
	throttle     int
	retryAfter   string
	serverErrors int
}

type place struct {
	name string
	tips []Tip // oldest first
}

// New returns a fake with the default key and no places.
func New() *Fake {
	return &Fake{APIKey: DefaultAPIKey, places: map[string]*place{}}
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// AddPlace makes a place known; tips of unknown places are 404.
func (f *Fake) AddPlace(id, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.places[id]; !ok {
		f.places[id] = &place{name: name}
	}
}

// Tip is a tip about a place.
type Tip struct {
	// ID is the tip's fsq_tip_id; "" makes a new one, 24 hex digits.
	ID   string
	Text string
	// CreatedAt is when it was written; zero means the fake's now.
	CreatedAt time.Time
	// URL is the link of the tip, "" for none.
	URL  string
	Lang string
	// Agree and Disagree are how many people agreed and disagreed.
	Agree, Disagree int
	// PhotoPrefix and PhotoSuffix make the photo's URL around a size;
	// "" for a tip without a photo.
	PhotoPrefix, PhotoSuffix string
}

// Tip has a customer leave t about place id and returns the tip's id. It
// returns an error for an unknown place.
func (f *Fake) Tip(placeID string, t Tip) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.places[placeID]
	if !ok {
		return "", errors.New("fsqfake: no place " + placeID)
	}
	if t.ID == "" {
		b := make([]byte, 12)
		rand.Read(b)
		t.ID = hex.EncodeToString(b)
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = f.now()
	}
	t.CreatedAt = t.CreatedAt.UTC()
	p.tips = append(p.tips, t)
	return t.ID, nil
}

// Remove deletes tip tipID of place placeID, as when its author deletes
// it; it reports whether there was one.
func (f *Fake) Remove(placeID, tipID string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.places[placeID]
	if !ok {
		return false
	}
	for i, t := range p.tips {
		if t.ID == tipID {
			p.tips = append(p.tips[:i], p.tips[i+1:]...)
			return true
		}
	}
	return false
}

// Request is a request the fake received.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	// Status is what the fake answered.
	Status int
	At     time.Time
}

// Requests returns the requests received, oldest first.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// Throttle makes the next n requests fail with 429, with a Retry-After of
// retryAfter when it is not "".
func (f *Fake) Throttle(n int, retryAfter string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttle, f.retryAfter = n, retryAfter
}

// FailNext makes the next n requests fail with 500.
func (f *Fake) FailNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.serverErrors = n
}
