package whatsapp

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parleyhq/parley/internal/care"
)

// namedList is a page of the template list as the Graph API answers it,
// shaped like the examples of Meta's template pages: a named template with
// a text header, a positional one, one of an older API version without
// parameter_format, and one with an image header.
const namedList = `{"data":[
 {"name":"order_ready","parameter_format":"NAMED","language":"en_US","status":"APPROVED","category":"UTILITY","id":"1",
  "components":[{"type":"HEADER","format":"TEXT","text":"Hi {{first_name}}","example":{"header_text_named_params":[{"param_name":"first_name","example":"Ana"}]}},
   {"type":"BODY","text":"Order {{order_id}} is ready, {{first_name}}. Pick it up by {{day}}.","example":{"body_text_named_params":[{"param_name":"order_id","example":"5521"}]}},
   {"type":"FOOTER","text":"Reply STOP to opt out"}]},
 {"name":"order_update","parameter_format":"POSITIONAL","language":"en_US","status":"APPROVED","category":"UTILITY","id":"2",
  "components":[{"type":"BODY","text":"Your order {{2}} ships on {{1}}; {{2}} again."}]},
 {"name":"old_named","language":"pt_BR","status":"PAUSED","category":"MARKETING","id":"3",
  "components":[{"type":"BODY","text":"Oi {{nome}}! {{ not_one }} {{Upper}}"}]},
 {"name":"receipt","language":"es","status":"approved","category":"utility","id":"4",
  "components":[{"type":"HEADER","format":"DOCUMENT"},{"type":"BODY","text":"Gracias."}]},
 {"name":"Bad Name","language":"en","status":"APPROVED","components":[]}
],"paging":{"cursors":{"before":"QVFIUk","after":"QVFIUl"},"next":"https://graph.facebook.com/v26.0/1/message_templates?after=QVFIUl"}}`

func TestParseTemplateList(t *testing.T) {
	defs, after, err := parseTemplateList([]byte(namedList))
	if err != nil {
		t.Fatal(err)
	}
	want := []TemplateDef{
		{Name: "order_ready", Language: "en_US", Status: "APPROVED", Category: "UTILITY", Format: FormatNamed,
			HeaderFormat: "TEXT", HeaderText: "Hi {{first_name}}", HeaderParams: []string{"first_name"},
			BodyText: "Order {{order_id}} is ready, {{first_name}}. Pick it up by {{day}}.", BodyParams: []string{"order_id", "first_name", "day"}},
		{Name: "order_update", Language: "en_US", Status: "APPROVED", Category: "UTILITY", Format: FormatPositional,
			BodyText: "Your order {{2}} ships on {{1}}; {{2}} again.", BodyParams: []string{"1", "2"}},
		{Name: "old_named", Language: "pt_BR", Status: "PAUSED", Category: "MARKETING", Format: FormatNamed,
			BodyText: "Oi {{nome}}! {{ not_one }} {{Upper}}", BodyParams: []string{"nome"}},
		{Name: "receipt", Language: "es", Status: "APPROVED", Category: "UTILITY", Format: FormatPositional, HeaderFormat: "DOCUMENT",
			BodyText: "Gracias.", BodyParams: []string{}},
	}
	if diff := cmp.Diff(want, defs); diff != "" {
		t.Errorf("templates (-want +got):\n%s", diff)
	}
	if after != "QVFIUl" {
		t.Errorf("after = %q, want the next page's cursor", after)
	}
	if _, after, _ := parseTemplateList([]byte(`{"data":[],"paging":{"cursors":{"after":"x"}}}`)); after != "" {
		t.Errorf("a last page (no next) gave cursor %q", after)
	}
}

func defNamed(t *testing.T, name string) TemplateDef {
	t.Helper()
	defs, _, err := parseTemplateList([]byte(namedList))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defs {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no template %s", name)
	return TemplateDef{}
}

func TestFillNamed(t *testing.T) {
	d := defNamed(t, "order_ready")
	got, err := d.Fill(TemplateValues{Body: map[string]string{"first_name": "Ana", "order_id": "#5521", "day": "Friday"}, Header: "Ana"})
	if err != nil {
		t.Fatal(err)
	}
	want := Template{Name: "order_ready", Language: "en_US", Header: "Ana", HeaderName: "first_name",
		Body: []TemplateParam{{Name: "day", Value: "Friday"}, {Name: "first_name", Value: "Ana"}, {Name: "order_id", Value: "#5521"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Fill (-want +got):\n%s", diff)
	}
	if text := d.Text(got); text != "Hi Ana\nOrder #5521 is ready, Ana. Pick it up by Friday." {
		t.Errorf("Text = %q", text)
	}
	p := got.payload()
	if p.Components[0].Parameters[0].ParameterName != "first_name" || p.Components[1].Parameters[2].ParameterName != "order_id" {
		t.Errorf("payload does not name its parameters: %+v", p.Components)
	}
}

func TestFillRefusals(t *testing.T) {
	named, positional, receipt := defNamed(t, "order_ready"), defNamed(t, "order_update"), defNamed(t, "receipt")
	full := func(extra map[string]string) map[string]string {
		m := map[string]string{"first_name": "Ana", "order_id": "1", "day": "Fri"}
		for k, v := range extra {
			if v == "" {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	for _, tt := range []struct {
		name string
		d    TemplateDef
		v    TemplateValues
		want string
	}{
		{"missing name", named, TemplateValues{Body: full(map[string]string{"day": ""}), Header: "Ana"}, "needs a value for {{day}}"},
		{"blank value", named, TemplateValues{Body: full(map[string]string{"day": "  "}), Header: "Ana"}, "needs a value for {{day}}"},
		{"unknown name", named, TemplateValues{Body: full(map[string]string{"nickname": "A"}), Header: "Ana"}, "has no parameter {{nickname}}; its parameters are {{order_id}}, {{first_name}}, {{day}}"},
		{"positions to a named template", named, TemplateValues{Body: map[string]string{"1": "a", "2": "b", "3": "c"}, Header: "Ana"}, "has no parameter {{1}}, {{2}}, {{3}}"},
		{"names to a positional template", positional, TemplateValues{Body: map[string]string{"first_name": "Ana"}}, "has no parameter {{first_name}}; its parameters are {{1}}, {{2}}"},
		{"missing position", positional, TemplateValues{Body: map[string]string{"1": "Tuesday"}}, "needs a value for {{2}}"},
		{"header missing", named, TemplateValues{Body: full(nil)}, "header's {{first_name}}"},
		{"no header parameter", positional, TemplateValues{Body: map[string]string{"1": "a", "2": "b"}, Header: "x"}, "has no header parameter"},
		{"document link missing", receipt, TemplateValues{}, "https link of its header's document"},
		{"body to a template without", receipt, TemplateValues{Body: map[string]string{"1": "x"}, HeaderLink: "https://a/b.pdf"}, "takes no body parameters"},
		{"new line", positional, TemplateValues{Body: map[string]string{"1": "a\nb", "2": "c"}}, "new lines"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.d.Fill(tt.v)
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
				t.Errorf("Fill = %v, want EINVALID about %q", err, tt.want)
			}
		})
	}
}

// TestFitNamesPositionalValues: a template attachment whose values are in
// order is sent by name when the approved template's parameters are named,
// in the order they appear in its text.
func TestFitNamesPositionalValues(t *testing.T) {
	d := defNamed(t, "order_ready")
	got, err := d.fit(Template{Name: "order_ready", Language: "en_US", Header: "Ana",
		Body: []TemplateParam{{Value: "#5521"}, {Value: "Ana"}, {Value: "Friday"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []TemplateParam{{Name: "day", Value: "Friday"}, {Name: "first_name", Value: "Ana"}, {Name: "order_id", Value: "#5521"}}
	if diff := cmp.Diff(want, got.Body); diff != "" || got.HeaderName != "first_name" {
		t.Errorf("fit body (-want +got):\n%s\nheader name %q", diff, got.HeaderName)
	}
	if _, err := d.fit(Template{Name: "order_ready", Language: "en_US", Header: "Ana", Body: []TemplateParam{{Value: "#5521"}}}); !strings.Contains(care.ErrorMessage(err), "{{order_id}}, {{first_name}}, {{day}}, by name; 1 values were given") {
		t.Errorf("fit with too few values = %v", err)
	}
	p := defNamed(t, "order_update")
	if _, err := p.fit(Template{Name: "order_update", Language: "en_US", Body: []TemplateParam{{Name: "a", Value: "1"}}}); !strings.Contains(care.ErrorMessage(err), "not by name") {
		t.Errorf("fit of named values to a positional template = %v", err)
	}
	same, err := p.fit(Template{Name: "order_update", Language: "en_US", Body: []TemplateParam{{Value: "Tuesday"}, {Value: "#1"}}})
	if err != nil || same.Body[0].Name != "" || same.Body[1].Value != "#1" {
		t.Errorf("fit of a positional template = %+v, %v; want it unchanged", same, err)
	}
}

func TestBuildWithoutDefinition(t *testing.T) {
	got, err := TemplateValues{Name: "order_update", Language: "en_US", Body: map[string]string{"2": "b", "1": "a", "10": "j",
		"3": "c", "4": "d", "5": "e", "6": "f", "7": "g", "8": "h", "9": "i"}}.Build()
	if err != nil || len(got.Body) != 10 || got.Body[0].Value != "a" || got.Body[9].Value != "j" || got.Body[0].Name != "" {
		t.Errorf("Build positional = %+v, %v", got, err)
	}
	got, err = TemplateValues{Name: "n", Language: "de", Body: map[string]string{"b": "2", "a": "1"}}.Build()
	if err != nil || got.Body[0].Name != "a" || got.Body[1].Name != "b" {
		t.Errorf("Build named = %+v, %v", got, err)
	}
	for _, v := range []TemplateValues{
		{Name: "n", Language: "de", Body: map[string]string{"1": "a", "3": "c"}},
		{Name: "n", Language: "de", Body: map[string]string{"1": "a", "b": "c"}},
		{Name: "n", Language: "de", Body: map[string]string{"Bad": "a"}},
		{Name: "n", Language: "de", HeaderLink: "https://a/b", HeaderKind: "audio"},
	} {
		if _, err := v.Build(); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("Build(%+v) = %v, want EINVALID", v, err)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	for text, want := range map[string][]string{
		"":                             nil,
		"Hi {{1}}, {{10}} {{2}} {{1}}": {"1", "2", "10"},
		"{{a}} {{b_2}} {{a}}":          {"a", "b_2"},
		"{{ a }} {{A}} {a} {{}} {{x":   nil,
		"{{{a}}}":                      nil,
		"}} {{a}":                      nil,
		"{{a}}{{b}}":                   {"a", "b"},
	} {
		if got := placeholders(text); !cmp.Equal(want, got) {
			t.Errorf("placeholders(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestNamedHeaderRoundTrip(t *testing.T) {
	tmpl := Template{Name: "sale", Language: "en", Header: "Black Friday", HeaderName: "sale_name", Body: []TemplateParam{{Name: "code", Value: "BF"}}}
	got, err := ParseTemplate(tmpl.Attachment())
	if err != nil || !cmp.Equal(tmpl, got) {
		t.Errorf("round trip of %s = %+v, %v", tmpl.URL(), got, err)
	}
	for _, u := range []string{
		"whatsapp-template:sale?language=en&header=a&header.b=c",
		"whatsapp-template:sale?language=en&header.b=",
		"whatsapp-template:sale?language=en&header.B=x",
	} {
		if _, err := ParseTemplate(care.Attachment{Kind: TemplateKind, URL: u}); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("ParseTemplate(%s) = %v, want EINVALID", u, err)
		}
	}
}
