package sms

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func TestPrepare(t *testing.T) {
	t.Parallel()
	const service = "MG0123456789abcdef0123456789abcdef"
	tests := []struct {
		name     string
		creds    map[string]string
		external string
		want     string // part of the EINVALID message; "" for no error
		wantExt  string
	}{
		{"number", map[string]string{CredAccountSID: testAccount, CredAuthToken: testToken, CredFrom: business}, "", "", business},
		{"service", map[string]string{CredAccountSID: testAccount, CredAuthToken: testToken, CredMessagingServiceSID: service}, "", "", service},
		{"both", map[string]string{CredAccountSID: testAccount, CredAuthToken: testToken, CredFrom: business, CredMessagingServiceSID: service}, "", "", business},
		{"short code", map[string]string{CredAccountSID: testAccount, CredAuthToken: testToken, CredFrom: "89898"}, "", "", "89898"},
		{"external id kept", map[string]string{CredAccountSID: testAccount, CredAuthToken: testToken, CredFrom: business}, "support-line", "", "support-line"},
		{"local fake", map[string]string{CredAccountSID: testAccount, CredAuthToken: testToken, CredFrom: business, CredAPIBase: "http://127.0.0.1:8081"}, "", "", business},
		{"no account", map[string]string{CredAuthToken: testToken, CredFrom: business}, "", "account_sid", ""},
		{"an API key is not an account", map[string]string{CredAccountSID: "SK0123456789abcdef0123456789abcdef", CredAuthToken: testToken, CredFrom: business}, "", "account_sid", ""},
		{"no token", map[string]string{CredAccountSID: testAccount, CredFrom: business}, "", "auth_token", ""},
		{"no sender", map[string]string{CredAccountSID: testAccount, CredAuthToken: testToken}, "", "credentials.from", ""},
		{"number without +", map[string]string{CredAccountSID: testAccount, CredAuthToken: testToken, CredFrom: "14155550100"}, "", "E.164", ""},
		{"number with spaces", map[string]string{CredAccountSID: testAccount, CredAuthToken: testToken, CredFrom: "+1 415 555 0100"}, "", "E.164", ""},
		{"bad service", map[string]string{CredAccountSID: testAccount, CredAuthToken: testToken, CredMessagingServiceSID: "MGnope"}, "", "messaging_service_sid", ""},
		{"bad api_base", map[string]string{CredAccountSID: testAccount, CredAuthToken: testToken, CredFrom: business, CredAPIBase: "ftp://x"}, "", "api_base", ""},
		{"bad status callback", map[string]string{CredAccountSID: testAccount, CredAuthToken: testToken, CredFrom: business, CredStatusCallback: "/webhooks/1"}, "", "status_callback", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := &care.Inbox{Channel: care.ChannelSMS, ExternalID: tt.external, Credentials: tt.creds}
			err := quietAdapter().Prepare(in)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Prepare = %v, want nil", err)
			case tt.want != "" && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want)):
				t.Fatalf("Prepare = %v, want EINVALID about %q", err, tt.want)
			case tt.want == "" && in.ExternalID != tt.wantExt:
				t.Errorf("ExternalID = %q, want %q", in.ExternalID, tt.wantExt)
			}
		})
	}
	if err := quietAdapter().Prepare(&care.Inbox{}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("Prepare(no credentials) = %v, want EINVALID", err)
	}
}

func TestInstructions(t *testing.T) {
	t.Parallel()
	const hook = "https://care.example.com/webhooks/7"
	in := testInbox()
	got := quietAdapter().Instructions(in, hook)
	want := []channel.Instruction{
		{Label: "Account SID", Value: testAccount},
		{Label: "Phone number", Value: business},
		{Label: "Phone number > Messaging Configuration > A message comes in: Webhook, URL (HTTP POST)", Value: hook},
		{Label: "Delivery statuses: set the inbox's status_callback credential to", Value: hook},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Instructions (-want +got):\n%s", diff)
	}

	a := quietAdapter()
	a.StatusCallback = func(care.Inbox) string { return hook }
	got = a.Instructions(in, hook)
	if last := got[len(got)-1]; last.Value != hook || !strings.Contains(last.Label, "with each message") {
		t.Errorf("with a status callback, the last instruction is %+v", last)
	}

	in.Credentials[CredMessagingServiceSID] = "MG0123456789abcdef0123456789abcdef"
	delete(in.Credentials, CredFrom)
	got = quietAdapter().Instructions(in, hook)
	if len(got) != 4 || got[3].Label != "Messaging Service > Integration > Delivery Status Callback" || got[3].Value != hook {
		t.Errorf("Messaging Service instructions = %+v", got)
	}
}
