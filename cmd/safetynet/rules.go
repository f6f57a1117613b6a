package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

const rulesUsage = `usage: safetynet rules screen [--place CODE] [--db …]
       safetynet rules test FILE.json [--db …]`

// rulesCmd runs "safetynet rules screen|test".
func (e cmdEnv) rulesCmd(ctx context.Context, args []string) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(e.stdout, rulesUsage)
		return nil
	}
	if len(args) == 0 {
		return errors.New(rulesUsage)
	}
	switch args[0] {
	case "screen":
		return e.rulesScreen(ctx, args[1:])
	case "test":
		return e.rulesTest(ctx, args[1:])
	}
	return errors.New(rulesUsage)
}

// rulesScreen screens every household of a place (the whole register by
// default) against the published rules in force, with progress on stderr.
func (e cmdEnv) rulesScreen(ctx context.Context, args []string) error {
	fs, db := e.flags("rules screen")
	place := fs.String("place", "", "screen only the households of this place's subtree (division code)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	s, err := e.open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	last := time.Time{}
	st, err := s.ScreenAll(ctx, *place, func(done, total int) {
		if time.Since(last) >= time.Second || done == total {
			last = time.Now()
			fmt.Fprintf(e.stderr, "screened %d/%d households (%s)\n", done, total, time.Since(start).Round(time.Second))
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "screened %d households against %d rules: %d evaluations, %d errors, %d answers changed, %d lines changed in %s\n",
		st.Households, st.Rules, st.Evaluations, st.Errors, st.Changed, st.Lines, st.Elapsed.Round(time.Millisecond))
	return nil
}

// rulesTest runs the examples of a rule test file (rules.TestFile) and
// fails listing the examples answered wrongly.
func (e cmdEnv) rulesTest(ctx context.Context, args []string) error {
	fs, db := e.flags("rules test")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New(rulesUsage)
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
	env, err := s.RulesEnv(ctx)
	if err != nil {
		return err
	}
	f, err := env.ParseTestFile(data)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	fails, err := env.RunTestFile(ctx, f)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	n := 0
	for _, r := range f.Rules {
		n += len(r.Examples)
	}
	for _, x := range fails {
		fmt.Fprintf(e.stderr, "FAIL %s\n", x.String())
	}
	if len(fails) > 0 {
		return fmt.Errorf("%s: %d of %d examples failed", pos[0], len(fails), n)
	}
	fmt.Fprintf(e.stdout, "ok %s: %d rules, %d examples\n", pos[0], len(f.Rules), n)
	return nil
}
