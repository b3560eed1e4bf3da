package bluesky

import (
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// appPasswordRE is an App Password's shape: four groups of four letters or
// digits, as Bluesky shows them (xxxx-xxxx-xxxx-xxxx).
var appPasswordRE = regexp.MustCompile(`^[a-zA-Z0-9]{4}-[a-zA-Z0-9]{4}-[a-zA-Z0-9]{4}-[a-zA-Z0-9]{4}$`)

// Prepare checks a new Bluesky inbox without calling Bluesky: the
// identifier must be a handle, an email address or a DID; app_password an
// App Password (xxxx-xxxx-xxxx-xxxx: the account's own password is refused,
// it would ask for email codes and gives away the account); api_base, when
// given, an https URL (http only to a loopback address, for a local fake);
// did, when given, a DID. When the identifier is a DID it becomes the did,
// and the did becomes the ExternalID when that is empty. It returns
// EINVALID naming what is missing or wrong. The password is never logged
// nor repeated.
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	creds := in.Credentials
	creds[CredIdentifier] = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(creds[CredIdentifier]), "@"))
	id := creds[CredIdentifier]
	var problems []string
	switch {
	case id == "":
		problems = append(problems, "credentials.identifier (the account's handle, e.g. acme.bsky.social, or its email address) is required")
	case validDID(id):
		if creds[CredDID] == "" {
			creds[CredDID] = id
		}
	case strings.Contains(id, "@"):
		if local, domain, _ := strings.Cut(id, "@"); local == "" || !strings.Contains(domain, ".") || len(id) > 254 || strings.ContainsAny(id, " \t\r\n") {
			problems = append(problems, "credentials.identifier is not an email address")
		}
	case !validHandle(id):
		problems = append(problems, "credentials.identifier is neither a handle (acme.bsky.social), an email address nor a DID")
	}
	switch pw := creds[CredAppPassword]; {
	case pw == "":
		problems = append(problems, "credentials.app_password is required: create an App Password in Bluesky under Settings > Privacy and security > App passwords, with \"Allow access to your direct messages\"")
	case !appPasswordRE.MatchString(pw):
		problems = append(problems, "credentials.app_password must be an App Password (xxxx-xxxx-xxxx-xxxx), not the account's password")
	}
	if d := creds[CredDID]; d != "" && !validDID(d) {
		problems = append(problems, "credentials.did is not a DID (did:plc:… or did:web:…)")
	}
	if base := creds[CredAPIBase]; base != "" {
		if _, err := a.baseURL(*in); err != nil || !secureBase(base) {
			problems = append(problems, "credentials.api_base must be the https URL of the account's PDS (e.g. https://bsky.social)")
		}
	}
	if in.ExternalID != "" && creds[CredDID] != "" && in.ExternalID != creds[CredDID] {
		problems = append(problems, "external_id and credentials.did name different accounts")
	}
	if len(problems) > 0 {
		return care.Errorf(care.EINVALID, "This Bluesky inbox cannot be connected: %s.", strings.Join(problems, "; "))
	}
	if in.ExternalID == "" {
		in.ExternalID = creds[CredDID]
	}
	return nil
}

// secureBase reports whether base is https, or http to a loopback address.
func secureBase(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	if u.Scheme == "https" {
		return true
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	return u.Scheme == "http" && (host == "localhost" || ip != nil && ip.IsLoopback())
}

// Instructions are what an admin does in Bluesky for the inbox. There is
// no webhook: Parley polls, so webhookURL is not used.
func (a *Adapter) Instructions(in care.Inbox, _ string) []channel.Instruction {
	pds := in.Credentials[CredAPIBase]
	if pds == "" {
		pds = DefaultBaseURL + " (Bluesky-hosted accounts; set api_base for an account on another PDS)"
	}
	return []channel.Instruction{
		{Label: "App Password", Value: "In the Bluesky app: Settings > Privacy and security > App passwords > Add App Password. Name it \"Parley\", tick \"Allow access to your direct messages\", and paste the password (xxxx-xxxx-xxxx-xxxx) as app_password. Revoking it there disconnects Parley."},
		{Label: "Identifier", Value: "The account's handle (e.g. acme.bsky.social) or its email address, as identifier."},
		{Label: "PDS", Value: pds},
		{Label: "Receiving", Value: "Parley reads the account's mentions, replies, quotes and direct messages every 25 seconds. Nothing to register with Bluesky; nothing is marked as read."},
		{Label: "Direct messages", Value: "Customers can write to the brand if its chat setting (Settings > Chat) allows messages from everyone, or from people it follows."},
	}
}
