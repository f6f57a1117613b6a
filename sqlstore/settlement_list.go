package sqlstore

import (
	"context"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/settlement"
)

// Settlements lists the organisations of the actor's area with their
// month: records by state, the amount so far, whether it is approved.
func (s *Store) Settlements(ctx context.Context, a access.Actor, month string) ([]SettlementSummary, error) {
	if err := a.Require(access.ServiceView); err != nil {
		return nil, err
	}
	if !a.SeesSettlements() {
		return nil, safetynet.Forbidden()
	}
	month, err := settlement.CheckMonth("month", month)
	if err != nil {
		return nil, err
	}
	where, args := orgWhere(a, "o", false)
	var out []SettlementSummary
	err = s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT o.id, o.name, pl.name, COALESCE(st.id, 0), COALESCE(st.total_fen, 0),
			COALESCE(c.n, 0), COALESCE(c.accepted, 0), COALESCE(c.rejected, 0), COALESCE(c.pending, 0), COALESCE(c.flagged, 0), COALESCE(c.amount, 0)
			FROM service_orgs o JOIN places pl ON pl.code = o.place_code
			LEFT JOIN settlements st ON st.org_id = o.id AND st.month = ?
			LEFT JOIN (SELECT org_id, COUNT(*) AS n,
				SUM(CASE WHEN review_status = 'accepted' AND flags = 0 THEN 1 ELSE 0 END) AS accepted,
				SUM(CASE WHEN review_status = 'rejected' THEN 1 ELSE 0 END) AS rejected,
				SUM(CASE WHEN review_status = 'pending' THEN 1 ELSE 0 END) AS pending,
				SUM(CASE WHEN review_status = 'accepted' AND flags > 0 THEN 1 ELSE 0 END) AS flagged,
				SUM(CASE WHEN review_status = 'accepted' AND flags = 0 THEN price_fen ELSE 0 END) AS amount
				FROM service_records WHERE month = ? GROUP BY org_id) c ON c.org_id = o.id
			WHERE `+where+` ORDER BY o.name, o.id`, append([]any{month, month}, args...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: settlements: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			x := SettlementSummary{Month: month}
			var st, total int64
			if err := rows.Scan(&x.OrgID, &x.OrgName, &x.PlaceName, &st, &total, &x.Records, &x.Accepted, &x.Rejected, &x.Pending, &x.Flagged,
				&x.AmountFen); err != nil {
				return err
			}
			if st != 0 {
				x.Approved, x.AmountFen = true, total
			}
			out = append(out, x)
		}
		return rows.Err()
	})
	return out, err
}

// OrgMonth is an organisation's month holding services.
type OrgMonth struct {
	OrgID    int64
	Month    string
	Services int
	Approved bool
}

// SettlementMonths lists the organisations' months of the actor's area
// that hold services, the earliest first.
func (s *Store) SettlementMonths(ctx context.Context, a access.Actor) ([]OrgMonth, error) {
	if err := a.Require(access.ServiceView); err != nil {
		return nil, err
	}
	if !a.SeesSettlements() {
		return nil, safetynet.Forbidden()
	}
	where, args := orgWhere(a, "o", false)
	var out []OrgMonth
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT r.org_id, r.month, COUNT(*), MAX(CASE WHEN st.id IS NULL THEN 0 ELSE 1 END)
			FROM service_records r JOIN service_orgs o ON o.id = r.org_id LEFT JOIN settlements st ON st.org_id = r.org_id AND st.month = r.month
			WHERE `+where+` GROUP BY r.org_id, r.month ORDER BY r.month, r.org_id`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: settlement months: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var x OrgMonth
			var approved int
			if err := rows.Scan(&x.OrgID, &x.Month, &x.Services, &approved); err != nil {
				return err
			}
			x.Approved = approved == 1
			out = append(out, x)
		}
		return rows.Err()
	})
	return out, err
}
