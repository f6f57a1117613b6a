package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"safetynet/access"
	"safetynet/funds"
)

// SeedFundsForBench gives a new source owned by place a ledger of n
// entries over the two years before today, one tenth receipts of 1,000
// yuan, three tenths allocations of 200 yuan to 临时救助 and six tenths
// spends of 100 yuan, two from each allocation — the shape of a busy
// county budget — and sets its running balance. For `safetynet bench`.
func (s *Store) SeedFundsForBench(ctx context.Context, a access.Actor, place string, n int) (int64, error) {
	src, _, err := s.CreateFundSource(ctx, a, fmt.Sprintf("bench-source-%d", time.Now().UnixNano()),
		funds.Source{Name: "压测资金来源", Kind: funds.SourceBudget, Place: place})
	if err != nil {
		return 0, err
	}
	today := funds.Day(s.now())
	err = s.write(ctx, func(t *tx) error {
		type row struct {
			i      int
			kind   string
			amount int64
			on     string
			alloc  any
		}
		var batch []row
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			q := `INSERT INTO fund_entries (client_id, source_id, place_code, kind, amount_fen, on_date, payee, target, measure, allocation_id,
				user_id, username, at) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(batch)), ", ")
			args := make([]any, 0, 13*len(batch))
			for _, r := range batch {
				target, measure := "", ""
				if r.kind == funds.Allocation {
					target, measure = funds.ToMeasure, "temporary"
				}
				args = append(args, fmt.Sprintf("bench-%d-%d", src, r.i), src, place, r.kind, r.amount, r.on,
					"压测收款方", target, measure, r.alloc, a.UserID, a.Username, ms(s.now()))
			}
			batch = batch[:0]
			_, err := t.exec(ctx, q, args...)
			return err
		}
		var alloc int64
		for i := 0; i < n; i++ {
			on := today.AddDate(0, 0, -730*(n-i)/n).Format(dateLayout)
			switch i % 10 {
			case 0:
				batch = append(batch, row{i, funds.Receipt, 100000, on, nil})
			case 1, 4, 7:
				if err := flush(); err != nil {
					return err
				}
				if err := t.queryRow(ctx, `INSERT INTO fund_entries (client_id, source_id, place_code, kind, amount_fen, on_date, target, measure,
					user_id, username, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, fmt.Sprintf("bench-%d-a%d", src, i), src, place,
					funds.Allocation, 20000, on, funds.ToMeasure, "temporary", a.UserID, a.Username, ms(s.now())).Scan(&alloc); err != nil {
					return err
				}
				if _, err := t.exec(ctx, `INSERT INTO fund_allocations (entry_id, source_id, amount_fen, spent_fen) VALUES (?, ?, ?, ?)`,
					alloc, src, 20000, 20000); err != nil {
					return err
				}
			default:
				batch = append(batch, row{i, funds.Spend, 10000, on, alloc})
			}
			if len(batch) >= 70 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		_, err := t.exec(ctx, `UPDATE fund_sources SET
			received_fen = (SELECT COALESCE(SUM(amount_fen), 0) FROM fund_entries WHERE source_id = ? AND kind = 'receipt'),
			allocated_fen = (SELECT COALESCE(SUM(amount_fen), 0) FROM fund_entries WHERE source_id = ? AND kind = 'allocation'),
			spent_fen = (SELECT COALESCE(SUM(amount_fen), 0) FROM fund_entries WHERE source_id = ? AND kind = 'spend'),
			entries = (SELECT COUNT(*) FROM fund_entries WHERE source_id = ?) WHERE id = ?`, src, src, src, src, src)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: seed funds: %w", err)
	}
	if s.d.name == "postgres" {
		if _, err := s.w.ExecContext(ctx, `VACUUM ANALYZE fund_entries`); err != nil {
			return 0, err
		}
		if _, err := s.w.ExecContext(ctx, `VACUUM ANALYZE fund_allocations`); err != nil {
			return 0, err
		}
	} else if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
		return 0, err
	}
	return src, nil
}

// FundSumsForBench is the baseline of the funds suite: a plain SELECT SUM
// of the source's ledger per kind, with no scope, targets or documents.
func (s *Store) FundSumsForBench(ctx context.Context, sourceID int64) (funds.Balance, error) {
	var b funds.Balance
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT kind, SUM(amount_fen) FROM fund_entries WHERE source_id = ? GROUP BY kind`, sourceID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var v int64
			if err := rows.Scan(&k, &v); err != nil {
				return err
			}
			switch k {
			case funds.Receipt:
				b.Received = v
			case funds.Allocation:
				b.Allocated = v
			case funds.Spend:
				b.Spent = v
			case funds.InKind:
				b.InKind = v
			}
		}
		return rows.Err()
	})
	return b, err
}
