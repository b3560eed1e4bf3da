package sms

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
)

// docURL and docToken are the example of Twilio's webhook security page
// (www.twilio.com/docs/usage/webhooks/webhooks-security, "Validating
// signatures"), also used by Twilio's SDK tests.
const (
	docURL   = "https://mycompany.com/myapp.php?foo=1&bar=2"
	docToken = "12345"
)

// docParams are the page's POST parameters, whose signature the page gives
// as 0/KCTR6DLpKmkAf8muzZqo1nDgQ=.
var docParams = url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
	"From": {"+12349013030"}, "To": {"+18005551212"}}

// sdkParams are twilio-go's (client/request_validator_test.go).
var sdkParams = url.Values{"Digits": {"1234"}, "CallSid": {"CA1234567890ABCDE"}, "To": {"+18005551212"},
	"Caller": {"+14158675309"}, "From": {"+14158675309"}}

func TestSignDocumentedExample(t *testing.T) {
	t.Parallel()
	// Computed by hand as the page describes: the URL, then each name and
	// value in order of name, HMAC-SHA1 with the auth token, base64.
	data := docURL + "CallSidCA1234567890ABCDE" + "Caller+12349013030" + "Digits1234" + "From+12349013030" + "To+18005551212"
	mac := hmac.New(sha1.New, []byte(docToken))
	mac.Write([]byte(data))
	byHand := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	const documented = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
	if byHand != documented {
		t.Fatalf("by hand = %s, want the documented %s", byHand, documented)
	}
	if got := base64.StdEncoding.EncodeToString(sign(docToken, docURL, docParams)); got != documented {
		t.Errorf("sign(documented example) = %s, want %s", got, documented)
	}
}

func TestVerifySignatureVectors(t *testing.T) {
	t.Parallel()
	reasons := url.Values{"Reason": {"Participant"}, "ReasonConferenceEnded": {"test"}}
	for k, v := range sdkParams {
		reasons[k] = v
	}
	tests := []struct {
		name, url string
		params    url.Values
		sig       string
		ok        bool
	}{
		{"documented example", docURL, docParams, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", true},
		{"twilio-go vector", docURL, sdkParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true},
		// Signed with :443, validated against the URL without it.
		{"https signed with its default port", docURL, sdkParams, "kvajT1Ptam85bY51eRf/AJRuM3w=", true},
		// Signed without a port, validated against the URL with :443.
		{"https given with its default port", "https://mycompany.com:443/myapp.php?foo=1&bar=2", sdkParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true},
		{"http signed with :80", "http://mycompany.com/myapp.php?foo=1&bar=2", sdkParams, "0ZXoZLH/DfblKGATFgpif+LLRf4=", true},
		{"http given with :80", "http://mycompany.com:80/myapp.php?foo=1&bar=2", sdkParams, "OyGYPqTF6ztdbRNCvuQO/oPvqQ4=", true},
		{"http with another port", "http://mycompany.com:1234/myapp.php?foo=1&bar=2", sdkParams, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", true},
		// The SDKs also strip a non-default port; Twilio requested and
		// signed the URL with it, so Parley does not.
		{"non-default port is not dropped", "https://mycompany.com:1234/myapp.php?foo=1&bar=2", sdkParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
		{"https is not http", docURL, sdkParams, "OyGYPqTF6ztdbRNCvuQO/oPvqQ4=", false},
		// shared/CHANNELS.md §4.2: Reason sorts before ReasonConferenceEnded.
		{"names sorted", docURL, reasons, "vOEb5UThFn24KEfnOFLQY2AE5FY=", true},
		{"names sorted, http", "http://mycompany.com/myapp.php?foo=1&bar=2", reasons, "n2xBNyzSW7rfYStDtOFiFMv7qNo=", true},
		{"names mis-sorted", docURL, reasons, "95+Bu0JVPi0r/SsESZCVf0dWAjw=", false},
		{"an extra parameter", docURL, func() url.Values { p := url.Values{"X": {"1"}}; mergeInto(p, docParams); return p }(), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", false},
		{"a changed value", docURL, func() url.Values { p := url.Values{}; mergeInto(p, docParams); p.Set("Digits", "1235"); return p }(), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", false},
		{"query changed", "https://mycompany.com/myapp.php?foo=1&bar=3", docParams, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", false},
		{"query re-ordered", "https://mycompany.com/myapp.php?bar=2&foo=1", docParams, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := verifySignature(docToken, tt.sig, tt.url, tt.params)
			if tt.ok && err != nil {
				t.Errorf("verifySignature = %v, want nil", err)
			}
			if !tt.ok && care.ErrorCode(err) != care.EUNAUTHORIZED {
				t.Errorf("verifySignature = %v, want EUNAUTHORIZED", err)
			}
		})
	}
}

func mergeInto(dst, src url.Values) {
	for k, v := range src {
		dst[k] = append(dst[k], v...)
	}
}

func TestVerifySignatureRejects(t *testing.T) {
	t.Parallel()
	good := base64.StdEncoding.EncodeToString(sign(docToken, docURL, docParams))
	long := "https://x.example/" + string(make([]byte, maxURLBytes))
	for _, tt := range []struct{ name, token, header, url string }{
		{"no auth token configured", "", good, docURL},
		{"no header", docToken, "", docURL},
		{"not base64", docToken, "not base64!", docURL},
		{"too short", docToken, good[:20], docURL},
		{"SHA-256 sized", docToken, base64.StdEncoding.EncodeToString(make([]byte, 32)), docURL},
		{"wrong token", "54321", good, docURL},
		{"url too long", docToken, good, long},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := verifySignature(tt.token, tt.header, tt.url, docParams); care.ErrorCode(err) != care.EUNAUTHORIZED {
				t.Errorf("verifySignature = %v, want EUNAUTHORIZED", err)
			}
		})
	}
	if err := verifySignature(docToken, " "+good+" ", docURL, docParams); err != nil {
		t.Errorf("verifySignature(header with spaces) = %v, want nil", err)
	}
}

// TestSignRepeatedParams: Twilio's validators append each distinct value of
// a repeated name once, in sorted order, however the values arrived.
func TestSignRepeatedParams(t *testing.T) {
	t.Parallel()
	const u = "https://x.example/hook"
	want := hmac.New(sha1.New, []byte(docToken))
	want.Write([]byte(u + "Aa" + "Ab" + "Bz"))
	for _, p := range []url.Values{
		{"A": {"a", "b"}, "B": {"z"}},
		{"A": {"b", "a"}, "B": {"z"}},
		{"A": {"b", "a", "b"}, "B": {"z"}},
	} {
		if got := sign(docToken, u, p); !hmac.Equal(got, want.Sum(nil)) {
			t.Errorf("sign(%v) differs from URL+Aa+Ab+Bz", p)
		}
	}
}

func TestVerifyBodyHash(t *testing.T) {
	t.Parallel()
	// twilio-go's vector (client/request_validator_test.go ValidateBody).
	body := []byte(`{"property": "value", "boolean": true}`)
	const hash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
	tests := []struct {
		name, url, sig string
		body           []byte
		code           string
	}{
		{"with other query parameters", docURL + "&bodySHA256=" + hash, "a9nBmqA0ju/hNViExpshrM61xv4=", body, ""},
		{"alone in the query", "https://mycompany.com/myapp.php?bodySHA256=" + hash, "y77kIzt2vzLz71DgmJGsen2scGs=", body, ""},
		{"body changed", docURL + "&bodySHA256=" + hash, "a9nBmqA0ju/hNViExpshrM61xv4=", []byte(`{"property": "value", "boolean": false}`), care.EUNAUTHORIZED},
		{"signature of another URL", docURL + "&bodySHA256=" + hash, "y77kIzt2vzLz71DgmJGsen2scGs=", body, care.EUNAUTHORIZED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := verifyBodyHash(docToken, tt.sig, tt.url, bodyHash(tt.url), tt.body)
			if care.ErrorCode(err) != tt.code {
				t.Errorf("verifyBodyHash = %v, want code %q", err, tt.code)
			}
		})
	}
	if got := bodyHash(docURL); got != "" {
		t.Errorf("bodyHash(URL without it) = %q", got)
	}
}

func TestURLVariants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"https://a.example/x?y=1", []string{"https://a.example/x?y=1", "https://a.example:443/x?y=1"}},
		{"https://a.example:443/x?y=1", []string{"https://a.example:443/x?y=1", "https://a.example/x?y=1"}},
		{"http://a.example", []string{"http://a.example", "http://a.example:80"}},
		{"http://a.example:80?q", []string{"http://a.example:80?q", "http://a.example?q"}},
		{"HTTPS://a.example/", []string{"HTTPS://a.example/", "HTTPS://a.example:443/"}},
		{"https://a.example:8443/x", []string{"https://a.example:8443/x"}},
		{"http://a.example:443/x", []string{"http://a.example:443/x"}},
		{"https://user:pw@a.example/x", []string{"https://user:pw@a.example/x", "https://user:pw@a.example:443/x"}},
		{"https://[::1]/x", []string{"https://[::1]/x", "https://[::1]:443/x"}},
		{"https://[::1]:443/x", []string{"https://[::1]:443/x", "https://[::1]/x"}},
		// The path keeps its escapes: re-encoding would change what was signed.
		{"https://a.example/a%2Fb?c=%7e", []string{"https://a.example/a%2Fb?c=%7e", "https://a.example:443/a%2Fb?c=%7e"}},
		{"ftp://a.example/x", []string{"ftp://a.example/x"}},
		{"/webhooks/1", []string{"/webhooks/1"}},
		{"https:///x", []string{"https:///x"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, urlVariants(tt.in)); diff != "" {
			t.Errorf("urlVariants(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
