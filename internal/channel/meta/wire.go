package meta

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/parleyhq/parley/internal/channel"
)

// graphID is an id as Meta writes it: a string, or in some payloads
// (app_id in echoes, ids in older captures) a number.
type graphID = channel.LooseID

// stamp is a time as a number (or a numeric string) of seconds or
// milliseconds; which one is up to the field that holds it.
type stamp float64

func (s *stamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		b = []byte(str)
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		*s = 0
		return nil
	}
	*s = stamp(f)
	return nil
}

// Bounds on a plausible platform timestamp: the platform's clock is not ours
// to trust for ordering beyond a day ahead, nor before 2004.
var (
	minStamp = time.Date(2004, 1, 1, 0, 0, 0, 0, time.UTC)
	maxAhead = 24 * time.Hour
)

// millis converts milliseconds since the epoch to a time, or returns
// fallback for a value that is not a plausible time.
func (s stamp) millis(fallback time.Time) time.Time {
	return plausible(float64(s), fallback)
}

// seconds converts seconds since the epoch, like millis.
func (s stamp) seconds(fallback time.Time) time.Time {
	return plausible(float64(s)*1e3, fallback)
}

// secondsBefore is the largest value read as seconds rather than
// milliseconds: 1e11 seconds is in the year 5138, 1e11 milliseconds in 1973.
const secondsBefore = 1e11

// either converts a time whose unit varies by payload. An entry's time is in
// milliseconds for messaging events (developers.facebook.com/documentation/
// business-messaging/messenger-platform/webhooks, "time": 1458692752478) but
// in seconds for changes (the feed and Instagram comments examples of
// developers.facebook.com/docs/graph-api/webhooks/reference, "time": 1520383571).
func (s stamp) either(fallback time.Time) time.Time {
	if s > 0 && s < secondsBefore {
		return s.seconds(fallback)
	}
	return s.millis(fallback)
}

// plausible turns milliseconds since the epoch into a time in the range a
// platform timestamp can take, else returns fallback.
func plausible(ms float64, fallback time.Time) time.Time {
	if ms < float64(minStamp.UnixMilli()) || ms > float64(fallback.Add(maxAhead).UnixMilli()) {
		return fallback.UTC()
	}
	return time.UnixMilli(int64(math.Round(ms))).UTC()
}
