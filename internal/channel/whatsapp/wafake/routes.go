package wafake

import "net/http"

// Handler serves the Cloud API's messages endpoint, with or without the
// version segment: POST /v26.0/{phone number id}/messages and POST /{phone
// number id}/messages, and the template list, GET /v26.0/{waba id}/message_templates.
// Point an inbox's api_base at the server's URL, with or without a version.
func (f *Fake) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{phone}/messages", f.messages)
	mux.HandleFunc("POST /{version}/{phone}/messages", f.messages)
	mux.HandleFunc("GET /whatsapp_business/attachments/", f.mediaDownload)
	mux.HandleFunc("GET /{media}", f.mediaInfo)
	mux.HandleFunc("GET /{version}/{media}", func(w http.ResponseWriter, r *http.Request) {
		if templateListRE.MatchString(r.URL.Path) {
			f.templateList(w, r)
			return
		}
		if !isMediaID(r.PathValue("media")) {
			http.NotFound(w, r)
			return
		}
		f.mediaInfo(w, r)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// Not a pattern of its own: it would overlap the media download's.
		if r.Method == http.MethodGet && templateListRE.MatchString(r.URL.Path) {
			f.templateList(w, r)
			return
		}
		writeError(w, http.StatusBadRequest, 100, "Unsupported request", "The fake serves only POST /{phone-number-id}/messages.")
	})
	return mux
}
