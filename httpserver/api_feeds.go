package httpserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"safetynet"
	"safetynet/feeds"
	"safetynet/sqlstore"
)

// feedMaxBody bounds a pushed batch: 100,000 rows of a few hundred bytes.
const feedMaxBody = 64 << 20

type feedRowIn struct {
	RowKey    string                     `json:"row_key"`
	IDNumber  string                     `json:"id_number"`
	Name      string                     `json:"name"`
	EventType string                     `json:"event_type"`
	Date      string                     `json:"date"`
	Address   string                     `json:"address"`
	Fields    map[string]json.RawMessage `json:"fields"`
}

type feedBatchIn struct {
	BatchID    string      `json:"batch_id"`
	CountyCode string      `json:"county_code"`
	Rows       []feedRowIn `json:"rows"`
}

type feedBatchJSON struct {
	ID             int64     `json:"id"`
	Department     string    `json:"department"`
	DepartmentName string    `json:"department_name"`
	BatchID        string    `json:"batch_id"`
	CountyCode     string    `json:"county_code"`
	CountyName     string    `json:"county_name"`
	Source         string    `json:"source"`
	FileName       string    `json:"file_name,omitempty"`
	Rows           int       `json:"rows"`
	Matched        int       `json:"matched"`
	Unregistered   int       `json:"unregistered"`
	Rejected       int       `json:"rejected"`
	CreatedBy      string    `json:"created_by"`
	CreatedAt      time.Time `json:"created_at"`
	Replayed       bool      `json:"replayed"`
}

type feedRowJSON struct {
	Row           int    `json:"row"`
	RowKey        string `json:"row_key"`
	Status        string `json:"status"`
	Field         string `json:"field,omitempty"`
	Reason        string `json:"reason,omitempty"`
	EventType     string `json:"event_type,omitempty"`
	EventTypeName string `json:"event_type_name,omitempty"`
	Date          string `json:"date,omitempty"`
	Name          string `json:"name,omitempty"`
	IDNumber      string `json:"id_number,omitempty"` // masked
	PlaceCode     string `json:"place_code,omitempty"`
	PlaceName     string `json:"place_name,omitempty"`
}

type feedPushJSON struct {
	Batch        feedBatchJSON `json:"batch"`
	RejectedRows []feedRowJSON `json:"rejected_rows"`
}

type feedBatchListJSON struct {
	Items []feedBatchJSON `json:"items"`
}

type feedBatchDetailJSON struct {
	Batch  feedBatchJSON `json:"batch"`
	Items  []feedRowJSON `json:"items"`
	Offset int           `json:"offset"`
	Limit  int           `json:"limit"`
}

func toFeedBatchJSON(b sqlstore.FeedBatch, lang string) feedBatchJSON {
	return feedBatchJSON{ID: b.ID, Department: b.Department, DepartmentName: safetynet.Departments.Label(b.Department, lang),
		BatchID: b.BatchKey, CountyCode: b.CountyCode, CountyName: b.CountyName, Source: b.Source, FileName: b.FileName,
		Rows: b.Rows, Matched: b.Matched, Unregistered: b.Unregistered, Rejected: b.Rejected, CreatedBy: b.CreatedByName,
		CreatedAt: b.CreatedAt, Replayed: b.Replayed}
}

func toFeedRowJSON(r sqlstore.FeedRowResult, lang string) feedRowJSON {
	out := feedRowJSON{Row: r.Row, RowKey: r.Key, Status: r.Status, Field: r.Field, EventType: r.EventType, Date: r.EventDate,
		Name: r.Name, IDNumber: r.IDMasked, PlaceCode: r.PlaceCode, PlaceName: r.PlaceName}
	if r.Status == sqlstore.FeedRejected {
		out.Reason = r.ReasonEN
		if lang == "zh" {
			out.Reason = r.ReasonZH
		}
	}
	if t, ok := safetynet.EventTypeOf(r.EventType); ok && r.EventType != "" {
		out.EventTypeName = t.EN
		if lang == "zh" {
			out.EventTypeName = t.ZH
		}
	}
	return out
}

// feedDepartment reads the {department} of a path: an unknown one is not
// found.
func feedDepartment(r *http.Request) (string, error) {
	d := r.PathValue("department")
	if !safetynet.Departments.Valid(d) {
		return "", safetynet.NotFound("部门", "department")
	}
	return d, nil
}

// rowFieldText turns a pushed field value into the text feeds.Check reads:
// a string as it is, a number as written, null as nothing; anything else
// stays JSON, which no field accepts as a number or a date.
func rowFieldText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return ""
	case raw[0] == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return string(raw)
}

// apiPushFeedBatch answers POST /api/v1/feeds/{department}/batches: 201
// with the counts and the rejected rows, or 200 with the stored result of
// a batch pushed before.
func (s *Server) apiPushFeedBatch(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	dept, err := feedDepartment(r)
	if err != nil {
		return err
	}
	var in feedBatchIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if len(in.Rows) > sqlstore.MaxFeedRows {
		return safetynet.Invalid("rows", "一个批次最多%d行，请拆分后分批推送", "a batch holds at most %d rows: split it", sqlstore.MaxFeedRows)
	}
	rows := make([]feeds.Row, len(in.Rows))
	for i, x := range in.Rows {
		fields := make(map[string]string, len(x.Fields))
		for k, v := range x.Fields {
			fields[k] = rowFieldText(v)
		}
		rows[i] = feeds.Row{No: i + 1, Key: x.RowKey, IDNumber: x.IDNumber, Name: x.Name, EventType: x.EventType, Date: x.Date,
			Address: x.Address, Fields: fields}
	}
	in.Rows = nil // let the decoded body go while the batch is stored
	b, rej, err := s.store.PushFeedBatch(r.Context(), rc.actor, sqlstore.FeedPush{Department: dept, BatchKey: in.BatchID,
		County: in.CountyCode, Source: "api", Rows: rows})
	if err != nil {
		return err
	}
	out := feedPushJSON{Batch: toFeedBatchJSON(b, rc.lang), RejectedRows: make([]feedRowJSON, 0, len(rej))}
	for _, x := range rej {
		out.RejectedRows = append(out.RejectedRows, toFeedRowJSON(x, rc.lang))
	}
	status := http.StatusCreated
	if b.Replayed {
		status = http.StatusOK
	}
	writeJSON(w, status, out)
	return nil
}

// apiFeedBatches answers GET /api/v1/feeds/{department}/batches.
func (s *Server) apiFeedBatches(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	dept, err := feedDepartment(r)
	if err != nil {
		return err
	}
	limit, offset, err := feedPageParams(r, 500)
	if err != nil {
		return err
	}
	if err := s.feedOwnDepartment(r, rc, dept); err != nil {
		return err
	}
	bs, err := s.store.FeedBatches(r.Context(), rc.actor, sqlstore.FeedBatchFilter{Department: dept, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	out := feedBatchListJSON{Items: make([]feedBatchJSON, 0, len(bs))}
	for _, b := range bs {
		out.Items = append(out.Items, toFeedBatchJSON(b, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// feedOwnDepartment refuses a department account asking for another
// department's batches.
func (s *Server) feedOwnDepartment(r *http.Request, rc *reqCtx, dept string) error {
	own, err := s.store.FeedDepartmentOf(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	if own != "" && own != dept || own == "" && rc.user.Role == safetynet.RoleDepartment {
		return safetynet.Forbidden()
	}
	return nil
}

// apiFeedBatch answers GET /api/v1/feeds/{department}/batches/{batchID}
// with a page of its row results (?status=&offset=&limit=).
func (s *Server) apiFeedBatch(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	dept, err := feedDepartment(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "batchID")
	if err != nil {
		return err
	}
	limit, offset, err := feedPageParams(r, 1000)
	if err != nil {
		return err
	}
	b, rows, err := s.store.FeedBatch(r.Context(), rc.actor, id, sqlstore.FeedRowFilter{Status: r.URL.Query().Get("status"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	if b.Department != dept {
		return safetynet.NotFound("批次", "batch")
	}
	out := feedBatchDetailJSON{Batch: toFeedBatchJSON(b, rc.lang), Items: make([]feedRowJSON, 0, len(rows)), Offset: offset, Limit: limit}
	for _, x := range rows {
		out.Items = append(out.Items, toFeedRowJSON(x, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// feedPageParams reads ?limit= (default 100, at most max) and ?offset=.
func feedPageParams(r *http.Request, max int) (limit, offset int, err error) {
	q := r.URL.Query()
	if limit, err = queryLimit(r, 1, max, 100); err != nil {
		return 0, 0, err
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, safetynet.Invalid("offset", "offset 应为不小于 0 的整数", "offset must be an integer of 0 or more")
		}
	}
	return limit, offset, nil
}
