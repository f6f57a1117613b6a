package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"safetynet/access"
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

// BenchSample is a person of the register with what users search by,
// for benchmarks.
type BenchSample struct {
	PersonID, HouseholdID int64
	Name, IDNumber, Phone string
	AddressWord           string
}

// BenchSamples picks up to n persons of the actor's scope spread over the
// register, with their full numbers (for the benchmark's own queries;
// nothing is logged or audited).
func (s *Store) BenchSamples(ctx context.Context, a access.Actor, n int) ([]BenchSample, error) {
	where, args := registerScope(a, "p.place_code")
	var maxID int64
	if err := s.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM persons`).Scan(&maxID); err != nil {
		return nil, err
	}
	step := max(maxID/int64(n*3), 1)
	rows, err := s.query(ctx, `SELECT p.id, p.household_id, p.name, p.id_enc, h.phone_enc, h.address
		FROM persons p JOIN households h ON h.id = p.household_id WHERE p.id % ? = 0 AND p.id_enc IS NOT NULL AND `+where+` LIMIT ?`,
		append(append([]any{step}, args...), n)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: bench samples: %w", err)
	}
	defer rows.Close()
	var out []BenchSample
	for rows.Next() {
		var b BenchSample
		var idEnc, phoneEnc []byte
		var address string
		if err := rows.Scan(&b.PersonID, &b.HouseholdID, &b.Name, &idEnc, &phoneEnc, &address); err != nil {
			return nil, err
		}
		if b.IDNumber, err = s.unseal(idEnc, ctxPersonID); err != nil {
			return nil, err
		}
		if b.Phone, err = s.unseal(phoneEnc, ctxHHPhone); err != nil {
			return nil, err
		}
		// The street part of the address: "腰站社区12号" → "腰站社区".
		b.AddressWord = strings.TrimRight(address, "0123456789号")
		out = append(out, b)
	}
	return out, rows.Err()
}
