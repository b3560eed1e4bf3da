package web

import (
	"embed"
	"html/template"
)

//go:embed templates
var templateFS embed.FS

// pageNames are the pages; each is parsed together with the shared
// layout and partials.
var pageNames = []string{"login", "setup", "password", "inbox", "conversation", "search", "approvals", "queues", "staffing", "value", "listening", "reports", "settings", "notifications", "inboxes", "people", "error"}

func mustPages(assets *assetSet) map[string]*template.Template {
	funcs := template.FuncMap{
		"asset":  assets.url,
		"fields": func(csrf, list string) hiddenFields { return hiddenFields{CSRF: csrf, List: list} },
	}
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html"))
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.Must(base.Clone())
		pages[name] = template.Must(t.ParseFS(templateFS, "templates/"+name+".html"))
	}
	return pages
}

// hiddenFields are what every form of the conversation page carries: the
// CSRF token, and the list beside the conversation, to come back to.
type hiddenFields struct {
	CSRF, List string
}
