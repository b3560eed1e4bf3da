package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/parleyhq/parley/internal/api"
	lsn "github.com/parleyhq/parley/internal/listen"
)

// Listening: what is said about Orbit Mobile and two competitors without
// addressing it. The subjects are a workspace setting; weeks of history are
// imported through the API, as from a listening tool used before Parley;
// and during the run strangers post about the brands on X, Bluesky,
// Mastodon and Reddit, which Parley's own searches find.

// The competitors: Kestrel, slightly ahead of Orbit in share of voice, and
// Nimbus Telecom, a smaller one.
const (
	kestrel = "Kestrel"
	nimbus  = "Nimbus Telecom"
)

// listeningSettings are the subjects. Orbit is known by its name, its
// handles on the platforms (a plain word matches the hashtag and the X,
// Mastodon and Reddit handles; Bluesky's is a domain of its own), what
// customers call its app and the outage hashtag they use. Kestrel is also a
// bird, and birders tag their sightings: #birdwatching keeps them out of
// the competitor's figures.
const listeningSettings = `{"subjects": [
 {"name": "Orbit Mobile", "own": true, "terms": ["orbit mobile", "orbitmobile", "@orbitmobile.bsky.social", "orbit app", "#orbitdown"]},
 {"name": "Kestrel", "terms": ["kestrel", "#kestrelmobile", "@kestrelmobile"], "exclude": ["#birdwatching"]},
 {"name": "Nimbus Telecom", "terms": ["nimbus telecom", "#nimbustelecom", "@nimbustelecom"]}
]}`

// Import bounds: the API takes up to 500 posts a request, in a body of at
// most api.MaxBodyBytes; a batch stops short of that by a margin for the
// envelope.
const (
	importPosts = 500
	importBytes = api.MaxBodyBytes - 4<<10
)

// reportDays is the period the web's Listening page opens on, and the
// demo's summary of the history covers.
const reportDays = 30

// Listening is what a run showed of listening.
type Listening struct {
	// Imported counts the posts of history sent to Parley's import, Kept
	// those it kept: about a subject (a birder's kestrel is not).
	Imported, Kept int
	// Shares are the subjects' shares of voice over the last 30 days, and
	// Spikes the spikes Parley's report flagged in them, newest first, as
	// the report gave them once the history was in.
	Shares map[string]float64
	Spikes []lsn.Spike
	// Overheard are the posts strangers published about the brands on X,
	// Bluesky, Mastodon and Reddit, addressed to no one; Heard counts
	// those Parley's listening searches had found by the end.
	Overheard []Sample
	Heard     int
}

// importHistory imports the history of listening (see history) through
// the API, in batches within its bounds, and reads the report of the last
// reportDays days over it.
func importHistory(ctx context.Context, admin *client, seed int64, now time.Time) (Listening, error) {
	var l Listening
	posts := history(seed, now)
	batches, err := importBatches(posts)
	if err != nil {
		return l, err
	}
	for _, b := range batches {
		var res api.ListenImportResult
		if err := admin.call(ctx, "POST", "/api/v1/listening/posts", api.ListenImport{Posts: b}, &res, http.StatusOK); err != nil {
			return l, fmt.Errorf("demo: import listening's history: %w", err)
		}
		l.Imported += res.Received
		l.Kept += res.Matched
	}
	today := now.UTC().Format(time.DateOnly)
	q := url.Values{"from": {now.UTC().AddDate(0, 0, 1-reportDays).Format(time.DateOnly)}, "to": {today}, "step": {"day"}}
	var rep lsn.Report
	if err := admin.call(ctx, "GET", "/api/v1/listening/report?"+q.Encode(), nil, &rep, http.StatusOK); err != nil {
		return l, fmt.Errorf("demo: listening report: %w", err)
	}
	l.Shares = map[string]float64{}
	for _, s := range rep.Subjects {
		l.Shares[s.Name] = s.Share
	}
	l.Spikes = rep.Spikes
	return l, nil
}

// importBatches cuts posts into requests the import takes: at most
// importPosts posts and importBytes of JSON each.
func importBatches(posts []api.ListenImportPost) ([][]api.ListenImportPost, error) {
	const envelope = len(`{"posts":[]}`)
	var out [][]api.ListenImportPost
	start, size := 0, envelope
	for i, p := range posts {
		b, err := json.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("demo: listening's history: %w", err)
		}
		n := len(b) + 1 // and its comma
		if envelope+n > importBytes {
			return nil, fmt.Errorf("demo: listening's history: post %d is %d bytes, more than a request holds", i, len(b))
		}
		if i-start == importPosts || size+n > importBytes {
			out = append(out, posts[start:i])
			start, size = i, envelope
		}
		size += n
	}
	if start < len(posts) {
		out = append(out, posts[start:])
	}
	return out, nil
}
