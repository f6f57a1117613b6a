package sqlstore

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"safetynet"
	"safetynet/rules"
)

// ScreenStats says what a screening did.
type ScreenStats struct {
	Households  int // households screened
	Rules       int // published rules in force
	Evaluations int
	Errors      int // evaluations that failed
	Changed     int // results whose answer changed
	Lines       int // lines opened, closed or reopened
	Elapsed     time.Duration
}

type resultKey struct {
	household, rule int64
}

type storedResult struct {
	version     int
	matched     bool
	err, zh, en string
	fp          int64 // rules.DataHash the answer was explained with
}

type storedLine struct {
	id          int64
	ruleID      int64
	ruleVersion int
	zh          string
	active      bool
	status      string
	dismissedFP string
	fingerprint string
}

type lineKey struct {
	household     int64
	list, measure string
}

// screenChunk screens the households of ids in t: it records each rule's
// answer (and in the history when it changed) and opens, updates and
// closes list lines and outreach tasks. Households no longer active lose
// their lines. Only answers other than a plain no (matched, or failed)
// are kept in rule_results: a household a rule does not match has no row
// there, so that a first screening writes the matches, not every answer,
// and a screening that changes nothing writes nothing.
func (s *Store) screenChunk(ctx context.Context, t *tx, sc *screener, ids []int64, st *ScreenStats) error {
	all, err := s.ruleHouseholdRows(ctx, t, ids)
	if err != nil {
		return err
	}
	places := make([]string, len(all))
	for i := range all {
		places[i] = all[i].place
	}
	if err := sc.prefetchAncestors(ctx, t, places); err != nil {
		return err
	}
	sel := newChunkSel(ids)
	cond, args := sel.where("household_id")
	results := map[resultKey]storedResult{}
	rows, err := t.query(ctx, `SELECT household_id, rule_id, rule_version, matched, error, explain_zh, explain_en, data_fp FROM rule_results
		WHERE `+cond, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: screening results: %w", err)
	}
	for rows.Next() {
		var k resultKey
		var r storedResult
		var m int
		if err := rows.Scan(&k.household, &k.rule, &r.version, &m, &r.err, &r.zh, &r.en, &r.fp); err != nil {
			rows.Close()
			return err
		}
		r.matched = m == 1
		if sel.has(k.household) {
			results[k] = r
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	lines := map[lineKey]storedLine{}
	rows, err = t.query(ctx, `SELECT id, household_id, list, measure, rule_id, rule_version, explain_zh, active, status, dismissed_fp,
		fingerprint FROM screening_lines WHERE `+cond, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: screening lines: %w", err)
	}
	for rows.Next() {
		var k lineKey
		var l storedLine
		var active int
		if err := rows.Scan(&l.id, &k.household, &k.list, &k.measure, &l.ruleID, &l.ruleVersion, &l.zh, &active, &l.status,
			&l.dismissedFP, &l.fingerprint); err != nil {
			rows.Close()
			return err
		}
		l.active = active == 1
		if sel.has(k.household) {
			lines[k] = l
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Only the households with a rule in force at their place, or an answer
	// or a line to take back, need their members read and rules run.
	stored := map[int64]bool{}
	for k := range results {
		stored[k.household] = true
	}
	for k := range lines {
		stored[k.household] = true
	}
	hs := make([]ruleHousehold, 0, len(all))
	for i := range all {
		pr, err := sc.atPlace(ctx, t, all[i].place)
		if err != nil {
			return err
		}
		if len(pr.rules) > 0 || stored[all[i].ID] {
			hs = append(hs, all[i])
		} else {
			st.Households++ // no rule there: nothing to answer
		}
	}
	if err := s.fillRuleHouseholds(ctx, t, hs, sc.day); err != nil {
		return err
	}
	outs, err := sc.evaluateAll(ctx, t, hs, results)
	if err != nil {
		return err
	}
	now := ms(s.now())
	var newResults, history [][]any
	var gone []resultKey
	var opened []newLine
	seenResult := map[resultKey]bool{}
	seenLine := map[lineKey]bool{}
	for i := range hs {
		h := &hs[i]
		outcomes, dfp := outs[i].outcomes, outs[i].fp
		st.Households++
		// unchanged: every matched answer was stored with the data and
		// values of now, so the household's lines hold its fingerprint.
		unchanged := dfp != 0
		for _, o := range outcomes {
			st.Evaluations++
			if o.Err != "" {
				st.Errors++
			}
			k := resultKey{h.ID, o.RuleID}
			seenResult[k] = true
			old, had := results[k]
			plainNo := !o.Matched && o.Err == ""
			ofp := int64(0)
			if o.Matched {
				ofp = dfp
			}
			if o.Matched {
				unchanged = unchanged && had && old.fp == dfp
			}
			same := had && old.version == o.RuleVersion && old.matched == o.Matched && old.err == o.Err && old.zh == o.ZH
			if same && plainNo {
				gone = append(gone, k) // a plain no kept before answers were kept only when not one
				continue
			}
			if same && old.fp == ofp || !had && plainNo {
				continue
			}
			if !same { // a new fingerprint alone is no change of the answer
				st.Changed++
				history = append(history, []any{h.ID, o.RuleID, o.RuleVersion, boolInt(o.Matched), o.Err, o.ZH, o.EN, now})
			}
			switch {
			case !had:
				newResults = append(newResults, []any{h.ID, o.RuleID, o.RuleVersion, boolInt(o.Matched), o.Err, o.ZH, o.EN, now, ofp})
			case plainNo:
				gone = append(gone, k)
			default:
				if _, err := t.exec(ctx, `UPDATE rule_results SET rule_version = ?, matched = ?, error = ?, explain_zh = ?, explain_en = ?,
					screened_at = ?, data_fp = ? WHERE household_id = ? AND rule_id = ?`, o.RuleVersion, boolInt(o.Matched), o.Err, o.ZH, o.EN,
					now, ofp, h.ID, o.RuleID); err != nil {
					return fmt.Errorf("sqlstore: screening result: %w", err)
				}
			}
		}
		held := func(m string) bool { return sc.env.Holds(&h.Household, m) }
		ls := rules.Lines(outcomes, held)
		var computed string // only lines keep the fingerprint: computed once if needed
		for _, l := range ls {
			k := lineKey{h.ID, l.List, l.Measure}
			seenLine[k] = true
			old := lines[k]
			fp := old.fingerprint
			if !unchanged || old.id == 0 {
				if computed == "" {
					computed = rules.Fingerprint(&h.Household)
				}
				fp = computed
			}
			if old.id == 0 {
				opened = append(opened, newLine{h: h, l: l, fp: fp})
				continue
			}
			if err := s.putLine(ctx, t, sc, h, l, fp, old, now, st); err != nil {
				return err
			}
		}
	}
	// Rules no longer in force for a household: their current answer goes
	// (the history keeps it).
	for k := range results {
		if !seenResult[k] {
			gone = append(gone, k)
		}
	}
	for _, k := range gone {
		if _, err := t.exec(ctx, `DELETE FROM rule_results WHERE household_id = ? AND rule_id = ?`, k.household, k.rule); err != nil {
			return fmt.Errorf("sqlstore: screening result: %w", err)
		}
	}
	for k, l := range lines {
		if l.active && !seenLine[k] {
			st.Lines++
			if _, err := t.exec(ctx, `UPDATE screening_lines SET active = 0, version = version + 1 WHERE id = ?`, l.id); err != nil {
				return fmt.Errorf("sqlstore: close line: %w", err)
			}
		}
	}
	if err := s.openLines(ctx, t, sc, opened, now, st); err != nil {
		return err
	}
	cols := []string{"household_id", "rule_id", "rule_version", "matched", "error", "explain_zh", "explain_en"}
	if err := t.insertRows(ctx, "rule_results", append(cols, "screened_at", "data_fp"), newResults); err != nil {
		return err
	}
	if err := t.insertRows(ctx, "rule_history", append(cols, "at"), history); err != nil {
		return err
	}
	return s.colourChunk(ctx, t, sc, ids, all, hs) // risk colours of the chunk (colours_compute.go)
}

// newLine is a list line a household gets for the first time.
type newLine struct {
	h  *ruleHousehold
	l  rules.Line
	fp string
}

// openLines writes the lines households get for the first time, and the
// outreach tasks of the 应享未享 ones, many rows at a time.
func (s *Store) openLines(ctx context.Context, t *tx, sc *screener, opened []newLine, now int64, st *ScreenStats) error {
	if len(opened) == 0 {
		return nil
	}
	ids, err := t.allocIDs(ctx, "screening_lines", len(opened))
	if err != nil {
		return fmt.Errorf("sqlstore: open lines: %w", err)
	}
	lrows := make([][]any, len(opened))
	var orows [][]any
	for i, n := range opened {
		st.Lines++
		lrows[i] = []any{ids[i], n.h.ID, n.h.place, n.l.List, n.l.Measure, n.l.RuleID, n.l.RuleVersion, n.l.ZH, n.l.EN, n.fp, now}
		if n.l.List == rules.ListEligible {
			orows = append(orows, []any{ids[i], n.h.ID, n.h.place, sc.outreachOwner(n.h.place), n.l.Measure, now})
		}
	}
	if err := t.insertRows(ctx, "screening_lines", []string{"id", "household_id", "place_code", "list", "measure", "rule_id",
		"rule_version", "explain_zh", "explain_en", "fingerprint", "since"}, lrows); err != nil {
		return fmt.Errorf("sqlstore: open lines: %w", err)
	}
	if err := t.insertRows(ctx, "outreach_tasks", []string{"line_id", "household_id", "place_code", "owner_place", "measure",
		"created_at"}, orows); err != nil {
		return fmt.Errorf("sqlstore: outreach tasks: %w", err)
	}
	return nil
}

// putLine updates or reopens the stored line old as l for household h. A dismissed
// line stays dismissed while the household's data keep the fingerprint
// they were dismissed on.
func (s *Store) putLine(ctx context.Context, t *tx, sc *screener, h *ruleHousehold, l rules.Line, fp string, old storedLine,
	now int64, st *ScreenStats) error {
	if old.active && old.ruleID == l.RuleID && old.ruleVersion == l.RuleVersion && old.zh == l.ZH && old.fingerprint == fp {
		return nil
	}
	status := old.status
	if status == rules.LineDismissed && old.dismissedFP != fp || !old.active && status != rules.LineDismissed {
		status = rules.LineOpen // the data changed since the dismissal, or the line comes back
	}
	since := "since"
	if !old.active {
		st.Lines++
		since = "?"
	}
	args := []any{h.place, l.RuleID, l.RuleVersion, l.ZH, l.EN, fp, status}
	if !old.active {
		args = append(args, now)
	}
	if _, err := t.exec(ctx, `UPDATE screening_lines SET place_code = ?, rule_id = ?, rule_version = ?, explain_zh = ?, explain_en = ?,
		fingerprint = ?, status = ?, active = 1, since = `+since+`, version = version + 1 WHERE id = ?`, append(args, old.id)...); err != nil {
		return fmt.Errorf("sqlstore: update line: %w", err)
	}
	if !old.active && status == rules.LineOpen {
		return s.openOutreach(ctx, t, sc, h, l, old.id, now)
	}
	return nil
}

// openOutreach gives the grid worker of the household (the village where
// there is no grid) a pending outreach task for a 应享未享 line.
func (s *Store) openOutreach(ctx context.Context, t *tx, sc *screener, h *ruleHousehold, l rules.Line, lineID, now int64) error {
	if l.List != rules.ListEligible {
		return nil
	}
	if _, err := sc.ancestors(ctx, t, h.place); err != nil {
		return err
	}
	owner := sc.outreachOwner(h.place)
	if _, err := t.exec(ctx, `INSERT INTO outreach_tasks (line_id, household_id, place_code, owner_place, measure, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (line_id) DO UPDATE SET status = 'pending', told = 0, wants_apply = 0, note = '',
		told_at = 0, told_by = '', owner_place = excluded.owner_place, version = outreach_tasks.version + 1`,
		lineID, h.ID, h.place, owner, l.Measure, now); err != nil {
		return fmt.Errorf("sqlstore: outreach task: %w", err)
	}
	return nil
}

// ScreenQueued screens up to limit queued households against the
// published rules in force and takes them off the queue, in one
// transaction. It returns how many it screened.
func (s *Store) ScreenQueued(ctx context.Context, limit int) (int, error) {
	env, err := s.RulesEnv(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.write(ctx, func(t *tx) error {
		q := `SELECT household_id FROM screening_queue ORDER BY queued_at, household_id LIMIT ?`
		if s.d.name == "postgres" {
			// Several processes drain the queue: each household goes to one,
			// and a change queued meanwhile waits for this transaction.
			q += ` FOR UPDATE SKIP LOCKED`
		}
		rows, err := t.query(ctx, q, limit)
		if err != nil {
			return fmt.Errorf("sqlstore: screening queue: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		sc, err := s.newScreener(ctx, t, env)
		if err != nil {
			return err
		}
		var st ScreenStats
		if err := s.screenChunk(ctx, t, sc, ids, &st); err != nil {
			return err
		}
		in, args := idList(ids)
		if _, err := t.exec(ctx, `DELETE FROM screening_queue WHERE household_id IN `+in, args...); err != nil {
			return fmt.Errorf("sqlstore: screening queue: %w", err)
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// ScreenAll screens every active household of place's subtree ("" for
// the whole register) in chunks, each its own transaction, calling
// progress after each chunk. It takes the households it screened off the
// queue; those queued meanwhile stay queued. On PostgreSQL, which has
// writers side by side, GOMAXPROCS chunks are screened at once; on SQLite
// the single writer screens one chunk after the other (each chunk's
// evaluation runs on GOMAXPROCS goroutines).
func (s *Store) ScreenAll(ctx context.Context, place string, progress func(done, total int)) (ScreenStats, error) {
	start := time.Now()
	var st ScreenStats
	if place == "" {
		place = safetynet.RootPlaceCode
	}
	env, err := s.RulesEnv(ctx)
	if err != nil {
		return st, err
	}
	cond, args := scopeClause(subtree(place), "place_code")
	var total int
	if err := s.r.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM households WHERE status = 'active' AND `+cond), args...).Scan(&total); err != nil {
		return st, fmt.Errorf("sqlstore: screen: %w", err)
	}
	workers := 1
	if s.d.name == "postgres" {
		workers = max(1, runtime.GOMAXPROCS(0))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan []int64, workers)
	var mu sync.Mutex
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	// One screener for the whole run: the rules in force when it starts,
	// places' ancestors and counties' values cached. Each worker has its
	// own (its caches are not shared), made from the same day.
	day := s.now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sc *screener
			for ids := range chunks {
				var cst ScreenStats
				err := s.write(ctx, func(t *tx) error {
					if sc == nil {
						var err error
						if sc, err = s.newScreenerAt(ctx, t, env, day); err != nil {
							return err
						}
					}
					cst = ScreenStats{Rules: len(sc.rules)}
					// Households queued before the screening started are
					// screened now; a change queued later is read by a later
					// transaction and stays queued. The queue's rows first, as
					// ScreenQueued takes them: no deadlock with it on PostgreSQL.
					in, qargs := idList(ids)
					if _, err := t.exec(ctx, `DELETE FROM screening_queue WHERE queued_at <= ? AND household_id IN `+in,
						append([]any{ms(day)}, qargs...)...); err != nil {
						return fmt.Errorf("sqlstore: screening queue: %w", err)
					}
					return s.screenChunk(ctx, t, sc, ids, &cst)
				})
				if err != nil {
					fail(err)
					continue // drain the channel
				}
				mu.Lock()
				st.Rules = cst.Rules
				st.Households += cst.Households
				st.Evaluations += cst.Evaluations
				st.Errors += cst.Errors
				st.Changed += cst.Changed
				st.Lines += cst.Lines
				done := st.Households
				if progress != nil {
					progress(done, total)
				}
				mu.Unlock()
			}
		}()
	}
	const chunk = 1000
	var last int64
	for ctx.Err() == nil {
		var ids []int64
		err := s.read(ctx, func(t *tx) error {
			var err error
			ids, err = householdIDs(ctx, t, cond, args, last, chunk)
			return err
		})
		if err != nil {
			fail(fmt.Errorf("sqlstore: screen: %w", err))
			break
		}
		if len(ids) == 0 {
			break
		}
		last = ids[len(ids)-1]
		chunks <- ids
	}
	close(chunks)
	wg.Wait()
	st.Elapsed = time.Since(start)
	if firstErr != nil {
		return st, firstErr
	}
	return st, ctx.Err()
}
