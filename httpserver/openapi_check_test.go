package httpserver_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// The API tests run against a server wrapped by checkAPI: every answer
// under /api/ is validated against openapi.yaml for its route, method and
// status (a status the document does not declare fails too), so a handler
// that adds, drops or retypes a field fails whichever test called it.

// apiSpec is openapi.yaml, loaded and checked once per test binary.
type apiSpec struct {
	doc    *openapi3.T
	router routers.Router

	mu   sync.Mutex
	seen map[string]bool // "METHOD /pattern status" answers validated so far
}

var (
	specOnce   sync.Once
	specLoaded *apiSpec
	specErr    error
)

func loadSpec(t testing.TB) *apiSpec {
	t.Helper()
	specOnce.Do(func() {
		data, err := os.ReadFile("openapi.yaml")
		if err != nil {
			specErr = err
			return
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(data)
		if err != nil {
			specErr = fmt.Errorf("openapi.yaml: %w", err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			specErr = fmt.Errorf("openapi.yaml is not a valid OpenAPI document: %w", err)
			return
		}
		doc.Servers = nil // match paths on any host
		router, err := legacy.NewRouter(doc)
		if err != nil {
			specErr = err
			return
		}
		specLoaded = &apiSpec{doc: doc, router: router, seen: map[string]bool{}}
	})
	if specErr != nil {
		t.Fatal(specErr)
	}
	return specLoaded
}

// check validates one answer to req. It returns nil for answers outside
// the API.
func (s *apiSpec) check(req *http.Request, status int, header http.Header, body []byte) error {
	if !strings.HasPrefix(req.URL.Path, "/api/") || req.Method == http.MethodHead {
		return nil // HEAD answers carry no body to check
	}
	// Route on the path as sent, so that an escaped slash stays inside
	// its path parameter as it does for the server's mux.
	routed := req.Clone(req.Context())
	routed.URL.Path, routed.URL.RawPath = req.URL.EscapedPath(), ""
	route, params, err := s.router.FindRoute(routed)
	if err != nil {
		// An unknown API path must answer the JSON error of a missing page.
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			return fmt.Errorf("no route in openapi.yaml for %s %s (status %d)", req.Method, req.URL.Path, status)
		}
		return s.checkError(header, body)
	}
	// A JSON answer needs a schema to be checked against: kin-openapi
	// would accept any body for a response declared without one.
	if strings.HasPrefix(header.Get("Content-Type"), "application/json") {
		if ref := route.Operation.Responses.Status(status); ref != nil && ref.Value != nil {
			if mt := ref.Value.Content.Get("application/json"); mt == nil || mt.Schema == nil {
				return fmt.Errorf("openapi.yaml declares no JSON schema for %s %s %d", req.Method, route.Path, status)
			}
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return err
	}
	s.mu.Lock()
	s.seen[fmt.Sprintf("%s %s %d", req.Method, route.Path, status)] = true
	s.mu.Unlock()
	return nil
}

// validated reports whether an answer of this status to this route has
// passed the check.
func (s *apiSpec) validated(method, pattern string, status int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[fmt.Sprintf("%s %s %d", method, pattern, status)]
}

// checkError validates body against the Error schema.
func (s *apiSpec) checkError(header http.Header, body []byte) error {
	if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("error answer has Content-Type %q", ct)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return s.doc.Components.Schemas["Error"].Value.VisitJSON(v, openapi3.MultiErrors())
}

// checkAPI wraps the server so that every API answer is validated; a
// mismatch fails t with the request, the status and the body.
func checkAPI(t testing.TB, h http.Handler) http.Handler {
	spec := loadSpec(t)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		checked := body
		if rec.Header().Get("Content-Encoding") == "gzip" { // the client accepts gzip: check what it unpacks
			if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
				checked, _ = io.ReadAll(zr)
			}
		}
		if err := spec.check(r, rec.Code, rec.Header(), checked); err != nil {
			t.Errorf("%s %s answered %d, which openapi.yaml does not allow: %v\nbody: %.600s", r.Method, r.URL.RequestURI(), rec.Code, err, body)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(bytes.Clone(body))
	})
}
