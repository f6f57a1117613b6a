package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"safetynet"
	"safetynet/access"
	"safetynet/feeds"
)

const feedUsage = "usage: safetynet feed import FILE.xlsx|FILE.csv --department CODE --as USERNAME [--county CODE] [--mapping MAPPING.json] [--type EVENT_TYPE] [--db …]"

// feedCmd runs "safetynet feed import": a department's file delivered on
// media, pushed on behalf of a user exactly as the 部门数据 page does
// (kept as an upload, the department's saved column mapping, the same
// batch key for the same file).
func (e cmdEnv) feedCmd(ctx context.Context, args []string) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(e.stdout, "Usage: safetynet feed import FILE --department CODE --as USERNAME (safetynet feed import --help lists the flags)")
		return nil
	}
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf(feedUsage)
	}
	fs, db := e.flags("feed import")
	dept := fs.String("department", "", "department code, e.g. medical_insurance (required)")
	as := fs.String("as", "", "username pushing the file: the department's account or a county officer (required)")
	county := fs.String("county", "", "county code of the batch (default: the user's place)")
	mapping := fs.String("mapping", "", `JSON file {"columns": {"header": "field", …}, "event_type": "…"} (default: the saved mapping and the usual headers)`)
	typ := fs.String("type", "", "event type of every row when the file has no type column")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 || *dept == "" || *as == "" {
		return fmt.Errorf(feedUsage)
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return err
	}
	var given *feeds.Mapping
	if *mapping != "" {
		b, err := os.ReadFile(*mapping)
		if err != nil {
			return err
		}
		given = &feeds.Mapping{}
		if err := json.Unmarshal(b, given); err != nil {
			return fmt.Errorf("--mapping %s: %w", *mapping, err)
		}
		norm := map[string]string{}
		for h, f := range given.Columns {
			norm[feeds.NormHeader(h)] = f
		}
		given.Columns = norm
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
	id, err := s.CreateFeedUpload(ctx, a, *dept, *county, filepath.Base(pos[0]), data)
	if err != nil {
		return err
	}
	up, err := s.FeedUpload(ctx, a, id)
	if err != nil {
		return err
	}
	var header []string
	var proposed feeds.Mapping
	b, rej, err := s.PushFeedUpload(ctx, a, up, func(f *feeds.File) feeds.Mapping {
		header, proposed = f.Header, f.Mapping
		m := f.Mapping
		if given != nil {
			m = *given
		}
		if *typ != "" {
			m.EventType = *typ
		}
		return m
	})
	if err != nil {
		if e := safetynet.AsError(err); e != nil && (e.Field == "mapping" || e.Field == "event_type") {
			cols, _ := json.Marshal(proposed)
			return fmt.Errorf("%s: %s\nheader: %q\nproposed mapping: %s\n(give --type, or --mapping with a corrected mapping)", pos[0], e.EN, header, cols)
		}
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	verb := "pushed"
	if b.Replayed {
		verb = "already pushed (nothing stored twice)"
	}
	fmt.Fprintf(e.stdout, "%s %s as batch %d: %d rows; %d matched to the register, %d outside the register, %d rejected\n",
		verb, pos[0], b.ID, b.Rows, b.Matched, b.Unregistered, b.Rejected)
	for _, r := range rej {
		fmt.Fprintf(e.stdout, "row %d (%s): %s: %s\n", r.Row, r.Key, r.Field, r.ReasonEN)
	}
	if b.Rejected > len(rej) {
		fmt.Fprintf(e.stdout, "… %d more rejected rows on the batch's page\n", b.Rejected-len(rej))
	}
	return nil
}
