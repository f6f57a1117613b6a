package sqlstore

import (
	"context"
	"fmt"
)

// settlementMonthClosed reports whether the settlement of orgID's month
// (YYYY-MM) has been approved, which closes the month: no service may be
// recorded in it, reviewed or changed. Call it inside the write
// transaction of the change, before changing anything: it locks the
// month's row (settlement_months), so that on PostgreSQL a recording or a
// review and the approval of the same month run one after the other and
// the later one sees the earlier's outcome (on SQLite writes are serial
// anyway). The row is made on first use.
func (s *Store) settlementMonthClosed(ctx context.Context, t *tx, orgID int64, month string) (bool, error) {
	var status string
	err := t.queryRow(ctx, `INSERT INTO settlement_months (org_id, month, status, touches) VALUES (?, ?, 'open', 1)
		ON CONFLICT (org_id, month) DO UPDATE SET touches = settlement_months.touches + 1 RETURNING status`, orgID, month).Scan(&status)
	if err != nil {
		return false, fmt.Errorf("sqlstore: settlement month %d %s: %w", orgID, month, err)
	}
	return status == "closed", nil
}
