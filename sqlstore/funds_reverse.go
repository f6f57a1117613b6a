package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/funds"
)

// entryForWrite finds an entry of a source the actor may write to.
func (s *Store) entryForWrite(ctx context.Context, t *tx, a access.Actor, entryID int64) (funds.Original, int64, int64, string, error) {
	var o funds.Original
	var sourceID, allocation int64
	var alloc, reverses *int64
	where, args := fundsVisible(a, "e.place_code")
	err := t.queryRow(ctx, `SELECT e.source_id, e.kind, e.amount_fen, e.allocation_id, e.reverses_id FROM fund_entries e WHERE e.id = ? AND `+where,
		append([]any{entryID}, args...)...).Scan(&sourceID, &o.Kind, &o.AmountFen, &alloc, &reverses)
	if isNoRows(err) {
		return o, 0, 0, "", safetynet.NotFound("记账记录", "ledger entry")
	} else if err != nil {
		return o, 0, 0, "", fmt.Errorf("sqlstore: fund entry: %w", err)
	}
	src, err := s.sourceForWrite(ctx, t, a, sourceID)
	if err != nil {
		return o, 0, 0, "", err
	}
	o.Balance, o.Reversal = src.balance, reverses != nil
	if alloc != nil {
		allocation = *alloc
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM fund_entries WHERE reverses_id = ?`, entryID).Scan(&n); err != nil {
		return o, 0, 0, "", fmt.Errorf("sqlstore: fund entry: %w", err)
	}
	o.Reversed = n > 0
	if o.Kind == funds.Allocation {
		if err := t.queryRow(ctx, `SELECT spent_fen FROM fund_allocations WHERE entry_id = ?`, entryID).Scan(&o.SpentFen); err != nil && !isNoRows(err) {
			return o, 0, 0, "", fmt.Errorf("sqlstore: fund entry: %w", err)
		}
	}
	return o, sourceID, allocation, src.place, nil
}

// ReverseFundEntry undoes an entry whole by a new entry of the opposite
// amount, with a reason: the ledger is never edited. A receipt already
// allocated, or an allocation already spent from, is refused until what
// depends on it is reversed first.
func (s *Store) ReverseFundEntry(ctx context.Context, a access.Actor, entryID int64, clientID, reason string) (int64, bool, error) {
	if err := a.Require(access.FundsManage); err != nil {
		return 0, false, err
	}
	clientID, err := checkClientID(clientID)
	if err != nil {
		return 0, false, err
	}
	reason = strings.TrimSpace(reason)
	var id int64
	var dup bool
	err = s.write(ctx, func(t *tx) error {
		id, dup = 0, false
		o, sourceID, allocation, place, err := s.entryForWrite(ctx, t, a, entryID)
		if err != nil {
			return err
		}
		var prev *int64
		if err := t.queryRow(ctx, `SELECT id, reverses_id FROM fund_entries WHERE client_id = ?`, clientID).Scan(&id, &prev); err == nil {
			if prev == nil || *prev != entryID {
				return safetynet.Conflict("client_id", "提交编号已用于另一条记录", "client_id was used for another entry")
			}
			dup = true
			return nil
		} else if !isNoRows(err) {
			return fmt.Errorf("sqlstore: fund reversal: %w", err)
		}
		if err := funds.CheckReversal(o, reason); err != nil {
			return err
		}
		now := s.now()
		var name string
		_ = t.queryRow(ctx, `SELECT display_name FROM users WHERE id = ?`, a.UserID).Scan(&name)
		err = t.queryRow(ctx, `INSERT INTO fund_entries (client_id, source_id, place_code, kind, amount_fen, on_date, doc_no, payee, note,
			target, measure, item, quantity, unit_price_fen, allocation_id, reverses_id, reason, user_id, username, display_name, at)
			SELECT ?, source_id, place_code, kind, -amount_fen, ?, doc_no, payee, '', target, measure, item, quantity, unit_price_fen,
			allocation_id, id, ?, ?, ?, ?, ? FROM fund_entries WHERE id = ? ON CONFLICT (client_id) DO NOTHING RETURNING id`,
			clientID, funds.Day(now).Format(dateLayout), reason, a.UserID, a.Username, name, ms(now), entryID).Scan(&id)
		if isNoRows(err) {
			return errFundDup
		} else if classify(err) == errUnique {
			return safetynet.Conflict("entry", "该记录已冲销", "the entry was reversed already")
		} else if err != nil {
			return fmt.Errorf("sqlstore: fund reversal: %w", err)
		}
		if o.Kind == funds.Allocation {
			res, err := t.exec(ctx, `UPDATE fund_allocations SET reversed = 1 WHERE entry_id = ? AND reversed = 0 AND spent_fen = 0`, entryID)
			if err != nil {
				return fmt.Errorf("sqlstore: fund reversal: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return safetynet.Conflict("entry", "该分配已有支出：请先冲销支出", "the allocation was spent from: reverse the spending first")
			}
		}
		if err := s.applyFundBalance(ctx, t, sourceID, o.Kind, -o.AmountFen, allocation); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "funds.reverse", objType: "fund_source", objID: fmt.Sprint(sourceID), place: place,
			detail: map[string]any{"fund_entry": o.Kind, "amount_fen": o.AmountFen, "reason": reason}})
	})
	if errors.Is(err, errFundDup) {
		err = s.read(ctx, func(t *tx) error {
			return t.queryRow(ctx, `SELECT id FROM fund_entries WHERE client_id = ?`, clientID).Scan(&id)
		})
		return id, true, err
	}
	return id, dup, err
}

// AddFundDocument attaches a document to an entry afterwards (an invoice
// that came later). Documents are added, never replaced.
func (s *Store) AddFundDocument(ctx context.Context, a access.Actor, entryID int64, d FundDocument) (int64, error) {
	if err := a.Require(access.FundsManage); err != nil {
		return 0, err
	}
	ct, err := funds.DocumentType(d.Name, d.Data)
	if err != nil {
		return 0, err
	}
	var sourceID int64
	err = s.write(ctx, func(t *tx) error {
		var place string
		var err error
		if _, sourceID, _, place, err = s.entryForWrite(ctx, t, a, entryID); err != nil {
			return err
		}
		if err := s.insertFundDocument(ctx, t, a, entryID, d, ct); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "funds.document", objType: "fund_source", objID: fmt.Sprint(sourceID), place: place,
			detail: map[string]any{"name": d.Name}})
	})
	return sourceID, err
}
