package sqlstore

import "context"

// WriteInsideWrite runs inner from inside a write closure, the way a
// storage function might call an exported method by mistake, and returns
// what the outer write and inner returned.
func (s *Store) WriteInsideWrite(ctx context.Context, inner func() error) (outer, nested error) {
	outer = s.write(ctx, func(t *tx) error {
		nested = inner()
		return nested
	})
	return outer, nested
}
