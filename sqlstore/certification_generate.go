package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"safetynet/certification"
	"safetynet/relay"
)

// RefreshResult says what a refresh of the certification dues did.
type RefreshResult struct {
	Skipped     bool // nothing changed since the last refresh today
	Created     int  // recipients given a first due date
	Reactivated int  // recipients whose measure is in force again
	Ended       int  // recipients whose measure is no longer in force
	Reminders   int  // reminders opened on the relay's clocks
}

// certKindSQL is the reminders' kind as an SQL literal: with it in the
// text, PostgreSQL's cached plans use the partial index on open reminders
// (a parameter cannot prove the index's predicate).
const certKindSQL = "'" + certification.KindDue + "'"

// certTables makes the refresh's temporary tables (once per connection)
// and empties them.
func (s *Store) certTables(ctx context.Context, t *tx) error {
	id, keep := "INTEGER", ""
	if s.d.name == "postgres" {
		id, keep = "BIGINT", " ON COMMIT DELETE ROWS"
	}
	for _, q := range []string{
		`CREATE TEMP TABLE IF NOT EXISTS cert_in_force (person_id ` + id + ` NOT NULL, household_id ` + id + ` NOT NULL,
			place_code TEXT NOT NULL, measure TEXT NOT NULL, start_date TEXT NOT NULL, PRIMARY KEY (person_id, measure))` + keep,
		`CREATE TEMP TABLE IF NOT EXISTS cert_clock (due_date TEXT PRIMARY KEY, rank INTEGER NOT NULL, due_at ` + id + ` NOT NULL,
			interval_ms ` + id + ` NOT NULL)` + keep,
		`CREATE TEMP TABLE IF NOT EXISTS cert_dates (start_date TEXT NOT NULL, measure TEXT NOT NULL, basis_date TEXT NOT NULL,
			due_date TEXT NOT NULL, PRIMARY KEY (start_date, measure))` + keep,
		`DELETE FROM cert_in_force`, `DELETE FROM cert_clock`, `DELETE FROM cert_dates`,
	} {
		if _, err := t.exec(ctx, q); err != nil {
			return fmt.Errorf("sqlstore: certification tables: %w", err)
		}
	}
	return nil
}

// certQuiet are the audit actions that cannot change who is due: views,
// logins, and the certification's own records and reviews (which update
// their due themselves).
var certQuiet = append([]string{"certification.record", "certification.review"}, viewActions...)

// certMark is what says the register or the relay changed: the last audit
// entry (every change of the register, the relay and the settings writes
// one), with the local day, since the dues must also move with the date.
// It is kept as "day/id" in the settings table.
func (s *Store) certMark(ctx context.Context, t *tx) (string, int64, error) {
	var last int64
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit_log`).Scan(&last); err != nil {
		return "", 0, fmt.Errorf("sqlstore: certification mark: %w", err)
	}
	return certification.Day(s.now()).Format(dateLayout), last, nil
}

// certChanged says whether anything but views, logins and certification
// records was audited after the entry since (read through the primary
// key: only the entries since the last check).
func (s *Store) certChanged(ctx context.Context, t *tx, since int64) (bool, error) {
	q := `SELECT COUNT(*) FROM audit_log WHERE id > ? AND action NOT LIKE 'auth.%' AND action NOT IN (` +
		strings.TrimSuffix(strings.Repeat("?, ", len(certQuiet)), ", ") + `)`
	args := []any{since}
	for _, a := range certQuiet {
		args = append(args, a)
	}
	var n int
	if err := t.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return false, fmt.Errorf("sqlstore: certification mark: %w", err)
	}
	return n > 0, nil
}

// RefreshCertifications brings the dues up to date for the whole register,
// set-based: every person of a household with a measure requiring
// certification in force (an approved application of the relay in its
// period, or the register's 低保/特困 categories) gets a due date from the
// start of the measure; those whose measure ended are set aside; every
// due within the window gets its reminder on the relay's clocks. Unless
// force, it does nothing when the local day is the same as at the last
// refresh and nothing but views, logins and certification records was
// audited since (the mark is kept in the settings table, so any process
// may run it, after a restart too).
func (s *Store) RefreshCertifications(ctx context.Context, force bool) (RefreshResult, error) {
	var res RefreshResult
	err := s.write(ctx, func(t *tx) error {
		res = RefreshResult{}
		day, last, err := s.certMark(ctx, t)
		if err != nil {
			return err
		}
		mark := fmt.Sprintf("%s/%d", day, last)
		save := func() error {
			if _, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES ('certification.refreshed', ?)
				ON CONFLICT (name) DO UPDATE SET value = excluded.value`, mark); err != nil {
				return fmt.Errorf("sqlstore: certification mark: %w", err)
			}
			return nil
		}
		if !force {
			var prev string
			err := t.queryRow(ctx, `SELECT value FROM settings WHERE name = 'certification.refreshed'`).Scan(&prev)
			if err != nil && !isNoRows(err) {
				return err
			}
			if prevDay, prevID, ok := strings.Cut(prev, "/"); ok && prevDay == day {
				since, _ := strconv.ParseInt(prevID, 10, 64)
				changed, err := s.certChanged(ctx, t, since)
				if err != nil {
					return err
				}
				if !changed {
					res.Skipped = true
					if prev == mark {
						return nil
					}
					return save() // the next check starts from here
				}
			}
		}
		if err := s.refreshCertifications(ctx, t, &res); err != nil {
			return err
		}
		// The refresh itself writes no audit entry: the mark stays valid.
		return save()
	})
	return res, err
}

func (s *Store) refreshCertifications(ctx context.Context, t *tx, res *RefreshResult) error {
	now := s.now()
	today := certification.Day(now)
	d := today.Format(dateLayout)
	if err := s.certTables(ctx, t); err != nil {
		return err
	}
	months := map[string]int{}
	rows, err := t.query(ctx, `SELECT measure, months FROM certification_settings WHERE active = 1`)
	if err != nil {
		return fmt.Errorf("sqlstore: certification settings: %w", err)
	}
	for rows.Next() {
		var m string
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			rows.Close()
			return err
		}
		months[m] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The measures in force, per person: approved applications of the relay
	// within their period, and the register's categories that mean one.
	var catCase []string
	var catArgs []any
	var cats []string
	for _, c := range sortedKeys(certification.CategoryMeasures) {
		catCase = append(catCase, "WHEN ? THEN ?")
		catArgs = append(catArgs, c, certification.CategoryMeasures[c])
		cats = append(cats, c)
	}
	measure := "CASE a.category " + strings.Join(catCase, " ") + " END"
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cats)), ", ") + ")"
	args := []any{d, d, d}
	args = append(args, catArgs...)
	for _, c := range cats {
		args = append(args, c)
	}
	if _, err := t.exec(ctx, `INSERT INTO cert_in_force (person_id, household_id, place_code, measure, start_date)
		SELECT p.id, p.household_id, p.place_code, x.measure, MIN(x.start_date)
		FROM (SELECT c.household_id AS household_id, 0 AS person_id, m.measure AS measure,
				CASE WHEN m.period_start <> '' THEN m.period_start ELSE CAST(? AS TEXT) END AS start_date
			FROM case_measures m JOIN cases c ON c.id = m.case_id
			WHERE m.kind = 'application' AND m.status = 'approved' AND (m.period_start = '' OR m.period_start <= ?)
				AND (m.period_end = '' OR m.period_end >= ?)
			UNION ALL
			SELECT a.household_id, CASE WHEN a.subject = 'person' THEN a.subject_id ELSE 0 END, `+measure+`, a.start_date
			FROM assignments a WHERE a.end_date = '' AND a.category IN `+in+`) x
		JOIN persons p ON p.household_id = x.household_id AND p.status = 'active' AND (x.person_id = 0 OR p.id = x.person_id)
		JOIN certification_settings cs ON cs.measure = x.measure AND cs.active = 1
		GROUP BY p.id, p.household_id, p.place_code, x.measure`, args...); err != nil {
		return fmt.Errorf("sqlstore: certification recipients: %w", err)
	}
	if err := s.certAnalyze(ctx, t, "cert_in_force"); err != nil {
		return err
	}
	// Set aside the dues whose measure ended, and cancel their reminders.
	r, err := t.exec(ctx, `UPDATE certification_dues SET active = 0, version = version + 1, updated_at = ?
		WHERE active = 1 AND NOT EXISTS (SELECT 1 FROM cert_in_force f WHERE f.person_id = certification_dues.person_id
			AND f.measure = certification_dues.measure)`, ms(now))
	if err != nil {
		return fmt.Errorf("sqlstore: certification ended: %w", err)
	}
	n, _ := r.RowsAffected()
	res.Ended = int(n)
	if _, err := t.exec(ctx, `UPDATE deadlines SET status = 'cancelled', done_at = ? WHERE kind = `+certKindSQL+` AND status = 'open'
		AND item_id IN (SELECT id FROM certification_dues WHERE active = 0)`, ms(now)); err != nil {
		return fmt.Errorf("sqlstore: certification reminders: %w", err)
	}
	// Follow the recipients who moved.
	if _, err := t.exec(ctx, `UPDATE certification_dues SET place_code = (SELECT f.place_code FROM cert_in_force f
			WHERE f.person_id = certification_dues.person_id AND f.measure = certification_dues.measure), updated_at = ?
		WHERE active = 1 AND place_code <> (SELECT f.place_code FROM cert_in_force f
			WHERE f.person_id = certification_dues.person_id AND f.measure = certification_dues.measure)`, ms(now)); err != nil {
		return fmt.Errorf("sqlstore: certification places: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE deadlines SET place_code = (SELECT cd.place_code FROM certification_dues cd WHERE cd.id = deadlines.item_id)
		WHERE kind = `+certKindSQL+` AND status = 'open' AND place_code <> (SELECT cd.place_code FROM certification_dues cd WHERE cd.id = deadlines.item_id)`); err != nil {
		return fmt.Errorf("sqlstore: certification reminder places: %w", err)
	}
	// Those whose measure is in force again (few): a new cycle from today.
	var again [][3]any
	rows, err = t.query(ctx, `SELECT cd.id, f.measure, f.place_code FROM cert_in_force f
		JOIN certification_dues cd ON cd.person_id = f.person_id AND cd.measure = f.measure WHERE cd.active = 0 ORDER BY cd.id`)
	if err != nil {
		return fmt.Errorf("sqlstore: certification reactivated: %w", err)
	}
	for rows.Next() {
		var id int64
		var m, place string
		if err := rows.Scan(&id, &m, &place); err != nil {
			rows.Close()
			return err
		}
		again = append(again, [3]any{id, m, place})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, x := range again {
		due := certification.NextDue(today, months[x[1].(string)]).Format(dateLayout)
		if _, err := t.exec(ctx, `UPDATE certification_dues SET active = 1, basis_date = ?, due_date = ?, place_code = ?, review = '',
			version = version + 1, updated_at = ? WHERE id = ?`, d, due, x[2], ms(now), x[0]); err != nil {
			return fmt.Errorf("sqlstore: certification reactivate: %w", err)
		}
		res.Reactivated++
	}
	// New recipients: a cycle from the start of the measure (its last
	// anniversary, certification.CycleStart). The dates are decided once
	// per start date and measure, then the dues are written set-based.
	var dates [][]any
	rows, err = t.query(ctx, `SELECT DISTINCT f.start_date, f.measure FROM cert_in_force f
		WHERE NOT EXISTS (SELECT 1 FROM certification_dues cd WHERE cd.person_id = f.person_id AND cd.measure = f.measure)`)
	if err != nil {
		return fmt.Errorf("sqlstore: certification new recipients: %w", err)
	}
	for rows.Next() {
		var start, m string
		if err := rows.Scan(&start, &m); err != nil {
			rows.Close()
			return err
		}
		basis, ok := certification.ParseDay(start)
		if !ok || basis.After(today) {
			basis = today
		} else {
			basis = certification.CycleStart(basis, today, months[m])
		}
		dates = append(dates, []any{start, m, basis.Format(dateLayout), certification.NextDue(basis, months[m]).Format(dateLayout)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(dates) > 0 {
		if err := t.insertRows(ctx, "cert_dates", []string{"start_date", "measure", "basis_date", "due_date"}, dates); err != nil {
			return err
		}
		r, err := t.exec(ctx, `INSERT INTO certification_dues (person_id, household_id, place_code, measure, basis_date, due_date, created_at, updated_at)
			SELECT f.person_id, f.household_id, f.place_code, f.measure, k.basis_date, k.due_date, ?, ?
			FROM cert_in_force f JOIN cert_dates k ON k.start_date = f.start_date AND k.measure = f.measure
			WHERE NOT EXISTS (SELECT 1 FROM certification_dues cd WHERE cd.person_id = f.person_id AND cd.measure = f.measure)
			ORDER BY f.person_id, f.measure`, ms(now), ms(now))
		if err != nil {
			return fmt.Errorf("sqlstore: certification new recipients: %w", err)
		}
		n, _ := r.RowsAffected()
		res.Created = int(n)
		if res.Created > certAnalyzeRows {
			if err := s.certAnalyze(ctx, t, "certification_dues"); err != nil {
				return err
			}
		}
	}
	res.Reminders, err = s.openCertReminders(ctx, t, now)
	if err == nil && res.Reminders > certAnalyzeRows {
		err = s.certAnalyze(ctx, t, "deadlines")
	}
	return err
}

// certAnalyzeRows is how many rows a refresh writes before it refreshes
// PostgreSQL's statistics of the table.
const certAnalyzeRows = 1000

// certAnalyze refreshes PostgreSQL's statistics of a table the refresh
// filled: temporary tables are never analysed by autovacuum, and a first
// generation of the dues would otherwise be planned as if the table were
// empty (a nested-loop anti-join over every reminder). SQLite plans
// from its indexes and needs nothing.
func (s *Store) certAnalyze(ctx context.Context, t *tx, table string) error {
	if s.d.name != "postgres" {
		return nil
	}
	if _, err := t.exec(ctx, "ANALYZE "+table); err != nil {
		return fmt.Errorf("sqlstore: analyze %s: %w", table, err)
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// chainRankSQL ranks a level column in the relay's chain (grid 0 … county
// 3, -1 outside it).
func chainRankSQL(column string) string {
	e := "CASE " + column
	for i, l := range relay.ChainLevels {
		e += fmt.Sprintf(" WHEN '%s' THEN %d", l, i)
	}
	return e + " ELSE -1 END"
}

// openCertReminders opens a reminder for every due within the window that
// has none open: the level certification.Reminder chooses for its due
// date (computed once per date), owned by the nearest place of that level
// or above.
func (s *Store) openCertReminders(ctx context.Context, t *tx, now time.Time) (int, error) {
	until := certification.Day(now).Add(certification.Window + 12*time.Hour).Format(dateLayout)
	rows, err := t.query(ctx, `SELECT DISTINCT cd.due_date FROM certification_dues cd WHERE cd.active = 1 AND cd.due_date <= ?
		AND NOT EXISTS (SELECT 1 FROM deadlines x WHERE x.kind = `+certKindSQL+` AND x.item_id = cd.id AND x.status = 'open')`, until)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: certification reminders: %w", err)
	}
	var clock [][]any
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return 0, err
		}
		due, ok := certification.ParseDay(d)
		if !ok {
			continue
		}
		o := certification.Reminder(due, now)
		rank := 0
		for i, l := range relay.ChainLevels {
			if l == o.Level {
				rank = i
			}
		}
		clock = append(clock, []any{d, rank, ms(o.Due), o.Interval.Milliseconds()})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(clock) == 0 {
		return 0, nil
	}
	if err := t.insertRows(ctx, "cert_clock", []string{"due_date", "rank", "due_at", "interval_ms"}, clock); err != nil {
		return 0, err
	}
	r, err := t.exec(ctx, `INSERT INTO deadlines (kind, clue_id, case_id, item_id, place_code, level, owner_place, due_at, interval_ms, status, created_at)
		SELECT ?, 0, 0, x.id, x.place_code, op.level, op.code, x.due_at, x.interval_ms, 'open', ?
		FROM (SELECT cd.id, cd.place_code, k.due_at, k.interval_ms,
				(SELECT pt.ancestor FROM place_tree pt JOIN places p ON p.code = pt.ancestor
				WHERE pt.descendant = cd.place_code AND `+chainRankSQL("p.level")+` >= k.rank ORDER BY pt.depth LIMIT 1) AS owner
			FROM certification_dues cd JOIN cert_clock k ON k.due_date = cd.due_date
			WHERE cd.active = 1 AND NOT EXISTS (SELECT 1 FROM deadlines x WHERE x.kind = `+certKindSQL+` AND x.item_id = cd.id AND x.status = 'open')) x
		JOIN places op ON op.code = x.owner`, certification.KindDue, ms(now))
	if err != nil {
		return 0, fmt.Errorf("sqlstore: certification reminders: %w", err)
	}
	n, _ := r.RowsAffected()
	return int(n), nil
}
