package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// testOnly are helpers that reach past the store's rules or stand in for
// the outbox: they live in _test files and must not come back into the
// packages the binary is built from.
var testOnly = map[string]bool{"ExecRaw": true, "DumpForTest": true, "StringsForTest": true, "MemQueue": true, "MemEntry": true}

// TestNoTestHelpersInTheBinary parses every non-test file of the module
// (the test-support packages e2e and storetest aside) and fails on a
// test-only name or a name ending in ForTest.
func TestNoTestHelpersInTheBinary(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "e2e" || d.Name() == "storetest" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			var names []string
			switch d := decl.(type) {
			case *ast.FuncDecl:
				names = append(names, d.Name.Name)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						names = append(names, s.Name.Name)
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names = append(names, n.Name)
						}
					}
				}
			}
			for _, n := range names {
				if testOnly[n] || ast.IsExported(n) && strings.HasSuffix(n, "ForTest") {
					t.Errorf("%s declares %s: test helpers belong in _test files", path, n)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
