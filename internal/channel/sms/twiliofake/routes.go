package twiliofake

import "net/http"

// Handler serves the Messages resource: POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json. Point an inbox's
// api_base at the server's URL.
func (f *Fake) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{account}/Messages.json", f.createMessage)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
	})
	return mux
}
