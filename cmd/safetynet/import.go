package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"safetynet"
	"safetynet/access"
	"safetynet/register"
	"safetynet/sqlstore"
)

// importLedger imports a ledger file from the command line on behalf of a
// user (whose scope and permissions apply), all or nothing, keeping the
// file with an import record like the web UI does: the same use case,
// register.ImportLedger, as the web UI and the API.
func (e cmdEnv) importLedger(ctx context.Context, args []string) error {
	fs, db := e.flags("import")
	as := fs.String("as", "", "username whose scope the import uses (required)")
	place := fs.String("place", "", "place code for rows that name no village or group")
	dry := fs.Bool("dry-run", false, "check and report without saving")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *as == "" {
		return fmt.Errorf("usage: safetynet import FILE.xlsx|FILE.csv --as USERNAME [--place CODE] [--dry-run] [--db …]")
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return err
	}
	s, err := e.open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.UserByUsername(ctx, access.System(), *as)
	if err != nil {
		return fmt.Errorf("--as %s: %w", *as, err)
	}
	a := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "cli"}
	progress := func(done, total int) { fmt.Fprintf(e.stderr, "%d/%d households\n", done, total) }
	run, err := register.ImportLedger(ctx, s, a, register.LedgerFile{Name: pos[0], Data: data}, register.ImportSettings{DefaultPlace: *place},
		s.Now(), !*dry, func(ctx context.Context, hhs []safetynet.LedgerHousehold, set register.ImportSettings, dryRun bool) (safetynet.LedgerReport, error) {
			opts := sqlstore.LedgerOptions{DryRun: dryRun, Progress: progress}
			if !dryRun {
				// The file is kept with an import record, as the web UI does,
				// only when the import is for real.
				rec, err := s.CreateImport(ctx, a, "ledger", filepath.Base(pos[0]), data)
				if err != nil {
					return safetynet.LedgerReport{}, err
				}
				mapping, _ := json.Marshal(set)
				opts.ImportID, opts.Mapping = rec.ID, string(mapping)
			}
			return s.ImportLedger(ctx, a, hhs, opts)
		})
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	rep := run.Report
	if len(rep.Errors) > 0 {
		return reportRowErrors(e.stderr, pos[0], rep.Errors)
	}
	verb := "imported"
	if *dry {
		verb = "checked (dry run, nothing saved)"
	}
	fmt.Fprintf(e.stdout, "%s %s: %d rows; households %d new, %d updated, %d unchanged; persons %d new, %d updated, %d unchanged\n",
		verb, pos[0], rep.Rows, rep.Households.Created, rep.Households.Updated, rep.Households.Unchanged,
		rep.Persons.Created, rep.Persons.Updated, rep.Persons.Unchanged)
	return nil
}
