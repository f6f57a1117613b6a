package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// Test helpers that reach past the store's rules. They live in a _test
// file so that they are compiled into tests only, never into the binary.

// ExecRaw runs a statement outside the store's rules.
func (s *Store) ExecRaw(ctx context.Context, q string, args ...any) error {
	_, err := s.w.ExecContext(ctx, s.d.rebind(q), args...)
	return err
}

// DumpForTest returns every stored value of the register tables and the
// audit and event logs as text, for tests that check what is stored in
// clear.
func (s *Store) DumpForTest(ctx context.Context) (string, error) {
	var b strings.Builder
	for _, table := range []string{"households", "persons", "memberships", "assignments", "events", "audit_log"} {
		rows, err := s.r.QueryContext(ctx, "SELECT * FROM "+table)
		if err != nil {
			return "", err
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", err
			}
			for _, v := range vals {
				fmt.Fprintf(&b, "%v|%s|", v, v)
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	return b.String(), nil
}

// StringsForTest returns the first column of a query's rows as text.
func (s *Store) StringsForTest(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
