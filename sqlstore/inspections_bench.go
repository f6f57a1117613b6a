package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// InspectionBenchArea returns the county with the most villages holding
// active households, and that number: where `safetynet bench --suite
// inspections` draws its samples.
func (s *Store) InspectionBenchArea(ctx context.Context) (string, int, error) {
	var code string
	var n int
	err := s.read(ctx, func(t *tx) error {
		return t.queryRow(ctx, `SELECT c.code, COUNT(*) FROM places c JOIN place_tree pt ON pt.ancestor = c.code JOIN places v ON v.code = pt.descendant
			WHERE c.level = 'county' AND v.level = 'village'
				AND EXISTS (SELECT 1 FROM place_tree x JOIN households h ON h.place_code = x.descendant WHERE x.ancestor = v.code AND h.status = 'active')
			GROUP BY c.code ORDER BY COUNT(*) DESC, c.code LIMIT 1`).Scan(&code, &n)
	})
	if err != nil {
		return "", 0, fmt.Errorf("sqlstore: inspection bench area: %w", err)
	}
	return code, n, nil
}

// InspectionBaselineForBench is the raw baseline of a draw: a plain SELECT
// of the candidate households (id and place) of villages, without the key
// households' flags, the draw or any write. It returns how many it read.
func (s *Store) InspectionBaselineForBench(ctx context.Context, villages []string) (int, error) {
	if len(villages) == 0 {
		return 0, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(villages)), ", ")
	args := make([]any, len(villages))
	for i, v := range villages {
		args[i] = v
	}
	n := 0
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT x.ancestor, h.id FROM place_tree x JOIN households h ON h.place_code = x.descendant
			WHERE x.ancestor IN (`+marks+`) AND h.status = 'active'`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			var id int64
			if err := rows.Scan(&v, &id); err != nil {
				return err
			}
			n++
		}
		return rows.Err()
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: inspection baseline: %w", err)
	}
	return n, nil
}
