package httpserver

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"safetynet"
)

// Every string a client sends is checked here for the NUL character
// (U+0000): PostgreSQL cannot store it in text, SQLite would store it
// silently, and no form or ledger field ever needs it. Checking once at
// the edge covers every route: the JSON decoder (decodeJSON), the form
// parsers (parseForm, parseMultipartForm; wrap parses every plain web
// form) and wrap for paths and query strings.

// errNUL names the field holding a NUL character.
func errNUL(field string) error {
	return safetynet.Invalid(field, "字段“%s”含有不允许的空字符（U+0000）",
		"field %q contains the NUL character (U+0000), which is not allowed", field)
}

// nulField returns the path of the first string in a decoded JSON value
// holding a NUL character ("head.name", "members[2]"); object keys are
// visited in sorted order.
func nulField(v any, path string) (string, bool) {
	switch x := v.(type) {
	case string:
		return path, strings.IndexByte(x, 0) >= 0
	case []any:
		for i, el := range x {
			if p, ok := nulField(el, path+"["+strconv.Itoa(i)+"]"); ok {
				return p, true
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if strings.IndexByte(k, 0) >= 0 {
				return joinPath(path, strings.ReplaceAll(k, "\x00", `\u0000`)), true
			}
			if p, ok := nulField(x[k], joinPath(path, k)); ok {
				return p, true
			}
		}
	}
	return "", false
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// checkNULValues refuses form or query values holding a NUL character.
func checkNULValues(vs url.Values) error {
	names := make([]string, 0, len(vs))
	for k := range vs {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if strings.IndexByte(k, 0) >= 0 {
			return errNUL(strings.ReplaceAll(k, "\x00", `\u0000`))
		}
		for _, v := range vs[k] {
			if strings.IndexByte(v, 0) >= 0 {
				return errNUL(k)
			}
		}
	}
	return nil
}

// checkNULRequest refuses a path or query string holding a NUL character;
// bodies are checked where they are decoded (decodeJSON, parseForm).
func checkNULRequest(r *http.Request) error {
	if strings.IndexByte(r.URL.Path, 0) >= 0 {
		return errNUL("path")
	}
	return checkNULValues(r.URL.Query())
}

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/")
}
