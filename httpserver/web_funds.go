package httpserver

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/funds"
	"safetynet/sqlstore"
)

// fundsPage lists the sources the viewer sees, with the form for a new one.
type fundsPage struct {
	Kind     string
	Kinds    []string
	Sources  []sqlstore.FundSource
	Places   []sqlstore.RegisterPlace
	ClientID string
	Form     map[string]string
	Total    funds.Balance
}

func (s *Server) webFunds(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showFunds(w, r, rc, nil, nil)
}

func (s *Server) showFunds(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, formErr error) error {
	if err := rc.actor.Require(access.FundsView); err != nil {
		return err
	}
	kind := r.URL.Query().Get("kind")
	if kind != "" && !oneOfString(funds.SourceKinds, kind) {
		return safetynet.Invalid("kind", "资金来源类别无效", "unknown kind of source")
	}
	l, err := s.store.FundSources(r.Context(), rc.actor, sqlstore.FundSourceFilter{Kind: kind})
	if err != nil {
		return err
	}
	pg := fundsPage{Kind: kind, Kinds: funds.SourceKinds, Sources: l, Form: form}
	for _, x := range l {
		pg.Total.Received += x.Received
		pg.Total.Allocated += x.Allocated
		pg.Total.Spent += x.Spent
		pg.Total.InKind += x.InKind
	}
	if rc.actor.Can(access.FundsManage) {
		places, err := s.store.ScopePlaces(r.Context(), rc.actor, safetynet.LevelCounty, safetynet.LevelTown, safetynet.LevelVillage)
		if err != nil {
			return err
		}
		pg.Places = places
	}
	if pg.Form == nil {
		pg.Form = map[string]string{}
	}
	if pg.ClientID = pg.Form["client_id"]; pg.ClientID == "" {
		pg.ClientID = newClientID()
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "funds", "funds.title", pg, formErr)
}

func oneOfString(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// webCreateFundSource takes the new source form.
func (s *Server) webCreateFundSource(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	in := funds.Source{Name: f.Get("name"), Kind: f.Get("kind"), Donor: f.Get("donor"), Place: f.Get("place_code"), Note: f.Get("note")}
	id, _, err := s.store.CreateFundSource(r.Context(), rc.actor, f.Get("client_id"), in)
	if err != nil {
		form := map[string]string{"client_id": f.Get("client_id"), "name": in.Name, "kind": in.Kind, "donor": in.Donor, "place_code": in.Place, "note": in.Note}
		return s.formFailed(w, r, rc, err, func() error { return s.showFunds(w, r, rc, form, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/funds/sources/%d", id), "funds.source_created")
	return nil
}

// fundSourcePage is a source: its balance, its ledger and the forms to
// receive, spend and correct.
type fundSourcePage struct {
	D        sqlstore.FundSourceDetail
	Open     []sqlstore.FundEntry // allocations that can still be spent from
	ClientID string
	Today    string
	Form     map[string]string
	FormKind string // the form an error belongs to
}

func (s *Server) webFundSource(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showFundSource(w, r, rc, "", nil, nil)
}

func (s *Server) showFundSource(w http.ResponseWriter, r *http.Request, rc *reqCtx, formKind string, form map[string]string, formErr error) error {
	id, err := pathID(r, "sourceID")
	if err != nil {
		return err
	}
	d, err := s.store.FundSource(r.Context(), rc.actor, id, 300)
	if err != nil {
		return err
	}
	pg := fundSourcePage{D: d, Form: form, FormKind: formKind, Today: dayText(s.store.Now())}
	if d.CanManage {
		if pg.Open, err = s.store.OpenFundAllocations(r.Context(), rc.actor, id); err != nil {
			return err
		}
	}
	if pg.Form == nil {
		pg.Form = map[string]string{}
	}
	if pg.ClientID = pg.Form["client_id"]; pg.ClientID == "" {
		pg.ClientID = newClientID()
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "funds_source", "funds.source", pg, formErr)
}

// entryForm reads an entry form (web) into an entry.
func entryForm(r *http.Request) (funds.Entry, error) {
	f := r.Form
	e := funds.Entry{Kind: f.Get("kind"), DocNo: f.Get("doc_no"), Payee: f.Get("payee"), Note: f.Get("note"), Target: f.Get("target"),
		Measure: f.Get("measure"), Item: f.Get("item")}
	var err error
	if v := strings.TrimSpace(f.Get("date")); v != "" {
		d, ok := funds.ParseDay(v)
		if !ok {
			return e, safetynet.Invalid("date", "日期格式应为 2006-01-02", "dates are written 2006-01-02")
		}
		e.On = d
	}
	if v := strings.TrimSpace(f.Get("amount")); v != "" || e.Target != funds.ToPurchase {
		if e.AmountFen, err = funds.ParseYuan("amount", v); err != nil {
			return e, err
		}
	}
	if e.Target == funds.ToPurchase {
		if v := strings.TrimSpace(f.Get("unit_price")); v != "" {
			if e.UnitPriceFen, err = funds.ParseYuan("unit_price", v); err != nil {
				return e, err
			}
		}
		if v := strings.TrimSpace(f.Get("quantity")); v != "" {
			if e.Quantity, err = strconv.ParseInt(v, 10, 64); err != nil {
				return e, safetynet.Invalid("quantity", "数量应为整数", "the quantity must be a whole number")
			}
		}
	}
	if v := strings.TrimSpace(f.Get("allocation_id")); v != "" {
		if e.AllocationID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return e, safetynet.Invalid("allocation_id", "请选择支出所属的分配", "choose the allocation paid from")
		}
	}
	if e.Persons, err = formIDs(f["person"], "persons"); err != nil {
		return e, err
	}
	if e.Households, err = formIDs(f["household"], "households"); err != nil {
		return e, err
	}
	return e, nil
}

func formIDs(vs []string, field string) ([]int64, error) {
	var out []int64
	for _, v := range vs {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n <= 0 {
			return nil, safetynet.Invalid(field, "所选对象无效", "%s must be record numbers", field)
		}
		out = append(out, n)
	}
	return out, nil
}

// formDocuments reads the uploaded documents of a form.
func formDocuments(r *http.Request) ([]sqlstore.FundDocument, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []sqlstore.FundDocument
	for _, fh := range r.MultipartForm.File["document"] {
		d, err := readUpload(fh)
		if err != nil {
			return nil, err
		}
		if len(d.Data) > 0 {
			out = append(out, d)
		}
	}
	return out, nil
}

func readUpload(fh *multipart.FileHeader) (sqlstore.FundDocument, error) {
	file, err := fh.Open()
	if err != nil {
		return sqlstore.FundDocument{}, safetynet.Invalid("document", "附件无法读取", "the document cannot be read")
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, funds.MaxDocument+1))
	if err != nil {
		return sqlstore.FundDocument{}, safetynet.Invalid("document", "附件无法读取", "the document cannot be read")
	}
	return sqlstore.FundDocument{Name: fh.Filename, Data: b}, nil
}

// webAddFundEntry takes the receipt, spend, allocation and in-kind forms.
func (s *Server) webAddFundEntry(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "sourceID")
	if err != nil {
		return err
	}
	if err := parseMultipartForm(r, 16<<20); err != nil {
		if safetynet.AsError(err) != nil {
			return err
		}
		return safetynet.Invalid("document", "附件过大或表单无效", "the document is too large or the form is invalid")
	}
	if _, err := s.store.FundSource(r.Context(), rc.actor, id, 1); err != nil {
		return err // the scope first
	}
	err = func() error {
		e, err := entryForm(r)
		if err != nil {
			return err
		}
		docs, err := formDocuments(r)
		if err != nil {
			return err
		}
		_, _, err = s.store.AddFundEntry(r.Context(), rc.actor, id, r.Form.Get("client_id"), e, docs)
		return err
	}()
	if err != nil {
		form := map[string]string{}
		for _, k := range []string{"client_id", "kind", "amount", "date", "doc_no", "payee", "note", "target", "measure", "item", "quantity",
			"unit_price", "allocation_id", "q"} {
			form[k] = r.Form.Get(k)
		}
		kind := r.Form.Get("kind")
		if kind == funds.Allocation || kind == funds.InKind {
			return s.formFailed(w, r, rc, err, func() error { return s.showFundAllocate(w, r, rc, form, r.Form["person"], r.Form["household"], err) })
		}
		return s.formFailed(w, r, rc, err, func() error { return s.showFundSource(w, r, rc, kind, form, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/funds/sources/%d", id), "funds.entry_added")
	return nil
}

// fundDocument answers GET …/documents/{documentID}: the file itself.
func (s *Server) fundDocument(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "documentID")
	if err != nil {
		return err
	}
	d, err := s.store.FundDocument(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", d.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(d.Data)))
	w.Header().Set("Content-Disposition", "inline; filename=\"document\"; filename*=UTF-8''"+urlPathEscape(d.Name))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "sandbox") // an uploaded file never runs as this site's page
	w.Write(d.Data)
	return nil
}

// fundFiguresPage shows received, allocated, spent and in-kind value.
type fundFiguresPage struct {
	F      sqlstore.FundFigures
	Period string
}

func (s *Server) webFundFigures(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	p, err := funds.ParsePeriod(q.Get("period"), s.store.Now())
	if err != nil {
		return err
	}
	f, err := s.store.FundFigures(r.Context(), rc.actor, q.Get("place"), p)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "funds_figures", "funds.figures", fundFiguresPage{F: f, Period: p.Label}, nil)
}

// householdFunds is the household page's funds section (nil when the
// viewer may not see funds).
func (s *Server) householdFunds(r *http.Request, rc *reqCtx, id int64) (*sqlstore.HouseholdFunds, error) {
	return s.store.HouseholdFunds(r.Context(), rc.actor, id)
}
