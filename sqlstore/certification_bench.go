package sqlstore

import (
	"context"
	"time"

	"safetynet/certification"
)

// The baselines of the certification benchmark: the plainest statements
// moving the same rows as the refresh of the dues and the grid worker's
// "due in the next 30 days" list, so that the benchmark can say what the
// real work costs above them. They write only to the scratch table
// bench_cert_rows, made by CertBaselinePrepare in a benchmark's copy of a
// database.

// CertBaselinePrepare makes (or empties) the scratch table of the baselines.
func (s *Store) CertBaselinePrepare(ctx context.Context) error {
	return s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `CREATE TABLE IF NOT EXISTS bench_cert_rows (person_id BIGINT NOT NULL, household_id BIGINT NOT NULL,
			place_code TEXT NOT NULL, measure TEXT NOT NULL, basis_date TEXT NOT NULL, due_date TEXT NOT NULL, created_at BIGINT NOT NULL,
			updated_at BIGINT NOT NULL)`); err != nil {
			return err
		}
		_, err := t.exec(ctx, `DELETE FROM bench_cert_rows`)
		return err
	})
}

// CertBaselineCopy copies the active dues into the scratch table with one
// plain INSERT … SELECT: the same rows a first refresh writes, without
// deciding which they are. It returns how many it copied.
func (s *Store) CertBaselineCopy(ctx context.Context) (int, error) {
	var n int64
	err := s.write(ctx, func(t *tx) error {
		r, err := t.exec(ctx, `INSERT INTO bench_cert_rows (person_id, household_id, place_code, measure, basis_date, due_date, created_at, updated_at)
			SELECT person_id, household_id, place_code, measure, basis_date, due_date, created_at, updated_at FROM certification_dues WHERE active = 1`)
		if err != nil {
			return err
		}
		n, _ = r.RowsAffected()
		return nil
	})
	return int(n), err
}

// CertBaselineRecipients counts, with one plain join, the persons of the
// households whose register categories mean a measure requiring
// certification: the rows a refresh must find before deciding anything.
func (s *Store) CertBaselineRecipients(ctx context.Context) (int, error) {
	var n int
	err := s.read(ctx, func(t *tx) error {
		return t.queryRow(ctx, `SELECT COUNT(*) FROM assignments a JOIN persons p ON p.household_id = a.household_id AND p.status = 'active'
			WHERE a.end_date = '' AND a.category IN ('dibao', 'dibao_person', 'tekun', 'tekun_person')
				AND (a.subject <> 'person' OR p.id = a.subject_id)`).Scan(&n)
	})
	return n, err
}

// CertBaselineRead reads the active dues of a place's subtree due within
// the window (overdue ones included) with a plain SELECT — no scope, no
// names, no measure names — and counts them.
func (s *Store) CertBaselineRead(ctx context.Context, place string) (int, error) {
	until := certification.Day(certification.Day(s.now()).Add(certification.Window + 12*time.Hour)).Format(dateLayout)
	n := 0
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT id, person_id, household_id, measure, due_date FROM certification_dues WHERE active = 1
			AND due_date <= ? AND place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) ORDER BY due_date, id LIMIT 2000`, until, place)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, person, hh int64
			var measure, due string
			if err := rows.Scan(&id, &person, &hh, &measure, &due); err != nil {
				return err
			}
			n++
		}
		return rows.Err()
	})
	return n, err
}

// CertBaselineDrop removes the scratch table.
func (s *Store) CertBaselineDrop(ctx context.Context) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `DROP TABLE IF EXISTS bench_cert_rows`)
		return err
	})
}

// CertBaselineReset forgets every due, record, review and reminder of the
// certification, so that the next refresh generates the dues of the whole
// register afresh. Only for a benchmark's copy of a database.
func (s *Store) CertBaselineReset(ctx context.Context) error {
	if err := s.write(ctx, func(t *tx) error {
		for _, q := range []string{`DELETE FROM deadlines WHERE kind = '` + certification.KindDue + `'`, `DELETE FROM certification_reviews`,
			`DELETE FROM certification_records`, `DELETE FROM certification_dues`, `DELETE FROM settings WHERE name = 'certification.refreshed'`} {
			if _, err := t.exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if s.d.name != "postgres" {
		return nil
	}
	// The rows just deleted stay as dead tuples until a vacuum (autovacuum
	// may be off): without one, every run would be slower than the last.
	_, err := s.w.ExecContext(ctx, `VACUUM ANALYZE certification_dues, certification_records, certification_reviews, deadlines`)
	return err
}
