package httpserver

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/i18n"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// page is what every template receives.
type page struct {
	Lang   string
	Title  string
	User   *safetynet.User
	Path   string // the current URL, for the language switch
	Flash  string
	Error  *safetynet.Error // the error of a submitted form
	Data   any
	Unread int // unread notifications, for the menu

	actor     access.Actor
	names     *nameCache // display names of the people a page mentions
	measures  func() map[string]safetynet.Measure
	placeName func(code string) string
}

// nameCache turns login names into display names for one page, looking
// each up once.
type nameCache struct {
	lookup func(username string) string
	seen   map[string]string
}

// Who shows a person by display name, marked as user data; the command
// line and background jobs are shown as "the system". Login names are
// only shown when a user has no display name.
func (p *page) Who(username string) template.HTML {
	switch username {
	case "":
		return ""
	case "system", "cli":
		return template.HTML(template.HTMLEscapeString(p.T("common.system")))
	}
	name := username
	if p.names != nil {
		n, ok := p.names.seen[username]
		if !ok {
			n = p.names.lookup(username)
			p.names.seen[username] = n
		}
		if n != "" {
			name = n
		}
	}
	return userData(name)
}

// Here marks the menu entry of the current page for screen readers and
// the eye: a page under /households/ belongs to 台账 and so on.
func (p *page) Here(section string) template.HTMLAttr {
	path, _, _ := strings.Cut(p.Path, "?")
	sections := map[string][]string{
		"/register": {"/register", "/households/", "/persons/", "/imports", "/export", "/duplicates"},
		"/work":     {"/work", "/clues/", "/cases/"},
		"/places":   {"/places"},
		"/users":    {"/users"},
		"/account":  {"/account"},
	}
	prefixes, ok := sections[section]
	if !ok {
		prefixes = []string{section}
	}
	for _, pre := range prefixes {
		if path == pre || (pre != "/" && strings.HasPrefix(path, strings.TrimSuffix(pre, "/")+"/")) {
			return ` aria-current="page"`
		}
	}
	return ""
}

// userData marks text people entered (names, places, addresses, notes),
// so that language checks skip it and it keeps its own direction.
func userData(s string) template.HTML {
	if s == "" {
		return ""
	}
	return template.HTML(`<span data-user>` + template.HTMLEscapeString(s) + `</span>`)
}

// T translates key into the page's language.
func (p *page) T(key string) string { return i18n.T(p.Lang, key) }

// Can reports whether the viewer has a permission, for menus and buttons.
func (p *page) Can(perm string) bool { return p.User != nil && p.actor.Can(access.Permission(perm)) }

// ErrorText is the form error in the page's language.
func (p *page) ErrorText() string {
	if p.Error == nil {
		return ""
	}
	return p.Error.Message(p.Lang)
}

// FieldError returns the form error if it concerns field.
func (p *page) FieldError(field string) string {
	if p.Error == nil || p.Error.Field != field {
		return ""
	}
	return p.Error.Message(p.Lang)
}

// Level returns the name of a place level in the page's language.
func (p *page) Level(l safetynet.Level) string { return l.Label(p.Lang) }

// Role returns the name of a role in the page's language.
func (p *page) Role(r safetynet.Role) string { return r.Label(p.Lang) }

// Time formats a time for display in the server's zone; zero is "—".
func (p *page) Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// staticFiles serves the embedded assets with long caching; their URLs
// carry a content hash so that a new release is fetched at once.
type staticFiles struct {
	handler http.Handler
	hashes  map[string]string
}

func loadStatic() (staticFiles, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return staticFiles{}, err
	}
	st := staticFiles{hashes: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		st.hashes[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("httpserver: static files: %w", err)
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	st.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		files.ServeHTTP(w, r)
	})
	return st, nil
}

func (st staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) { st.handler.ServeHTTP(w, r) }

// url returns the versioned URL of an asset.
func (st staticFiles) url(name string) string {
	return "/static/" + name + "?v=" + st.hashes[name]
}

// parseTemplates parses every page with the layout, once, at start-up.
func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"static": s.static.url,
		"join":   strings.Join,
		"add":    func(a, b int) int { return a + b },
		// dict passes several values to a partial: dict "Page" . "Form" $f.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key-value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"list":      func(v ...string) []string { return v },
		"u":         userData,
		"hasPrefix": strings.HasPrefix,
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return nil, fmt.Errorf("httpserver: template %s: %w", n, err)
		}
		pages[base] = t
	}
	return pages, nil
}

// render writes a page. The page is rendered to a buffer first so that a
// template error becomes a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, rc *reqCtx, status int, name, titleKey string, data any, formErr error) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("httpserver: no template %q", name)
	}
	p := &page{Lang: rc.lang, Path: r.URL.RequestURI(), Data: data, actor: rc.actor}
	p.names = &nameCache{seen: map[string]string{}, lookup: func(username string) string {
		// Anyone acting on a record the viewer sees may be named to them.
		u, err := s.store.UserByUsername(r.Context(), access.System(), username)
		if err != nil {
			return ""
		}
		return u.DisplayName
	}}
	places := map[string]string{}
	p.placeName = func(code string) string {
		n, ok := places[code]
		if !ok {
			// Named only if the viewer may see the place.
			if pl, err := s.store.Place(r.Context(), rc.actor, code); err == nil {
				n = pl.Name
			}
			places[code] = n
		}
		return n
	}
	var catalogue map[string]safetynet.Measure
	p.measures = func() map[string]safetynet.Measure {
		if catalogue == nil {
			catalogue = map[string]safetynet.Measure{}
			ms, _ := s.store.Measures(r.Context(), true)
			for _, m := range ms {
				catalogue[m.Code] = m
			}
		}
		return catalogue
	}
	p.Title = p.T(titleKey)
	if rc.loggedIn {
		p.User = &rc.user
		p.Unread, _ = s.store.Unread(r.Context(), rc.actor)
	}
	if c, err := r.Cookie("flash"); err == nil {
		if i18n.Has(p.Lang, c.Value) {
			p.Flash = p.T(c.Value)
		}
		http.SetCookie(w, &http.Cookie{Name: "flash", Path: "/", MaxAge: -1})
	}
	if formErr != nil {
		p.Error = s.publicError(r, formErr)
		if status == http.StatusOK {
			status = statusOf(p.Error)
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("httpserver: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// flashRedirect redirects after a successful form post, with a message key
// shown once on the next page.
func (s *Server) flashRedirect(w http.ResponseWriter, r *http.Request, to, msgKey string) {
	http.SetCookie(w, &http.Cookie{Name: "flash", Value: msgKey, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure})
	http.Redirect(w, r, to, http.StatusSeeOther)
}

type errorPage struct {
	Status  int
	Message string
}

// webError shows an error page in the user's language.
func (s *Server) webError(w http.ResponseWriter, r *http.Request, rc *reqCtx, err error) {
	e := s.publicError(r, err)
	status := statusOf(e)
	if e.Code == safetynet.EUnauthorized && !rc.loggedIn {
		http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if err := s.render(w, r, rc, status, "error", "error.title", errorPage{Status: status, Message: e.Message(rc.lang)}, nil); err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, e.Message(rc.lang), status)
	}
}
