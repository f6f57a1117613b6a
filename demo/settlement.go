package demo

import (
	"context"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/settlement"
	"safetynet/sqlstore"
)

// LoadSettlement verifies the demo's recorded services and settles an
// earlier month, so that the verification list, a draft and an approved
// sheet all have something to show: for each organisation, every service
// of its earliest ended month is reviewed (one rejected with a reason, the
// rest accepted) and the month approved by the county officer; in its
// latest month, half of the services are accepted and the rest left for
// the village to verify. It does nothing when no services are recorded.
func LoadSettlement(ctx context.Context, s *sqlstore.Store) error {
	for _, who := range []string{"county", "wc-county"} {
		u, err := s.UserByUsername(ctx, access.System(), who)
		if err != nil {
			return fmt.Errorf("demo: settlement: %w", err)
		}
		a := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "demo"}
		months, err := s.SettlementMonths(ctx, a)
		if err != nil {
			return fmt.Errorf("demo: settlement: %w", err)
		}
		first, last := map[int64]string{}, map[int64]string{}
		for _, m := range months {
			if _, ok := first[m.OrgID]; !ok && settlement.Ended(m.Month, s.Now()) && !m.Approved {
				first[m.OrgID] = m.Month
			}
			last[m.OrgID] = m.Month
		}
		for org, month := range first {
			if err := settleDemoMonth(ctx, s, a, org, month); err != nil {
				return err
			}
		}
		for org, month := range last {
			if month == first[org] {
				continue
			}
			l, err := s.ServicesToVerify(ctx, a, sqlstore.VerifyFilter{Month: month, Org: org, Status: "pending"})
			if err != nil {
				return fmt.Errorf("demo: settlement: %w", err)
			}
			for i, r := range l {
				if i%2 == 1 || r.Flags > 0 {
					continue
				}
				if err := s.ReviewService(ctx, a, r.ID, sqlstore.ServiceReview{Decision: settlement.Accept, Version: r.Version}); err != nil {
					return fmt.Errorf("demo: settlement: review: %w", err)
				}
			}
		}
	}
	return nil
}

// settleDemoMonth reviews an organisation's month and approves it.
func settleDemoMonth(ctx context.Context, s *sqlstore.Store, a access.Actor, org int64, month string) error {
	l, err := s.ServicesToVerify(ctx, a, sqlstore.VerifyFilter{Month: month, Org: org, Status: "pending", Limit: 2000})
	if err != nil {
		return fmt.Errorf("demo: settlement: %w", err)
	}
	for i, r := range l {
		in := sqlstore.ServiceReview{Decision: settlement.Accept, Version: r.Version}
		if i == len(l)-1 && len(l) > 1 {
			in = sqlstore.ServiceReview{Decision: settlement.Reject, Reason: "回访时户主说当天没有上门服务（演示）", Version: r.Version}
		}
		if err := s.ReviewService(ctx, a, r.ID, in); err != nil {
			return fmt.Errorf("demo: settlement: review: %w", err)
		}
	}
	st, err := s.Settlement(ctx, a, org, month, 1)
	if err != nil {
		return fmt.Errorf("demo: settlement: %w", err)
	}
	if _, err := s.ApproveSettlement(ctx, a, org, month, st.TotalFen); err != nil {
		if c := safetynet.CodeOf(err); c == safetynet.EConflict || c == safetynet.EInvalid {
			return nil // e.g. a flag raised meanwhile, or over budget: leave the month as a draft
		}
		return fmt.Errorf("demo: settlement: approve: %w", err)
	}
	return nil
}
