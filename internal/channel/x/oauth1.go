package x

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// An X inbox authenticates its account in one of two ways. With an OAuth
// 2.0 user access token alone, each request carries "Authorization: Bearer
// <access_token>"; such tokens last two hours, and X issues a refresh
// token only with the offline.access scope
// (fundamentals/authentication/oauth-2-0/authorization-code). With
// consumer_key and access_token_secret as well, the access token is an
// OAuth 1.0a user token, which does not expire, and each request is signed
// with HMAC-SHA1 as fundamentals/authentication/oauth-1-0a/creating-a-signature
// describes. X's v2 endpoints Parley calls accept both.

// Further credentials for OAuth 1.0a user context.
const (
	// CredConsumerKey is the app's consumer key (API key).
	CredConsumerKey = "consumer_key"
	// CredAccessTokenSecret is the OAuth 1.0a access token's secret; its
	// presence makes access_token an OAuth 1.0a token.
	CredAccessTokenSecret = "access_token_secret"
)

func usesOAuth1(in care.Inbox) bool { return in.Credentials[CredAccessTokenSecret] != "" }

// authorize sets req's Authorization header for the inbox's account.
func (a *Adapter) authorize(ctx context.Context, req *http.Request, in care.Inbox) error {
	c := in.Credentials
	if !usesOAuth1(in) {
		return a.bearer(ctx, req, in)
	}
	oauth := map[string]string{
		"oauth_consumer_key":     c[CredConsumerKey],
		"oauth_nonce":            strings.TrimRight(base64.RawURLEncoding.EncodeToString([]byte(rand.Text())), "="),
		"oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp":        strconv.FormatInt(a.now().Unix(), 10),
		"oauth_token":            c[CredAccessToken],
		"oauth_version":          "1.0",
	}
	params := req.URL.Query()
	for k, v := range oauth {
		params.Set(k, v)
	}
	oauth["oauth_signature"] = oauth1Signature(req.Method, req.URL, params, c[CredConsumerSecret], c[CredAccessTokenSecret])
	keys := make([]string, 0, len(oauth))
	for k := range oauth {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("OAuth ")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(percentEncode(k) + `="` + percentEncode(oauth[k]) + `"`)
	}
	req.Header.Set("Authorization", b.String())
	return nil
}

// oauth1Signature is the HMAC-SHA1 signature of a request: method, the URL
// without query, and every parameter (query, form and oauth_*) sorted, each
// percent-encoded, under the consumer secret and token secret. A JSON body
// is not signed.
func oauth1Signature(method string, u *url.URL, params url.Values, consumerSecret, tokenSecret string) string {
	type kv struct{ k, v string }
	var pairs []kv
	for k, vs := range params {
		for _, v := range vs {
			pairs = append(pairs, kv{percentEncode(k), percentEncode(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var ps strings.Builder
	for i, p := range pairs {
		if i > 0 {
			ps.WriteByte('&')
		}
		ps.WriteString(p.k + "=" + p.v)
	}
	base := strings.ToUpper(method) + "&" + percentEncode(baseURL(u)) + "&" + percentEncode(ps.String())
	m := hmac.New(sha1.New, []byte(percentEncode(consumerSecret)+"&"+percentEncode(tokenSecret)))
	m.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// baseURL is u as OAuth 1.0a signs it: scheme and host in lower case,
// default port dropped, no query or fragment.
func baseURL(u *url.URL) string {
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if scheme == "https" {
		host = strings.TrimSuffix(host, ":443")
	} else if scheme == "http" {
		host = strings.TrimSuffix(host, ":80")
	}
	return scheme + "://" + host + u.EscapedPath()
}

// percentEncode is RFC 3986 percent-encoding, which OAuth 1.0a requires:
// everything but ALPHA, DIGIT, '-', '.', '_' and '~' is encoded.
func percentEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)>>4, 16)) + strings.ToUpper(strconv.FormatUint(uint64(c)&15, 16)))
	}
	return b.String()
}
