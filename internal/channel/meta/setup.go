package meta

import (
	"crypto/rand"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// prepare checks a new inbox's credentials and generates its verify token.
func prepare(in *care.Inbox, ch care.Channel) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	what := "Page id"
	if ch == care.ChannelInstagram {
		what = "Instagram professional account id"
	}
	if !isDigits(in.ExternalID) || len(in.ExternalID) > 64 {
		return care.Errorf(care.EINVALID, "external_id must be the %s, a number.", what)
	}
	cred := in.Credentials
	if cred[CredAppSecret] == "" {
		return care.Errorf(care.EINVALID, "credentials.%s is required: the Meta app's App Secret, which signs webhooks.", CredAppSecret)
	}
	if ch == care.ChannelInstagram {
		if cred[CredAccessToken] == "" && cred[CredPageAccessToken] == "" {
			return care.Errorf(care.EINVALID, "credentials.%s (or %s with Facebook Login) is required.", CredAccessToken, CredPageAccessToken)
		}
	} else if cred[CredPageAccessToken] == "" {
		return care.Errorf(care.EINVALID, "credentials.%s is required: a long-lived Page access token.", CredPageAccessToken)
	}
	if id := cred[CredAppID]; id != "" && !isDigits(id) {
		return care.Errorf(care.EINVALID, "credentials.%s must be the Meta app's numeric id.", CredAppID)
	}
	if b := cred[CredAPIBase]; b != "" {
		if err := checkBaseURL(b); err != nil {
			return err
		}
	}
	if cred[CredVerifyToken] == "" {
		cred[CredVerifyToken] = rand.Text()
	}
	return nil
}

// Webhook fields and permissions each inbox needs
// (developers.facebook.com/docs/graph-api/webhooks/getting-started/webhooks-for-pages,
// …/webhooks-for-instagram, and the messaging webhook-events list).
var (
	fbFields = []string{"messages", "messaging_postbacks", "message_echoes", "message_deliveries", "message_reads", "message_reactions", "message_edits", "feed"}
	// Instagram's echoes come with messages; its read receipts are
	// messaging_seen.
	igFields = []string{"messages", "messaging_postbacks", "messaging_seen", "message_reactions", "comments", "live_comments", "mentions"}
	fbPerms  = []string{"pages_messaging", "pages_manage_metadata", "pages_read_engagement", "pages_manage_engagement", "pages_show_list"}
	igPerms  = []string{"instagram_basic", "instagram_manage_messages", "instagram_manage_comments", "pages_manage_metadata", "pages_show_list"}
)

// instructions lists the values to paste into the Meta app dashboard.
func instructions(in care.Inbox, webhookURL string, ch care.Channel) []channel.Instruction {
	object, fields, perms := "Page", fbFields, fbPerms
	if ch == care.ChannelInstagram {
		object, fields, perms = "Instagram", igFields, igPerms
	}
	out := []channel.Instruction{
		{Label: "Callback URL", Value: webhookURL},
		{Label: "Verify token", Value: in.Credentials[CredVerifyToken]},
		{Label: "Webhook object", Value: object},
		{Label: "Webhook fields to subscribe", Value: strings.Join(fields, ", ")},
		{Label: "Permissions the token needs", Value: strings.Join(perms, ", ")},
	}
	if ch == care.ChannelFacebook {
		out = append(out, channel.Instruction{Label: "Subscribe the Page to the app",
			Value: "POST /" + in.ExternalID + "/subscribed_apps?subscribed_fields=" + strings.Join(fields, ",") + " with the Page access token"})
	}
	if in.Credentials[CredAppID] == "" {
		out = append(out, channel.Instruction{Label: "App ID",
			Value: "not set: add the app's id as credential app_id so Parley tells its own messages from ones typed in Meta Business Suite"})
	}
	return out
}
