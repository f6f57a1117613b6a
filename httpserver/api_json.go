package httpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"safetynet"
)

// apiError writes err as a JSON error with its status.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, rc *reqCtx, err error) {
	e := s.publicError(r, err)
	if e.Code == safetynet.ETooMany {
		w.Header().Set("Retry-After", "900")
	}
	if e.Code == safetynet.EUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="safetynet"`)
	}
	writeJSON(w, statusOf(e), errorBody(e, rc.lang))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// decodeJSON reads one JSON object into dst. A body that is not an object
// (null, [], "x"), unknown fields, trailing data, wrong types, malformed
// JSON and strings holding NUL are client errors that say what is wrong
// and where.
func decodeJSON(r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return safetynet.Errorf(safetynet.EUnsupported, "", "请求内容必须是 JSON（Content-Type: application/json）",
				"the request body must be JSON (Content-Type: application/json)")
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return jsonError(err)
	}
	if err := requireObject(body); err != nil {
		return err
	}
	// JSON can carry NUL only escaped; look for the field on that rare path.
	if bytes.Contains(body, []byte(`\u0000`)) {
		var v any
		if json.Unmarshal(body, &v) == nil {
			if field, ok := nulField(v, ""); ok {
				return errNUL(field)
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return safetynet.Invalid("", "JSON 对象之后还有多余内容", "the body holds data after the JSON object")
	}
	return nil
}

// requireObject refuses a body that is not a JSON object before it is
// decoded: encoding/json reads null into a struct as "no change", so a
// body of null, [], "x" or 1 would otherwise pass as {}.
func requireObject(body []byte) error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return jsonError(io.EOF)
	case trimmed[0] != '{':
		return errNotObject
	}
	return nil
}

var errNotObject = safetynet.Invalid("", "请求内容必须是一个 JSON 对象（{…}）", "the body must be a JSON object ({…})")

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return safetynet.Invalid("", "请求内容为空，需要一个 JSON 对象", "the body is empty: a JSON object is required")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return safetynet.Invalid("", "JSON 不完整", "the JSON is incomplete")
	case errors.As(err, &syn):
		return safetynet.Invalid("", "JSON 格式错误（第%d字节）", "malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return safetynet.Invalid("", "需要一个 JSON 对象", "a JSON object is required")
		}
		return safetynet.Invalid(field, "字段“%s”的类型应为%s", "field %q must be of type %s", field, jsonType(typ.Type.String()))
	case errors.As(err, &mbe):
		return errTooLarge
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return safetynet.Invalid(name, "未知字段“%s”", "unknown field %q", name)
	}
	return safetynet.Invalid("", "无法解析 JSON：%v", "cannot parse the JSON: %v", err)
}

func jsonType(goType string) string {
	switch {
	case strings.Contains(goType, "int"), strings.Contains(goType, "float"):
		return "number"
	case goType == "string", strings.HasSuffix(goType, "Role"), strings.HasSuffix(goType, "Level"):
		return "string"
	case goType == "bool":
		return "boolean"
	case strings.HasPrefix(goType, "[]"):
		return "array"
	}
	return "object"
}

// requireVersion checks the version a client sends with a change to a
// versioned record. Every route changing such a record requires it, API
// and web forms alike, so that a change made on a stale copy is refused
// (409) instead of silently overwriting someone else's.
func requireVersion(version int) error {
	if version <= 0 {
		return errVersionRequired
	}
	return nil
}

// queryLimit reads ?limit= as an integer from lo to hi, def when absent.
func queryLimit(r *http.Request, lo, hi, def int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, safetynet.Invalid("limit", "limit 应为 %d 到 %d 的整数", "limit must be an integer from %d to %d", lo, hi)
	}
	return n, nil
}
