package reddit

import (
	"flag"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/parleyhq/parley/internal/care"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files in testdata")

// testNow is the tests' clock: 24 November 2026, 10:00 UTC.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// testInbox is u/AcmeSupport, redditfake's brand, with a script app.
func testInbox() care.Inbox {
	return care.Inbox{ID: 7, WorkspaceID: 1, Channel: care.ChannelReddit, ExternalID: "AcmeSupport",
		Credentials: map[string]string{CredClientID: "redditfake-client-id", CredClientSecret: "redditfake-client-secret",
			CredUsername: "AcmeSupport", CredPassword: "redditfake-password"}}
}

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
