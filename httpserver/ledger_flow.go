package httpserver

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/ledger"
	"safetynet/sqlstore"
)

// The ledger import flow, shared by the API and the web UI:
//
//	upload → the file is kept with an import record, its columns are
//	         recognised and a dry run shows what would happen;
//	preview → the user corrects the column mapping or the default place
//	         and the dry run runs again;
//	commit → the same work runs for real in one transaction that also
//	         marks the record committed (a crash leaves the register as it
//	         was and the commit can simply be run again).

// importSettings are what the user chose for an import, kept as JSON on
// its record.
type importSettings struct {
	Mapping      ledger.Mapping `json:"mapping"`
	DefaultPlace string         `json:"default_place,omitempty"`
	Header       []string       `json:"header,omitempty"` // the file's header, for the mapping form
}

// ledgerRun is the outcome of a run over an import's file.
type ledgerRun struct {
	Sheet    *ledger.Sheet
	Settings importSettings
	Missing  []ledger.Field
	Report   safetynet.LedgerReport
}

// runLedger reads the import's file, maps and checks its rows, and runs
// the import (as a dry run unless commit). A problem with the file as a
// whole comes back as the error; row problems are in the report.
func (s *Server) runLedger(ctx context.Context, a access.Actor, im sqlstore.ImportRecord, set *importSettings, commit bool) (ledgerRun, error) {
	var run ledgerRun
	data, err := s.store.ImportFile(ctx, a, im.ID)
	if err != nil {
		return run, err
	}
	if run.Sheet, err = ledger.Read(im.FileName, data); err != nil {
		return run, err
	}
	if set == nil {
		set = &importSettings{}
		_ = json.Unmarshal([]byte(im.Mapping), set)
	}
	if set.Mapping == nil {
		set.Mapping = ledger.Detect(run.Sheet.Header)
	}
	set.Header = run.Sheet.Header
	run.Settings = *set
	opt := ledger.Options{Today: s.store.Now(), DefaultPlace: set.DefaultPlace}
	if run.Missing = set.Mapping.MissingWith(opt); len(run.Missing) > 0 {
		var zh, en []string
		for _, f := range run.Missing {
			zh, en = append(zh, f.Label("zh")), append(en, f.Label("en"))
		}
		return run, safetynet.Text(safetynet.EInvalid, "mapping", "缺少必需的列："+strings.Join(zh, "、")+"。请在下方为它们选择对应的列",
			"required columns are missing: "+strings.Join(en, ", ")+"; choose them below")
	}
	places, err := s.store.RegisterPlaces(ctx, a)
	if err != nil {
		return run, err
	}
	lp := make([]ledger.Place, 0, len(places))
	for _, p := range places {
		lp = append(lp, ledger.Place{Code: p.Code, Name: p.Name, Level: p.Level, Path: p.Path})
	}
	hhs, rowErrs := ledger.Build(run.Sheet, set.Mapping, ledger.NewPlaceIndex(lp), opt)
	mapping, _ := json.Marshal(set)
	opts := sqlstore.LedgerOptions{DryRun: !commit || len(rowErrs) > 0, Mapping: string(mapping)}
	if commit {
		opts.ImportID = im.ID
	}
	rep, err := s.store.ImportLedger(ctx, a, hhs, opts)
	rep.Rows = len(run.Sheet.Rows)
	if err != nil && len(rep.Errors) == 0 {
		return run, err
	}
	rep.Errors = mergeRowErrors(rowErrs, rep.Errors)
	if len(rep.Errors) > 0 {
		rep.DryRun = true
		rep.Households, rep.Persons, rep.Categories, rep.Changes = safetynet.Counts{}, safetynet.Counts{}, 0, nil
	}
	run.Report = rep
	return run, nil
}

// preview runs a dry run and keeps its settings and report on the record.
func (s *Server) preview(ctx context.Context, a access.Actor, im sqlstore.ImportRecord, set *importSettings) (ledgerRun, error) {
	run, err := s.runLedger(ctx, a, im, set, false)
	failed := err != nil || len(run.Report.Errors) > 0
	if err != nil && safetynet.AsError(err) == nil {
		return run, err
	}
	mapping, _ := json.Marshal(run.Settings)
	var report []byte
	if err == nil {
		report, _ = json.Marshal(run.Report)
	} else {
		// A problem with the whole file: keep its message for the page.
		e := safetynet.AsError(err)
		report, _ = json.Marshal(map[string]any{"FileError": e})
	}
	if serr := s.store.SaveImportPreview(ctx, a, im.ID, string(mapping), string(report), failed); serr != nil {
		return run, serr
	}
	return run, err
}

// commitImport commits an import with its saved settings. A file that
// still has errors is refused with its report.
func (s *Server) commitImport(ctx context.Context, a access.Actor, id int64) (ledgerRun, error) {
	im, err := s.store.Import(ctx, a, id)
	if err != nil {
		return ledgerRun{}, err
	}
	if im.Status == sqlstore.ImportCommitted {
		return ledgerRun{}, safetynet.Conflict("status", "该导入已经提交过了", "this import was already committed")
	}
	run, err := s.runLedger(ctx, a, im, nil, true)
	if err != nil {
		return run, err
	}
	if len(run.Report.Errors) > 0 {
		return run, safetynet.Invalid("file", "文件中有%d处错误，未做任何更改", "the file has %d errors; nothing was changed", len(run.Report.Errors))
	}
	return run, nil
}

// exportRow turns a register row into a ledger row in the import layout.
func exportRow(h *safetynet.Household, p *safetynet.Person, places map[string]string) ledger.ExportRow {
	r := ledger.ExportRow{HouseholdNumber: h.Number, Place: places[h.PlaceCode], PlaceCode: h.PlaceCode, Address: h.Address,
		HeadName: h.HeadName, Name: p.Name, IDNumber: p.IDNumber, Relation: p.Relation, Sex: p.Sex, Birth: dateJSON(p.Birth),
		Phone: p.Phone, FamilySize: h.Members, IncomeFen: h.IncomeFen, IncomeYear: h.IncomeYear, Housing: h.Housing, Water: h.Water,
		Health: p.Health, DisabilityKind: p.DisabilityKind, DisabilityGrade: p.DisabilityGrade, Education: p.Education,
		InSchool: p.InSchool, Labour: p.Labour, Work: p.Work, Notes: h.Notes}
	if r.Place == "" {
		r.Place = h.PlaceName
	}
	if p.Relation == "head" {
		for _, c := range h.Categories {
			if c.Category == safetynet.CatRisk {
				r.RiskTypes = append(r.RiskTypes, c.RiskType)
			} else {
				r.HouseholdCategories = append(r.HouseholdCategories, c.Category)
			}
		}
	}
	for _, c := range p.Categories {
		if c.Category != safetynet.CatPersonRisk {
			r.PersonCategories = append(r.PersonCategories, c.Category)
		}
	}
	return r
}

// mergeRowErrors joins the errors of reading rows and of matching them
// against the register, by row, within the import error limit.
func mergeRowErrors(a, b []safetynet.RowError) []safetynet.RowError {
	out := append(append([]safetynet.RowError{}, a...), b...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Row < out[j].Row })
	if len(out) > safetynet.MaxImportErrors {
		out = out[:safetynet.MaxImportErrors]
	}
	return out
}
