package wafake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Template is an approved message template.
type Template struct {
	Name, Language string
	// Category is marketing, utility or authentication; sends are billed
	// in it.
	Category string
	// ParameterFormat is "NAMED" or "POSITIONAL"; "" is positional, as a
	// template created without one is.
	ParameterFormat string
	// Header is a text header and Body the body, with their placeholders:
	// {{1}}, {{2}}, … or {{first_name}}.
	Header, Body string
	// Status is what the list says; "" is APPROVED.
	Status string
}

// template is a Template as the fake checks sends against it.
type template struct {
	Template
	named        bool
	header, body []string // placeholders
}

var placeholderRE = regexp.MustCompile(`\{\{([a-z0-9_]+)\}\}`)

func params(text string) []string {
	var out []string
	for _, m := range placeholderRE.FindAllStringSubmatch(text, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// Approve adds t to the account's templates, replacing one of the same
// name and language. Sends of it are accepted while its Status is
// APPROVED; otherwise refused with 132001, as WhatsApp refuses a template
// not approved yet.
func (f *Fake) Approve(t Template) {
	if t.Status == "" {
		t.Status = "APPROVED"
	}
	if t.ParameterFormat == "" {
		t.ParameterFormat = "POSITIONAL"
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.templates[t.Name+"/"+t.Language] = template{Template: t, named: t.ParameterFormat == "NAMED",
		header: params(t.Header), body: params(t.Body)}
}

// check answers a template send's components as the Cloud API does: code
// 0 when they fill the template. A named template needs a parameter_name
// on each value; without one WhatsApp answers "(#100) Invalid parameter:
// Parameter name is missing or empty", as integrators report of sends
// that forgot them (github.com/netflie/laravel-notification-whatsapp/issues/41,
// github.com/piusalfred/whatsapp/issues/100). A count that differs from
// the template's is error 132000; values by a name the template does not
// have, or by name to a positional template, are error 132012, "Parameter
// format does not match format in the created template"
// (".../whatsapp/support/error-codes").
func (t template) check(components []component) (code int, title, details string) {
	got := map[string][]param{}
	for _, c := range components {
		var ps []param
		for _, raw := range c.Parameters {
			var p param
			if json.Unmarshal(raw, &p) != nil {
				return 100, "Invalid parameter", "A parameter is not an object."
			}
			ps = append(ps, p)
		}
		got[strings.ToLower(c.Type)] = append(got[strings.ToLower(c.Type)], ps...)
	}
	for _, part := range []struct {
		name string
		want []string
	}{{"header", t.header}, {"body", t.body}} {
		text := got[part.name]
		if part.name == "header" && t.Header == "" {
			continue // media or no header: not modelled
		}
		for _, p := range text {
			switch {
			case t.named && p.ParameterName == "":
				return 100, "Invalid parameter", "Parameter name is missing or empty"
			case !t.named && p.ParameterName != "":
				return 132012, "Parameter format does not match format in the created template",
					fmt.Sprintf("%s: the template's parameters are positional; parameter_name (%s) is not expected", part.name, p.ParameterName)
			}
		}
		if len(text) != len(part.want) {
			return 132000, "Number of parameters does not match the expected number of params",
				fmt.Sprintf("%s: number of localizable_params (%d) does not match the expected number of params (%d)", part.name, len(text), len(part.want))
		}
		if !t.named {
			continue
		}
		seen := map[string]bool{}
		for _, p := range text {
			if !slices.Contains(part.want, p.ParameterName) || seen[p.ParameterName] {
				return 132012, "Parameter format does not match format in the created template",
					fmt.Sprintf("%s: parameter_name (%s) does not match a parameter of the template", part.name, p.ParameterName)
			}
			seen[p.ParameterName] = true
		}
	}
	return 0, "", ""
}

type component struct {
	Type       string            `json:"type"`
	Parameters []json.RawMessage `json:"parameters"`
}

type param struct {
	Type          string `json:"type"`
	ParameterName string `json:"parameter_name"`
	Text          string `json:"text"`
}

// templateListRE matches GET /{version}/{waba id}/message_templates and
// GET /{waba id}/message_templates.
var templateListRE = regexp.MustCompile(`^/(?:v[0-9]+\.[0-9]+/)?([0-9]+)/message_templates$`)

// templateList serves the account's templates as the message_templates
// edge does: {"data": [...], "paging": {"cursors": {...}, "next": ...}},
// limit per page (25 unless asked), after a cursor.
func (f *Fake) templateList(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+f.AccessToken {
		writeError(w, http.StatusUnauthorized, 190, "Invalid OAuth access token - Cannot parse access token", "")
		return
	}
	q := r.URL.Query()
	limit := 25
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, 100, "Invalid parameter", "limit must be a positive number.")
			return
		}
		limit = min(n, 100)
	}
	from := 0
	if a := q.Get("after"); a != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(a, "c"))
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, 100, "Invalid parameter", "Invalid cursor.")
			return
		}
		from = n
	}
	f.mu.Lock()
	keys := make([]string, 0, len(f.templates))
	for k := range f.templates {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var data []map[string]any
	for i := from; i < len(keys) && i < from+limit; i++ {
		t := f.templates[keys[i]]
		var comps []map[string]any
		if t.Header != "" {
			comps = append(comps, map[string]any{"type": "HEADER", "format": "TEXT", "text": t.Header})
		}
		comps = append(comps, map[string]any{"type": "BODY", "text": t.Body})
		data = append(data, map[string]any{"name": t.Name, "language": t.Language, "status": t.Status,
			"category": strings.ToUpper(t.Category), "parameter_format": t.ParameterFormat, "components": comps,
			"id": strconv.Itoa(1000 + i)})
	}
	total := len(keys)
	f.mu.Unlock()
	paging := map[string]any{"cursors": map[string]string{"before": "c" + strconv.Itoa(from), "after": "c" + strconv.Itoa(from+len(data))}}
	if from+len(data) < total {
		next := *r.URL
		nq := next.Query()
		nq.Set("after", "c"+strconv.Itoa(from+len(data)))
		next.RawQuery = nq.Encode()
		paging["next"] = "http://" + r.Host + next.String()
	}
	if data == nil {
		data = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "paging": paging})
}
