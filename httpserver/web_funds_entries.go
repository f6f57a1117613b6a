package httpserver

import (
	"fmt"
	"net/http"
	"strconv"

	"safetynet"
	"safetynet/access"
	"safetynet/funds"
	"safetynet/sqlstore"
)

// fundAllocatePage is the form for an allocation or an in-kind gift, with
// a picker of the persons and households it goes to.
type fundAllocatePage struct {
	D        sqlstore.FundSourceDetail
	Measures []safetynet.Measure
	Found    []sqlstore.FundCandidate
	Chosen   []sqlstore.FundCandidate
	Persons  map[int64]bool
	Homes    map[int64]bool
	ClientID string
	Today    string
	Form     map[string]string
}

func (s *Server) webFundAllocate(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	form := map[string]string{}
	for _, k := range []string{"kind", "amount", "date", "doc_no", "payee", "note", "target", "measure", "item", "quantity", "unit_price", "q", "client_id"} {
		form[k] = q.Get(k)
	}
	return s.showFundAllocate(w, r, rc, form, q["person"], q["household"], nil)
}

func (s *Server) showFundAllocate(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, persons, households []string, formErr error) error {
	id, err := pathID(r, "sourceID")
	if err != nil {
		return err
	}
	d, err := s.store.FundSource(r.Context(), rc.actor, id, 1)
	if err != nil {
		return err
	}
	if err := rc.actor.Require(access.FundsManage); err != nil {
		return err
	}
	if !d.CanManage {
		return safetynet.Forbidden()
	}
	ps, err := formIDs(persons, "persons")
	if err != nil {
		return err
	}
	hs, err := formIDs(households, "households")
	if err != nil {
		return err
	}
	pg := fundAllocatePage{D: d, Form: form, Today: dayText(s.store.Now()), Persons: map[int64]bool{}, Homes: map[int64]bool{}}
	for _, p := range ps {
		pg.Persons[p] = true
	}
	for _, h := range hs {
		pg.Homes[h] = true
	}
	if pg.Found, pg.Chosen, err = s.store.FundCandidates(r.Context(), rc.actor, id, form["q"], ps, hs); err != nil {
		return err
	}
	if pg.Measures, err = s.store.Measures(r.Context(), false); err != nil {
		return err
	}
	if pg.Form["kind"] == "" {
		pg.Form["kind"] = funds.Allocation
	}
	if pg.ClientID = pg.Form["client_id"]; pg.ClientID == "" {
		pg.ClientID = newClientID()
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "funds_allocate", "funds.allocate", pg, formErr)
}

// webReverseFundEntry takes a reversal (冲销) with its reason.
func (s *Server) webReverseFundEntry(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "entryID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	src, err := s.store.FundEntrySource(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	_, _, err = s.store.ReverseFundEntry(r.Context(), rc.actor, id, r.PostForm.Get("client_id"), r.PostForm.Get("reason"))
	if err != nil {
		r.SetPathValue("sourceID", strconv.FormatInt(src, 10))
		form := map[string]string{"reason": r.PostForm.Get("reason"), "entry": strconv.FormatInt(id, 10)}
		return s.formFailed(w, r, rc, err, func() error { return s.showFundSource(w, r, rc, "reverse", form, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/funds/sources/%d", src), "funds.reversed")
	return nil
}

// webAddFundDocument attaches a document to an entry afterwards.
func (s *Server) webAddFundDocument(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "entryID")
	if err != nil {
		return err
	}
	if err := parseMultipartForm(r, 16<<20); err != nil {
		if safetynet.AsError(err) != nil {
			return err
		}
		return safetynet.Invalid("document", "附件过大或表单无效", "the document is too large or the form is invalid")
	}
	src, err := s.store.FundEntrySource(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	err = func() error {
		docs, err := formDocuments(r)
		if err != nil {
			return err
		}
		if len(docs) == 0 {
			return safetynet.Invalid("document", "请选择附件（PDF 或图片）", "choose a document (PDF or image)")
		}
		for _, d := range docs {
			if _, err := s.store.AddFundDocument(r.Context(), rc.actor, id, d); err != nil {
				return err
			}
		}
		return nil
	}()
	if err != nil {
		r.SetPathValue("sourceID", strconv.FormatInt(src, 10))
		return s.formFailed(w, r, rc, err, func() error {
			return s.showFundSource(w, r, rc, "document", map[string]string{"entry": strconv.FormatInt(id, 10)}, err)
		})
	}
	s.flashRedirect(w, r, fmt.Sprintf("/funds/sources/%d", src), "funds.document_added")
	return nil
}
