package httpserver_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestGzip: a phone that accepts gzip gets pages, the style sheet, the
// script and JSON compressed, and the same content once unpacked; a client
// that does not gets them as they are, and images are not compressed again.
func TestGzip(t *testing.T) {
	e := newEnv(t)
	tok := e.token("village")
	login := e.do("GET", "/login", "", "")
	css := regexp.MustCompile(`/static/app\.css\?v=[0-9a-f]+`).FindString(login.body)
	if css == "" {
		t.Fatalf("no style sheet linked from the login page")
	}
	for _, c := range []struct {
		name, path, token, kind string
	}{
		{"page", "/login", "", "text/html"},
		{"style sheet", css, "", "text/css"},
		{"script", "/static/app.js", "", "javascript"},
		{"JSON", "/api/v1/places", tok, "application/json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			plain := e.do("GET", c.path, c.token, "")
			zipped := e.do("GET", c.path, c.token, "", "Accept-Encoding", "gzip, deflate, br")
			if plain.status != http.StatusOK || zipped.status != http.StatusOK {
				t.Fatalf("status %d / %d: %s", plain.status, zipped.status, plain.body)
			}
			if !strings.Contains(zipped.header.Get("Content-Type"), c.kind) {
				t.Errorf("Content-Type = %q", zipped.header.Get("Content-Type"))
			}
			if got := plain.header.Get("Content-Encoding"); got != "" {
				t.Errorf("without Accept-Encoding: Content-Encoding = %q", got)
			}
			if got := zipped.header.Get("Content-Encoding"); got != "gzip" {
				t.Fatalf("with Accept-Encoding gzip: Content-Encoding = %q", got)
			}
			if !strings.Contains(zipped.header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary = %q", zipped.header.Get("Vary"))
			}
			zr, err := gzip.NewReader(bytes.NewReader([]byte(zipped.body)))
			if err != nil {
				t.Fatal(err)
			}
			unpacked, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if c.name != "page" && string(unpacked) != plain.body { // pages carry a fresh CSRF token each time
				t.Errorf("unpacked body differs from the plain one")
			}
			if len(zipped.body) >= len(plain.body) {
				t.Errorf("compressed %d bytes, plain %d", len(zipped.body), len(plain.body))
			}
			t.Logf("%s: %d → %d bytes", c.path, len(plain.body), len(zipped.body))
		})
	}
	t.Run("not wanted or not text", func(t *testing.T) {
		if r := e.do("GET", "/static/app.css", "", "", "Accept-Encoding", "gzip;q=0"); r.header.Get("Content-Encoding") != "" {
			t.Errorf("gzip;q=0: Content-Encoding = %q", r.header.Get("Content-Encoding"))
		}
		if r := e.do("GET", "/static/icon.svg", "", "", "Accept-Encoding", "gzip"); r.status != 200 {
			t.Errorf("icon: %d", r.status)
		}
	})
}
