package httpapi

import (
	"bytes"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite docs/openapi.yaml from httpapi/openapi.yaml")

// TestOpenAPIRoutes holds the OpenAPI document to the route table: every
// route is described, and nothing is described that is not a route.
func TestOpenAPIRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                          `yaml:"openapi"`
		Paths   map[string]map[string]yaml.Node `yaml:"paths"`
		Comps   map[string]map[string]yaml.Node `yaml:"components"`
	}
	if err := yaml.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q, want 3.1", doc.OpenAPI)
	}
	methods := map[string]bool{"get": true, "post": true, "put": true, "patch": true, "delete": true, "head": true, "options": true}
	described := map[string]bool{}
	for path, ops := range doc.Paths {
		for m := range ops {
			if methods[m] {
				described[strings.ToUpper(m)+" "+path] = true
			}
		}
	}
	rest := regexp.MustCompile(`\{(\w+)\.\.\.\}`)
	declared := map[string]bool{}
	for _, rt := range routes {
		declared[rt.Method+" "+rest.ReplaceAllString(rt.Pattern, "{$1}")] = true
	}
	for k := range declared {
		if !described[k] {
			t.Errorf("route %s is missing from openapi.yaml", k)
		}
	}
	for k := range described {
		if !declared[k] {
			t.Errorf("openapi.yaml describes %s, which is no route", k)
		}
	}
	// Every $ref resolves.
	refs := regexp.MustCompile(`\$ref: "#/components/(\w+)/(\w+)"`).FindAllSubmatch(openAPIDoc, -1)
	for _, m := range refs {
		if _, ok := doc.Comps[string(m[1])][string(m[2])]; !ok {
			t.Errorf("unresolved $ref %s/%s", m[1], m[2])
		}
	}
}

// TestOpenAPIServed: the document is served as it is, and docs/openapi.yaml
// is the same document (go test ./httpapi -run TestOpenAPIServed -update
// rewrites it).
func TestOpenAPIServed(t *testing.T) {
	f := newFixture(t)
	w := f.do("GET", "/v1/openapi.yaml", "", nil)
	if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), openAPIDoc) {
		t.Errorf("served %d, %d bytes", w.Code, w.Body.Len())
	}
	docs := filepath.Join("..", "docs", "openapi.yaml")
	if *update {
		if err := os.WriteFile(docs, openAPIDoc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(docs)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, openAPIDoc) {
		t.Error("docs/openapi.yaml differs from httpapi/openapi.yaml; run go test ./httpapi -run TestOpenAPIServed -update")
	}
}

// TestOpenAPIResponses: every operation has a success response, and every
// error response is the Error body.
func TestOpenAPIResponses(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	for path, ops := range doc.Paths {
		for m, node := range ops {
			if m == "parameters" {
				continue
			}
			var op struct {
				Responses map[string]struct {
					Ref string `yaml:"$ref"`
				} `yaml:"responses"`
			}
			if err := node.Decode(&op); err != nil {
				t.Fatalf("%s %s: %v", m, path, err)
			}
			ok := false
			for code, r := range op.Responses {
				switch {
				case strings.HasPrefix(code, "2"):
					ok = true
				case r.Ref != "#/components/responses/Error":
					t.Errorf("%s %s: response %s is not the Error body", m, path, code)
				}
			}
			if !ok {
				t.Errorf("%s %s has no success response", m, path)
			}
		}
	}
}
