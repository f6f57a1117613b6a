package httpserver

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"safetynet"
)

type auditJSON struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	UserID     int64           `json:"user_id,omitempty"`
	Username   string          `json:"username"`
	Role       string          `json:"role"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type,omitempty"`
	ObjectID   string          `json:"object_id,omitempty"`
	PlaceCode  string          `json:"place_code"`
	IP         string          `json:"ip,omitempty"`
	Detail     json.RawMessage `json:"detail"`
}

// auditFilter reads the filter of the audit log from the query string:
// user, action, object_type, object_id, place, from, to (dates or RFC 3339
// times), before (an entry ID, for the next page) and limit.
func auditFilter(r *http.Request) (safetynet.AuditFilter, error) {
	q := r.URL.Query()
	f := safetynet.AuditFilter{Username: q.Get("user"), Action: q.Get("action"), ObjectType: q.Get("object_type"),
		ObjectID: q.Get("object_id"), PlaceCode: q.Get("place")}
	var err error
	if f.From, err = timeParam(q.Get("from"), "from", false); err != nil {
		return f, err
	}
	if f.To, err = timeParam(q.Get("to"), "to", true); err != nil {
		return f, err
	}
	if v := q.Get("before"); v != "" {
		if f.BeforeID, err = strconv.ParseInt(v, 10, 64); err != nil || f.BeforeID <= 0 {
			return f, safetynet.Invalid("before", "参数 before 应为正整数", "parameter before must be a positive integer")
		}
	}
	if f.Limit, err = intParam(r, "limit", 100); err != nil {
		return f, err
	}
	if f.Limit == 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return f, nil
}

// timeParam parses a date (2006-01-02, local time) or an RFC 3339 time.
// A date given as an upper bound includes its whole day.
func timeParam(v, name string, endOfDay bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", v, time.Local); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, safetynet.Invalid(name, "参数 %s 应为日期（2006-01-02）或 RFC 3339 时间", "parameter %s must be a date (2006-01-02) or an RFC 3339 time", name)
}

// apiAudit answers GET /api/v1/audit.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	entries, err := s.store.AuditLog(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	out := make([]auditJSON, 0, len(entries))
	for _, e := range entries {
		out = append(out, auditJSON{ID: e.ID, At: e.At, UserID: e.UserID, Username: e.Username, Role: string(e.Role),
			Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, PlaceCode: e.PlaceCode, IP: e.IP,
			Detail: json.RawMessage(e.Detail)})
	}
	resp := auditLogJSON{Entries: out}
	if len(entries) > 0 && len(entries) == f.Limit {
		resp.NextBefore = entries[len(entries)-1].ID
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
