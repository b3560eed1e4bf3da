package whatsapp

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// TemplateKind is the care.Attachment kind that carries a template.
const TemplateKind = "template"

// templateScheme is the URL scheme of a template attachment.
const templateScheme = "whatsapp-template"

// Template is an approved message template and the values that fill it in,
// as a reply carries it: see Attachment and ParseTemplate, and the package
// documentation for the URL form. Templates are the only messages WhatsApp
// delivers outside the 24-hour customer service window.
type Template struct {
	// Name is the template's name in WhatsApp Manager: lower-case letters,
	// digits and underscores.
	Name string
	// Language is the code of the approved translation: "en_US", "pt_BR".
	Language string
	// Body fills the body's placeholders: in order for {{1}}, {{2}}, …, or
	// by name for a template with named parameters ({{order_id}}).
	Body []TemplateParam
	// Header fills a text header's placeholder; "" for none. HeaderName
	// is the placeholder's name in a template with named parameters
	// ({{sale_name}}), "" for a positional one.
	Header     string
	HeaderName string
	// HeaderKind ("image", "video" or "document") and HeaderLink give a
	// media header by its https link.
	HeaderKind string
	HeaderLink string
	// Buttons are the URL suffixes of dynamic URL buttons, by button index;
	// "" skips a button that takes none.
	Buttons []string
}

// TemplateParam is one body parameter; Name is "" for a positional one.
type TemplateParam struct {
	Name  string
	Value string
}

// URL returns t in the whatsapp-template: form of a template attachment.
func (t Template) URL() string {
	q := url.Values{"language": {t.Language}}
	for _, p := range t.Body {
		key := "body"
		if p.Name != "" {
			key += "." + p.Name
		}
		q.Add(key, p.Value)
	}
	if t.Header != "" {
		key := "header"
		if t.HeaderName != "" {
			key += "." + t.HeaderName
		}
		q.Set(key, t.Header)
	}
	if t.HeaderKind != "" {
		q.Set("header_"+t.HeaderKind, t.HeaderLink)
	}
	for _, b := range t.Buttons {
		q.Add("button", b)
	}
	return templateScheme + ":" + url.PathEscape(t.Name) + "?" + q.Encode()
}

// Attachment returns t as the attachment a reply carries to send it.
func (t Template) Attachment() care.Attachment {
	return care.Attachment{Kind: TemplateKind, Name: t.Name, URL: t.URL()}
}

// ParseTemplate reads a template attachment. It returns EINVALID, with a
// message an agent can act on, when a is not a well-formed template.
func ParseTemplate(a care.Attachment) (Template, error) {
	u, err := url.Parse(a.URL)
	if a.Kind != TemplateKind || err != nil || u.Scheme != templateScheme || u.Opaque == "" {
		return Template{}, care.Errorf(care.EINVALID, "A WhatsApp template attachment needs a URL of the form whatsapp-template:NAME?language=CODE.")
	}
	name, err := url.PathUnescape(u.Opaque)
	if err != nil || !templateName(name) {
		return Template{}, care.Errorf(care.EINVALID, "A WhatsApp template name is lower-case letters, digits and underscores.")
	}
	if a.Name != "" && a.Name != name {
		return Template{}, care.Errorf(care.EINVALID, "The template attachment is named %q but its URL names %q.", a.Name, name)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Template{}, care.Errorf(care.EINVALID, "The template's parameters are not a valid query string.")
	}
	t := Template{Name: name, Language: q.Get("language")}
	if !languageCode(t.Language) {
		return Template{}, care.Errorf(care.EINVALID, "A WhatsApp template needs its language code, such as language=en_US.")
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic: named parameters in name order
	textHeader := false
	for _, k := range keys {
		vs := q[k]
		switch {
		case k == "language":
			if len(vs) > 1 {
				return Template{}, care.Errorf(care.EINVALID, "A WhatsApp template has one language.")
			}
		case k == "body":
			for _, v := range vs {
				t.Body = append(t.Body, TemplateParam{Value: v})
			}
		case strings.HasPrefix(k, "body."):
			name := strings.TrimPrefix(k, "body.")
			if !templateName(name) || len(vs) > 1 {
				return Template{}, care.Errorf(care.EINVALID, "Template parameter %q must be named with lower-case letters, digits and underscores, once.", k)
			}
			t.Body = append(t.Body, TemplateParam{Name: name, Value: vs[0]})
		case k == "header" || strings.HasPrefix(k, "header."):
			name := strings.TrimPrefix(k, "header.")
			if k == "header" {
				name = ""
			}
			if textHeader || len(vs) > 1 || (name != "" && !templateName(name)) {
				return Template{}, care.Errorf(care.EINVALID, "A WhatsApp template has one text header parameter: header, or header.NAME for a named one.")
			}
			if name != "" && strings.TrimSpace(vs[0]) == "" {
				return Template{}, care.Errorf(care.EINVALID, "Template header parameter %q cannot be empty.", name)
			}
			textHeader = true
			t.Header, t.HeaderName = vs[0], name
		case k == "header_image" || k == "header_video" || k == "header_document":
			if t.HeaderKind != "" || len(vs) > 1 {
				return Template{}, care.Errorf(care.EINVALID, "A WhatsApp template has one media header.")
			}
			if l, err := url.Parse(vs[0]); err != nil || (l.Scheme != "https" && l.Scheme != "http") || l.Host == "" {
				return Template{}, care.Errorf(care.EINVALID, "The template's %s must be an http or https link.", k)
			}
			t.HeaderKind, t.HeaderLink = strings.TrimPrefix(k, "header_"), vs[0]
		case k == "button":
			t.Buttons = vs
		default:
			return Template{}, care.Errorf(care.EINVALID, "Unknown template parameter %q: use body, body.NAME, header, header.NAME, header_image, header_video, header_document or button.", k)
		}
	}
	mixed := false
	for _, p := range t.Body {
		mixed = mixed || (p.Name != "") != (t.Body[0].Name != "")
	}
	if mixed {
		return Template{}, care.Errorf(care.EINVALID, "A template's body parameters are either all positional or all named.")
	}
	for _, p := range t.Body {
		if strings.TrimSpace(p.Value) == "" {
			return Template{}, care.Errorf(care.EINVALID, "Template body parameters cannot be empty.")
		}
	}
	for _, v := range append(append([]string{t.Header}, t.Buttons...), paramValues(t.Body)...) {
		// WhatsApp refuses parameters with new lines or tabs (error 132018).
		if strings.ContainsAny(v, "\n\r\t") {
			return Template{}, care.Errorf(care.EINVALID, "Template parameters cannot contain new lines or tabs.")
		}
	}
	return t, nil
}

func paramValues(ps []TemplateParam) []string {
	vs := make([]string, len(ps))
	for i, p := range ps {
		vs[i] = p.Value
	}
	return vs
}

// templateName reports whether s is a valid template or parameter name.
func templateName(s string) bool {
	if s == "" || len(s) > 512 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// languageCode reports whether s looks like a template language code: "en",
// "en_US", "zh_HK", "es_LA", "fil".
func languageCode(s string) bool {
	lang, region, _ := strings.Cut(s, "_")
	if len(lang) < 2 || len(lang) > 3 || strings.Trim(lang, "abcdefghijklmnopqrstuvwxyz") != "" {
		return false
	}
	if region == "" {
		return !strings.Contains(s, "_")
	}
	return len(region) >= 2 && len(region) <= 4 && strings.Trim(region, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == ""
}

// templatePayload is the template object of a send request
// (".../whatsapp/messages/template-messages").
type templatePayload struct {
	Name     string `json:"name"`
	Language struct {
		Code string `json:"code"`
	} `json:"language"`
	Components []templateComponent `json:"components,omitempty"`
}

type templateComponent struct {
	Type       string          `json:"type"`
	SubType    string          `json:"sub_type,omitempty"`
	Index      string          `json:"index,omitempty"`
	Parameters []templateValue `json:"parameters"`
}

type templateValue struct {
	Type          string     `json:"type"`
	ParameterName string     `json:"parameter_name,omitempty"`
	Text          string     `json:"text,omitempty"`
	Image         *mediaLink `json:"image,omitempty"`
	Video         *mediaLink `json:"video,omitempty"`
	Document      *mediaLink `json:"document,omitempty"`
}

type mediaLink struct {
	Link string `json:"link"`
}

func (t Template) payload() *templatePayload {
	p := &templatePayload{Name: t.Name}
	p.Language.Code = t.Language
	var header []templateValue
	if t.Header != "" {
		header = append(header, templateValue{Type: "text", ParameterName: t.HeaderName, Text: t.Header})
	}
	if t.HeaderKind != "" {
		v := templateValue{Type: t.HeaderKind}
		l := &mediaLink{Link: t.HeaderLink}
		switch t.HeaderKind {
		case "image":
			v.Image = l
		case "video":
			v.Video = l
		default:
			v.Document = l
		}
		header = append(header, v)
	}
	if header != nil {
		p.Components = append(p.Components, templateComponent{Type: "header", Parameters: header})
	}
	if len(t.Body) > 0 {
		c := templateComponent{Type: "body"}
		for _, b := range t.Body {
			c.Parameters = append(c.Parameters, templateValue{Type: "text", ParameterName: b.Name, Text: b.Value})
		}
		p.Components = append(p.Components, c)
	}
	for i, suffix := range t.Buttons {
		if suffix != "" {
			p.Components = append(p.Components, templateComponent{Type: "button", SubType: "url", Index: strconv.Itoa(i),
				Parameters: []templateValue{{Type: "text", Text: suffix}}})
		}
	}
	return p
}
