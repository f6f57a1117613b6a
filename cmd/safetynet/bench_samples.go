package main

import (
	"context"
	"fmt"
	"strings"

	"safetynet/access"
	"safetynet/sqlstore"
)

// benchSample is a household of the register with what users search by.
type benchSample struct {
	HouseholdID int64
	Name        string // the head's
	IDNumber    string // the head's, for some samples only (else "")
	Phone       string // the household's, for some samples only
	AddressWord string
}

// benchSamples picks up to n households of a's scope spread over the
// register, through the store's ordinary API: the listing (names, masked
// numbers) and, for the first reveals of them, the permissioned and
// audited reveal of the head's ID number and the household's phone, as a
// user would see them. Each reveal leaves its audit entry (the benchmark
// runs on a copy).
func benchSamples(ctx context.Context, s *sqlstore.Store, a access.Actor, n, reveals int) ([]benchSample, error) {
	first, err := s.Households(ctx, a, sqlstore.HouseholdFilter{Limit: 1})
	if err != nil || len(first) == 0 {
		return nil, err
	}
	c, err := s.CountPersons(ctx)
	if err != nil {
		return nil, err
	}
	step := max(int64(c.Households/n), 1)
	var out []benchSample
	after := first[0].ID - 1
	for len(out) < n {
		hs, err := s.Households(ctx, a, sqlstore.HouseholdFilter{AfterID: after, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(hs) == 0 {
			break
		}
		h := hs[0]
		after = h.ID + step - 1
		if h.HeadID == 0 || h.HeadName == "" {
			continue
		}
		b := benchSample{HouseholdID: h.ID, Name: h.HeadName, AddressWord: strings.TrimRight(h.Address, "0123456789号")}
		if len(out) < reveals && a.Can(access.IdentityReveal) {
			if b.IDNumber, err = s.RevealPerson(ctx, a, h.HeadID, sqlstore.RevealID); err != nil {
				return nil, fmt.Errorf("bench: reveal: %w", err)
			}
			if b.Phone, err = s.RevealHousehold(ctx, a, h.ID); err != nil {
				return nil, fmt.Errorf("bench: reveal: %w", err)
			}
		}
		out = append(out, b)
	}
	return out, nil
}
