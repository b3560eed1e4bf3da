package wafake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Media, as the Cloud API serves it: GET /{media-id} answers the media's
// download URL, which is fetched with the same bearer token.

type media struct {
	mime string
	data []byte
}

// AddMedia makes a customer's file available under id, as WhatsApp keeps
// the media of the messages it delivers.
func (f *Fake) AddMedia(id, mimeType string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.media == nil {
		f.media = map[string]media{}
	}
	f.media[id] = media{mime: mimeType, data: data}
}

func (f *Fake) authorized(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") != "Bearer "+f.AccessToken {
		writeError(w, http.StatusUnauthorized, 190, "OAuthException", "Invalid OAuth access token - Cannot parse access token")
		return false
	}
	return true
}

func (f *Fake) mediaInfo(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(w, r) {
		return
	}
	id := r.PathValue("media")
	f.mu.Lock()
	m, ok := f.media[id]
	f.mu.Unlock()
	if !ok {
		writeError(w, http.StatusBadRequest, 100, "GraphMethodException", "Unsupported get request. Object with ID '"+id+"' does not exist")
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"messaging_product": "whatsapp", "id": id, "mime_type": m.mime,
		"file_size": len(m.data), "sha256": "", "url": scheme + "://" + r.Host + "/whatsapp_business/attachments/?mid=" + id})
}

func (f *Fake) mediaDownload(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(w, r) {
		return
	}
	f.mu.Lock()
	m, ok := f.media[r.URL.Query().Get("mid")]
	f.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", m.mime)
	w.Header().Set("Content-Length", strconv.Itoa(len(m.data)))
	w.Write(m.data)
}

// isMediaID reports whether a path segment is a media id (digits), not a
// version ("v26.0").
func isMediaID(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
