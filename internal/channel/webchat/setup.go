package webchat

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Prepare validates a new web chat inbox and generates its secret when the
// admin gave none. It normalises origins and color, and returns EINVALID
// naming what is wrong: an origin that is not scheme and host, a colour that
// is not #rrggbb, a text over its length, a secret of the wrong size, an
// external id (a web chat inbox has none), a page_url that is not an http(s)
// address, SMTP settings without smtp_host or that CheckSMTP refuses.
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
	for _, k := range []string{CredTitle, CredGreeting, CredOfflineMessage, CredPageURL} {
		if v := strings.TrimSpace(c[k]); v != "" {
			c[k] = v
		} else {
			delete(c, k)
		}
	}
	return a.checkMail(*in)
}

// checkMail validates the SMTP settings of an inbox that has any.
func (a *Adapter) checkMail(in care.Inbox) error {
	c := in.Credentials
	if c[CredSMTPHost] == "" {
		for _, k := range []string{CredSMTPTLS, CredSMTPUser, CredSMTPPassword, CredFrom} {
			if c[k] != "" {
				return care.Errorf(care.EINVALID, "credentials.%s is set but credentials.%s is not: give the SMTP server to email replies to visitors who left, or leave out every SMTP setting.", k, CredSMTPHost)
			}
		}
		return nil
	}
	if a.CheckSMTP != nil {
		return a.CheckSMTP(in)
	}
	if c[CredFrom] == "" {
		return care.Errorf(care.EINVALID, "credentials.%s is required with credentials.%s: the address replies are emailed from.", CredFrom, CredSMTPHost)
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
	mail := "shown in the widget when they come back; set smtp_host and from to email them too"
	if cfg, err := ConfigOf(in); err == nil && cfg.Mail {
		mail = "emailed from " + in.Credentials[CredFrom] + " through " + in.Credentials[CredSMTPHost] + " when no widget showed them within " +
			strconv.Itoa(int(DefaultMailAfter/time.Minute)) + " minutes, and shown in the widget when they come back"
		if err := a.checkMail(in); err != nil {
			mail = "not emailed: " + care.ErrorMessage(err)
		}
	}
	return []channel.Instruction{
		{Label: "Add to every page, before </body>", Value: ScriptTag(base, in.ID)},
		{Label: "Allowed page origins", Value: origins},
		{Label: "If your site sends a Content-Security-Policy, allow", Value: "script-src " + base + "; connect-src " + ws},
		{Label: "Replies to visitors who left an email", Value: mail},
	}
}

// ScriptTag is the one tag that embeds inbox's widget, served by the Parley
// at base ("https://care.example.com").
func ScriptTag(base string, inboxID care.ID) string {
	return `<script src="` + base + WidgetPath + `" data-inbox="` + strconv.FormatInt(inboxID, 10) + `" async></script>`
}
