package phone

import (
	"crypto/hmac"
	"flag"
	"net/url"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/sms/twiliofake"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files in testdata")

// testNow is the tests' clock: 24 November 2026, 11:30 UTC, after every
// call in testdata.
var testNow = time.Date(2026, 11, 24, 11, 30, 0, 0, time.UTC)

const testSecret = "whsec_0123456789abcdef0123456789abcdef"

func testInbox() care.Inbox {
	return care.Inbox{ID: 9, WorkspaceID: 1, Channel: care.ChannelPhone, Name: "Acme line",
		Credentials: map[string]string{CredWebhookSecret: testSecret,
			CredTwilioAuthToken: twiliofake.DefaultAuthToken, CredTwilioAccountSID: twiliofake.DefaultAccountSID}}
}

// twilioVerify stands in for the SMS adapter's verification, which the
// app wires: it compares with the signature twiliofake makes, which is
// checked against Twilio's documented example in twiliofake's tests.
func twilioVerify(authToken, signature, rawURL string, params url.Values) error {
	if signature == "" || !hmac.Equal([]byte(signature), []byte(twiliofake.Sign(authToken, rawURL, params))) {
		return care.Errorf(care.EUNAUTHORIZED, "X-Twilio-Signature does not match")
	}
	return nil
}

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
