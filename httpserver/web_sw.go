package httpserver

import (
	"io/fs"
	"net/http"
)

// serviceWorker serves /sw.js from the root so that it may keep /report
// for offline use; it is never cached by the browser's HTTP cache, so a
// new release takes over at once.
func (s *Server) serviceWorker(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	b, err := fs.ReadFile(staticFS, "static/sw.js")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Service-Worker-Allowed", "/")
	_, err = w.Write(b)
	return err
}
