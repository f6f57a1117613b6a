package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// drainTables are the tables a warnings drain writes rows into, with the
// unique text column a copy must change (see PlainInsertWarnings).
var drainTables = []struct{ name, unique string }{
	{"warnings", "period"}, {"clues", "client_id"}, {"deadlines", ""}, {"work_events", ""}, {"events", ""},
	{"notifications", ""}, {"outbox", ""}, {"audit_log", ""},
}

// WarningMarks returns the largest id of each table a warnings drain
// writes: PlainInsertWarnings copies the rows written after them.
func (s *Store) WarningMarks(ctx context.Context) (map[string]int64, error) {
	marks := map[string]int64{}
	for _, tb := range drainTables {
		var m int64
		if err := s.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+tb.name).Scan(&m); err != nil {
			return nil, fmt.Errorf("sqlstore: marks of %s: %w", tb.name, err)
		}
		marks[tb.name] = m
	}
	return marks, nil
}

// PlainInsertWarnings is the baseline of the warnings benchmark: the rows
// a drain wrote after marks (warnings, clues, deadlines, timelines,
// notifications, outbox, audit), read back, then inserted again as plain
// bulk inserts (tx.insertRows: COPY on PostgreSQL) in one write, their
// unique keys suffixed; the inserts are timed, then rolled back. It returns how many rows it inserted and the time.
func (s *Store) PlainInsertWarnings(ctx context.Context, marks map[string]int64) (int, time.Duration, error) {
	type table struct {
		name string
		cols []string
		rows [][]any
	}
	var tables []table
	total := 0
	for _, tb := range drainTables {
		rows, err := s.r.QueryContext(ctx, s.d.rebind(`SELECT * FROM `+tb.name+` WHERE id > ? ORDER BY id`), marks[tb.name])
		if err != nil {
			return 0, 0, fmt.Errorf("sqlstore: read %s: %w", tb.name, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			return 0, 0, err
		}
		tab := table{name: tb.name}
		idCol, uniq := -1, -1
		for i, c := range cols {
			switch c {
			case "id":
				idCol = i
				continue
			case tb.unique:
				uniq = i
			}
			tab.cols = append(tab.cols, c)
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return 0, 0, err
			}
			if uniq >= 0 {
				switch v := vals[uniq].(type) {
				case string:
					vals[uniq] = v + "~plain"
				case []byte:
					vals[uniq] = string(v) + "~plain"
				}
			}
			for i, v := range vals {
				if b, ok := v.([]byte); ok && cols[i] != "photo" && cols[i] != "id_idx" {
					vals[i] = string(b) // text read as bytes by the driver
				}
			}
			tab.rows = append(tab.rows, append(vals[:idCol:idCol], vals[idCol+1:]...))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, 0, err
		}
		total += len(tab.rows)
		tables = append(tables, tab)
	}
	// Rolled back, not committed: the audit log is append-only, so copies
	// of its rows could not be deleted.
	var took time.Duration
	errDone := errors.New("rolled back")
	err := s.write(ctx, func(t *tx) error {
		start := time.Now()
		for _, tab := range tables {
			if err := t.insertRows(ctx, tab.name, tab.cols, tab.rows); err != nil {
				return err
			}
		}
		took = time.Since(start)
		return errDone
	})
	if !errors.Is(err, errDone) {
		return 0, 0, err
	}
	return total, took, nil
}
