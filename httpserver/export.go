package httpserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/ledger"
	"safetynet/sqlstore"
)

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// exportLedger answers GET …/export.xlsx?place=&category=&reveal=true: the
// register in the ledger layout, streamed. ID and phone numbers are
// masked unless the user may reveal them and asks to; the export is
// audited either way.
func (s *Server) exportLedger(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	reveal, err := boolParam(r, "reveal")
	if err != nil {
		return err
	}
	if err := rc.actor.Require(access.RegisterExport); err != nil {
		return err
	}
	if reveal {
		if err := rc.actor.Require(access.IdentityReveal); err != nil {
			return err
		}
	}
	places, err := s.store.RegisterPlaces(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	labels := make(map[string]string, len(places))
	for _, p := range places {
		labels[p.Code] = p.Label()
	}
	// The workbook is assembled by the stream writer and sent on Close, so
	// an error before then still becomes a proper error answer.
	x, err := ledger.NewExport(w, rc.lang)
	if err != nil {
		return err
	}
	_, err = s.store.ExportLedger(r.Context(), rc.actor, sqlstore.ExportFilter{PlaceCode: q.Get("place"), Category: q.Get("category"), Reveal: reveal},
		func(h *safetynet.Household, p *safetynet.Person) error { return x.Write(exportRow(h, p, labels)) })
	if err != nil {
		x.Abort()
		return err
	}
	name := fmt.Sprintf("台账-%s.xlsx", time.Now().Format("20060102-1504"))
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''"+urlPathEscape(name))
	return x.Close()
}

// ledgerTemplate answers GET …/ledger-template.xlsx: an empty ledger in
// the import layout with one example row.
func (s *Server) ledgerTemplate(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename=\"ledger-template.xlsx\"; filename*=UTF-8''"+urlPathEscape("台账模板.xlsx"))
	return ledger.Template(w, rc.lang)
}
