package httpserver

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"safetynet"
)

// Every string a client sends is checked here for the NUL character
// (U+0000) and for bytes that are not UTF-8: PostgreSQL can neither store
// nor compare them in text, SQLite would store them silently, and no form
// or ledger field ever needs them. (JSON strings are always UTF-8: the
// decoder replaces bad bytes.) Checking once at
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

// checkFormText refuses form or query values holding a NUL character or
// bytes that are not UTF-8 (a %FF in a query answered 500 on PostgreSQL).
func checkFormText(vs url.Values) error {
	names := make([]string, 0, len(vs))
	for k := range vs {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if err := checkText(k, k); err != nil {
			return errBadText(strings.ToValidUTF8(strings.ReplaceAll(k, "\x00", `\u0000`), "\uFFFD"), err)
		}
		for _, v := range vs[k] {
			if err := checkText(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkText refuses a value of field that holds NUL or is not UTF-8.
func checkText(field, v string) error {
	if strings.IndexByte(v, 0) >= 0 {
		return errNUL(field)
	}
	if !utf8.ValidString(v) {
		return safetynet.Invalid(field, "字段“%s”含有无效字符（不是 UTF-8 文本）", "field %q holds bytes that are not UTF-8 text", field)
	}
	return nil
}

// errBadText names a field whose very name is refused.
func errBadText(name string, err error) error {
	if e := safetynet.AsError(err); e != nil {
		return &safetynet.Error{Code: e.Code, Field: name, ZH: e.ZH, EN: e.EN}
	}
	return err
}

// checkRequestText refuses a path or query string holding a NUL character
// or bytes that are not UTF-8; bodies are checked where they are decoded
// (decodeJSON, parseForm).
func checkRequestText(r *http.Request) error {
	if err := checkText("path", r.URL.Path); err != nil {
		return err
	}
	return checkFormText(r.URL.Query())
}

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/")
}
