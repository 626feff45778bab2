package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// static holds the vendored front-end files (htmx 2.0.11, Pico CSS 2.1.1, from npm with their
// licenses) and Ponte's own.
//
//go:embed static
var staticFS embed.FS

// assets serves the embedded files under /static/{hash}/{name}: the hash changes with the
// content, so browsers may keep a file for a year and still never use a stale one.
type assets struct {
	byName map[string]asset // "pico.min.css" → its file
	byPath map[string]asset // "/static/3fa9…/pico.min.css" → the same
}

type asset struct {
	url  string
	body []byte
	ct   string
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]asset{}, byPath: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := path.Base(p)
		if !strings.HasSuffix(name, ".js") && !strings.HasSuffix(name, ".css") {
			return nil // licenses stay in the tree, next to their file
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := "text/css; charset=utf-8"
		if strings.HasSuffix(name, ".js") {
			ct = "text/javascript; charset=utf-8"
		}
		as := asset{url: "/static/" + hex.EncodeToString(sum[:6]) + "/" + name, body: b, ct: ct}
		a.byName[name], a.byPath[as.url] = as, as
		return nil
	})
	return a, err
}

// url is the template function giving an asset's hashed URL.
func (a *assets) url(name string) string { return a.byName[name].url }

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	as, ok := a.byPath[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", as.ct)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(as.body)
}
