package wordpress

import (
	"flag"
	"log/slog"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/parleyhq/parley/internal/care"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files in testdata")

// testNow is the tests' clock: 24 November 2026, 10:00 UTC.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// quiet discards the adapter's logs.
var quiet = slog.New(slog.DiscardHandler)

// testInbox is the site of the testdata comments, where Parley is user 2.
func testInbox() care.Inbox {
	return care.Inbox{ID: 7, WorkspaceID: 1, Channel: care.ChannelWordPress, ExternalID: "2", Name: "Acme blog",
		Credentials: map[string]string{CredSiteURL: "https://blog.acme.example.com", CredUsername: "parley",
			CredAppPassword: "abcd EFGH 1234 ijkl MNOP 5678", CredUserID: "2", CredRoute: RoutePretty}}
}

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
