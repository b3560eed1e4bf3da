package telegram

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// maxSecretToken is setWebhook's bound on secret_token: "1-256 characters.
// Only characters A-Z, a-z, 0-9, _ and - are allowed."
const maxSecretToken = 256

// Prepare validates a new Telegram inbox, sets its ExternalID to the bot's
// id (the digits before the colon of its token) and generates its
// secret_token when the admin gave none. It returns EINVALID naming what is
// wrong: a missing or malformed bot_token, an ExternalID of another bot, a
// secret_token setWebhook would refuse, an unknown mode, a bad api_base.
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	c := in.Credentials
	id := botID(c[CredBotToken])
	if id == 0 {
		return care.Errorf(care.EINVALID, "credentials.bot_token is required: the token @BotFather gave for the bot, like 123456789:AAH….")
	}
	switch ext := strconv.FormatInt(id, 10); in.ExternalID {
	case "":
		in.ExternalID = ext
	case ext:
	default:
		return care.Errorf(care.EINVALID, "external_id must be the bot's id, %s (the digits before the colon of its token), or empty.", ext)
	}
	if s := c[CredSecretToken]; s != "" && !tokenChars(s, maxSecretToken) {
		return care.Errorf(care.EINVALID, "credentials.secret_token must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -; leave it empty to have one generated.")
	}
	if u := strings.TrimPrefix(c[CredBotUsername], "@"); u != "" {
		if len(u) < 5 || len(u) > 32 || strings.Contains(u, "-") || !tokenChars(u, 32) {
			return care.Errorf(care.EINVALID, "credentials.bot_username must be the bot's @username: 5 to 32 letters, digits and underscores.")
		}
		c[CredBotUsername] = u
	}
	switch c[CredMode] {
	case "", ModeWebhook, ModePolling:
	default:
		return care.Errorf(care.EINVALID, "credentials.mode must be %q (the default) or %q.", ModeWebhook, ModePolling)
	}
	if c[CredAPIBase] != "" {
		if _, err := a.baseURL(*in); err != nil {
			return err
		}
	}
	if c[CredSecretToken] == "" {
		// 26 characters of A-Z and 2-7: 130 bits, all allowed by setWebhook.
		c[CredSecretToken] = rand.Text()
	}
	return nil
}

// Instructions lists how to connect in's bot: for a webhook, the setWebhook
// call to make with the bot's token (shown as <BOT_TOKEN>: Parley does not
// display it); for polling, the deleteWebhook call that makes getUpdates
// work.
func (a *Adapter) Instructions(in care.Inbox, webhookURL string) []channel.Instruction {
	base, err := a.baseURL(in)
	if err != nil {
		base = DefaultBaseURL
	}
	method := base + "/bot<BOT_TOKEN>/"
	var out []channel.Instruction
	if in.Credentials[CredMode] == ModePolling {
		out = []channel.Instruction{
			{Label: "Mode", Value: "polling: Parley asks Telegram for updates every few seconds; the bot must have no webhook"},
			{Label: "Remove the webhook, if the bot has one", Value: "curl -X POST " + method + "deleteWebhook"},
		}
	} else {
		params, _ := marshalCompact(map[string]any{"url": webhookURL, "secret_token": in.Credentials[CredSecretToken], "allowed_updates": AllowedUpdates})
		out = []channel.Instruction{
			{Label: "Webhook URL", Value: webhookURL},
			{Label: "Secret token", Value: in.Credentials[CredSecretToken]},
			{Label: "Allowed updates", Value: strings.Join(AllowedUpdates, ", ")},
			{Label: "Set the webhook (HTTPS on port 443, 80, 88 or 8443)", Value: "curl -X POST " + method + "setWebhook -H 'Content-Type: application/json' -d " + shellQuote(string(params))},
			{Label: "Check it", Value: "curl " + method + "getWebhookInfo"},
		}
	}
	username := "not set: add credentials.bot_username to answer @mentions of the bot in groups"
	if u := in.Credentials[CredBotUsername]; u != "" {
		username = "@" + u
	}
	return append(out,
		channel.Instruction{Label: "Bot id", Value: in.ExternalID},
		channel.Instruction{Label: "Bot username", Value: username},
	)
}

// SetWebhook registers webhookURL, the inbox's public webhook URL, as the
// bot's webhook with the inbox's secret_token and AllowedUpdates: what the
// admin would otherwise do with the call Instructions shows. Telegram
// requires HTTPS on port 443, 80, 88 or 8443; http is let through for a
// local fake. It returns EINVALID for an
// inbox Prepare has not filled in or a URL that is not absolute, and
// Telegram's refusal as a *channel.SendError.
func (a *Adapter) SetWebhook(ctx context.Context, in care.Inbox, webhookURL string) error {
	secret := in.Credentials[CredSecretToken]
	if !tokenChars(secret, maxSecretToken) {
		return care.Errorf(care.EINVALID, "the inbox has no valid secret_token; prepare it first")
	}
	if u, err := url.Parse(webhookURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return care.Errorf(care.EINVALID, "the webhook URL must be an absolute https URL")
	}
	_, err := a.call(ctx, in, "setWebhook", map[string]any{"url": webhookURL, "secret_token": secret, "allowed_updates": AllowedUpdates}, maxResponseBytes)
	return err
}

// DeleteWebhook removes the bot's webhook, which polling needs, keeping
// the updates Telegram holds for getUpdates. It returns Telegram's refusal as
// a *channel.SendError.
func (a *Adapter) DeleteWebhook(ctx context.Context, in care.Inbox) error {
	_, err := a.call(ctx, in, "deleteWebhook", map[string]any{}, maxResponseBytes)
	return err
}

// Bot is what getMe says of a bot.
type Bot struct {
	ID        int64  `json:"id"`
	FirstName string `json:"first_name"`
	Username  string `json:"username"`
	// CanReadAllGroupMessages is false in privacy mode, the default: in
	// groups the bot sees only what is addressed to it.
	CanReadAllGroupMessages bool `json:"can_read_all_group_messages"`
}

// GetMe checks the inbox's token by asking Telegram who the bot is, e.g. to
// fill in bot_username. It returns Telegram's refusal as a
// *channel.SendError (401 for a revoked token).
func (a *Adapter) GetMe(ctx context.Context, in care.Inbox) (Bot, error) {
	result, err := a.call(ctx, in, "getMe", map[string]any{}, maxResponseBytes)
	if err != nil {
		return Bot{}, err
	}
	var b Bot
	if err := json.Unmarshal(result, &b); err != nil || b.ID <= 0 {
		return Bot{}, channel.Temporary("Telegram's description of the bot was not understood", 0, fmt.Errorf("telegram: getMe: %s", channel.Excerpt(result, 200)))
	}
	b.FirstName, b.Username = name(b.FirstName), channel.CleanName(b.Username, 64)
	return b, nil
}

// marshalCompact encodes v as JSON without escaping <, > and &, for text a
// person copies.
func marshalCompact(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
