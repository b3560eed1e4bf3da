package telegram

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

// Values of the test bot, those of tgfake's default bot.
const (
	testToken    = "7000000001:AAHfakeTokenForParleyTests-0123456789_abc"
	testSecret   = "s3cr3t_T0KEN-for-tests"
	testUsername = "parley_fake_bot"
)

func testInbox() care.Inbox {
	return care.Inbox{ID: 7, WorkspaceID: 1, Channel: care.ChannelTelegram, ExternalID: "7000000001",
		Credentials: map[string]string{CredBotToken: testToken, CredSecretToken: testSecret, CredBotUsername: testUsername}}
}

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
