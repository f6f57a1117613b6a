package httpserver

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/feeds"
	"safetynet/sqlstore"
)

// The 部门数据 pages: a department account's batches and their row
// results, the upload of a file in the department's own layout with its
// column mapping; county officers and administrators see every
// department's batches of their area and upload files for them.

type deptOption struct{ Code, Name string }

type feedBatchView struct {
	sqlstore.FeedBatch
	DepartmentName string
}

type feedsPage struct {
	Batches     []feedBatchView
	Departments []deptOption // for officers' filter
	Department  string       // the filter
	Own         string       // a department account's department
	OwnName     string
}

func (s *Server) deptOptions(lang string) []deptOption {
	out := make([]deptOption, len(safetynet.Departments))
	for i, d := range safetynet.Departments {
		out[i] = deptOption{d.Code, safetynet.Departments.Label(d.Code, lang)}
	}
	return out
}

// webFeeds lists the batches the user may see, newest first.
func (s *Server) webFeeds(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.FeedView); err != nil {
		return err
	}
	own, err := s.store.FeedDepartmentOf(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	pg := feedsPage{Own: own, OwnName: safetynet.Departments.Label(own, rc.lang)}
	if rc.actor.Role != safetynet.RoleDepartment {
		pg.Departments = s.deptOptions(rc.lang)
		if d := r.URL.Query().Get("department"); safetynet.Departments.Valid(d) {
			pg.Department = d
		}
	}
	bs, err := s.store.FeedBatches(r.Context(), rc.actor, sqlstore.FeedBatchFilter{Department: pg.Department, Limit: 100})
	if err != nil {
		return err
	}
	for _, b := range bs {
		pg.Batches = append(pg.Batches, feedBatchView{b, safetynet.Departments.Label(b.Department, rc.lang)})
	}
	return s.render(w, r, rc, http.StatusOK, "feeds", "feeds.title", pg, nil)
}

type feedRowView struct {
	sqlstore.FeedRowResult
	Reason   template.HTML // values the department sent are marked as user data
	TypeName string
}

// quotedValue is a value quoted in a rejection's reason: what the
// department sent, in its own words.
var quotedValue = regexp.MustCompile(`"[^"]*"|“[^”]*”`)

// reasonHTML escapes a rejection's reason and marks the quoted values as
// user data.
func reasonHTML(reason string) template.HTML {
	esc := template.HTMLEscapeString(reason)
	return template.HTML(quotedValue.ReplaceAllStringFunc(strings.ReplaceAll(esc, "&#34;", `"`), func(q string) string {
		return `<span data-user>` + q + `</span>`
	}))
}

type feedBatchPage struct {
	Batch         feedBatchView
	Rows          []feedRowView
	Status        string
	Page, Pages   int
	Prev, Next    string // links to the neighbouring pages
	ShowPlace     bool
	FilteredCount int
}

const feedRowsPerPage = 100

// webFeedBatch shows a batch with a page of its row results.
func (s *Server) webFeedBatch(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "batchID")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	status := q.Get("status")
	switch status {
	case "", sqlstore.FeedMatched, sqlstore.FeedUnregistered, sqlstore.FeedRejected:
	default:
		status = ""
	}
	pageNo, _ := strconv.Atoi(q.Get("page"))
	pageNo = max(pageNo, 1)
	b, rows, err := s.store.FeedBatch(r.Context(), rc.actor, id, sqlstore.FeedRowFilter{Status: status, Limit: feedRowsPerPage,
		Offset: (pageNo - 1) * feedRowsPerPage})
	if err != nil {
		return err
	}
	pg := feedBatchPage{Batch: feedBatchView{b, safetynet.Departments.Label(b.Department, rc.lang)}, Status: status, Page: pageNo,
		ShowPlace: rc.actor.Role != safetynet.RoleDepartment}
	total := map[string]int{"": b.Rows, sqlstore.FeedMatched: b.Matched, sqlstore.FeedUnregistered: b.Unregistered, sqlstore.FeedRejected: b.Rejected}[status]
	pg.FilteredCount = total
	pg.Pages = max(1, (total+feedRowsPerPage-1)/feedRowsPerPage)
	link := func(n int) string {
		v := url.Values{"page": {strconv.Itoa(n)}}
		if status != "" {
			v.Set("status", status)
		}
		return fmt.Sprintf("/feeds/batches/%d?%s", id, v.Encode())
	}
	if pageNo > 1 {
		pg.Prev = link(pageNo - 1)
	}
	if pageNo < pg.Pages {
		pg.Next = link(pageNo + 1)
	}
	for _, x := range rows {
		v := feedRowView{FeedRowResult: x, Reason: reasonHTML(x.ReasonEN)}
		if rc.lang == "zh" {
			v.Reason = reasonHTML(x.ReasonZH)
		}
		if t, ok := safetynet.EventTypeOf(x.EventType); ok && x.EventType != "" {
			v.TypeName = safetynet.Vocab{t.Option}.Label(t.Code, rc.lang)
		}
		pg.Rows = append(pg.Rows, v)
	}
	return s.render(w, r, rc, http.StatusOK, "feed_batch", "feeds.batch", pg, nil)
}

type feedUploadFormPage struct {
	Departments []deptOption
	Own         string
	OwnName     string
	Counties    []sqlstore.FeedCounty // for a user placed above a county
}

// webFeedUploadForm shows the upload form.
func (s *Server) webFeedUploadForm(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showFeedUploadForm(w, r, rc, nil)
}

func (s *Server) showFeedUploadForm(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	if err := rc.actor.Require(access.FeedPush); err != nil {
		return err
	}
	own, err := s.store.FeedDepartmentOf(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	pg := feedUploadFormPage{Own: own, OwnName: safetynet.Departments.Label(own, rc.lang)}
	if rc.actor.Role != safetynet.RoleDepartment {
		pg.Departments = s.deptOptions(rc.lang)
	}
	if p, err := s.store.Place(r.Context(), rc.actor, rc.actor.Place); err != nil || p.Level != safetynet.LevelCounty {
		if pg.Counties, err = s.store.FeedCounties(r.Context(), rc.actor); err != nil {
			return err
		}
	}
	return s.render(w, r, rc, http.StatusOK, "feed_upload", "feeds.upload", pg, formErr)
}

// webFeedUpload keeps the uploaded file and goes on to its columns.
func (s *Server) webFeedUpload(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.FeedPush); err != nil {
		return err
	}
	again := func(err error) error {
		return s.formFailed(w, r, rc, err, func() error { return s.showFeedUploadForm(w, r, rc, err) })
	}
	f, name, err := uploadedFile(r, "file")
	if err != nil {
		return again(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	dept := r.FormValue("department")
	if own, err := s.store.FeedDepartmentOf(r.Context(), rc.actor); err != nil {
		return err
	} else if own != "" {
		dept = own
	}
	id, err := s.store.CreateFeedUpload(r.Context(), rc.actor, dept, r.FormValue("county_code"), name, data)
	if err != nil {
		return again(err)
	}
	http.Redirect(w, r, fmt.Sprintf("/feeds/uploads/%d", id), http.StatusSeeOther)
	return nil
}

type feedColumn struct {
	Index  int
	Header string
	Field  string
	Sample []string
}

type feedMappingPage struct {
	Upload     sqlstore.FeedUpload
	DeptName   string
	Rows       int
	Columns    []feedColumn
	Targets    []deptOption // field name and label
	Types      []deptOption
	EventType  string
	Unreadable bool
}

// webFeedUploadMapping shows the columns of an uploaded file with the
// fields they are mapped to: the department's saved mapping first, then
// the usual headers.
func (s *Server) webFeedUploadMapping(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "uploadID")
	if err != nil {
		return err
	}
	return s.showFeedMapping(w, r, rc, id, nil, nil)
}

func (s *Server) showFeedMapping(w http.ResponseWriter, r *http.Request, rc *reqCtx, id int64, chosen *feeds.Mapping, formErr error) error {
	up, err := s.store.FeedUpload(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	if up.BatchID != 0 && formErr == nil {
		http.Redirect(w, r, fmt.Sprintf("/feeds/batches/%d", up.BatchID), http.StatusSeeOther)
		return nil
	}
	saved, err := s.store.FeedMapping(r.Context(), rc.actor, up.Department, up.CountyCode)
	if err != nil {
		return err
	}
	pg := feedMappingPage{Upload: up, DeptName: safetynet.Departments.Label(up.Department, rc.lang)}
	file, ferr := feeds.ReadFile(up.FileName, up.Data, saved)
	if ferr != nil {
		if safetynet.AsError(ferr) == nil {
			return ferr
		}
		pg.Unreadable = true
		return s.render(w, r, rc, http.StatusOK, "feed_mapping", "feeds.upload", pg, ferr)
	}
	m := file.Mapping
	if chosen != nil {
		m = *chosen
	}
	pg.Rows, pg.EventType = len(file.Cells), m.EventType
	for i, h := range file.Header {
		pg.Columns = append(pg.Columns, feedColumn{Index: i, Header: h, Field: m.Columns[feeds.NormHeader(h)], Sample: file.Sample(i, 3)})
	}
	for _, t := range feeds.Targets() {
		label := t.EN
		if rc.lang == "zh" {
			label = t.ZH
		}
		pg.Targets = append(pg.Targets, deptOption{t.Name, label})
	}
	for _, t := range safetynet.EventTypes {
		pg.Types = append(pg.Types, deptOption{t.Code, safetynet.Vocab{t.Option}.Label(t.Code, rc.lang)})
	}
	return s.render(w, r, rc, http.StatusOK, "feed_mapping", "feeds.upload", pg, formErr)
}

// webFeedUploadPush saves the mapping for the department's next file and
// pushes the file's rows as a batch keyed by the file's name and hash.
func (s *Server) webFeedUploadPush(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "uploadID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	up, err := s.store.FeedUpload(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	var chosen *feeds.Mapping
	b, _, err := s.store.PushFeedUpload(r.Context(), rc.actor, up, func(f *feeds.File) feeds.Mapping {
		m := feeds.Mapping{Columns: map[string]string{}, EventType: r.PostFormValue("event_type")}
		for i, h := range f.Header {
			if k := feeds.NormHeader(h); k != "" {
				m.Columns[k] = r.PostFormValue("col_" + strconv.Itoa(i))
			}
		}
		if _, ok := safetynet.EventTypeOf(m.EventType); !ok {
			m.EventType = ""
		}
		chosen = &m
		return m
	})
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showFeedMapping(w, r, rc, id, chosen, err) })
	}
	msg := "feeds.pushed"
	if b.Replayed {
		msg = "feeds.replayed"
	}
	s.flashRedirect(w, r, fmt.Sprintf("/feeds/batches/%d", b.ID), msg)
	return nil
}
