package httpapi

import (
	"bytes"
	_ "embed"
	"net/http"

	"github.com/govshare/govshare"
)

// route is one route of the API. The table below is the one declaration:
// New registers it, and a test holds docs/openapi.yaml to it path for path
// and method for method.
type route struct {
	Method  string
	Pattern string // a net/http pattern without the method
	// Public routes need no actor: the API's own description.
	Public bool
	serve  func(h *Handler, w http.ResponseWriter, r *http.Request, a govshare.Actor) error
}

var routes = []route{
	{Method: "GET", Pattern: "/v1/openapi.yaml", Public: true, serve: (*Handler).openAPI},

	{Method: "POST", Pattern: "/v1/applications", serve: (*Handler).createApplication},
	{Method: "GET", Pattern: "/v1/applications", serve: (*Handler).listApplications},
	{Method: "GET", Pattern: "/v1/applications/{id}", serve: (*Handler).getApplication},
	{Method: "POST", Pattern: "/v1/applications/{id}/commands", serve: (*Handler).command},
	{Method: "GET", Pattern: "/v1/applications/{id}/timeline", serve: (*Handler).timeline},
	{Method: "GET", Pattern: "/v1/applications/{id}/verification", serve: (*Handler).verification},
	{Method: "GET", Pattern: "/v1/states", serve: (*Handler).states},

	{Method: "GET", Pattern: "/v1/deadline", serve: (*Handler).deadline},
	{Method: "GET", Pattern: "/v1/calendar/{year}/{month}", serve: (*Handler).calendarMonth},
	{Method: "GET", Pattern: "/v1/clock", serve: (*Handler).clock},

	{Method: "POST", Pattern: "/v1/catalog/lint", serve: (*Handler).lint},
	{Method: "GET", Pattern: "/v1/catalog/template", serve: (*Handler).template},
	{Method: "GET", Pattern: "/v1/catalog/entries", serve: (*Handler).findEntries},
	{Method: "GET", Pattern: "/v1/catalog/entries/{id...}", serve: (*Handler).getEntry},

	{Method: "POST", Pattern: "/v1/gateway/authorize", serve: (*Handler).authorize},
	{Method: "GET", Pattern: "/v1/gateway/records", serve: (*Handler).accessRecords},

	{Method: "GET", Pattern: "/v1/reports/supervision", serve: (*Handler).report},

	{Method: "GET", Pattern: "/v1/audit/checkpoints", serve: (*Handler).checkpoints},
	{Method: "POST", Pattern: "/v1/audit/checkpoints", serve: (*Handler).checkpoint},
	{Method: "GET", Pattern: "/v1/audit/records/{seq}/proof", serve: (*Handler).proof},
}

//go:embed openapi.yaml
var openAPIDoc []byte

// OpenAPI returns the OpenAPI 3.1 description of the API (a copy), the
// document served at /v1/openapi.yaml; docs/openapi.yaml is the same.
func OpenAPI() []byte { return bytes.Clone(openAPIDoc) }

func (h *Handler) openAPI(w http.ResponseWriter, _ *http.Request, _ govshare.Actor) error {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, _ = w.Write(openAPIDoc)
	return nil
}
