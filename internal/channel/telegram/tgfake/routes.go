package tgfake

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// Handler serves the Bot API at /bot<token>/<method>, by GET or POST:
// getMe, sendMessage, setWebhook, deleteWebhook, getWebhookInfo, getUpdates
// and getFile, and files at /file/bot<token>/<file_path>. A wrong token is answered 401 Unauthorized and an unknown
// method 404 Not Found, with the Bot API's error envelope, as
// api.telegram.org answers them. Point an inbox's api_base at the server's
// URL.
func (f *Fake) Handler() http.Handler {
	methods := map[string]func(http.ResponseWriter, params, []byte){
		"getme":          f.getMe,
		"sendmessage":    f.sendMessage,
		"setwebhook":     f.setWebhook,
		"deletewebhook":  f.deleteWebhook,
		"getwebhookinfo": f.getWebhookInfo,
		"getupdates":     f.getUpdates,
		"getfile":        f.getFile,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /file/{bot}/{path...}", f.download)
	mux.HandleFunc("/{bot}/{method}", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed")
			return
		}
		token, ok := strings.CutPrefix(r.PathValue("bot"), "bot")
		if !ok {
			writeError(w, http.StatusNotFound, "Not Found")
			return
		}
		if subtle.ConstantTimeCompare([]byte(token), []byte(f.Token)) != 1 {
			writeError(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
		// Method names are case-insensitive.
		m, ok := methods[strings.ToLower(r.PathValue("method"))]
		if !ok {
			writeError(w, http.StatusNotFound, "Not Found")
			return
		}
		p, body, err := readParams(r)
		if err != nil {
			writeError(w, http.StatusBadRequest, "Bad Request: "+err.Error())
			return
		}
		m(w, p, body)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Not Found")
	})
	return mux
}
