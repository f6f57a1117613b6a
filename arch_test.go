package safetynet

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDomainImportsNoTechnology keeps the domain packages free of HTTP and
// SQL, directly or through another package of the module: the kernel, the
// access decisions and each capability's package of rules.
func TestDomainImportsNoTechnology(t *testing.T) {
	forbidden := map[string]bool{"net/http": true, "database/sql": true}
	for _, pkg := range []string{".", "access", "relay", "register", "rules", "feeds"} {
		t.Run(pkg, func(t *testing.T) {
			seen := map[string]bool{}
			var walk func(dir, via string)
			walk = func(dir, via string) {
				if seen[dir] {
					return
				}
				seen[dir] = true
				for _, imp := range packageImports(t, dir) {
					if forbidden[imp] {
						t.Errorf("%s imports %s (via %s)", pkg, imp, via+dir)
					}
					if rest, ok := strings.CutPrefix(imp, "safetynet/"); ok {
						walk(rest, via+dir+" → ")
					}
				}
			}
			walk(pkg, "")
		})
	}
}

// packageImports lists the imports of the non-test Go files in dir.
func packageImports(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(fset, f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range af.Imports {
			p, _ := strconv.Unquote(s.Path.Value)
			out = append(out, p)
		}
	}
	return out
}
