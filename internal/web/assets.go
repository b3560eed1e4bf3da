package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file, served under a name that contains a
// hash of its content, so it can be cached for a year and a new build is
// fetched at once.
type asset struct {
	data        []byte
	contentType string
	etag        string
}

type assetSet struct {
	byHashed map[string]*asset // "app.3f2a9c1b07.css" → file
	hashed   map[string]string // "app.css" → "app.3f2a9c1b07.css"
}

func mustAssets() *assetSet {
	set := &assetSet{byHashed: map[string]*asset{}, hashed: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:])[:12]
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + h + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		set.hashed[name] = hashed
		set.byHashed[hashed] = &asset{data: data, contentType: ct, etag: `"` + h + `"`}
		return nil
	})
	if err != nil {
		panic("web: embedded assets: " + err.Error())
	}
	return set
}

// url returns the path at which a static file is served.
func (s *assetSet) url(name string) string {
	h, ok := s.hashed[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + h
}

// serveAsset serves an embedded file by its hashed name, with a year-long,
// immutable cache and an ETag.
func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := h.assets.byHashed[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", a.etag)
	if r.Header.Get("If-None-Match") == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(a.data)
}
