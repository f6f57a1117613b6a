package sqlstore

import (
	"context"

	"safetynet/access"
	"safetynet/ledger"
)

// LedgerPlaces lists the places of the actor's register scope as a
// ledger's place column may name them (register.PlaceLister).
func (s *Store) LedgerPlaces(ctx context.Context, a access.Actor) ([]ledger.Place, error) {
	places, err := s.RegisterPlaces(ctx, a)
	if err != nil {
		return nil, err
	}
	out := make([]ledger.Place, 0, len(places))
	for _, p := range places {
		out = append(out, ledger.Place{Code: p.Code, Name: p.Name, Level: p.Level, Path: p.Path})
	}
	return out, nil
}
