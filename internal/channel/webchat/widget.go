package webchat

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync"
)

//go:embed static/widget.js static/widget.css
var staticFS embed.FS

// cssMarker is the string in widget.js that the stylesheet replaces, as a
// JavaScript string literal: one file to fetch, two to edit.
const cssMarker = `"__PARLEY_WIDGET_CSS__"`

type widgetFile struct {
	js   []byte
	etag string
}

var widgetOnce = sync.OnceValue(func() widgetFile {
	js, err := staticFS.ReadFile("static/widget.js")
	if err != nil {
		panic("webchat: embedded widget.js: " + err.Error())
	}
	css, err := staticFS.ReadFile("static/widget.css")
	if err != nil {
		panic("webchat: embedded widget.css: " + err.Error())
	}
	lit, err := json.Marshal(string(css))
	if err != nil {
		panic("webchat: encode widget.css: " + err.Error())
	}
	if bytes.Count(js, []byte(cssMarker)) != 1 {
		panic("webchat: widget.js must hold " + cssMarker + " once")
	}
	js = bytes.Replace(js, []byte(cssMarker), lit, 1)
	sum := sha256.Sum256(js)
	return widgetFile{js: js, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
})

// WidgetScript returns the widget's script as served: widget.js with
// widget.css inside.
func WidgetScript() []byte { return widgetOnce().js }

// serveWidget serves the script sites embed. Its URL has no version (the
// tag is pasted once), so it is cached for five minutes and revalidated by
// ETag; a new release reaches visitors within that. It may be loaded by
// any page, including ones that isolate themselves
// (Cross-Origin-Embedder-Policy).
func (s *Server) serveWidget(w http.ResponseWriter, r *http.Request) {
	f := widgetOnce()
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("ETag", f.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(f.js)
}
