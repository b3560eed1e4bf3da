package mastodon

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

// testInbox is the account the documentation's examples are addressed to,
// @trwnh on mastodon.social.
func testInbox() care.Inbox {
	return care.Inbox{ID: 7, WorkspaceID: 1, Channel: care.ChannelMastodon, ExternalID: "14715",
		Credentials: map[string]string{CredAccessToken: "test-token", CredAPIBase: "https://mastodon.social", CredDomain: "mastodon.social"}}
}

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
