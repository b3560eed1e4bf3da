package whatsapp

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
)

func TestTemplateRoundTrip(t *testing.T) {
	for _, tmpl := range []Template{
		{Name: "hello_world", Language: "en_US"},
		{Name: "order_update", Language: "en_US", Body: []TemplateParam{{Value: "#12345"}, {Value: "Tuesday & Wednesday"}}},
		{Name: "order_named", Language: "pt_BR", Body: []TemplateParam{{Name: "customer", Value: "Ana"}, {Name: "order_id", Value: "55/21?"}}},
		{Name: "shipping", Language: "de", Header: "Paket 7", Buttons: []string{"", "track/5521"}},
		{Name: "receipt", Language: "es_LA", HeaderKind: "document", HeaderLink: "https://cdn.example.com/r.pdf?sig=a&b=c"},
	} {
		a := tmpl.Attachment()
		got, err := ParseTemplate(a)
		if err != nil {
			t.Fatalf("ParseTemplate(%s): %v", a.URL, err)
		}
		if diff := cmp.Diff(tmpl, got); diff != "" {
			t.Errorf("round trip of %s (-want +got):\n%s", a.URL, diff)
		}
	}
}

func TestParseTemplateDocumentedForm(t *testing.T) {
	got, err := ParseTemplate(care.Attachment{Kind: "template", Name: "order_update",
		URL: "whatsapp-template:order_update?language=en_US&body=%2312345&body=Tuesday"})
	want := Template{Name: "order_update", Language: "en_US", Body: []TemplateParam{{Value: "#12345"}, {Value: "Tuesday"}}}
	if err != nil || !cmp.Equal(want, got) {
		t.Errorf("ParseTemplate = %+v, %v; want %+v", got, err, want)
	}
}

func TestParseTemplateRejects(t *testing.T) {
	for _, tt := range []struct {
		name string
		att  care.Attachment
		want string
	}{
		{"wrong kind", care.Attachment{Kind: "image", URL: "whatsapp-template:a?language=en"}, "whatsapp-template:NAME"},
		{"wrong scheme", care.Attachment{Kind: "template", URL: "https://x/a?language=en"}, "whatsapp-template:NAME"},
		{"hierarchical", care.Attachment{Kind: "template", URL: "whatsapp-template://a?language=en"}, "whatsapp-template:NAME"},
		{"upper-case name", care.Attachment{Kind: "template", URL: "whatsapp-template:Order?language=en"}, "lower-case"},
		{"name mismatch", care.Attachment{Kind: "template", Name: "other", URL: "whatsapp-template:order?language=en"}, "named"},
		{"no language", care.Attachment{Kind: "template", URL: "whatsapp-template:order"}, "language code"},
		{"bad language", care.Attachment{Kind: "template", URL: "whatsapp-template:order?language=English"}, "language code"},
		{"two languages", care.Attachment{Kind: "template", URL: "whatsapp-template:order?language=en&language=de"}, "one language"},
		{"unknown key", care.Attachment{Kind: "template", URL: "whatsapp-template:order?language=en&footer=x"}, "Unknown template parameter"},
		{"mixed parameters", care.Attachment{Kind: "template", URL: "whatsapp-template:order?language=en&body=a&body.name=b"}, "all positional or all named"},
		{"empty parameter", care.Attachment{Kind: "template", URL: "whatsapp-template:order?language=en&body="}, "cannot be empty"},
		{"new line", care.Attachment{Kind: "template", URL: "whatsapp-template:order?language=en&body=a%0Ab"}, "new lines"},
		{"header link", care.Attachment{Kind: "template", URL: "whatsapp-template:order?language=en&header_image=javascript:alert(1)"}, "http or https link"},
		{"two media headers", care.Attachment{Kind: "template", URL: "whatsapp-template:order?language=en&header_image=https://a/b&header_video=https://a/c"}, "one media header"},
		{"bad query", care.Attachment{Kind: "template", URL: "whatsapp-template:order?language=en&body=%zz"}, "query"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTemplate(tt.att)
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
				t.Errorf("ParseTemplate(%s) = %v, want EINVALID about %q", tt.att.URL, err, tt.want)
			}
		})
	}
}

func TestTemplatePayload(t *testing.T) {
	tmpl := Template{Name: "shipping", Language: "en_US", Header: "Parcel 7", Body: []TemplateParam{{Name: "order_id", Value: "5521"}},
		Buttons: []string{"", "track/5521"}}
	got := tmpl.payload()
	want := &templatePayload{Name: "shipping", Components: []templateComponent{
		{Type: "header", Parameters: []templateValue{{Type: "text", Text: "Parcel 7"}}},
		{Type: "body", Parameters: []templateValue{{Type: "text", ParameterName: "order_id", Text: "5521"}}},
		{Type: "button", SubType: "url", Index: "1", Parameters: []templateValue{{Type: "text", Text: "track/5521"}}},
	}}
	want.Language.Code = "en_US"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("payload (-want +got):\n%s", diff)
	}
}
