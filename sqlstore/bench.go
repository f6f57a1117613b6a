package sqlstore

import (
	"context"
	"fmt"
)

// Counts of the register.
type RegisterCounts struct{ Persons, Households int }

// CountPersons counts the persons and households of the register.
func (s *Store) CountPersons(ctx context.Context) (RegisterCounts, error) {
	var c RegisterCounts
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM persons), (SELECT COUNT(*) FROM households)`).Scan(&c.Persons, &c.Households)
	if err != nil {
		return c, fmt.Errorf("sqlstore: count: %w", err)
	}
	return c, nil
}
