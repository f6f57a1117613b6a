package demo

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
	"safetynet/synth"
)

// focusShare is the part of generated households that live in the demo
// groups and grids (腰站社区 and the seeds' other communities), so that the
// demo users find plenty of households; the rest spread over every village
// of the five counties.
const focusShare = 0.15

// AddHouseholds generates n synthetic households (invented names, valid
// ID numbers of the right county and birth date, realistic families and
// categories) and saves them through the ledger import (its bulk path), batch by batch.
// progress, if not nil, is called after each batch.
func AddHouseholds(ctx context.Context, s *sqlstore.Store, n int, seed uint64, progress func(done int)) error {
	places, err := demoPlaces(ctx, s)
	if err != nil {
		return err
	}
	g := synth.New(seed, places, time.Now())
	const batch = 5000 // households per import: each is written in bulk (see sqlstore.ImportLedger)
	for done := 0; done < n; {
		k := min(batch, n-done)
		rep, err := s.ImportLedger(ctx, access.System(), g.Batch(k), sqlstore.LedgerOptions{})
		if err != nil {
			if len(rep.Errors) > 0 {
				return fmt.Errorf("demo: households: row %d: %s", rep.Errors[0].Row, rep.Errors[0].EN)
			}
			return fmt.Errorf("demo: households: %w", err)
		}
		done += k
		if progress != nil {
			progress(done)
		}
	}
	return nil
}

// demoPlaces lists where generated households live: every village of the
// demo, and the demo grids repeated so that they get focusShare of them.
func demoPlaces(ctx context.Context, s *sqlstore.Store) ([]synth.Place, error) {
	all, err := s.RegisterPlaces(ctx, access.System())
	if err != nil {
		return nil, err
	}
	var villages, grids []synth.Place
	for _, p := range all {
		sp := synth.Place{Code: p.Code, Name: p.Name, County: p.Code[:6]}
		switch p.Level {
		case safetynet.LevelVillage:
			villages = append(villages, sp)
		case safetynet.LevelGrid:
			grids = append(grids, sp)
		}
	}
	if len(villages) == 0 {
		return nil, fmt.Errorf("demo: no villages: load the demo places first")
	}
	out := villages
	if len(grids) > 0 {
		k := int(focusShare*float64(len(villages))/((1-focusShare)*float64(len(grids)))) + 1
		for i := 0; i < k; i++ {
			out = append(out, grids...)
		}
	}
	return out, nil
}
