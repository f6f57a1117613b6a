package httpserver

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"safetynet/funds"
	"safetynet/i18n"
	"safetynet/sqlstore"
)

// fundLedgerXLSX answers GET /funds/sources/{sourceID}/ledger.xlsx and its
// API twin: the whole ledger of a source, oldest first, amounts in yuan
// as text ("51,900.00") beside the integer fen a sheet can sum (never a
// float), reversals as negative lines naming the
// entry they undo.
func (s *Server) fundLedgerXLSX(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "sourceID")
	if err != nil {
		return err
	}
	d, err := s.store.FundSource(r.Context(), rc.actor, id, 0)
	if err != nil {
		return err
	}
	lang := rc.lang
	T := func(k string) string { return i18n.T(lang, k) }
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	head := []any{T("funds.col.no"), T("funds.date"), T("funds.col.kind"), T("funds.amount"), T("funds.col.fen"), T("funds.col.use"), T("funds.doc_no"),
		T("funds.payee"), T("funds.col.targets"), T("funds.note"), T("funds.col.reverses"), T("funds.reason"), T("funds.col.by")}
	_ = sw.SetRow("A1", []any{fmt.Sprintf("%s · %s · %s", d.Name, d.PlaceName, T("funds.kind."+d.Kind))})
	_ = sw.SetRow("A2", []any{T("funds.received"), funds.Yuan(d.Received), T("funds.allocated"), funds.Yuan(d.Allocated),
		T("funds.spent"), funds.Yuan(d.Spent), T("funds.unallocated"), funds.Yuan(d.Unallocated()), T("funds.inkind"), funds.Yuan(d.InKind)})
	if err := sw.SetRow("A4", head); err != nil {
		return err
	}
	row := 5
	for i := len(d.Ledger) - 1; i >= 0; i-- {
		e := d.Ledger[i]
		var names []string
		for _, t := range e.Targets {
			if t.Name == "" {
				names = append(names, T("funds.other_household"))
			} else {
				names = append(names, t.Name)
			}
		}
		rev := ""
		if e.ReversesID != 0 {
			rev = fmt.Sprint(e.ReversesID)
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, []any{e.ID, e.On.Format("2006-01-02"), T("funds.entry." + e.Kind), funds.Yuan(e.AmountFen), e.AmountFen,
			entryUse(e, lang), e.DocNo, e.Payee, strings.Join(names, T("funds.sep")), e.Note, rev, e.Reason, e.By}); err != nil {
			return err
		}
		row++
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s.xlsx", d.Name, time.Now().Format("20060102"))
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''"+urlPathEscape(name))
	return f.Write(w)
}

// entryUse says in words what an entry went to.
func entryUse(e sqlstore.FundEntry, lang string) string {
	T := func(k string) string { return i18n.T(lang, k) }
	switch e.Target {
	case funds.ToMeasure:
		if lang == "en" {
			return e.MeasureEN
		}
		return e.MeasureZH
	case funds.ToPurchase:
		return fmt.Sprintf("%s × %d @ %s", e.Item, e.Quantity, funds.Yuan(e.UnitPriceFen))
	case funds.ToHouseholds, funds.ToPersons:
		if e.Item != "" {
			return e.Item
		}
		return T("funds.target." + e.Target)
	}
	if e.Item != "" {
		return e.Item
	}
	return ""
}
