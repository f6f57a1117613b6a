package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"safetynet"
	"safetynet/access"
)

// FeedRowResult is the result of one row of a batch.
type FeedRowResult struct {
	Row                int
	Key                string
	Status             string // FeedMatched, FeedUnregistered, FeedRejected
	Field              string // of a rejection
	ReasonZH, ReasonEN string
	EventID            int64
	EventType          string
	EventDate          string
	Name               string
	IDMasked           string // the ID number with its middle hidden
	// PlaceCode and PlaceName are where the event landed; empty for a
	// department account, which sees nothing of the register.
	PlaceCode, PlaceName string
}

// FeedBatchFilter selects batches.
type FeedBatchFilter struct {
	Department    string // "" for all the actor may see
	Limit, Offset int
}

// FeedRowFilter selects the row results of a batch.
type FeedRowFilter struct {
	Status        string // "" for all
	Limit, Offset int
}

var errFeedBatchNotFound = safetynet.NotFound("批次", "batch")

const feedBatchCols = `b.id, b.department, b.batch_key, b.county_code, COALESCE(p.name, b.county_code), b.source, b.filename,
	b.row_count, b.matched, b.unregistered, b.rejected, b.created_by, COALESCE(NULLIF(u.display_name, ''), b.created_by), b.created_at`

const feedBatchFrom = ` FROM feed_batches b LEFT JOIN places p ON p.code = b.county_code LEFT JOIN users u ON u.username = b.created_by `

func scanFeedBatch(r scanner) (FeedBatch, error) {
	var b FeedBatch
	var at int64
	err := r.Scan(&b.ID, &b.Department, &b.BatchKey, &b.CountyCode, &b.CountyName, &b.Source, &b.FileName,
		&b.Rows, &b.Matched, &b.Unregistered, &b.Rejected, &b.CreatedBy, &b.CreatedByName, &at)
	b.CreatedAt = fromMS(at)
	return b, err
}

// userDepartment returns the department of a user ("" for none).
func (s *Store) userDepartment(ctx context.Context, t *tx, userID int64) (string, error) {
	var d string
	err := t.queryRow(ctx, `SELECT department FROM users WHERE id = ?`, userID).Scan(&d)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sqlstore: department of user %d: %w", userID, err)
	}
	return d, nil
}

// feedMayPush refuses a department account pushing for another
// department.
func (s *Store) feedMayPush(ctx context.Context, a access.Actor, dept string) error {
	return s.read(ctx, func(t *tx) error {
		own, err := s.userDepartment(ctx, t, a.UserID)
		if err != nil {
			return err
		}
		if only, ok := a.FeedDepartment(own); ok && only != dept {
			return safetynet.Forbidden()
		}
		return nil
	})
}

// feedScope returns the condition limiting feed_batches b to what a may
// see, with its arguments.
func (s *Store) feedScope(ctx context.Context, t *tx, a access.Actor, check bool) (string, []any, error) {
	sc := a.Scope(access.Feeds)
	where, args := scopeClause(sc, "b.county_code")
	if check {
		where, args = scopeCheck(sc, "b.county_code")
	}
	own, err := s.userDepartment(ctx, t, a.UserID)
	if err != nil {
		return "", nil, err
	}
	if only, ok := a.FeedDepartment(own); ok {
		where, args = where+" AND b.department = ?", append(args, only)
	}
	return where, args, nil
}

// FeedDepartmentOf returns the department of the actor's account: its
// own for a department account, "" for everyone else.
func (s *Store) FeedDepartmentOf(ctx context.Context, a access.Actor) (string, error) {
	var d string
	err := s.read(ctx, func(t *tx) error {
		own, err := s.userDepartment(ctx, t, a.UserID)
		d, _ = a.FeedDepartment(own)
		return err
	})
	return d, err
}

// FeedBatches lists the batches the actor may see, newest first.
func (s *Store) FeedBatches(ctx context.Context, a access.Actor, f FeedBatchFilter) ([]FeedBatch, error) {
	if err := a.Require(access.FeedView); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var out []FeedBatch
	err := s.read(ctx, func(t *tx) error {
		where, args, err := s.feedScope(ctx, t, a, false)
		if err != nil {
			return err
		}
		if f.Department != "" {
			where, args = where+" AND b.department = ?", append(args, f.Department)
		}
		rows, err := t.query(ctx, `SELECT `+feedBatchCols+feedBatchFrom+`WHERE `+where+
			fmt.Sprintf(` ORDER BY b.created_at DESC, b.id DESC LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), args...)
		if err != nil {
			return fmt.Errorf("sqlstore: feed batches: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			b, err := scanFeedBatch(rows)
			if err != nil {
				return fmt.Errorf("sqlstore: feed batches: %w", err)
			}
			out = append(out, b)
		}
		return rows.Err()
	})
	return out, err
}

// FeedBatch returns a batch the actor may see with a page of its row
// results.
func (s *Store) FeedBatch(ctx context.Context, a access.Actor, id int64, f FeedRowFilter) (FeedBatch, []FeedRowResult, error) {
	if err := a.Require(access.FeedView); err != nil {
		return FeedBatch{}, nil, err
	}
	switch f.Status {
	case "", FeedMatched, FeedUnregistered, FeedRejected:
	default:
		return FeedBatch{}, nil, safetynet.Invalid("status", "状态应为 matched、unregistered 或 rejected", "status must be matched, unregistered or rejected")
	}
	var b FeedBatch
	var out []FeedRowResult
	err := s.read(ctx, func(t *tx) error {
		where, args, err := s.feedScope(ctx, t, a, true)
		if err != nil {
			return err
		}
		b, err = scanFeedBatch(t.queryRow(ctx, `SELECT `+feedBatchCols+feedBatchFrom+`WHERE b.id = ? AND `+where, append([]any{id}, args...)...))
		if errors.Is(err, sql.ErrNoRows) {
			return errFeedBatchNotFound
		}
		if err != nil {
			return fmt.Errorf("sqlstore: feed batch %d: %w", id, err)
		}
		_, dept := a.FeedDepartment("")
		out, err = s.feedRows(ctx, t, id, f, !dept)
		return err
	})
	return b, out, err
}

// feedRows reads a page of a batch's row results; withPlace adds where
// the events landed.
func (s *Store) feedRows(ctx context.Context, t *tx, batch int64, f FeedRowFilter, withPlace bool) ([]FeedRowResult, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	cond, args := "r.batch_id = ?", []any{batch}
	if f.Status != "" {
		cond, args = cond+" AND r.status = ?", append(args, f.Status)
	}
	rows, err := t.query(ctx, `SELECT r.row_no, r.row_key, r.status, r.field, r.reason_zh, r.reason_en, r.event_id,
		COALESCE(e.event_type, ''), COALESCE(e.event_date, ''), COALESCE(e.name, ''), e.id_enc, COALESCE(e.place_code, ''), COALESCE(p.name, '')
		FROM feed_rows r LEFT JOIN feed_events e ON e.id = r.event_id AND r.event_id <> 0 LEFT JOIN places p ON p.code = e.place_code
		WHERE `+cond+fmt.Sprintf(` ORDER BY r.row_no LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: feed rows of %d: %w", batch, err)
	}
	defer rows.Close()
	var out []FeedRowResult
	for rows.Next() {
		var r FeedRowResult
		var enc []byte
		if err := rows.Scan(&r.Row, &r.Key, &r.Status, &r.Field, &r.ReasonZH, &r.ReasonEN, &r.EventID, &r.EventType, &r.EventDate,
			&r.Name, &enc, &r.PlaceCode, &r.PlaceName); err != nil {
			return nil, fmt.Errorf("sqlstore: feed rows of %d: %w", batch, err)
		}
		id, err := s.unseal(enc, ctxFeedID)
		if err != nil {
			return nil, err
		}
		r.IDMasked = maskID(id)
		if !withPlace {
			r.PlaceCode, r.PlaceName = "", ""
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// storedFeedBatch returns a stored batch by its key with its rejected
// rows, marked Replayed; sql.ErrNoRows when there is none.
func (s *Store) storedFeedBatch(ctx context.Context, dept, key string) (FeedBatch, []FeedRowResult, error) {
	var b FeedBatch
	var rej []FeedRowResult
	err := s.read(ctx, func(t *tx) error {
		var err error
		b, err = scanFeedBatch(t.queryRow(ctx, `SELECT `+feedBatchCols+feedBatchFrom+`WHERE b.department = ? AND b.batch_key = ?`, dept, key))
		if err != nil {
			return err
		}
		rej, err = s.feedRows(ctx, t, b.ID, FeedRowFilter{Status: FeedRejected, Limit: MaxFeedRejectedShown}, false)
		return err
	})
	b.Replayed = true
	return b, rej, err
}

// feedBatchByID reads a batch just stored.
func (s *Store) feedBatchByID(ctx context.Context, id int64) (FeedBatch, error) {
	var b FeedBatch
	err := s.read(ctx, func(t *tx) error {
		var err error
		b, err = scanFeedBatch(t.queryRow(ctx, `SELECT `+feedBatchCols+feedBatchFrom+`WHERE b.id = ?`, id))
		return err
	})
	if err != nil {
		return b, fmt.Errorf("sqlstore: feed batch %d: %w", id, err)
	}
	return b, nil
}

// FeedCounty is a county a batch may belong to.
type FeedCounty struct{ Code, Name string }

// FeedCounties lists the counties of the actor's scope, for an actor
// placed above a county who uploads a department's file.
func (s *Store) FeedCounties(ctx context.Context, a access.Actor) ([]FeedCounty, error) {
	if err := a.Require(access.FeedPush); err != nil {
		return nil, err
	}
	where, args := scopeClause(a.Scope(access.Places), "code")
	var out []FeedCounty
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT code, name FROM places WHERE level = 'county' AND `+where+` ORDER BY code LIMIT 5000`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: counties: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c FeedCounty
			if err := rows.Scan(&c.Code, &c.Name); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}
