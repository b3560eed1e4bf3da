package blog

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

// testFeed is the address the testdata feeds are read as coming from.
const testFeed = "https://blog.example.com/feed/"

// testInbox follows feeds for the brand Acme.
func testInbox(feeds ...string) care.Inbox {
	if len(feeds) == 0 {
		feeds = []string{testFeed}
	}
	f := ""
	for _, s := range feeds {
		f += s + "\n"
	}
	return care.Inbox{ID: 7, WorkspaceID: 1, Channel: care.ChannelBlog, Name: "Acme on blogs",
		Credentials: map[string]string{CredFeeds: f, CredKeywords: "Acme"}}
}

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
