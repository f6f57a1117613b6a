package register

import (
	"context"
	"sort"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/ledger"
)

// The ledger import use case, the one the web UI, the API and the CLI
// run:
//
//	read   → the file's sheet is read; its columns are recognised unless
//	         the user mapped them;
//	check  → a required column missing stops here (a clear error naming
//	         them); rows are built into households against the places of
//	         the user's scope, each problem kept with its row;
//	save   → storage runs the import: for real only when asked and no row
//	         has a problem, else as a dry run that finds the rows the
//	         register refuses too; all or nothing;
//	report → the problems of both kinds, by row; a report with problems
//	         counts nothing, because nothing was changed.

// ImportSettings are what the user chose for an import, kept as JSON on
// its record.
type ImportSettings struct {
	Mapping      ledger.Mapping `json:"mapping"`
	DefaultPlace string         `json:"default_place,omitempty"`
	Header       []string       `json:"header,omitempty"` // the file's header, for the mapping form
}

// LedgerRun is the outcome of a run over a ledger file.
type LedgerRun struct {
	Sheet    *ledger.Sheet
	Settings ImportSettings
	Missing  []ledger.Field
	Report   safetynet.LedgerReport
}

// LedgerFile is an uploaded ledger.
type LedgerFile struct {
	Name string // its name, whose extension says its format
	Data []byte
}

// PlaceLister lists the places where actor may register households, as a
// ledger's place column may name them (sqlstore.Store).
type PlaceLister interface {
	LedgerPlaces(ctx context.Context, a access.Actor) ([]ledger.Place, error)
}

// SaveLedger runs storage's import of the households built from a file
// with the settings used, as a dry run when dryRun.
type SaveLedger func(ctx context.Context, hhs []safetynet.LedgerHousehold, set ImportSettings, dryRun bool) (safetynet.LedgerReport, error)

// ImportLedger runs the import of file for a: a dry run unless commit.
// A problem with the file as a whole (unreadable, a required column
// missing) comes back as the error, with what was learnt of the file in
// the run; problems of rows are in the run's report.
func ImportLedger(ctx context.Context, places PlaceLister, a access.Actor, file LedgerFile, set ImportSettings, today time.Time,
	commit bool, save SaveLedger) (LedgerRun, error) {
	var run LedgerRun
	var err error
	if run.Sheet, err = ledger.Read(file.Name, file.Data); err != nil {
		return run, err
	}
	if set.Mapping == nil {
		set.Mapping = ledger.Detect(run.Sheet.Header)
	}
	set.Header = run.Sheet.Header
	run.Settings = set
	opt := ledger.Options{Today: today, DefaultPlace: set.DefaultPlace}
	if run.Missing = set.Mapping.MissingWith(opt); len(run.Missing) > 0 {
		return run, MissingColumns(run.Missing)
	}
	lp, err := places.LedgerPlaces(ctx, a)
	if err != nil {
		return run, err
	}
	hhs, rowErrs := ledger.Build(run.Sheet, set.Mapping, ledger.NewPlaceIndex(lp), opt)
	rep, err := save(ctx, hhs, set, !commit || len(rowErrs) > 0)
	rep.Rows = len(run.Sheet.Rows)
	if err != nil && len(rep.Errors) == 0 {
		return run, err
	}
	rep.Errors = MergeRowErrors(rowErrs, rep.Errors)
	if len(rep.Errors) > 0 {
		rep.DryRun = true
		rep.Households, rep.Persons, rep.Categories, rep.Changes = safetynet.Counts{}, safetynet.Counts{}, 0, nil
	}
	run.Report = rep
	return run, nil
}

// MissingColumns is the error of a file lacking required columns, naming
// them.
func MissingColumns(missing []ledger.Field) error {
	zh, en := make([]string, len(missing)), make([]string, len(missing))
	for i, f := range missing {
		zh[i], en[i] = f.Label("zh"), f.Label("en")
	}
	return safetynet.Text(safetynet.EInvalid, "mapping", "缺少必需的列："+strings.Join(zh, "、")+"。请在下方为它们选择对应的列",
		"required columns are missing: "+strings.Join(en, ", ")+"; choose them below")
}

// MergeRowErrors joins the errors of reading rows and of matching them
// against the register, by row, within the import error limit.
func MergeRowErrors(a, b []safetynet.RowError) []safetynet.RowError {
	out := append(append([]safetynet.RowError{}, a...), b...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Row < out[j].Row })
	if len(out) > safetynet.MaxImportErrors {
		out = out[:safetynet.MaxImportErrors]
	}
	return out
}

// CheckCommit refuses to commit an import whose run found problems.
func CheckCommit(run LedgerRun) error {
	if n := len(run.Report.Errors); n > 0 {
		return safetynet.Invalid("file", "文件中有%d处错误，未做任何更改", "the file has %d errors; nothing was changed", n)
	}
	return nil
}
