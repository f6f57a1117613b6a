package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"safetynet/access"
	"safetynet/ledger"
	"safetynet/sqlstore"
)

// importLedger imports a ledger file from the command line on behalf of a
// user (whose scope and permissions apply), all or nothing, keeping the
// file with an import record like the web UI does.
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
	sheet, err := ledger.Read(pos[0], data)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	opt := ledger.Options{DefaultPlace: *place}
	m := ledger.Detect(sheet.Header)
	if missing := m.MissingWith(opt); len(missing) > 0 {
		return fmt.Errorf("%s: required columns are missing: %v", pos[0], missing)
	}
	places, err := s.RegisterPlaces(ctx, a)
	if err != nil {
		return err
	}
	lp := make([]ledger.Place, 0, len(places))
	for _, p := range places {
		lp = append(lp, ledger.Place{Code: p.Code, Name: p.Name, Level: p.Level, Path: p.Path})
	}
	hhs, rowErrs := ledger.Build(sheet, m, ledger.NewPlaceIndex(lp), opt)
	if len(rowErrs) > 0 {
		return reportRowErrors(e.stderr, pos[0], rowErrs)
	}
	opts := sqlstore.LedgerOptions{DryRun: *dry, Progress: func(done, total int) {
		fmt.Fprintf(e.stderr, "%d/%d households\n", done, total)
	}}
	if !*dry {
		rec, err := s.CreateImport(ctx, a, "ledger", filepath.Base(pos[0]), data)
		if err != nil {
			return err
		}
		mapping, _ := json.Marshal(map[string]any{"mapping": m, "default_place": *place})
		opts.ImportID, opts.Mapping = rec.ID, string(mapping)
	}
	rep, err := s.ImportLedger(ctx, a, hhs, opts)
	if len(rep.Errors) > 0 {
		return reportRowErrors(e.stderr, pos[0], rep.Errors)
	}
	if err != nil {
		return err
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
