package sqlstore

import "context"

// ExecRaw runs a statement outside the store's rules. It exists for tests
// and maintenance commands only.
func (s *Store) ExecRaw(ctx context.Context, q string, args ...any) error {
	_, err := s.w.ExecContext(ctx, s.d.rebind(q), args...)
	return err
}
