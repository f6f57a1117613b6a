package httpserver

import (
	"context"
	"encoding/json"

	"safetynet"
	"safetynet/access"
	"safetynet/ledger"
	"safetynet/register"
	"safetynet/sqlstore"
)

// The ledger import flow of the API and the web UI; the use case itself
// (read, check, save, report) is register.ImportLedger, which the CLI runs
// too:
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
type importSettings = register.ImportSettings

// ledgerRun is the outcome of a run over an import's file.
type ledgerRun = register.LedgerRun

// runLedger runs the import of a kept file (as a dry run unless commit),
// with set or else the settings saved on its record.
func (s *Server) runLedger(ctx context.Context, a access.Actor, im sqlstore.ImportRecord, set *importSettings, commit bool) (ledgerRun, error) {
	data, err := s.store.ImportFile(ctx, a, im.ID)
	if err != nil {
		return ledgerRun{}, err
	}
	if set == nil {
		set = &importSettings{}
		_ = json.Unmarshal([]byte(im.Mapping), set)
	}
	return register.ImportLedger(ctx, s.store, a, register.LedgerFile{Name: im.FileName, Data: data}, *set, s.store.Now(), commit,
		func(ctx context.Context, hhs []safetynet.LedgerHousehold, set importSettings, dryRun bool) (safetynet.LedgerReport, error) {
			mapping, _ := json.Marshal(set)
			opts := sqlstore.LedgerOptions{DryRun: dryRun, Mapping: string(mapping)}
			if commit {
				opts.ImportID = im.ID
			}
			return s.store.ImportLedger(ctx, a, hhs, opts)
		})
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
	return run, register.CheckCommit(run)
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
