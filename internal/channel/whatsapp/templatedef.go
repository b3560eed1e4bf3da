package whatsapp

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// Parameter formats of a template. A template's placeholders are either
// all positional ({{1}}, {{2}}, …) or all named ({{first_name}}): the
// template's "parameter_format" says which, and a template created without
// it is positional ("Template fundamentals", Parameter formats:
// developers.facebook.com/documentation/business-messaging/whatsapp/templates/overview).
// A send must then give each named parameter with its name,
//
//	{"type": "text", "parameter_name": "first_name", "text": "Ana"}
//
// and each positional one without, in order
// (developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates);
// a named template sent positionally is refused with "(#100) Invalid
// parameter: Parameter name is missing or empty".
const (
	FormatPositional = "POSITIONAL"
	FormatNamed      = "NAMED"
)

// TemplateDef is a message template as the WhatsApp Business Account holds
// it, read from its message_templates edge: which parameters it takes, so
// that a send gives each one, by name or in order.
type TemplateDef struct {
	Name     string `json:"name"`
	Language string `json:"language"`
	// Status is APPROVED for a template WhatsApp sends; also PENDING,
	// REJECTED, PAUSED, DISABLED.
	Status   string `json:"status"`
	Category string `json:"category"`
	// Format is FormatNamed or FormatPositional.
	Format string `json:"parameter_format"`
	// HeaderFormat is the header's kind, TEXT, IMAGE, VIDEO, DOCUMENT or
	// LOCATION; "" for a template without a header. HeaderText is a text
	// header's wording, HeaderParams its placeholder (at most one).
	HeaderFormat string   `json:"header_format,omitempty"`
	HeaderText   string   `json:"header_text,omitempty"`
	HeaderParams []string `json:"header_parameters,omitempty"`
	// BodyText is the approved wording; BodyParams its placeholders, as
	// written between the braces: names in the order they first appear,
	// or "1", "2", … in number order.
	BodyText   string   `json:"body_text"`
	BodyParams []string `json:"body_parameters"`
}

// Named reports whether d's parameters are named.
func (d TemplateDef) Named() bool { return d.Format == FormatNamed }

// Approved reports whether WhatsApp sends d.
func (d TemplateDef) Approved() bool { return d.Status == "APPROVED" }

// templateListPage is one page of GET /{waba id}/message_templates
// (".../whatsapp/business-management-api/message-templates"): each
// template's components carry its wording, {"type": "BODY", "text": "Hi
// {{first_name}}"}, and parameter_format says how its placeholders are
// filled.
type templateListPage struct {
	Data []struct {
		Name            string `json:"name"`
		Language        string `json:"language"`
		Status          string `json:"status"`
		Category        string `json:"category"`
		ParameterFormat string `json:"parameter_format"`
		Components      []struct {
			Type   string `json:"type"`
			Format string `json:"format"`
			Text   string `json:"text"`
		} `json:"components"`
	} `json:"data"`
	Paging struct {
		Cursors struct {
			After string `json:"after"`
		} `json:"cursors"`
		Next string `json:"next"`
	} `json:"paging"`
}

// parseTemplateList reads one page of the template list, and the cursor of
// the next page ("" on the last). Templates whose name or language Parley
// could not send are left out.
func parseTemplateList(body []byte) (defs []TemplateDef, after string, err error) {
	var page templateListPage
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, "", fmt.Errorf("whatsapp: reading the template list: %w", err)
	}
	for _, t := range page.Data {
		if !templateName(t.Name) || !languageCode(t.Language) {
			continue
		}
		d := TemplateDef{Name: t.Name, Language: t.Language, Status: strings.ToUpper(t.Status), Category: strings.ToUpper(t.Category)}
		for _, c := range t.Components {
			switch strings.ToUpper(c.Type) {
			case "HEADER":
				d.HeaderFormat = strings.ToUpper(c.Format)
				if d.HeaderFormat == "TEXT" {
					d.HeaderText, d.HeaderParams = c.Text, placeholders(c.Text)
				}
			case "BODY":
				d.BodyText, d.BodyParams = c.Text, placeholders(c.Text)
			}
		}
		if d.BodyParams == nil {
			d.BodyParams = []string{} // listed as [], not null
		}
		d.Format = strings.ToUpper(t.ParameterFormat)
		if d.Format != FormatNamed && d.Format != FormatPositional {
			// Older API versions leave the field out: the placeholders
			// say which it is.
			d.Format = FormatPositional
			for _, p := range append(slices.Clone(d.HeaderParams), d.BodyParams...) {
				if !isDigits(p) {
					d.Format = FormatNamed
				}
			}
		}
		defs = append(defs, d)
	}
	if page.Paging.Next != "" {
		after = page.Paging.Cursors.After
	}
	return defs, after, nil
}

// placeholders lists the parameters of a template's text: the names
// between double braces, in the order they first appear, or "1", "2", … in
// number order. Anything else in braces is text.
func placeholders(text string) []string {
	var out []string
	numbered := true
	for rest := text; ; {
		i := strings.Index(rest, "{{")
		if i < 0 {
			break
		}
		rest = rest[i+2:]
		j := strings.Index(rest, "}}")
		if j < 0 {
			break
		}
		p := rest[:j]
		if !templateName(p) {
			continue
		}
		rest = rest[j+2:]
		numbered = numbered && isDigits(p)
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if numbered {
		// Numbers, as digits: shorter is smaller, then by digit.
		slices.SortFunc(out, func(a, b string) int {
			if len(a) != len(b) {
				return len(a) - len(b)
			}
			return strings.Compare(a, b)
		})
	}
	return out
}

// TemplateValues are what an agent fills a template in with.
type TemplateValues struct {
	Name, Language string
	// Body gives each body parameter by its placeholder: "first_name", or
	// "1", "2", … for a positional template.
	Body map[string]string
	// Header fills a text header's placeholder. HeaderLink is a media
	// header's https link; HeaderKind (image, video or document) is
	// needed only when the template is not known.
	Header                 string
	HeaderKind, HeaderLink string
	// Buttons are the URL suffixes of dynamic URL buttons, by index.
	Buttons []string
}

// Fill builds the template v makes of d, or returns EINVALID naming the
// parameter that is missing or that d does not have.
func (d TemplateDef) Fill(v TemplateValues) (Template, error) {
	t := Template{Name: d.Name, Language: d.Language, Buttons: v.Buttons}
	var unknown []string
	for k := range v.Body {
		if !slices.Contains(d.BodyParams, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	switch {
	case len(unknown) > 0 && len(d.BodyParams) == 0:
		return Template{}, care.Errorf(care.EINVALID, "Template %s takes no body parameters; %s is not one.", d.Name, braces(unknown))
	case len(unknown) > 0:
		return Template{}, care.Errorf(care.EINVALID, "Template %s has no parameter %s; its parameters are %s.", d.Name, braces(unknown), braces(d.BodyParams))
	}
	var missing []string
	for _, p := range d.BodyParams {
		if strings.TrimSpace(v.Body[p]) == "" {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return Template{}, care.Errorf(care.EINVALID, "Template %s needs a value for %s.", d.Name, braces(missing))
	}
	for _, p := range d.BodyParams {
		tp := TemplateParam{Value: v.Body[p]}
		if d.Named() {
			tp.Name = p
		}
		t.Body = append(t.Body, tp)
	}

	switch {
	case d.HeaderFormat == "TEXT" && len(d.HeaderParams) > 0:
		if strings.TrimSpace(v.Header) == "" {
			return Template{}, care.Errorf(care.EINVALID, "Template %s needs a value for its header's %s.", d.Name, braces(d.HeaderParams[:1]))
		}
		t.Header = v.Header
		if d.Named() {
			t.HeaderName = d.HeaderParams[0]
		}
	case v.Header != "":
		return Template{}, care.Errorf(care.EINVALID, "Template %s has no header parameter.", d.Name)
	}
	switch kind := strings.ToLower(d.HeaderFormat); kind {
	case "image", "video", "document":
		if strings.TrimSpace(v.HeaderLink) == "" {
			return Template{}, care.Errorf(care.EINVALID, "Template %s needs the https link of its header's %s.", d.Name, kind)
		}
		t.HeaderKind, t.HeaderLink = kind, v.HeaderLink
	default:
		if v.HeaderLink != "" {
			return Template{}, care.Errorf(care.EINVALID, "Template %s has no image, video or document header.", d.Name)
		}
	}
	// The values' own rules (no new lines, https links) are the URL
	// form's.
	return ParseTemplate(t.Attachment())
}

// fit checks a template about to be sent against d, and gives named
// parameters their names: values given in order to a named template fill
// its placeholders in the order they appear, so that a positional send
// becomes what WhatsApp requires. It returns EINVALID when they do not fit.
func (d TemplateDef) fit(t Template) (Template, error) {
	v := TemplateValues{Name: t.Name, Language: t.Language, Body: map[string]string{}, Header: t.Header,
		HeaderKind: t.HeaderKind, HeaderLink: t.HeaderLink, Buttons: t.Buttons}
	positional := len(t.Body) > 0 && t.Body[0].Name == ""
	switch {
	case positional && d.Named() && len(t.Body) != len(d.BodyParams):
		return Template{}, care.Errorf(care.EINVALID, "Template %s takes the named parameters %s, by name; %d values were given in order.",
			d.Name, braces(d.BodyParams), len(t.Body))
	case !positional && len(t.Body) > 0 && !d.Named():
		return Template{}, care.Errorf(care.EINVALID, "Template %s has positional parameters %s: give its values in order, not by name.",
			d.Name, braces(d.BodyParams))
	}
	for i, p := range t.Body {
		key := p.Name
		switch {
		case positional && d.Named():
			key = d.BodyParams[i]
		case positional:
			key = strconv.Itoa(i + 1)
		}
		v.Body[key] = p.Value
	}
	if t.HeaderName != "" && (!d.Named() || len(d.HeaderParams) == 0 || d.HeaderParams[0] != t.HeaderName) {
		return Template{}, care.Errorf(care.EINVALID, "Template %s has no header parameter %s.", d.Name, braces([]string{t.HeaderName}))
	}
	if t.HeaderKind != "" && !strings.EqualFold(t.HeaderKind, d.HeaderFormat) {
		return Template{}, care.Errorf(care.EINVALID, "Template %s has no %s header.", d.Name, t.HeaderKind)
	}
	return d.Fill(v)
}

// Text is what the customer reads of t, a filling of d: the header and
// the body with their placeholders replaced.
func (d TemplateDef) Text(t Template) string {
	values := map[string]string{}
	for i, p := range t.Body {
		key := p.Name
		if key == "" {
			key = strconv.Itoa(i + 1)
		}
		values[key] = p.Value
	}
	var b strings.Builder
	if d.HeaderFormat == "TEXT" && d.HeaderText != "" {
		header := map[string]string{}
		if len(d.HeaderParams) > 0 {
			header[d.HeaderParams[0]] = t.Header
		}
		b.WriteString(fill(d.HeaderText, header) + "\n")
	}
	b.WriteString(fill(d.BodyText, values))
	return b.String()
}

// fill replaces text's placeholders with their values; one without a
// value stays as written.
func fill(text string, values map[string]string) string {
	var b strings.Builder
	for {
		i := strings.Index(text, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(text[i+2:], "}}")
		if j < 0 {
			break
		}
		name := text[i+2 : i+2+j]
		v, ok := values[name]
		if !ok {
			b.WriteString(text[:i+2])
			text = text[i+2:]
			continue
		}
		b.WriteString(text[:i] + v)
		text = text[i+2+j+2:]
	}
	b.WriteString(text)
	return b.String()
}

// braces writes parameters as the template does: {{first_name}}, {{1}}.
func braces(ps []string) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = "{{" + p + "}}"
	}
	return strings.Join(out, ", ")
}

// Build makes the template of v without its definition, for an inbox
// whose templates Parley cannot read: body keys that are all numbers are
// positional, in number order, and must run from 1; any others are names.
func (v TemplateValues) Build() (Template, error) {
	t := Template{Name: v.Name, Language: v.Language, Header: v.Header, Buttons: v.Buttons}
	if v.HeaderLink != "" {
		t.HeaderKind, t.HeaderLink = strings.ToLower(v.HeaderKind), v.HeaderLink
		switch t.HeaderKind {
		case "image", "video", "document":
		default:
			return Template{}, care.Errorf(care.EINVALID, "A template's media header is an image, a video or a document.")
		}
	}
	keys := make([]string, 0, len(v.Body))
	numbered := 0
	for k := range v.Body {
		keys = append(keys, k)
		if isDigits(k) {
			numbered++
		}
	}
	switch {
	case numbered == len(keys):
		for i := 1; i <= len(keys); i++ {
			val, ok := v.Body[strconv.Itoa(i)]
			if !ok {
				return Template{}, care.Errorf(care.EINVALID, "Positional template parameters run from {{1}} to {{%d}}; {{%d}} is missing.", len(keys), i)
			}
			t.Body = append(t.Body, TemplateParam{Value: val})
		}
	case numbered > 0:
		return Template{}, care.Errorf(care.EINVALID, "A template's body parameters are either all positional or all named.")
	default:
		slices.Sort(keys)
		for _, k := range keys {
			t.Body = append(t.Body, TemplateParam{Name: k, Value: v.Body[k]})
		}
	}
	return ParseTemplate(t.Attachment())
}

// Summary is what a conversation shows of t when the approved wording is
// not known: the template's name and the values that filled it in.
func (t Template) Summary() string {
	var b strings.Builder
	b.WriteString("[Template " + t.Name + " · " + t.Language + "]")
	if t.Header != "" {
		b.WriteString("\n" + t.Header)
	}
	for _, p := range t.Body {
		b.WriteString("\n" + p.Value)
	}
	return b.String()
}
