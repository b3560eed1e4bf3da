package xfake

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// oauth1Token is an OAuth 1.0a user token the fake accepts.
type oauth1Token struct {
	consumerKey, consumerSecret, tokenSecret, userID string
}

// AuthorizeOAuth1 lets requests signed with OAuth 1.0a (HMAC-SHA1) by the
// app with consumerKey and consumerSecret, for token and its tokenSecret,
// act as the user with userID. The fake checks the signature; it does not
// check timestamps or nonces.
func (f *Fake) AuthorizeOAuth1(consumerKey, consumerSecret, token, tokenSecret, userID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.oauth1 == nil {
		f.oauth1 = map[string]oauth1Token{}
	}
	f.oauth1[token] = oauth1Token{consumerKey, consumerSecret, tokenSecret, userID}
}

// oauth1User returns the user an OAuth 1.0a Authorization header acts for,
// "" unless its signature verifies. The caller holds f.mu.
func (f *Fake) oauth1User(r *http.Request) string {
	h, ok := strings.CutPrefix(r.Header.Get("Authorization"), "OAuth ")
	if !ok {
		return ""
	}
	oauth := map[string]string{}
	for _, part := range strings.Split(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return ""
		}
		k, err1 := url.PathUnescape(k)
		v, err2 := url.PathUnescape(strings.Trim(v, `"`))
		if err1 != nil || err2 != nil {
			return ""
		}
		oauth[k] = v
	}
	tok, ok := f.oauth1[oauth["oauth_token"]]
	if !ok || oauth["oauth_consumer_key"] != tok.consumerKey || oauth["oauth_signature_method"] != "HMAC-SHA1" {
		return ""
	}
	params := r.URL.Query()
	for k, v := range oauth {
		if k != "oauth_signature" {
			params.Set(k, v)
		}
	}
	want := signOAuth1(r.Method, "http://"+r.Host+r.URL.EscapedPath(), params, tok.consumerSecret, tok.tokenSecret)
	if !hmac.Equal([]byte(want), []byte(oauth["oauth_signature"])) {
		return ""
	}
	return tok.userID
}

func signOAuth1(method, baseURL string, params url.Values, consumerSecret, tokenSecret string) string {
	var pairs []string
	for k, vs := range params {
		for _, v := range vs {
			pairs = append(pairs, enc(k)+"="+enc(v))
		}
	}
	sort.Strings(pairs)
	base := method + "&" + enc(baseURL) + "&" + enc(strings.Join(pairs, "&"))
	m := hmac.New(sha1.New, []byte(enc(consumerSecret)+"&"+enc(tokenSecret)))
	m.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// enc is RFC 3986 percent-encoding.
func enc(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
