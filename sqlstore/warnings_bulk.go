package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// warningInsertCols are the columns insertWarningRows writes, with their
// PostgreSQL types.
var warningInsertCols = []struct{ name, pgType string }{
	{"id", "BIGINT"}, {"rule_id", "BIGINT"}, {"rule_version", "BIGINT"}, {"event_id", "BIGINT"}, {"department", "TEXT"},
	{"batch_by", "TEXT"}, {"event_type", "TEXT"}, {"event_date", "TEXT"}, {"subject", "TEXT"}, {"period", "TEXT"},
	{"person_id", "BIGINT"}, {"household_id", "BIGINT"}, {"place_code", "TEXT"}, {"clue_id", "BIGINT"},
	{"explain_zh", "TEXT"}, {"explain_en", "TEXT"}, {"created_at", "BIGINT"},
}

// insertWarningRows inserts warnings (values in the order of warningInsertCols,
// ids reserved by allocIDs) and returns the ids of those inserted: a
// warning of the same rule, subject and period raised meanwhile by
// another process is skipped (ON CONFLICT DO NOTHING: the unique key
// would abort the whole transaction on PostgreSQL, and COPY cannot skip).
// PostgreSQL gets one statement over arrays (unnest), SQLite multi-row
// INSERTs.
func insertWarningRows(ctx context.Context, t *tx, rows [][]any) (map[int64]bool, error) {
	inserted := make(map[int64]bool, len(rows))
	if len(rows) == 0 {
		return inserted, nil
	}
	names := make([]string, len(warningInsertCols))
	for i, c := range warningInsertCols {
		names[i] = c.name
	}
	head := `INSERT INTO warnings (` + strings.Join(names, ", ") + `) `
	const tail = ` ON CONFLICT (rule_id, subject, period) DO NOTHING RETURNING id`
	collect := func(q string, args []any) error {
		rs, err := t.query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: insert warnings: %w", err)
		}
		defer rs.Close()
		for rs.Next() {
			var id int64
			if err := rs.Scan(&id); err != nil {
				return err
			}
			inserted[id] = true
		}
		return rs.Err()
	}
	for _, r := range rows {
		if len(r) != len(warningInsertCols) {
			return nil, fmt.Errorf("sqlstore: insert warnings: %d values for %d columns", len(r), len(warningInsertCols))
		}
	}
	if t.d.name == "postgres" {
		args := make([]any, len(warningInsertCols))
		marks := make([]string, len(warningInsertCols))
		for c, col := range warningInsertCols {
			marks[c] = "CAST(? AS " + col.pgType + "[])"
			if col.pgType == "TEXT" {
				vals := make([]string, len(rows))
				for i, r := range rows {
					vals[i] = r[c].(string)
				}
				args[c] = vals
			} else {
				vals := make([]int64, len(rows))
				for i, r := range rows {
					v, err := int64Of(r[c])
					if err != nil {
						return nil, fmt.Errorf("sqlstore: insert warnings: %s: %w", col.name, err)
					}
					vals[i] = v
				}
				args[c] = vals
			}
		}
		return inserted, collect(head+`SELECT * FROM unnest(`+strings.Join(marks, ", ")+`)`+tail, args)
	}
	per := max(1, min(500, bulkChunkParams/len(warningInsertCols)))
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(warningInsertCols)), ", ") + ")"
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args := make([]any, 0, len(chunk)*len(warningInsertCols))
		for _, r := range chunk {
			args = append(args, r...)
		}
		if err := collect(head+`VALUES `+strings.TrimSuffix(strings.Repeat(one+", ", len(chunk)), ", ")+tail, args); err != nil {
			return nil, err
		}
	}
	return inserted, nil
}

func int64Of(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	}
	return 0, fmt.Errorf("%T is not an integer", v)
}
