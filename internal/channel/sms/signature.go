package sms

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// SignatureHeader carries Twilio's signature of a webhook.
const SignatureHeader = "X-Twilio-Signature"

// bodyHashParam is the query parameter that carries the SHA-256 of a JSON
// body, which the signature then covers through the URL.
const bodyHashParam = "bodySHA256"

// maxURLBytes bounds the URL a signature is computed over.
const maxURLBytes = 8 << 10

// sign is Twilio's request signature, before base64: the HMAC-SHA1, keyed
// with the auth token, of the full URL Twilio requested followed by every
// POST parameter's name and value with no separators, in order of name
// (".../docs/usage/webhooks/webhooks-security", "Validating signatures").
// The page leaves repeated names open; Twilio's own validators append each
// distinct value of a name once, in sorted order (twilio-python
// twilio/request_validator.py compute_signature, twilio-node
// src/webhooks/webhooks.ts toFormUrlEncodedParam), and so does sign. Names
// and values are compared as bytes, which for the ASCII names Twilio uses is
// the order of every SDK.
func sign(authToken, rawURL string, params url.Values) []byte {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(rawURL))
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		values := slices.Clone(params[name])
		slices.Sort(values)
		for _, v := range slices.Compact(values) {
			mac.Write([]byte(name))
			mac.Write([]byte(v))
		}
	}
	return mac.Sum(nil)
}

// VerifySignature checks an X-Twilio-Signature header as Twilio signs
// every webhook it sends (SMS, voice status callbacks): HMAC-SHA1 with the
// account's auth token over the URL, with and without its default port,
// and the sorted POST parameters. It returns EUNAUTHORIZED unless the
// signature matches.
func VerifySignature(authToken, header, rawURL string, params url.Values) error {
	return verifySignature(authToken, header, rawURL, params)
}

// verifySignature checks header against the URL in each form urlVariants
// gives and params, in constant time for each. It returns EUNAUTHORIZED
// unless one matches.
func verifySignature(authToken, header, rawURL string, params url.Values) error {
	switch {
	case authToken == "":
		return care.Errorf(care.EUNAUTHORIZED, "the inbox has no auth_token to verify deliveries with")
	case header == "":
		return care.Errorf(care.EUNAUTHORIZED, "missing %s header", SignatureHeader)
	case len(rawURL) > maxURLBytes:
		return care.Errorf(care.EUNAUTHORIZED, "the URL is too long to verify")
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(header))
	if err != nil || len(got) != sha1.Size {
		return care.Errorf(care.EUNAUTHORIZED, "%s is not a base64 HMAC-SHA1", SignatureHeader)
	}
	ok := false
	for _, u := range urlVariants(rawURL) {
		// Every variant is checked, so the time taken does not say which
		// one matched.
		if hmac.Equal(sign(authToken, u, params), got) {
			ok = true
		}
	}
	if !ok {
		return care.Errorf(care.EUNAUTHORIZED, "%s does not match the URL and parameters", SignatureHeader)
	}
	return nil
}

// verifyBodyHash checks a JSON-bodied webhook: Twilio puts the lower-case
// hex SHA-256 of the body in the URL's bodySHA256 parameter and signs the
// URL with no parameters (twilio-go client/request_validator.go
// ValidateBody, twilio-node validateRequestWithBody). It returns
// EUNAUTHORIZED unless both the signature and the hash match.
func verifyBodyHash(authToken, header, rawURL, want string, body []byte) error {
	if err := verifySignature(authToken, header, rawURL, nil); err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	got := hex.EncodeToString(sum[:])
	if subtle.ConstantTimeCompare([]byte(got), []byte(strings.ToLower(want))) != 1 {
		return care.Errorf(care.EUNAUTHORIZED, "%s does not match the body", bodyHashParam)
	}
	return nil
}

// bodyHash returns the bodySHA256 parameter of rawURL, "" when it has none.
func bodyHash(rawURL string) string {
	_, query, ok := strings.Cut(rawURL, "?")
	if !ok || !strings.Contains(query, bodyHashParam) {
		return ""
	}
	query, _, _ = strings.Cut(query, "#")
	q, _ := url.ParseQuery(query)
	return q.Get(bodyHashParam)
}

// urlVariants returns rawURL as given and, when its port is absent, with
// the scheme's default port added (":443" for https, ":80" for http), or
// when the port is the default, with it removed. Twilio signs the URL as it
// was configured, but not consistently with respect to default ports, and
// its validators therefore accept both forms: "check signature of testURL
// with and without port, since sig generation on back-end is inconsistent"
// (twilio-go client/request_validator.go Validate; likewise twilio-node and
// twilio-python). A non-default port is part of the URL Twilio requested
// and always signed, so it is never removed. The rest of the URL is kept
// byte for byte: re-encoding a path or query would change what was signed.
func urlVariants(rawURL string) []string {
	variants := []string{rawURL}
	schemeEnd := strings.Index(rawURL, "://")
	if schemeEnd <= 0 {
		return variants
	}
	var def string
	switch strings.ToLower(rawURL[:schemeEnd]) {
	case "https":
		def = "443"
	case "http":
		def = "80"
	default:
		return variants
	}
	start := schemeEnd + len("://")
	end := len(rawURL)
	if i := strings.IndexAny(rawURL[start:], "/?#"); i >= 0 {
		end = start + i
	}
	authority := rawURL[start:end]
	hostPort := authority[strings.LastIndexByte(authority, '@')+1:]
	if hostPort == "" {
		return variants
	}
	// The port follows the last colon, unless that colon is inside an IPv6
	// literal's brackets.
	colon := strings.LastIndexByte(hostPort, ':')
	if colon >= 0 && strings.IndexByte(hostPort[colon:], ']') >= 0 {
		colon = -1
	}
	switch {
	case colon < 0:
		variants = append(variants, rawURL[:end]+":"+def+rawURL[end:])
	case hostPort[colon+1:] == def:
		variants = append(variants, rawURL[:end-len(def)-1]+rawURL[end:])
	}
	return variants
}
