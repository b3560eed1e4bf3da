package whatsapp

import (
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/meta"
)

// verifySignature checks the X-Hub-Signature-256 header of a delivery: every
// Meta product signs alike, "sha256=" and the lower-case hex HMAC-SHA256 of
// the body keyed with the app secret, computed over the bytes Meta sends, in
// which non-ASCII characters are \uXXXX escapes (Graph API webhooks,
// "Validate payloads"). body must therefore be the raw bytes received, never
// a re-encoding. It returns EUNAUTHORIZED unless the signature matches.
func verifySignature(appSecret, header string, body []byte) error {
	switch {
	case appSecret == "":
		return care.Errorf(care.EUNAUTHORIZED, "the inbox has no app_secret to verify deliveries with")
	case header == "":
		return care.Errorf(care.EUNAUTHORIZED, "missing %s header", meta.SignatureHeader)
	case !meta.Verify(appSecret, body, header):
		return care.Errorf(care.EUNAUTHORIZED, "%s does not match the body", meta.SignatureHeader)
	}
	return nil
}
