package sqlstore

import "context"

// GoalsQueryInt reads one number outside the store's rules, for the goals'
// tests (a head of household's id, a count of deadlines).
func (s *Store) GoalsQueryInt(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := s.w.QueryRowContext(ctx, s.d.rebind(q), args...).Scan(&n)
	return n, err
}
