package httpserver

import (
	"encoding/base64"
	"net/http"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/funds"
	"safetynet/sqlstore"
)

// Amounts in the funds API are integer fen (amount_fen) with the same in
// yuan text beside (amount, "51,900.00"); requests give yuan text, which
// funds.ParseYuan reads.

// apiFundSources answers GET /api/v1/funds/sources.
func (s *Server) apiFundSources(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	kind := q.Get("kind")
	if kind != "" && !oneOfString(funds.SourceKinds, kind) {
		return safetynet.Invalid("kind", "资金来源类别无效", "unknown kind of source")
	}
	l, err := s.store.FundSources(r.Context(), rc.actor, sqlstore.FundSourceFilter{Kind: kind, Place: q.Get("place")})
	if err != nil {
		return err
	}
	out := fundSourceListJSON{Items: make([]fundSourceJSON, 0, len(l))}
	for _, x := range l {
		out.Items = append(out.Items, toFundSourceJSON(x, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiCreateFundSource answers POST /api/v1/funds/sources.
func (s *Server) apiCreateFundSource(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		ClientID  string `json:"client_id"`
		Name      string `json:"name"`
		Kind      string `json:"kind"`
		Donor     string `json:"donor"`
		PlaceCode string `json:"place_code"`
		Note      string `json:"note"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	id, dup, err := s.store.CreateFundSource(r.Context(), rc.actor, in.ClientID, funds.Source{Name: in.Name, Kind: in.Kind, Donor: in.Donor,
		Place: in.PlaceCode, Note: in.Note})
	if err != nil {
		return err
	}
	writeCreated(w, id, dup)
	return nil
}

func writeCreated(w http.ResponseWriter, id int64, dup bool) {
	status := http.StatusCreated
	if dup {
		status = http.StatusOK
	}
	writeJSON(w, status, fundCreatedJSON{ID: id, Duplicate: dup})
}

// apiFundSource answers GET /api/v1/funds/sources/{sourceID}.
func (s *Server) apiFundSource(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "sourceID")
	if err != nil {
		return err
	}
	limit, err := queryLimit(r, 1, 5000, 300)
	if err != nil {
		return err
	}
	d, err := s.store.FundSource(r.Context(), rc.actor, id, limit)
	if err != nil {
		return err
	}
	out := fundSourceDetailJSON{fundSourceJSON: toFundSourceJSON(d.FundSource, rc.lang), Ledger: make([]fundEntryJSON, 0, len(d.Ledger)), More: d.More}
	for _, e := range d.Ledger {
		out.Ledger = append(out.Ledger, toFundEntryJSON(e, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type fundDocumentInJSON struct {
	Name    string `json:"name"`
	Content string `json:"content"` // base64, or a data: URL
}

func (d fundDocumentInJSON) document() (sqlstore.FundDocument, error) {
	s := d.Content
	if i := strings.Index(s, ";base64,"); strings.HasPrefix(s, "data:") && i > 0 {
		s = s[i+len(";base64,"):]
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return sqlstore.FundDocument{}, safetynet.Invalid("document", "附件应为 base64 编码的 PDF 或图片", "a document must be a PDF or an image in base64")
	}
	return sqlstore.FundDocument{Name: d.Name, Data: b}, nil
}

// apiAddFundEntry answers POST /api/v1/funds/sources/{sourceID}/entries.
func (s *Server) apiAddFundEntry(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "sourceID")
	if err != nil {
		return err
	}
	var in struct {
		ClientID     string               `json:"client_id"`
		Kind         string               `json:"kind"`
		Amount       string               `json:"amount"`
		Date         string               `json:"date"`
		DocNo        string               `json:"doc_no"`
		Payee        string               `json:"payee"`
		Note         string               `json:"note"`
		Target       string               `json:"target"`
		Measure      string               `json:"measure"`
		Item         string               `json:"item"`
		Quantity     int64                `json:"quantity"`
		UnitPrice    string               `json:"unit_price"`
		AllocationID int64                `json:"allocation_id"`
		Households   []int64              `json:"households"`
		Persons      []int64              `json:"persons"`
		Documents    []fundDocumentInJSON `json:"documents"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e := funds.Entry{Kind: in.Kind, DocNo: in.DocNo, Payee: in.Payee, Note: in.Note, Target: in.Target, Measure: in.Measure, Item: in.Item,
		Quantity: in.Quantity, AllocationID: in.AllocationID, Households: in.Households, Persons: in.Persons}
	d, ok := funds.ParseDay(in.Date)
	if !ok {
		return safetynet.Invalid("date", "日期格式应为 2006-01-02", "dates are written 2006-01-02")
	}
	e.On = d
	if in.Amount != "" || in.Target != funds.ToPurchase {
		if e.AmountFen, err = funds.ParseYuan("amount", in.Amount); err != nil {
			return err
		}
	}
	if in.UnitPrice != "" {
		if e.UnitPriceFen, err = funds.ParseYuan("unit_price", in.UnitPrice); err != nil {
			return err
		}
	}
	if len(in.Documents) > 3 {
		return safetynet.Invalid("documents", "一次最多 3 个附件", "at most 3 documents at once")
	}
	var docs []sqlstore.FundDocument
	for _, x := range in.Documents {
		doc, err := x.document()
		if err != nil {
			return err
		}
		docs = append(docs, doc)
	}
	eid, dup, err := s.store.AddFundEntry(r.Context(), rc.actor, id, in.ClientID, e, docs)
	if err != nil {
		return err
	}
	writeCreated(w, eid, dup)
	return nil
}

// apiReverseFundEntry answers POST /api/v1/funds/entries/{entryID}/reversal.
func (s *Server) apiReverseFundEntry(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "entryID")
	if err != nil {
		return err
	}
	var in struct {
		ClientID string `json:"client_id"`
		Reason   string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rid, dup, err := s.store.ReverseFundEntry(r.Context(), rc.actor, id, in.ClientID, in.Reason)
	if err != nil {
		return err
	}
	writeCreated(w, rid, dup)
	return nil
}

// apiAddFundDocument answers POST /api/v1/funds/entries/{entryID}/documents.
func (s *Server) apiAddFundDocument(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "entryID")
	if err != nil {
		return err
	}
	var in fundDocumentInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := in.document()
	if err != nil {
		return err
	}
	if _, err := s.store.AddFundDocument(r.Context(), rc.actor, id, d); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, fundCreatedJSON{ID: id})
	return nil
}

func toFundSums(f sqlstore.FundSums) fundSumsJSON {
	return fundSumsJSON{ReceivedFen: f.Received, AllocatedFen: f.Allocated, SpentFen: f.Spent, InKindFen: f.InKind}
}

func toFundRows(l []sqlstore.FundFigureRow, kinds bool, lang string) []fundFigureRowJSON {
	out := make([]fundFigureRowJSON, 0, len(l))
	for _, r := range l {
		name := r.Name
		if kinds {
			name = kindName(r.Key, lang)
		}
		out = append(out, fundFigureRowJSON{Key: r.Key, Name: name, Current: toFundSums(r.Current), Previous: toFundSums(r.Previous)})
	}
	return out
}

// apiFundFigures answers GET /api/v1/funds/figures.
func (s *Server) apiFundFigures(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	p, err := funds.ParsePeriod(q.Get("period"), s.store.Now())
	if err != nil {
		return err
	}
	f, err := s.store.FundFigures(r.Context(), rc.actor, q.Get("place"), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fundFiguresJSON{PlaceCode: f.Place.Code, PlaceName: f.Place.Name, Period: p.Label, PreviousPeriod: p.PrevLabel,
		From: p.From.Format("2006-01-02"), To: p.To.AddDate(0, 0, -1).Format("2006-01-02"),
		Total:  fundFigureRowJSON{Key: "total", Name: f.Place.Name, Current: toFundSums(f.Total.Current), Previous: toFundSums(f.Total.Previous)},
		ByKind: toFundRows(f.ByKind, true, rc.lang), ByPlace: toFundRows(f.ByPlace, false, rc.lang), Households: f.Households,
		Reached: fundFigureRowJSON{Key: "reached", Name: f.Place.Name, Current: toFundSums(f.Reached.Current), Previous: toFundSums(f.Reached.Previous)}})
	return nil
}

// apiHouseholdFunds answers GET /api/v1/households/{householdID}/funds.
func (s *Server) apiHouseholdFunds(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	if err := rc.actor.Require(access.FundsView); err != nil {
		return err
	}
	hf, err := s.store.HouseholdFunds(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	out := householdFundsJSON{MoneyFen: hf.MoneyFen, InKindFen: hf.InKindFen, Lines: make([]householdFundLineJSON, 0, len(hf.Lines))}
	for _, l := range hf.Lines {
		out.Lines = append(out.Lines, householdFundLineJSON{EntryID: l.EntryID, SourceID: l.SourceID, SourceName: l.SourceName, SourceKind: l.SourceKind,
			Kind: l.Kind, Target: l.Target, Item: l.Item, MeasureName: measureName(l.MeasureZH, l.MeasureEN, rc.lang), Date: l.On.Format("2006-01-02"),
			PersonName: l.PersonName, ShareFen: l.ShareFen, Reversed: l.Reversed})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
