package sqlstore

import (
	"context"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/funds"
)

// fundsVisible limits column (a source's place) to what the actor may see
// of funds: sources owned in the actor's subtree and those owned above it
// (a village sees the county's budget it draws on), never a sibling's.
func fundsVisible(a access.Actor, column string) (string, []any) {
	if !a.Can(access.FundsView) || a.Place == "" {
		return "1 = 0", nil
	}
	if a.Place == safetynet.RootPlaceCode {
		return "1 = 1", nil
	}
	return "(EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = " + column + ")" +
		" OR EXISTS (SELECT 1 FROM place_tree WHERE ancestor = " + column + " AND descendant = ?))", []any{a.Place, a.Place}
}

// fundsManaged reports whether the actor may write to a source owned at
// place: FundsManage, and the place in the actor's own subtree.
func (s *Store) fundsManaged(ctx context.Context, t *tx, a access.Actor, place string) (bool, error) {
	if !a.Can(access.FundsManage) {
		return false, nil
	}
	if a.Place == safetynet.RootPlaceCode {
		return true, nil
	}
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM place_tree WHERE ancestor = ? AND descendant = ?`, a.Place, place).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("sqlstore: funds scope: %w", err)
	}
	return n > 0, nil
}

// sourceRow is what a write reads of a source.
type sourceRow struct {
	id      int64
	place   string
	balance funds.Balance
}

// sourceForWrite finds a source the actor sees (else not found) and may
// write to (else forbidden).
func (s *Store) sourceForWrite(ctx context.Context, t *tx, a access.Actor, id int64) (sourceRow, error) {
	var r sourceRow
	where, args := fundsVisible(a, "place_code")
	err := t.queryRow(ctx, `SELECT id, place_code, received_fen, allocated_fen, spent_fen, inkind_fen FROM fund_sources WHERE id = ? AND `+where,
		append([]any{id}, args...)...).Scan(&r.id, &r.place, &r.balance.Received, &r.balance.Allocated, &r.balance.Spent, &r.balance.InKind)
	if isNoRows(err) {
		return r, safetynet.NotFound("资金来源", "fund source")
	}
	if err != nil {
		return r, fmt.Errorf("sqlstore: fund source: %w", err)
	}
	ok, err := s.fundsManaged(ctx, t, a, r.place)
	if err != nil {
		return r, err
	}
	if !ok {
		return r, safetynet.Forbidden()
	}
	return r, nil
}
