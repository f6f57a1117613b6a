package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

const visitsUsage = `usage: safetynet visits plan [--db …]`

// visitsCmd runs "safetynet visits plan": the day's due visits for the
// whole register now (the jobs loop does it once a day after midnight).
func (e cmdEnv) visitsCmd(ctx context.Context, args []string) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(e.stdout, visitsUsage)
		return nil
	}
	if len(args) == 0 || args[0] != "plan" {
		return errors.New(visitsUsage)
	}
	fs, db := e.flags("visits plan")
	if _, err := parse(fs, args[1:]); err != nil {
		return err
	}
	s, err := e.open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	g, err := s.GenerateVisits(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "visits due on %s: %d new in %s\n", g.Date, g.Created, time.Since(start).Round(time.Millisecond))
	return nil
}
