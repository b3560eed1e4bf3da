package email

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// res builds an expected result: method, result, then property pairs.
func res(method, result string, props ...string) authResult {
	r := authResult{method: method, result: result}
	for i := 0; i+1 < len(props); i += 2 {
		if r.props == nil {
			r.props = map[string]string{}
		}
		r.props[props[i]] = props[i+1]
	}
	return r
}

func TestParseAuthResults(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, value string
		want        authResults
	}{
		// RFC 8601 Appendix B, each field as the examples write it.
		{"B.2 no authentication done", "example.org 1; none",
			authResults{id: "example.org"}},
		{"B.3 one result", "example.com;\r\n          spf=pass smtp.mailfrom=example.net",
			authResults{id: "example.com", results: []authResult{res("spf", "pass", "smtp.mailfrom", "example.net")}}},
		{"B.4 several results", "example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n          spf=pass smtp.mailfrom=example.net",
			authResults{id: "example.com", results: []authResult{
				res("auth", "pass", "smtp.auth", "sender@example.net"),
				res("spf", "pass", "smtp.mailfrom", "example.net"),
			}}},
		{"B.4 second field", "example.com; iprev=pass\r\n          policy.iprev=192.0.2.200",
			authResults{id: "example.com", results: []authResult{res("iprev", "pass", "policy.iprev", "192.0.2.200")}}},
		{"B.5 different MTAs", "example.com;\r\n          dkim=pass (good signature) header.d=example.com",
			authResults{id: "example.com", results: []authResult{res("dkim", "pass", "header.d", "example.com")}}},
		{"B.5 second field", "example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.com;\r\n          spf=fail smtp.mailfrom=example.com",
			authResults{id: "example.com", results: []authResult{
				res("auth", "pass", "smtp.auth", "sender@example.com"),
				res("spf", "fail", "smtp.mailfrom", "example.com"),
			}}},
		{"B.6 multi-tiered", "example.com;\r\n          dkim=pass reason=\"good signature\"\r\n            header.i=@mail-router.example.net;\r\n          dkim=fail reason=\"bad signature\"\r\n            header.i=@newyork.example.com",
			authResults{id: "example.com", results: []authResult{
				res("dkim", "pass", "reason", "good signature", "header.i", "@mail-router.example.net"),
				res("dkim", "fail", "reason", "bad signature", "header.i", "@newyork.example.com"),
			}}},
		{"B.6 second field", "example.net;\r\n          dkim=pass (good signature) header.i=@newyork.example.com",
			authResults{id: "example.net", results: []authResult{res("dkim", "pass", "header.i", "@newyork.example.com")}}},
		{"B.7 comment-heavy", "foo.example.net (foobar) 1 (baz);\r\n           dkim (Because I like it) / 1 (One yay) = (wait for it) fail\r\n             policy (A dot can go here) . (like that) expired\r\n             (this surprised me) = (as I wasn't expecting it) 1362471462",
			authResults{id: "foo.example.net", results: []authResult{res("dkim", "fail", "policy.expired", "1362471462")}}},

		// What receiving servers write.
		{"Gmail", "mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=20230601 header.b=\"R/ATP5Q2\";\r\n       spf=pass (google.com: domain of ana@example.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=ana@example.com;\r\n       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com",
			authResults{id: "mx.google.com", results: []authResult{
				res("dkim", "pass", "header.i", "@example.com", "header.s", "20230601", "header.b", "R/ATP5Q2"),
				res("spf", "pass", "smtp.mailfrom", "ana@example.com"),
				res("dmarc", "pass", "header.from", "example.com"),
			}}},
		{"Gmail, spoofed", "mx.google.com;\r\n       spf=softfail (google.com: domain of transitioning ana@example.com does not designate 198.51.100.7 as permitted sender) smtp.mailfrom=ana@example.com;\r\n       dmarc=fail (p=QUARANTINE sp=QUARANTINE dis=QUARANTINE) header.from=example.com",
			authResults{id: "mx.google.com", results: []authResult{
				res("spf", "softfail", "smtp.mailfrom", "ana@example.com"),
				res("dmarc", "fail", "header.from", "example.com"),
			}}},
		{"Gmail gateway", "mx.google.com; dkim=pass header.i=@sender.com header.s=15ca3b75e6386151 header.b=qsGI6Y43; gateway.spf=pass (google.com: domain receiver.com configured 1.2.3.4 as internal address) smtp.mailfrom=mail@from.com smtp.remote-ip=1.2.3.4 policy.d=receiver.com",
			authResults{id: "mx.google.com", results: []authResult{
				res("dkim", "pass", "header.i", "@sender.com", "header.s", "15ca3b75e6386151", "header.b", "qsGI6Y43"),
				res("gateway.spf", "pass", "smtp.mailfrom", "mail@from.com", "smtp.remote-ip", "1.2.3.4", "policy.d", "receiver.com"),
			}}},
		{"Microsoft 365, no authserv-id, stray domains", "spf=pass (sender IP is 209.85.219.172)\r\n smtp.mailfrom=example.org; alum.mit.edu; dkim=pass (signature was verified)\r\n header.d=example.org;alum.mit.edu; dmarc=pass action=none\r\n header.from=example.org;compauth=pass reason=100",
			authResults{results: []authResult{
				res("spf", "pass", "smtp.mailfrom", "example.org"),
				res("dkim", "pass", "header.d", "example.org"),
				res("dmarc", "pass", "action", "none", "header.from", "example.org"),
				res("compauth", "pass", "reason", "100"),
			}}},
		{"Microsoft 365, bestguesspass", "spf=fail (sender IP is 1.1.1.1) smtp.mailfrom=eu-west-1.amazonses.com; recevingdomain.com; dkim=pass (signature was verified) header.d=domain.com;domain1.com; dmarc=bestguesspass action=none header.from=domain.com;",
			authResults{results: []authResult{
				res("spf", "fail", "smtp.mailfrom", "eu-west-1.amazonses.com"),
				res("dkim", "pass", "header.d", "domain.com"),
				res("dmarc", "bestguesspass", "action", "none", "header.from", "domain.com"),
			}}},
		{"Fastmail", "mx6.messagingengine.com;\r\n    arc=none (no signatures found);\r\n    dkim=pass (1024-bit rsa key sha256) header.d=mail.ru header.i=@mail.ru header.b=oF80QtY/ x-bits=1024 x-keytype=rsa x-algorithm=sha256 x-selector=mail2;\r\n    dmarc=pass (p=reject,d=none) header.from=mail.ru;\r\n    iprev=pass policy.iprev=94.100.177.106 (smtp46.i.mail.ru);\r\n    spf=pass smtp.mailfrom=fmdeliverability@mail.ru smtp.helo=smtp46.i.mail.ru;\r\n    x-aligned-from=pass;\r\n    x-tls=pass version=TLSv1.2 cipher=ECDHE-RSA-AES128-GCM-SHA256 bits=128/128",
			authResults{id: "mx6.messagingengine.com", results: []authResult{
				res("arc", "none"),
				res("dkim", "pass", "header.d", "mail.ru", "header.i", "@mail.ru", "header.b", "oF80QtY/", "x-bits", "1024", "x-keytype", "rsa", "x-algorithm", "sha256", "x-selector", "mail2"),
				res("dmarc", "pass", "header.from", "mail.ru"),
				res("iprev", "pass", "policy.iprev", "94.100.177.106"),
				res("spf", "pass", "smtp.mailfrom", "fmdeliverability@mail.ru", "smtp.helo", "smtp46.i.mail.ru"),
				res("x-aligned-from", "pass"),
				res("x-tls", "pass", "version", "TLSv1.2", "cipher", "ECDHE-RSA-AES128-GCM-SHA256", "bits", "128/128"),
			}}},
		{"Yahoo, results outside the registry", "atlas122.free.mail.gq1.yahoo.com;\r\n dkim=dkim_pass header.i=@news.aegeanair.com header.s=@aegeanair2;\r\n spf=pass smtp.mailfrom=news.aegeanair.com;\r\n dmarc=success(p=REJECT) header.from=news.aegeanair.com;",
			authResults{id: "atlas122.free.mail.gq1.yahoo.com", results: []authResult{
				res("dkim", "dkim_pass", "header.i", "@news.aegeanair.com", "header.s", "@aegeanair2"),
				res("spf", "pass", "smtp.mailfrom", "news.aegeanair.com"),
				res("dmarc", "success", "header.from", "news.aegeanair.com"),
			}}},
		{"words after the properties", "relay.com; dkim=pass header.d=mailfrom.com header.s=aabc header.b=xyz; dmarc=pass (policy=none) header.from=mailfrom.com; spf=pass (relay.com: domain of bounces@mailfrom.com designates 167.89.80.33 as permitted sender) smtp.mailfrom=bounces@mailfrom.com for abc@anotherdomain.com",
			authResults{id: "relay.com", results: []authResult{
				res("dkim", "pass", "header.d", "mailfrom.com", "header.s", "aabc", "header.b", "xyz"),
				res("dmarc", "pass", "header.from", "mailfrom.com"),
				res("spf", "pass", "smtp.mailfrom", "bounces@mailfrom.com"),
			}}},
		{"a semicolon in a comment", "example.com; auth=pass (cram-md5; comment with semicolon) smtp.auth=sender@example.com;",
			authResults{id: "example.com", results: []authResult{res("auth", "pass", "smtp.auth", "sender@example.com")}}},
		{"an escaped parenthesis in a comment", `example.com; auth=pass (cram-md5 \( comment) smtp.auth=sender@example.com`,
			authResults{id: "example.com", results: []authResult{res("auth", "pass", "smtp.auth", "sender@example.com")}}},
		{"nested comments", "example.com; spf=pass (a (b; c) d) smtp.mailfrom=example.net",
			authResults{id: "example.com", results: []authResult{res("spf", "pass", "smtp.mailfrom", "example.net")}}},
		{"a quoted local part", `example.com; spf=pass smtp.mailfrom="john; doe"@example.net`,
			authResults{id: "example.com", results: []authResult{res("spf", "pass", "smtp.mailfrom", "john; doe@example.net")}}},
		{"a quoted authserv-id", `"mx.example.com"; dmarc=pass header.from=example.net`,
			authResults{id: "mx.example.com", results: []authResult{res("dmarc", "pass", "header.from", "example.net")}}},
		{"upper case", "MX.Example.COM; DKIM=PASS Header.D=Example.NET",
			authResults{id: "mx.example.com", results: []authResult{res("dkim", "pass", "header.d", "Example.NET")}}},
		{"the first of a repeated property", "example.com; dkim=pass header.d=a.example header.d=b.example",
			authResults{id: "example.com", results: []authResult{res("dkim", "pass", "header.d", "a.example")}}},
		{"an unknown version", "example.com 2; dmarc=pass header.from=example.net",
			authResults{id: "example.com", unsupported: true}},
		{"empty", "", authResults{}},
		{"semicolons only", " ; ; ", authResults{}},
		{"an unterminated comment", "example.com; dmarc=fail (p=reject", authResults{id: "example.com", results: []authResult{res("dmarc", "fail")}}},
		{"an unterminated quote", `example.com; dkim=pass reason="oops header.d=example.net`,
			authResults{id: "example.com", results: []authResult{res("dkim", "pass", "reason", "oops header.d=example.net")}}},
		{"a method without a result", "example.com; dkim=; spf=pass", authResults{id: "example.com", results: []authResult{res("spf", "pass")}}},
		{"a closing parenthesis alone", "example.com; ) dmarc=fail )",
			authResults{id: "example.com", results: []authResult{res("dmarc", "fail")}}},
		{"a quoted result", `example.com; dmarc="pass now" header.from=example.net`, authResults{id: "example.com"}},
		{"equals signs only", "example.com; = = =", authResults{id: "example.com"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := parseAuthResults(tt.value)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(authResults{}, authResult{})); diff != "" {
				t.Errorf("parseAuthResults(%q) (-want +got):\n%s", tt.value, diff)
			}
		})
	}
}

func TestParseAuthResultsBounds(t *testing.T) {
	t.Parallel()
	var many string
	for range 100 {
		many += "; dkim=pass header.d=example.com"
	}
	if got := parseAuthResults("example.com" + many); len(got.results) != maxAuthResults {
		t.Errorf("%d results of 100, want %d", len(got.results), maxAuthResults)
	}
	props := "example.com; dkim=pass"
	for i := range 100 {
		props += " x.p" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "=1"
	}
	if got := parseAuthResults(props); len(got.results) != 1 || len(got.results[0].props) != maxAuthProps {
		t.Errorf("props = %d, want %d", len(got.results[0].props), maxAuthProps)
	}
}
