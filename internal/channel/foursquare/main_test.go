package foursquare

import (
	"flag"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/foursquare/fsqfake"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files in testdata")

// testNow is the tests' clock: 24 November 2026, 10:00 UTC.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// Places of the tests.
const (
	soho     = fsqfake.DefaultPlace
	brooklyn = "4e577535d22d61e8f339cf36"
)

var sohoVenue = venue{id: soho, label: "Acme Soho"}

func testInbox(apiBase string) care.Inbox {
	return care.Inbox{ID: 11, WorkspaceID: 1, Channel: care.ChannelFoursquare, Name: "Acme on Foursquare",
		Credentials: map[string]string{CredAPIKey: fsqfake.DefaultAPIKey, CredVenues: soho + "=Acme Soho, " + brooklyn + "=Acme Brooklyn",
			CredAPIBase: apiBase}}
}

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
