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
	p, err := s.prepareChunk(ctx, t, sc, ids)
	if err != nil {
		return err
	}
	return s.applyChunk(ctx, t, sc, p, nil, st)
}

// preparedChunk is a chunk of households read and evaluated (prepareChunk),
// ready to be written (applyChunk), possibly in a later transaction.
type preparedChunk struct {
	ids  []int64
	seq  map[int64]int64 // households.screen_seq of every id when read
	all  []ruleHousehold // the active households of ids, unfilled but those in hs
	hs   []ruleHousehold // the active households with a rule in force or something stored
	outs []evaluated     // outs[i]: what the rules answered for hs[i]
	idle int             // active households with nothing to answer
}

// prepareChunk reads the households of ids (in t, a read or the write
// transaction) and evaluates the rules in force for them: everything of a
// screening but the writes.
func (s *Store) prepareChunk(ctx context.Context, t *tx, sc *screener, ids []int64) (*preparedChunk, error) {
	all, seq, err := s.ruleHouseholdRowsSeq(ctx, t, ids)
	if err != nil {
		return nil, err
	}
	places := make([]string, len(all))
	for i := range all {
		places[i] = all[i].place
	}
	if err := sc.prefetchAncestors(ctx, t, places); err != nil {
		return nil, err
	}
	sel := newChunkSel(ids)
	results, err := storedResults(ctx, t, sel)
	if err != nil {
		return nil, err
	}
	// Only the households with a rule in force at their place, or an answer
	// or a line to take back, need their members read and rules run.
	stored := map[int64]bool{}
	for k := range results {
		stored[k.household] = true
	}
	cond, args := sel.where("household_id")
	rows, err := t.query(ctx, `SELECT DISTINCT household_id FROM screening_lines WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: screening lines: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		stored[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	p := &preparedChunk{ids: ids, seq: seq, all: all, hs: make([]ruleHousehold, 0, len(all))}
	for i := range all {
		pr, err := sc.atPlace(ctx, t, all[i].place)
		if err != nil {
			return nil, err
		}
		if len(pr.rules) > 0 || stored[all[i].ID] {
			p.hs = append(p.hs, all[i])
		} else {
			p.idle++ // no rule there: nothing to answer
		}
	}
	if err := s.fillRuleHouseholds(ctx, t, p.hs, sc.day); err != nil {
		return nil, err
	}
	if p.outs, err = sc.evaluateAll(ctx, t, p.hs, results); err != nil {
		return nil, err
	}
	return p, nil
}

// storedResults reads the answers kept for the chunk's households.
func storedResults(ctx context.Context, t *tx, sel chunkSel) (map[resultKey]storedResult, error) {
	cond, args := sel.where("household_id")
	results := map[resultKey]storedResult{}
	rows, err := t.query(ctx, `SELECT household_id, rule_id, rule_version, matched, error, explain_zh, explain_en, data_fp FROM rule_results
		WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: screening results: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k resultKey
		var r storedResult
		var m int
		if err := rows.Scan(&k.household, &k.rule, &r.version, &m, &r.err, &r.zh, &r.en, &r.fp); err != nil {
			return nil, err
		}
		r.matched = m == 1
		if sel.has(k.household) {
			results[k] = r
		}
	}
	return results, rows.Err()
}

// applyChunk writes, in t (the write transaction), what p answered: the
// answers, history, lines and outreach tasks, against what is stored now.
// The households of moved (their counter moved since p was read) are left
// as they are: they are queued again and screened from their new data.
func (s *Store) applyChunk(ctx context.Context, t *tx, sc *screener, p *preparedChunk, moved map[int64]bool, st *ScreenStats) error {
	st.Households += p.idle
	sel := newChunkSel(p.ids)
	keep := func(id int64) bool { return sel.has(id) && !moved[id] }
	results, err := storedResults(ctx, t, sel)
	if err != nil {
		return err
	}
	for k := range results {
		if moved[k.household] {
			delete(results, k)
		}
	}
	cond, args := sel.where("household_id")
	lines := map[lineKey]storedLine{}
	rows, err := t.query(ctx, `SELECT id, household_id, list, measure, rule_id, rule_version, explain_zh, active, status, dismissed_fp,
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
		if keep(k.household) {
			lines[k] = l
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	hs, outs := p.hs, p.outs
	if len(moved) > 0 {
		hs, outs = nil, nil
		for i := range p.hs {
			if !moved[p.hs[i].ID] {
				hs = append(hs, p.hs[i])
				outs = append(outs, p.outs[i])
			}
		}
	}
	if len(hs) > 0 {
		places := make([]string, len(hs))
		for i := range hs {
			places[i] = hs[i].place
		}
		if err := sc.prefetchAncestors(ctx, t, places); err != nil {
			return err
		}
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
	ids, all := p.ids, p.all
	if len(moved) > 0 {
		ids, all = nil, nil
		for _, id := range p.ids {
			if !moved[id] {
				ids = append(ids, id)
			}
		}
		for i := range p.all {
			if !moved[p.all[i].ID] {
				all = append(all, p.all[i])
			}
		}
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

// screenAllBeforeWrite, when set (by tests only), is called between the
// read of a chunk and its write: a change made there is one committed
// while the chunk was being evaluated.
var screenAllBeforeWrite func(ids []int64)

// ScreenAll screens every active household of place's subtree ("" for
// the whole register) in chunks, calling progress after each chunk. It
// takes the households it screened off the queue; those queued meanwhile
// stay queued.
//
// Reading and evaluating a chunk happen outside the writer, in a read
// snapshot of their own (GOMAXPROCS chunks at once), pipelined with the
// writes: the write transaction reads what is stored, compares and writes.
// A household changed after its chunk was read has its change counter
// moved (enqueue): its answers are not written, it stays queued and is
// screened again from its new data. On PostgreSQL, which has writers side
// by side, GOMAXPROCS chunks are written at once; on SQLite the single
// writer writes one chunk after the other.
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
	readers := max(1, runtime.GOMAXPROCS(0))
	writers := 1
	if s.d.name == "postgres" {
		writers = readers
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan []int64, readers)
	ready := make(chan *preparedChunk, readers)
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
	// The rules in force when the screening starts, for every chunk. Each
	// goroutine has its own screener (its caches are not shared), made
	// from the same day.
	day := s.now()
	var gen int64
	if err := s.read(ctx, func(t *tx) error {
		var err error
		gen, err = screeningGeneration(ctx, t, false)
		return err
	}); err != nil {
		return st, err
	}
	var rwg, wwg sync.WaitGroup
	for range readers {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			var sc *screener
			for ids := range chunks {
				var p *preparedChunk
				err := s.snapshot(ctx, func(t *tx) error {
					if sc == nil {
						var err error
						if sc, err = s.newScreenerAt(ctx, t, env, day); err != nil {
							return err
						}
					}
					var err error
					p, err = s.prepareChunk(ctx, t, sc, ids)
					return err
				})
				if err != nil {
					fail(err)
					continue // drain the channel
				}
				ready <- p
			}
		}()
	}
	for range writers {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			var sc *screener
			for p := range ready {
				if ctx.Err() != nil {
					continue // drain the channel
				}
				if screenAllBeforeWrite != nil {
					screenAllBeforeWrite(p.ids)
				}
				var cst ScreenStats
				err := s.write(ctx, func(t *tx) error {
					if sc == nil {
						var err error
						if sc, err = s.newScreenerAt(ctx, t, env, day); err != nil {
							return err
						}
					}
					cst = ScreenStats{Rules: len(sc.rules)}
					// The counters first (on PostgreSQL they lock the
					// households until commit), then the queue's rows, as
					// ScreenQueued takes them: no deadlock with it or with a
					// change on PostgreSQL. If the rules or values in force
					// changed since the screening started, every household
					// stays queued. Households queued before the
					// screening started and unchanged since their chunk was
					// read are screened now; a change committed later moved
					// its household's counter: it stays queued.
					g, err := screeningGeneration(ctx, t, true)
					if err != nil {
						return err
					}
					seq, err := screenSeqs(ctx, t, p.ids)
					if err != nil {
						return err
					}
					var moved map[int64]bool
					var done []int64
					for _, id := range p.ids {
						if seq[id] != p.seq[id] {
							if moved == nil {
								moved = map[int64]bool{}
							}
							moved[id] = true
							continue
						}
						done = append(done, id)
					}
					if len(done) > 0 && g == gen { // else the rules changed: all stay queued
						in, qargs := idList(done)
						if _, err := t.exec(ctx, `DELETE FROM screening_queue WHERE queued_at <= ? AND household_id IN `+in,
							append([]any{ms(day)}, qargs...)...); err != nil {
							return fmt.Errorf("sqlstore: screening queue: %w", err)
						}
					}
					return s.applyChunk(ctx, t, sc, p, moved, &cst)
				})
				if err != nil {
					fail(err)
					continue
				}
				mu.Lock()
				st.Rules = cst.Rules
				st.Households += cst.Households
				st.Evaluations += cst.Evaluations
				st.Errors += cst.Errors
				st.Changed += cst.Changed
				st.Lines += cst.Lines
				if progress != nil {
					progress(st.Households, total)
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
	rwg.Wait()
	close(ready)
	wwg.Wait()
	st.Elapsed = time.Since(start)
	if firstErr != nil {
		return st, firstErr
	}
	return st, ctx.Err()
}
