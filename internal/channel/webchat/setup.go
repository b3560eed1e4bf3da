package webchat

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Prepare validates a new web chat inbox and generates its secret when the
// admin gave none. It normalises origins and color, and returns EINVALID
// naming what is wrong: an origin that is not scheme and host, a colour that
// is not #rrggbb, a text over its length, a secret of the wrong size, an
// external id (a web chat inbox has none).
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	c := in.Credentials
	if in.ExternalID != "" {
		return care.Errorf(care.EINVALID, "A web chat inbox has no external_id; leave it empty.")
	}
	if c[CredSecret] == "" {
		c[CredSecret] = newSecret()
	}
	cfg, err := ConfigOf(*in)
	if err != nil {
		return err
	}
	if len(cfg.Origins) > 0 {
		c[CredOrigins] = strings.Join(cfg.Origins, ", ")
	} else {
		delete(c, CredOrigins)
	}
	if c[CredColor] != "" {
		c[CredColor] = cfg.Color
	}
	for _, k := range []string{CredTitle, CredGreeting, CredOfflineMessage} {
		if v := strings.TrimSpace(c[k]); v != "" {
			c[k] = v
		} else {
			delete(c, k)
		}
	}
	return nil
}

// newSecret returns 256 random bits, base64url: 43 characters.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Instructions give the script tag to paste into the site and what a
// strict Content-Security-Policy on it must allow. webhookURL is the
// inbox's "<public URL>/webhooks/<id>"; the widget is served from the same
// public URL.
func (a *Adapter) Instructions(in care.Inbox, webhookURL string) []channel.Instruction {
	base := strings.TrimSuffix(webhookURL, "/webhooks/"+strconv.FormatInt(in.ID, 10))
	ws := "wss://" + strings.TrimPrefix(base, "https://")
	if strings.HasPrefix(base, "http://") {
		ws = "ws://" + strings.TrimPrefix(base, "http://")
	}
	origins := "none yet: only pages served by Parley itself can open the chat; add your site's origin to credentials.origins"
	if cfg, err := ConfigOf(in); err == nil && len(cfg.Origins) > 0 {
		origins = strings.Join(cfg.Origins, ", ")
	}
	return []channel.Instruction{
		{Label: "Add to every page, before </body>", Value: ScriptTag(base, in.ID)},
		{Label: "Allowed page origins", Value: origins},
		{Label: "If your site sends a Content-Security-Policy, allow", Value: "script-src " + base + "; connect-src " + ws},
	}
}

// ScriptTag is the one tag that embeds inbox's widget, served by the Parley
// at base ("https://care.example.com").
func ScriptTag(base string, inboxID care.ID) string {
	return `<script src="` + base + WidgetPath + `" data-inbox="` + strconv.FormatInt(inboxID, 10) + `" async></script>`
}
