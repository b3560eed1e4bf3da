package metafake

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Meta's webhooks carry a customer's file as a URL on its CDN
// (scontent.xx.fbcdn.net/v/t1.15752-9/…_n.jpg?…&oh=…&oe=…, signed, and
// refused once its signature expires). The fake serves files at URLs of
// that shape on its own server, so an inbox whose api_base is the server
// fetches them as it would from Meta's CDN.

type mediaFile struct {
	contentType string
	data        []byte
}

// AddMedia stores a file and returns the CDN URL the fake serves it at,
// under base (the fake's server URL). contentType "" is sniffed from data.
func (f *Fake) AddMedia(base, contentType string, data []byte) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addMedia(base, contentType, data)
}

// addMedia is AddMedia; f.mu is held.
func (f *Fake) addMedia(base, contentType string, data []byte) string {
	if contentType == "" {
		contentType = http.DetectContentType(data)
	}
	if f.media == nil {
		f.media = map[string]mediaFile{}
	}
	n := f.next()
	name := fmt.Sprintf("%d_%d_n", 400000000+n, 100000+n)
	f.media[name] = mediaFile{contentType: contentType, data: append([]byte(nil), data...)}
	expires := f.now().Add(72 * time.Hour).Unix()
	return fmt.Sprintf("%s/v/t1.15752-9/%s.jpg?_nc_cat=1&oh=00_fake%08d&oe=%X", base, name, n, expires)
}

// ExpireMedia makes every file's URL refused, as Meta's CDN refuses a URL
// whose signature has expired.
func (f *Fake) ExpireMedia() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mediaExpired = true
}

// MediaFetches counts the requests the CDN answered.
func (f *Fake) MediaFetches() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mediaFetches
}

func (f *Fake) serveMedia(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if len(name) > 4 && name[len(name)-4:] == ".jpg" {
		name = name[:len(name)-4]
	}
	f.mu.Lock()
	f.mediaFetches++
	m, ok := f.media[name]
	expired := f.mediaExpired
	f.mu.Unlock()
	switch {
	case !ok:
		http.Error(w, "Bad URL hash", http.StatusNotFound)
	case expired:
		http.Error(w, "URL signature expired", http.StatusForbidden)
	case r.Header.Get("Authorization") != "" || r.URL.Query().Has("access_token"):
		// Meta's CDN needs no token; one sent here is one leaked.
		http.Error(w, "a token was sent to the CDN", http.StatusBadRequest)
	default:
		w.Header().Set("Content-Type", m.contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(m.data)))
		w.Header().Set("Cache-Control", "max-age=1209600, no-transform")
		w.Write(m.data)
	}
}
