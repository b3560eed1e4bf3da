package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/telegram/tgfake"
)

func TestPrepare(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	in := &care.Inbox{Channel: care.ChannelTelegram, Credentials: map[string]string{CredBotToken: testToken, CredBotUsername: "@" + testUsername}}
	if err := a.Prepare(in); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	secret := in.Credentials[CredSecretToken]
	if len(secret) < 20 || !tokenChars(secret, maxSecretToken) {
		t.Errorf("generated secret_token %q", secret)
	}
	if in.ExternalID != "7000000001" || in.Credentials[CredBotUsername] != testUsername {
		t.Errorf("Prepare set external id %q, bot_username %q", in.ExternalID, in.Credentials[CredBotUsername])
	}
	if err := a.Prepare(in); err != nil || in.Credentials[CredSecretToken] != secret {
		t.Errorf("a second Prepare changed the secret or failed: %v", err)
	}

	for _, tt := range []struct {
		name   string
		change func(*care.Inbox)
		want   string // "" accepts
	}{
		{"given secret", func(in *care.Inbox) { in.Credentials[CredSecretToken] = strings.Repeat("A-_9", 64) }, ""},
		{"polling", func(in *care.Inbox) { in.Credentials[CredMode] = ModePolling }, ""},
		{"no credentials", func(in *care.Inbox) { in.Credentials = nil }, "bot_token"},
		{"no token", func(in *care.Inbox) { delete(in.Credentials, CredBotToken) }, "bot_token"},
		{"token without its id", func(in *care.Inbox) { in.Credentials[CredBotToken] = "AAHfakeToken" }, "bot_token"},
		{"token with a space", func(in *care.Inbox) { in.Credentials[CredBotToken] = "7000000001:AAH fake" }, "bot_token"},
		{"external id of another bot", func(in *care.Inbox) { in.ExternalID = "42" }, "7000000001"},
		{"secret with a dot", func(in *care.Inbox) { in.Credentials[CredSecretToken] = "a.b" }, "secret_token"},
		{"secret too long", func(in *care.Inbox) { in.Credentials[CredSecretToken] = strings.Repeat("a", 257) }, "secret_token"},
		{"username with a dash", func(in *care.Inbox) { in.Credentials[CredBotUsername] = "acme-bot" }, "bot_username"},
		{"username too short", func(in *care.Inbox) { in.Credentials[CredBotUsername] = "bot" }, "bot_username"},
		{"unknown mode", func(in *care.Inbox) { in.Credentials[CredMode] = "poll" }, "mode"},
		{"bad api_base", func(in *care.Inbox) { in.Credentials[CredAPIBase] = "api.telegram.org" }, "api_base"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := &care.Inbox{Channel: care.ChannelTelegram, Credentials: map[string]string{CredBotToken: testToken}}
			tt.change(in)
			err := a.Prepare(in)
			if tt.want == "" {
				if err != nil {
					t.Errorf("Prepare = %v, want nil", err)
				}
				return
			}
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
				t.Errorf("Prepare = %v, want EINVALID about %s", err, tt.want)
			}
		})
	}
}

func TestInstructions(t *testing.T) {
	t.Parallel()
	in := testInbox()
	got := (&Adapter{}).Instructions(in, "https://parley.example.com/webhooks/7")
	want := []channel.Instruction{
		{Label: "Webhook URL", Value: "https://parley.example.com/webhooks/7"},
		{Label: "Secret token", Value: testSecret},
		{Label: "Allowed updates", Value: "message, edited_message, message_reaction"},
		{Label: "Set the webhook (HTTPS on port 443, 80, 88 or 8443)", Value: `curl -X POST https://api.telegram.org/bot<BOT_TOKEN>/setWebhook -H 'Content-Type: application/json' -d '{"allowed_updates":["message","edited_message","message_reaction"],"secret_token":"s3cr3t_T0KEN-for-tests","url":"https://parley.example.com/webhooks/7"}'`},
		{Label: "Check it", Value: "curl https://api.telegram.org/bot<BOT_TOKEN>/getWebhookInfo"},
		{Label: "Bot id", Value: "7000000001"},
		{Label: "Bot username", Value: "@parley_fake_bot"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Instructions (-want +got):\n%s", diff)
	}
	for _, i := range got {
		if strings.Contains(i.Value, testToken) {
			t.Errorf("instruction %q shows the bot token", i.Label)
		}
	}

	in.Credentials[CredMode] = ModePolling
	delete(in.Credentials, CredBotUsername)
	got = (&Adapter{}).Instructions(in, "https://parley.example.com/webhooks/7")
	want = []channel.Instruction{
		{Label: "Mode", Value: "polling: Parley asks Telegram for updates every few seconds; the bot must have no webhook"},
		{Label: "Remove the webhook, if the bot has one", Value: "curl -X POST https://api.telegram.org/bot<BOT_TOKEN>/deleteWebhook"},
		{Label: "Bot id", Value: "7000000001"},
		{Label: "Bot username", Value: "not set: add credentials.bot_username to answer @mentions of the bot in groups"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Instructions in polling mode (-want +got):\n%s", diff)
	}
}

func TestHandshake(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	(&Adapter{}).Handshake(rec, httptest.NewRequest(http.MethodGet, "/webhooks/7", nil), testInbox())
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != http.MethodPost || !strings.Contains(rec.Body.String(), "setWebhook") {
		t.Errorf("Handshake = %d %q, Allow %q; want 405 pointing at setWebhook", rec.Code, rec.Body.String(), rec.Header().Get("Allow"))
	}
}

// TestWebhookMethods sets, checks and deletes the webhook through the
// fake Bot API.
func TestWebhookMethods(t *testing.T) {
	t.Parallel()
	f := tgfake.New()
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	a := &Adapter{Client: srv.Client()}
	in := testInbox()
	in.Credentials[CredAPIBase] = srv.URL
	ctx := context.Background()

	me, err := a.GetMe(ctx, in)
	if err != nil || me != (Bot{ID: 7000000001, FirstName: "Parley Fake", Username: testUsername}) {
		t.Errorf("GetMe = %+v, %v", me, err)
	}
	if err := a.SetWebhook(ctx, in, "https://parley.example.com/webhooks/7"); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	want := tgfake.WebhookInfo{URL: "https://parley.example.com/webhooks/7", SecretToken: testSecret, AllowedUpdates: AllowedUpdates}
	if diff := cmp.Diff(want, f.Webhook()); diff != "" {
		t.Errorf("webhook after SetWebhook (-want +got):\n%s", diff)
	}
	if err := a.DeleteWebhook(ctx, in); err != nil || f.Webhook().URL != "" {
		t.Errorf("DeleteWebhook = %v, webhook %+v", err, f.Webhook())
	}

	for _, bad := range []string{"", "/webhooks/7", "parley.example.com/webhooks/7"} {
		if err := a.SetWebhook(ctx, in, bad); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("SetWebhook(%q) = %v, want EINVALID", bad, err)
		}
	}
	noSecret := testInbox()
	delete(noSecret.Credentials, CredSecretToken)
	if err := a.SetWebhook(ctx, noSecret, "https://parley.example.com/webhooks/7"); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("SetWebhook without a secret = %v, want EINVALID", err)
	}

	revoked := testInbox()
	revoked.Credentials[CredAPIBase] = srv.URL
	revoked.Credentials[CredBotToken] = "7000000001:AAHrevoked"
	_, err = a.GetMe(ctx, revoked)
	var se *channel.SendError
	if !errors.As(err, &se) || !se.Permanent || se.Status != http.StatusUnauthorized || !strings.Contains(se.Reason, "bot_token") {
		t.Errorf("GetMe with a revoked token = %v, want a permanent 401", err)
	}
}
