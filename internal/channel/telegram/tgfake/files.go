package tgfake

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
)

// Files, as the Bot API serves them (core.telegram.org/bots/api#getfile):
// getFile exchanges a file_id for a file_path, downloaded from
// /file/bot<token>/<file_path> for at least an hour.

type file struct {
	path string
	data []byte
}

// AddFile makes a customer's file available under fileID, as Telegram
// keeps the files of the messages it delivers.
func (f *Fake) AddFile(fileID, name string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.files == nil {
		f.files = map[string]file{}
	}
	f.files[fileID] = file{path: "documents/file_" + strconv.Itoa(len(f.files)) + "_" + name, data: data}
}

func (f *Fake) getFile(w http.ResponseWriter, p params, _ []byte) {
	id := p.str("file_id")
	f.mu.Lock()
	fl, ok := f.files[id]
	f.mu.Unlock()
	if !ok {
		writeError(w, http.StatusBadRequest, "Bad Request: invalid file_id")
		return
	}
	writeOK(w, map[string]any{"file_id": id, "file_unique_id": "u" + id, "file_size": len(fl.data), "file_path": fl.path}, "")
}

func (f *Fake) download(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.PathValue("bot"), "bot")
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(f.Token)) != 1 {
		writeError(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, fl := range f.files {
		if fl.path == r.PathValue("path") {
			w.Header().Set("Content-Length", strconv.Itoa(len(fl.data)))
			w.Write(fl.data)
			return
		}
	}
	writeError(w, http.StatusNotFound, "Not Found")
}
