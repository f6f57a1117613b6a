package register

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/ledger"
)

type places []ledger.Place

func (p places) LedgerPlaces(context.Context, access.Actor) ([]ledger.Place, error) { return p, nil }

var villagePlaces = places{
	{Code: "530302101", Name: "某某镇", Level: safetynet.LevelTown, Path: []string{"某某镇"}},
	{Code: "530302101001", Name: "腰站社区", Level: safetynet.LevelVillage, Path: []string{"某某镇", "腰站社区"}},
}

// saver records the calls of the storage step and answers with rep.
type saver struct {
	calls  int
	dryRun bool
	hhs    int
	set    ImportSettings
	rep    safetynet.LedgerReport
	err    error
}

func (s *saver) save(_ context.Context, hhs []safetynet.LedgerHousehold, set ImportSettings, dryRun bool) (safetynet.LedgerReport, error) {
	s.calls, s.dryRun, s.hhs, s.set = s.calls+1, dryRun, len(hhs), set
	rep := s.rep
	if len(rep.Errors) == 0 {
		rep.DryRun = dryRun
		rep.Households.Created = len(hhs)
	}
	return rep, s.err
}

const (
	idA = "11010519491231002X"
	idC = "371001198010082394"
)

func csvFile(rows ...string) LedgerFile {
	return LedgerFile{Name: "台账.csv", Data: []byte(strings.Join(rows, "\n") + "\n")}
}

func TestImportLedger(t *testing.T) {
	today := time.Date(2025, time.June, 1, 0, 0, 0, 0, time.UTC)
	good := csvFile("户编号,所属村组,姓名,身份证号,与户主关系", "1,腰站社区,王芳,"+idA+",户主", "1,,李强,"+idC+",配偶")
	badRow := csvFile("户编号,所属村组,姓名,身份证号,与户主关系", "1,腰站社区,王芳,"+idA[:17]+"1,户主", "2,腰站社区,李强,"+idC+",户主")
	ctx := context.Background()

	t.Run("preview is a dry run with detected columns", func(t *testing.T) {
		s := &saver{}
		run, err := ImportLedger(ctx, villagePlaces, access.Actor{}, good, ImportSettings{}, today, false, s.save)
		if err != nil || s.calls != 1 || !s.dryRun || s.hhs != 1 || !run.Report.DryRun || run.Report.Rows != 2 {
			t.Fatalf("run = %+v, save = %+v, err = %v", run.Report, s, err)
		}
		if run.Settings.Mapping == nil || len(run.Settings.Header) != 5 || s.set.Mapping == nil {
			t.Errorf("settings = %+v: want the detected mapping and the header", run.Settings)
		}
	})
	t.Run("commit saves for real", func(t *testing.T) {
		s := &saver{}
		run, err := ImportLedger(ctx, villagePlaces, access.Actor{}, good, ImportSettings{}, today, true, s.save)
		if err != nil || s.dryRun || run.Report.Households.Created != 1 || CheckCommit(run) != nil {
			t.Fatalf("run = %+v, save = %+v, err = %v", run.Report, s, err)
		}
	})
	t.Run("a bad row turns a commit into a dry run and counts nothing", func(t *testing.T) {
		s := &saver{}
		run, err := ImportLedger(ctx, villagePlaces, access.Actor{}, badRow, ImportSettings{}, today, true, s.save)
		if err != nil || !s.dryRun || len(run.Report.Errors) != 1 || run.Report.Errors[0].Row != 2 || run.Report.Households.Created != 0 {
			t.Fatalf("run = %+v, save = %+v, err = %v", run.Report, s, err)
		}
		if e := safetynet.AsError(CheckCommit(run)); e == nil || e.Field != "file" {
			t.Errorf("CheckCommit = %v, want the file refused", e)
		}
	})
	t.Run("rows the register refuses join the rows the file gets wrong, by row", func(t *testing.T) {
		s := &saver{rep: safetynet.LedgerReport{Errors: []safetynet.RowError{{Row: 3, EN: "already registered"}}}, err: errors.New("refused")}
		run, err := ImportLedger(ctx, villagePlaces, access.Actor{}, badRow, ImportSettings{}, today, true, s.save)
		if err != nil || len(run.Report.Errors) != 2 || run.Report.Errors[0].Row != 2 || run.Report.Errors[1].Row != 3 {
			t.Fatalf("errors = %+v, err = %v", run.Report.Errors, err)
		}
	})
	t.Run("a storage failure is the error", func(t *testing.T) {
		boom := errors.New("disk full")
		s := &saver{err: boom}
		if _, err := ImportLedger(ctx, villagePlaces, access.Actor{}, good, ImportSettings{}, today, true, s.save); !errors.Is(err, boom) {
			t.Fatalf("err = %v, want the storage error", err)
		}
	})
	t.Run("a missing column is named in both languages, nothing saved", func(t *testing.T) {
		s := &saver{}
		run, err := ImportLedger(ctx, villagePlaces, access.Actor{}, csvFile("所属村组,姓名", "腰站社区,王芳"), ImportSettings{}, today, true, s.save)
		e := safetynet.AsError(err)
		if e == nil || e.Field != "mapping" || s.calls != 0 || len(run.Missing) == 0 {
			t.Fatalf("err = %v, missing %v, saves %d", err, run.Missing, s.calls)
		}
		if !strings.Contains(e.ZH, "身份证号") || strings.ContainsAny(e.EN, "身份证号") {
			t.Errorf("messages = %q / %q: want the column named in each language", e.ZH, e.EN)
		}
	})
	t.Run("an unreadable file", func(t *testing.T) {
		s := &saver{}
		if _, err := ImportLedger(ctx, villagePlaces, access.Actor{}, LedgerFile{Name: "x.pdf", Data: []byte("%PDF")}, ImportSettings{}, today, false, s.save); err == nil || s.calls != 0 {
			t.Fatalf("err = %v, saves %d", err, s.calls)
		}
	})
}

func TestMergeRowErrors(t *testing.T) {
	var many []safetynet.RowError
	for i := safetynet.MaxImportErrors + 5; i > 0; i-- {
		many = append(many, safetynet.RowError{Row: i})
	}
	got := MergeRowErrors(many[:3], many[3:])
	if len(got) != safetynet.MaxImportErrors || got[0].Row != 1 || got[len(got)-1].Row != safetynet.MaxImportErrors {
		t.Errorf("got %d errors from row %d to %d", len(got), got[0].Row, got[len(got)-1].Row)
	}
}
