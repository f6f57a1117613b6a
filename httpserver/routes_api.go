package httpserver

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.yaml
var openAPI []byte

// apiRoutes is the route table of the JSON API. Path parameters are named
// for what they hold ({code} is a place code, {userID} a user ID), and
// the route-walk test knows how to fill each name.
func (s *Server) apiRoutes() []route {
	return []route{
		{method: "GET", pattern: "/api/v1/openapi.yaml", h: s.apiOpenAPI, public: true},
		{method: "POST", pattern: "/api/v1/auth/token", h: s.apiToken, public: true},
		{method: "DELETE", pattern: "/api/v1/auth/token", h: s.apiRevokeToken, duringPasswordChange: true},
		{method: "GET", pattern: "/api/v1/me", h: s.apiMe, duringPasswordChange: true},
		{method: "POST", pattern: "/api/v1/me/password", h: s.apiChangePassword, duringPasswordChange: true},

		{method: "GET", pattern: "/api/v1/places", h: s.apiPlaces},
		{method: "POST", pattern: "/api/v1/places", h: s.apiCreatePlace},
		{method: "POST", pattern: "/api/v1/places/import", h: s.apiImportPlaces, maxBody: uploadMaxBody},
		{method: "GET", pattern: "/api/v1/places/{code}", h: s.apiPlace},
		{method: "PATCH", pattern: "/api/v1/places/{code}", h: s.apiUpdatePlace},

		{method: "GET", pattern: "/api/v1/users", h: s.apiUsers},
		{method: "POST", pattern: "/api/v1/users", h: s.apiCreateUser},
		{method: "GET", pattern: "/api/v1/users/{userID}", h: s.apiUser},
		{method: "PATCH", pattern: "/api/v1/users/{userID}", h: s.apiUpdateUser},
		{method: "POST", pattern: "/api/v1/users/{userID}/password", h: s.apiResetPassword},

		{method: "GET", pattern: "/api/v1/audit", h: s.apiAudit},
	}
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Write(openAPI)
	return nil
}
