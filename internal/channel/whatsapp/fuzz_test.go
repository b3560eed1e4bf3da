package whatsapp

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/meta"
)

// Fuzz targets for every decoder of untrusted input. Run one with, e.g.,
// go test -run '^$' -fuzz FuzzReceive -fuzztime 10s ./internal/channel/whatsapp

func FuzzReceive(f *testing.F) {
	files, _ := filepath.Glob("testdata/webhooks/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"x","from":"1","type":"text","text":{"body":"\u0000"}}]}}]}]}`))
	a := &Adapter{}
	in := care.Inbox{ID: 1, Channel: care.ChannelWhatsApp, Credentials: map[string]string{CredAppSecret: "k"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		h := http.Header{}
		h.Set(meta.SignatureHeader, meta.Sign("k", body))
		events, err := a.Receive(h, body, in, testNow)
		if err != nil {
			if c := care.ErrorCode(err); c != care.EINVALID {
				t.Fatalf("Receive = %v, want nil or EINVALID", err)
			}
			return
		}
		for _, ev := range events {
			checkEvent(t, ev, body)
		}
	})
}

func FuzzParseTemplate(f *testing.F) {
	f.Add("order_update", "whatsapp-template:order_update?language=en_US&body=%2312345&body=Tuesday")
	f.Add("", "whatsapp-template:s?language=de&header=P&button=&button=track%2F1&header_image=https://a/b.png")
	f.Add("", "whatsapp-template:n?language=pt_BR&body.a=x&body.b=y")
	f.Fuzz(func(t *testing.T, name, u string) {
		tmpl, err := ParseTemplate(care.Attachment{Kind: TemplateKind, Name: name, URL: u})
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("ParseTemplate = %v, want EINVALID", err)
			}
			return
		}
		again, err := ParseTemplate(tmpl.Attachment())
		if err != nil {
			t.Fatalf("ParseTemplate(%s) of a parsed template: %v", tmpl.URL(), err)
		}
		if diff := cmp.Diff(tmpl, again); diff != "" {
			t.Fatalf("round trip of %s (-first +second):\n%s", u, diff)
		}
		if _, err := json.Marshal(tmpl.payload()); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzCompose(f *testing.F) {
	f.Add("hello", "", "")
	f.Add("caption", "image", "https://x/a.png")
	f.Add("", "location", "geo:1.5,-2;u=10")
	f.Add("", "template", "whatsapp-template:a?language=en")
	f.Add("x", "sticker", MediaScheme+"1")
	f.Fuzz(func(t *testing.T, text, kind, u string) {
		var atts []care.Attachment
		if kind != "" {
			atts = []care.Attachment{{Kind: kind, URL: u}}
		}
		req, err := compose(text, atts)
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("compose = %v, want EINVALID", err)
			}
			return
		}
		if _, err := json.Marshal(req); err != nil {
			t.Fatalf("compose built an unencodable request: %v", err)
		}
		if req.Text != nil && utf8.RuneCountInString(req.Text.Body) > MaxTextChars {
			t.Fatal("text over the limit accepted")
		}
	})
}

func FuzzSendError(f *testing.F) {
	f.Add(400, []byte(`{"error":{"message":"(#131047) Re-engagement message","code":131047,"error_data":{"details":"x"}}}`), "", "")
	f.Add(500, []byte(`<html>`), "30", `{"1":[{"estimated_time_to_regain_access":5}]}`)
	f.Add(429, []byte(`{"error":{"code":"x"}}`), "Wed, 21 Oct 2015 07:28:00 GMT", "")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter, buc string) {
		if status < 100 || status > 999 || status >= 200 && status <= 299 {
			return // sendError is only called for a failed response
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		resp.Header.Set("Retry-After", retryAfter)
		resp.Header.Set("X-Business-Use-Case-Usage", buc)
		err := sendError(resp, body, testNow)
		se := sendErr(t, err)
		if se.RetryAfter < 0 || se.RetryAfter > time.Hour || (se.Permanent && se.RetryAfter != 0) {
			t.Fatalf("RetryAfter %v (permanent %v)", se.RetryAfter, se.Permanent)
		}
		if !utf8.ValidString(se.Reason) || strings.ContainsAny(se.Reason, "\x00\r\n") || len(se.Reason) > 700 {
			t.Fatalf("reason %q is not one short line of text", se.Reason)
		}
	})
}

func FuzzUsage(f *testing.F) {
	f.Add(`{"1":[{"call_count":5,"estimated_time_to_regain_access":3}]}`, `{"call_count":28}`)
	f.Fuzz(func(t *testing.T, buc, app string) {
		h := http.Header{}
		h.Set("X-Business-Use-Case-Usage", buc)
		h.Set("X-App-Usage", app)
		summary, regain := usage(h)
		if regain < 0 || regain > 24*time.Hour || len(summary) > 100 {
			t.Fatalf("usage = %q, %v", summary, regain)
		}
	})
}

func FuzzPricingOf(f *testing.F) {
	f.Add([]byte(`{"id":"w","status":"read","pricing":{"billable":false,"pricing_model":"PMP","category":"service","type":"free_customer_service"}}`))
	f.Add([]byte(`{"conversation":{"id":"c","origin":{"type":"utility"}},"pricing":{"billable":"true","pricing_model":"CBP"}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, ok := PricingOf(raw)
		if !ok && p != (Pricing{}) {
			t.Fatalf("PricingOf = %+v with ok false", p)
		}
	})
}

func FuzzParseGeo(f *testing.F) {
	f.Add("geo:37.483872,-122.148358")
	f.Add("geo:1,2,3;crs=wgs84")
	f.Fuzz(func(t *testing.T, s string) {
		lat, long, ok := parseGeo(s)
		if ok && (lat < -90 || lat > 90 || long < -180 || long > 180) {
			t.Fatalf("parseGeo(%q) = %v, %v", s, lat, long)
		}
	})
}

func FuzzFormFields(f *testing.F) {
	f.Add(`{"flow_token":"t","size":"M","qty":2,"nested":{"a":1}}`)
	f.Fuzz(func(t *testing.T, s string) {
		_ = formFields(s)
	})
}

func FuzzTemplateList(f *testing.F) {
	f.Add([]byte(namedList), "Ana")
	f.Add([]byte(`{"data":[{"name":"a","language":"en","components":[{"type":"BODY","text":"{{1}}{{2}} {{x}}"},{"type":"HEADER","format":"TEXT","text":"{{y}}"}]}]}`), "v")
	f.Add([]byte(`{"data":[{"name":"a","language":"en","parameter_format":"named","components":[{"type":"body","text":"{{{{a}}}}}}"}]}]}`), "")
	f.Fuzz(func(t *testing.T, body []byte, value string) {
		defs, _, err := parseTemplateList(body)
		if err != nil {
			return
		}
		for _, d := range defs {
			if d.Format != FormatNamed && d.Format != FormatPositional || !templateName(d.Name) || !languageCode(d.Language) || len(d.HeaderParams) > 1 && d.HeaderFormat != "TEXT" {
				t.Fatalf("template %+v", d)
			}
			v := TemplateValues{Body: map[string]string{}, Header: value, HeaderLink: "https://a/b"}
			for _, p := range d.BodyParams {
				if !templateName(p) {
					t.Fatalf("parameter %q of %+v", p, d)
				}
				v.Body[p] = value
			}
			if len(d.HeaderParams) == 0 {
				v.Header = ""
			}
			if !strings.EqualFold(d.HeaderFormat, "image") && !strings.EqualFold(d.HeaderFormat, "video") && !strings.EqualFold(d.HeaderFormat, "document") {
				v.HeaderLink = ""
			}
			tmpl, err := d.Fill(v)
			if err != nil {
				if care.ErrorCode(err) != care.EINVALID {
					t.Fatalf("Fill = %v, want EINVALID", err)
				}
				continue
			}
			if len(tmpl.Body) != len(d.BodyParams) {
				t.Fatalf("Fill gave %d body parameters for %q", len(tmpl.Body), d.BodyParams)
			}
			if again, err := d.fit(tmpl); err != nil || !cmp.Equal(tmpl, again) {
				t.Fatalf("fit of a filled template = %+v, %v; want %+v", again, err, tmpl)
			}
			_ = d.Text(tmpl)
		}
	})
}
