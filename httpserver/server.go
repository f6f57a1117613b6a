// Package httpserver serves safetynet over HTTP: the JSON API under
// /api/v1 and the server-rendered web UI, from one route table per surface
// (routes.go). All state lives in the store, so several processes can
// serve the same PostgreSQL database side by side.
//
// A request passes, in order: recovery, logging and metrics, security
// headers, body limits, cross-origin protection, and authentication
// (session cookie or bearer token), before its handler runs. Handlers
// return errors; one function per surface turns them into responses.
//
// The server runs no background work: the escalation sweep, the outbox
// and housekeeping are in package jobs, started by the command's wiring.
package httpserver

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"safetynet/sqlstore"
)

// Config wires a Server.
type Config struct {
	Store   *sqlstore.Store
	Logger  *slog.Logger
	Version string
	// SecureCookies sets the Secure flag on cookies; turn it on when the
	// server is reached over HTTPS.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For, as set by a
	// reverse proxy in front of the server.
	TrustProxy bool
	// Registry receives the server's metrics; a new one is made if nil.
	Registry *prometheus.Registry
}

// Server is the HTTP face of safetynet.
type Server struct {
	store   *sqlstore.Store
	log     *slog.Logger
	version string
	secure  bool
	proxy   bool
	metrics *metrics
	pages   map[string]*template.Template
	static  staticFiles
	handler http.Handler
	routes  []route
}

// New builds a Server. Templates and static files are parsed here, so a
// broken template stops the start-up rather than a page view.
func New(cfg Config) (*Server, error) {
	s := &Server{store: cfg.Store, log: cfg.Logger, version: cfg.Version, secure: cfg.SecureCookies, proxy: cfg.TrustProxy}
	if s.log == nil {
		s.log = slog.Default()
	}
	reg := cfg.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s.metrics = newMetrics(reg, cfg.Store)
	var err error
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	for _, rt := range s.apiRoutes() {
		rt.api = true // every API route answers in JSON
		s.routes = append(s.routes, rt)
	}
	s.routes = append(s.routes, s.webRoutes()...)
	for _, rt := range s.routes {
		mux.Handle(rt.method+" "+rt.pattern, s.wrap(rt))
	}
	mux.Handle("GET /metrics", s.metrics.handler(reg))
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /static/", s.static)
	mux.HandleFunc("/", s.notFound)
	s.handler = s.recoverer(s.logRequests(gzipResponses(s.securityHeaders(crossOrigin(mux)))))
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// RouteInfo describes a route, for tests that must visit every route.
type RouteInfo struct {
	Method, Pattern string
	Public          bool
	API             bool
}

// Routes lists every route of both surfaces.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, 0, len(s.routes))
	for _, rt := range s.routes {
		out = append(out, RouteInfo{Method: rt.method, Pattern: rt.pattern, Public: rt.public, API: rt.api})
	}
	return out
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("healthz", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("store unavailable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}
